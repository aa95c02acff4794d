"""The case model: what a teaching case is, as plain frozen records built from a validated YAML file."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from typing import Any, Literal

from ..records import PartlyComparedRecord, Record

QuestionType = Literal["single", "multiple", "matching", "ordering", "numeric"]

#: Options are lettered A, B, C… in the order learners see them (display_options), in every view.
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def status_words(question_type: str, correct: bool, acceptable: bool = False) -> str:
    """An option's status in words, the same in feedback, presenter mode, the answer key, charts and preview:
    single choice "Best answer" / "Acceptable, but not the best" / "Not correct"; multiple choice "Should be
    ticked" / "Should not be ticked"."""
    if question_type == "multiple":
        return "Should be ticked" if correct else "Should not be ticked"
    if correct:
        return "Best answer"
    return "Acceptable, but not the best" if acceptable else "Not correct"


#: What a choice question asks the learner to do, in the course's words.
INSTRUCTIONS = {"single": "choose one", "multiple": "choose all that apply"}
_SAID = {"single": re.compile(r"\b(choose|pick|select) (only )?(one|the (single )?best)\b"),
         "multiple": re.compile(r"\ball that apply\b")}


def instruction(question_type: str, prompt: str) -> str:
    """The instruction shown after a choice question's prompt ("choose one", "choose all that apply"), or "" when
    the prompt already says it (an author's "Choose all that apply." is not repeated) or the type has none."""
    said = _SAID.get(question_type)
    if said is None or said.search(prompt.lower()):
        return ""
    return INSTRUCTIONS[question_type]



def by_id(entries: Iterable[Any], ident: str, owner: str, what: str) -> Any:
    """The entry (a stage, question, category, item…) whose ``id`` is ``ident``; KeyError "<owner> has no <what>
    '<ident>'" if there is none. The one lookup by id inside a case."""
    for entry in entries:
        if entry.id == ident:
            return entry
    raise KeyError(f"{owner} has no {what} {ident!r}")

class Option(Record):
    """One answer a learner can choose, with the feedback that explains it."""

    id: str
    text: str
    correct: bool
    feedback: str
    acceptable: bool = False
    next_stage: str | None = None  # branching: the stage this option leads to (None: the stage's default)


class Finding(Record):
    """A key finding of the case and the options it supports or argues against."""

    text: str
    supports: tuple[str, ...] = ()
    argues_against: tuple[str, ...] = ()


class Question(Record):
    """A question asked at one stage of a case."""

    id: str
    prompt: str
    type: QuestionType
    options: tuple[Option, ...]
    teaching_point: str
    findings: tuple[Finding, ...] = ()
    references: tuple[str, ...] = ()
    shuffle: bool = True

    def display_options(self) -> tuple[Option, ...]:
        """The options in the order learners (and the presenter) see them.

        Authors tend to write the best answer first; shown in file order, learners learn the position instead of
        the medicine. Unless the question sets `shuffle: false`, the order is shuffled with a seed made from the
        question and option ids: the same on every machine and every run (so a room discussing "option C" sees
        the same option C), and it changes only when the options change.
        """
        if not self.shuffle:
            return self.options
        seed = hashlib.sha256("\x1f".join([self.id, *(o.id for o in self.options)]).encode()).hexdigest()
        order = list(self.options)
        random.Random(seed).shuffle(order)
        return tuple(order)

    def lettered_options(self) -> tuple[tuple[str, Option], ...]:
        """(letter, option) pairs in the order learners see them: ("A", …), ("B", …)."""
        return tuple(zip(LETTERS, self.display_options(), strict=False))

    def status_words(self, option: Option) -> str:
        """This option's status in words (see :func:`status_words`)."""
        return status_words(self.type, option.correct, option.acceptable)

    def option(self, option_id: str) -> Option:
        """The option with this id (KeyError if there is none)."""
        for opt in self.options:
            if opt.id == option_id:
                return opt
        raise KeyError(f"question {self.id!r} has no option {option_id!r}")

    @property
    def best(self) -> tuple[Option, ...]:
        """The correct option(s): one for single choice, one or more for multiple choice."""
        return tuple(o for o in self.options if o.correct)


class Table(Record):
    """A table shown under a stage's text (vital signs, blood results): plain text cells, escaped when shown."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_headers: bool = True  # the first cell of each row names the row


class Image(Record):
    """A picture shown under a stage's text: a file inside the data folder (``images/…`` or ``diagrams/…``)."""

    file: str
    alt: str
    caption: str | None = None


class Stage(Record):
    """One step of a case, revealed in order (presentation, history, examination, outcome...).

    Branching (see :mod:`mslbp_widgets.logic.cases.branching`): ``next_stage`` names the stage that follows
    (default: the next one in the file); ``outcome`` marks a stage that ends the case."""

    id: str
    title: str
    text: str
    question: Question | None = None
    table: Table | None = None
    image: Image | None = None
    next_stage: str | None = None
    outcome: bool = False


class Case(PartlyComparedRecord):
    """A synthetic teaching case (kind 'case') or a notebook's check-your-understanding set (kind 'check')."""

    id: str
    title: str
    synthetic: bool
    last_reviewed: str
    mechanisms: tuple[str, ...]
    red_flag: bool
    difficulty: str
    summary: str
    stages: tuple[Stage, ...]
    next_step: str
    references: tuple[str, ...]
    kind: str = "case"
    scenario: str | None = None
    facilitator_notes: str | None = None
    teaching_point: str | None = None
    source: str = ""  # the file it was read from

    _not_compared = ("source",)  # the same case read from another file is the same case

    @property
    def branching(self) -> bool:
        """True when the case branches (a `next_stage` or an `outcome` stage anywhere): its path depends on the
        learner's decisions."""
        return any(s.next_stage or s.outcome or (s.question is not None and any(o.next_stage for o in
                                                                                 s.question.options))
                   for s in self.stages)

    def stage(self, stage_id: str) -> Stage:
        """The stage with this id (KeyError if there is none)."""
        return by_id(self.stages, stage_id, f"case {self.id!r}", "stage")

    def stage_of(self, question_id: str) -> Stage:
        """The stage that asks this question (KeyError if there is none)."""
        for s in self.stages:
            if s.question is not None and s.question.id == question_id:
                return s
        raise KeyError(f"case {self.id!r} has no question {question_id!r}")

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question of the case, in stage order."""
        return tuple(s.question for s in self.stages if s.question is not None)

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError if there is none)."""
        return by_id(self.questions, question_id, f"case {self.id!r}", "question")


def _cell(value: object) -> str:
    return str(value).strip()


def _table(t: dict | None) -> Table | None:
    if t is None:
        return None
    return Table(caption=t["caption"].strip(), columns=tuple(_cell(c) for c in t["columns"]),
                 rows=tuple(tuple(_cell(c) for c in row) for row in t["rows"]),
                 row_headers=bool(t.get("row_headers", True)))


def _image(i: dict | None) -> Image | None:
    if i is None:
        return None
    return Image(file=i["file"], alt=" ".join(i["alt"].split()),
                 caption=(i.get("caption") or "").strip() or None)


def case_from_dict(data: dict, source: str = "") -> Case:
    """Build a Case from a mapping that has already passed validation."""
    from .qtypes import QTYPES, qtype_from_dict  # the question types beyond choice (they subclass Question)

    stages = []
    for s in data["stages"]:
        q = s.get("question")
        question = None
        if q is not None and q["type"] in QTYPES:  # matching, ordering, numeric: logic/cases/qtypes.py
            question = qtype_from_dict(q)
        elif q is not None:
            question = Question(
                id=q["id"],
                prompt=q["prompt"].strip(),
                type=q["type"],
                options=tuple(
                    Option(
                        id=o["id"],
                        text=o["text"].strip(),
                        correct=bool(o["correct"]),
                        feedback=o["feedback"].strip(),
                        acceptable=bool(o.get("acceptable", False)),
                        next_stage=o.get("next_stage"),
                    )
                    for o in q["options"]
                ),
                teaching_point=q["teaching_point"].strip(),
                findings=tuple(
                    Finding(
                        text=f["text"].strip(),
                        supports=tuple(f.get("supports", ())),
                        argues_against=tuple(f.get("argues_against", ())),
                    )
                    for f in q.get("findings", ())
                ),
                references=tuple(q.get("references", ())),
                shuffle=bool(q.get("shuffle", True)),
            )
        stages.append(Stage(id=s["id"], title=s["title"].strip(), text=s["text"].strip(), question=question,
                            table=_table(s.get("table")), image=_image(s.get("image")),
                            next_stage=s.get("next_stage"), outcome=bool(s.get("outcome", False))))
    tags = data["tags"]
    return Case(
        id=data["id"],
        kind=data.get("kind", "case"),
        title=data["title"].strip(),
        synthetic=data["synthetic"],
        last_reviewed=str(data["last_reviewed"]),
        mechanisms=tuple(tags["mechanisms"]),
        scenario=tags.get("scenario"),
        red_flag=bool(tags["red_flag"]),
        difficulty=tags["difficulty"],
        summary=data["summary"].strip(),
        facilitator_notes=(data.get("facilitator_notes") or "").strip() or None,
        stages=tuple(stages),
        next_step=data["next_step"].strip(),
        teaching_point=(data.get("teaching_point") or "").strip() or None,
        references=tuple(data["references"]),
        source=source,
    )
