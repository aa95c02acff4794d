"""The course's own data: every case and check set valid, vocabulary consistent, references complete."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from mslbp_widgets.logic.cases import case_library, check_library, get_case
from mslbp_widgets.logic.evaluate import evaluate
from mslbp_widgets.logic.paths import data_dir
from mslbp_widgets.logic.references import load_references

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


def test_scenario_types_match_the_schema_and_every_case_names_one() -> None:
    schema = json.loads((DATA / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    enum = schema["$defs"]["scenario"]["enum"]
    types = yaml.safe_load((DATA / "scenarios.yaml").read_text(encoding="utf-8"))
    assert list(types) == enum
    assert all(case.scenario in types for case in case_library().values())
    guide = (DATA.parent / "docs" / "authoring-cases.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \| (.+?) \| (\d) \|$", guide, flags=re.MULTILINE)
    assert [(k, v["label"], v["target"]) for k, v in types.items()] == [(k, label, int(n)) for k, label, n in rows]


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


def test_past_cancer_option_names_root_pain_among_the_emergency_signs():
    option = get_case("check-05-red-flags").question("best-statement").option("combinations")
    feedback = " ".join(option.feedback.split())
    assert ("nerve-root pain down a leg, new leg weakness or difficulty walking, numbness, a new band or sensory "
            "level, or a bladder or bowel change would make it an emergency") in feedback


def test_check_05_clinical_review_wording():
    check = get_case("check-05-red-flags")
    flat = lambda s: " ".join(s.split())  # noqa: E731
    relapse = flat(check.question("next-action").option("treat-relapse").feedback)
    assert "a relapse can be diagnosed only after emergency imaging has excluded compression" in relapse
    steroids = flat(check.question("fracture-flags").option("steroids").feedback)
    assert "Repeated short courses for relapses are a weaker form of this flag" in steroids
    kidney = flat(check.question("likely-cause").option("pyelonephritis").feedback)
    assert "spinal epidural abscess" in kidney and "arrange an emergency MRI" in kidney
    stem = next(s for s in check.stages if s.id == "referred").text
    assert "same pattern as during his earlier urinary infections" in flat(stem)


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
    shown = [label for label, _ in widget.current.choices.options]
    assert shown == [o.text for o in first.question.display_options()]


#: Words of the team's working files, never of what a learner reads (the same rule as the notebooks' text).
INTERNAL_WORDS = re.compile(
    r"(?<![\w-])seeds?(?![\w-])|fact base|evidence base|§|\bP\d{1,2}\b|\bsection \d+\.\d+", re.IGNORECASE
)


def _strings(value: object, where: str = "") -> list[tuple[str, str]]:
    """Every text value of a parsed data file with its field path, leaving out editors' `checked` notes."""
    if isinstance(value, dict):
        return [s for k, v in value.items() if k != "checked" for s in _strings(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [s for i, v in enumerate(value) for s in _strings(v, f"{where}[{i}]")]
    return [(where, value)] if isinstance(value, str) else []


def internal_words(path: Path) -> list[str]:
    """Where a data file's learner-facing text cites an internal file ("seed", "fact base", "§1.6")."""
    if path.suffix == ".csv":
        values = [(f"line {n}", line) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)]
    else:
        values = _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    return [f"{path.name}{where}: {m.group(0)!r}" for where, text in values for m in INTERNAL_WORDS.finditer(text)]


LEARNER_DATA = sorted(p for p in DATA.rglob("*") if p.suffix in (".yaml", ".csv") and "schema" not in p.parts)


@pytest.mark.parametrize("path", LEARNER_DATA, ids=lambda p: str(p.relative_to(DATA)))
def test_learner_facing_data_cites_only_published_works(path: Path) -> None:
    assert internal_words(path) == []


def test_internal_word_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "case.yaml"
    bad.write_text("feedback: as the seed article says (fact base §1.6)\nchecked: V2 seen in the fact base\n",
                   encoding="utf-8")
    assert len(internal_words(bad)) == 3  # the editors' `checked` note is not learner text
    assert LEARNER_DATA and any(p.parent.name == "cases" for p in LEARNER_DATA)


def test_bibliography_keys_cited_are_published_works() -> None:
    refs = load_references()
    assert "clinical-evidence" not in refs
    for key, ref in refs.items():
        assert not INTERNAL_WORDS.search(ref.citation), key


def test_shipped_bank_meets_the_item_writing_targets() -> None:
    from mslbp_widgets.logic.cases import course_library
    from mslbp_widgets.logic.cases.items import MAX_LONGEST_SHARE, MAX_MEDIAN_RATIO, bank_figures, item_warnings

    bank = list(course_library().values())
    figures = bank_figures(bank)
    assert figures.single_choice >= 30
    assert figures.longest_share <= MAX_LONGEST_SHARE, str(figures)
    assert figures.median_ratio is not None and figures.median_ratio <= MAX_MEDIAN_RATIO, str(figures)
    assert [str(w) for c in bank for w in item_warnings(c)] == []


def test_checks_01_to_04_clinical_review_wording():
    flat = lambda s: " ".join(s.split())  # noqa: E731
    c1 = get_case("check-01-pathophysiology")
    assert "it is not the scan for MS" in flat(c1.question("lumbar-mri").option("lumbar-commonest").feedback)
    permanent = flat(c1.question("relapse-or-pseudo").option("permanent").feedback)
    assert "only symptoms that persist after the infection has settled would suggest a true relapse" in permanent
    c2 = get_case("check-02-pain-in-ms").question("what-twenty-means").option("back-not-lbp").feedback
    assert "measured differently, report 41.6–52.4% (Massot 2021 systematic review)" in flat(c2)
    assert "higher figures" not in c2
    c3 = flat(get_case("check-03-how-ms-causes-back-pain").question("foot-drop-chain").option("lumbar-lesion").feedback)
    assert "many cord lesions are painless" in c3 and "a third of patients" not in c3
    c4 = get_case("check-04-telling-kinds-apart")
    assert "at or above the cut-off of 4" in c4.question("dn4-meaning").option("features-present").text
    assert "buttocks" not in c4.question("spasticity-features").option("buttocks").text


def test_bibliography_entries_reviewed_in_the_clinical_review():
    refs = load_references()
    assert "lay-explainer-ms-lbp" not in refs  # untraceable: no author, publisher or address
    for key in ("fda-carbamazepine-label", "fda-tizanidine-label", "fda-intrathecal-baclofen-label"):
        citation = refs[key].citation
        assert citation.endswith("DailyMed, dailymed.nlm.nih.gov"), key
        for claim in ("warning", "Contraindications", "hyponatraemia", "adverse"):
            assert claim not in citation, (key, claim)
    assert "/" not in refs["maloni-nmss"].citation.split(";")[-1]  # one year
    assert " / " not in refs["harrisons-ms"].citation  # one book
    assert "Pulse" not in refs["ces-best-practice"].citation and "pulse-ces-myths" not in refs  # untraceable: removed
    assert "Pulse" not in refs["ces-best-practice"].checked  # and its note no longer points to it
    for key in ("nice-ng234", "nice-cg75", "hawkins-2023", "nice-ng156", "nice-ng253", "tokuda-2005"):
        assert key in refs, key
    used = set()
    for path in [*(DATA / "checks").glob("*.yaml"), *(DATA / "exercises").glob("*.yaml"),
                 DATA / "features" / "features.yaml", DATA / "features" / "pathways.yaml",
                 DATA / "red_flags" / "rules.yaml", DATA / "screening" / "dn4.yaml"]:
        used |= set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", path.read_text(encoding="utf-8"))) & set(refs)
    assert "medscape-ms-spasticity" not in used and "massot-2016" not in used and "bennett-2001" not in used


def test_fever_with_worsening_weakness_calls_for_an_emergency_mri_of_the_whole_spine():
    # Second clinical review: fever with worsening weakness is an emergency, and a spinal abscess can extend over
    # several levels, so "an urgent MRI of the spine" was too slow and too narrow.
    case = get_case("flank-pain-and-fever-with-self-catheterisation")
    flat = lambda text: " ".join(text.split())  # noqa: E731
    q = case.question("escalation")
    assert "she needs an emergency MRI of the whole spine" in flat(q.option("hospital-today").feedback)
    assert "emergency MRI of the whole spine" in flat(q.option("spine-mri-first").feedback)
    assert "emergency MRI of the whole spine" in flat(case.next_step)
    texts = [flat(o.feedback) for qq in case.questions for o in qq.options] + [flat(case.next_step)]
    assert not any("urgent MRI of the spine" in t or "becomes urgent" in t or "urgent imaging of the spine" in t
                   for t in texts)


def test_treatment_matcher_physiotherapy_is_not_called_the_cornerstone():
    from mslbp_widgets.tools.sorting import get_exercise

    item = get_exercise("treatment-matcher").item("gait-core-physio")
    assert "cornerstone" not in item.feedback
    assert "reduce the strain behind gait-related back pain" in " ".join(item.feedback.split())
    assert "treat the cause" not in item.feedback
    # Pöllmann and Truini support the spasticity clause; trunk strengthening and gait retraining are the Verywell
    # article's (context)
    assert item.references == ("pollmann-2008", "truini-2013", "verywell-ms-lbp")
    triggers = get_exercise("treatment-matcher").item("treat-triggers")
    assert triggers.references[0] == "nice-ng220" and "msfocus-2022" not in triggers.references  # no temperature here


def _goes_to(case_id: str, question_id: str, option_id: str) -> str | None:
    """The id of the stage a learner reaches after answering `option_id`, or None when that answer ends the case."""
    from mslbp_widgets.logic.cases.branching import next_index

    case = get_case(case_id)
    index = case.stages.index(case.stage_of(question_id))
    after = next_index(case, index, [option_id])
    return None if after is None else case.stages[after].id


def _ending_after(case_id: str, stage_id: str) -> str:
    """Follow the stages that ask nothing from `stage_id` to the outcome stage they end at."""
    from mslbp_widgets.logic.cases.branching import next_index

    case = get_case(case_id)
    stage = case.stage(stage_id)
    while not stage.outcome:
        assert stage.question is None, f"{stage.id} asks a question on the way to the ending"
        stage = case.stages[next_index(case, case.stages.index(stage))]
    return stage.id


def test_sending_the_febrile_catheter_user_home_meets_its_consequence():
    case_id = "flank-pain-and-fever-with-self-catheterisation"
    for sent_home in ("oral-home", "culture-wait"):
        assert _goes_to(case_id, "escalation", sent_home) == "sent-home"
    assert get_case(case_id).stage("sent-home").outcome
    for hospital in ("hospital-today", "spine-mri-first", "steroids-too"):
        assert _goes_to(case_id, "escalation", hospital) == "in-hospital"
    assert _ending_after(case_id, "in-hospital") == "home-after-four-days"
    # every path meets every question: the decision is the last one
    assert get_case(case_id).questions[-1].id == "escalation"
    assert [c[0] for c in get_case(case_id).stage("examination").table.rows][:2] == ["Temperature", "Pulse"]


def test_cauda_equina_case_delayed_scan_ends_on_monday_and_the_emergency_path_shows_the_mri():
    case_id = "new-retention-on-a-background-of-urgency"
    case = get_case(case_id)
    for waits in ("ms-nurse-monday", "uti-pseudo-relapse"):
        assert _goes_to(case_id, "next-step", waits) == "monday-morning"
    # clinical review: the Monday path meets the hospital question too (its own copy), then its ending
    assert not case.stage("monday-morning").outcome and case.stage("monday-morning").next_stage == "hospital-monday"
    monday, saturday = case.question("if-normal-monday"), case.question("if-normal")
    assert [o.id for o in monday.best] == [o.id for o in saturday.best] == ["still-mri"]
    assert "well over a litre" in " ".join(case.stage("hospital-monday").text.split())
    for answer in ("still-mri", "excluded"):
        assert _goes_to(case_id, "if-normal-monday", answer) == "monday-outcome"
    assert case.stage("monday-outcome").outcome
    assert "not a safe time to wait" in " ".join(case.stage("monday-outcome").text.split())
    assert _goes_to(case_id, "next-step", "immediate-referral") == "hospital"
    # examining first or a bladder scan first reach hospital, but hours later
    assert _goes_to(case_id, "next-step", "examine-first") == "seen-first"
    assert _goes_to(case_id, "next-step", "scan-threshold") == "scanned-first"
    for late in ("seen-first", "scanned-first"):
        assert case.stage(late).question is None and case.stage(late).next_stage == "hospital"
        assert "hours later than he could have been" in " ".join(case.stage(late).text.split())
    assert _goes_to(case_id, "if-normal", "still-mri") == "mri-result"
    assert _ending_after(case_id, "mri-result") == "decompressed"
    mri = case.stage("mri-result")
    assert mri.image is not None and mri.image.alt
    assert "within two hours of the request" in " ".join(mri.text.split())


def test_fracture_case_imaging_decision_leads_to_its_result():
    case_id = "sudden-midline-pain-after-steroid-courses"
    assert _goes_to(case_id, "what-now", "image-and-protect") == "x-ray-result"
    assert _goes_to(case_id, "what-now", "mri-first") == "mri-result"
    for no_imaging in ("no-imaging", "pulsed-reassure", "bed-rest"):
        assert _goes_to(case_id, "what-now", no_imaging) == "three-weeks-later"
    # clinical review: the manipulation answer meets its own consequence before the same three weeks
    assert _goes_to(case_id, "what-now", "manipulation") == "after-manipulation"
    case = get_case(case_id)
    assert "the pain becomes much worse during the session" in " ".join(case.stage("after-manipulation").text.split())
    assert case.stage("three-weeks-later").next_stage == "x-ray-result"
    assert case.stage("after-manipulation").next_stage == "x-ray-result"
    assert "Recent or old" in [row[0] for row in case.stage("x-ray-result").table.rows]
    assert "MS lesions in the cord" in [row[0] for row in case.stage("mri-result").table.rows]
    for picture in ("x-ray-result", "mri-result"):
        assert "Behind T12, where her fracture is" in " ".join(case.stage(picture).image.caption.split())
    assert case.stage("x-ray-result").next_stage == "bone-health"
    assert case.stage("x-ray-result").table is not None and case.stage("mri-result").table is not None


@pytest.mark.parametrize("case_id", ["flank-pain-and-fever-with-self-catheterisation",
                                     "sudden-midline-pain-after-steroid-courses",
                                     "new-retention-on-a-background-of-urgency", "three-pains-in-one-back"])
def test_converted_case_lists_every_source_its_questions_cite(case_id):
    case = get_case(case_id)
    cited = {key for q in case.questions for key in q.references}
    assert cited - set(case.references) == set()


def test_three_pains_clinical_review_wording():
    case = get_case("three-pains-in-one-back")
    flat = lambda s: " ".join(s.split())  # noqa: E731
    q = case.question("findings-to-pains")
    assert "the finding that goes with her spasticity is the tone" in flat(q.item("sensory-level").feedback)
    assert "tone that rises with the speed of movement with the spasticity pain" in flat(q.teaching_point)
    assert case.question("meaning-of-mixed").prompt == 'In your reply, which meaning of "mixed" describes her pain?'
    assert "without saying in which sense" in flat(case.stage("naming").text)


def test_three_pains_matching_ties_each_finding_to_its_pain():
    q = get_case("three-pains-in-one-back").question("findings-to-pains")
    key = {i.id: i.category for i in q.items}
    assert key == {"sensory-level": "burning", "allodynia": "burning", "fast-tone": "pulling",
                   "low-frame": "ache", "stoop": "ache"}
    assert evaluate(q, key).verdict == "correct"
    assert evaluate(q, {**key, "allodynia": "root"}).verdict == "partly-correct"


def test_check_question_titles_carry_no_number_of_their_own() -> None:
    """The widget heads each check question "Question 2 of 4: <title>": a title starting "2." would say it twice."""
    for check in check_library().values():
        for stage in check.stages:
            assert not re.match(r"\d+[.)]\s", stage.title), f"{check.id}, stage {stage.id}: {stage.title!r}"
