"""The learner's summary charts (and the class's, which share their look): tallies in, ``(go.Figure, text
alternative)`` out.

Every builder returns a figure and one or two sentences that state what the figure shows with the actual numbers,
to be displayed as visible text beside it (screen-reader users and anyone who cannot read the chart get the same
information). Colour never carries meaning on its own: every bar is labelled with its numbers.

The builders take counts already tallied (``{key: Tally}``, from :mod:`mslbp_widgets.logic.attempts` or the class
tally): charts draw, they do not count.

Only ``plotly.graph_objects`` is used (no ``plotly.express``, which needs pandas).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from ..logic.attempts import Tally
from ..logic.text import esc
from .style import BAR_COLOUR, FONT, REFERENCE_COLOUR, empty_figure

#: Tick labels of the confidence scale (the same words as the question "How sure are you?").
CONFIDENCE_LABELS: dict[int, str] = {1: "1 (guessing)", 2: "2", 3: "3", 4: "4", 5: "5 (certain)"}
#: Label for attempts on cases that are not in the case library given.
UNKNOWN_LABEL = "Other (case not in the library)"


def _percent(tally: Tally) -> str:
    return f"{round(100 * tally.proportion)}%"


def _count_text(tally: Tally) -> str:
    return f"{tally.correct} of {tally.total} correct ({_percent(tally)})"


def _wrapped(label: str, width: int = 18) -> str:
    """A bar label (already escaped) on lines of about ``width`` characters, so the chart keeps room for its bars
    on a narrow screen (plotly does not wrap labels itself)."""
    return "<br>".join(textwrap.wrap(label, width)) or label


def _label_of(key: str, labels: Mapping[str, Any]) -> str:
    if key == "unknown" and key not in labels:
        return UNKNOWN_LABEL
    value = labels.get(key, key)
    if isinstance(value, Mapping):
        value = value.get("label", key)
    return str(value)


# ---------------------------------------------------------------------------------------------- accuracy


def accuracy_by_mechanism_figure(
    tallies: Mapping[str, Tally],
    labels: Mapping[str, Any],
    *,
    title: str = "Accuracy by mechanism",
    subject: str = "your answers",
) -> tuple[go.Figure, str]:
    """Horizontal bars: percent correct per mechanism, each bar labelled "k of n correct (p%)".

    ``tallies``: mechanism id -> :class:`Tally`. ``labels``: mechanism id -> learner-facing label (a string, or a
    mapping with ``label`` as in ``data/mechanisms.yaml``); bars follow the order of ``labels``, then any other
    ids. ``subject`` names whose answers these are in the text alternative ("your answers", "the class's answers").
    """
    present = [k for k in labels if k in tallies and tallies[k].total] + sorted(
        k for k in tallies if k not in labels and tallies[k].total
    )
    if not present:
        message = "No answers yet"
        text = f"{title}: no answers yet, so there is nothing to chart. Answer a question to see {subject} here."
        return empty_figure(title, message), text

    names = [_label_of(k, labels) for k in present]
    values = [100 * tallies[k].proportion for k in present]
    bar_text = [_count_text(tallies[k]) for k in present]
    # Plotly draws the first category at the bottom; reverse so the list reads top-down in vocabulary order.
    fig = go.Figure(
        go.Bar(
            x=values[::-1],
            y=[_wrapped(esc(n, quote=False)) for n in names[::-1]],  # labels come from a data file
            orientation="h",
            text=bar_text[::-1],
            textposition="auto",  # inside a long bar, after a short one: both stay within a phone's width
            cliponaxis=False,
            marker={"color": BAR_COLOUR},
            hovertemplate="%{y}: %{text}<extra></extra>",
            name="Correct",
        )
    )
    fig.update_layout(
        title={"text": title},
        font=FONT,
        height=140 + 56 * len(present),
        margin={"l": 10, "r": 20, "t": 60, "b": 50},
        xaxis={"title": {"text": "Correct (%)"}, "range": [0, 100], "ticksuffix": "%", "gridcolor": "#dddddd"},
        yaxis={"automargin": True},
        plot_bgcolor="white",
        showlegend=False,
    )
    total = sum(tallies[k].total for k in present)
    parts = "; ".join(f"{name}: {_count_text(tallies[k])}" for name, k in zip(names, present, strict=True))
    text = (
        f"{title}, {subject}: {parts}. A case tagged with more than one mechanism counts towards each "
        f"({total} answers counted in all)."
    )
    return fig, text


# ---------------------------------------------------------------------------------------------- calibration


def perfect_calibration(level: int) -> float:
    """The percent correct that would match a confidence level exactly: 0% at 1 (guessing) to 100% at 5."""
    return 100 * (level - 1) / 4


def confidence_calibration_figure(
    tallies: Mapping[int, Tally],
    *,
    unrated: int = 0,
    title: str = "How sure vs how right",
    subject: str = "your answers",
) -> tuple[go.Figure, str]:
    """Bars: percent correct at each confidence level 1–5 (labelled with counts), and a dashed diagonal for
    perfect calibration. ``tallies``: level -> :class:`Tally`; ``unrated``: answers without a confidence rating
    (mentioned in the text, not charted).
    """
    levels = [lvl for lvl in sorted(tallies) if tallies[lvl].total and lvl in CONFIDENCE_LABELS]
    if not levels:
        extra = f" ({unrated} answer{'s' if unrated != 1 else ''} had no confidence rating)" if unrated else ""
        text = (
            f"{title}: no answers with a confidence rating yet{extra}, so there is nothing to chart. Rate how sure "
            "you are before checking an answer to see it here."
        )
        return empty_figure(title, "No rated answers yet"), text

    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=levels,
            y=[100 * tallies[lvl].proportion for lvl in levels],
            text=[f"{tallies[lvl].correct} of {tallies[lvl].total}" for lvl in levels],
            textposition="outside",
            cliponaxis=False,
            marker={"color": BAR_COLOUR},
            name="Your proportion correct" if subject == "your answers" else "Proportion correct",
            hovertemplate="Confidence %{x}: %{text} correct (%{y:.0f}%)<extra></extra>",
            width=0.6,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[1, 5],
            y=[perfect_calibration(1), perfect_calibration(5)],
            mode="lines",
            line={"dash": "dash", "color": REFERENCE_COLOUR, "width": 2},
            name="Perfect calibration (dashed line)",
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        title={"text": title},
        font=FONT,
        height=420,
        margin={"l": 10, "r": 10, "t": 60, "b": 60},
        xaxis={
            "title": {"text": "How sure (1 = guessing, 5 = certain)"},  # fits a phone's width
            "tickmode": "array",
            "tickvals": list(CONFIDENCE_LABELS),
            "ticktext": list(CONFIDENCE_LABELS.values()),
            "range": [0.5, 5.5],
        },
        yaxis={"title": {"text": "Correct (%)"}, "range": [0, 110], "ticksuffix": "%", "gridcolor": "#dddddd",
               "automargin": True},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.25},
    )
    rated = sum(tallies[lvl].total for lvl in levels)
    parts = "; ".join(f"at {CONFIDENCE_LABELS[lvl]}, {_count_text(tallies[lvl])}" for lvl in levels)
    missing = [str(lvl) for lvl in CONFIDENCE_LABELS if lvl not in levels]
    text = f"{title}, {subject} ({rated} rated): {parts}."
    if missing:
        text += f" No answers at level{'s' if len(missing) > 1 else ''} {', '.join(missing)}."
    if unrated:
        text += f" {unrated} answer{'s' if unrated > 1 else ''} without a rating {'are' if unrated > 1 else 'is'} "
        text += "not shown."
    text += (
        " The dashed line is a rough guide to calibration, from 0% correct at 1 to 100% at 5 (a pure guess among"
        " four options is still right about a quarter of the time): a bar above it means more often right than the"
        " confidence suggested, below it less often (over-confident)."
    )
    return fig, text
