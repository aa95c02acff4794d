"""Red-flag triage logic: every rule of data/red_flags/rules.yaml, combinations, and rules-file validation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mslbp_widgets.logic.errors import DataValidationError, SelectionError
from mslbp_widgets.logic.references import load_references
from mslbp_widgets.tools.red_flags import default_rules, load_rules, rules_path, triage

FIXTURES = Path(__file__).parent / "fixtures" / "red_flags"
FIXTURE_REFS = {"ref-one", "ref-two"}


@pytest.fixture(scope="module")
def rules():
    return default_rules()


# ------------------------------------------------------------------------------ each rule, clinically pinned
# (ticked findings, expected winning level, a rule that must fire, a condition that must be suggested)
EXPECTED = [
    (["looks-unwell"], "emergency", "sepsis", "Sepsis"),
    (["collapse"], "emergency", "aortic-aneurysm", "leaking or rupturing"),
    (["new-urinary-retention"], "emergency", "cauda-equina", "Cauda equina syndrome"),
    (["new-bowel-incontinence"], "emergency", "cauda-equina", "Cauda equina syndrome"),
    (["saddle-numbness"], "emergency", "cauda-equina", "Cauda equina syndrome"),
    (["new-sexual-dysfunction"], "emergency", "cauda-equina", "Cauda equina syndrome"),
    (["bilateral-leg-symptoms"], "emergency", "cauda-equina", "Cauda equina syndrome"),
    (["rapidly-increasing-leg-weakness"], "emergency", "progressive-weakness", "Compression of the spinal cord"),
    (["fever", "rapidly-increasing-leg-weakness"], "emergency", "infection-with-deficit", "epidural abscess"),
    (["rigors", "saddle-numbness"], "emergency", "infection-with-deficit-rigors", "epidural abscess"),
    (["pulsatile-mass"], "emergency", "aortic-aneurysm", "Abdominal aortic aneurysm"),
    (["sudden-severe-pain-vascular-risk"], "emergency", "aortic-aneurysm", "Abdominal aortic aneurysm"),
    (["fever"], "same-day", "fever", "pyelonephritis"),
    (["rigors"], "same-day", "fever", "Spinal infection"),
    (["fever", "iv-drug-or-immunosuppression"], "same-day", "infection-risk-with-fever", "Spinal infection"),
    (["fever", "recent-uti-or-catheter"], "same-day", "infection-risk-with-fever", "Spinal infection"),
    (["rigors", "recent-uti-or-catheter"], "emergency", "rigors-with-risk", "Bacteraemia or sepsis"),
    (["iv-drug-or-immunosuppression"], "soon", "infection-risk", "Spinal infection"),
    (["recent-uti-or-catheter"], "soon", "infection-risk", "Spinal infection"),
    (["prolonged-steroids"], "soon", "steroid-fracture-risk", "compression fracture"),
    (["minor-fall-sudden-pain"], "soon", "minor-trauma", "Vertebral fracture"),
    (["prolonged-steroids", "minor-fall-sudden-pain"], "same-day", "multiple-fracture-flags", "compression fracture"),
    (["age-over-50"], "routine", "age-alone", "tumour or infection"),
    (["history-of-cancer"], "soon", "cancer-history", "metastasis"),
    (["history-of-cancer", "night-pain"], "same-day", "cancer-with-tumour-flags", "metastasis"),
    (["history-of-cancer", "new-band-or-sensory-level"], "emergency", "cancer-with-cord-signs", "cord compression"),
    (["history-of-cancer", "unilateral-sciatica"], "emergency", "cancer-with-root-pain", "spinal metastasis"),
    (["new-band-or-sensory-level"], "same-day", "new-band-or-level", "MS relapse"),
    (["unexplained-weight-loss"], "soon", "tumour-infection-flags", "myeloma"),
    (["night-pain"], "soon", "tumour-infection-flags", "Spinal infection"),
    (["flank-non-mechanical"], "same-day", "renal", "Kidney stone"),
    (["flank-non-mechanical", "fever"], "same-day", "renal-with-fever", "perinephric abscess"),
    (["abdominal-tenderness"], "same-day", "abdominal", "Pancreatitis"),
    (["pelvic-symptoms"], "soon", "pelvic", "Endometriosis"),
    (["unilateral-sciatica"], "routine", "sciatica", "Nerve-root"),
    (["baseline-bladder-urgency"], "routine", "baseline-bladder", "MS baseline"),
    (["mechanical-pattern"], "routine", "mechanical", "Non-specific"),
    (["spasticity-with-trigger"], "routine", "spasticity-trigger", "Spasticity"),
]


@pytest.mark.parametrize(("ticked", "level", "rule_id", "condition"), EXPECTED,
                         ids=[f"{'+'.join(t)}" for t, *_ in EXPECTED])
def test_each_rule(rules, ticked, level, rule_id, condition):
    result = triage(ticked, rules)
    assert result.level.id == level
    assert rule_id in [fr.rule.id for fr in result.fired]
    assert any(condition in c for c in result.conditions), result.conditions
    assert result.reasons and all(r.strip() for r in result.reasons)


def test_every_rule_and_finding_has_a_pinned_test(rules):
    tested_rules = {rule_id for _t, _l, rule_id, _c in EXPECTED}
    assert tested_rules == {r.id for r in rules.rules}
    tested_findings = {f for t, *_ in EXPECTED for f in t}
    assert tested_findings == {f.id for f in rules.findings}


def test_each_rule_fires_on_its_own_minimal_findings(rules):
    """Generic check driven by the data: a rule's all_of plus its first min_count any_of findings fire it."""
    for rule in rules.rules:
        ticked = list(rule.all_of) + list(rule.any_of[: rule.min_count])
        result = triage(ticked, rules)
        fired = {fr.rule.id: fr for fr in result.fired}
        assert rule.id in fired, rule.id
        assert result.level.rank <= rules.level(rule.urgency).rank


def test_rule_does_not_fire_without_its_all_of(rules):
    assert "infection-with-deficit" not in [fr.rule.id for fr in triage(["saddle-numbness"], rules).fired]
    assert "renal-with-fever" not in [fr.rule.id for fr in triage(["flank-non-mechanical"], rules).fired]


def test_min_count_needs_enough_findings(rules):
    one = triage(["prolonged-steroids"], rules)
    assert "multiple-fracture-flags" not in [fr.rule.id for fr in one.fired]
    three = triage(["prolonged-steroids", "minor-fall-sudden-pain", "age-over-50"], rules)
    fired = {fr.rule.id: fr for fr in three.fired}
    assert set(fired["multiple-fracture-flags"].matched) == {"prolonged-steroids", "minor-fall-sudden-pain"}


# ------------------------------------------------------------------------------ clinical review (tool outputs)
def test_rigors_and_fever_are_separate_findings_and_a_septic_patient_is_an_emergency(rules):
    assert rules.finding("fever").label == "Fever or chills"
    assert "rigors" in rules.finding("rigors").label
    assert triage(["rigors"], rules).level.id == "same-day"
    for ticked in (["looks-unwell"], ["fever", "looks-unwell"], ["flank-non-mechanical", "fever", "looks-unwell"]):
        result = triage(ticked, rules)
        assert result.level.id == "emergency", ticked
        assert result.level.label == "Emergency: act now"
        assert "sepsis" in [fr.rule.id for fr in result.fired]


def test_rigors_with_an_infection_risk_or_loin_pain_is_an_emergency(rules):
    for risk in ("recent-uti-or-catheter", "iv-drug-or-immunosuppression", "flank-non-mechanical"):
        result = triage(["rigors", risk], rules)
        assert result.level.id == "emergency", risk
        assert result.fired[0].rule.id == "rigors-with-risk"
        assert " ".join(result.reasons[0].split()).startswith("Rigors suggest bacteria in the blood")
    # rigors are never rated below a fever in the same combination
    for other in {f.id for f in rules.findings} - {"fever", "rigors"}:
        with_fever, with_rigors = triage(["fever", other], rules), triage(["rigors", other], rules)
        assert with_rigors.level.rank <= with_fever.level.rank, other
    note = " ".join(rules.finding("rigors").note.split())
    assert "bacteraemia" in note and "check the observations for signs of sepsis at once" in note


def test_sepsis_and_fever_rules_cite_the_sepsis_guideline(rules):
    refs = {r.id: r.references for r in rules.rules}
    for rule_id in ("sepsis", "fever", "renal-with-fever", "rigors-with-risk"):
        assert "nice-ng253" in refs[rule_id], rule_id


def test_a_relapse_is_diagnosed_only_after_emergency_imaging_in_this_setting(rules):
    text = " ".join(" ".join(r.conditions) for r in rules.rules if r.id in ("cauda-equina", "progressive-weakness"))
    assert "a relapse can be diagnosed only after emergency imaging has excluded compression" in " ".join(text.split())
    assert "a diagnosis made only after compression is excluded" not in text


def test_age_and_steroid_findings_say_how_much_they_weigh(rules):
    age = " ".join(rules.finding("age-over-50").note.split())
    assert "as is age under 20" in age and "this tool does not change the urgency" in age
    assert "counts together" not in age
    steroids = rules.finding("prolonged-steroids")
    assert steroids.label.startswith("Prolonged corticosteroid use")
    reason = " ".join({r.id: r.reason for r in rules.rules}["steroid-fracture-risk"].split())
    assert "Repeated short courses for relapses are a weaker form of this flag" in reason
    assert "glucocorticoids in the previous six months" in reason


def test_the_aneurysm_reason_cites_nice_ng156_and_keeps_the_timescale_honest(rules):
    rule = next(r for r in rules.rules if r.id == "aortic-aneurysm")
    assert "nice-ng156" in rule.references
    reason = " ".join(rule.reason.split())
    assert "new abdominal or back pain, cardiovascular collapse or loss of consciousness" in reason
    assert "follows standard emergency teaching that a painful aneurysm may be leaking" in reason


def test_a_leaking_aneurysm_is_an_emergency_without_a_pulsating_mass(rules):
    for ticked in (["sudden-severe-pain-vascular-risk"], ["collapse"], ["abdominal-tenderness", "collapse"]):
        result = triage(ticked, rules)
        assert result.level.id == "emergency", ticked
        assert "aortic-aneurysm" in [fr.rule.id for fr in result.fired]
    reason = {r.id: r.reason for r in rules.rules}["aortic-aneurysm"]
    assert "often has no mass" in reason


def test_age_over_50_is_a_tumour_or_infection_flag_not_a_fracture_flag(rules):
    assert rules.finding("age-over-50").group == "Cancer"
    fracture_rules = [r for r in rules.rules if "fracture" in " ".join(r.conditions).lower()]
    assert fracture_rules and all("age-over-50" not in (*r.all_of, *r.any_of) for r in fracture_rules)
    assert triage(["age-over-50", "prolonged-steroids"], rules).level.id == "soon"
    assert triage(["age-over-50", "prolonged-steroids", "minor-fall-sudden-pain"], rules).level.id == "same-day"


def test_cancer_history_with_tumour_flags_is_same_day_and_with_cord_signs_an_emergency(rules):
    assert triage(["history-of-cancer"], rules).level.id == "soon"
    combined = triage(["history-of-cancer", "night-pain", "unexplained-weight-loss", "age-over-50"], rules)
    assert combined.level.id == "same-day" and combined.level.label == "Urgent: same day"
    assert combined.fired[0].rule.id == "cancer-with-tumour-flags"
    assert triage(["history-of-cancer", "new-band-or-sensory-level"], rules).level.id == "emergency"
    assert triage(["history-of-cancer", "rapidly-increasing-leg-weakness"], rules).level.id == "emergency"


def test_fever_or_rigors_with_a_new_band_or_sensory_level_is_an_emergency(rules):
    # Clinical review (DANGEROUS): fever with a new sensory level is a spinal epidural abscess compressing the
    # cord until proved otherwise; it gave only "Urgent: same day".
    for infection in ("fever", "rigors"):
        result = triage([infection, "new-band-or-sensory-level"], rules)
        assert result.level.id == "emergency", infection
        assert result.level.label == "Emergency: act now"
        assert result.fired[0].rule.id in ("infection-with-deficit", "infection-with-deficit-rigors")
        assert any("epidural abscess" in c for c in result.conditions)
    # rigors count at least as much as a fever with every other deficit too
    for deficit in ("rapidly-increasing-leg-weakness", "new-urinary-retention", "new-bowel-incontinence",
                    "saddle-numbness", "bilateral-leg-symptoms", "new-band-or-sensory-level"):
        assert triage(["rigors", deficit], rules).level.id == "emergency", deficit
    wording = ("Leg weakness that is getting worse, a bladder, bowel or saddle change, a fever or rigors, or a "
               "history of cancer make it an emergency.")
    assert wording in {r.id: r.reason for r in rules.rules}["new-band-or-level"]


ESCALATION = ("nerve-root pain down a leg, new leg weakness or difficulty walking, numbness, a new band or sensory "
              "level, or a bladder or bowel change would make it an emergency")


def test_root_pain_in_someone_who_has_had_cancer_is_an_emergency_not_sciatica(rules):
    # Clinical review (DANGEROUS): history of cancer + one-sided sciatica gave "Soon: within days" and the
    # learner read the ordinary sciatica reason. Radicular pain with a cancer history is possible MSCC.
    result = triage(["history-of-cancer", "unilateral-sciatica"], rules)
    assert result.level.id == "emergency" and result.level.label == "Emergency: act now"
    assert result.fired[0].rule.id == "cancer-with-root-pain"
    first = " ".join(result.reasons[0].split())
    assert first.startswith("In someone who has had cancer, nerve-root pain running down the leg can be the first "
                            "sign of a spinal metastasis compressing the cord or roots. Treat it as an emergency")
    assert "nice-ng234" in result.references and "nice-cg75" in result.references
    sciatica = {r.id: r.reason for r in rules.rules}["sciatica"]
    assert "unless the person has had cancer" in " ".join(sciatica.split())
    reasons = {r.id: " ".join(r.reason.split()) for r in rules.rules}
    assert ESCALATION[0].upper() + ESCALATION[1:] in reasons["cancer-history"]
    assert ESCALATION in reasons["cancer-with-tumour-flags"]


def test_a_new_band_or_sensory_level_is_a_same_day_red_flag_with_its_differential(rules):
    result = triage(["new-band-or-sensory-level"], rules)
    assert result.level.label == "Urgent: same day"
    text = " ".join(result.conditions)
    for cause in ("MS relapse", "compression of the cord", "heart", "pleura", "gut", "Shingles"):
        assert cause in text, cause
    assert triage(["new-band-or-sensory-level", "rapidly-increasing-leg-weakness"], rules).level.id == "emergency"


# ------------------------------------------------------------------------------ combinations
def test_highest_urgency_wins_and_every_reason_is_listed_most_urgent_first(rules):
    result = triage(["mechanical-pattern", "history-of-cancer", "fever", "saddle-numbness"], rules)
    assert result.level.id == "emergency"
    ranks = [fr.level.rank for fr in result.fired]
    assert ranks == sorted(ranks)
    ids = [fr.rule.id for fr in result.fired]
    assert {"cauda-equina", "infection-with-deficit", "fever", "cancer-history", "mechanical"} <= set(ids)
    assert len(result.reasons) == len(result.fired)
    assert ids.index("cauda-equina") < ids.index("fever") < ids.index("cancer-history") < ids.index("mechanical")


def test_baseline_bladder_raises_the_bar_for_noticing_not_the_urgency(rules):
    baseline = triage(["baseline-bladder-urgency"], rules)
    assert baseline.level.id == "routine"
    assert "what is new" in baseline.reasons[0].lower()
    new = triage(["baseline-bladder-urgency", "new-urinary-retention"], rules)
    assert new.level.id == "emergency"


def test_unilateral_sciatica_becomes_emergency_with_a_saddle_change(rules):
    assert triage(["unilateral-sciatica"], rules).level.id == "routine"
    assert triage(["unilateral-sciatica", "saddle-numbness"], rules).level.id == "emergency"


def test_nothing_ticked_gives_routine_with_the_default_reason(rules):
    result = triage([], rules)
    assert result.level.id == "routine"
    assert result.fired == ()
    assert "does not prove" in result.reasons[0]
    assert result.references == rules.default_references
    assert result.awaiting_input  # a display shows "not assessed yet", not "Routine"
    assert not triage(["mechanical-pattern"], rules).awaiting_input


def test_references_are_deduplicated_in_order_of_first_use(rules):
    result = triage(["new-urinary-retention", "rapidly-increasing-leg-weakness"], rules)
    assert len(result.references) == len(set(result.references))
    assert result.references[0] == "ces-best-practice"
    assert "casazza-2012" in result.references
    assert "lay-explainer-ms-lbp" not in result.references  # an untraceable lay article is not cited


def test_duplicate_and_string_selection(rules):
    assert triage("fever", rules).selection == ("fever",)
    assert triage(["fever", "fever"], rules).selection == ("fever",)


def test_unknown_finding_is_a_selection_error(rules):
    with pytest.raises(SelectionError, match="unknown finding id"):
        triage(["fevre"], rules)


# ------------------------------------------------------------------------------ content checks on the data
def test_rules_file_cites_only_known_references_and_levels_are_words(rules):
    known = set(load_references())
    for rule in rules.rules:
        assert set(rule.references) <= known
    labels = [lvl.label for lvl in rules.levels]
    assert len(set(labels)) == len(labels) and all(re.search(r"[A-Za-z]", x) for x in labels)
    assert [lvl.id for lvl in rules.levels] == ["emergency", "same-day", "soon", "routine"]
    assert "not a clinical decision tool" in rules.disclaimer


def test_downie_figures_carry_their_confidence_intervals(rules):
    text = {r.id: r.reason for r in rules.rules}
    assert "33%" in text["steroid-fracture-risk"] and "10-67%" in text["steroid-fracture-risk"]
    assert "90%" in text["multiple-fracture-flags"] and "34-99%" in text["multiple-fracture-flags"]


def test_no_drug_doses_in_the_rules_file():
    text = rules_path().read_text(encoding="utf-8")
    assert not re.search(r"\d\s*(mg|mcg|µg|microgram|ml/h|units?)\b", text, re.IGNORECASE)


# ------------------------------------------------------------------------------ validation (ok / ko fixtures)
def test_ok_fixture_loads_and_triages():
    rs = load_rules(FIXTURES / "ok-minimal.yaml", FIXTURE_REFS)
    assert triage(["a"], rs).level.id == "later"
    assert triage(["a", "b"], rs).level.id == "later"
    both = triage(["a", "b", "c"], rs)
    assert both.level.id == "now" and [fr.rule.id for fr in both.fired] == ["a-with-b-and-c", "a-alone"]
    assert both.references == ("ref-two", "ref-one")
    assert triage(["b", "c"], rs).fired == ()


KO = {
    "ko-unknown-finding-in-rule.yaml": "rules[0] (a-alone).any_of[0]: unknown finding 'aa': add it under `findings`",
    "ko-unknown-urgency.yaml": "rules[0] (a-alone).urgency: must be one of the level ids",
    "ko-unused-finding.yaml": "findings[3] (d): no rule uses this finding",
    "ko-missing-reason.yaml": "rules[0] (a-alone).reason: missing required field: add it",
    "ko-unknown-reference.yaml": "rules[1] (a-with-b-and-c).references[1]: unknown reference key 'no-such-ref'",
    "ko-duplicate-finding-id.yaml": "findings[1] (a).id: duplicate finding id 'a': ids must be unique",
    "ko-min-count-too-high.yaml": "min_count: is 3 but any_of lists only 2 findings",
    "ko-missing-levels.yaml": "levels: missing required field: add it",
    "ko-unknown-field.yaml": "rules[0] (a-alone).urgncy: unknown field: did you mean `urgency`?",
    "ko-rule-without-findings.yaml": "rules[0] (a-alone): needs `all_of` or `any_of`",
    "ko-empty-conditions.yaml": "rules[0] (a-alone).conditions: needs at least 1 item(s)",
    "ko-not-yaml.yaml": "not valid YAML",
}


def test_every_ko_fixture_has_an_expected_message():
    assert {p.name for p in FIXTURES.glob("ko-*.yaml")} == set(KO)


@pytest.mark.parametrize("name", sorted(KO))
def test_ko_fixture_fails_with_file_field_and_fix(name):
    with pytest.raises(DataValidationError) as info:
        load_rules(FIXTURES / name, FIXTURE_REFS)
    message = str(info.value)
    assert KO[name] in message
    assert name in message  # the file is named


def test_missing_file_is_reported():
    with pytest.raises(DataValidationError, match="file not found"):
        load_rules(FIXTURES / "no-such-file.yaml", FIXTURE_REFS)


# ------------------------------------------------------------------------------ imaging table (Brinjikji 2015)
def test_imaging_table_matches_the_published_figures():
    from mslbp_widgets.tools.red_flags import load_imaging_findings

    rows = {(r.finding, r.age_years): r.prevalence_percent for r in load_imaging_findings()}
    assert rows == {("Disc degeneration", 20): 37, ("Disc degeneration", 80): 96, ("Disc bulge", 20): 30,
                    ("Disc bulge", 80): 84, ("Disc protrusion", 20): 29, ("Disc protrusion", 80): 43}


def test_imaging_table_errors_name_line_and_column(tmp_path):
    from mslbp_widgets.tools.red_flags import IMAGING_COLUMNS, load_imaging_findings

    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(IMAGING_COLUMNS) + "\nDisc bulge,20,130,People,no-such-key,note\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_imaging_findings(bad, {"brinjikji-2015-asymptomatic"})
    message = str(info.value)
    assert "line 2.prevalence_percent: must be between 0 and 100" in message
    assert "line 2.source_key: unknown reference key 'no-such-key'" in message
    nohead = tmp_path / "nohead.csv"
    nohead.write_text("finding,age_years\nx,1\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="missing column"):
        load_imaging_findings(nohead, {"brinjikji-2015-asymptomatic"})


def test_sciatica_and_cauda_equina_reasons_cite_long_2020_not_unverified_figures(rules):
    # Second clinical review: the Pulse feature's figures have no verified author, date or address.
    reasons = {r.id: " ".join(r.reason.split()) for r in rules.rules}
    refs = {r.id: r.references for r in rules.rules}
    assert ("one-sided sciatica and normal perianal sensation do not exclude cauda equina syndrome, and no single "
            "symptom or sign is sensitive enough on its own") in reasons["sciatica"]
    assert "about half" not in reasons["sciatica"]
    for rule_id in ("sciatica", "cauda-equina"):
        assert "long-2020-ces" in refs[rule_id] and "pulse-ces-myths" not in refs[rule_id]


def test_spasticity_triggers_cite_nice_for_its_own_list_only(rules):
    rule = {r.id: r for r in rules.rules}["spasticity-trigger"]
    reason = " ".join(rule.reason.split())
    assert reason.startswith("Infection and constipation are among the factors NICE lists")
    # NICE lists infection and constipation; the full bladder, tight clothing and sudden changes of position come
    # from the Verywell lay article (context); MSFocus was verified for temperature extremes only
    assert rule.references == ("nice-ng220", "verywell-ms-lbp")
