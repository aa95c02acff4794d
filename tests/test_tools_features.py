"""Feature checklist logic (mslbp_widgets.tools.features): loading, validation, tally."""

from __future__ import annotations

from pathlib import Path

import pytest

from mslbp_widgets.logic.datafiles import validate_data
from mslbp_widgets.logic.errors import DataValidationError, SelectionError
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
             "references": ["ref-one"]},
            {"id": "b", "group": "zz", "text": "", "explanation": "e", "supports": ["mechanical"]},
        ],
    }
    with pytest.raises(DataValidationError) as info:
        validate_data(raw, F.SCHEMA, "x.yaml", F.WHAT, F._cross_checks({"mechanical"}, {"ref-one"}))
    fields = {p.field for p in info.value.problems}
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
    # a red-flag finding without its own urgency gets the triage's "within days" level, in the triage's words
    assert a.urgency == "soon"
    assert "a prompt, targeted review within days (“Soon: within days” in the red-flag triage)" in a.summary
    assert "benign" not in a.summary


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
    assert "“Emergency: act now” in the red-flag triage" in a.summary
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


# --- clinical review: the checklist's urgency matches the red-flag triage ------------------------------------------


def test_urgency_words_are_the_triage_levels():
    from mslbp_widgets.tools.red_flags import default_rules

    rules = default_rules()
    for level_id, (label, _speed) in F.URGENCY_WORDS.items():
        assert rules.level(level_id).label == label


def test_every_red_flag_finding_of_the_course_checklist_has_its_own_urgency():
    red = {f.id for f in feature_set().features if f.red_flag}
    assert red == set(F.RED_FLAG_URGENCY)


def test_fever_is_split_from_weight_loss_and_rated_as_the_triage_rates_it():
    from mslbp_widgets.tools.red_flags import triage

    fever = assess(["fever-chills-rigors"])
    assert fever.red_flag and fever.urgency == "same-day"
    assert "a medical assessment today (“Urgent: same day” in the red-flag triage)" in fever.summary
    assert triage(["fever"]).level.id == triage(["rigors"]).level.id == fever.urgency
    weight = assess(["unexplained-weight-loss"])
    assert weight.red_flag and weight.urgency == "soon" == triage(["unexplained-weight-loss"]).level.id
    assert "“Soon: within days”" in weight.summary
    both = assess(["fever-chills-rigors", "unexplained-weight-loss"])
    assert both.urgency == "same-day"  # the most urgent red flag sets the level
    with pytest.raises(SelectionError):
        assess(["fever-weight-loss"])  # the lumped finding is gone


def test_checklist_urgency_matches_the_triage_for_the_same_finding():
    from mslbp_widgets.tools.red_flags import triage

    same = {
        "new-sphincter-or-saddle": ["new-urinary-retention"],
        "fever-chills-rigors": ["fever"],
        "new-band-or-sensory-level": ["new-band-or-sensory-level"],
        "sudden-after-minor-fall": ["minor-fall-sudden-pain", "prolonged-steroids"],
        "severe-constant-night": ["night-pain"],
        "unexplained-weight-loss": ["unexplained-weight-loss"],
        "pulsatile-mass": ["pulsatile-mass"],
        "sudden-severe-pain-vascular-risk": ["sudden-severe-pain-vascular-risk"],
    }
    for feature_id, ticked in same.items():
        assert assess([feature_id]).urgency == triage(ticked).level.id, feature_id


def test_a_new_band_or_sensory_level_is_a_red_flag_not_just_central_pain():
    old = assess(["band-like", "sensory-level"])
    assert not old.red_flag and old.leading == ("central-neuropathic",)
    new = assess(["band-like", "sensory-level", "new-band-or-sensory-level"])
    assert new.red_flag and new.urgency == "same-day"
    assert new.summary.startswith("RED FLAG: The band-like pain or the sensory level is new")
    assert "“Urgent: same day” in the red-flag triage" in new.summary
    assert new.tallies[0].kind == F.RED_FLAG_KIND
    assert "Of the other kinds, “central neuropathic" in new.summary
    wording = ("Leg weakness that is getting worse, a bladder, bowel or saddle change, a fever or rigors, or a "
               "history of cancer make it an emergency.")
    assert wording in feature_set().feature("new-band-or-sensory-level").explanation
    fs = feature_set()
    for fid in ("band-like", "new-band-or-sensory-level"):
        text = fs.feature(fid).explanation
        for cause in ("relapse", "cord compression" if fid == "band-like" else "compression of the spinal cord",
                      "heart", "pleura", "gut", "shingles"):
            assert cause in text, (fid, cause)


def test_central_pain_is_not_driven_by_spinal_loading_but_can_still_be_worsened():
    fs = feature_set()
    text = " ".join(f.explanation for f in fs.features)
    assert "not position-dependent" not in text and "unaffected by position" not in text
    for fid in ("ache-sharp-with-movement", "worse-bending-lifting"):
        explanation = fs.feature(fid).explanation
        assert "not driven by" in explanation and "heat" in explanation and "touch" in explanation


def test_a_possible_leaking_aneurysm_shows_an_emergency_red_flag_warning():
    # Clinical review (DANGEROUS): "a pulsatile abdominal mass" sat inside organ-signs, which supported only
    # referred-visceral, so no RED FLAG warning showed; sudden severe pain with vascular risk had no finding.
    from mslbp_widgets.tools.red_flags import triage

    for feature_id, text in (("pulsatile-mass", "A pulsating mass in the abdomen with the back pain"),
                             ("sudden-severe-pain-vascular-risk",
                              "Sudden, severe back or abdominal pain in an older person with vascular risk factors "
                              "(even with no mass)")):
        a = assess([feature_id])
        assert a.red_flag and a.urgency == "emergency" == triage([feature_id]).level.id, feature_id
        assert a.summary.startswith(f"RED FLAG: {text}.")
        assert "immediate (emergency) assessment (“Emergency: act now” in the red-flag triage)" in a.summary
        assert a.tallies[0].kind == F.RED_FLAG_KIND
        assert "referred-visceral" in feature_set().feature(feature_id).supports
        # the warning leads whatever else is ticked
        mixed = assess([feature_id, "worse-bending-lifting", "local-tenderness", "eased-by-rest-support"])
        assert mixed.summary.startswith("RED FLAG") and mixed.urgency == "emergency"
    organ = feature_set().feature("organ-signs")
    assert not organ.red_flag and "pulsat" not in organ.text
    assert "kidney" in organ.text and "blood in the urine" in organ.text and "abdominal signs" in organ.text


def test_checklist_findings_rest_on_published_sources_not_lay_articles():
    from mslbp_widgets.logic.references import load_references

    refs = load_references()
    fs = feature_set()
    for f in fs.features:
        # a lay article may follow a published source as context, never stand first or alone
        assert f.references and not refs[f.references[0]].lay_source, f.id
        lay = [k for k in f.references if refs[k].lay_source]
        assert lay in ([], ["verywell-ms-lbp"]), f.id
    # the full bladder, tight clothing and sudden changes of position are the Verywell article's; MSFocus was
    # verified for temperature extremes only, which this finding does not name
    triggers = fs.feature("spasticity-triggers")
    assert triggers.references[:2] == ("nice-ng220", "verywell-ms-lbp") and "msfocus-2022" not in triggers.references
    assert set(fs.feature("dn4-negative").references) == {"bouhassira-2005", "finnerup-2016"}
    rigors = " ".join(fs.feature("fever-chills-rigors").explanation.split())
    assert "check the observations for sepsis at once" in rigors and "nice-ng253" in fs.feature(
        "fever-chills-rigors").references


# --- second clinical review (DANGEROUS): findings ticked together, as the triage rates them together ---------------

COMBINED = FIXTURES / "ok-combination.yaml"


def test_a_combination_raises_the_level_and_writes_the_warning():
    fs = load_features(COMBINED)
    assert [c.id for c in fs.combinations] == ["point-and-reflex", "point-and-fever"]
    alone = assess(["red-flag"], fs)
    assert alone.urgency == "soon" and alone.combinations == () and alone.leading_combination is None
    both = assess(["red-flag", "low-reflex"], fs)
    assert both.urgency == "same-day" and [c.id for c in both.combinations] == ["point-and-reflex"]
    assert both.summary.startswith(
        "RED FLAG: point tenderness with a reduced reflex. A root and a bone may both be involved: this needs a "
        "medical assessment today (“Urgent: same day” in the red-flag triage). No count of findings for another "
        "kind outweighs it.")
    # the more urgent combination writes the warning; red flags outside it are still named
    three = assess(["red-flag", "low-reflex", "fever"], fs)
    assert three.urgency == "emergency" and three.leading_combination.id == "point-and-fever"
    assert three.warning.startswith("RED FLAG: point tenderness with a fever. A spinal infection may be the cause: "
                                    "this needs immediate (emergency) assessment")
    four = assess(["red-flag", "fever", "low-reflex"], fs)
    assert four == three  # order of ticking does not matter


def test_an_escalation_follows_the_warning_only_below_an_emergency():
    fs = load_features(COMBINED)
    fever = assess(["fever"], fs)
    assert fever.urgency == "soon" and fever.warning.endswith(" Signs of sepsis make it an emergency.")
    assert "Signs of sepsis" not in assess(["fever", "red-flag"], fs).warning  # already an emergency
    assert load_features(FIXTURES / "ok-minimal.yaml").combinations == ()


def test_fever_or_rigors_with_a_new_band_or_level_is_an_emergency_as_the_triage_rates_it():
    from mslbp_widgets.tools.red_flags import triage

    a = assess(["fever-chills-rigors", "new-band-or-sensory-level"])
    assert a.urgency == "emergency"
    assert a.summary.startswith(
        "RED FLAG: fever or rigors with a new band or sensory level. An infection such as a spinal epidural abscess "
        "may be compressing the cord: this needs immediate (emergency) assessment (“Emergency: act now” in the "
        "red-flag triage).")
    assert a.tallies[0].kind == F.RED_FLAG_KIND
    for infection in ("fever", "rigors"):
        assert triage([infection, "new-band-or-sensory-level"]).level.id == "emergency"
    # with a new sphincter change or rapidly increasing weakness, the warning names the abscess too
    b = assess(["new-sphincter-or-saddle", "fever-chills-rigors", "umn-signs"])
    assert b.urgency == "emergency" and "spinal epidural abscess" in b.summary
    assert "cauda equina" in b.summary


def test_fever_warning_says_what_makes_it_an_emergency():
    rigors = ("Rigors with loin pain, a catheter or recent urinary infection, injecting drug use or immunosuppression, "
              "or any sign of sepsis, make it an emergency.")
    f = feature_set().feature("fever-chills-rigors")
    assert rigors in " ".join(f.explanation.split()) and f.escalation == rigors
    a = assess(["fever-chills-rigors", "colicky-flank", "organ-signs"])
    assert a.urgency == "same-day" and rigors in a.summary
    assert a.summary.index("“Urgent: same day”") < a.summary.index(rigors)
    band = assess(["new-band-or-sensory-level"])
    assert "a fever or rigors, or a history of cancer make it an emergency." in band.summary


#: Each checklist finding and what the learner would tick in the red-flag triage for it. A finding that covers
#: several triage findings has one reading per alternative ("fever, chills or rigors" is fever or rigors).
#: The checklist has no finding for a catheter, immunosuppression, loin tenderness with pain that spinal movement
#: does not change, or a history of cancer, so the triage's combinations with those are carried by the findings'
#: escalation sentences (tested above), not by a level.
TRIAGE_READINGS = {
    "new-sphincter-or-saddle": [["new-urinary-retention"], ["new-bowel-incontinence"], ["saddle-numbness"],
                                ["rapidly-increasing-leg-weakness"]],
    "fever-chills-rigors": [["fever"], ["rigors"]],
    "new-band-or-sensory-level": [["new-band-or-sensory-level"]],
    "sudden-after-minor-fall": [["minor-fall-sudden-pain"], ["minor-fall-sudden-pain", "prolonged-steroids"]],
    "severe-constant-night": [["night-pain"]],
    "unexplained-weight-loss": [["unexplained-weight-loss"]],
    "pulsatile-mass": [["pulsatile-mass"]],
    "sudden-severe-pain-vascular-risk": [["sudden-severe-pain-vascular-risk"]],
    "shooting-below-knee": [["unilateral-sciatica"]],
    "worse-bending-lifting": [["mechanical-pattern"]],
}
#: Red-flag findings with no equivalent in the triage.
NO_TRIAGE_EQUIVALENT = {"midline-point-tenderness"}


def test_every_red_flag_finding_is_mapped_to_the_triage_or_listed_as_having_no_equivalent():
    red = {f.id for f in feature_set().features if f.red_flag}
    assert red <= set(TRIAGE_READINGS) | NO_TRIAGE_EQUIVALENT
    assert not NO_TRIAGE_EQUIVALENT & set(TRIAGE_READINGS)


def test_the_checklist_is_never_less_urgent_than_the_triage_for_any_combination():
    import itertools

    from mslbp_widgets.tools.red_flags import default_rules, triage

    rules = default_rules()
    rank = {level.id: i for i, level in enumerate(rules.levels)}  # most urgent first
    ids = sorted(TRIAGE_READINGS)
    fs = feature_set()
    checked = 0
    for n in range(1, len(ids) + 1):
        for chosen in itertools.combinations(ids, n):
            if any(other in chosen for f in chosen for other in fs.conflicts(f)):
                continue
            ours = assess(chosen, fs).urgency or "routine"
            for reading in itertools.product(*(TRIAGE_READINGS[f] for f in chosen)):
                theirs = triage([t for part in reading for t in part], rules).level.id
                assert rank[ours] <= rank[theirs], (chosen, reading, ours, theirs)
                checked += 1
    assert checked > 1000
    # and the test can fail: without the combinations table, fever with a new band is rated below the triage
    bare = F.FeatureSet(fs.groups, fs.features, fs.caveat, fs.source, fs.kind_labels)
    assert assess(["fever-chills-rigors", "new-band-or-sensory-level"], bare).urgency == "same-day"


# --- third clinical review: an emergency combination is not followed by "fits the findings best" -----------------


def test_an_emergency_combination_says_the_other_kinds_have_support_but_the_red_flag_decides():
    # the tally is unweighted, so "'referred from an organ' fits the findings best" after an abscess warning pulls
    # attention from the abscess
    a = assess(["fever-chills-rigors", "new-band-or-sensory-level"])
    assert a.urgency == "emergency" and a.leading_combination.id == "fever-with-new-band-or-level"
    assert ("Of the other kinds, “referred from an organ” also has support, but the red flag above decides what "
            "happens now.") in a.summary
    assert "fits the findings best" not in a.summary and "fit equally well" not in a.summary
    # several kinds level: all named, the verb agrees
    b = assess(["new-sphincter-or-saddle", "fever-chills-rigors", "umn-signs"])
    assert b.urgency == "emergency" and b.leading_combination is not None
    assert ("“referred from an organ” also have support, but the red flag above decides what happens now."
            in b.summary)
    assert "fit equally well" not in b.summary
    # generic: the fixture's emergency combination names whichever kind leads
    fs = load_features(COMBINED)
    three = assess(["red-flag", "low-reflex", "fever"], fs)
    assert three.summary.endswith("Of the other kinds, “radicular (nerve root)” also has support, but the red flag "
                                  "above decides what happens now.")
    # below an emergency, or with no combination, the usual wording stays
    both = assess(["red-flag", "low-reflex"], fs)
    assert both.urgency == "same-day"
    assert both.summary.endswith("Of the other kinds, “radicular (nerve root)” fits the findings best.")
    single = assess(["new-sphincter-or-saddle", "umn-signs"])
    assert single.urgency == "emergency" and single.leading_combination is None
    assert "support, but the red flag" not in single.summary and "fit equally well" in single.summary
