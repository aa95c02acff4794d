"""Sorting exercises: the learner places each item (e.g. a pain description) into one category.

Pure logic, no widgets. An exercise lives in ``data/exercises/<id>.yaml``::

    id: pain-sorter                      # kebab-case, must equal the file name without .yaml
    title: Sort the pain descriptions
    instructions: Put each description under ...
    teaching_point: One sentence shown with the score (optional)
    last_reviewed: 2026-11-21            # optional, YYYY-MM-DD
    categories:
      - {id: musculoskeletal, label: Musculoskeletal pain, description: ...}   # description optional
    items:
      - id: cramping-calves
        text: "Cramping, pulling ache in both calves ..."
        answer: musculoskeletal          # the best category (a category id)
        feedback: Why it belongs there.  # shown when placed correctly and under "Show answers"
        hint: A nudge without the answer  # optional, shown when placed wrongly
        also_acceptable:                 # optional: defensible but not best (half credit)
          - {category: mixed, feedback: Why this is defensible and why the answer is better.}
        references: [truini-2013]        # optional, keys from data/references.yaml
    references: [oconnor-2008]           # keys from data/references.yaml (at least one)

The structure is checked by data/schema/sorting-exercise.schema.json, the cross-references here.
`load_exercise` validates everything and raises `DataValidationError` listing every problem (file + field + what
to fix). `evaluate_placement` turns the learner's placements into a `SortingResult`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..logic.datafiles import Checks, at, duplicate_ids, reference_keys, unknown_references, validate_data
from ..logic.errors import DataValidationError, Problem, SelectionError
from ..logic.ids import is_kebab
from ..logic.paths import data_dir
from ..logic.records import Record
from ..logic.yamlfile import read_yaml

#: The schema of an exercise file (data/schema/sorting-exercise.schema.json) and the name of the data in errors.
SCHEMA = "sorting-exercise"
WHAT = "sorting exercise"

#: Credit per status; the score is the mean over all items.
CREDIT = {"correct": 1.0, "acceptable": 0.5, "incorrect": 0.0, "unplaced": 0.0}
#: The word shown to the learner for each status (never colour alone).
STATUS_LABEL = {"correct": "Correct", "acceptable": "Not quite", "incorrect": "Incorrect", "unplaced": "Not placed"}


class Category(Record):
    """One box the learner can sort items into."""

    id: str
    label: str
    description: str = ""


class AlsoAcceptable(Record):
    """A defensible but not best category for an item, with feedback saying why (half credit)."""

    category: str
    feedback: str


class SortItem(Record):
    """One thing to sort, with its best category and the explanation."""

    id: str
    text: str
    answer: str
    feedback: str
    hint: str = ""
    also_acceptable: tuple[AlsoAcceptable, ...] = ()
    references: tuple[str, ...] = ()

    def acceptable(self, category_id: str) -> AlsoAcceptable | None:
        """The also-acceptable entry for this category, or None."""
        for entry in self.also_acceptable:
            if entry.category == category_id:
                return entry
        return None


class SortingExercise(Record):
    """A whole sorting exercise, validated."""

    id: str
    title: str
    instructions: str
    categories: tuple[Category, ...]
    items: tuple[SortItem, ...]
    references: tuple[str, ...]
    teaching_point: str = ""
    last_reviewed: str = ""
    source: str = ""

    def category(self, category_id: str) -> Category:
        """The category with this id; KeyError if there is none."""
        for cat in self.categories:
            if cat.id == category_id:
                return cat
        raise KeyError(f"exercise {self.id!r} has no category {category_id!r}")

    def item(self, item_id: str) -> SortItem:
        """The item with this id; KeyError if there is none."""
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(f"exercise {self.id!r} has no item {item_id!r}")

    @property
    def all_references(self) -> tuple[str, ...]:
        """Exercise references followed by any item-level ones, without duplicates, in first-seen order."""
        seen: dict[str, None] = dict.fromkeys(self.references)
        for it in self.items:
            seen.update(dict.fromkeys(it.references))
        return tuple(seen)


class ItemVerdict(Record):
    """How one item was placed and what to tell the learner."""

    item: SortItem
    placed: str | None
    status: str  # "correct" | "acceptable" | "incorrect" | "unplaced"
    feedback: str
    category_label: str = ""  # the label of the category it was placed in ("" when not placed)

    @property
    def label(self) -> str:
        """The word for the status: Correct / Not quite / Incorrect / Not placed."""
        return STATUS_LABEL[self.status]

    @property
    def headline(self) -> str:
        """The verdict as a sentence of its own, shown on the line above the feedback, e.g.
        'Correct: this belongs under “Spasticity-related pain”.' (never "Correct. Spasticity." run together)."""
        if self.status == "correct" and self.category_label:
            return f"{self.label}: this belongs under “{self.category_label}”."
        if self.status == "acceptable" and self.category_label:
            return f"{self.label}: “{self.category_label}” is defensible, but not the best fit."
        return f"{self.label}."

    @property
    def credit(self) -> float:
        """1 for correct, 0.5 for also-acceptable, 0 otherwise."""
        return CREDIT[self.status]


class SortingResult(Record):
    """The learner's whole sorting, marked."""

    exercise_id: str
    verdicts: tuple[ItemVerdict, ...]
    score: float  # 0..1, mean credit over all items (unplaced items count 0)

    def count(self, status: str) -> int:
        """How many items have this status."""
        return sum(1 for v in self.verdicts if v.status == status)

    @property
    def complete(self) -> bool:
        """True when every item has been placed."""
        return self.count("unplaced") == 0

    def verdict(self, item_id: str) -> ItemVerdict:
        """The verdict for one item; KeyError if unknown."""
        for v in self.verdicts:
            if v.item.id == item_id:
                return v
        raise KeyError(item_id)

    @property
    def summary(self) -> str:
        """One sentence: how many correct, partly correct, incorrect, not placed."""
        n = len(self.verdicts)
        parts = [f"{self.count('correct')} of {n} correct"]
        if self.count("acceptable"):
            parts.append(f"{self.count('acceptable')} defensible but not the best fit")
        if self.count("incorrect"):
            parts.append(f"{self.count('incorrect')} incorrect")
        if self.count("unplaced"):
            parts.append(f"{self.count('unplaced')} not placed yet")
        return ", ".join(parts) + f" (score {round(self.score * 100)}%)."


# --------------------------------------------------------------------------------------------------- loading


def exercises_dir() -> Path:
    """The folder holding exercise files (`data/exercises` of the current data folder)."""
    return data_dir() / "exercises"


def _known_reference_keys() -> set[str] | None:
    """Keys of data/references.yaml, or None when the bibliography cannot be read (reported separately)."""
    try:
        return reference_keys()
    except DataValidationError:
        return None


def _cross_checks(expected_id: str | None, known: set[str] | None) -> Checks:
    """The rules the schema cannot express: file name, unique ids, answers that are categories, known references."""

    def check(raw: dict, file: str) -> list[Problem]:
        problems = duplicate_ids(raw, "categories", file, "category") + duplicate_ids(raw, "items", file, "item")
        if expected_id is not None and raw["id"] != expected_id:
            problems.append(Problem(file, "id", f"is {raw['id']!r} but the file is named {expected_id}.yaml; "
                                                "make them the same"))
        cat_ids = sorted({c["id"] for c in raw["categories"]})
        for i, item in enumerate(raw["items"]):
            answer = item["answer"]
            if answer not in cat_ids:
                problems.append(Problem(file, at(raw, "items", i, "answer"),
                                        f"{answer!r} is not a category id; use one of {cat_ids}"))
            seen: set[str] = set()
            for j, entry in enumerate(item.get("also_acceptable", [])):
                cat, where = entry["category"], at(raw, "items", i, "also_acceptable", j, "category")
                if cat not in cat_ids:
                    problems.append(Problem(file, where, f"{cat!r} is not a category id; use one of {cat_ids}"))
                elif cat == answer:
                    problems.append(Problem(file, where, "is the same as the answer; list only other, defensible "
                                                         "categories"))
                elif cat in seen:
                    problems.append(Problem(file, where, f"{cat!r} is listed twice; keep one"))
                seen.add(cat)
            if known is not None:
                problems += unknown_references(raw, item.get("references", []), ("items", i, "references"), known,
                                               file)
        if known is not None:
            problems += unknown_references(raw, raw["references"], ("references",), known, file)
        return problems

    return check


def parse_exercise(raw: Any, file: str = "<exercise>", expected_id: str | None = None,
                   reference_keys: set[str] | None = None) -> SortingExercise:
    """Validate an already-parsed YAML mapping and build the exercise.

    `expected_id` (the file name without `.yaml`) must equal the `id` field when given. `reference_keys` are the
    known bibliography keys (looked up from data/references.yaml when None). Raises DataValidationError listing
    every problem (data/schema/sorting-exercise.schema.json, then the cross-references).
    """
    known = reference_keys if reference_keys is not None else _known_reference_keys()
    validate_data(raw, SCHEMA, file, WHAT, _cross_checks(expected_id, known))
    return _build(raw, file)


def _build(raw: dict, file: str) -> SortingExercise:
    categories = tuple(Category(c["id"], c["label"].strip(), c.get("description", "").strip())
                       for c in raw["categories"])
    items = tuple(
        SortItem(
            id=it["id"], text=it["text"].strip(), answer=it["answer"], feedback=it["feedback"].strip(),
            hint=it.get("hint", "").strip(),
            also_acceptable=tuple(AlsoAcceptable(a["category"], a["feedback"].strip())
                                  for a in it.get("also_acceptable", [])),
            references=tuple(it.get("references", [])),
        )
        for it in raw["items"]
    )
    return SortingExercise(
        id=raw["id"], title=raw["title"].strip(), instructions=raw["instructions"].strip(),
        categories=categories, items=items, references=tuple(raw["references"]),
        teaching_point=raw.get("teaching_point", "").strip(), last_reviewed=raw.get("last_reviewed", ""),
        source=file,
    )


def load_exercise(path: str | Path) -> SortingExercise:
    """Read and validate one exercise file. Raises DataValidationError (file + field + what to fix)."""
    path = Path(path)
    file = str(path)
    raw, problems = read_yaml(path)
    if problems:
        raise DataValidationError(problems, WHAT)
    return parse_exercise(raw, file=file, expected_id=path.stem)


def get_exercise(exercise_id: str) -> SortingExercise:
    """Load `data/exercises/<exercise_id>.yaml`. Raises DataValidationError if it is missing or invalid."""
    if not is_kebab(exercise_id):
        raise DataValidationError([Problem(str(exercises_dir()), "exercise_id",
                                           f"{exercise_id!r} is not a kebab-case exercise id")], "sorting exercise")
    path = exercises_dir() / f"{exercise_id}.yaml"
    if not path.exists():
        available = sorted(p.stem for p in exercises_dir().glob("*.yaml")) if exercises_dir().is_dir() else []
        raise DataValidationError([Problem(str(path), "", f"no exercise {exercise_id!r}; available: {available}")],
                                  "sorting exercise")
    return load_exercise(path)


# ------------------------------------------------------------------------------------------------ evaluation


def _verdict(exercise: SortingExercise, item: SortItem, placed: str | None) -> ItemVerdict:
    if placed is None:
        return ItemVerdict(item, None, "unplaced", "Choose a category for this item.")
    label = exercise.category(placed).label
    if placed == item.answer:
        return ItemVerdict(item, placed, "correct", item.feedback, label)
    also = item.acceptable(placed)
    if also is not None:
        return ItemVerdict(item, placed, "acceptable", also.feedback, label)
    nudge = item.hint or "Read the category descriptions again and try another one, or press Show answers."
    return ItemVerdict(item, placed, "incorrect", f"{label} is not the best fit. {nudge}", label)


def evaluate_placement(exercise: SortingExercise, placements: Mapping[str, str | None]) -> SortingResult:
    """Mark a learner's sorting.

    `placements` maps item id -> category id (None or a missing item means "not placed yet"). Raises
    SelectionError for an unknown item or category id. Each item gets a verdict: correct (1 point), acceptable
    ("Not quite", 0.5), incorrect (0) or unplaced (0); the score is the mean over all items.
    """
    if not isinstance(placements, Mapping):
        raise SelectionError("placements must be a mapping of item id -> category id")
    item_ids = {it.id for it in exercise.items}
    cat_ids = {c.id for c in exercise.categories}
    for item_id, cat_id in placements.items():
        if item_id not in item_ids:
            raise SelectionError(f"unknown item {item_id!r} in exercise {exercise.id!r}; items: {sorted(item_ids)}")
        if cat_id is not None and cat_id not in cat_ids:
            raise SelectionError(f"unknown category {cat_id!r} for item {item_id!r}; categories: {sorted(cat_ids)}")
    verdicts = tuple(_verdict(exercise, it, placements.get(it.id)) for it in exercise.items)
    score = sum(v.credit for v in verdicts) / len(verdicts)
    return SortingResult(exercise.id, verdicts, score)


def answer_key(exercise: SortingExercise) -> tuple[ItemVerdict, ...]:
    """Every item placed in its best category, with the explanation (for "Show answers")."""
    return tuple(ItemVerdict(it, it.answer, "correct", it.feedback, exercise.category(it.answer).label)
                 for it in exercise.items)
