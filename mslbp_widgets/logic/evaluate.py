"""Evaluation of a learner's answer: selection (+ confidence) -> Result with a verdict and feedback on every option."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from .cases.model import Finding, Option, Question, Stage, status_words
from .cases.qtypes import BAND_STATUS, QTYPES
from .errors import SelectionError
from .records import Record

Verdict = Literal["correct", "partly-correct", "incorrect"]
OptionStatus = Literal["correct", "acceptable", "incorrect"]

VERDICT_LABELS: dict[str, str] = {
    "correct": "Correct",
    "partly-correct": "Partly correct",
    "incorrect": "Not correct",
}


class OptionFeedback(Record):
    """An option with its status for this question, and its feedback."""

    option: Option
    status: OptionStatus
    question_type: str = "single"

    @property
    def label(self) -> str:
        """The status in words (never colour alone)."""
        return status_words(self.question_type, self.status == "correct", self.status == "acceptable")


class ItemFeedback(Record):
    """One part of a matching, ordering or numeric answer (an item, a step, a range) with its status and feedback.

    ``status`` is correct / acceptable / incorrect; ``label`` says it in words ("Matched right", "Should be step 2");
    ``given`` and ``expected`` are the learner's answer and the right one for this part, in words; ``note`` adds
    what is out of place (ordering)."""

    id: str
    text: str
    status: OptionStatus
    label: str
    feedback: str
    given: str = ""
    expected: str = ""
    note: str = ""


class Result(Record):
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
    score_words: str = ""  # the score in words, e.g. "You ticked 1 of the 2 options that should be ticked …"
    # Matching, ordering and numeric questions (logic/qtype_scoring.py); choice questions leave these empty.
    question_type: str = ""
    answer: tuple | None = None  # ("matching", ((item, category), …)) | ("ordering", (step, …)) | ("numeric", n)
    items: tuple[ItemFeedback, ...] = ()  # every part of the answer, judged, in the order learners see
    all_items: tuple[ItemFeedback, ...] = ()  # for "Why not the others?": every item / step / range explained

    @property
    def verdict_label(self) -> str:
        """The verdict in words: "Correct", "Partly correct" or "Not correct" (a numeric answer in an
        ``acceptable`` band: "Close: half marks", the words its range has everywhere)."""
        if self.question_type == "numeric" and self.verdict == "partly-correct":
            return BAND_STATUS["acceptable"]
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


def evaluate(question: Question, selection: str | Iterable[str] | Any, confidence: int | None = None) -> Result:
    """Judge a selection. Single choice: best = correct (1), acceptable = partly correct (0.5), else incorrect (0).

    Multiple choice ("choose all that apply"): each option is judged, ticked or not; score = options judged right /
    all options. Every option judged right = correct; at least one option that should be ticked was ticked = partly
    correct (some but not all is right); none of them ticked = incorrect. ``score_words`` says it in words.
    """
    if confidence is not None and (isinstance(confidence, bool) or confidence not in range(1, 6)):
        raise SelectionError(f"confidence must be a whole number from 1 to 5, not {confidence!r}")
    if question.type in QTYPES:  # matching, ordering, numeric
        from .qtype_scoring import evaluate_qtype

        return evaluate_qtype(question, selection, confidence)
    ids = normalise_selection(question, selection)
    single = question.type == "single"
    chosen_opts = [question.option(i) for i in ids]
    best = question.best

    if single:
        status = _status(question, chosen_opts[0])
        verdict: Verdict = {"correct": "correct", "acceptable": "partly-correct", "incorrect": "incorrect"}[status]
        score = {"correct": 1.0, "partly-correct": 0.5, "incorrect": 0.0}[verdict]
        missed: tuple[Option, ...] = ()
        words = {"correct": "This is the best answer.",
                 "partly-correct": "Acceptable, but not the best answer: half marks.",
                 "incorrect": "This is not the best answer."}[verdict]
    else:
        right = sum(1 for o in chosen_opts if o.correct)
        wrong = len(chosen_opts) - right
        judged_right = right + (len(question.options) - len(best) - wrong)
        score = judged_right / len(question.options)
        if right == len(best) and wrong == 0:
            verdict = "correct"
        elif right > 0:
            verdict = "partly-correct"
        else:
            verdict = "incorrect"
        missed = tuple(o for o in best if o.id not in ids)
        words = (f"You ticked {right} of the {len(best)} option{'s' if len(best) != 1 else ''} that should be "
                 f"ticked, and {wrong} that should not be: {judged_right} of {len(question.options)} options "
                 "judged right.")

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
        score_words=words,
        question_type=question.type,
    )


class SetScore(Record):
    """A check set's score at the first try: how many questions were right, and which to revisit."""

    right: int
    total: int
    revisit: tuple[str, ...]  # "stage title: prompt" of each question not right at the first try, in order

    def __str__(self) -> str:
        return f"{self.right} of {self.total} right at the first try"


def set_score(stages: Iterable[Stage], first_results: dict[str, Result]) -> SetScore:
    """Score a check set from the first result of each question (by question id); an unanswered question counts
    as one to revisit."""
    asked = [(s.title, s.question) for s in stages if s.question is not None]
    right = [q for _, q in asked if q.id in first_results and first_results[q.id].verdict == "correct"]
    return SetScore(len(right), len(asked), tuple(f"{title}: {q.prompt}" for title, q in asked if q not in right))
