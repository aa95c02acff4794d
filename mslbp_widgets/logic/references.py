"""The course bibliography (`data/references.yaml`): load it, check it, and render citations by key."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .datafiles import character_problems
from .errors import DataValidationError, Problem
from .ids import is_kebab
from .paths import data_dir
from .records import Record
from .text import closest
from .yamlfile import read_yaml

ALLOWED_FIELDS = {"citation", "topic", "checked", "url", "lay_source"}


class Reference(Record):
    key: str
    citation: str
    topic: str
    checked: str = ""
    url: str = ""
    lay_source: bool = False


def references_path() -> Path:
    return data_dir() / "references.yaml"


def load_references(path: Path | None = None) -> dict[str, Reference]:
    """Read and validate the bibliography. Raises DataValidationError listing every problem."""
    path = Path(path) if path else references_path()
    raw, problems = read_yaml(path, kind="reference list")
    if problems:
        raise DataValidationError(problems, "reference list")
    if not isinstance(raw, dict):
        raise DataValidationError(
            [Problem(str(path), "", "must be a mapping of reference key -> {citation, topic, ...}")],
            "reference list",
        )
    problems: list[Problem] = character_problems(raw, str(path))
    refs: dict[str, Reference] = {}
    for key, entry in raw.items():
        field = str(key)
        if not is_kebab(key):
            problems.append(Problem(str(path), field, "reference keys are kebab-case, e.g. foley-2013"))
            continue
        if not isinstance(entry, dict):
            problems.append(Problem(str(path), field, "must be a mapping with at least `citation` and `topic`"))
            continue
        for name in sorted(set(entry) - ALLOWED_FIELDS, key=str):
            close = closest(str(name), sorted(ALLOWED_FIELDS))
            hint = f"did you mean `{close}`? " if close else "check the spelling; "
            problems.append(Problem(str(path), f"{key}.{name}",
                                    f"unknown field: {hint}(allowed: {', '.join(sorted(ALLOWED_FIELDS))})"))
        for name in ("citation", "topic"):
            if not isinstance(entry.get(name), str) or not entry.get(name, "").strip():
                problems.append(Problem(str(path), f"{key}.{name}", "required text is missing or empty"))
        if problems:
            continue
        refs[key] = Reference(
            key=key,
            citation=entry["citation"].strip(),
            topic=entry["topic"].strip(),
            checked=str(entry.get("checked", "")),
            url=str(entry.get("url", "")),
            lay_source=bool(entry.get("lay_source", False)),
        )
    if problems:
        raise DataValidationError(problems, "reference list")
    return refs


@lru_cache(maxsize=4)
def _cached(path: str) -> dict[str, Reference]:
    return load_references(Path(path))


def get_references(path: Path | None = None) -> dict[str, Reference]:
    """The bibliography of the current data folder, or of the references file `path` (cached)."""
    return _cached(str(path or references_path()))


def cite(key: str, path: Path | None = None) -> str:
    """The full citation for one key (from the references file `path`, default the data folder's); raises KeyError
    with a helpful message for an unknown key."""
    refs = get_references(path)
    if key not in refs:
        raise KeyError(f"unknown reference key {key!r}: add it to {path or references_path()}")
    ref = refs[key]
    suffix = " (lay source, for context only)" if ref.lay_source else ""
    return ref.citation + suffix
