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

`load_exercise` validates everything and raises `DataValidationError` listing every problem (file + field + what
to fix). `evaluate_placement` turns the learner's placements into a `SortingResult`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataValidationError, Problem, SelectionError
from ..paths import data_dir

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

TOP_FIELDS = {"id", "title", "instructions", "teaching_point", "last_reviewed", "categories", "items", "references"}
TOP_REQUIRED = ("id", "title", "instructions", "categories", "items", "references")
CATEGORY_FIELDS = {"id", "label", "description"}
ITEM_FIELDS = {"id", "text", "answer", "feedback", "hint", "also_acceptable", "references"}
ALSO_FIELDS = {"category", "feedback"}

#: Credit per status; the score is the mean over all items.
CREDIT = {"correct": 1.0, "acceptable": 0.5, "incorrect": 0.0, "unplaced": 0.0}
#: The word shown to the learner for each status (never colour alone).
STATUS_LABEL = {"correct": "Correct", "acceptable": "Not quite", "incorrect": "Incorrect", "unplaced": "Not placed"}


@dataclass(frozen=True)
class Category:
    """One box the learner can sort items into."""

    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class AlsoAcceptable:
    """A defensible but not best category for an item, with feedback saying why (half credit)."""

    category: str
    feedback: str


@dataclass(frozen=True)
class SortItem:
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


@dataclass(frozen=True)
class SortingExercise:
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


@dataclass(frozen=True)
class ItemVerdict:
    """How one item was placed and what to tell the learner."""

    item: SortItem
    placed: str | None
    status: str  # "correct" | "acceptable" | "incorrect" | "unplaced"
    feedback: str

    @property
    def label(self) -> str:
        """The word for the status: Correct / Not quite / Incorrect / Not placed."""
        return STATUS_LABEL[self.status]

    @property
    def credit(self) -> float:
        """1 for correct, 0.5 for also-acceptable, 0 otherwise."""
        return CREDIT[self.status]


@dataclass(frozen=True)
class SortingResult:
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


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _known_reference_keys() -> set[str] | None:
    """Keys of data/references.yaml, or None when the bibliography cannot be read (reported separately)."""
    from ..references import get_references

    try:
        return set(get_references())
    except DataValidationError:
        return None


def _check_refs(value: Any, file: str, field: str, known: set[str] | None, problems: list[Problem],
                required: bool) -> tuple[str, ...]:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or (required and not value):
        problems.append(Problem(file, field, "must be a non-empty list of reference keys from data/references.yaml"
                                if required else "must be a list of reference keys from data/references.yaml"))
        return ()
    keys: list[str] = []
    for i, key in enumerate(value):
        if not isinstance(key, str) or not KEBAB.match(key):
            problems.append(Problem(file, f"{field}[{i}]", "reference keys are kebab-case, e.g. foley-2013"))
        elif known is not None and key not in known:
            problems.append(Problem(file, f"{field}[{i}]", f"unknown reference key {key!r}: add it to "
                                                           "data/references.yaml or fix the spelling"))
        else:
            keys.append(key)
    return tuple(keys)


def parse_exercise(raw: Any, file: str = "<exercise>", expected_id: str | None = None,
                   reference_keys: set[str] | None = None) -> SortingExercise:
    """Validate an already-parsed YAML mapping and build the exercise.

    `expected_id` (the file name without `.yaml`) must equal the `id` field when given. `reference_keys` are the
    known bibliography keys (looked up from data/references.yaml when None). Raises DataValidationError listing
    every problem.
    """
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise DataValidationError([Problem(file, "", "must be a mapping with id, title, instructions, categories, "
                                                     "items and references")], "sorting exercise")
    known = reference_keys if reference_keys is not None else _known_reference_keys()

    for name in sorted(set(map(str, raw)) - TOP_FIELDS):
        problems.append(Problem(file, name, f"unknown field; allowed: {sorted(TOP_FIELDS)}"))
    for name in TOP_REQUIRED:
        if name not in raw:
            problems.append(Problem(file, name, "required field is missing"))

    ex_id = raw.get("id")
    if "id" in raw:
        if not isinstance(ex_id, str) or not KEBAB.match(ex_id):
            problems.append(Problem(file, "id", "must be kebab-case, e.g. pain-sorter"))
        elif expected_id is not None and ex_id != expected_id:
            problems.append(Problem(file, "id", f"is {ex_id!r} but the file is named {expected_id}.yaml; "
                                                "make them the same"))
    for name in ("title", "instructions"):
        if name in raw and not _text(raw[name]):
            problems.append(Problem(file, name, "must be non-empty text"))
    if "teaching_point" in raw and not _text(raw["teaching_point"]):
        problems.append(Problem(file, "teaching_point", "must be non-empty text (or leave the field out)"))
    last_reviewed = raw.get("last_reviewed", "")
    if "last_reviewed" in raw:
        last_reviewed = str(last_reviewed)  # YAML may parse an unquoted date
        if not DATE.match(last_reviewed):
            problems.append(Problem(file, "last_reviewed", "must be a date written YYYY-MM-DD"))

    # categories
    categories: list[Category] = []
    raw_cats = raw.get("categories")
    if "categories" in raw:
        if not isinstance(raw_cats, list) or len(raw_cats) < 2:
            problems.append(Problem(file, "categories", "must be a list of at least two categories "
                                                        "({id, label, description})"))
            raw_cats = raw_cats if isinstance(raw_cats, list) else []
        seen_cats: set[str] = set()
        for i, cat in enumerate(raw_cats):
            where = f"categories[{i}]"
            if not isinstance(cat, dict):
                problems.append(Problem(file, where, "must be a mapping with id, label and (optionally) description"))
                continue
            for name in sorted(set(map(str, cat)) - CATEGORY_FIELDS):
                problems.append(Problem(file, f"{where}.{name}", f"unknown field; allowed: {sorted(CATEGORY_FIELDS)}"))
            cid = cat.get("id")
            if not isinstance(cid, str) or not KEBAB.match(cid):
                problems.append(Problem(file, f"{where}.id", "required, kebab-case (e.g. musculoskeletal)"))
                continue
            if cid in seen_cats:
                problems.append(Problem(file, f"{where}.id", f"duplicate category id {cid!r}; ids must be unique"))
                continue
            seen_cats.add(cid)
            if not _text(cat.get("label")):
                problems.append(Problem(file, f"{where}.label", "required text (what the learner sees) is missing"))
                continue
            if "description" in cat and not _text(cat["description"]):
                problems.append(Problem(file, f"{where}.description", "must be non-empty text (or leave it out)"))
            categories.append(Category(cid, cat["label"].strip(), str(cat.get("description", "")).strip()))
    cat_ids = {c.id for c in categories}

    # items
    items: list[SortItem] = []
    raw_items = raw.get("items")
    if "items" in raw:
        if not isinstance(raw_items, list) or not raw_items:
            problems.append(Problem(file, "items", "must be a non-empty list of items to sort"))
            raw_items = []
        seen_items: set[str] = set()
        for i, item in enumerate(raw_items):
            where = f"items[{i}]"
            if not isinstance(item, dict):
                problems.append(Problem(file, where, "must be a mapping with id, text, answer and feedback"))
                continue
            before = len(problems)
            iid = item.get("id")
            if not isinstance(iid, str) or not KEBAB.match(iid):
                problems.append(Problem(file, f"{where}.id", "required, kebab-case (e.g. burning-feet)"))
            elif iid in seen_items:
                problems.append(Problem(file, f"{where}.id", f"duplicate item id {iid!r}; ids must be unique"))
            else:
                seen_items.add(iid)
                where = f"items[{i}] ({iid})"
            for name in sorted(set(map(str, item)) - ITEM_FIELDS):
                problems.append(Problem(file, f"{where}.{name}", f"unknown field; allowed: {sorted(ITEM_FIELDS)}"))
            for name in ("text", "feedback"):
                if not _text(item.get(name)):
                    what = "the description the learner sorts" if name == "text" else \
                        "why the item belongs in its answer category"
                    problems.append(Problem(file, f"{where}.{name}", f"required text is missing: {what}"))
            if "hint" in item and not _text(item["hint"]):
                problems.append(Problem(file, f"{where}.hint", "must be non-empty text (or leave it out)"))
            answer = item.get("answer")
            if not isinstance(answer, str) or not answer:
                problems.append(Problem(file, f"{where}.answer", "required: the id of the best category"))
            elif categories and answer not in cat_ids:
                problems.append(Problem(file, f"{where}.answer",
                                        f"{answer!r} is not a category id; use one of {sorted(cat_ids)}"))
            also: list[AlsoAcceptable] = []
            raw_also = item.get("also_acceptable", [])
            if not isinstance(raw_also, list):
                problems.append(Problem(file, f"{where}.also_acceptable", "must be a list of {category, feedback}"))
                raw_also = []
            seen_also: set[str] = set()
            for j, entry in enumerate(raw_also):
                w2 = f"{where}.also_acceptable[{j}]"
                if not isinstance(entry, dict):
                    problems.append(Problem(file, w2, "must be a mapping with category and feedback"))
                    continue
                for name in sorted(set(map(str, entry)) - ALSO_FIELDS):
                    problems.append(Problem(file, f"{w2}.{name}", f"unknown field; allowed: {sorted(ALSO_FIELDS)}"))
                cat = entry.get("category")
                if not isinstance(cat, str) or (categories and cat not in cat_ids):
                    problems.append(Problem(file, f"{w2}.category",
                                            f"{cat!r} is not a category id; use one of {sorted(cat_ids)}"))
                elif cat == answer:
                    problems.append(Problem(file, f"{w2}.category",
                                            "is the same as the answer; list only other, defensible categories"))
                elif cat in seen_also:
                    problems.append(Problem(file, f"{w2}.category", f"{cat!r} is listed twice"))
                if not _text(entry.get("feedback")):
                    problems.append(Problem(file, f"{w2}.feedback",
                                            "required text is missing: why this category is defensible but not best"))
                if isinstance(cat, str):
                    seen_also.add(cat)
                    also.append(AlsoAcceptable(cat, str(entry.get("feedback", "")).strip()))
            refs = _check_refs(item.get("references"), file, f"{where}.references", known, problems, required=False)
            if len(problems) == before:
                items.append(SortItem(
                    id=iid, text=item["text"].strip(), answer=answer, feedback=item["feedback"].strip(),
                    hint=str(item.get("hint", "")).strip(), also_acceptable=tuple(also), references=refs,
                ))

    refs = _check_refs(raw.get("references"), file, "references", known, problems, required=True) \
        if "references" in raw else ()

    if problems:
        raise DataValidationError(problems, "sorting exercise")
    return SortingExercise(
        id=ex_id, title=raw["title"].strip(), instructions=raw["instructions"].strip(),
        categories=tuple(categories), items=tuple(items), references=refs,
        teaching_point=str(raw.get("teaching_point", "")).strip(), last_reviewed=last_reviewed, source=file,
    )


def load_exercise(path: str | Path) -> SortingExercise:
    """Read and validate one exercise file. Raises DataValidationError (file + field + what to fix)."""
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataValidationError([Problem(file, "", "file not found")], "sorting exercise") from None
    except OSError as exc:
        raise DataValidationError([Problem(file, "", f"cannot be read: {exc}")], "sorting exercise") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataValidationError([Problem(file, "", f"not valid YAML: {exc}")], "sorting exercise") from None
    return parse_exercise(raw, file=file, expected_id=path.stem)


def get_exercise(exercise_id: str) -> SortingExercise:
    """Load `data/exercises/<exercise_id>.yaml`. Raises DataValidationError if it is missing or invalid."""
    if not isinstance(exercise_id, str) or not KEBAB.match(exercise_id):
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
    if placed == item.answer:
        return ItemVerdict(item, placed, "correct", item.feedback)
    also = item.acceptable(placed)
    if also is not None:
        return ItemVerdict(item, placed, "acceptable", also.feedback)
    label = exercise.category(placed).label
    nudge = item.hint or "Read the category descriptions again and try another one, or press Show answers."
    return ItemVerdict(item, placed, "incorrect", f"{label} is not the best fit. {nudge}")


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
    return tuple(ItemVerdict(it, it.answer, "correct", it.feedback) for it in exercise.items)
