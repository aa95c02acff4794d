"""Conduction explorer widget, driven headless (slider .value -> readout, chart, text alternative)."""

from __future__ import annotations

import plotly.graph_objects as go

from mslbp_widgets.ui.conduction import conduction_explorer


def test_sliders_are_labelled_and_in_range():
    w = conduction_explorer()
    assert w.demyelination.description == "Demyelination of the segment (%)"
    assert w.temperature.description == "Body temperature (°C)"
    assert (w.demyelination.min, w.demyelination.max) == (0, 100)
    assert (w.temperature.min, w.temperature.max) == (35.0, 40.0)
    assert isinstance(w.figure, go.Figure) and w.chart.figure is w.figure
    assert "Teaching simplification" in w.children[0].value


def test_moving_sliders_updates_readout_chart_and_text_alternative():
    w = conduction_explorer(demyelination_pct=50, temperature_c=37.0)
    assert "Slowed." in w.readout.value
    assert "At 37.0 °C with 50% demyelination: conduction slowed" in w.readout.value
    w.temperature.value = 38.5
    w.demyelination.value = 75
    assert w.state.state == "blocked"
    assert "At 38.5 °C with 75% demyelination: conduction blocked" in w.readout.value
    assert "Blocked." in w.readout.value
    assert "heat-related" in w.readout.value
    assert list(w.figure.data[2].x) == [75.0]  # the marked point moved in place
    assert w.figure.data[2].marker.symbol == "x"
    assert "at 38.5 °C" in w.figure.data[0].name
    assert "(75%) is blocked" in w.text_alternative.value
    w.temperature.value = 36.0  # cooling restores conduction in a heat-related block
    assert w.state.state == "slowed"
    assert "conduction slowed" in w.readout.value


def test_healthy_segment_readout():
    w = conduction_explorer(demyelination_pct=0, temperature_c=40.0)
    assert "Conducts normally." in w.readout.value


def test_banner_says_teaching_simplification_once():
    banner = conduction_explorer().children[0].value
    assert banner.count("Teaching simplification") == 1
    assert "not a biophysical model" in banner


def test_banner_says_what_the_model_leaves_out_and_why_heat_narrows_the_margin():
    banner = conduction_explorer().children[0].value
    assert "keeps conduction speed the same at every temperature" in banner
    assert "warming shortened the conduction time" in banner
    assert "Why heat narrows the margin" in banner and "little current to spare" in banner


def test_readout_at_75_percent_and_37_9_agrees_with_itself():
    w = conduction_explorer(demyelination_pct=75, temperature_c=37.0)
    for _ in range(9):  # step the slider up by 0.1 °C, as a learner would
        w.temperature.value = w.temperature.value + 0.1
    assert w.state.state == "blocked"
    assert "safety factor 1.00" not in w.readout.value
    assert "conduct again at 37.8 °C or cooler" in w.readout.value
