"""The question types beyond single and multiple choice: matching, ordering and numeric. Plain Python, no widgets.

Each is a :class:`~mslbp_widgets.logic.cases.model.Question` subtype chosen by the question's ``type:`` field, so
everything that walks a case's questions (ids, prompts, teaching points, references) works unchanged; the places
that show or judge the answer dispatch on ``question.type in QTYPES``.

matching    items to categories (e.g. findings -> kind of pain): ``categories`` (id, text) and ``items`` (id, text,
            the ``category`` it belongs to, ``feedback``). Learners choose a category for every item.
ordering    a sequence (e.g. emergency actions): ``steps`` (id, text, ``feedback``) written in the right order;
            learners see them in a stable shuffled order that is never already the right one, and move them.
numeric     a value (e.g. a score): ``unit``, the values a learner may give (``min``, ``max``, ``decimals``) and
            ``bands``: ranges (``from``, ``to``, both included) that together cover every value from ``min`` to
            ``max``, each with ``feedback``; exactly one band is ``correct`` (the accepted range), others may be
            ``acceptable`` (half marks).

This module holds the model, its building from a validated mapping (:func:`qtype_from_dict`), the integrity
rules the schema cannot express (:func:`check_qtype`), the reading of a typed number (:meth:`NumericQuestion.parse`)
and the plain-text lines of ``preview`` (:func:`preview_lines`). Scoring is in :mod:`mslbp_widgets.logic.qtype_scoring`.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from ..errors import Problem, SelectionError
from ..records import Record
from .model import Question, by_id

#: The question types defined here (single and multiple choice are :class:`Question` itself).
QTYPES = ("matching", "ordering", "numeric")

#: How each type asks, in the same words in the widget, presenter mode and preview.
HOW_TO_ANSWER = {
    "matching": "choose a category for each item",
    "ordering": "put the steps in order",
    "numeric": "give a number",
}


def _seeded_shuffle(key: Iterable[str], items: Iterable[Any]) -> list[Any]:
    seed = hashlib.sha256("\x1f".join(key).encode()).hexdigest()
    order = list(items)
    random.Random(seed).shuffle(order)
    return order


# ------------------------------------------------------------------------------------------------ matching


class Category(Record):
    """One category items are matched to (e.g. a kind of pain)."""

    id: str
    text: str


class MatchItem(Record):
    """One item to match, the category it belongs to, and the feedback that explains why."""

    id: str
    text: str
    category: str
    feedback: str


class MatchingQuestion(Question):
    """Match every item to one category. ``options`` is empty: the answer is a category per item."""

    categories: tuple[Category, ...] = ()
    items: tuple[MatchItem, ...] = ()

    def display_items(self) -> tuple[MatchItem, ...]:
        """The items in the order learners see them (a stable shuffle, as for options; file order with
        ``shuffle: false``). Categories keep the file's order."""
        if not self.shuffle:
            return self.items
        return tuple(_seeded_shuffle([self.id, *(i.id for i in self.items)], self.items))

    def category(self, category_id: str) -> Category:
        return by_id(self.categories, category_id, f"question {self.id!r}", "category")

    def item(self, item_id: str) -> MatchItem:
        return by_id(self.items, item_id, f"question {self.id!r}", "item")


# ------------------------------------------------------------------------------------------------ ordering


class OrderStep(Record):
    """One step of a sequence, and the feedback that explains its place."""

    id: str
    text: str
    feedback: str


class OrderingQuestion(Question):
    """Put the steps in order. ``steps`` are in the right order; ``options`` is empty."""

    steps: tuple[OrderStep, ...] = ()

    def start_order(self) -> tuple[OrderStep, ...]:
        """The order learners (and the room) first see: a stable shuffle from the ids, never the right order (if
        the shuffle gives it, the steps are rotated by one)."""
        order = _seeded_shuffle([self.id, *(s.id for s in self.steps)], self.steps)
        if tuple(order) == self.steps:
            order = order[1:] + order[:1]
        return tuple(order)

    def position(self, step_id: str) -> int:
        """The right position of a step, counting from 1."""
        for n, s in enumerate(self.steps, start=1):
            if s.id == step_id:
                return n
        raise KeyError(f"question {self.id!r} has no step {step_id!r}")

    def step(self, step_id: str) -> OrderStep:
        return self.steps[self.position(step_id) - 1]


# ------------------------------------------------------------------------------------------------ numeric


class Band(Record):
    """A range of values (``low`` to ``high``, both included) and the feedback for an answer in it."""

    low: float
    high: float
    feedback: str
    correct: bool = False
    acceptable: bool = False
    label: str = ""

    @property
    def status(self) -> Literal["correct", "acceptable", "incorrect"]:
        """``correct`` (the accepted range), ``acceptable`` (close: half marks) or ``incorrect``."""
        return "correct" if self.correct else "acceptable" if self.acceptable else "incorrect"


#: A band's status in words, the same in the feedback, "Why not the others?", ``preview`` and presenter mode: plain
#: and distinct ("acceptable" beside "accepted" confused learners).
BAND_STATUS = {"correct": "Correct", "acceptable": "Close: half marks", "incorrect": "Not correct"}


def _number_text(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


class NumericQuestion(Question):
    """Give a number from ``minimum`` to ``maximum`` with at most ``decimals`` decimals; ``bands`` judge it."""

    unit: str = ""
    minimum: float = 0
    maximum: float = 0
    decimals: int = 0
    bands: tuple[Band, ...] = ()

    def format(self, value: float) -> str:
        """A value as the course writes it, with its unit: ``4 points``, ``150 mL``."""
        text = _number_text(value, self.decimals)
        return f"{text} {self.unit}".strip()

    def band_words(self, band: Band) -> str:
        """A band as words: its label if it has one, else ``4 to 6 points`` (or ``4 points`` for one value)."""
        low, high = _number_text(band.low, self.decimals), _number_text(band.high, self.decimals)
        span = f"{low} {self.unit}".strip() if low == high else f"{low} to {high} {self.unit}".strip()
        return f"{band.label} ({span})" if band.label else span

    def range_words(self) -> str:
        """What a learner may type: ``a whole number from 0 to 10`` or ``a number from 0 to 900 (1 decimal)``."""
        kind = "a whole number" if self.decimals == 0 else (
            f"a number with at most {self.decimals} decimal{'s' if self.decimals > 1 else ''}")
        low, high = _number_text(self.minimum, self.decimals), _number_text(self.maximum, self.decimals)
        return f"{kind} from {low} to {high}" + (f" ({self.unit})" if self.unit else "")

    @property
    def accepted(self) -> Band:
        """The accepted range (the band marked ``correct``)."""
        return next(b for b in self.bands if b.correct)

    def direction(self, value: float) -> str:
        """Where ``value`` lies from the accepted range, without giving the range: ``too low``, ``too high`` or
        ``""`` (inside it)."""
        band = self.accepted
        return "too low" if value < band.low else "too high" if value > band.high else ""

    def band_for(self, value: float) -> Band | None:
        """The band holding ``value`` (None outside every band: a value the question does not allow)."""
        for band in self.bands:
            if band.low <= value <= band.high:
                return band
        return None

    def parse(self, text: object) -> float:
        """A typed answer as a number, or SelectionError saying what to type. A decimal comma is read as a point;
        spaces and the unit after the number are allowed."""
        raw = str(text if text is not None else "").strip()
        if self.unit and raw.lower().endswith(self.unit.lower()):
            raw = raw[: -len(self.unit)].strip()
        raw = raw.replace(",", ".").replace(" ", "")
        if not raw:
            raise SelectionError(f"Write your answer first: {self.range_words()}.")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise SelectionError(f"{str(text).strip()[:40]!r} is not a number: write {self.range_words()}.") from None
        if not number.is_finite():
            raise SelectionError(f"Write {self.range_words()}.")
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.decimals and number != number.to_integral_value():
            places = "no decimals" if self.decimals == 0 else f"at most {self.decimals} decimal(s)"
            raise SelectionError(f"Give {places}: write {self.range_words()}.")
        value = float(number)
        if not self.minimum <= value <= self.maximum:
            raise SelectionError(f"{raw} is outside the values this question allows: write {self.range_words()}.")
        return int(value) if self.decimals == 0 else round(value, self.decimals)


# ------------------------------------------------------------------------------------------------ building


def qtype_from_dict(q: dict) -> Question:
    """Build a matching, ordering or numeric question from a schema-valid mapping."""
    common = {
        "id": q["id"],
        "prompt": q["prompt"].strip(),
        "type": q["type"],
        "options": (),
        "teaching_point": q["teaching_point"].strip(),
        "references": tuple(q.get("references", ())),
    }
    if q["type"] == "matching":
        return MatchingQuestion(
            **common,
            shuffle=bool(q.get("shuffle", True)),
            categories=tuple(Category(c["id"], c["text"].strip()) for c in q["categories"]),
            items=tuple(MatchItem(i["id"], i["text"].strip(), i["category"], i["feedback"].strip())
                        for i in q["items"]),
        )
    if q["type"] == "ordering":
        return OrderingQuestion(
            **common, steps=tuple(OrderStep(s["id"], s["text"].strip(), s["feedback"].strip()) for s in q["steps"]))
    if q["type"] == "numeric":
        return NumericQuestion(
            **common,
            unit=str(q.get("unit", "")).strip(),
            minimum=q["min"],
            maximum=q["max"],
            decimals=int(q.get("decimals", 0)),
            bands=tuple(Band(low=b["from"], high=b["to"], feedback=b["feedback"].strip(),
                             correct=bool(b.get("correct", False)), acceptable=bool(b.get("acceptable", False)),
                             label=str(b.get("label", "")).strip()) for b in q["bands"]),
        )
    raise ValueError(f"not a question type of this module: {q['type']!r}")


# ------------------------------------------------------------------------------------------------ validation


def _decimals_of(value: float) -> int:
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def check_qtype(q: dict, qp: str, file: str, refs: set[str] | None) -> list[Problem]:
    """The integrity rules of a schema-valid matching, ordering or numeric question at field path ``qp``.

    matching-ids        item ids are unique, category ids are unique
    matching-category   every item names one of the question's categories
    ordering-ids        step ids are unique
    numeric-range       ``min`` is below ``max``
    numeric-decimals    every bound has at most ``decimals`` decimals
    numeric-band        every band runs upwards (``from`` <= ``to``) and lies within ``min``..``max``
    numeric-cover       the bands cover every allowed value once: no gap, no overlap
    numeric-answer      exactly one band is ``correct``; ``acceptable`` only on bands that are not
    references          every reference key resolves
    """
    problems: list[Problem] = []

    def add(where: str, message: str) -> None:
        problems.append(Problem(file, f"{qp}{where}", message))

    def unique(entries: list[dict], field: str, what: str) -> list[str]:
        seen: list[str] = []
        for i, entry in enumerate(entries):
            if entry["id"] in seen:
                add(f".{field}[{i}].id", f"{what} id {entry['id']!r} is used twice in this question: make it unique")
            seen.append(entry["id"])
        return seen

    kind = q["type"]
    if kind == "matching":
        unique(q["items"], "items", "item")
        categories = unique(q["categories"], "categories", "category")
        for i, item in enumerate(q["items"]):
            if item["category"] not in categories:
                add(f".items[{i}].category", f"no category {item['category']!r} in this question; use one of: "
                                             f"{', '.join(dict.fromkeys(categories))}")
    elif kind == "ordering":
        unique(q["steps"], "steps", "step")
    elif kind == "numeric":
        problems += _check_numeric(q, add)
    if refs is not None:
        for ri, key in enumerate(q.get("references", [])):
            if key not in refs:
                add(f".references[{ri}]", f"unknown reference key {key!r}: add it to data/references.yaml or fix it")
    return problems


def _check_numeric(q: dict, add: Callable[[str, str], None]) -> list[Problem]:
    low, high, places = q["min"], q["max"], q.get("decimals", 0)
    if low >= high:
        add(".max", f"`max` ({high}) must be above `min` ({low})")
        return []
    step = Decimal(1).scaleb(-places)
    for name, value in (("min", low), ("max", high)):
        if _decimals_of(value) > places:
            add(f".{name}", f"{value} has more decimals than `decimals: {places}` allows: round it or raise `decimals`")
    bands = q["bands"]
    fine = True
    for i, band in enumerate(bands):
        for name in ("from", "to"):
            if _decimals_of(band[name]) > places:
                add(f".bands[{i}].{name}", f"{band[name]} has more decimals than `decimals: {places}` allows: round "
                                           "it or raise `decimals`")
                fine = False
        if band["from"] > band["to"]:
            add(f".bands[{i}]", f"the band runs downwards (from {band['from']} to {band['to']}): swap `from` and `to`")
            fine = False
        elif band["from"] < low or band["to"] > high:
            add(f".bands[{i}]", f"the band ({band['from']} to {band['to']}) reaches outside the allowed values "
                                f"({low} to {high}): keep it within `min` and `max`")
            fine = False
    if fine:
        ordered = sorted(range(len(bands)), key=lambda i: (bands[i]["from"], bands[i]["to"]))
        expected = Decimal(str(low))
        for i in ordered:
            start, end = Decimal(str(bands[i]["from"])), Decimal(str(bands[i]["to"]))
            if start > expected:
                gap_end = start - step
                gap = f"{expected}" if gap_end == expected else f"{expected} to {gap_end}"
                add(".bands", f"no band covers {gap}: every value a learner may give needs a band with feedback")
            elif start < expected:
                add(f".bands[{i}]", f"the band ({bands[i]['from']} to {bands[i]['to']}) overlaps the band before it: "
                                    "a value must fall in exactly one band")
            expected = max(expected, end + step)
        if expected - step < Decimal(str(high)):
            rest = expected if expected == Decimal(str(high)) else f"{expected} to {high}"
            add(".bands", f"no band covers {rest}: every value a learner may give needs a band with feedback")
    n_correct = sum(1 for b in bands if b.get("correct"))
    if n_correct != 1:
        add(".bands", f"a numeric question needs exactly one band with `correct: true` (the accepted range); this "
                      f"one has {n_correct}")
    for i, band in enumerate(bands):
        if band.get("correct") and band.get("acceptable"):
            add(f".bands[{i}].acceptable", "the band is both correct and acceptable: `acceptable` is for a "
                                           "defensible range that is not the accepted one; remove one of them")
    return []


# ------------------------------------------------------------------------------------------------ preview


def preview_lines(q: Question, answers: bool, para: Callable[..., str]) -> list[str]:
    """The plain-text lines ``preview`` prints for a matching, ordering or numeric question (``para`` wraps a
    paragraph as authoring's preview does); with ``answers``, the key, every feedback and the teaching point. The
    question's references are cited by the caller (authoring's ``citations_text``, one home for citing)."""
    lines = [para(f"Question: {q.prompt} ({HOW_TO_ANSWER[q.type]})"), ""]
    if isinstance(q, MatchingQuestion):
        lines.append("  Categories: " + "; ".join(c.text for c in q.categories))
        for n, item in enumerate(q.display_items(), start=1):
            mark = f" [{q.category(item.category).text}]" if answers else ""
            lines.append(para(f"{n}. {item.text}{mark}", "  ", hanging="     "))
            if answers:
                lines.append(para(f"Feedback: {item.feedback}", "     ", hanging=" " * len("     Feedback: ")))
    elif isinstance(q, OrderingQuestion):
        shown = q.start_order()
        lines.append("  As learners first see them:")
        for letter, step in zip("ABCDEFGHIJ", shown, strict=False):
            mark = f" [step {q.position(step.id)}]" if answers else ""
            lines.append(para(f"{letter}. {step.text}{mark}", "  ", hanging="     "))
        if answers:
            lines += ["", "  The right order:"]
            for n, step in enumerate(q.steps, start=1):
                lines.append(para(f"{n}. {step.text}", "  ", hanging="     "))
                lines.append(para(f"Feedback: {step.feedback}", "     ", hanging=" " * len("     Feedback: ")))
    elif isinstance(q, NumericQuestion):
        lines.append(para(f"Answer: {q.range_words()}", "  "))
        if answers:
            for band in q.bands:
                status = BAND_STATUS[band.status]
                lines.append(para(f"[{status}] {q.band_words(band)}", "  ", hanging="    "))
                lines.append(para(f"Feedback: {band.feedback}", "     ", hanging=" " * len("     Feedback: ")))
    if answers:
        lines += ["", para(f"Teaching point: {q.teaching_point}")]
    return lines


# ------------------------------------------------------------------------------------------------ item writing

_ORDER_CUE = re.compile(r"^\s*(\d+[.)]|step \d+|first(ly)?|second(ly)?|then|next|finally|lastly|last)\b",
                        re.IGNORECASE)
#: An accepted range wider than this share of the allowed values rewards a guess in the middle.
WIDE_BAND_SHARE = 0.5


def item_notes(q: Question) -> list[tuple[str, str]]:
    """Item-writing warnings for a matching, ordering or numeric question, as (field suffix, message) pairs.

    The option-length rules are for choice questions only (there are no options here). Instead: matching warns when
    every item belongs to one category (a learner who spots it scores full marks) and on "all / none of the above"
    as a category; ordering warns when a step's text gives its place away ("First…", "Then…", "3."); numeric warns
    when the accepted range covers more than half of the values a learner may give (a guess in the middle scores).
    The negative-stem rule applies to every type (see :mod:`mslbp_widgets.logic.cases.items`).
    """
    out: list[tuple[str, str]] = []
    if isinstance(q, MatchingQuestion):
        used = {i.category for i in q.items}
        if len(used) < 2:
            out.append((".items", "every item belongs to the same category: a learner who spots it scores full marks; "
                                  "add items of another category"))
        for j, c in enumerate(q.categories):
            if re.search(r"\b(all|none|both|neither) of the (above|options|answers)\b", c.text, re.IGNORECASE):
                out.append((f".categories[{j}] ({c.id})", "avoid 'all / none of the above' as a category"))
    elif isinstance(q, OrderingQuestion):
        for j, s in enumerate(q.steps):
            if _ORDER_CUE.match(s.text):
                out.append((f".steps[{j}] ({s.id})", f"the step's text gives its place away "
                                                    f"({_ORDER_CUE.match(s.text).group(1)!r}): reword it"))
    elif isinstance(q, NumericQuestion):
        unit = Decimal(1).scaleb(-q.decimals)
        count = lambda lo, hi: (Decimal(str(hi)) - Decimal(str(lo))) / unit + 1  # noqa: E731
        share = float(count(q.accepted.low, q.accepted.high) / count(q.minimum, q.maximum))
        if share > WIDE_BAND_SHARE:
            out.append((".bands", f"the accepted range covers {share:.0%} of the values a learner may give: a guess "
                                  "in the middle scores; narrow it, or use `acceptable` bands for near misses"))
    return out
