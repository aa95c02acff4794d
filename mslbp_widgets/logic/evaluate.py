"""Evaluation of a learner's answer: selection (+ confidence) -> Result with a verdict and feedback on every option."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .cases.model import Finding, Option, Question, status_words
from .errors import SelectionError

Verdict = Literal["correct", "partly-correct", "incorrect"]
OptionStatus = Literal["correct", "acceptable", "incorrect"]

VERDICT_LABELS: dict[str, str] = {
    "correct": "Correct",
    "partly-correct": "Partly correct",
    "incorrect": "Not correct",
}


@dataclass(frozen=True)
class OptionFeedback:
    """An option with its status for this question, and its feedback."""

    option: Option
    status: OptionStatus
    question_type: str = "single"

    @property
    def label(self) -> str:
        """The status in words (never colour alone)."""
        return status_words(self.question_type, self.status == "correct", self.status == "acceptable")


@dataclass(frozen=True)
class Result:
    """What a learner's answer means: verdict, score and the feedback to show."""

    question_id: str
    selection: tuple[str, ...]
    confidence: int | None
    verdict: Verdict
    score: float
    chosen: tuple[OptionFeedback, ...]
    best: tuple[Option, ...]
    missed: tuple[Option, ...]
    supporting: tuple[Finding, ...]
    against: tuple[Finding, ...]
    teaching_point: str
    all_options: tuple[OptionFeedback, ...]
    mixed: tuple[Finding, ...] = ()

    @property
    def verdict_label(self) -> str:
        """The verdict in words: "Correct", "Partly correct" or "Not correct"."""
        return VERDICT_LABELS[self.verdict]


def _status(question: Question, option: Option) -> OptionStatus:
    if option.correct:
        return "correct"
    if option.acceptable and question.type == "single":
        return "acceptable"
    return "incorrect"


def normalise_selection(question: Question, selection: str | Iterable[str]) -> tuple[str, ...]:
    """The selection as a tuple of known option ids, in the question's option order; SelectionError if it cannot be."""
    if isinstance(selection, str):
        chosen = [selection] if selection else []
    else:
        chosen = [c for c in (selection or ()) if c]
    if not chosen:
        raise SelectionError(f"question {question.id!r}: choose an option before checking")
    known = [o.id for o in question.options]
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise SelectionError(f"question {question.id!r} has no option {unknown[0]!r}; options: {', '.join(known)}")
    if question.type == "single" and len(set(chosen)) > 1:
        raise SelectionError(f"question {question.id!r} is single choice: choose one option, not {len(chosen)}")
    return tuple(o for o in known if o in set(chosen))


def evaluate(question: Question, selection: str | Iterable[str], confidence: int | None = None) -> Result:
    """Judge a selection. Single choice: best = correct (1), acceptable = partly correct (0.5), else incorrect (0).

    Multiple choice: score = (correct ticked - wrong ticked) / number of correct options, floored at 0; all correct
    ticked and nothing wrong = correct; any score above 0 = partly correct; else incorrect.
    """
    if confidence is not None and (isinstance(confidence, bool) or confidence not in range(1, 6)):
        raise SelectionError(f"confidence must be a whole number from 1 to 5, not {confidence!r}")
    ids = normalise_selection(question, selection)
    single = question.type == "single"
    chosen_opts = [question.option(i) for i in ids]
    best = question.best

    if single:
        status = _status(question, chosen_opts[0])
        verdict: Verdict = {"correct": "correct", "acceptable": "partly-correct", "incorrect": "incorrect"}[status]
        score = {"correct": 1.0, "partly-correct": 0.5, "incorrect": 0.0}[verdict]
        missed: tuple[Option, ...] = ()
    else:
        right = sum(1 for o in chosen_opts if o.correct)
        wrong = len(chosen_opts) - right
        score = max(0.0, (right - wrong) / len(best))
        if right == len(best) and wrong == 0:
            verdict = "correct"
        elif score > 0:
            verdict = "partly-correct"
        else:
            verdict = "incorrect"
        missed = tuple(o for o in best if o.id not in ids)

    def fb(o: Option) -> OptionFeedback:
        return OptionFeedback(option=o, status=_status(question, o), question_type=question.type)

    chosen_set = set(ids)
    pro = [f for f in question.findings if chosen_set & set(f.supports)]
    con = [f for f in question.findings if chosen_set & set(f.argues_against)]
    mixed = tuple(f for f in pro if f in con)  # multiple choice: for one ticked option, against another
    supporting = tuple(f for f in pro if f not in mixed)
    against = tuple(f for f in con if f not in mixed)
    shown = question.display_options()
    return Result(
        question_id=question.id,
        selection=ids,
        confidence=confidence,
        verdict=verdict,
        score=round(score, 4),
        chosen=tuple(fb(o) for o in shown if o.id in chosen_set),
        best=best,
        missed=missed,
        supporting=supporting,
        against=against,
        teaching_point=question.teaching_point,
        all_options=tuple(fb(o) for o in shown),
        mixed=mixed,
    )
