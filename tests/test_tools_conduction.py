"""Teaching model of conduction in a demyelinated segment (mslbp_widgets.tools.conduction)."""

from __future__ import annotations

import pytest

from mslbp_widgets.logic.errors import MslbpError
from mslbp_widgets.logic.references import get_references
from mslbp_widgets.tools import conduction as c

TEMPS = [35.0, 36.0, 37.0, 37.5, 38.0, 38.5, 39.0, 40.0]
DEMYELINATION = list(range(0, 101, 5))


@pytest.mark.parametrize("t", TEMPS)
def test_healthy_segment_conducts_normally_at_every_body_temperature(t):
    s = c.conduction_state(0, t)
    assert s.state == "normal"
    assert s.relative_velocity == 1.0
    assert s.safety_factor > 2  # a wide margin, even at 40 °C


@pytest.mark.parametrize("t", TEMPS)
def test_more_demyelination_never_helps(t):
    states = [c.conduction_state(d, t) for d in DEMYELINATION]
    sfs = [s.safety_factor for s in states]
    vs = [s.relative_velocity for s in states]
    assert all(a > b for a, b in zip(sfs, sfs[1:], strict=False) if a > 0)
    assert all(a >= b for a, b in zip(vs, vs[1:], strict=False))
    order = {"normal": 0, "slowed": 1, "blocked": 2}
    ranks = [order[s.state] for s in states]
    assert ranks == sorted(ranks)  # normal -> slowed -> blocked, never back


@pytest.mark.parametrize("d", DEMYELINATION)
def test_warming_never_helps(d):
    sfs = [c.safety_factor(d, t) for t in TEMPS]
    assert all(a >= b for a, b in zip(sfs, sfs[1:], strict=False))
    blocked = [c.conduction_state(d, t).blocked for t in TEMPS]
    assert blocked == sorted(blocked)  # once blocked by warming, stays blocked as it gets warmer


def test_slows_before_it_blocks_at_body_temperature():
    assert c.conduction_state(50, 37).state == "slowed"
    assert 0 < c.conduction_state(50, 37).relative_velocity < c.SLOWED_BELOW
    assert c.conduction_state(95, 37).state == "blocked"
    assert c.conduction_state(95, 37).relative_velocity == 0.0
    assert c.conduction_state(100, 35).blocked


def test_small_rise_in_temperature_blocks_a_severely_demyelinated_segment():
    # Rasminsky 1973 (qualitative): ~0.5 °C can block severely affected internodes, reversibly.
    d = 75
    assert not c.conduction_state(d, 37.5).blocked
    assert c.conduction_state(d, 38.0).blocked
    assert not c.conduction_state(d, 37.5).blocked  # reversible: cooling back restores conduction


def test_heat_blocks_severe_not_mild_demyelination():
    assert c.conduction_state(70, 40).blocked
    assert not c.conduction_state(70, 37).blocked
    assert not c.conduction_state(30, 40).blocked


def test_blocking_temperature_falls_steeply_with_demyelination():
    # Schauf & Davis 1974 (qualitative): the blocking temperature falls, and ever more steeply.
    temps = [c.blocking_temperature(d) for d in (0, 20, 40, 60, 80, 90)]
    drops = [a - b for a, b in zip(temps, temps[1:], strict=False)]
    assert all(d > 0 for d in drops)
    assert drops == sorted(drops)  # each equal step in demyelination lowers it more than the last
    assert c.blocking_temperature(100) is None
    # consistent with the state: just above the blocking temperature it blocks, just below it conducts
    t = c.blocking_temperature(70)
    assert c.conduction_state(70, t + 0.05).blocked and not c.conduction_state(70, t - 0.05).blocked


def test_demyelination_at_block_is_the_threshold_of_the_state():
    for t in (35.0, 37.0, 38.5, 40.0):
        threshold = c.demyelination_at_block(t)
        assert not c.conduction_state(max(0.0, threshold - 0.5), t).blocked
        assert c.conduction_state(min(100.0, threshold + 0.5), t).blocked
    assert c.demyelination_at_block(40) < c.demyelination_at_block(37) < c.demyelination_at_block(35)


@pytest.mark.parametrize("bad", [(-1, 37), (101, 37), (50, 29.9), (50, 42.1), ("50", 37), (float("nan"), 37),
                                 (True, 37)])
def test_out_of_range_inputs_raise_the_package_error(bad):
    with pytest.raises(MslbpError):
        c.conduction_state(*bad)


def test_sweep_covers_the_range_and_rejects_a_bad_step():
    points = c.sweep(37.0, step_pct=10)
    assert [p.demyelination_pct for p in points] == [float(x) for x in range(0, 101, 10)]
    with pytest.raises(c.ConductionInputError):
        c.sweep(37.0, step_pct=0)


def test_explanations_say_what_and_why():
    blocked = c.explain(c.conduction_state(75, 38.5))
    assert blocked.startswith("At 38.5 °C with 75% demyelination: conduction blocked. Why:")
    assert "heat-related" in blocked and "Uhthoff" in blocked and "Uthoff" not in blocked
    cold_block = c.explain(c.conduction_state(95, 37))
    assert "heat-related" not in cold_block and "negative symptom" in cold_block
    slowed = c.explain(c.conduction_state(50, 37))
    assert "conduction slowed to about 71% of normal speed" in slowed
    near = c.explain(c.conduction_state(70, 38.4))
    assert "Close to block" in near
    assert "conduction normal" in c.explain(c.conduction_state(0, 40))


def test_sources_resolve_and_the_note_says_simplification():
    refs = get_references()
    assert all(key in refs for key in c.SOURCES)
    assert "Teaching simplification" in c.SIMPLIFICATION_NOTE
    assert "not measurements" in c.SIMPLIFICATION_NOTE


def _slider_temperatures():
    # the explorer's temperature slider: 35.0-40.0 in 0.1 °C steps (as exact decimals and as float sums)
    return sorted({round(35 + i * 0.1, 1) for i in range(51)} | {35 + i * 0.1 for i in range(51)})


def test_readout_numbers_agree_with_the_state_on_every_slider_position():
    # A walkthrough found "safety factor 1.00, below the threshold of 1" and "would conduct again below about
    # 37.9 °C" while at 37.9 °C (75% demyelination). Every number the readout shows must agree with the state.
    import re

    for d in range(0, 101):
        for t in _slider_temperatures():
            s = c.conduction_state(d, t)
            text = c.explain(s)
            shown_sf = re.search(r"safety factor ([0-9.]+),", text)
            if shown_sf:
                assert s.blocked and float(shown_sf.group(1)) < 1, (d, t, text)
            again = re.search(r"conduct (?:again|only) at ([0-9.]+) °C or cooler", text)
            if again:
                cool = float(again.group(1))
                assert cool < round(t, 1), (d, t, text)
                assert not c.conduction_state(d, cool).blocked, (d, t, text)
            stop = re.search(r"would stop conducting at ([0-9.]+) °C, a rise of ([0-9.]+) °C", text)
            if stop:
                warmer, rise = float(stop.group(1)), float(stop.group(2))
                assert rise > 0 and warmer > round(t, 1), (d, t, text)
                assert c.conduction_state(d, warmer).blocked, (d, t, text)
                assert not c.conduction_state(d, round(warmer - 0.1, 1)).blocked, (d, t, text)


def test_the_walkthrough_case_75_percent_at_37_9():
    text = c.explain(c.conduction_state(75, 37.9))
    assert "safety factor 1.00" not in text and "safety factor 0.998" in text
    assert "conduct again at 37.8 °C or cooler" in text
    near = c.explain(c.conduction_state(75, 37.8))
    assert "would stop conducting at 37.9 °C, a rise of 0.1 °C" in near


def test_conducts_up_to_and_safety_factor_format():
    assert c.conducts_up_to(100) is None
    assert c.conducts_up_to(75) == 37.8
    assert c.format_safety_factor(0.9981) == "0.998"
    assert c.format_safety_factor(0.86) == "0.86"
    assert c.format_safety_factor(1.0) == "1.00"
    assert c.format_safety_factor(0.999999) == "just under 1"


def test_the_note_does_not_repeat_its_headline():
    assert c.SIMPLIFICATION_NOTE.count("Teaching simplification") == 1
    assert c.SIMPLIFICATION_NOTE == f"{c.SIMPLIFICATION_TITLE} {c.SIMPLIFICATION_DETAIL}"


def test_a_block_at_normal_body_temperature_is_not_called_heat_related():
    """At 37.0 °C nothing is heated: a block there is not Uhthoff's, even if slight cooling would lift it."""
    from mslbp_widgets.tools.conduction import conduction_state, explain

    for pct in range(0, 101):
        state = conduction_state(pct, 37.0)
        if state.blocked:
            assert "heat-related" not in explain(state), pct
    hot = conduction_state(75, 38.0)
    assert hot.blocked and "heat-related" in explain(hot)
