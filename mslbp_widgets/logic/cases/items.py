"""Item-writing checks: questions that test reasoning, not test-wiseness (the course guide, section 5; the NBME
item-writing guide).

Learners quickly learn to pick the longest, most qualified option. These checks warn where a question gives the
answer away by its form: the best answer much longer than every distractor, options of very unequal length, "all
/ none of the above", absolute words ("always", "never") that only distractors carry, a negative stem without a
bold NOT. Each warning names the file, the question and the option. The option-length and option-wording rules
are for single and multiple choice; matching, ordering and numeric questions have their own notes
(:func:`mslbp_widgets.logic.cases.qtypes.item_notes`), and the negative-stem rule applies to every type.
:func:`bank_figures` gives the figures for a whole bank: the share of single-choice questions whose best answer
is the longest option (chance is about 25 % with four options) and the median ratio of the best answer's length
to the mean distractor's.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable

from ..errors import Problem
from ..records import Record
from .model import Case, Question
from .qtypes import QTYPES, item_notes

#: A best answer longer than this times the longest distractor gives itself away.
LONGEST_RATIO = 1.25
#: Options of one question should be of similar length: the longest at most this times the shortest.
SPREAD_RATIO = 2.5
#: Bank targets, checked by tests/test_course_data.py.
MAX_LONGEST_SHARE = 0.30
MAX_MEDIAN_RATIO = 1.2
ABSOLUTE_WORDS = ("always", "never", "cannot", "impossible", "completely", "entirely", "definitely", "guaranteed",
                  "every", "only")
_ABSOLUTE = re.compile(r"\b(" + "|".join(ABSOLUTE_WORDS) + r")\b", re.IGNORECASE)
_ALL_NONE = re.compile(r"\b(all|none|both|neither) of the (above|options|answers)\b", re.IGNORECASE)
_NEGATIVE = re.compile(r"\b(not|except|least)\b", re.IGNORECASE)
_BOLD_NEGATIVE = re.compile(r"\*\*(NOT|EXCEPT|LEAST)\*\*")


class QuestionFigures(Record):
    """One single-choice question's lengths: is the best answer strictly the longest, and its length ratio."""

    best_is_longest: bool
    ratio: float  # best answer length / mean distractor length


class BankFigures(Record):
    single_choice: int
    best_is_longest: int
    median_ratio: float | None

    @property
    def longest_share(self) -> float:
        return self.best_is_longest / self.single_choice if self.single_choice else 0.0

    def within_targets(self) -> bool:
        return self.longest_share <= MAX_LONGEST_SHARE and (self.median_ratio or 0.0) <= MAX_MEDIAN_RATIO

    def __str__(self) -> str:
        median = "n/a" if self.median_ratio is None else f"{self.median_ratio:.2f}"
        return (f"Item-writing figures: the best answer is the longest option in {self.best_is_longest} of "
                f"{self.single_choice} single-choice questions ({self.longest_share:.0%}; target at most "
                f"{MAX_LONGEST_SHARE:.0%}); median best-answer / mean-distractor length {median} (target at most "
                f"{MAX_MEDIAN_RATIO}).")


def _questions(case: Case) -> Iterable[tuple[int, Question]]:
    for i, stage in enumerate(case.stages):
        if stage.question is not None:
            yield i, stage.question


def question_figures(q: Question) -> QuestionFigures | None:
    """The length figures of a single-choice question (None for other types)."""
    if q.type != "single":
        return None
    best = [o for o in q.options if o.correct]
    others = [o for o in q.options if not o.correct]
    if len(best) != 1 or not others:
        return None
    n = len(best[0].text)
    mean = statistics.fmean(len(o.text) for o in others)
    return QuestionFigures(n > max(len(o.text) for o in others), n / mean if mean else float("inf"))


def item_warnings(case: Case) -> list[Problem]:
    """Every item-writing warning for one case or check set (file, field with the question id, what to change)."""
    out: list[Problem] = []
    for i, q in _questions(case):
        where = f"stages[{i}].question ({q.id})"

        def warn(field: str, message: str, where: str = where) -> None:
            out.append(Problem(case.source or case.id, f"{where}{field}", message))

        if q.type in QTYPES:  # no options: the notes of logic/cases/qtypes.item_notes, and the negative stem
            for suffix, message in item_notes(q):
                warn(suffix, message)
            _negative_stem(q, warn)
            continue
        lengths = {o.id: len(o.text) for o in q.options}
        if q.type == "single":
            best = [o for o in q.options if o.correct]
            others = [o for o in q.options if not o.correct]
            if len(best) == 1 and others:
                longest_other = max(len(o.text) for o in others)
                if len(best[0].text) > LONGEST_RATIO * longest_other:
                    j = q.options.index(best[0])
                    warn(f".options[{j}] ({best[0].id})",
                         f"the best answer ({len(best[0].text)} characters) is more than {LONGEST_RATIO}x the "
                         f"longest distractor ({longest_other}): shorten it, move the explanation to its feedback")
        if min(lengths.values()) and max(lengths.values()) > SPREAD_RATIO * min(lengths.values()):
            short = min(lengths, key=lengths.get)
            long_ = max(lengths, key=lengths.get)
            warn("", f"options of very unequal length: {long_!r} has {lengths[long_]} characters, {short!r} "
                     f"{lengths[short]} (keep the longest within {SPREAD_RATIO}x the shortest)")
        for j, o in enumerate(q.options):
            if _ALL_NONE.search(o.text):
                warn(f".options[{j}] ({o.id})", "avoid 'all / none of the above': it tests test-taking, not medicine")
        in_correct = {w.lower() for o in q.options if o.correct for w in _ABSOLUTE.findall(o.text)}
        for j, o in enumerate(q.options):
            if o.correct:
                continue
            words = sorted({w.lower() for w in _ABSOLUTE.findall(o.text)} - in_correct)
            if words:
                warn(f".options[{j}] ({o.id})", f"absolute word(s) only a distractor carries ({', '.join(words)}): "
                                                "learners learn to rule these out unread; reword")
        _negative_stem(q, warn)
    return out


def _negative_stem(q: Question, warn: Callable[[str, str], None]) -> None:
    plain = _BOLD_NEGATIVE.sub("", q.prompt)
    if _NEGATIVE.search(plain):
        word = _NEGATIVE.search(plain).group(1)
        warn(".prompt", f"negative stem ({word!r}): ask positively, or write it as **NOT** in bold")


def bank_figures(cases: Iterable[Case]) -> BankFigures:
    """The bank's figures over every single-choice question of these cases and check sets."""
    figures = [f for c in cases for _, q in _questions(c) if (f := question_figures(q)) is not None]
    ratios = [f.ratio for f in figures]
    return BankFigures(len(figures), sum(f.best_is_longest for f in figures),
                       statistics.median(ratios) if ratios else None)
