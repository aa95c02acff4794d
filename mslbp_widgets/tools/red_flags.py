"""Red-flag triage (teaching aid): ticked findings -> an urgency level, with every reason and its sources.

Pure logic, no widgets. The rules live in ``data/red_flags/rules.yaml`` (its header documents the format).
A rule fires when every finding in ``all_of`` is ticked and at least ``min_count`` (default 1) of ``any_of`` are
ticked. The most urgent level among the fired rules wins; every fired rule is listed with its reason, the
conditions it suggests and its references. When nothing fires the result is the least urgent level with the
file's ``default`` reason.

This is a teaching aid showing how red flags combine, **not** a clinical decision tool.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ..logic.datafiles import Checks, at, duplicate_ids, load_yaml_file, unknown_keys, unknown_references
from ..logic.errors import DataValidationError, Problem, SelectionError
from ..logic.paths import data_dir
from ..logic.records import Record
from ..logic.references import load_references, references_path

#: The schema of a rules file (data/schema/red-flag-rules.schema.json) and the name of the data in errors.
SCHEMA = "red-flag-rules"
WHAT = "red-flag rules"

#: What the tool says before anything is ticked: no urgency yet (an empty checklist is not a "routine" patient).
NOTHING_TICKED_TITLE = "Urgency: not assessed yet."
NOTHING_TICKED = (
    "Tick the findings present. The urgency level and the reasons for it appear as soon as something is ticked."
)


class Level(Record):
    """One urgency level. ``rank`` 0 is the most urgent."""

    id: str
    label: str
    action: str
    rank: int


class Finding(Record):
    """One finding the learner can tick."""

    id: str
    label: str
    group: str
    note: str = ""


class Rule(Record):
    """Findings -> urgency, with the suspected conditions, the reason and its sources."""

    id: str
    urgency: str
    all_of: tuple[str, ...]
    any_of: tuple[str, ...]
    min_count: int
    conditions: tuple[str, ...]
    reason: str
    references: tuple[str, ...]

    def matches(self, ticked: frozenset[str]) -> tuple[str, ...] | None:
        """The ticked findings that make this rule fire (in rule order), or None if it does not fire."""
        if not all(f in ticked for f in self.all_of):
            return None
        hits = tuple(f for f in self.any_of if f in ticked)
        if self.any_of and len(hits) < self.min_count:
            return None
        return self.all_of + hits


class RuleSet(Record):
    """The validated contents of a rules file."""

    disclaimer: str
    levels: tuple[Level, ...]
    findings: tuple[Finding, ...]
    rules: tuple[Rule, ...]
    default_reason: str
    default_references: tuple[str, ...]
    source: str

    def level(self, level_id: str) -> Level:
        """The level with this id (KeyError if unknown)."""
        for lvl in self.levels:
            if lvl.id == level_id:
                return lvl
        raise KeyError(level_id)

    def finding(self, finding_id: str) -> Finding:
        """The finding with this id (KeyError if unknown)."""
        for f in self.findings:
            if f.id == finding_id:
                return f
        raise KeyError(finding_id)

    def groups(self) -> dict[str, tuple[Finding, ...]]:
        """Findings by group heading, in file order."""
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.group, []).append(f)
        return {g: tuple(fs) for g, fs in out.items()}


class FiredRule(Record):
    """A rule that fired, with its level and the ticked findings that triggered it."""

    rule: Rule
    level: Level
    matched: tuple[str, ...]


class TriageResult(Record):
    """The outcome of one triage: the winning level and every reason behind it."""

    level: Level
    fired: tuple[FiredRule, ...]
    selection: tuple[str, ...]
    default_reason: str = ""
    default_references: tuple[str, ...] = ()

    @property
    def awaiting_input(self) -> bool:
        """True when nothing is ticked: show `NOTHING_TICKED_TITLE` and `NOTHING_TICKED`, not an urgency level."""
        return not self.selection

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every fired rule's reason, most urgent first (or the default reason when nothing fired)."""
        if not self.fired:
            return (self.default_reason,)
        return tuple(fr.rule.reason for fr in self.fired)

    @property
    def conditions(self) -> tuple[str, ...]:
        """The suspected conditions of every fired rule, most urgent first, without repeats."""
        seen: dict[str, None] = {}
        for fr in self.fired:
            for c in fr.rule.conditions:
                seen.setdefault(c, None)
        return tuple(seen)

    @property
    def references(self) -> tuple[str, ...]:
        """Every reference key cited by the result, without repeats, in order of first use."""
        keys: dict[str, None] = {}
        sources = [fr.rule.references for fr in self.fired] if self.fired else [self.default_references]
        for refs in sources:
            for k in refs:
                keys.setdefault(k, None)
        return tuple(keys)


# ---------------------------------------------------------------------------------------------------- loading


def rules_path() -> Path:
    """The default rules file, ``data/red_flags/rules.yaml`` in the current data folder."""
    return data_dir() / "red_flags" / "rules.yaml"


def _cross_checks(reference_keys: set[str]) -> Checks:
    """The rules the schema cannot express: unique ids, urgencies that are levels, rules that can fire and use only
    defined findings, every finding used, known reference keys."""

    def check(raw: dict, file: str) -> list[Problem]:
        problems: list[Problem] = []
        for section in ("levels", "findings", "rules"):
            problems += duplicate_ids(raw, section, file, section.removesuffix("s"))
        level_ids = sorted({lvl.get("id") for lvl in raw["levels"]})
        finding_ids = {f.get("id") for f in raw["findings"]}
        used: set[str] = set()
        for i, rule in enumerate(raw["rules"]):
            where = at(raw, "rules", i)
            urgency = rule.get("urgency")
            if urgency not in level_ids:
                problems.append(Problem(file, f"{where}.urgency",
                                        f"must be one of the level ids {level_ids}, got {urgency!r}"))
            all_of, any_of = rule.get("all_of", []), rule.get("any_of", [])
            if not all_of and not any_of:
                problems.append(Problem(file, where, "needs `all_of` or `any_of` (or both) listing finding ids"))
            for name, ids in (("all_of", all_of), ("any_of", any_of)):
                problems += unknown_keys(raw, ids, ("rules", i, name), finding_ids, file, "finding",
                                         "add it under `findings` or fix the spelling")
            overlap = sorted(set(all_of) & set(any_of))
            if overlap:
                problems.append(Problem(file, where, f"{overlap} listed in both all_of and any_of; keep one"))
            if "min_count" in rule:
                if not any_of:
                    problems.append(Problem(file, f"{where}.min_count", "only makes sense with `any_of`; remove it "
                                                                        "or add `any_of`"))
                elif rule["min_count"] > len(any_of):
                    problems.append(Problem(file, f"{where}.min_count",
                                            f"is {rule['min_count']} but any_of lists only {len(any_of)} findings, "
                                            "so the rule can never fire; lower it or add findings"))
            problems += unknown_references(raw, rule.get("references", []), ("rules", i, "references"),
                                           reference_keys, file)
            used.update(all_of, any_of)
        for i, f in enumerate(raw["findings"]):
            if f.get("id") not in used:
                problems.append(Problem(file, at(raw, "findings", i), "no rule uses this finding, so ticking "
                                                                      "it would do nothing; add it to a rule or "
                                                                      "remove it"))
        problems += unknown_references(raw, raw["default"].get("references", []), ("default", "references"),
                                       reference_keys, file)
        return problems

    return check


def _words(text: str) -> str:
    return " ".join(text.split())


def _build(raw: dict, file: str) -> RuleSet:
    levels = tuple(Level(e["id"], _words(e["label"]), _words(e["action"]), rank)
                   for rank, e in enumerate(raw["levels"]))
    findings = tuple(Finding(e["id"], _words(e["label"]), _words(e["group"]), _words(e.get("note", "")))
                     for e in raw["findings"])
    rules = tuple(
        Rule(e["id"], e["urgency"], tuple(e.get("all_of", [])), tuple(e.get("any_of", [])), e.get("min_count", 1),
             tuple(_words(c) for c in e["conditions"]), _words(e["reason"]), tuple(e["references"]))
        for e in raw["rules"]
    )
    default = raw["default"]
    return RuleSet(_words(raw["disclaimer"]), levels, findings, rules, _words(default["reason"]),
                   tuple(default["references"]), file)


def load_rules(path: str | Path | None = None, reference_keys: Iterable[str] | None = None) -> RuleSet:
    """Read and validate a rules file (default ``data/red_flags/rules.yaml``).

    ``reference_keys`` defaults to the keys of ``data/references.yaml``. Raises ``DataValidationError``
    listing every problem (file + field + what to fix).
    """
    path = Path(path) if path else rules_path()
    keys = set(reference_keys) if reference_keys is not None else set(load_references(references_path()))
    raw = load_yaml_file(path, SCHEMA, WHAT, _cross_checks(keys))
    return _build(raw, str(path))


@lru_cache(maxsize=4)
def _cached_rules(path: str) -> RuleSet:
    return load_rules(Path(path))


def default_rules() -> RuleSet:
    """The course's rules file (cached)."""
    return _cached_rules(str(rules_path()))


# ---------------------------------------------------------------------------------------------------- triage


def triage(findings: Iterable[str], rules: RuleSet | None = None) -> TriageResult:
    """Triage a set of ticked finding ids.

    The most urgent level among the rules that fire wins. Fired rules are listed most urgent first (file order
    within a level). Nothing ticked, or nothing firing, gives the least urgent level and the default reason.
    Raises ``SelectionError`` for a finding id the rules do not know. With nothing ticked the result also has
    ``awaiting_input`` set: a display shows ``NOTHING_TICKED_TITLE`` and ``NOTHING_TICKED`` instead of the level.
    """
    rules = rules or default_rules()
    if isinstance(findings, str):
        findings = [findings]
    selection = tuple(dict.fromkeys(findings))
    known = {f.id for f in rules.findings}
    unknown = [f for f in selection if f not in known]
    if unknown:
        raise SelectionError(f"unknown finding id(s) {unknown}; known ids: {sorted(known)}")
    ticked = frozenset(selection)
    fired = []
    for rule in rules.rules:
        matched = rule.matches(ticked)
        if matched is not None:
            fired.append(FiredRule(rule, rules.level(rule.urgency), matched))
    fired.sort(key=lambda fr: fr.level.rank)  # stable: file order kept within a level
    if fired:
        return TriageResult(fired[0].level, tuple(fired), selection)
    return TriageResult(rules.levels[-1], (), selection, rules.default_reason, rules.default_references)


# ---------------------------------------------------------------------------------------------------- imaging table

IMAGING_COLUMNS = ("finding", "age_years", "prevalence_percent", "population", "source_key", "source_note")


class ImagingRow(Record):
    """One published prevalence of an imaging finding in people without back pain, with its source."""

    finding: str
    age_years: int
    prevalence_percent: float
    population: str
    source_key: str
    source_note: str


def imaging_path() -> Path:
    """``data/red_flags/imaging-findings-without-pain.csv`` in the current data folder."""
    return data_dir() / "red_flags" / "imaging-findings-without-pain.csv"


def load_imaging_findings(path: str | Path | None = None,
                          reference_keys: Iterable[str] | None = None) -> tuple[ImagingRow, ...]:
    """Read the imaging-findings table (Brinjikji 2015). Raises ``DataValidationError`` naming row and column."""
    import csv

    path = Path(path) if path else imaging_path()
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataValidationError([Problem(file, "", "file not found")], "imaging table") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in IMAGING_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DataValidationError([Problem(file, "header", f"missing column(s) {missing}")], "imaging table")
    keys = set(reference_keys) if reference_keys is not None else set(load_references(references_path()))
    problems: list[Problem] = []
    rows: list[ImagingRow] = []
    for n, raw in enumerate(reader, start=2):
        where = f"line {n}"
        try:
            age = int(raw["age_years"])
            pct = float(raw["prevalence_percent"])
        except (TypeError, ValueError):
            problems.append(Problem(file, f"{where}", "age_years must be a whole number and prevalence_percent a "
                                                      "number"))
            continue
        if not 0 <= pct <= 100:
            problems.append(Problem(file, f"{where}.prevalence_percent", "must be between 0 and 100"))
        if raw["source_key"] not in keys:
            problems.append(Problem(file, f"{where}.source_key",
                                    f"unknown reference key {raw['source_key']!r}; add it to data/references.yaml"))
        for col in ("finding", "population", "source_note"):
            if not (raw.get(col) or "").strip():
                problems.append(Problem(file, f"{where}.{col}", "required text is missing"))
        rows.append(ImagingRow(raw["finding"].strip(), age, pct, (raw["population"] or "").strip(),
                               raw["source_key"], (raw["source_note"] or "").strip()))
    if problems:
        raise DataValidationError(problems, "imaging table")
    if not rows:
        raise DataValidationError([Problem(file, "", "the table has no rows")], "imaging table")
    return tuple(rows)


def imaging_text_alternative(rows: Iterable[ImagingRow]) -> str:
    """One sentence stating what the imaging chart shows, built from the same rows."""
    by_finding: dict[str, list[ImagingRow]] = {}
    for r in rows:
        by_finding.setdefault(r.finding, []).append(r)
    parts = []
    for finding, rs in by_finding.items():
        rs = sorted(rs, key=lambda r: r.age_years)
        parts.append(f"{finding.lower()} from {rs[0].prevalence_percent:g}% at age {rs[0].age_years} to "
                     f"{rs[-1].prevalence_percent:g}% at age {rs[-1].age_years}")
    lead = "In people without back pain, the share with each imaging finding rises with age: "
    return lead + "; ".join(parts) + "."
