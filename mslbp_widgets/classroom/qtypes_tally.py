"""The class tally of matching, ordering and numeric questions: per-question figures beside the choice questions'.

Like the rest of the tally, it counts each learner's **first attempt** and judges it again with ``evaluate`` against
the case library (never the verdict a file claims). An answer the library's question cannot take (an unknown item
or step, a value outside the allowed range, a choice ``selection`` where an ``answer`` belongs) goes to the
"unknown option" bucket and is not correct.

matching    per item: how many matched it to its category, and the category most often chosen instead;
ordering    per position: how many put the right step there; the most common orders; the mean share of pairs in
            order (the score);
numeric     per range (band): how many answers fell in it; the values given, and their median.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..logic.cases.qtypes import MatchingQuestion, NumericQuestion, OrderingQuestion
from ..logic.errors import SelectionError
from ..logic.evaluate import Result, evaluate
from ..logic.records import Record
from .exports import ClassAttempt


class WrongAnswer(Record):
    """The most common wrong answer of a question, in words (what the summary table shows)."""

    text: str
    count: int


class ItemCount(Record):
    """One matching item: learners who matched it to its category, out of those who answered."""

    item_id: str
    text: str
    category: str  # the right category's text
    n_right: int
    n_answers: int
    top_wrong: tuple[str, int] | None  # (category text chosen instead, learners)


class MatchingTally(Record):
    items: tuple[ItemCount, ...]  # in the order learners see the items

    @property
    def most_common_wrong(self) -> WrongAnswer | None:
        wrong = [(i.top_wrong[1], i.text, i.top_wrong[0]) for i in self.items if i.top_wrong]
        if not wrong:
            return None
        count, item, category = max(wrong, key=lambda w: w[0])
        return WrongAnswer(f"{item} → {category}", count)


class PositionCount(Record):
    """One position of the right order: learners who put the right step there."""

    position: int
    text: str  # the step that belongs there
    n_right: int
    n_answers: int


class OrderingTally(Record):
    positions: tuple[PositionCount, ...]
    orders: tuple[tuple[tuple[str, ...], int], ...]  # (step texts in order, learners), most common first
    right_order: tuple[str, ...]
    mean_score: float | None  # mean share of pairs in the right order

    @property
    def most_common_wrong(self) -> WrongAnswer | None:
        wrong = [(order, n) for order, n in self.orders if order != self.right_order]
        return WrongAnswer(" → ".join(wrong[0][0]), wrong[0][1]) if wrong else None


class BandCount(Record):
    """One range of a numeric question: answers that fell in it."""

    text: str
    count: int
    correct: bool
    acceptable: bool


class NumericTally(Record):
    bands: tuple[BandCount, ...]
    values: tuple[tuple[float, int], ...]  # (value, learners), smallest first
    unit: str

    @property
    def median(self) -> float | None:
        given = [v for v, n in self.values for _ in range(n)]
        return statistics.median(given) if given else None

    @property
    def most_common_wrong(self) -> WrongAnswer | None:
        wrong = [b for b in self.bands if not b.correct and b.count]
        if not wrong:
            return None
        top = max(wrong, key=lambda b: b.count)
        return WrongAnswer(top.text, top.count)


def judge(q: Any, attempt: ClassAttempt) -> Result | None:
    """The library's judgement of one first attempt, or None when the answer does not fit the question."""
    if attempt.answer is None or attempt.answer[0] != q.type:
        return None
    try:
        return evaluate(q, attempt.answer)
    except SelectionError:
        return None


def qtype_details(q: Any, judged: Sequence[Result]) -> MatchingTally | OrderingTally | NumericTally:
    """The per-question figures from the judged first attempts (the ones that fit the question)."""
    n = len(judged)
    if isinstance(q, MatchingQuestion):
        items = []
        for item in q.display_items():
            given = [next(i for i in r.items if i.id == item.id) for r in judged]
            wrong = Counter(i.given for i in given if i.status != "correct")
            top = wrong.most_common(1)[0] if wrong else None
            items.append(ItemCount(item.id, item.text, q.category(item.category).text,
                                   sum(1 for i in given if i.status == "correct"), n, top))
        return MatchingTally(tuple(items))
    if isinstance(q, OrderingQuestion):
        orders = Counter(tuple(q.step(s).text for s in r.answer[1]) for r in judged)
        positions = tuple(PositionCount(p, s.text, sum(1 for r in judged if r.answer[1][p - 1] == s.id), n)
                          for p, s in enumerate(q.steps, start=1))
        mean = statistics.fmean(r.score for r in judged) if judged else None
        return OrderingTally(positions, tuple(orders.most_common()), tuple(s.text for s in q.steps), mean)
    if isinstance(q, NumericQuestion):
        values = Counter(r.answer[1] for r in judged)
        bands = tuple(BandCount(q.band_words(b), sum(c for v, c in values.items() if q.band_for(v) is b), b.correct,
                                b.acceptable) for b in q.bands)
        return NumericTally(bands, tuple(sorted(values.items())), q.unit)
    raise TypeError(f"question {q.id!r} is not a matching, ordering or numeric question")


def sample_answer(q: Any, skill: float, rng: random.Random) -> Any:
    """An invented learner's answer for the synthetic exports (classroom/samples.py): right with probability
    ``skill`` for each item (matching), each step kept in place (ordering: else swapped with its neighbour), or the
    value (numeric: else any allowed value)."""
    if isinstance(q, MatchingQuestion):
        others = {i.id: [c.id for c in q.categories if c.id != i.category] for i in q.items}
        return {i.id: i.category if rng.random() < skill else rng.choice(others[i.id]) for i in q.items}
    if isinstance(q, OrderingQuestion):
        order = [s.id for s in q.steps]
        for k in range(len(order) - 1):
            if rng.random() > skill:
                order[k], order[k + 1] = order[k + 1], order[k]
        return order
    if isinstance(q, NumericQuestion):
        if rng.random() < skill:
            return q.accepted.low
        scale = 10 ** q.decimals
        return rng.randint(round(q.minimum * scale), round(q.maximum * scale)) / scale if q.decimals else rng.randint(
            int(q.minimum), int(q.maximum))
    raise TypeError(f"question {q.id!r} is not a matching, ordering or numeric question")
