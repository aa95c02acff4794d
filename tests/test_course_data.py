"""The course's own data: every case and check set valid, vocabulary consistent, references complete."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from mslbp_widgets.logic.cases import case_library, check_library, get_case
from mslbp_widgets.logic.evaluate import evaluate
from mslbp_widgets.logic.paths import data_dir

DATA = data_dir()
DOSE = re.compile(r"\b\d+(\.\d+)?\s?(mg|mcg|µg|microgram|g/day|ml/h|units?)\b", re.IGNORECASE)
CHECKS = ["check-05-red-flags", "check-06-management"]


def test_case_bank_and_check_sets_load() -> None:
    cases = case_library()
    assert len(cases) >= 1
    assert all(c.kind == "case" and c.synthetic for c in cases.values())
    checks = check_library()
    assert all(c.kind == "check" and c.synthetic for c in checks.values())
    assert not set(cases) & set(checks), "ids are unique across cases and checks"


def test_no_drug_doses_in_any_case_or_check() -> None:
    for path in sorted((DATA / "cases").glob("*.yaml")) + sorted((DATA / "checks").glob("*.yaml")):
        match = DOSE.search(path.read_text(encoding="utf-8"))
        assert match is None, f"{path.name} seems to give a dose: {match.group(0)!r}"


def test_mechanism_vocabulary_matches_the_schema() -> None:
    schema = json.loads((DATA / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    enum = schema["$defs"]["mechanism"]["enum"]
    labels = yaml.safe_load((DATA / "mechanisms.yaml").read_text(encoding="utf-8"))
    assert list(labels) == enum
    assert all(v["label"] and v["description"] for v in labels.values())


@pytest.mark.parametrize("check_id", CHECKS)
def test_check_loads_as_a_synthetic_check_and_best_answers_score_full(check_id):
    case = get_case(check_id)
    assert case.kind == "check" and case.synthetic
    assert 2 <= len(case.questions) <= 4
    for q in case.questions:
        result = evaluate(q, [o.id for o in q.best])
        assert result.verdict == "correct", q.id


def test_new_retention_on_a_baseline_bladder_is_an_emergency():
    q = get_case("check-05-red-flags").question("next-action")
    assert [o.id for o in q.best] == ["emergency-mri"]
    assert evaluate(q, "blame-ms-bladder").verdict == "incorrect"
    assert evaluate(q, "wait-for-signs").verdict == "incorrect"


def test_ng59_scope_trap_is_marked_wrong():
    q = get_case("check-06-management").question("drug-choice")
    assert evaluate(q, "ng59-forbids").verdict == "incorrect"
    assert "CG173" in q.option("ng59-forbids").feedback


@pytest.mark.parametrize("check_id", CHECKS)
def test_no_drug_doses(check_id):
    text = (data_dir() / "checks" / f"{check_id}.yaml").read_text(encoding="utf-8")
    assert not re.search(r"\d\s*(mg|mcg|µg|microgram|units?)\b", text, re.IGNORECASE)


@pytest.mark.parametrize("check_id", CHECKS)
def test_check_widget_builds(check_id, tmp_path, monkeypatch):
    monkeypatch.setenv("MSLBP_PROGRESS_FILE", str(tmp_path / "attempts.json"))
    from mslbp_widgets import check_understanding

    widget = check_understanding(check_id, progress=False)
    check = get_case(check_id)
    first = check.stages[0]
    assert widget.case.id == check_id and widget.compact and len(widget.stage_views) == 1
    assert f"Question 1 of {len(check.stages)}" in widget.current.text.value
    shown = ([label for label, _ in widget.current.choice.options] if widget.current.choice is not None
             else [box.description for box in widget.current.checkboxes.values()])
    assert shown == [o.text for o in first.question.display_options()]
