"""Class charts: per-question answer distribution, and the reused mechanism/calibration builders."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from helpers import CASE_ID, EXPORT_FIXTURES, example_library, letter_of

from mslbp_widgets.charts.classroom import answer_distribution, class_accuracy_by_mechanism, class_calibration
from mslbp_widgets.classroom import load_exports, tally

FIXTURES = EXPORT_FIXTURES
_lib = example_library


@pytest.fixture(scope="module")
def class_tally():
    return tally(load_exports(FIXTURES), _lib())


def _letter(question_id: str, text_start: str) -> str:
    return letter_of(_lib(), question_id, text_start)


def test_answer_distribution_bars_and_words(class_tally) -> None:
    q = class_tally.question(CASE_ID, "classification")
    fig, alt = answer_distribution(q)
    assert isinstance(fig, go.Figure)
    bar = fig.data[0]
    labels = list(bar.y)[::-1]  # drawn bottom-up
    counts = dict(zip(labels, list(bar.x)[::-1], strict=True))
    best, disc = _letter("classification", "Lhermitte"), _letter("classification", "Disc")
    lhermitte_label = next(label for label in labels if label.startswith(f"{best}. Lhermitte"))
    assert lhermitte_label.endswith("(best answer)") and counts[lhermitte_label] == 1
    disc_label = f"{disc}. Disc herniation with sciatica (not correct)"
    assert counts[disc_label] == 2 and sorted(counts.values()) == [0, 0, 1, 1, 2]
    assert labels[-1].startswith("unknown option")
    assert list(bar.text)[::-1][labels.index(disc_label)] == "2 (50%)"
    # the text alternative states the numbers
    assert alt.startswith("4 learners answered \"How do you classify her back pain?\"")
    assert f"{disc}. Disc herniation with sciatica (not correct): 2 (50%)" in alt
    assert "an option not in the case file: 1 (25%)" in alt
    assert "1 of 4 (25%) were fully correct" in alt


def test_best_answer_not_shown_by_colour_alone(class_tally) -> None:
    fig, _ = answer_distribution(class_tally.question(CASE_ID, "next-step"))
    labels = list(fig.data[0].y)[::-1]
    assert sum("(should be ticked)" in label for label in labels) == 3
    shapes = list(fig.data[0].marker.pattern.shape)[::-1]
    for label, shape in zip(labels, shapes, strict=True):
        assert (shape == "/") == ("(should be ticked)" in label)


def test_labels_are_escaped_for_plotly() -> None:
    def mutate(d):
        d["stages"][1]["question"]["options"][2]["text"] = "Disc <b>herniation</b> <a href='x'>link</a>"
        d["stages"][1]["question"]["prompt"] = "Classify <br> it"

    t = tally(load_exports(FIXTURES), _lib(mutate))
    fig, alt = answer_distribution(t.question(CASE_ID, "classification"))
    js = fig.to_json()
    assert "<b>" not in js and "<a " not in js and "<br>" not in js
    options = t.question(CASE_ID, "classification").options
    letter = "ABCDEFGHIJ"[[o.text.startswith("Disc") for o in options].index(True)]
    assert (f"{letter}. Disc &lt;b&gt;herniation&lt;/b&gt; &lt;a href='x'&gt;link&lt;/a&gt; (not correct)"
            in fig.data[0].y)
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
    fig, alt = answer_distribution(class_tally.question(CASE_ID, "classification"), short_labels=True, font_size=22)
    best = _letter("classification", "Lhermitte")
    question = _lib()[CASE_ID].question("classification")
    starts = {letter: " ".join(o.text.split()) for letter, o in question.lettered_options()}
    labels = list(fig.data[0].y)[::-1]
    assert labels[-1] == "unknown option"
    for letter, label in zip("ABCD", labels, strict=False):
        # The letter and the start of the option's text, as the presenter writes the options; status below.
        text, status = label.split("<br>")
        assert status == f"({'best answer' if letter == best else 'not correct'})"
        assert text.startswith(f"{letter}. ") and len(text) <= 28
        assert starts[letter].startswith(text[3:].rstrip("…")), (text, starts[letter])
    assert fig.layout.font.size == 22
    disc = _letter("classification", "Disc")
    assert f"{disc}. Disc herniation with sciatica (not correct)" in alt  # the full text stays in the alternative


def test_bars_are_lettered_as_learners_see_the_options(class_tally) -> None:
    """The chart's letters follow `Question.display_options()`, so the presenter's "C" is the learners' "C"."""
    question = _lib()[CASE_ID].question("classification")
    q = class_tally.question(CASE_ID, "classification")
    assert [o.option_id for o in q.options] == [o.id for o in question.display_options()]
    assert [o.option_id for o in q.options] != [o.id for o in question.options]  # this question is shuffled


def test_presenter_chart_fits_its_box_with_large_labels(class_tally) -> None:
    """On a projector the chart's labels match the presenter's 22 px text, and the chart can be given the width of
    its box (a live figure drawn at plotly's default 700 px was cut off on the right at 1366 px)."""
    q = class_tally.question(CASE_ID, "classification")
    fig, _ = answer_distribution(q, short_labels=True, font_size=22, width=600)
    assert fig.layout.width == 600 and not fig.layout.autosize
    plain, _ = answer_distribution(q)
    assert plain.layout.autosize is True and plain.layout.width is None
    assert fig.layout.yaxis.tickfont.size == 22 and fig.layout.xaxis.tickfont.size == 22
    assert fig.data[0].textfont.size == 22 and fig.layout.title.font.size > 22
    assert len(fig.layout.title.text) <= 30  # the question is on screen beside the chart: a short title
    top = max(fig.data[0].x)
    assert fig.layout.xaxis.range[1] >= 1.4 * top  # room for "2 (50%)" beyond the longest bar, inside the plot
    assert fig.layout.margin.r <= 40
