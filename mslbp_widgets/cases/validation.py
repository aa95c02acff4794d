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
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

from ..errors import Problem
from ..paths import data_dir


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads((data_dir() / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@lru_cache(maxsize=1)
def _fast_validator():
    """The same schema compiled by fastjsonschema (draft-07 semantics, identical for the keywords the schema uses).

    It only answers valid/invalid, quickly; jsonschema gives the precise messages when a file is invalid.
    """
    compiled = dict(_validator().schema)
    compiled["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(compiled)


def is_valid_fast(data: Any) -> bool:
    """True when the compiled schema accepts the data (False on any doubt: the precise validator then decides)."""
    try:
        _fast_validator()(data)
    except Exception:  # noqa: BLE001 - JsonSchemaException, or odd YAML data the compiled code did not expect
        return False
    return True


def schema() -> dict:
    """The case JSON Schema (as loaded from data/schema/case.schema.json)."""
    return _validator().schema


def normalise(value: Any) -> Any:
    """Turn YAML-only values into JSON ones: dates become ISO strings, mapping keys become strings."""
    if isinstance(value, Mapping):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    return value


def field_path(parts: Iterable[Any]) -> str:
    """`['stages', 1, 'question', 'options', 0, 'feedback']` -> `stages[1].question.options[0].feedback`."""
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out or "(top level)"


def _schema_message(err) -> tuple[str, str]:
    """A (field, message) pair an instructor can act on, from one jsonschema error."""
    where = list(err.absolute_path)
    kind = err.validator
    if kind == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return field_path(where + [missing]), "missing required field: add it (see docs/authoring-cases.md)"
    if kind == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        extra = sorted(set(err.instance) - set(allowed)) if isinstance(err.instance, dict) else []
        names = ", ".join(extra) or "?"
        return field_path(where), f"unknown field(s) {names}: check the spelling; allowed here: {', '.join(allowed)}"
    if kind == "const" and where == ["synthetic"]:
        return "synthetic", "must be `true`: every case in this course is synthetic (invented for teaching)"
    if kind == "enum":
        allowed = ", ".join(str(v) for v in err.validator_value)
        return field_path(where), f"{err.instance!r} is not allowed; use one of: {allowed}"
    if kind == "pattern":
        if err.validator_value.startswith("^[a-z0-9]+"):
            return field_path(where), (
                f"{err.instance!r} is not a valid id: use kebab-case (lower-case letters, digits and single "
                "hyphens), e.g. `lhermitte-shock-on-neck-flexion`"
            )
        if "[0-9]{4}" in err.validator_value:
            return field_path(where), f"{err.instance!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-21"
        return field_path(where), "must not be empty: write some text"
    if kind == "type":
        expected = err.validator_value
        names = {"string": "text", "array": "a list", "object": "a mapping (key: value lines)",
                 "boolean": "true or false", "integer": "a whole number", "number": "a number"}
        want = " or ".join(names.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        return field_path(where), f"must be {want}, not {type(err.instance).__name__}"
    if kind == "minItems":
        return field_path(where), f"needs at least {err.validator_value} item(s)"
    if kind == "maxItems":
        return field_path(where), f"has too many items (at most {err.validator_value})"
    if kind == "uniqueItems":
        return field_path(where), "lists the same item twice: remove the repeat"
    if kind == "minLength":
        return field_path(where), "must not be empty: write some text"
    if kind == "maxLength":
        return field_path(where), f"is too long (at most {err.validator_value} characters)"
    return field_path(where), err.message


def check_schema(data: Any, file: str) -> list[Problem]:
    """Problems found by the JSON Schema, one per error, in document order (none for valid data)."""
    if is_valid_fast(data):
        return []
    data = normalise(data)
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    problems = []
    for err in errors:
        f, msg = _schema_message(err)
        problems.append(Problem(file, f, msg))
    return problems


def check_integrity(data: dict, file: str, reference_keys: Iterable[str] | None) -> list[Problem]:
    """Rules the schema cannot express, on a schema-valid case mapping."""
    problems: list[Problem] = []
    refs = set(reference_keys) if reference_keys is not None else None

    def add(where: str, message: str) -> None:
        problems.append(Problem(file, where, message))

    stem = Path(file).stem
    if file and stem != data["id"]:
        add("id", f"the file is named {stem!r} but the case id is {data['id']!r}: rename the file to "
                  f"{data['id']}.yaml or change the id")

    if refs is not None:
        for i, key in enumerate(data["references"]):
            if key not in refs:
                add(f"references[{i}]", f"unknown reference key {key!r}: add it to data/references.yaml or fix it")

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
                    add(f"{qp}.references[{ri}]", f"unknown reference key {key!r}: add it to data/references.yaml "
                                                  "or fix it")
    if n_questions == 0:
        add("stages", "the case asks no question: give at least one stage a `question`")
    return problems
