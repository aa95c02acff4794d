"""Chart builders: the right numbers in the figure and in the text alternative; empty data handled."""

from __future__ import annotations

import plotly.graph_objects as go

from mslbp_widgets.charts.learner import (
    UNKNOWN_LABEL,
    accuracy_by_mechanism_figure,
    confidence_calibration_figure,
    perfect_calibration,
)
from mslbp_widgets.logic.attempts import Attempt, Tally, tally_by_confidence, tally_by_mechanism

LABELS = {
    "central-neuropathic": {"label": "Central neuropathic (cord lesion)"},
    "spasticity": "Spasticity-related",
    "mechanical": "Mechanical, not caused by MS",
}
MECHANISMS = {"case-a": ["spasticity"], "case-b": ["spasticity", "mechanical"], "case-c": ["central-neuropathic"]}


def accuracy_by_mechanism(attempts, mechanisms, labels):
    """Attempts counted as the case bank does, then charted."""
    return accuracy_by_mechanism_figure(tally_by_mechanism(attempts, mechanisms), labels)


def confidence_calibration(attempts):
    attempts = list(attempts)
    unrated = sum(1 for a in attempts if (a["confidence"] if isinstance(a, dict) else a.confidence) is None)
    return confidence_calibration_figure(tally_by_confidence(attempts), unrated=unrated)


def attempt(case_id: str, verdict: str, confidence: int | None, n: int = 0) -> Attempt:
    return Attempt(f"{n:032x}", case_id, f"q-{n}", ("x",), verdict, 1.0 if verdict == "correct" else 0.0,
                   confidence, "2026-11-21T12:00:00Z")


def sample() -> list[Attempt]:
    return [
        attempt("case-a", "correct", 5, 1),
        attempt("case-a", "incorrect", 5, 2),
        attempt("case-b", "correct", 3, 3),
        attempt("case-c", "partly-correct", 1, 4),
        attempt("case-zzz", "correct", None, 5),
    ]


def test_accuracy_by_mechanism_numbers_in_figure_and_text():
    fig, text = accuracy_by_mechanism(sample(), MECHANISMS, LABELS)
    assert isinstance(fig, go.Figure)
    bar = fig.data[0]
    # Read top-down in vocabulary order (plotly lists bottom-up, so the trace is reversed).
    labels = [y.replace("<br>", " ") for y in bar.y]  # long labels wrap onto short lines (narrow screens)
    assert labels[::-1] == [
        "Central neuropathic (cord lesion)", "Spasticity-related", "Mechanical, not caused by MS", UNKNOWN_LABEL
    ]
    assert all(len(line) <= 18 for y in bar.y for line in y.split("<br>"))
    values = dict(zip(labels, bar.x, strict=True))
    assert round(values["Spasticity-related"], 1) == 66.7
    assert values["Mechanical, not caused by MS"] == 100
    assert values["Central neuropathic (cord lesion)"] == 0, "partly correct is not counted as correct"
    assert "2 of 3 correct (67%)" in list(bar.text)
    assert "Spasticity-related: 2 of 3 correct (67%)" in text
    assert "Central neuropathic (cord lesion): 0 of 1 correct (0%)" in text
    assert f"{UNKNOWN_LABEL}: 1 of 1 correct (100%)" in text
    assert "6 answers counted" in text
    assert fig.layout.xaxis.range == (0, 100)


def test_accuracy_figure_from_tallies_for_class_level_use():
    fig, text = accuracy_by_mechanism_figure(
        {"mechanical": Tally(30, 40)}, LABELS, title="Class accuracy", subject="the class's answers"
    )
    assert [y.replace("<br>", " ") for y in fig.data[0].y] == ["Mechanical, not caused by MS"]
    assert text.startswith("Class accuracy, the class's answers: Mechanical, not caused by MS: 30 of 40 correct (75%)")


def test_accuracy_empty():
    fig, text = accuracy_by_mechanism([], MECHANISMS, LABELS)
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "No answers yet"
    assert "no answers yet" in text


def test_calibration_numbers_and_reference_line():
    fig, text = confidence_calibration(sample())
    bars, line = fig.data
    assert isinstance(bars, go.Bar) and isinstance(line, go.Scatter)
    assert list(bars.x) == [1, 3, 5]
    assert list(bars.y) == [0, 100, 50]
    assert list(bars.text) == ["0 of 1", "1 of 1", "1 of 2"]
    assert list(line.x) == [1, 5] and list(line.y) == [0, 100]
    assert line.line.dash == "dash"
    assert [perfect_calibration(level) for level in range(1, 6)] == [0, 25, 50, 75, 100]
    assert "(4 rated)" in text
    assert "at 1 (guessing), 0 of 1 correct (0%)" in text
    assert "at 5 (certain), 1 of 2 correct (50%)" in text
    assert "No answers at levels 2, 4." in text
    assert "1 answer without a rating is not shown." in text
    assert "dashed line is a rough guide to calibration" in text and "a quarter of the time" in text
    assert list(fig.layout.xaxis.ticktext) == ["1 (guessing)", "2", "3", "4", "5 (certain)"]


def test_calibration_accepts_export_dicts():
    dicts = [a.to_dict() for a in sample()]
    _, text_from_dicts = confidence_calibration(dicts)
    _, text_from_attempts = confidence_calibration(sample())
    assert text_from_dicts == text_from_attempts


def test_calibration_empty_and_unrated_only():
    fig, text = confidence_calibration([])
    assert len(fig.data) == 0 and "nothing to chart" in text
    fig, text = confidence_calibration([attempt("case-a", "correct", None)])
    assert len(fig.data) == 0
    assert "(1 answer had no confidence rating)" in text


def test_mechanism_labels_from_the_data_file_are_escaped() -> None:
    labels = {"spasticity": "<img src=x onerror=alert(1)>Spasticity"}
    fig, alt = accuracy_by_mechanism([attempt("case-a", "correct", 3)], {"case-a": ["spasticity"]}, labels)
    (label,) = fig.data[0].y
    assert label.replace("<br>", "") == "&lt;img src=x onerror=alert(1)&gt;Spasticity"  # wrapped for a phone
    assert "<img" not in fig.to_json() and "<img src=x" in alt  # the text alternative is escaped where it is shown
