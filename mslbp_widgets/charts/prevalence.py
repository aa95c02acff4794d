"""The prevalence chart: pooled prevalence of each kind of pain in MS with 95% confidence intervals."""

from __future__ import annotations

import plotly.graph_objects as go

from ..logic.errors import DataValidationError, Problem
from ..tools.epidemiology import Prevalence, describe_prevalence


def prevalence_figure(rows: tuple[Prevalence, ...] | list[Prevalence],
                      title: str = "How common is each kind of pain in MS?",
                      highlight: str | None = "Back pain") -> tuple[go.Figure, str]:
    """Horizontal bars with asymmetric 95% CI error bars, highest at the top. `highlight` names one pain type
    drawn with a hatch pattern and a '◀' marker in its label (so it does not rely on colour).

    Returns (figure, text alternative)."""
    if not rows:
        raise DataValidationError([Problem("<rows>", "", "no prevalence rows to chart")], "prevalence table")
    ordered = sorted(rows, key=lambda r: r.prevalence_pct)  # plotly draws the first bar at the bottom
    labels = [f"{r.pain_type} ◀" if r.pain_type == highlight else r.pain_type for r in ordered]
    fig = go.Figure(go.Bar(
        x=[r.prevalence_pct for r in ordered], y=labels, orientation="h",
        error_x={"type": "data", "symmetric": False,
                 "array": [r.ci_high_pct - r.prevalence_pct for r in ordered],
                 "arrayminus": [r.prevalence_pct - r.ci_low_pct for r in ordered],
                 "thickness": 2, "width": 6, "color": "#24292f"},
        marker={"color": ["#0969da" if r.pain_type == highlight else "#8c959f" for r in ordered],
                "pattern": {"shape": ["/" if r.pain_type == highlight else "" for r in ordered]}},
        customdata=[r.label for r in ordered],
        hovertemplate="%{y}: %{customdata}<extra></extra>", name="Pooled prevalence",
    ))
    # The figures as text, just right of each whisker so they never sit on a bar or an error bar.
    fig.add_trace(go.Scatter(
        x=[r.ci_high_pct + 1.5 for r in ordered], y=labels, mode="text", text=[r.label for r in ordered],
        textposition="middle right", hoverinfo="skip", name="Figures", cliponaxis=False,
    ))
    sources = sorted({r.source_key for r in rows})
    fig.update_layout(
        title={"text": title, "x": 0}, height=150 + 48 * len(rows),
        xaxis={"title": {"text": "People with MS reporting this pain (%): bar = pooled estimate, "
                                 "whisker = 95% CI"}, "range": [0, 100]},
        margin={"l": 200, "r": 40, "t": 60, "b": 90}, showlegend=False,
    )
    fig.add_annotation(text="Source key: " + ", ".join(sources) + " (full citation under References)",
                       xref="paper", yref="paper", x=1, y=0, yshift=-70, showarrow=False, xanchor="right",
                       font={"size": 11})
    return fig, describe_prevalence(rows, title)
