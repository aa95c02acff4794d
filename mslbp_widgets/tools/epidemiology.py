"""Published prevalence figures (data/epidemiology/*.csv) and the chart built from them. Pure: no widgets.

Each CSV has the columns ``pain_type, prevalence_pct, ci_low_pct, ci_high_pct, source_key, note``: one row per
pain type, the pooled prevalence and its 95% confidence interval in percent, the reference key of the source
(in data/references.yaml) and an optional teaching note.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from ..logic.errors import DataValidationError, Problem
from ..logic.paths import data_dir
from ..logic.records import Record

COLUMNS = ("pain_type", "prevalence_pct", "ci_low_pct", "ci_high_pct", "source_key", "note")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Prevalence(Record):
    """One published prevalence with its 95% confidence interval (all in percent)."""

    pain_type: str
    prevalence_pct: float
    ci_low_pct: float
    ci_high_pct: float
    source_key: str
    note: str = ""

    @property
    def label(self) -> str:
        """e.g. '20% (95% CI 13–28%)'."""
        return f"{_pct(self.prevalence_pct)}% (95% CI {_pct(self.ci_low_pct)}–{_pct(self.ci_high_pct)}%)"


def _pct(value: float) -> str:
    return f"{value:g}"


def epidemiology_dir() -> Path:
    """The folder of prevalence tables (`data/epidemiology`)."""
    return data_dir() / "epidemiology"


def load_prevalence(path: str | Path) -> tuple[Prevalence, ...]:
    """Read and validate a prevalence CSV. Raises DataValidationError naming the file, row and column."""
    path = Path(path)
    file = str(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise DataValidationError([Problem(file, "", "file not found")], "prevalence table") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataValidationError([Problem(file, "", f"cannot be read as UTF-8 CSV: {exc}")],
                                  "prevalence table") from None
    if not rows or tuple(h.strip() for h in rows[0]) != COLUMNS:
        got = rows[0] if rows else []
        raise DataValidationError([Problem(file, "header", f"columns must be exactly {','.join(COLUMNS)}; got "
                                                           f"{','.join(got) or '(empty file)'}")], "prevalence table")
    from ..logic.references import get_references

    known = set(get_references())
    problems: list[Problem] = []
    out: list[Prevalence] = []
    seen: set[str] = set()
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"line {line_no}"
        if len(row) != len(COLUMNS):
            problems.append(Problem(file, where, f"has {len(row)} cells; expected {len(COLUMNS)} "
                                                 "(quote any cell that contains a comma)"))
            continue
        cells = dict(zip(COLUMNS, (c.strip() for c in row), strict=True))
        before = len(problems)
        if not cells["pain_type"]:
            problems.append(Problem(file, f"{where}.pain_type", "is empty"))
        elif cells["pain_type"] in seen:
            problems.append(Problem(file, f"{where}.pain_type", f"{cells['pain_type']!r} appears twice"))
        seen.add(cells["pain_type"])
        numbers: dict[str, float] = {}
        for name in ("prevalence_pct", "ci_low_pct", "ci_high_pct"):
            try:
                value = float(cells[name])
            except ValueError:
                problems.append(Problem(file, f"{where}.{name}",
                                        f"{cells[name]!r} is not a number (percent, no % sign)"))
                continue
            if math.isnan(value) or not 0 <= value <= 100:
                problems.append(Problem(file, f"{where}.{name}",
                                        f"{cells[name]} is not a percentage between 0 and 100"))
                continue
            numbers[name] = value
        if len(numbers) == 3 and not numbers["ci_low_pct"] <= numbers["prevalence_pct"] <= numbers["ci_high_pct"]:
            problems.append(Problem(file, f"{where}.prevalence_pct", "must lie within its confidence interval "
                                                                     "(ci_low_pct ≤ prevalence_pct ≤ ci_high_pct)"))
        if cells["source_key"] not in known:
            problems.append(Problem(file, f"{where}.source_key", f"{cells['source_key']!r} is not a key in "
                                                                 "data/references.yaml"))
        if len(problems) == before:
            out.append(Prevalence(cells["pain_type"], numbers["prevalence_pct"], numbers["ci_low_pct"],
                                  numbers["ci_high_pct"], cells["source_key"], cells["note"]))
    if not out and not problems:
        problems.append(Problem(file, "", "has a header but no data rows"))
    if problems:
        raise DataValidationError(problems, "prevalence table")
    return tuple(out)


def get_prevalence(table: str) -> tuple[Prevalence, ...]:
    """Load `data/epidemiology/<table>.csv`, e.g. `get_prevalence("foley-2013-prevalence")`."""
    if not isinstance(table, str) or not _NAME.match(table):
        raise DataValidationError([Problem(str(epidemiology_dir()), "table", f"{table!r} is not a kebab-case "
                                                                              "table name")], "prevalence table")
    return load_prevalence(epidemiology_dir() / f"{table}.csv")


def describe_prevalence(rows: tuple[Prevalence, ...] | list[Prevalence], title: str) -> str:
    """A text alternative listing every bar with its 95% CI, highest first."""
    ordered = sorted(rows, key=lambda r: r.prevalence_pct, reverse=True)
    parts = "; ".join(f"{r.pain_type} {r.label}" for r in ordered)
    return f"Chart \"{title}\": pooled prevalence with 95% confidence intervals, highest first: {parts}."
