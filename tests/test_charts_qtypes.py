"""Class charts of matching, ordering and numeric questions (charts/qtypes.py): bars, words and text alternatives."""

from __future__ import annotations

import json

import pytest
from helpers import qtypes_case

from mslbp_widgets.charts.classroom import answer_distribution
from mslbp_widgets.classroom.exports import load_exports
from mslbp_widgets.classroom.samples import synthetic_exports
from mslbp_widgets.classroom.tally import tally

CASE = qtypes_case()


@pytest.fixture(scope="module")
def class_tally():
    docs = synthetic_exports({CASE.id: CASE}, case_ids=[CASE.id], n_learners=10, seed=7)
    return tally(load_exports([(f"{n}.json", json.dumps(d).encode()) for n, d in enumerate(docs)]), {CASE.id: CASE})


def test_matching_one_bar_per_item_with_its_category(class_tally) -> None:
    q = class_tally.question(CASE.id, "match-findings")
    fig, alt = answer_distribution(q)
    bar = fig.data[0]
    assert list(bar.x)[::-1] == [i.n_right for i in q.details.items]
    assert list(bar.y)[-1] == "1. A burning band around the chest → Neuropathic pain"
    assert alt.startswith('10 learners answered "Match each finding to the kind of pain it points to." (matching)')
    assert "A burning band around the chest (belongs to Neuropathic pain):" in alt
    assert f"{q.n_first_correct} of 10" in alt


def test_ordering_one_bar_per_position_and_the_most_common_order(class_tally) -> None:
    q = class_tally.question(CASE.id, "visit-order")
    fig, alt = answer_distribution(q, short_labels=True, font_size=22, width=600)
    assert list(fig.data[0].y)[::-1] == ["Step 1", "Step 2", "Step 3", "Step 4"]
    assert fig.layout.width == 600
    top, count = q.details.orders[0]
    assert f"most common order ({count} learner" in alt and " → ".join(top) in alt


def test_numeric_one_bar_per_range_accepted_hatched(class_tally) -> None:
    q = class_tally.question(CASE.id, "dn4-score")
    fig, alt = answer_distribution(q)
    bar = fig.data[0]
    assert list(bar.y)[::-1] == ["below the cut-off (0 to 3 points) (not accepted)", "4 points (acceptable)",
                                 "5 points (accepted)", "6 to 10 points (not accepted)"]
    assert list(bar.marker.pattern.shape)[::-1] == ["", "", "/", ""]
    assert sum(bar.x) == 10 and "median answer" in alt and "5 points (accepted):" in alt


def test_no_answers_yet_is_said_in_words() -> None:
    from mslbp_widgets.classroom.exports import ClassData

    q = tally(ClassData((), ()), {CASE.id: CASE}, include_unanswered=True).question(CASE.id, "dn4-score")
    _, alt = answer_distribution(q)
    assert "no answers from the class yet" in alt
