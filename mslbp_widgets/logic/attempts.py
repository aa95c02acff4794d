"""Attempt records and their statistics: what one answer was, and how many answers were right.

One home for both the learner's own log (:mod:`mslbp_widgets.logic.progress`) and the class tally
(:mod:`mslbp_widgets.classroom`): an :class:`Attempt` is one answer to one question; :func:`first_attempts` keeps
the honest first try at each question; :func:`tally_by_mechanism` and :func:`tally_by_confidence` count them.
Plain Python, no widgets, no files.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from .records import Record


def utc_now() -> str:
    """The current UTC time as ISO 8601 with a ``Z`` suffix, to the second."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Attempt(Record):
    """One answer to one question: what was chosen, how it was judged, how sure the learner was, and when."""

    attempt_id: str
    case_id: str
    question_id: str
    selection: tuple[str, ...]
    verdict: str
    score: float
    confidence: int | None
    time: str
    #: The stage the question was asked at (optional in the export: older files lack it). With the case library it
    #: tells which path a learner took through a branching case.
    stage_id: str | None = None
    #: Matching, ordering and numeric questions (export version 2): the tagged answer, see :func:`answer_json`;
    #: ``selection`` is then empty. None for choice questions.
    answer: tuple | None = None

    @property
    def correct(self) -> bool:
        """True when the verdict is ``correct`` (partly correct does not count)."""
        return self.verdict == "correct"

    def to_dict(self) -> dict[str, Any]:
        """The attempt as a JSON-ready mapping, fields in the schema's order: ``selection`` for a choice question,
        ``answer`` for a matching, ordering or numeric one (export version 2); ``stage_id`` only when known."""
        given = {"selection": list(self.selection)} if self.answer is None else {"answer": answer_json(self.answer)}
        out = {
            "attempt_id": self.attempt_id,
            "case_id": self.case_id,
            "question_id": self.question_id,
            **given,
            "verdict": self.verdict,
            "score": self.score,
            "confidence": self.confidence,
            "time": self.time,
        }
        if self.stage_id is not None:
            out["stage_id"] = self.stage_id
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], **extra: Any) -> Attempt:
        """Build an attempt from a mapping that already passed schema validation (``extra``: a subclass's fields)."""
        return cls(
            attempt_id=data["attempt_id"],
            case_id=data["case_id"],
            question_id=data["question_id"],
            selection=tuple(data.get("selection", ())),
            verdict=data["verdict"],
            score=float(data["score"]),
            confidence=data["confidence"],
            time=data["time"],
            stage_id=data.get("stage_id"),
            answer=answer_from_json(data["answer"]) if data.get("answer") is not None else None,
            **extra,
        )


def answer_json(answer: tuple) -> dict[str, Any]:
    """A tagged answer (as :func:`mslbp_widgets.logic.qtype_scoring.evaluate_qtype` gives it) as the export format
    writes it: ``("matching", ((item, category), …))`` -> ``{"matching": {item: category}}``; ``("ordering", (step,
    …))`` -> ``{"ordering": [step, …]}``; ``("numeric", 5)`` -> ``{"numeric": 5}``."""
    kind, value = answer
    if kind == "matching":
        return {"matching": dict(value)}
    if kind == "ordering":
        return {"ordering": list(value)}
    if kind == "numeric":
        return {"numeric": value}
    raise ValueError(f"not an answer of a matching, ordering or numeric question: {answer!r}")


def answer_from_json(data: Mapping[str, Any]) -> tuple:
    """The inverse of :func:`answer_json`, on schema-valid data."""
    ((kind, value),) = data.items()
    if kind == "matching":
        return ("matching", tuple((str(i), str(c)) for i, c in value.items()))
    if kind == "ordering":
        return ("ordering", tuple(value))
    return ("numeric", value)


def answer_text(answer: tuple | None) -> str:
    """A tagged answer on one line, for the CSV export: ``item=category;…``, ``step;step;…`` (the learner's order),
    ``5``; empty for a choice question."""
    if answer is None:
        return ""
    kind, value = answer
    if kind == "matching":
        return ";".join(f"{i}={c}" for i, c in value)
    if kind == "ordering":
        return ";".join(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


class Tally(Record):
    """How many answers were correct out of how many."""

    correct: int
    total: int

    @property
    def proportion(self) -> float:
        """Correct / total (0.0 when there are no answers)."""
        return self.correct / self.total if self.total else 0.0

    @property
    def pct(self) -> float | None:
        """Percentage correct (None when there are no answers)."""
        return 100.0 * self.correct / self.total if self.total else None


def _get(attempt: Any, name: str) -> Any:
    # An Attempt first, by its exact type: the Mapping check (an abstract class) cost about a millisecond per saved
    # answer at 300 attempts, when the learner's summary and counts are recomputed.
    if type(attempt) is Attempt or not isinstance(attempt, Mapping):
        return getattr(attempt, name)
    return attempt[name]


def _question_of(attempt: Any) -> tuple[str, str]:
    if type(attempt) is Attempt:
        return attempt.case_id, attempt.question_id
    return _get(attempt, "case_id"), _get(attempt, "question_id")


def _verdict_correct(attempt: Any) -> bool:
    return _get(attempt, "verdict") == "correct"


def first_attempts(
    attempts: Iterable[Any],
    key: Callable[[Any], Hashable] = _question_of,
    earliest: Callable[[Any], Any] | None = None,
) -> list[Any]:
    """The first attempt at each (case, question), in the order each (case, question) was first met.

    Accepts :class:`Attempt` objects or export mappings. A learner's first try is the honest measure: later tries
    follow the feedback. By default the first one given wins (a learner's log is stored oldest first). ``key``
    groups the attempts (the class tally adds the learner); with ``earliest`` (attempt -> sortable value, e.g. its
    time) the smallest value wins instead, ties going to the one given first.
    """
    first: dict[Hashable, Any] = {}
    for attempt in attempts:
        k = key(attempt)
        best = first.get(k)
        if best is None or (earliest is not None and earliest(attempt) < earliest(best)):
            first[k] = attempt
    return list(first.values())


def tally_by_mechanism(
    attempts: Iterable[Any],
    mechanisms_of_case: Mapping[str, Sequence[str]],
    correct: Callable[[Any], bool] = _verdict_correct,
) -> dict[str, Tally]:
    """Correct/total per mechanism id, in the order met. A case tagged with two mechanisms counts towards both.

    Attempts on cases missing from ``mechanisms_of_case`` are counted under the key ``"unknown"``.
    Accepts :class:`Attempt` objects or export mappings. ``correct`` judges an attempt (default: its verdict is
    ``correct``; the class tally judges against the case library instead).
    """
    counts: dict[str, list[int]] = {}
    for attempt in attempts:
        mechanisms = mechanisms_of_case.get(_get(attempt, "case_id")) or ("unknown",)
        ok = int(correct(attempt))
        for mechanism in dict.fromkeys(mechanisms):
            c = counts.setdefault(mechanism, [0, 0])
            c[0] += ok
            c[1] += 1
    return {m: Tally(c, t) for m, (c, t) in counts.items()}


def tally_by_confidence(attempts: Iterable[Any], correct: Callable[[Any], bool] = _verdict_correct) -> dict[int, Tally]:
    """Correct/total per confidence level 1–5 (levels with no answers are left out; unrated answers too).

    ``correct`` as for :func:`tally_by_mechanism`.
    """
    counts: dict[int, list[int]] = {}
    for attempt in attempts:
        level = _get(attempt, "confidence")
        if level is None:
            continue
        c = counts.setdefault(int(level), [0, 0])
        c[0] += int(correct(attempt))
        c[1] += 1
    return {level: Tally(*counts[level]) for level in sorted(counts)}


class LearnerSummary(Record):
    """What the learner's summary charts show: first tries only, at questions of cases the library knows."""

    questions: int  # questions answered (one first try each)
    correct_first_try: int
    by_mechanism: dict[str, Tally]
    by_confidence: dict[int, Tally]
    unrated: int  # first tries given without a confidence rating


def summarise(attempts: Iterable[Any], mechanisms_of_case: Mapping[str, Sequence[str]]) -> LearnerSummary:
    """A learner's first try at each question of the cases in ``mechanisms_of_case`` (case id -> mechanism ids),
    counted by mechanism and by confidence. Later tries follow the feedback, so they are not counted."""
    firsts = [a for a in first_attempts(attempts) if _get(a, "case_id") in mechanisms_of_case]
    return LearnerSummary(
        questions=len(firsts),
        correct_first_try=sum(1 for a in firsts if _verdict_correct(a)),
        by_mechanism=tally_by_mechanism(firsts, mechanisms_of_case),
        by_confidence=tally_by_confidence(firsts),
        unrated=sum(1 for a in firsts if _get(a, "confidence") is None),
    )
