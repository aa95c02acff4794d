"""Reading one YAML data file safely: size limit, UTF-8, structure (nesting depth, no aliases) checked before
anything is composed, YAML syntax errors with their line and column. The data comes back as plain JSON-like
values (dates stay text). Validation against a schema is :mod:`mslbp_widgets.logic.datafiles`'s job.

Where a field is in its file: :func:`with_lines` gives every problem of a YAML file the line and column of its
field (`stages[4].question.options[3]` -> line 57), composing the file once more with PyYAML's node marks. It runs
only when there are problems to report (:class:`~mslbp_widgets.logic.errors.DataValidationError` calls it), so a
valid file costs nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .records import replace

if TYPE_CHECKING:
    import yaml

#: Largest data file read, in bytes: a real case or table is a few kilobytes.
MAX_DATA_FILE_BYTES = 1_000_000


@lru_cache(maxsize=1)
def _loaders() -> tuple[type, type]:
    """(libyaml's safe loader when available, DataLoader). PyYAML is imported here, when the first file is read,
    so that importing the package costs nothing for a notebook that reads no YAML."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class DataLoader(base):  # type: ignore[misc, valid-type]
        """The safe YAML loader, except that dates stay text, so a loaded file is plain JSON-like data."""

    DataLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    return base, DataLoader


def __getattr__(name: str) -> Any:
    """``DataLoader`` (the safe loader that keeps dates as text), built on first use."""
    if name == "DataLoader":
        return _loaders()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Deepest nesting of mappings and lists a data file may have (a case file needs about 6). libyaml composes nested
#: nodes recursively in C, so a file nested thousands deep would crash the process instead of raising an error.
MAX_YAML_DEPTH = 40


def structure_problem(text: str) -> tuple[int, int, str] | None:
    """(line, column, message) if the YAML text is nested deeper than :data:`MAX_YAML_DEPTH` or uses an alias, checked
    from the parser's event stream (which is flat: no recursion) before anything is composed; None if it is fine.

    Aliases (``*name``) are refused outright: the course's files never need them, and a few hundred bytes of
    aliases to aliases expand into gigabytes (an "alias bomb")."""
    import yaml

    parser = _loaders()[0](text)
    get_event, depth = parser.get_event, 0
    try:
        while (event := get_event()) is not None:  # a plain loop over the event stream: cheap next to composing
            kind = event.__class__
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    mark = event.start_mark
                    return (mark.line + 1, mark.column + 1,
                            f"nested more than {MAX_YAML_DEPTH} levels deep; a course data file needs far fewer")
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
            elif kind is yaml.AliasEvent:
                mark = event.start_mark
                return (mark.line + 1, mark.column + 1,
                        f"uses a YAML alias (*{event.anchor}); write the value out in full instead")
    finally:
        parser.dispose()
    return None


def yaml_message(exc: yaml.YAMLError, text: str = "") -> tuple[int | None, int | None, str]:
    """(line, column, message) for a YAML syntax error: where it is (when PyYAML knows), and what to check."""
    mark = getattr(exc, "problem_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
        return line, column, "this line contains a tab character, which YAML does not allow: indent with spaces only"
    return line, column, f"not valid YAML ({problem}): check indentation and quotes near this line"


def read_yaml(path: Path | str, max_bytes: int = MAX_DATA_FILE_BYTES,
              kind: str = "data file") -> tuple[Any, list[Problem]]:
    """Read and parse one YAML file: (data, []) or (None, the one problem that stops it).

    Covers a missing or unreadable file, a file over `max_bytes`, text that is not UTF-8 and YAML syntax errors
    (with line and column). The data may be anything YAML can hold (None for an empty file).
    """
    path = Path(path)
    file = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [Problem(file, "", f"file is {size:,} bytes; a {kind} may be at most {max_bytes:,} bytes")]
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None, [Problem(file, "", "file not found: check the path and the file name")]
    except UnicodeDecodeError:
        return None, [Problem(file, "", "not UTF-8 text: save the file as UTF-8")]
    except OSError as exc:
        return None, [Problem(file, "", f"cannot read the file ({exc.strerror or exc})")]
    import yaml

    try:
        shape = structure_problem(text)
        if shape is not None:
            line, column, msg = shape
            return None, [Problem(file, "", msg, line, column)]
        return yaml.load(text, Loader=_loaders()[1]), []  # noqa: S506 - a safe loader (C or pure Python)
    except yaml.YAMLError as exc:
        line, column, msg = yaml_message(exc, text)
        return None, [Problem(file, "", msg, line, column)]
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        return None, [Problem(file, "", f"cannot be read as YAML ({type(exc).__name__})")]


# ------------------------------------------------------------------------------------------------ where a field is

_INDEX = re.compile(r"\[(\d+)\]")


def compose(path: Path | str, max_bytes: int = MAX_DATA_FILE_BYTES) -> yaml.Node | None:
    """The YAML node tree of a file (with the line and column of every node), or None when it cannot be read or
    parsed, or is refused by :func:`structure_problem` (its problem then already says where)."""
    import yaml

    try:
        path = Path(path)
        if path.stat().st_size > max_bytes:
            return None
        text = path.read_bytes().decode("utf-8")
        if structure_problem(text) is not None:
            return None
        return yaml.compose(text, Loader=_loaders()[1])  # noqa: S506 - a safe loader; composing builds no objects
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError, ValueError, TypeError):
        return None


def _entry_id(node: yaml.Node) -> str | None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "id" and isinstance(value, yaml.ScalarNode):
                return value.value
    return None


def locate(root: yaml.Node | None, field: str) -> tuple[int, int] | None:
    """(line, column), counted from 1, of the field path `field` in the composed document `root`.

    A field path is what problems name: keys joined by dots, list indexes in brackets, a list entry optionally
    followed by its id in parentheses (`stages[4] (decision).question.options[3].next_stage`). A key is found at
    its own line; a list entry at its first line. When the path goes beyond what the file holds (a missing field),
    the deepest part found is given: the mapping the field should be added to. None for an empty path or no file.
    """
    if root is None or not field:
        return None
    import yaml

    node, mark, rest = root, root.start_mark, field
    while rest:
        if rest[0] == ".":
            rest = rest[1:]
            continue
        index = _INDEX.match(rest)
        if index:
            position = int(index.group(1))
            if not isinstance(node, yaml.SequenceNode) or position >= len(node.value):
                break
            node = node.value[position]
            mark, rest = node.start_mark, rest[index.end():]
            if rest.startswith(" ("):  # the entry's id, as field_path names it
                ident = _entry_id(node)
                if ident is not None and rest.startswith(f" ({ident})"):
                    rest = rest[len(ident) + 3:]
                else:
                    close = rest.find(")")
                    rest = rest[close + 1:] if close >= 0 else ""
            continue
        if not isinstance(node, yaml.MappingNode):
            break
        found = None
        for key, value in node.value:  # the longest key the path goes on with (a key may hold dots or hyphens)
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if (name and rest.startswith(name) and rest[len(name):len(name) + 1] in ("", ".", "[")
                    and (found is None or len(name) > len(found[0].value))):
                found = (key, value)
        if found is None:
            break
        mark, node, rest = found[0].start_mark, found[1], rest[len(found[0].value):]
    return mark.line + 1, mark.column + 1


def with_lines(problems: Iterable[Problem]) -> list[Problem]:
    """The problems, each of a YAML file given the line and column of its field (see :func:`locate`). Each file
    with problems is composed once; a problem that already has a line, names no field, or is not about a
    `.yaml`/`.yml` file (a CSV table, a folder) is kept as it is."""
    roots: dict[str, yaml.Node | None] = {}
    out = []
    for problem in problems:
        if problem.line is not None or not problem.field or not problem.file.endswith((".yaml", ".yml")):
            out.append(problem)
            continue
        if problem.file not in roots:
            roots[problem.file] = compose(problem.file)
        where = locate(roots[problem.file], problem.field)
        out.append(replace(problem, line=where[0], column=where[1]) if where else problem)
    return out
