"""Headless tests of the DN4 scorer widget."""

from __future__ import annotations

from mslbp_widgets.ui.screening import dn4_scorer


def test_checkboxes_grouped_and_labelled():
    w = dn4_scorer()
    assert len(w.checkboxes) == 10
    assert w.checkboxes["burning"].description == "Q1: Burning"
    assert w.checkboxes["brushing-allodynia"].description.startswith("Q4: ")
    text = " ".join(getattr(c, "value", "") for c in w.children if hasattr(c, "value") and isinstance(c.value, str))
    assert "Interview" in text and "Examination" in text


def test_live_score_crosses_the_cut_off_between_3_and_4():
    w = dn4_scorer()
    assert w.last_result.score == 0
    for item in ("burning", "tingling", "numbness"):
        w.checkboxes[item].value = True
    assert w.last_result.score == 3 and not w.last_result.positive
    assert "Below the cut-off" in w.result.value
    w.checkboxes["hypoaesthesia-touch"].value = True
    assert w.last_result.score == 4 and w.last_result.positive
    assert "At or above the cut-off" in w.result.value
    assert "interview 3/7, examination 1/3" in w.result.value
    assert "What the score cannot tell you" in w.result.value


def test_clear_resets_score():
    w = dn4_scorer()
    w.checkboxes["itching"].value = True
    w.clear_button.click()
    assert w.last_result.score == 0
    assert all(not b.value for b in w.checkboxes.values())
