"""The class tally: `tally(data, library)` counts, per question of the case library, what the class answered.
**The class tally uses each learner's first attempt at each question** (earliest `time`; ties broken by position in the
file): the first answer shows what the room thought before feedback taught them, which is what a discussion
is about; later attempts are counted in `n_attempts` only. Correctness is recomputed from the case library with
`evaluate`, never taken from the learner's file (a file can claim anything, and a case may have been edited
since): an attempt that names an option the library does not have is counted as an "unknown option" answer and
is not correct. Attempts at cases or questions the library does not know are counted separately.

In a branching case, each question whose answer decides the way on also counts **how many learners took each
branch** (`QuestionTally.branches`): the branch their first answer leads to, the same decision the case widget
follows (`logic.cases.branching.next_index`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from ..logic.attempts import Tally, tally_by_confidence, tally_by_mechanism
from ..logic.cases import course_library
from ..logic.cases.branching import branches, is_branch_point, next_index
from ..logic.cases.qtypes import QTYPES
from ..logic.datafiles import mechanism_labels
from ..logic.errors import DataValidationError, SelectionError
from ..logic.evaluate import evaluate
from ..logic.records import Record
from .exports import ClassAttempt, ClassData
from .qtypes_tally import MatchingTally, NumericTally, OrderingTally, WrongAnswer, judge, qtype_details

#: Label of the bucket for attempts naming an option the library does not have.
UNKNOWN_OPTION_LABEL = "unknown option"


class OptionCount(Record):
    """How many learners chose one option on their first attempt (multiple choice: ticked it)."""

    option_id: str | None  # None for the "unknown option" bucket
    text: str  # the library's option text, or UNKNOWN_OPTION_LABEL
    count: int
    correct: bool = False
    acceptable: bool = False
    feedback: str = ""

    @property
    def known(self) -> bool:
        return self.option_id is not None


class BranchCount(Record):
    """How many learners' first answers took one branch of a branching case's question."""

    target_stage_id: str | None  # None: the answer ends the case
    target_title: str
    option_ids: tuple[str, ...]  # the options that lead there, in the order learners see them
    count: int


#: How a branch that ends the case is named.
CASE_ENDS_LABEL = "the case ends"


class QuestionTally(Record):
    """The class's answers to one question (first attempt per learner)."""

    case_id: str
    case_title: str
    question_id: str
    prompt: str
    question_type: str
    n_learners: int  # learners with at least one attempt at this question
    n_attempts: int  # every attempt, not only first ones
    n_first_correct: int
    options: tuple[OptionCount, ...]  # the order learners see (lettered A, B, C…), every option, zero counts too
    unknown: OptionCount  # first attempts naming an option the library does not have
    mechanisms: tuple[str, ...] = ()
    branches: tuple[BranchCount, ...] = ()  # a branching case's decision: learners per way on (else empty)
    #: Matching, ordering and numeric questions: their own figures (classroom/qtypes_tally.py); ``options`` is
    #: then empty and ``unknown`` counts the answers that do not fit the question.
    details: MatchingTally | OrderingTally | NumericTally | None = None

    @property
    def pct_first_correct(self) -> float | None:
        """Percentage of learners whose first attempt was correct; None when nobody answered."""
        return 100.0 * self.n_first_correct / self.n_learners if self.n_learners else None

    @property
    def wrong_answers(self) -> tuple[OptionCount, ...]:
        """Options that are not correct and were chosen, most chosen first (ties: the order learners see)."""
        wrong = [o for o in self.options if not o.correct and o.count > 0]
        return tuple(sorted(wrong, key=lambda o: -o.count))

    @property
    def most_common_wrong(self) -> OptionCount | WrongAnswer | None:
        if self.details is not None:
            return self.details.most_common_wrong
        wrong = self.wrong_answers
        return wrong[0] if wrong else None


class MechanismAccuracy(Tally):
    """First-attempt accuracy (a `Tally`) over every question of the cases tagged with one mechanism."""

    mechanism: str
    label: str


class CalibrationBin(Tally):
    """First attempts given with one confidence level (1-5), and how many were correct (a `Tally`)."""

    confidence: int


class ClassTally(Record):
    """The whole class tally: per question, by mechanism, confidence calibration, and what was not recognised."""

    n_learners: int
    questions: tuple[QuestionTally, ...]
    mechanisms: tuple[MechanismAccuracy, ...]
    calibration: tuple[CalibrationBin, ...]
    unknown_questions: tuple[tuple[str, str, int], ...] = ()  # (case_id, question_id, attempts)
    n_unrated: int = 0  # first attempts (on known questions) given without a confidence rating

    def question(self, case_id: str, question_id: str) -> QuestionTally | None:
        for q in self.questions:
            if q.case_id == case_id and q.question_id == question_id:
                return q
        return None


def _is_correct(question: Any, selection: tuple[str, ...]) -> bool | None:
    """True/False from the library's answer key; None if the selection names an unknown option."""

    known = {o.id for o in question.options}
    if not selection or any(s not in known for s in selection):
        return None
    try:
        return evaluate(question, selection).verdict == "correct"
    except SelectionError:  # e.g. two options on a single-choice question
        return None


def tally(
    data: ClassData, library: Mapping[str, Any] | None = None, include_unanswered: bool = False
) -> ClassTally:
    """Count the class's first attempts against the case library (default: every case and check).

    Questions appear in library order; with `include_unanswered` every question of the library appears, even
    with no answers (presenter mode uses this to show "no answers yet").
    """
    lib = course_library() if library is None else library
    first = data.first_attempts()
    all_count: Counter[tuple[str, str]] = Counter((a.case_id, a.question_id) for a in data.attempts)
    by_question: dict[tuple[str, str], list[ClassAttempt]] = defaultdict(list)
    for a in first:
        by_question[(a.case_id, a.question_id)].append(a)

    known: list[ClassAttempt] = []  # first attempts at known questions, for the mechanism and confidence tallies
    judged: dict[str, bool] = {}  # their attempt id -> correct by the library's answer key
    questions: list[QuestionTally] = []
    known_keys: set[tuple[str, str]] = set()
    for case in lib.values():
        stage_index = {s.question.id: i for i, s in enumerate(case.stages) if s.question is not None}
        for q in case.questions:
            key = (case.id, q.id)
            known_keys.add(key)
            answers = by_question.get(key, [])
            if not answers and not include_unanswered:
                continue
            if q.type in QTYPES:  # matching, ordering, numeric: judged by their answer (classroom/qtypes_tally.py)
                results = {a.attempt_id: judge(q, a) for a in answers}
                fits = [r for r in results.values() if r is not None]
                judged.update({i: r is not None and r.verdict == "correct" for i, r in results.items()})
                known.extend(answers)
                questions.append(QuestionTally(
                    case_id=case.id, case_title=case.title, question_id=q.id, prompt=q.prompt, question_type=q.type,
                    n_learners=len(answers), n_attempts=all_count.get(key, 0),
                    n_first_correct=sum(judged[a.attempt_id] for a in answers), options=(),
                    unknown=OptionCount(option_id=None, text=UNKNOWN_OPTION_LABEL, count=len(answers) - len(fits)),
                    mechanisms=tuple(case.mechanisms), details=qtype_details(q, fits)))
                continue
            counts: Counter[str] = Counter()
            n_unknown = 0
            n_correct = 0
            verdicts: dict[frozenset[str], bool | None] = {}  # the same answers recur: evaluate each once
            for a in answers:
                chosen = frozenset(a.selection)
                if chosen not in verdicts:
                    verdicts[chosen] = _is_correct(q, a.selection)
                ok = verdicts[chosen]
                if ok is None:
                    n_unknown += 1  # the whole answer goes to the "unknown option" bucket
                else:
                    counts.update(a.selection)
                n_correct += bool(ok)
                known.append(a)
                judged[a.attempt_id] = bool(ok)
            branch_counts: tuple[BranchCount, ...] = ()
            index = stage_index[q.id]
            if getattr(case, "branching", False) and is_branch_point(case, index):
                took: Counter[int | None] = Counter(
                    next_index(case, index, a.selection) for a in answers
                    if verdicts.get(frozenset(a.selection)) is not None)
                branch_counts = tuple(
                    BranchCount(None if b.target is None else case.stages[b.target].id,
                                CASE_ENDS_LABEL if b.target is None else case.stages[b.target].title,
                                b.option_ids, took.get(b.target, 0))
                    for b in branches(case, index))
            options = tuple(
                OptionCount(
                    option_id=o.id,
                    text=o.text,
                    count=counts.get(o.id, 0),
                    correct=bool(o.correct),
                    acceptable=bool(getattr(o, "acceptable", False)),
                    feedback=o.feedback or "",
                )
                for o in q.display_options()
            )
            questions.append(
                QuestionTally(
                    case_id=case.id,
                    case_title=case.title,
                    question_id=q.id,
                    prompt=q.prompt,
                    question_type=q.type,
                    n_learners=len(answers),
                    n_attempts=all_count.get(key, 0),
                    n_first_correct=n_correct,
                    options=options,
                    unknown=OptionCount(option_id=None, text=UNKNOWN_OPTION_LABEL, count=n_unknown),
                    mechanisms=tuple(case.mechanisms),
                    branches=branch_counts,
                )
            )
    unknown_q = tuple(
        (c, q, n) for (c, q), n in sorted(all_count.items()) if (c, q) not in known_keys
    )
    try:
        labels = mechanism_labels()
    except DataValidationError:
        labels = {}

    def correct(a: ClassAttempt) -> bool:
        return judged[a.attempt_id]

    mechanisms_of_case = {c.id: c.mechanisms for c in lib.values()}
    by_mechanism = tally_by_mechanism(known, mechanisms_of_case, correct=correct)
    mechanisms = tuple(
        MechanismAccuracy(by_mechanism[m].correct, by_mechanism[m].total, mechanism=m, label=labels.get(m, m))
        for m in (list(labels) + sorted(set(by_mechanism) - set(labels)))
        if m in by_mechanism
    )
    by_level = {c: Tally(0, 0) for c in range(1, 6)}  # every level, answered or not
    by_level |= tally_by_confidence(known, correct=correct)
    calibration = tuple(CalibrationBin(by_level[c].correct, by_level[c].total, confidence=c) for c in range(1, 6))
    n_unrated = sum(a.confidence is None for a in known)
    return ClassTally(
        n_learners=len(data.learners),
        questions=tuple(questions),
        mechanisms=mechanisms,
        calibration=calibration,
        unknown_questions=unknown_q,
        n_unrated=n_unrated,
    )
