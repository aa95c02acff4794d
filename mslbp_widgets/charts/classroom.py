"""Charts of the class tally: ``(go.Figure, text alternative)`` builders for the instructor's views.

* :func:`answer_distribution`: one question's answers (first attempt per learner), one bar per option of the case
  library plus, if any, one "unknown option" bar (matching, ordering and numeric questions:
  :mod:`mslbp_widgets.charts.qtypes`). Only option ids that exist in the case library are shown, with
  the library's text; whatever a learner's file named beyond that is counted, never shown.
* :func:`class_accuracy_by_mechanism` and :func:`class_calibration` reuse the learner-summary builders of
  :mod:`mslbp_widgets.charts`, so learners and instructor see the same kind of chart.

Plotly interprets a few HTML tags in labels, so every label is escaped here (library text included) before it
goes into a figure. The text alternatives are plain text: escape them when you display them as HTML.
"""

from __future__ import annotations

import plotly.graph_objects as go

from ..classroom.tally import UNKNOWN_OPTION_LABEL, ClassTally, QuestionTally
from ..logic.text import esc
from .learner import FONT, accuracy_by_mechanism_figure, confidence_calibration_figure, empty_figure

BEST_COLOUR = "#1b7837"
OTHER_COLOUR = "#2c6e9b"
UNKNOWN_COLOUR = "#888888"
_LABEL_LIMIT = 60
_SHORT_LABEL_LIMIT = 24
CLASS_SUBJECT = "the class's first answers"


def _clip(text: str, limit: int = _LABEL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pct(count: int, n: int) -> str:
    return f"{round(100 * count / n)}%" if n else "0%"


def _status(correct: bool, acceptable: bool, question_type: str) -> str:
    if question_type == "multiple":
        return "should be ticked" if correct else "should not be ticked"
    return "best answer" if correct else ("acceptable" if acceptable else "not correct")


def answer_distribution(q: QuestionTally, short_labels: bool = False, font_size: int | None = None,
                        width: int | None = None) -> tuple[go.Figure, str]:
    """Horizontal bars: how many learners chose each option on their first attempt (multiple choice: ticked it).

    Each bar is labelled with its count and percentage; the option's status (best answer / acceptable / not
    correct) is written in the label, not only shown by colour (best answers are also hatched). Bars are lettered
    in the order learners see the options (`QuestionTally.options`). With `short_labels` the axis shows the option
    letter, the start of its text and its status (on two lines) and the title is short (for presenter mode, where
    the lettered options are on screen beside the chart); the text alternative always has the full option text.
    `font_size` sets every label (axis, bar counts; the title a little larger). `width` (px) fixes the figure's
    width, for a box of known width (a figure drawn before its box is laid out may be 700 px wide whatever its
    box); without it the figure autosizes.
    """
    if q.details is not None:  # matching, ordering, numeric: charts/qtypes.py
        from .qtypes import qtype_distribution

        return qtype_distribution(q, short_labels=short_labels, font_size=font_size, width=width)
    # In presenter mode the question is on screen beside the chart: a short title that fits a half-width chart.
    title = "The class's first answers" if short_labels else f"Answers to: {_clip(q.prompt, 80)}"
    if not q.n_learners:
        text = f"{title}: no answers from the class yet, so there is nothing to chart."
        return empty_figure(esc(title, quote=False), "No answers yet"), text

    bars = list(q.options)
    if q.unknown.count:
        bars.append(q.unknown)
    letters = "ABCDEFGHIJ"
    labels, values, texts, colours, patterns, hovers = [], [], [], [], [], []
    for i, o in enumerate(bars):
        if o.known:
            status = _status(o.correct, o.acceptable, q.question_type)
            # Presenter mode: the letter and the start of the option's text, as the options are written beside
            # the chart, and the status on a second line.
            label = (f"{letters[i]}. {_clip(o.text, _SHORT_LABEL_LIMIT)}\n({status})" if short_labels
                     else f"{letters[i]}. {_clip(o.text)} ({status})")
            colour = BEST_COLOUR if o.correct else OTHER_COLOUR
            pattern = "/" if o.correct else ""
        else:
            label = UNKNOWN_OPTION_LABEL if short_labels else f"{UNKNOWN_OPTION_LABEL} (not in the case file)"
            colour, pattern = UNKNOWN_COLOUR, "."
        labels.append(esc(label, quote=False).replace("\n", "<br>"))
        values.append(o.count)
        texts.append(f"{o.count} ({_pct(o.count, q.n_learners)})")
        colours.append(colour)
        patterns.append(pattern)
        hovers.append(esc(_clip(o.text, 200), quote=False))
    fig = go.Figure(
        go.Bar(
            x=values[::-1],
            y=labels[::-1],
            orientation="h",
            text=texts[::-1],
            textposition="outside",
            textfont={"size": font_size} if font_size else None,
            cliponaxis=False,
            marker={"color": colours[::-1], "pattern": {"shape": patterns[::-1]}},
            customdata=hovers[::-1],
            hovertemplate="%{customdata}: %{text}<extra></extra>",
        )
    )
    chose = "ticked" if q.question_type == "multiple" else "chose"
    size = font_size or FONT["size"]
    axis_title = (f"Learners (n = {q.n_learners})" if short_labels  # fits a half-width chart at 22 px
                  else f"Learners who {chose} it (first attempt, n = {q.n_learners})")
    fig.update_layout(
        title={"text": esc(title, quote=False), "font": {"size": round(size * 1.15)}},
        font=dict(FONT, size=size),
        autosize=width is None,
        width=width,
        height=round(100 + 2.2 * size + (2.4 * size + 14) * len(bars)),
        margin={"l": 10, "r": 20, "t": round(2.2 * size + 16), "b": round(2.2 * size + 20)},
        xaxis={"title": {"text": axis_title}, "rangemode": "tozero", "gridcolor": "#dddddd",
               "dtick": max(1, q.n_learners // (5 if short_labels else 10)),
               # room beyond the longest bar for its "count (percent)" label, inside the plot area
               "range": [0, max(1, max(values)) * (1.45 if size >= 18 else 1.3)], "automargin": True,
               "tickfont": {"size": size}},
        yaxis={"automargin": True, "tickfont": {"size": size}},
        plot_bgcolor="white",
        showlegend=False,
    )
    parts = []
    for i, o in enumerate(bars):
        if o.known:
            parts.append(f"{letters[i]}. {o.text} ({_status(o.correct, o.acceptable, q.question_type)}): "
                         f"{o.count} ({_pct(o.count, q.n_learners)})")
        else:
            parts.append(f"an option not in the case file: {o.count} ({_pct(o.count, q.n_learners)})")
    pct = q.pct_first_correct or 0.0
    text = (f"{q.n_learners} learner{'s' if q.n_learners != 1 else ''} answered \"{q.prompt}\" "
            f"({q.question_type} choice); first attempts {chose}: " + "; ".join(parts)
            + f". {q.n_first_correct} of {q.n_learners} ({round(pct)}%) were fully correct at the first attempt.")
    return fig, text


def class_accuracy_by_mechanism(t: ClassTally) -> tuple[go.Figure, str]:
    """Accuracy by pain mechanism over the class's first attempts (the learner-summary chart, for the class)."""
    tallies = {m.mechanism: m for m in t.mechanisms}
    labels = {m.mechanism: esc(m.label, quote=False) for m in t.mechanisms}
    fig, _ = accuracy_by_mechanism_figure(tallies, labels, title="Class accuracy by mechanism",
                                          subject=CLASS_SUBJECT)
    _, text = accuracy_by_mechanism_figure(tallies, {m.mechanism: m.label for m in t.mechanisms},
                                           title="Class accuracy by mechanism", subject=CLASS_SUBJECT)
    return fig, text


def class_calibration(t: ClassTally) -> tuple[go.Figure, str]:
    """The group's confidence calibration over first attempts (percent correct at each confidence level)."""
    tallies = {b.confidence: b for b in t.calibration if b.total}
    return confidence_calibration_figure(tallies, unrated=t.n_unrated, title="Class: how sure vs how right",
                                         subject=CLASS_SUBJECT)
