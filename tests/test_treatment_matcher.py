"""The mechanism -> treatment matcher (data/exercises/treatment-matcher.yaml) on curriculum-a's sorting engine."""

from __future__ import annotations

import re

import pytest

from mslbp_widgets.tools.sorting import answer_key, evaluate_placement, exercises_dir, get_exercise


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


#: Words that name each category; an item's own text must not contain the words of its answer (a giveaway such
#: as "Gabapentin as a first-line anti-spasticity drug"). Other categories' words may appear (traps).
GIVEAWAYS = {
    "spasticity": ("spastic", "muscle relaxant", "overactive"),
    "central-neuropathic": ("neuropathic", "central pain", "cord lesion"),
    "paroxysmal": ("paroxysm", "stereotyped", "tonic spasm", "lhermitte"),
    "gait-posture": ("gait", "posture"),
    "mechanical": ("non-specific", "mechanical"),
    "poor-fit": ("poor fit", "advised against", "risky", "not recommended"),
}


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
