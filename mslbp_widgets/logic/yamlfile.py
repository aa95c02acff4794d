"""Reading one YAML data file safely: size limit, UTF-8, structure (nesting depth, no aliases) checked before
anything is composed, YAML syntax errors with their line and column. The data comes back as plain JSON-like
values (dates stay text). Validation against a schema is :mod:`mslbp_widgets.logic.datafiles`'s job.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem

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


def structure_problem(text: str) -> tuple[str, str] | None:
    """(where, message) if the YAML text is nested deeper than :data:`MAX_YAML_DEPTH` or uses an alias, checked
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
                    return (f"line {mark.line + 1}, column {mark.column + 1}",
                            f"nested more than {MAX_YAML_DEPTH} levels deep; a course data file needs far fewer")
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
            elif kind is yaml.AliasEvent:
                mark = event.start_mark
                return (f"line {mark.line + 1}, column {mark.column + 1}",
                        f"uses a YAML alias (*{event.anchor}); write the value out in full instead")
    finally:
        parser.dispose()
    return None


def yaml_message(exc: yaml.YAMLError, text: str = "") -> tuple[str, str]:
    """(where, message) for a YAML syntax error: the line and column, and what to check."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
        return where, "this line contains a tab character, which YAML does not allow: indent with spaces only"
    return where, f"not valid YAML ({problem}): check indentation and quotes near this line"


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
            return None, [Problem(file, *shape)]
        return yaml.load(text, Loader=_loaders()[1]), []  # noqa: S506 - a safe loader (C or pure Python)
    except yaml.YAMLError as exc:
        where, msg = yaml_message(exc, text)
        return None, [Problem(file, where, msg)]
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        return None, [Problem(file, "", f"cannot be read as YAML ({type(exc).__name__})")]
