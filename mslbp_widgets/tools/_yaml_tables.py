"""Shared helpers for the small YAML tables behind the feature checklist, pathway explorer and DN4 scorer.

Every helper collects `Problem`s (file + field + what to fix) instead of stopping at the first error, so a
data author sees everything wrong with a file at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataValidationError, Problem
from ..paths import data_dir
from ..references import load_references

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def read_yaml_mapping(path: Path, what: str) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping; raise DataValidationError naming the file otherwise."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataValidationError([Problem(str(path), "", "file not found")], what) from None
    except yaml.YAMLError as exc:
        raise DataValidationError([Problem(str(path), "", f"not valid YAML: {exc}")], what) from None
    if not isinstance(raw, dict):
        problem = Problem(str(path), "", "the file must hold a mapping (key: value) at the top")
        raise DataValidationError([problem], what)
    return raw


def mechanism_ids(path: Path | None = None) -> dict[str, str]:
    """Mechanism id -> learner-facing label, from `data/mechanisms.yaml`."""
    path = Path(path) if path else data_dir() / "mechanisms.yaml"
    raw = read_yaml_mapping(path, "mechanism vocabulary")
    out: dict[str, str] = {}
    for key, entry in raw.items():
        label = entry.get("label") if isinstance(entry, dict) else None
        out[str(key)] = str(label) if label else str(key)
    return out


def reference_keys() -> set[str]:
    """Every citation key in `data/references.yaml`."""
    return set(load_references())


def require_text(entry: dict[str, Any], name: str, file: str, where: str, problems: list[Problem]) -> str:
    """Return entry[name] as stripped text, or record a problem if it is missing or empty."""
    value = entry.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(file, f"{where}.{name}", "required text is missing or empty"))
        return ""
    return value.strip()


def id_list(
    entry: dict[str, Any],
    name: str,
    file: str,
    where: str,
    problems: list[Problem],
    allowed: set[str] | None = None,
    allowed_what: str = "",
    required: bool = False,
    fix: str = "",
) -> tuple[str, ...]:
    """Return entry[name] as a tuple of ids, recording problems for a wrong type, duplicates or unknown ids.

    An unknown id is reported with `fix` if given (e.g. "add it to data/references.yaml"), else with the known ids.
    """
    value = entry.get(name, None)
    if value is None:
        if required:
            problems.append(Problem(file, f"{where}.{name}", "required list is missing"))
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(file, f"{where}.{name}", "must be a list of ids, e.g. [spasticity, gait-posture]"))
        return ()
    if required and not value:
        problems.append(Problem(file, f"{where}.{name}", "must list at least one id"))
    if len(set(value)) != len(value):
        problems.append(Problem(file, f"{where}.{name}", "lists the same id twice; remove the duplicate"))
    if allowed is not None:
        for i, v in enumerate(value):
            if v not in allowed:
                hint = fix or f"known: {sorted(allowed)}"
                problems.append(Problem(file, f"{where}.{name}[{i}]", f"unknown {allowed_what} {v!r}; {hint}"))
    return tuple(value)


def check_unknown_fields(
    entry: dict[str, Any], allowed: set[str], file: str, where: str, problems: list[Problem]
) -> None:
    """Record a problem for every field not in `allowed` (catches typos such as `argues_agianst`)."""
    for name in sorted(set(entry) - allowed):
        problems.append(Problem(file, f"{where}.{name}", f"unknown field; allowed: {sorted(allowed)}"))
