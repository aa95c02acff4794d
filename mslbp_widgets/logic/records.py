"""The package's records: a case, a question, an attempt, a problem in a file, a tally ... plain values with fields.

Every record class subclasses :class:`Record` (frozen) or :class:`MutableRecord`. They are ``msgspec`` structs and
behave as the frozen dataclasses they replaced: fields in order (a parent's first), defaults, keyword or positional
arguments, equality and hashing by fields, ``Name(field=value, ...)`` as repr, and an error on assignment to a frozen
record. ``replace(record, **changes)`` is a copy with some fields changed. What differs: no per-field
``compare=False`` (a record that leaves fields out of its identity subclasses :class:`PartlyComparedRecord` and
names them), no ``__dict__`` (a record has only its fields), and ``kw_only`` is set per
class, not per field.

Why not dataclasses: a dataclass generates and compiles its ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__`` and ``__delattr__`` when its class is created, about 0.6 ms a class on the course's machine; a struct
class costs about 0.03 ms. The package has over 80 record classes, and the first cell of every notebook imports
the ones its tools use: as dataclasses they were about half of what that import added to ``import ipywidgets,
plotly.graph_objects`` (``benchmarks/bench_imports.py``).
"""

from __future__ import annotations

from typing import ClassVar

from msgspec import Struct, field
from msgspec.structs import replace

__all__ = ["MutableRecord", "PartlyComparedRecord", "Record", "field", "replace"]


class Record(Struct, frozen=True):
    """A frozen record: its fields cannot be assigned after it is made (use :func:`replace`)."""


class PartlyComparedRecord(Record):
    """A frozen record compared and hashed by its fields except those named in ``_not_compared`` (what
    ``field(compare=False)`` did for a dataclass): a problem found on another line is the same problem."""

    #: The fields left out of equality and hashing (a class attribute, not a field).
    _not_compared: ClassVar[tuple[str, ...]] = ()

    def _identity(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__struct_fields__ if name not in self._not_compared)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())


class MutableRecord(Struct):
    """A record whose fields can be assigned (a loader's working state, never shared)."""
