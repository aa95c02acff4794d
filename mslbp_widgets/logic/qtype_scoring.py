"""Scoring matching, ordering and numeric answers: answer (+ confidence) -> `evaluate.Result`.

The verdict words are the ones of the choice questions: correct, partly correct, incorrect. Scores run from 0 to 1.

matching    score = items matched to their category / all items. Every item right: correct; at least one right:
            partly correct; none: incorrect. Each item gets its own feedback and, if wrong, the category it belongs
            to.
ordering    score = pairs of steps in the right relative order / all pairs (n·(n−1)/2): one minus the normalised
            Kendall tau distance, a standard measure of how far one order is from another. It gives credit for what
            is in order even when one early step shifts every position (a measure by positions would give almost
            nothing then). The right order: correct; at least half of the pairs in order: partly correct; fewer:
            incorrect (a reversed order scores 0). Each step says whether it is in its right place and which steps
            it was put before that should come first: exactly the pairs that are out of order.
numeric     the band the value falls in decides: the accepted range is correct (1), an ``acceptable`` band partly
            correct (0.5, "Close: half marks"), any other band incorrect (0). The feedback names the value once
            with the band's ``label`` (else "too low" / "too high", "a little" for a close band), then the band's
            feedback.
            The rule for the key: the accepted range is shown once the answer is correct, or when the learner asks
            "Why not the others?" (every band with its status); never in the first feedback of a close or wrong
            answer, so "Try again" is not copying. Case bank, check sets and ``preview`` without answers follow it;
            presenter mode's "Reveal answer" and ``preview --answers`` always show the key.

An answer is kept (in results, attempts and exports) as a tagged tuple, hashable and JSON-ready through
`attempts.answer_json`: ``("matching", ((item, category), ...))`` in the question's item order, ``("ordering",
(step, ...))`` in the learner's order, ``("numeric", value)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

from .cases.model import Question
from .cases.qtypes import BAND_STATUS, MatchingQuestion, NumericQuestion, OrderingQuestion
from .errors import SelectionError
from .evaluate import ItemFeedback, Result, Verdict

#: Ordering: at least this share of pairs in the right order is "partly correct".
ORDERING_PARTLY_FROM = 0.5

#: Status words of the parts of an answer (never colour alone).
MATCHED_RIGHT = "Matched right"
IN_PLACE = "In the right place"


def _verdict(score: float, all_right: bool, partly: bool) -> Verdict:
    return "correct" if all_right else ("partly-correct" if partly else "incorrect")


def _result(q: Question, answer: tuple, confidence: int | None, verdict: Verdict, score: float, words: str,
            items: Iterable[ItemFeedback], all_items: Iterable[ItemFeedback]) -> Result:
    return Result(question_id=q.id, selection=(), confidence=confidence, verdict=verdict, score=round(score, 4),
                  chosen=(), best=(), missed=(), supporting=(), against=(), teaching_point=q.teaching_point,
                  all_options=(), score_words=words, question_type=q.type, answer=answer, items=tuple(items),
                  all_items=tuple(all_items))


def evaluate_qtype(q: Question, answer: Any, confidence: int | None = None) -> Result:
    """Judge an answer to a matching, ordering or numeric question (SelectionError if it does not fit)."""
    if isinstance(answer, tuple) and len(answer) == 2 and answer[0] == q.type:  # a tagged answer, as stored
        answer = answer[1]
    if isinstance(q, MatchingQuestion):
        return _matching(q, answer, confidence)
    if isinstance(q, OrderingQuestion):
        return _ordering(q, answer, confidence)
    if isinstance(q, NumericQuestion):
        return _numeric(q, answer, confidence)
    raise SelectionError(f"question {q.id!r} is not a matching, ordering or numeric question")


# ------------------------------------------------------------------------------------------------ matching


def matching_pairs(q: MatchingQuestion, answer: Any) -> tuple[tuple[str, str], ...]:
    """A matching answer (mapping item -> category, or (item, category) pairs) as pairs in the question's item
    order; SelectionError naming what is missing or unknown."""
    pairs = answer.items() if isinstance(answer, Mapping) else answer
    try:
        chosen = {str(i): (None if c in (None, "") else str(c)) for i, c in pairs}
    except (TypeError, ValueError):
        raise SelectionError(f"question {q.id!r}: give a category for each item") from None
    items = [i.id for i in q.items]
    unknown = [i for i in chosen if i not in items]
    if unknown:
        raise SelectionError(f"question {q.id!r} has no item {unknown[0]!r}; items: {', '.join(items)}")
    categories = [c.id for c in q.categories]
    bad = [c for c in chosen.values() if c is not None and c not in categories]
    if bad:
        raise SelectionError(f"question {q.id!r} has no category {bad[0]!r}; categories: {', '.join(categories)}")
    missing = [i for i in q.display_items() if chosen.get(i.id) is None]
    if missing:
        n = len(missing)
        raise SelectionError(f"Choose a category for every item before checking ({n} of {len(items)} not matched "
                             f"yet: {'; '.join(i.text for i in missing[:3])}{'…' if n > 3 else ''}).")
    return tuple((i, chosen[i]) for i in items)  # type: ignore[misc]


def _matching(q: MatchingQuestion, answer: Any, confidence: int | None) -> Result:
    pairs = dict(matching_pairs(q, answer))
    judged = []
    for item in q.display_items():
        given, right = q.category(pairs[item.id]), q.category(item.category)
        ok = given.id == right.id
        judged.append(ItemFeedback(id=item.id, text=item.text, status="correct" if ok else "incorrect",
                                   label=MATCHED_RIGHT if ok else f"Belongs to: {right.text}", feedback=item.feedback,
                                   given=given.text, expected=right.text))
    right = sum(1 for j in judged if j.status == "correct")
    n = len(judged)
    words = f"{right} of {n} items matched to the right category."
    return _result(q, ("matching", tuple(pairs.items())), confidence, _verdict(right / n, right == n, right > 0),
                   right / n, words, judged, judged)


# ------------------------------------------------------------------------------------------------ ordering


def ordering_sequence(q: OrderingQuestion, answer: Any) -> tuple[str, ...]:
    """An ordering answer as a tuple of step ids; SelectionError unless it holds every step exactly once."""
    if isinstance(answer, str) or not isinstance(answer, Iterable):
        raise SelectionError(f"question {q.id!r}: give the steps in your order")
    seq = tuple(str(s) for s in answer)
    ids = [s.id for s in q.steps]
    unknown = [s for s in seq if s not in ids]
    if unknown:
        raise SelectionError(f"question {q.id!r} has no step {unknown[0]!r}; steps: {', '.join(ids)}")
    if len(seq) != len(ids) or len(set(seq)) != len(ids):
        raise SelectionError(f"question {q.id!r}: put every step in the order once ({len(ids)} steps)")
    return seq


def pairs_in_order(right: Iterable[str], given: Iterable[str]) -> tuple[int, int]:
    """(pairs in the right relative order, all pairs): the concordant pairs of Kendall's tau."""
    place = {s: n for n, s in enumerate(given)}
    pairs = list(combinations(list(right), 2))
    return sum(1 for a, b in pairs if place[a] < place[b]), len(pairs)


def _ordering(q: OrderingQuestion, answer: Any, confidence: int | None) -> Result:
    seq = ordering_sequence(q, answer)
    place = {s: n for n, s in enumerate(seq, start=1)}
    good, total = pairs_in_order([s.id for s in q.steps], seq)
    judged = []
    for n, step_id in enumerate(seq, start=1):
        step, right_place = q.step(step_id), q.position(step_id)
        # steps placed after this one that should come before it: the out-of-order pairs it leads
        should_precede = [q.step(t).text for t in seq[n:] if q.position(t) < right_place]
        note = ""
        if should_precede:
            names = "; ".join(f"“{t}”" for t in should_precede)
            note = f"You put it before {names}, which should come first."
        ok = n == right_place
        judged.append(ItemFeedback(id=step.id, text=step.text, status="correct" if ok else "incorrect",
                                   label=IN_PLACE if ok else f"Should be step {right_place}", feedback=step.feedback,
                                   given=f"step {n}", expected=f"step {right_place}", note=note))
    in_place = sum(1 for j in judged if j.status == "correct")
    score = good / total
    words = (f"{good} of {total} pairs of steps in the right order; {in_place} of {len(seq)} steps in their right "
             "place.")
    explained = [ItemFeedback(id=s.id, text=s.text, status="correct" if place[s.id] == n else "incorrect",
                              label=f"Step {n}", feedback=s.feedback, given=f"step {place[s.id]}", expected=f"step {n}")
                 for n, s in enumerate(q.steps, start=1)]
    verdict = _verdict(score, good == total, score >= ORDERING_PARTLY_FROM)
    return _result(q, ("ordering", seq), confidence, verdict, score, words, judged, explained)


# ------------------------------------------------------------------------------------------------ numeric


def numeric_value(q: NumericQuestion, answer: Any) -> float:
    """A numeric answer (a number, or the text typed) checked against the allowed values; SelectionError says what
    to type."""
    if isinstance(answer, bool):
        raise SelectionError(f"Write {q.range_words()}.")
    if isinstance(answer, int | float):
        return q.parse(repr(answer) if isinstance(answer, float) else str(answer))
    return q.parse(answer)


def _numeric(q: NumericQuestion, answer: Any, confidence: int | None) -> Result:
    value = numeric_value(q, answer)
    band = q.band_for(value)
    if band is None:  # pragma: no cover - validation makes the bands cover every allowed value
        raise SelectionError(f"question {q.id!r}: no range holds {value}")

    def judged(b: Any, mine: bool) -> ItemFeedback:
        return ItemFeedback(id=str(q.bands.index(b)), text=q.band_words(b), status=b.status,
                            label=BAND_STATUS[b.status], feedback=b.feedback, given=q.format(value) if mine else "",
                            expected=q.band_words(q.accepted))

    mine = judged(band, True)
    verdict: Verdict = {"correct": "correct", "acceptable": "partly-correct", "incorrect": "incorrect"}[mine.status]
    score = {"correct": 1.0, "partly-correct": 0.5, "incorrect": 0.0}[verdict]
    if band.correct:  # the key may be shown now; a close or wrong answer gets no range (see the module docstring)
        one = band.low == band.high  # a one-value range would repeat the value: name its label only
        where = (f"the accepted value{f': {band.label}' if band.label else ''}" if one
                 else f"in the accepted range: {q.band_words(band)}")
    else:
        where = band.label or ("a little " if band.acceptable else "") + q.direction(value)
    words = f"Your answer, {q.format(value)}, is {where}."
    return _result(q, ("numeric", value), confidence, verdict, score, words, (mine,),
                   tuple(judged(b, b is band) for b in q.bands))
