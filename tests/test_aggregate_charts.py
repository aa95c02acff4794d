"""Class charts: per-question answer distribution, and the reused mechanism/calibration builders."""

from __future__ import annotations

import copy
from pathlib import Path

import plotly.graph_objects as go
import pytest
import yaml

from mslbp_widgets.aggregate import load_exports, tally
from mslbp_widgets.cases.model import case_from_dict
from mslbp_widgets.class_charts import answer_distribution, class_accuracy_by_mechanism, class_calibration

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
CASE_FILE = Path(__file__).parent.parent / "data" / "cases" / "lhermitte-shock-on-neck-flexion.yaml"
CASE_ID = "lhermitte-shock-on-neck-flexion"


def _lib(mutate=None) -> dict:
    d = yaml.safe_load(CASE_FILE.read_text(encoding="utf-8"))
    if mutate:
        d = copy.deepcopy(d)
        mutate(d)
    return {CASE_ID: case_from_dict(d)}


@pytest.fixture(scope="module")
def class_tally():
    return tally(load_exports(FIXTURES), _lib())


def test_answer_distribution_bars_and_words(class_tally) -> None:
    q = class_tally.question(CASE_ID, "classification")
    fig, alt = answer_distribution(q)
    assert isinstance(fig, go.Figure)
    bar = fig.data[0]
    labels = list(bar.y)[::-1]  # drawn bottom-up
    counts = list(bar.x)[::-1]
    assert counts == [1, 0, 2, 0, 1]
    assert labels[0].startswith("A. Lhermitte") and labels[0].endswith("(best answer)")
    assert labels[2] == "C. Disc herniation with sciatica (not correct)"
    assert labels[-1].startswith("unknown option")
    assert list(bar.text)[::-1][2] == "2 (50%)"
    # the text alternative states the numbers
    assert alt.startswith("4 learners answered \"How do you classify her back pain?\"")
    assert "C. Disc herniation with sciatica (not correct): 2 (50%)" in alt
    assert "an option not in the case file: 1 (25%)" in alt
    assert "1 of 4 (25%) were fully correct" in alt


def test_best_answer_not_shown_by_colour_alone(class_tally) -> None:
    fig, _ = answer_distribution(class_tally.question(CASE_ID, "next-step"))
    labels = list(fig.data[0].y)[::-1]
    assert sum("(should be ticked)" in label for label in labels) == 3
    shapes = list(fig.data[0].marker.pattern.shape)[::-1]
    assert shapes[:3] == ("/", "/", "/") or shapes[:3] == ["/", "/", "/"]


def test_labels_are_escaped_for_plotly() -> None:
    def mutate(d):
        d["stages"][1]["question"]["options"][2]["text"] = "Disc <b>herniation</b> <a href='x'>link</a>"
        d["stages"][1]["question"]["prompt"] = "Classify <br> it"

    t = tally(load_exports(FIXTURES), _lib(mutate))
    fig, alt = answer_distribution(t.question(CASE_ID, "classification"))
    js = fig.to_json()
    assert "<b>" not in js and "<a " not in js and "<br>" not in js
    assert "C. Disc &lt;b&gt;herniation&lt;/b&gt; &lt;a href='x'&gt;link&lt;/a&gt; (not correct)" in fig.data[0].y
    assert "Disc <b>herniation</b>" in alt  # plain text; the widget escapes it when showing it


def test_empty_question_gives_an_empty_figure() -> None:
    t = tally(load_exports([]), _lib(), include_unanswered=True)
    fig, alt = answer_distribution(t.questions[0])
    assert "no answers from the class yet" in alt
    assert not fig.data


def test_mechanism_and_calibration_charts(class_tally) -> None:
    fig, alt = class_accuracy_by_mechanism(class_tally)
    assert "Paroxysmal neuropathic (e.g. Lhermitte's): 4 of 10 correct (40%)" in alt
    assert list(fig.data[0].x) == [40.0]
    fig, alt = class_calibration(class_tally)
    assert "at 4, 2 of 2 correct (100%)" in alt
    assert "1 answer without a rating" in alt
    assert list(fig.data[0].x) == [2, 3, 4, 5]


def test_short_labels_for_presenter_mode(class_tally) -> None:
    fig, alt = answer_distribution(class_tally.question(CASE_ID, "classification"), short_labels=True, font_size=18)
    assert list(fig.data[0].y)[::-1] == ["A (best answer)", "B (not correct)", "C (not correct)", "D (not correct)",
                                         "unknown option"]
    assert fig.layout.font.size == 18
    assert "C. Disc herniation with sciatica (not correct)" in alt  # the full text stays in the alternative
