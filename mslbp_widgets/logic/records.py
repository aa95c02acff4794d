"""The package's records: a case, a question, an attempt, a problem in a file, a tally ... plain values with fields.

Every record class subclasses :class:`Record` (frozen) or :class:`MutableRecord`. They are ``msgspec`` structs and
behave as the frozen dataclasses they replaced: fields in order (a parent's first), defaults, keyword or positional
arguments, equality and hashing by fields, ``Name(field=value, ...)`` as repr, and an error on assignment to a frozen
record. ``replace(record, **changes)`` is a copy with some fields changed. What differs: no per-field
``compare=False`` (the two records that leave a field out of their identity, ``Problem`` and ``Case``, say so with
their own ``__eq__`` and ``__hash__``), no ``__dict__`` (a record has only its fields), and ``kw_only`` is set per
class, not per field.

Why not dataclasses: a dataclass generates and compiles its ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__`` and ``__delattr__`` when its class is created, about 0.6 ms a class on the course's machine; a struct
class costs about 0.03 ms. The package has over 80 record classes, and the first cell of every notebook imports
the ones its tools use: as dataclasses they were about half of what that import added to ``import ipywidgets,
plotly.graph_objects`` (``benchmarks/bench_imports.py``).
"""

from __future__ import annotations

from msgspec import Struct, field
from msgspec.structs import replace

__all__ = ["MutableRecord", "Record", "field", "replace"]


class Record(Struct, frozen=True):
    """A frozen record: its fields cannot be assigned after it is made (use :func:`replace`)."""


class MutableRecord(Struct):
    """A record whose fields can be assigned (a loader's working state, never shared)."""
