"""Scoring matching, ordering and numeric answers (logic/qtype_scoring.py), through the one `evaluate`."""

from __future__ import annotations

from itertools import permutations

import pytest
from helpers import QTYPES_RIGHT, qtypes_case, range_question
from hypothesis import given
from hypothesis import strategies as st

from mslbp_widgets.logic.attempts import answer_from_json, answer_json, answer_text
from mslbp_widgets.logic.errors import SelectionError
from mslbp_widgets.logic.evaluate import evaluate
from mslbp_widgets.logic.qtype_scoring import pairs_in_order
from mslbp_widgets.logic.records import replace

CASE = qtypes_case()
MATCH, DN4, ORDER = (CASE.question(i) for i in ("match-findings", "dn4-score", "visit-order"))


def test_every_right_answer_is_correct_with_full_marks() -> None:
    for qid, answer in QTYPES_RIGHT.items():
        r = evaluate(CASE.question(qid), answer, 4)
        assert (r.verdict, r.score, r.verdict_label, r.confidence) == ("correct", 1.0, "Correct", 4)
        assert r.question_type == CASE.question(qid).type and r.selection == ()
        assert all(i.status == "correct" for i in r.items)


def test_matching_scores_items_and_names_the_right_category() -> None:
    answer = dict(QTYPES_RIGHT["match-findings"], **{"neck-flexion-shock": "mechanical"})
    r = evaluate(MATCH, answer, 3)
    assert (r.verdict, r.score) == ("partly-correct", 0.75)
    assert r.score_words == "3 of 4 items matched to the right category."
    wrong = [i for i in r.items if i.status == "incorrect"]
    assert [(i.id, i.label, i.given) for i in wrong] == [
        ("neck-flexion-shock", "Belongs to: Neuropathic pain", "Mechanical back pain")]
    assert [i.id for i in r.items] == [i.id for i in MATCH.display_items()]  # the order learners see
    assert r.answer == ("matching", tuple(answer.items()))
    none_right = {k: ("mechanical" if v == "neuropathic" else "neuropathic") for k, v in answer.items()}
    none_right["neck-flexion-shock"] = "mechanical"
    assert evaluate(MATCH, none_right).verdict == "incorrect" and evaluate(MATCH, none_right).score == 0


@pytest.mark.parametrize(("answer", "message"), [
    ({"burning-band": "neuropathic"}, "3 of 4 not matched yet"),
    (dict(QTYPES_RIGHT["match-findings"], **{"burning-band": ""}), "1 of 4 not matched yet"),
    (dict(QTYPES_RIGHT["match-findings"], extra="mechanical"), "has no item 'extra'"),
    (dict(QTYPES_RIGHT["match-findings"], **{"burning-band": "visceral"}), "has no category 'visceral'"),
    ("neuropathic", "give a category for each item"),
])
def test_matching_refuses_incomplete_or_unknown_answers(answer: object, message: str) -> None:
    with pytest.raises(SelectionError, match=message):
        evaluate(MATCH, answer)


def test_ordering_partial_credit_is_pairs_in_order_and_says_what_is_out_of_place() -> None:
    r = evaluate(ORDER, ["examination", "history", "decide", "explain"], 2)  # one adjacent swap
    assert (r.verdict, r.score) == ("partly-correct", round(5 / 6, 4))
    assert r.score_words == "5 of 6 pairs of steps in the right order; 2 of 4 steps in their right place."
    first = r.items[0]
    assert (first.id, first.label, first.status) == ("examination", "Should be step 2", "incorrect")
    assert first.note == "You put it before “Take the history”, which should come first."
    assert [i.note for i in r.items[1:]] == ["", "", ""]
    assert [i.label for i in r.all_items] == ["Step 1", "Step 2", "Step 3", "Step 4"]  # the right order, explained
    reverse = evaluate(ORDER, list(reversed(QTYPES_RIGHT["visit-order"])))
    assert (reverse.verdict, reverse.score) == ("incorrect", 0.0)
    assert reverse.items[0].note.count("“") == 3  # the last step was put before all three


def test_ordering_verdict_thresholds_over_every_order() -> None:
    ids = QTYPES_RIGHT["visit-order"]
    for order in permutations(ids):
        r = evaluate(ORDER, order)
        good, total = pairs_in_order(ids, order)
        assert r.score == round(good / total, 4)
        expected = "correct" if list(order) == ids else "partly-correct" if good / total >= 0.5 else "incorrect"
        assert r.verdict == expected, order


@given(st.permutations(list("abcdefgh")))
def test_pairs_in_order_is_between_none_and_all(order: list[str]) -> None:
    good, total = pairs_in_order(list("abcdefgh"), order)
    assert total == 28 and 0 <= good <= total
    assert (good == total) == (order == list("abcdefgh"))
    assert pairs_in_order(list("abcdefgh"), order[::-1])[0] == total - good


@pytest.mark.parametrize("answer", [["history", "examination", "decide"], ["history"] * 4, "history",
                                    ["history", "examination", "decide", "referral"], 4])
def test_ordering_refuses_anything_but_every_step_once(answer: object) -> None:
    with pytest.raises(SelectionError):
        evaluate(ORDER, answer)


@pytest.mark.parametrize(("answer", "verdict", "score", "band"), [
    (5, "correct", 1.0, "Correct"), ("5", "correct", 1.0, "Correct"),
    (4, "partly-correct", 0.5, "Close: half marks"),
    ("2", "incorrect", 0.0, "Not correct"), (10, "incorrect", 0.0, "Not correct"),
    (5.0, "correct", 1.0, "Correct"),
])
def test_numeric_judged_by_its_band(answer: object, verdict: str, score: float, band: str) -> None:
    r = evaluate(DN4, answer, 5)
    assert (r.verdict, r.score, r.items[0].label) == (verdict, score, band)
    assert r.answer == ("numeric", int(float(answer)))
    assert len(r.all_items) == len(DN4.bands)
    assert "points" in r.score_words and r.items[0].feedback == DN4.band_for(int(float(answer))).feedback


@pytest.mark.parametrize(("answer", "verdict_label", "words"), [
    (77, "Not correct", "Your answer, 77 cm, is too short."),  # the band's own label
    (60, "Not correct", "Your answer, 60 cm, is too short."),
    (78, "Close: half marks", "Your answer, 78 cm, is a little too low."),  # no label: the direction
    (82, "Close: half marks", "Your answer, 82 cm, is a little too high."),
    (95, "Not correct", "Your answer, 95 cm, is too high."),
    (80, "Correct", "Your answer, 80 cm, is in the accepted range: 79 to 81 cm."),
])
def test_numeric_words_name_the_value_once_and_give_the_range_only_when_right(answer: int, verdict_label: str,
                                                                               words: str) -> None:
    r = evaluate(range_question(), answer, 3)
    assert (r.verdict_label, r.score_words) == (verdict_label, words)
    assert "ccept" not in r.items[0].label and "ccept" not in r.verdict_label


@given(st.integers(min_value=60, max_value=110))
def test_numeric_first_feedback_of_a_close_or_wrong_answer_never_holds_the_range(value: int) -> None:
    q = range_question()
    r = evaluate(q, value)
    bounds = ("79", "81")
    if r.verdict == "correct":
        assert all(b in r.score_words for b in bounds)
    else:
        assert not any(b in r.score_words.replace(f"{value} cm", "") for b in bounds)
        assert ("too low" if value < 79 else "too high") in r.score_words or q.band_for(value).label in r.score_words
    # "Why not the others?" holds every band, the accepted one marked in words
    assert [(i.text, i.label) for i in r.all_items if i.status == "correct"] == [("79 to 81 cm", "Correct")]


def test_numeric_one_value_range_is_not_repeated() -> None:
    assert evaluate(DN4, 5).score_words == "Your answer, 5 points, is the accepted value."
    labelled = replace(DN4, bands=tuple(replace(b, label="the cut-off plus one") if b.correct else b
                                        for b in DN4.bands))
    assert evaluate(labelled, 5).score_words == "Your answer, 5 points, is the accepted value: the cut-off plus one."


@pytest.mark.parametrize("answer", ["", "five", 11, True, 4.5, None])
def test_numeric_refuses_what_the_question_does_not_allow(answer: object) -> None:
    with pytest.raises(SelectionError):
        evaluate(DN4, answer)


def test_answers_round_trip_through_json_and_text() -> None:
    for qid, answer in QTYPES_RIGHT.items():
        tagged = evaluate(CASE.question(qid), answer).answer
        assert answer_from_json(answer_json(tagged)) == tagged
        assert evaluate(CASE.question(qid), tagged).verdict == "correct"  # a stored answer is judged again
    assert answer_text(("ordering", ("b", "a"))) == "b;a"
    assert answer_text(("matching", (("x", "c1"), ("y", "c2")))) == "x=c1;y=c2"
    assert answer_text(("numeric", 2.5)) == "2.5" and answer_text(None) == ""
