"""Headless tests of the feature checklist widget: ticking boxes drives the tally through the pure logic."""

from __future__ import annotations

import ipywidgets as widgets

from mslbp_widgets.tools.features import feature_set
from mslbp_widgets.ui.features import feature_checklist


def test_one_labelled_checkbox_per_finding():
    w = feature_checklist()
    fs = feature_set()
    assert set(w.checkboxes) == {f.id for f in fs.features}
    for fid, box in w.checkboxes.items():
        assert isinstance(box, widgets.Checkbox)
        assert box.description == fs.feature(fid).text  # visible label, not an icon
        assert box.value is False
    assert w.clear_button.description == "Clear all ticks"


def test_ticking_updates_the_tally_in_words():
    w = feature_checklist()
    assert "Tick the findings" in w.result.value
    w.checkboxes["asymmetric-depressed-reflex"].value = True
    w.checkboxes["worse-sitting-coughing"].value = True
    assert w.last_assessment.leading == ("radicular",)
    assert "Radicular (nerve root) fits best" in w.result.value
    assert "<table" in w.result.value and "Findings against" in w.result.value
    assert "Teaching aid, not a diagnostic tool" in w.result.value
    # the explanation of each ticked finding is shown
    assert "lower motor neuron sign" in w.result.value


def test_unticking_and_clear():
    w = feature_checklist()
    w.checkboxes["muscular-ache-pulling"].value = True
    w.checkboxes["velocity-dependent-tone"].value = True
    assert w.selection() == ["muscular-ache-pulling", "velocity-dependent-tone"]
    w.checkboxes["muscular-ache-pulling"].value = False
    assert w.selection() == ["velocity-dependent-tone"]
    w.clear_button.click()
    assert w.selection() == []
    assert w.last_assessment.selected == ()
    assert "Tick the findings" in w.result.value


def test_red_flag_is_announced():
    w = feature_checklist()
    w.checkboxes["new-sphincter-or-saddle"].value = True
    assert "role='alert'" in w.result.value
    assert "red-flag finding" in w.result.value


def test_red_flag_row_is_first_and_marked_in_words():
    w = feature_checklist()
    for fid in ("brief-shocks-neck-flexion", "nothing-between-attacks", "new-sphincter-or-saddle"):
        w.checkboxes[fid].value = True
    html = w.result.value
    assert html.index("Summary:</strong> RED FLAG:") < html.index("Paroxysmal")
    body = html[html.index("<tbody>"):]
    first_row = body[:body.index("</tr>")]
    assert "RED FLAG:" in first_row and "Serious spinal cause" in first_row
    why = html[html.index("Why each ticked finding counts"):]
    assert why.index("RED FLAG:") < why.index("Electric shocks")
    assert html.count("role=") == 1  # one role on the summary (alert), not two


def test_ticking_one_dn4_result_unticks_the_other():
    w = feature_checklist()
    w.checkboxes["dn4-positive"].value = True
    w.checkboxes["dn4-negative"].value = True
    assert w.selection() == ["dn4-negative"]
    assert w.checkboxes["dn4-positive"].value is False
    w.checkboxes["dn4-positive"].value = True
    assert w.selection() == ["dn4-positive"]
    assert [f.id for f in w.last_assessment.selected] == ["dn4-positive"]
