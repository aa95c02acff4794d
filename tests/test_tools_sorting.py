"""Sorting-exercise engine (mslbp_widgets.tools.sorting): loading, validation, marking."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mslbp_widgets.logic.errors import DataValidationError, SelectionError
from mslbp_widgets.tools import sorting
from mslbp_widgets.tools.sorting import (
    answer_key,
    evaluate_placement,
    exercises_dir,
    get_exercise,
    load_exercise,
    parse_exercise,
)

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
GIVEAWAYS = {
    "spasticity": ("spastic", "muscle relaxant", "overactive"),
    "central-neuropathic": ("neuropathic", "central pain", "cord lesion"),
    "paroxysmal": ("paroxysm", "stereotyped", "tonic spasm", "lhermitte"),
    "gait-posture": ("gait", "posture"),
    "mechanical": ("non-specific", "mechanical"),
    "poor-fit": ("poor fit", "advised against", "risky", "not recommended"),
}


@pytest.fixture()
def exercise():
    return load_exercise(FIXTURES / "ok-minimal.yaml")


def test_ok_fixture_loads_with_every_field(exercise):
    assert exercise.id == "ok-minimal"
    assert [c.id for c in exercise.categories] == ["box-a", "box-b", "box-c"]
    assert exercise.category("box-c").description == ""
    two = exercise.item("item-two")
    assert two.answer == "box-b"
    assert two.acceptable("box-c").feedback == "C is defensible but B is better."
    assert two.acceptable("box-a") is None
    assert exercise.item("item-one").hint == "Think of the letter A."
    assert exercise.last_reviewed == "2026-11-21"
    assert exercise.all_references == ("oconnor-2008", "truini-2013")


def test_validation_lists_every_problem_not_just_the_first():
    raw = {
        "id": "Bad Id", "title": "", "instructions": "x",
        "categories": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
        "items": [{"id": "i", "text": "t", "answer": "zzz", "feedback": ""}],
        "references": ["oconnor-2008"],
    }
    with pytest.raises(DataValidationError) as info:
        parse_exercise(raw, file="x.yaml")
    fields = {p.field for p in info.value.problems}
    assert {"id", "title", "items[0] (i).answer", "items[0] (i).feedback"} <= fields


def test_not_a_mapping_and_missing_file_are_clear(tmp_path):
    with pytest.raises(DataValidationError, match="must be a mapping"):
        parse_exercise(["a", "list"], file="list.yaml")
    with pytest.raises(DataValidationError, match="file not found"):
        load_exercise(tmp_path / "nothing.yaml")


def test_get_exercise_reads_the_data_folder(tmp_path, monkeypatch):
    folder = tmp_path / "exercises"
    folder.mkdir()
    (folder / "ok-minimal.yaml").write_text((FIXTURES / "ok-minimal.yaml").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    monkeypatch.setattr(sorting, "exercises_dir", lambda: folder)
    assert sorting.get_exercise("ok-minimal").title == "Test exercise"
    with pytest.raises(DataValidationError, match="available: \\['ok-minimal'\\]"):
        sorting.get_exercise("no-such-exercise")
    with pytest.raises(DataValidationError, match="not a kebab-case exercise id"):
        sorting.get_exercise("../etc/passwd")


def test_all_correct_scores_one(exercise):
    result = evaluate_placement(exercise, {"item-one": "box-a", "item-two": "box-b", "item-three": "box-c"})
    assert result.score == 1.0
    assert result.complete
    assert [v.label for v in result.verdicts] == ["Correct"] * 3
    assert result.verdict("item-one").feedback == "One belongs in A."
    assert result.summary.startswith("3 of 3 correct")


def test_acceptable_is_not_quite_and_half_credit(exercise):
    result = evaluate_placement(exercise, {"item-one": "box-a", "item-two": "box-c", "item-three": "box-c"})
    two = result.verdict("item-two")
    assert (two.status, two.label, two.credit) == ("acceptable", "Not quite", 0.5)
    assert two.feedback == "C is defensible but B is better."
    assert result.score == pytest.approx(2.5 / 3)
    assert "1 defensible but not the best fit" in result.summary


def test_incorrect_names_the_wrong_box_and_gives_the_hint_not_the_answer(exercise):
    result = evaluate_placement(exercise, {"item-one": "box-b"})
    one = result.verdict("item-one")
    assert (one.status, one.label) == ("incorrect", "Incorrect")
    assert "Box B is not the best fit" in one.feedback
    assert "Think of the letter A." in one.feedback
    assert "One belongs in A." not in one.feedback  # the explanation is kept for Show answers
    no_hint = evaluate_placement(exercise, {"item-three": "box-a"}).verdict("item-three")
    assert no_hint.status == "incorrect"
    assert "try another one, or press Show answers" in no_hint.feedback  # generic nudge when no hint is given


def test_unplaced_items_count_zero_and_result_is_incomplete(exercise):
    result = evaluate_placement(exercise, {"item-one": "box-a", "item-two": None})
    assert result.count("unplaced") == 2
    assert not result.complete
    assert result.score == pytest.approx(1 / 3)
    assert "2 not placed yet" in result.summary
    assert result.verdict("item-two").label == "Not placed"


def test_unknown_ids_raise_selection_error(exercise):
    with pytest.raises(SelectionError, match="unknown item 'nope'"):
        evaluate_placement(exercise, {"nope": "box-a"})
    with pytest.raises(SelectionError, match="unknown category 'box-z'"):
        evaluate_placement(exercise, {"item-one": "box-z"})
    with pytest.raises(SelectionError):
        evaluate_placement(exercise, ["item-one"])  # type: ignore[arg-type]


def test_answer_key_places_every_item_in_its_answer(exercise):
    key = answer_key(exercise)
    assert [(v.item.id, v.placed) for v in key] == [("item-one", "box-a"), ("item-two", "box-b"),
                                                     ("item-three", "box-c")]
    assert evaluate_placement(exercise, {v.item.id: v.placed for v in key}).score == 1.0


def test_pain_sorter_uses_oconnor_categories_and_flags_the_scheme_disagreement():
    ex = sorting.get_exercise("pain-sorter")
    assert [c.label for c in ex.categories] == [
        "Continuous central neuropathic pain", "Intermittent central neuropathic pain", "Musculoskeletal pain",
        "Mixed neuropathic and non-neuropathic pain"]
    spasm = ex.item("tonic-spasm")
    assert spasm.answer == "musculoskeletal"
    assert "Truini" in spasm.acceptable("mixed").feedback
    assert ex.item("recurrent-headaches").answer == "mixed"
    assert ex.item("neck-flexion-shock").answer == "intermittent-central-neuropathic"
    # the hip-hike ache is placed by Truini's wording, with no remark about what was or was not checked
    hip = ex.item("hip-hike-back-ache").feedback
    assert "Truini describes it" in hip and "not checked" not in hip and "for this course" not in hip


def test_paroxysmal_pain_is_ectopic_firing_or_ephaptic_transmission():
    import yaml

    from mslbp_widgets.logic.paths import data_dir

    matcher = sorting.get_exercise("treatment-matcher")
    paroxysmal = next(c for c in matcher.categories if c.id == "paroxysmal")
    assert "ephaptic (axon-to-axon) transmission" in " ".join(paroxysmal.description.split())
    vocabulary = yaml.safe_load((data_dir() / "mechanisms.yaml").read_text(encoding="utf-8"))
    assert "ephaptic (axon-to-axon) transmission" in vocabulary["paroxysmal-neuropathic"]["description"]


def test_the_ms_hug_item_is_an_established_band_and_the_feedback_says_a_new_band_can_be_a_relapse():
    item = sorting.get_exercise("pain-sorter").item("squeezing-band")
    assert item.answer == "continuous-central-neuropathic"
    assert "two years" in item.text and "not changed" in item.text  # classified as known pain only when it is old
    for cause in ("relapse", "compression of the cord", "heart", "pleura", "gut", "shingles", "same day"):
        assert cause in item.feedback, cause


def test_pollmann_sorter_has_the_four_categories_and_a_root_lesion_is_not_ms():
    ex = sorting.get_exercise("pain-sorter-pollmann")
    assert [c.id for c in ex.categories] == ["direct", "indirect", "treatment-related", "unrelated"]
    assert ex.item("sciatica").answer == "unrelated"
    result = evaluate_placement(ex, {"sciatica": "direct"})
    # a root lesion filed as "directly due to MS" is the misconception the exercise targets: no half credit
    assert result.verdict("sciatica").label == "Incorrect"
    assert "nerve root" in result.verdict("sciatica").feedback


@pytest.mark.parametrize("exercise_id", ["pain-sorter", "pain-sorter-pollmann"])
def test_course_exercises_load_and_say_uhthoff_and_barbanti_correctly(exercise_id):
    ex = sorting.get_exercise(exercise_id)
    text = (sorting.exercises_dir() / f"{exercise_id}.yaml").read_text(encoding="utf-8")
    assert "Uthoff" not in text and "Barbant " not in text
    assert all(len(it.feedback) > 80 for it in ex.items)  # every placement is explained
    assert evaluate_placement(ex, {v.item.id: v.placed for v in answer_key(ex)}).score == 1.0


def test_headline_names_the_category_as_a_sentence_of_its_own(exercise):
    # "Correct. Poor fit." read as a contradiction: the verdict now names where the item belongs.
    result = evaluate_placement(exercise, {"item-one": "box-a", "item-two": "box-c", "item-three": "box-a"})
    assert result.verdict("item-one").headline == "Correct: this belongs under “Box A”."
    assert result.verdict("item-two").headline == "Not quite: “Box C” is defensible, but not the best fit."
    assert result.verdict("item-three").headline == "Incorrect."
    assert evaluate_placement(exercise, {}).verdict("item-one").headline == "Not placed."
    assert [v.category_label for v in sorting.answer_key(exercise)] == ["Box A", "Box B", "Box C"]


@pytest.fixture(scope="module")
def ex():
    return get_exercise("treatment-matcher")


def test_loads_and_every_category_is_used(ex):
    used = {it.answer for it in ex.items}
    assert used == {c.id for c in ex.categories}


def test_answer_key_scores_full_marks(ex):
    result = evaluate_placement(ex, {v.item.id: v.placed for v in answer_key(ex)})
    assert result.score == 1.0 and result.complete


@pytest.mark.parametrize(("item_id", "answer"), [
    ("baclofen", "spasticity"), ("tizanidine", "spasticity"), ("gabapentin-spasticity", "spasticity"),
    ("neuropathic-choice", "central-neuropathic"), ("carbamazepine", "paroxysmal"),
    ("lhermitte-approach", "paroxysmal"), ("botulinum-toxin", "spasticity"), ("intrathecal-baclofen", "spasticity"),
    ("nabiximols", "spasticity"), ("cane-training", "gait-posture"), ("afo-fes", "gait-posture"),
    ("seating", "gait-posture"), ("stay-active", "mechanical"), ("nsaid-short", "mechanical"),
    ("whole-body-heat", "poor-fit"), ("anticonvulsant-mechanical", "poor-fit"), ("paracetamol-alone", "poor-fit"),
    ("opioid-chronic", "poor-fit"), ("belt-tens", "poor-fit"),
])
def test_clinical_answers_are_pinned(ex, item_id, answer):
    assert ex.item(item_id).answer == answer


def test_traps_are_marked_incorrect_with_an_explaining_hint(ex):
    result = evaluate_placement(ex, {"anticonvulsant-mechanical": "mechanical", "whole-body-heat": "spasticity"})
    a = result.verdict("anticonvulsant-mechanical")
    assert a.status == "incorrect" and "NICE" in a.feedback
    h = result.verdict("whole-body-heat")
    assert h.status == "incorrect" and "temperature" in h.feedback


def test_gabapentin_is_right_for_one_mechanism_and_a_trap_for_another(ex):
    assert ex.item("gabapentin-spasticity").answer == "spasticity"
    assert ex.item("anticonvulsant-mechanical").answer == "poor-fit"
    assert "does not cover MS central" in ex.item("anticonvulsant-mechanical").feedback
    partly = evaluate_placement(ex, {"gabapentin-spasticity": "central-neuropathic"})
    assert partly.verdict("gabapentin-spasticity").status == "acceptable"


def test_nabiximols_wording_is_careful(ex):
    fb = ex.item("nabiximols").feedback
    assert "licence covers spasticity, not pain" in fb
    assert "imprecise" in fb  # the seed's "oral cannabis"
    assert "FDA" not in fb


def test_no_drug_doses():
    text = (exercises_dir() / "treatment-matcher.yaml").read_text(encoding="utf-8")
    assert not re.search(r"\d\s*(mg|mcg|µg|microgram|units?|ml)\b", text, re.IGNORECASE)


def test_item_texts_do_not_give_their_answer_away(ex):
    for item in ex.items:
        text = item.text.lower()
        for word in GIVEAWAYS[item.answer]:
            assert word not in text, f"{item.id}: {item.text!r} names its own category ({word!r})"


def test_feedback_does_not_open_by_repeating_the_category(ex):
    # The widget shows "Correct: this belongs under “<category>”." above the feedback; a feedback that then
    # opens with "Poor fit." or "Spasticity." read as "Correct. Poor fit.".
    for item in ex.items:
        first = item.feedback.split(".")[0].strip().lower()
        label = ex.category(item.answer).label.lower()
        assert not label.startswith(first), f"{item.id}: feedback opens with the category name {first!r}"
