"""Class charts of matching, ordering and numeric questions: ``(go.Figure, text alternative)``, first attempts only.

matching    one bar per item: learners who matched it to its category (label: the item and its category);
ordering    one bar per position of the right order: learners who put the right step there;
numeric     one bar per range (band): answers that fell in it, the accepted range hatched.

Labels are escaped here (plotly reads a few HTML tags); the text alternatives are plain text, escaped by whoever
shows them. Every status is written in words, never colour alone.
"""

from __future__ import annotations

import plotly.graph_objects as go

from ..classroom.tally import QuestionTally
from ..logic.text import esc
from .learner import FONT, empty_figure

RIGHT_COLOUR = "#1b7837"
OTHER_COLOUR = "#2c6e9b"
_LIMIT = 60


def _clip(text: str, limit: int = _LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pct(count: int, n: int) -> str:
    return f"{round(100 * count / n)}%" if n else "0%"


def qtype_distribution(q: QuestionTally, short_labels: bool = False, font_size: int | None = None,
                       width: int | None = None) -> tuple[go.Figure, str]:
    """The class's first answers to a matching, ordering or numeric question (arguments as
    :func:`mslbp_widgets.charts.classroom.answer_distribution`)."""
    title = "The class's first answers" if short_labels else f"Answers to: {_clip(q.prompt, 80)}"
    if not q.n_learners:
        return (empty_figure(esc(title, quote=False), "No answers yet"),
                f"{title}: no answers from the class yet, so there is nothing to chart.")
    d = q.details
    n = q.n_learners
    labels: list[str] = []
    values: list[int] = []
    right: list[bool] = []
    if q.question_type == "matching":
        for k, item in enumerate(d.items, start=1):
            labels.append(f"{k}" if short_labels else f"{k}. {_clip(item.text)} → {_clip(item.category, 30)}")
            values.append(item.n_right)
            right.append(True)
        axis = f"Learners who matched it right (n = {n})"
        parts = [f"{k}. {i.text} (belongs to {i.category}): {i.n_right} of {n} right"
                 + (f", most often put under {i.top_wrong[0]} ({i.top_wrong[1]})" if i.top_wrong else "")
                 for k, i in enumerate(d.items, start=1)]
    elif q.question_type == "ordering":
        for p in d.positions:
            labels.append(f"Step {p.position}" if short_labels else f"Step {p.position}: {_clip(p.text)}")
            values.append(p.n_right)
            right.append(True)
        axis = f"Learners with the right step there (n = {n})"
        parts = [f"step {p.position} ({p.text}): {p.n_right} of {n} put it there" for p in d.positions]
        if d.orders:
            top, count = d.orders[0]
            parts.append(f"most common order ({count} learner{'s' if count != 1 else ''}): {' → '.join(top)}")
    else:
        for b in d.bands:
            status = "accepted" if b.correct else "acceptable" if b.acceptable else "not accepted"
            labels.append(f"{_clip(b.text, 40)} ({status})")
            values.append(b.count)
            right.append(b.correct)
        axis = f"Answers in each range (n = {n})"
        parts = [f"{b.text} ({'accepted' if b.correct else 'acceptable' if b.acceptable else 'not accepted'}): "
                 f"{b.count} ({_pct(b.count, n)})" for b in d.bands]
        if d.median is not None:
            parts.append(f"median answer {d.median:g} {d.unit}".rstrip())
    size = font_size or FONT["size"]
    texts = [f"{v} ({_pct(v, n)})" for v in values]
    fig = go.Figure(go.Bar(
        x=values[::-1], y=[esc(lbl, quote=False) for lbl in labels][::-1], orientation="h", text=texts[::-1],
        textposition="outside", textfont={"size": font_size} if font_size else None, cliponaxis=False,
        marker={"color": [RIGHT_COLOUR if r and q.question_type == "numeric" else OTHER_COLOUR for r in right][::-1],
                "pattern": {"shape": ["/" if r and q.question_type == "numeric" else "" for r in right][::-1]}},
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    fig.update_layout(
        title={"text": esc(title, quote=False), "font": {"size": round(size * 1.15)}},
        font=dict(FONT, size=size), autosize=width is None, width=width,
        height=round(100 + 2.2 * size + (2.4 * size + 14) * len(labels)),
        margin={"l": 10, "r": 20, "t": round(2.2 * size + 16), "b": round(2.2 * size + 20)},
        xaxis={"title": {"text": esc(axis, quote=False)}, "rangemode": "tozero", "gridcolor": "#dddddd",
               "dtick": max(1, n // (5 if short_labels else 10)), "range": [0, max(1, n) * 1.3], "automargin": True},
        yaxis={"automargin": True}, plot_bgcolor="white", showlegend=False,
    )
    kind = {"matching": "matching", "ordering": "ordering", "numeric": "numeric answer"}[q.question_type]
    unknown = f"; {q.unknown.count} answer(s) did not fit the question" if q.unknown.count else ""
    text = (f"{n} learner{'s' if n != 1 else ''} answered \"{q.prompt}\" ({kind}); first attempts: "
            + "; ".join(parts) + unknown
            + f". {q.n_first_correct} of {n} ({_pct(q.n_first_correct, n)}) were fully correct at the first attempt.")
    return fig, text
