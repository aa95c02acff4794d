"""The package's records (logic/records.py): msgspec structs that behave as the frozen dataclasses they replaced,
and no dataclass left in the package (each costs about 20 times a struct to create at import)."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

import mslbp_widgets
from mslbp_widgets.classroom.exports import ClassAttempt
from mslbp_widgets.logic.attempts import Attempt
from mslbp_widgets.logic.cases import get_case
from mslbp_widgets.logic.errors import Problem
from mslbp_widgets.logic.records import MutableRecord, Record, replace

PACKAGE = Path(mslbp_widgets.__file__).resolve().parent


def _attempt(**changes) -> Attempt:
    base = Attempt("0" * 32, "case-a", "q1", ("x",), "correct", 1.0, 4, "2026-12-06T10:00:00Z")
    return replace(base, **changes) if changes else base


def test_a_record_is_frozen_compared_and_hashed_by_its_fields() -> None:
    a = _attempt()
    with pytest.raises(AttributeError):
        a.verdict = "incorrect"  # type: ignore[misc]
    assert a == _attempt() and hash(a) == hash(_attempt())
    assert a != _attempt(verdict="incorrect")
    assert a.stage_id is None and a.answer is None  # defaults
    assert repr(a).startswith("Attempt(attempt_id='000")
    assert pickle.loads(pickle.dumps(a)) == a  # records cross processes pickled, as the case loader's problems do


def test_replace_changes_only_the_named_fields() -> None:
    a = _attempt()
    b = replace(a, stage_id="s2", confidence=None)
    assert (b.stage_id, b.confidence, b.case_id, b.selection) == ("s2", None, a.case_id, a.selection)
    assert a.stage_id is None  # the original is unchanged
    with pytest.raises(TypeError):
        replace(a, no_such_field=1)


def test_a_subclass_adds_keyword_only_fields_after_its_parents() -> None:
    c = ClassAttempt(*[getattr(_attempt(), f) for f in Attempt.__struct_fields__], learner_id="L", order=3)
    assert (c.learner_id, c.order, c.timestamp, c.case_id) == ("L", 3, 0.0, "case-a")
    assert isinstance(c, Attempt)
    with pytest.raises(TypeError):
        ClassAttempt(*[getattr(_attempt(), f) for f in Attempt.__struct_fields__], "L", 3)  # type: ignore[misc]


def test_a_problem_is_the_same_problem_on_another_line() -> None:
    """The line and column of a problem are found late (only to report it) and are not part of its identity."""
    p = Problem("cases/a.yaml", "stages[0].text", "must not be empty")
    placed = replace(p, line=12, column=3)
    assert placed == p and hash(placed) == hash(p) and len({p, placed}) == 1
    assert placed != replace(p, message="something else")
    assert str(placed) == "cases/a.yaml:12:3: stages[0].text: must not be empty"
    back = pickle.loads(pickle.dumps(placed))  # a large folder's workers send their problems back pickled
    assert (back, back.line, back.column) == (placed, 12, 3)


def test_a_case_is_the_same_case_read_from_another_file() -> None:
    case = get_case("lhermitte-shock-on-neck-flexion")
    moved = replace(case, source="elsewhere/copy.yaml")
    assert moved == case and hash(moved) == hash(case)
    assert replace(case, title="Another title") != case


def test_records_are_the_only_record_classes_in_the_package() -> None:
    """No ``@dataclass`` anywhere in the package: a record subclasses Record or MutableRecord."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "dataclasses" or (
                    isinstance(node, ast.Import) and any(a.name == "dataclasses" for a in node.names)):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == []
    assert issubclass(Attempt, Record) and not issubclass(MutableRecord, Record)
