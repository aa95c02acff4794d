"""Neuropathic pain screening: the DN4 score, its interpretation and its limits.

Pure logic (no ipywidgets). The items, sections, cut-off and limits live in `data/screening/dn4.yaml`.
DN4 (Bouhassira et al. 2005) has 10 items, one point each: 7 from the interview and 3 from examination of the
painful area. A total of 4 or more out of 10 suggests neuropathic pain. The tool detects neuropathic features;
it does not say where the lesion is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from ..logic.datafiles import (
    Checks,
    at,
    duplicate_ids,
    load_yaml_file,
    reference_keys,
    unknown_references,
)
from ..logic.errors import Problem, SelectionError
from ..logic.paths import data_dir
from ..logic.records import Record

#: The schema of a screening-tool file (data/schema/screening-tool.schema.json) and the name of the data in errors.
SCHEMA = "screening-tool"
WHAT = "DN4 screening data"
#: DN4 has exactly these many items and sections; a file that differs is not DN4.
DN4_ITEM_COUNT = 10
DN4_SECTIONS = {"interview": 7, "examination": 3}


class ScreeningItem(Record):
    """One yes/no item (1 point for yes)."""

    id: str
    section: str
    question: str
    label: str


class ScreeningSection(Record):
    """A block of items: the interview or the examination."""

    id: str
    label: str


class ScreeningTool(Record):
    """A yes/no screening questionnaire with a single cut-off."""

    name: str
    sections: tuple[ScreeningSection, ...]
    items: tuple[ScreeningItem, ...]
    cutoff: int
    limits: tuple[str, ...]
    references: tuple[str, ...]
    source: str

    @property
    def max_score(self) -> int:
        """The highest possible total (one point per item)."""
        return len(self.items)

    def in_section(self, section_id: str) -> tuple[ScreeningItem, ...]:
        """The items of one section, in questionnaire order."""
        return tuple(i for i in self.items if i.section == section_id)

    def item(self, item_id: str) -> ScreeningItem:
        """The item with this id; SelectionError naming the known ids if there is none."""
        for i in self.items:
            if i.id == item_id:
                return i
        raise SelectionError(f"unknown {self.name} item {item_id!r}; known items: {[i.id for i in self.items]}")


class ScreeningResult(Record):
    """A scored questionnaire: totals, whether the cut-off is reached, and what that does and does not mean."""

    tool: str
    score: int
    max_score: int
    cutoff: int
    section_scores: dict[str, int]
    section_max: dict[str, int]
    positive: bool
    interpretation: str
    limits: tuple[str, ...]

    @property
    def label(self) -> str:
        """A text label that does not rely on colour, e.g. 'At or above the cut-off'."""
        return "At or above the cut-off" if self.positive else "Below the cut-off"

    @property
    def score_text(self) -> str:
        """E.g. 'DN4 score 5 / 10 (interview 4/7, examination 1/3)'."""
        parts = ", ".join(f"{s} {self.section_scores[s]}/{self.section_max[s]}" for s in self.section_scores)
        return f"{self.tool} score {self.score} / {self.max_score} ({parts})"


def dn4_path() -> Path:
    """Where the DN4 data lives: `data/screening/dn4.yaml` of the current data folder."""
    return data_dir() / "screening" / "dn4.yaml"


def _cross_checks(refs: set[str]) -> Checks:
    def check(raw: dict, file: str) -> list[Problem]:
        problems = duplicate_ids(raw, "items", file, "item")
        source = raw.get("source")
        if source is not None and source not in refs:
            problems.append(Problem(file, "source", f"unknown reference key {source!r}: add it to "
                                                    "data/references.yaml or fix the spelling"))
        problems += unknown_references(raw, raw.get("references", []), ("references",), refs, file)
        cutoff = raw.get("cutoff")
        if isinstance(cutoff, int) and cutoff > DN4_ITEM_COUNT:
            problems.append(Problem(file, "cutoff", f"is {cutoff}: it must be a whole number from 1 to "
                                                    f"{DN4_ITEM_COUNT} (DN4 uses 4)"))
        section_ids = {s.get("id") for s in raw.get("sections", [])}
        if section_ids and section_ids != set(DN4_SECTIONS):
            problems.append(Problem(file, "sections", f"DN4 has exactly the sections {sorted(DN4_SECTIONS)}"))
        items = raw.get("items", [])
        if len(items) != DN4_ITEM_COUNT:
            problems.append(Problem(file, "items", f"DN4 has {DN4_ITEM_COUNT} items; this file has {len(items)}"))
        counts = dict.fromkeys(DN4_SECTIONS, 0)
        for i, it in enumerate(items):
            sec = it.get("section")
            if sec not in section_ids:
                problems.append(Problem(file, at(raw, "items", i, "section"),
                                        f"unknown section {sec!r}; use one of {sorted(section_ids)}"))
            if sec in counts:
                counts[sec] += 1
        if len(items) == DN4_ITEM_COUNT and counts != DN4_SECTIONS:
            problems.append(Problem(file, "items", f"DN4 has 7 interview and 3 examination items; this file has "
                                                   f"{counts}"))
        return problems

    return check


def load_dn4(path: Path | None = None) -> ScreeningTool:
    """Load and validate the DN4 file; DataValidationError lists every problem (file + field + fix)."""
    path = Path(path) if path else dn4_path()
    raw = load_yaml_file(path, SCHEMA, WHAT, _cross_checks(reference_keys()))
    return ScreeningTool(
        name=raw["tool"].strip(),
        sections=tuple(ScreeningSection(s["id"].strip(), s["label"].strip()) for s in raw["sections"]),
        items=tuple(
            ScreeningItem(i["id"].strip(), i["section"].strip(), str(i["question"]).strip(), i["label"].strip())
            for i in raw["items"]
        ),
        cutoff=raw["cutoff"],
        limits=tuple(" ".join(x.split()) for x in raw["limits"]),
        references=tuple(raw["references"]),
        source=str(path),
    )


@lru_cache(maxsize=4)
def _cached(path: str) -> ScreeningTool:
    return load_dn4(Path(path))


def dn4() -> ScreeningTool:
    """The course's DN4 definition (cached)."""
    return _cached(str(dn4_path()))


def _yes_items(answers: Iterable[str] | Mapping[str, bool], tool: ScreeningTool) -> set[str]:
    if isinstance(answers, str):
        answers = [answers]
    if isinstance(answers, Mapping):
        for key, value in answers.items():
            tool.item(key)
            if not isinstance(value, bool):
                raise SelectionError(f"answer for {key!r} must be True (yes) or False (no), not {value!r}")
        return {k for k, v in answers.items() if v}
    yes = set(answers)
    for key in yes:
        tool.item(key)
    return yes


def interpret_dn4(score: int, cutoff: int = 4, max_score: int = DN4_ITEM_COUNT) -> str:
    """The teaching interpretation of a DN4 total."""
    if not 0 <= score <= max_score:
        raise SelectionError(f"a DN4 score runs from 0 to {max_score}; got {score}")
    if score >= cutoff:
        return (
            f"{score}/{max_score} is at or above the cut-off of {cutoff}: neuropathic features are reported in the "
            "painful area, which suggests a neuropathic component. Check that they are new and belong to this pain: "
            "old MS sensory loss in the same area also scores. The score does not say where the lesion is: a "
            "compressed nerve root (radicular pain) and a spinal cord lesion both score positive. Use the pattern "
            "of signs to localise it."
        )
    return (
        f"{score}/{max_score} is below the cut-off of {cutoff}: a neuropathic component is less likely. Screening "
        "tools miss some neuropathic pain, so weigh the score against the history and examination."
    )


def score_dn4(answers: Iterable[str] | Mapping[str, bool], tool: ScreeningTool | None = None) -> ScreeningResult:
    """Score DN4 from the items answered yes.

    `answers` is either the ids of the items answered yes, or a mapping item id -> True/False. Items not given
    count as no. Unknown ids raise SelectionError.
    """
    t = tool or dn4()
    yes = _yes_items(answers, t)
    section_scores = {s.id: sum(1 for i in t.in_section(s.id) if i.id in yes) for s in t.sections}
    section_max = {s.id: len(t.in_section(s.id)) for s in t.sections}
    score = len(yes)
    return ScreeningResult(
        tool=t.name,
        score=score,
        max_score=t.max_score,
        cutoff=t.cutoff,
        section_scores=section_scores,
        section_max=section_max,
        positive=score >= t.cutoff,
        interpretation=interpret_dn4(score, t.cutoff, t.max_score),
        limits=t.limits,
    )
