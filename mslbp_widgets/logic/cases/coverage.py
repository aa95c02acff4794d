"""What the case bank covers: how many cases of each scenario type (``tags.scenario``, the types of
``data/scenarios.yaml``) and of each difficulty, and how many branch, show a table or picture, or ask a matching,
ordering or numeric question. ``validate`` prints it; the course map and notebook 07 show it as a table; the tests
check the shipped bank against the course's targets. Plain Python."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from ..datafiles import ScenarioType
from ..records import Record
from .branching import paths
from .model import Case, Table
from .qtypes import QTYPES

DIFFICULTIES = ("introductory", "intermediate", "advanced")
#: Silent reading of English prose by adults, words a minute (Brysbaert 2019 gives a mean of about 238).
READING_WPM = 230
#: Thinking, choosing a confidence and checking one question, in minutes.
MINUTES_PER_QUESTION = 0.75


class TypeCount(Record):
    """One scenario type: its cases by difficulty, and the number the course aims for."""

    type: ScenarioType
    by_difficulty: tuple[int, ...]  # in the order of DIFFICULTIES

    @property
    def cases(self) -> int:
        return sum(self.by_difficulty)

    @property
    def met(self) -> bool:
        return self.cases >= self.type.target


class BankCoverage(Record):
    """The case bank's coverage: cases per scenario type and difficulty, and the richer formats."""

    types: tuple[TypeCount, ...]
    untyped: tuple[str, ...]  # ids of cases whose scenario is missing or not a known type
    difficulty: Mapping[str, int]
    branching: int
    with_media: int  # a table or a picture in at least one stage
    with_new_types: int  # a matching, ordering or numeric question

    @property
    def cases(self) -> int:
        return sum(t.cases for t in self.types) + len(self.untyped)

    @property
    def covered(self) -> int:
        return sum(1 for t in self.types if t.cases)

    @property
    def short(self) -> tuple[TypeCount, ...]:
        """The types with fewer cases than their target."""
        return tuple(t for t in self.types if not t.met)

    def table(self) -> Table:
        """The counts as a table of three columns (kind of case, cases, their levels in words), narrow enough for a
        phone; for the course map and 07."""
        kinds = f"{self.covered} kind{'s' if self.covered != 1 else ''}"
        caption = (f"The case bank: {self.cases} synthetic case{'s' if self.cases != 1 else ''} of {kinds}. "
                   f"{self.branching} branch on your decisions, {self.with_media} show a table or picture, and "
                   f"{self.with_new_types} ask you to match, order or give a number.")

        def levels(counts: Iterable[int]) -> str:
            return ", ".join(f"{n} {d}" for n, d in zip(counts, DIFFICULTIES, strict=True) if n) or "none yet"

        rows = [(t.type.label, str(t.cases), levels(t.by_difficulty)) for t in self.types]
        if self.untyped:
            rows.append(("Other cases", str(len(self.untyped)), ""))
        rows.append(("All cases", str(self.cases), levels(self.difficulty.get(d, 0) for d in DIFFICULTIES)))
        return Table(caption=caption, columns=("Kind of case", "Cases", "Levels"), rows=tuple(rows))

    def lines(self) -> list[str]:
        """The coverage in a few lines of plain text (for ``validate``)."""
        d = self.difficulty
        out = [f"Case bank: {self.cases} case(s); {self.covered} of {len(self.types)} scenario types covered; "
               + ", ".join(f"{d.get(k, 0)} {k}" for k in DIFFICULTIES)
               + f"; {self.branching} branching, {self.with_media} with a table or picture, {self.with_new_types} "
               "with a matching, ordering or numeric question."]
        for t in self.short:
            out.append(f"note: scenario type {t.type.id!r} ({t.type.label}) has {t.cases} case(s); the course aims "
                       f"for {t.type.target}.")
        if self.untyped:
            out.append("note: case(s) without a known scenario type: " + ", ".join(self.untyped))
        return out


def bank_coverage(cases: Iterable[Case], types: Mapping[str, ScenarioType]) -> BankCoverage:
    """Count the cases (kind 'case'; check sets are left out) by scenario type and difficulty."""
    cases = [c for c in cases if c.kind == "case"]
    counts: dict[str, Counter] = {t: Counter() for t in types}
    untyped = []
    for c in cases:
        if c.scenario in counts:
            counts[c.scenario][c.difficulty] += 1
        else:
            untyped.append(c.id)
    return BankCoverage(
        types=tuple(TypeCount(types[t], tuple(counts[t][d] for d in DIFFICULTIES)) for t in types),
        untyped=tuple(untyped),
        difficulty=dict(Counter(c.difficulty for c in cases)),
        branching=sum(1 for c in cases if c.branching),
        with_media=sum(1 for c in cases if any(s.table or s.image for s in c.stages)),
        with_new_types=sum(1 for c in cases if any(q.type in QTYPES for q in c.questions)),
    )


def _words(text: str | None) -> int:
    return len((text or "").split())


def minutes(case: Case) -> tuple[int, int]:
    """How long a learner takes over the case, in whole minutes, on its shortest and its longest path: the text read
    (summary, stages, tables, prompts, options, half of the options' feedback, teaching points, what happened next)
    at READING_WPM, plus MINUTES_PER_QUESTION for each question answered. An estimate for planning a session."""
    fixed = _words(case.summary) + _words(case.next_step) + _words(case.teaching_point)
    totals = []
    for path in paths(case):
        words, questions = fixed, 0
        for step in path:
            stage = case.stages[step.index]
            words += _words(stage.text) + (sum(_words(" ".join(r)) for r in stage.table.rows) if stage.table else 0)
            q = stage.question
            if q is not None:
                questions += 1
                words += _words(q.prompt) + _words(q.teaching_point)
                for part in q.options or getattr(q, "items", ()) or getattr(q, "steps", ()):
                    words += _words(part.text) + _words(getattr(part, "feedback", None)) // 2
        totals.append(words / READING_WPM + questions * MINUTES_PER_QUESTION)
    return round(min(totals)), round(max(totals))
