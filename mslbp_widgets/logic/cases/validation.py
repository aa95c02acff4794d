"""Validation of case files: the JSON Schema first, then integrity rules the schema cannot express.

Every rule yields a Problem(file, field, message) whose message says what to fix. Rules (see docs/authoring-cases.md):

schema            the file matches data/schema/case.schema.json (required fields, types, kebab-case ids,
                  `synthetic: true`, date format, mechanism vocabulary, no unknown fields)
file-name         the file is named after the case id (`<id>.yaml`)
unique-ids        case ids are unique across every file loaded together; stage, question and option ids are
                  unique within their case or question
feedback          every option has feedback
single-answer     a single-choice question has exactly one correct option; `acceptable` only on wrong options
multiple-answer   a multiple-choice question has at least one correct option and no `acceptable` options
findings          every finding points at options of its own question, never both for and against one option
references        every reference key resolves in data/references.yaml
has-question      a case asks at least one question
kind              a file in the case bank is `kind: case`; a check set is `kind: check`
branching         every `next_stage` names a stage; an outcome stage asks nothing and leads nowhere; every stage
                  is reachable from the first; no path loops (so every path ends); check sets do not branch
                  (branching.py)
tables, images    every table row has one cell per column; every picture is a file of the data folder's images/
                  or diagrams/, small enough, with alt text, and safe to show (media.py)
qtypes            matching, ordering and numeric questions: see mslbp_widgets.logic.cases.qtypes.check_qtype
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import datafiles
from ..datafiles import field_path, normalise  # noqa: F401 - re-exported: cases and tools word errors alike
from ..datafiles import schema_message as _schema_message  # noqa: F401 - re-exported
from ..errors import Problem
from ..paths import REFERENCES_FILE
from .branching import check_branching
from .media import check_media
from .qtypes import QTYPES, check_qtype

SCHEMA = "case"


def _validator():  # noqa: ANN202 - a jsonschema validator, imported only when a problem must be worded
    return datafiles.schema_validator(SCHEMA)


def is_valid_fast(data: Any) -> bool:
    """True when the compiled schema accepts the data (False on any doubt: the precise validator then decides)."""
    return datafiles.is_valid_fast(data, SCHEMA)


def schema() -> dict:
    """The case JSON Schema (as loaded from data/schema/case.schema.json)."""
    return datafiles.load_schema(SCHEMA)


def check_schema(data: Any, file: str) -> list[Problem]:
    """Problems found by the JSON Schema, one per error, in document order (none for valid data)."""
    return datafiles.schema_problems(data, SCHEMA, file)


def check_integrity(data: dict, file: str, reference_keys: Iterable[str] | None,
                    root: Path | None = None) -> list[Problem]:
    """Rules the schema cannot express, on a schema-valid case mapping. `root`: the data folder the case belongs
    to (its references.yaml gave `reference_keys`; its pictures are checked), default the course's."""
    problems: list[Problem] = []
    refs = set(reference_keys) if reference_keys is not None else None
    refs_file = (root / REFERENCES_FILE).as_posix() if root is not None else f"data/{REFERENCES_FILE}"

    def add(where: str, message: str) -> None:
        problems.append(Problem(file, where, message))

    stem = Path(file).stem
    if file and stem != data["id"]:
        add("id", f"the file is named {stem!r} but the case id is {data['id']!r}: rename the file to "
                  f"{data['id']}.yaml or change the id")

    if refs is not None:
        for i, key in enumerate(data["references"]):
            if key not in refs:
                add(f"references[{i}]", f"unknown reference key {key!r}: add it to {refs_file} or fix it")

    seen_stages: set[str] = set()
    seen_questions: set[str] = set()
    n_questions = 0
    for si, stage in enumerate(data["stages"]):
        sp = f"stages[{si}]"
        if stage["id"] in seen_stages:
            add(f"{sp}.id", f"stage id {stage['id']!r} is used twice in this case: make it unique")
        seen_stages.add(stage["id"])
        q = stage.get("question")
        if q is None:
            continue
        n_questions += 1
        qp = f"{sp}.question"
        if q["id"] in seen_questions:
            add(f"{qp}.id", f"question id {q['id']!r} is used twice in this case: make it unique")
        seen_questions.add(q["id"])
        if q["type"] in QTYPES:  # matching, ordering, numeric: their own rules (logic/cases/qtypes.py)
            problems += check_qtype(q, qp, file, refs)
            continue

        option_ids: list[str] = []
        for oi, opt in enumerate(q["options"]):
            op = f"{qp}.options[{oi}]"
            if opt["id"] in option_ids:
                add(f"{op}.id", f"option id {opt['id']!r} is used twice in this question: make it unique")
            option_ids.append(opt["id"])
            if not str(opt.get("feedback", "")).strip():
                add(f"{op}.feedback", f"option {opt['id']!r} has no feedback: every option needs feedback that "
                                      "explains why it is right or wrong")
            if opt.get("acceptable") and opt["correct"]:
                add(f"{op}.acceptable", f"option {opt['id']!r} is both correct and acceptable: `acceptable` is "
                                        "for a defensible wrong answer; remove one of them")
        n_correct = sum(1 for o in q["options"] if o["correct"])
        if q["type"] == "single":
            if n_correct != 1:
                add(f"{qp}.options", f"a single-choice question needs exactly one option with `correct: true` "
                                     f"(the best answer); this one has {n_correct}")
        else:
            if n_correct == 0:
                add(f"{qp}.options", "a multiple-choice question needs at least one option with `correct: true`")
            for oi, opt in enumerate(q["options"]):
                if opt.get("acceptable"):
                    add(f"{qp}.options[{oi}].acceptable", "`acceptable` (partial credit) is only for single-choice "
                                                          "questions; remove it")

        valid = set(option_ids)
        for fi, finding in enumerate(q.get("findings", [])):
            fp = f"{qp}.findings[{fi}]"
            for rel in ("supports", "argues_against"):
                for ri, oid in enumerate(finding.get(rel, [])):
                    if oid not in valid:
                        add(f"{fp}.{rel}[{ri}]", f"no option {oid!r} in this question; use one of: "
                                                 f"{', '.join(dict.fromkeys(option_ids))}")
            both = set(finding.get("supports", [])) & set(finding.get("argues_against", []))
            for oid in sorted(both):
                add(fp, f"the finding both supports and argues against option {oid!r}: keep one")
        if refs is not None:
            for ri, key in enumerate(q.get("references", [])):
                if key not in refs:
                    add(f"{qp}.references[{ri}]", f"unknown reference key {key!r}: add it to {refs_file} or fix it")
    if n_questions == 0:
        add("stages", "the case asks no question: give at least one stage a `question`")
    problems += check_branching(data, file)
    problems += check_media(data, file, root)
    return problems
