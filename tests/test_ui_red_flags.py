"""Red-flag triage widget, driven headless through .value and .click()."""

from __future__ import annotations

import ipywidgets as widgets
from helpers import html_values

from mslbp_widgets.tools.red_flags import default_rules
from mslbp_widgets.ui.red_flags import RedFlagTriageWidget, red_flag_triage


def test_builds_one_labelled_checkbox_per_finding_and_a_notice():
    w = red_flag_triage()
    rules = default_rules()
    assert list(w.checkboxes) == [f.id for f in rules.findings]
    for f in rules.findings:
        box = w.checkboxes[f.id]
        assert isinstance(box, widgets.Checkbox) and box.description == f.label and box.value is False
    notice = w.children[0].value
    assert "Teaching aid only, not a clinical decision tool" in notice
    assert notice.count("Teaching aid") == 1  # the headline is the disclaimer's first sentence, not a repeat
    assert w.clear_button.description.strip()


def test_starts_neutral_with_nothing_ticked():
    # An empty checklist is not a routine patient: no urgency is shown until something is ticked.
    w = red_flag_triage()
    assert w.last_result.awaiting_input
    assert "Urgency: not assessed yet." in w.output.value
    assert "Tick the findings present" in w.output.value
    assert "Urgency: Routine" not in w.output.value


def test_a_non_red_flag_tick_gives_routine_and_clearing_goes_back_to_neutral():
    w = red_flag_triage()
    w.checkboxes["mechanical-pattern"].value = True
    assert "Urgency: Routine" in w.output.value and not w.last_result.awaiting_input
    w.clear_button.click()
    assert "Urgency: not assessed yet." in w.output.value


def test_ticking_updates_level_reasons_and_sources_in_words():
    w = red_flag_triage()
    w.checkboxes["mechanical-pattern"].value = True
    assert w.last_result.level.id == "routine"
    w.checkboxes["saddle-numbness"].value = True
    assert w.last_result.level.id == "emergency"
    out = w.output.value
    assert "Urgency: Emergency: act now" in out
    assert "Cauda equina syndrome" in out
    assert "Because you ticked:" in out and "saddle area" in out
    assert "Casazza BA" in out  # full citation under the sources
    assert out.index("Emergency: act now") < out.index("Routine")  # most urgent reason first


def test_unticking_lowers_the_level():
    w = red_flag_triage()
    w.checkboxes["fever"].value = True
    assert w.last_result.level.id == "same-day"
    w.checkboxes["fever"].value = False
    assert w.last_result.level.id == "routine"


def test_clear_button_unticks_everything():
    w = red_flag_triage()
    for fid in ("fever", "history-of-cancer", "pulsatile-mass"):
        w.checkboxes[fid].value = True
    assert w.last_result.level.id == "emergency"
    w.clear_button.click()
    assert w.selection() == []
    assert w.last_result.level.id == "routine"
    assert not any(b.value for b in w.checkboxes.values())


def test_finding_notes_are_shown_as_text_under_their_checkbox():
    w = RedFlagTriageWidget(default_rules())
    html_texts = " ".join(html_values(w))
    assert "Retention can be painless" in html_texts
    box = w.checkboxes[next(f.id for f in w.rules.findings if f.note and "Retention can be painless" in f.note)]
    assert "Retention can be painless" in box.tooltip
