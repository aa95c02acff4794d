"""DN4 scorer logic (mslbp_widgets.tools.screening): data validation, scoring, cut-off, interpretation."""

from __future__ import annotations

from pathlib import Path

import pytest

from mslbp_widgets.logic.errors import SelectionError
from mslbp_widgets.tools.screening import dn4, interpret_dn4, load_dn4, score_dn4

FIXTURES = Path(__file__).parent / "fixtures" / "screening"
INTERVIEW = ["burning", "painful-cold", "electric-shocks", "tingling", "pins-and-needles", "numbness", "itching"]
EXAM = ["hypoaesthesia-touch", "hypoaesthesia-pinprick", "brushing-allodynia"]


def test_course_dn4_has_ten_items_seven_interview_three_examination():
    t = dn4()
    assert t.max_score == 10 and t.cutoff == 4
    assert [i.id for i in t.in_section("interview")] == INTERVIEW
    assert [i.id for i in t.in_section("examination")] == EXAM
    assert {i.question for i in t.items} == {"Q1", "Q2", "Q3", "Q4"}
    assert "bouhassira-2005" in t.references


def test_ok_fixture_loads():
    assert load_dn4(FIXTURES / "ok-dn4.yaml").max_score == 10


@pytest.mark.parametrize("n, positive", [(0, False), (3, False), (4, True), (5, True), (10, True)])
def test_cut_off_boundary(n, positive):
    items = (INTERVIEW + EXAM)[:n]
    r = score_dn4(items)
    assert r.score == n
    assert r.positive is positive
    assert r.label == ("At or above the cut-off" if positive else "Below the cut-off")


def test_three_is_below_and_four_is_at_cut_off_whatever_the_items():
    assert not score_dn4(["hypoaesthesia-touch", "hypoaesthesia-pinprick", "brushing-allodynia"]).positive
    assert score_dn4(["itching", "hypoaesthesia-touch", "hypoaesthesia-pinprick", "brushing-allodynia"]).positive


def test_section_subscores():
    r = score_dn4(["burning", "numbness", "hypoaesthesia-pinprick"])
    assert r.section_scores == {"interview": 2, "examination": 1}
    assert r.section_max == {"interview": 7, "examination": 3}
    assert r.score_text == "DN4 score 3 / 10 (interview 2/7, examination 1/3)"


def test_mapping_answers_count_only_yes():
    r = score_dn4({"burning": True, "tingling": False, "numbness": True})
    assert r.score == 2


def test_bad_answers_are_selection_errors():
    with pytest.raises(SelectionError, match="unknown DN4 item 'burnin'"):
        score_dn4(["burnin"])
    with pytest.raises(SelectionError, match="must be True"):
        score_dn4({"burning": "yes"})
    with pytest.raises(SelectionError, match="from 0 to 10"):
        interpret_dn4(11)


def test_interpretation_says_what_the_score_cannot_tell():
    pos = score_dn4(INTERVIEW[:4])
    assert "does not say where the lesion is" in pos.interpretation
    assert "nerve root" in pos.interpretation
    neg = score_dn4(INTERVIEW[:3])
    assert "less likely" in neg.interpretation and "miss some" in neg.interpretation
    limits = " ".join(pos.limits)
    assert "disc" in limits and "central" in limits  # radicular scores like central pain
    assert "already had" in limits  # pre-existing MS sensory loss inflates examination items


def test_repeated_ids_count_once():
    assert score_dn4(["burning", "burning"]).score == 1
