"""Feature checklist logic (mslbp_widgets.tools.features): loading, validation, tally."""

from __future__ import annotations

from pathlib import Path

import pytest

from mslbp_widgets.logic.errors import SelectionError
from mslbp_widgets.tools import features as F
from mslbp_widgets.tools.features import assess, feature_set, load_features

FIXTURES = Path(__file__).parent / "fixtures" / "features"


@pytest.fixture()
def mini():
    return load_features(FIXTURES / "ok-minimal.yaml")


def test_ok_fixture_loads(mini):
    assert [g.id for g in mini.groups] == ["quality", "exam"]
    assert [f.id for f in mini.in_group("exam")] == ["low-reflex", "red-flag"]
    burning = mini.feature("burning")
    assert burning.supports == ("central-neuropathic", "radicular")
    assert burning.argues_against == ("mechanical",)
    # kinds follow the order of data/mechanisms.yaml, not the order of first use
    assert mini.kinds == ("central-neuropathic", "mechanical", "radicular", "serious-structural")


def test_validation_reports_every_problem_at_once():
    raw = {
        "caveat": "x",
        "groups": [{"id": "q", "label": "Q"}],
        "features": [
            {"id": "Bad Id", "group": "q", "text": "t", "explanation": "e", "supports": ["nope"],
             "references": ["clinical-evidence"]},
            {"id": "b", "group": "zz", "text": "", "explanation": "e", "supports": ["mechanical"]},
        ],
    }
    problems = F.validate_features(raw, "x.yaml", {"mechanical": "Mechanical"}, {"clinical-evidence"})
    fields = {p.field for p in problems}
    assert {
        "features[0] (Bad Id).id",
        "features[0] (Bad Id).supports[0]",
        "features[1] (b).group",
        "features[1] (b).text",
        "features[1] (b).references",
    } <= fields


def test_assess_counts_for_and_against(mini):
    a = assess(["burning", "low-reflex"], mini)
    radicular = a.tally("radicular")
    assert [f.id for f in radicular.supporting] == ["burning", "low-reflex"]
    assert radicular.net == 2
    central = a.tally("central-neuropathic")
    assert central.net == 0 and len(central.supporting) == 1 and len(central.against) == 1
    assert a.tally("mechanical").net == -1
    assert a.leading == ("radicular",)
    assert a.tallies[0].kind == "radicular"
    assert "Radicular (nerve root) fits best" in a.summary
    assert radicular.description == "supported by 2 findings, argued against by 0 findings"


def test_assess_nothing_ticked(mini):
    a = assess([], mini)
    assert a.selected == () and a.leading == () and not a.red_flag
    assert a.summary.startswith("Tick the findings")
    assert all(t.net == 0 for t in a.tallies)


def test_tie_is_reported_as_tie(mini):
    a = assess(["burning"], mini)  # supports central-neuropathic and radicular equally
    assert a.leading == ("central-neuropathic", "radicular")
    assert "fit equally well" in a.summary
    assert "more than one kind of pain" not in a.summary, "one finding fitting two kinds is not two pains"
    two = assess(["ache-with-movement", "low-reflex"], mini)  # two different findings, each for its own kind
    assert "more than one kind of pain" in two.summary


def test_red_flag_warning_is_added(mini):
    a = assess(["ache-with-movement", "red-flag"], mini)
    assert a.red_flag
    assert a.summary.startswith("RED FLAG: Point tenderness.")  # the warning leads, before what fits best
    assert "Of the other kinds, “mechanical" in a.summary
    assert "prompt assessment" in a.summary and "benign" not in a.summary


def test_only_negative_evidence_favours_nothing(mini):
    a = assess(["low-reflex"], mini)
    assert a.leading == ("radicular",)
    # a feature that only argues against gives no leader
    raw_only_against = assess(["burning", "ache-with-movement"], mini)
    assert raw_only_against.tally("mechanical").net == 0


def test_unknown_feature_is_a_selection_error(mini):
    with pytest.raises(SelectionError, match="unknown finding 'nope'"):
        assess(["burning", "nope"], mini)


def test_order_and_repeats_do_not_matter(mini):
    a = assess(["low-reflex", "burning", "burning"], mini)
    b = assess(["burning", "low-reflex"], mini)
    assert a == b


def test_single_string_selection(mini):
    assert assess("burning", mini).selected[0].id == "burning"


# --- the course's own checklist: clinical rules the teaching depends on ---------------------------------------

def test_course_checklist_loads_and_covers_the_fact_base_columns():
    fs = feature_set()
    assert len(fs.features) >= 25
    for kind in ("central-neuropathic", "paroxysmal-neuropathic", "spasticity", "gait-posture", "mechanical",
                 "radicular", "referred-visceral", "serious-structural"):
        assert kind in fs.kinds


def test_radicular_pain_is_position_provoked_in_the_checklist():
    # correction of seed 000: radicular (neuropathic) pain IS provoked by position
    f = feature_set().feature("worse-sitting-coughing")
    assert "radicular" in f.supports and "central-neuropathic" in f.argues_against


def test_reflex_pattern_localises_the_root_even_in_ms():
    a = assess(["umn-signs", "asymmetric-depressed-reflex", "shooting-below-knee", "positive-slr"])
    assert a.leading == ("radicular",)


def test_lhermitte_pattern_leads_to_paroxysmal():
    a = assess(["brief-shocks-neck-flexion", "nothing-between-attacks", "umn-signs"])
    assert a.leading == ("paroxysmal-neuropathic",)


def test_dn4_positive_does_not_localise():
    f = feature_set().feature("dn4-positive")
    assert set(f.supports) == {"central-neuropathic", "radicular"}


def test_spasticity_pattern():
    a = assess(["muscular-ache-pulling", "worse-after-immobility", "spasticity-triggers", "velocity-dependent-tone"])
    assert a.leading == ("spasticity",)
    assert not a.red_flag


def test_fracture_pattern_raises_red_flag():
    a = assess(["sudden-after-minor-fall", "midline-point-tenderness", "eased-by-rest-support"])
    assert a.red_flag
    assert a.leading == ("serious-structural",)


# --- red flag first; findings that exclude each other ------------------------------------------------------------


def test_red_flag_leads_the_summary_and_is_pinned_first_whatever_the_counts():
    # Two findings for paroxysmal pain against one red flag: the counts must not put the red flag second.
    a = assess(["brief-shocks-neck-flexion", "nothing-between-attacks", "new-sphincter-or-saddle"])
    assert a.red_flag
    assert a.summary.startswith("RED FLAG: New bladder or bowel change")
    assert "immediate (emergency) assessment" in a.summary.split(". ")[1], "as the triage tool rates it"
    assert a.summary.index("RED FLAG") < a.summary.index("paroxysmal")
    assert a.tallies[0].kind == F.RED_FLAG_KIND and a.tallies[0].red_flag
    assert a.tallies[1].kind == "paroxysmal-neuropathic"
    assert [f.id for f in a.ordered_selected][0] == "new-sphincter-or-saddle"


def test_red_flag_alone_summary_is_the_warning(mini):
    a = assess(["red-flag"], mini)
    assert a.summary == a.warning and a.warning.startswith("RED FLAG: Point tenderness.")


def test_no_red_flag_no_warning(mini):
    a = assess(["burning"], mini)
    assert not a.red_flag and a.warning == "" and "RED FLAG" not in a.summary
    assert not any(t.red_flag for t in a.tallies)


def test_dn4_results_exclude_each_other_both_ways():
    fs = feature_set()
    assert fs.conflicts("dn4-positive") == ("dn4-negative",)
    assert fs.conflicts("dn4-negative") == ("dn4-positive",)
    assert fs.conflicts("burning-tingling") == ()
    with pytest.raises(SelectionError, match="exclude each other"):
        assess(["dn4-positive", "dn4-negative"])
    assert assess(["dn4-positive"]).selected[0].id == "dn4-positive"
