"""The matching, ordering and numeric question model (logic/cases/qtypes.py): building, display order, numbers,
the item-writing notes and preview lines. Validation rules have one ko fixture each (tests/fixtures/cases/ko-*)."""

from __future__ import annotations

import pytest
from helpers import qtypes_case

from mslbp_widgets.logic.cases.qtypes import (
    BAND_STATUS,
    HOW_TO_ANSWER,
    MatchingQuestion,
    NumericQuestion,
    OrderingQuestion,
    item_notes,
    qtype_from_dict,
)
from mslbp_widgets.logic.errors import SelectionError


@pytest.fixture(scope="module")
def questions() -> dict:
    return {q.id: q for q in qtypes_case().questions}


def test_each_type_builds_its_own_question(questions: dict) -> None:
    assert isinstance(questions["match-findings"], MatchingQuestion)
    assert isinstance(questions["visit-order"], OrderingQuestion)
    assert isinstance(questions["dn4-score"], NumericQuestion)
    m = questions["match-findings"]
    assert [c.id for c in m.categories] == ["neuropathic", "mechanical"]
    assert m.item("worse-lifting").category == "mechanical" and m.options == ()
    assert set(HOW_TO_ANSWER) == {"matching", "ordering", "numeric"}


def test_matching_items_shuffled_stably_and_not_with_shuffle_false(questions: dict) -> None:
    m = questions["match-findings"]
    assert m.display_items() == m.display_items()
    assert {i.id for i in m.display_items()} == {i.id for i in m.items}
    assert m.display_items() != m.items  # this fixture's seed does change the order
    from mslbp_widgets.logic.records import replace
    assert replace(m, shuffle=False).display_items() == m.items


def test_ordering_never_starts_in_the_right_order() -> None:
    for n in range(40):  # many ids: whatever the seed gives, the start order is never the answer
        q = qtype_from_dict({"id": f"q{n}", "prompt": "P", "type": "ordering", "teaching_point": "T",
                             "steps": [{"id": s, "text": s, "feedback": "F"} for s in ("a", "b", "c")]})
        assert q.start_order() != q.steps
        assert sorted(s.id for s in q.start_order()) == ["a", "b", "c"]


@pytest.mark.parametrize(("typed", "value"), [("5", 5), (" 4 points", 4), ("4,0", 4), ("+3", 3), ("10", 10)])
def test_numeric_reads_what_learners_type(questions: dict, typed: str, value: int) -> None:
    assert questions["dn4-score"].parse(typed) == value


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Write your answer first"), ("five", "'five' is not a number"), ("5.5", "Give no decimals"),
    ("11", "outside the values this question allows"), ("-1", "outside"), ("nan", "Write a whole number"),
])
def test_numeric_refuses_with_what_to_type(questions: dict, typed: str, message: str) -> None:
    with pytest.raises(SelectionError) as info:
        questions["dn4-score"].parse(typed)
    assert message in str(info.value)
    assert "a whole number from 0 to 10 (points)" in str(info.value)


def test_numeric_bands_in_words(questions: dict) -> None:
    q = questions["dn4-score"]
    assert q.accepted.low == q.accepted.high == 5
    assert q.band_words(q.bands[0]) == "below the cut-off (0 to 3 points)"
    assert q.band_words(q.accepted) == "5 points" and q.format(4) == "4 points"
    assert q.band_for(7) is q.bands[3] and q.band_for(11) is None


def test_numeric_band_status_and_direction_without_the_range(questions: dict) -> None:
    q = questions["dn4-score"]
    assert [b.status for b in q.bands] == ["incorrect", "acceptable", "correct", "incorrect"]
    assert [BAND_STATUS[b.status] for b in q.bands] == ["Not correct", "Close: half marks", "Correct", "Not correct"]
    assert (q.direction(0), q.direction(4), q.direction(5), q.direction(6), q.direction(10)) == (
        "too low", "too low", "", "too high", "too high")


def test_numeric_with_decimals() -> None:
    q = qtype_from_dict({"id": "v", "prompt": "P", "type": "numeric", "teaching_point": "T", "unit": "mL",
                         "min": 0, "max": 5, "decimals": 1,
                         "bands": [{"from": 0, "to": 2.4, "feedback": "low"},
                                   {"from": 2.5, "to": 5, "correct": True, "feedback": "ok"}]})
    assert q.parse("2,5") == 2.5 and q.band_for(2.5).correct
    assert q.range_words() == "a number with at most 1 decimal from 0.0 to 5.0 (mL)"
    with pytest.raises(SelectionError, match="at most 1 decimal"):
        q.parse("2.55")


def test_item_notes_say_what_applies_to_each_type(questions: dict) -> None:
    from mslbp_widgets.logic.records import replace

    assert item_notes(questions["match-findings"]) == []
    m = questions["match-findings"]
    one = replace(m, items=tuple(replace(i, category="mechanical") for i in m.items))
    assert "every item belongs to the same category" in item_notes(one)[0][1]
    o = questions["visit-order"]
    cued = replace(o, steps=(replace(o.steps[0], text="First, take the history"), *o.steps[1:]))
    assert item_notes(cued) == [(".steps[0] (history)", item_notes(cued)[0][1])]
    assert "gives its place away ('First')" in item_notes(cued)[0][1]
    n = questions["dn4-score"]
    assert item_notes(n) == []
    upper = replace(n, bands=tuple(replace(b, correct=b is n.bands[3]) for b in n.bands))  # 6..10: 5 of 11
    assert item_notes(upper) == []
    wide = replace(n, bands=(replace(n.bands[0], high=9, correct=True), replace(n.bands[3], low=10, high=10)))
    assert item_notes(wide) == [(".bands", item_notes(wide)[0][1])]
    assert "the accepted range covers 91% of the values" in item_notes(wide)[0][1]
