"""The case bank (ui/bank.py), headless: filters, position, answered marks, the summary charts."""

from __future__ import annotations

import html
import re

import plotly.graph_objects as go
import pytest
from helpers import CASE_FILE, REPO, answer, example_case, variant, visible_html

from mslbp_widgets.logic.progress import ProgressLog
from mslbp_widgets.ui.bank import CaseBank

REPO_DATA = REPO / "data"
EXAMPLE = CASE_FILE


@pytest.fixture()
def bank(log) -> CaseBank:
    library = [  # given out of order: the bank shows introductory, intermediate, then advanced cases
        variant("case-c", ["mechanical"], "advanced", scenario="mechanical-radicular"),
        variant("case-b", ["spasticity", "mechanical"], "intermediate"),
        variant("case-a", ["spasticity"], "introductory"),
    ]
    return CaseBank(library, progress=log,
                    labels={"spasticity": "Spasticity-related", "mechanical": "Mechanical, not caused by MS",
                            "mixed": "Mixed"})


def position(bank: CaseBank) -> str:
    """"Case k of n" (the answered count after it is tested separately)."""
    return re.sub(r"<[^>]+>", "", bank.position.value).split(" · ")[0]


def test_bank_filters_and_position(bank):
    assert position(bank) == "Case 1 of 3"
    assert bank.scenario.case.id == "case-a" and bank.previous_button.disabled
    assert [label for label, _ in bank.mechanism.options] == [
        "All mechanisms", "Spasticity-related", "Mechanical, not caused by MS"
    ], "only mechanisms present in the bank, with their labels, in vocabulary order"
    bank.next_button.click()
    assert position(bank) == "Case 2 of 3" and bank.scenario.case.id == "case-b"
    bank.mechanism.value = "spasticity"
    assert position(bank) == "Case 1 of 2"
    bank.next_button.click()
    assert position(bank) == "Case 2 of 2" and bank.next_button.disabled and not bank.previous_button.disabled
    bank.previous_button.click()
    assert bank.scenario.case.id == "case-a"
    bank.difficulty.value = "intermediate"
    assert position(bank) == "Case 1 of 1" and bank.scenario.case.id == "case-b"
    bank.difficulty.value = "advanced"
    assert position(bank) == "No cases" and bank.scenario is None
    assert "No case matches these filters" in visible_html(bank)
    bank.mechanism.value = ""
    assert position(bank) == "Case 1 of 1" and bank.scenario.case.id == "case-c"


def test_bank_filters_by_kind_of_case_with_counts(bank):
    assert bank.case_type.options == (
        ("All kinds of case", ""), ("Mixed pain (2)", "mixed"),
        ("Mechanical or radicular pain unrelated to MS (1)", "mechanical-radicular")), "scenarios.yaml order, counted"
    bank.case_type.value = "mixed"
    assert position(bank) == "Case 1 of 2" and {c.id for c in bank.filtered} == {"case-a", "case-b"}
    bank.difficulty.value = "advanced"
    assert position(bank) == "No cases" and "All kinds of case" in visible_html(bank)
    bank.case_type.value = ""
    assert [c.id for c in bank.filtered] == ["case-c"]


def test_kind_of_case_counts_follow_the_other_filters(bank):
    """The kinds offered, and their counts, are those of the mechanism and difficulty chosen; a chosen kind that
    no longer matches stays chosen, with 0, so the menu does not jump."""
    bank.mechanism.value = "mechanical"
    assert bank.case_type.options == (
        ("All kinds of case", ""), ("Mixed pain (1)", "mixed"),
        ("Mechanical or radicular pain unrelated to MS (1)", "mechanical-radicular"))
    bank.mechanism.value = "spasticity"
    assert bank.case_type.options == (("All kinds of case", ""), ("Mixed pain (2)", "mixed")), \
        "a kind with no case under this mechanism is not offered"
    bank.mechanism.value = ""
    bank.case_type.value = "mechanical-radicular"
    assert [c.id for c in bank.filtered] == ["case-c"]
    bank.difficulty.value = "introductory"
    assert bank.case_type.value == "mechanical-radicular", "the chosen kind stays chosen"
    assert bank.case_type.options == (
        ("All kinds of case", ""), ("Mixed pain (1)", "mixed"),
        ("Mechanical or radicular pain unrelated to MS (0)", "mechanical-radicular"))
    assert position(bank) == "No cases"
    bank.difficulty.value = ""
    assert bank.case_type.value == "mechanical-radicular" and [c.id for c in bank.filtered] == ["case-c"]


def test_next_case_under_a_finished_case(log, monkeypatch):
    """Once a case is finished, its position and a "Next case" button show under its end too; it does what the
    top button does, and keyboard focus moves to the top button of the next case."""
    focused = []
    monkeypatch.setattr("mslbp_widgets.ui.bank.focus", focused.append)
    bank = CaseBank([example_case(), variant("case-b", ["spasticity"], "intermediate")], progress=log)
    assert bank.case_box.children == (bank.scenario, bank.end_nav)
    assert bank.end_nav.layout.display == "none", "not before the case is finished"
    scenario = bank.scenario
    for choice in ("trigger", "lhermitte", {"new-symptom"}):
        answer(scenario.current, choice)
        scenario.current.next_button.click()
    assert scenario.finished and bank.end_nav.layout.display == ""
    assert bank.end_position.value == bank.position.value
    assert "you have answered this case ·" in bank.end_position.value
    assert not bank.end_next_button.disabled
    bank.end_next_button.click()
    assert bank.index == 1 and bank.scenario.case.id == "case-b"
    assert bank.end_nav.layout.display == "none" and bank.end_next_button.disabled, "the last case: no next one"
    assert focused == [bank.previous_button], "focus goes to the top of the new case (Next is disabled there)"
    bank.go(0)
    bank.next_button.click()
    assert bank.index == 1 and focused == [bank.previous_button], "the top button keeps its own focus"


def test_start_a_finished_case_again_keeps_the_answers_given(log, monkeypatch):
    focused = []
    monkeypatch.setattr("mslbp_widgets.ui.bank.focus", focused.append)
    bank = CaseBank([example_case(), variant("case-b", ["spasticity"], "intermediate")], progress=log)
    first = bank.scenario
    for choice in ("trigger", "lhermitte", {"new-symptom"}):
        answer(first.current, choice)
        first.current.next_button.click()
    assert first.finished and bank.end_nav.layout.display == ""
    assert [b.description for b in bank.end_nav.children[1:]] == ["Start this case again", "Next case"]
    saved = len(log.attempts())
    bank.restart_button.click()
    again = bank.scenario
    assert again is not first and again.case.id == first.case.id and bank.index == 0
    assert not again.finished and len(again.stage_views) == 1 and again.current.result is None
    assert bank.end_nav.layout.display == "none" and len(log.attempts()) == saved
    assert focused == [again.current.first_control()]


def test_the_course_bank_offers_every_kind_of_case_it_holds(log):
    from mslbp_widgets.logic.cases import case_library

    cases = case_library()
    shipped = CaseBank(cases, progress=log)
    values = [v for _label, v in shipped.case_type.options[1:]]
    assert set(values) == {c.scenario for c in cases.values()}
    levels = [c.difficulty for c in shipped.cases]
    assert levels == sorted(levels, key=["introductory", "intermediate", "advanced"].index)
    assert shipped.scenario.case.difficulty == "introductory"  # a learner starts with an introductory case
    for label, value in shipped.case_type.options[1:]:
        shipped.case_type.value = value
        assert label.endswith(f"({len(shipped.filtered)})") and all(c.scenario == value for c in shipped.filtered)


def test_bank_summary_charts_with_text_alternatives(bank, log):
    answer(bank.scenario.current, "trigger", confidence=4)  # case-a, correct
    bank.scenario.current.retry_button.click()
    answer(bank.scenario.current, "lifting", confidence=4)  # a second try: not counted
    bank.next_button.click()
    answer(bank.scenario.current, "bowel-bladder", confidence=5)  # case-b, incorrect
    bank.summary_button.click()
    assert isinstance(bank.accuracy_figure, go.Figure) and isinstance(bank.calibration_figure, go.Figure)
    assert bank.accuracy_view.figure is bank.accuracy_figure and bank.calibration_view.figure is bank.calibration_figure
    acc = bank.accuracy_text.value
    assert "Spasticity-related: 1 of 2 correct (50%)" in acc
    assert "Mechanical, not caused by MS: 0 of 1 correct (0%)" in acc
    cal = bank.calibration_text.value
    assert "at 4, 1 of 1 correct (100%)" in cal and "at 5 (certain), 0 of 1 correct (0%)" in cal
    assert "first try" in visible_html(bank.summary)
    # The summary follows new answers once it is shown.
    bank.scenario.current.retry_button.click()
    bank.next_button.click()
    answer(bank.scenario.current, "trigger", confidence=1)  # case-c, correct
    assert "Mechanical, not caused by MS: 1 of 2 correct (50%)" in bank.accuracy_text.value


def test_an_open_summary_is_recomputed_only_after_a_first_try(bank, log, monkeypatch):
    """A second try cannot change a summary of first tries: it no longer recomputes it (300 attempts: a millisecond
    of the kernel's time on every Check click); a first try at another question still does."""
    answer(bank.scenario.current, "trigger", confidence=4)
    bank.summary_button.click()
    computed = []
    real = bank.show_summary
    monkeypatch.setattr(bank, "show_summary", lambda: computed.append(1) or real())
    bank.scenario.current.retry_button.click()
    answer(bank.scenario.current, "lifting", confidence=2)
    assert computed == [] and len(log.attempts()) == 2
    bank.next_button.click()
    answer(bank.scenario.current, "bowel-bladder", confidence=5)
    assert computed == [1]
    assert "Mechanical, not caused by MS: 0 of 1 correct (0%)" in bank.accuracy_text.value


def test_summary_appears_when_the_last_case_is_finished(log):
    bank = CaseBank([example_case()], progress=log)
    assert bank.summary.children == ()
    scenario = bank.scenario
    for choice in ("trigger", "lhermitte", {"new-symptom"}):
        answer(scenario.current, choice)
        scenario.current.next_button.click()
    assert scenario.finished and bank.summary.children
    assert "Paroxysmal neuropathic (e.g. Lhermitte's): 2 of 3 correct (67%)" in html.unescape(bank.accuracy_text.value)


def test_empty_summary(bank):
    bank.summary_button.click()
    assert "no answers yet" in bank.accuracy_text.value
    assert "nothing to chart" in bank.calibration_text.value


def test_bank_marks_answered_cases_also_after_loading_a_download(bank, log, tmp_path):
    from mslbp_widgets.logic.cases.coverage import minutes

    full = lambda: re.sub(r"<[^>]+>", "", bank.position.value)  # noqa: E731
    took = f"about {minutes(bank.scenario.case)[0]} minutes"  # the same text in every case of this bank
    assert full() == f"Case 1 of 3 · {took} · 0 of 3 answered"
    answer(bank.scenario.current, "trigger", confidence=4)
    assert full() == f"Case 1 of 3 · {took} · you have answered this case · 1 of 3 answered"
    bank.next_button.click()
    assert full() == f"Case 2 of 3 · {took} · 1 of 3 answered"
    other = ProgressLog(tmp_path / "other.json", learner_id=log.learner_id)  # the same learner on another computer
    other.add("case-b", "q1", ["a"], "correct", 1.0, 3)
    assert bank.controls.load_download(other.export_json(), "earlier.json") == 1
    assert full() == f"Case 2 of 3 · {took} · you have answered this case · 2 of 3 answered"
