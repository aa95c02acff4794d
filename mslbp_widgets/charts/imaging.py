"""The imaging chart: spine imaging findings in people without back pain, by age."""

from __future__ import annotations

import plotly.graph_objects as go

from ..tools.red_flags import ImagingRow, imaging_text_alternative, load_imaging_findings


def imaging_findings_figure(rows: tuple[ImagingRow, ...] | None = None) -> tuple[go.Figure, str]:
    """A grouped bar chart of imaging findings in people without back pain, and its text alternative."""
    rows = rows or load_imaging_findings()
    findings = list(dict.fromkeys(r.finding for r in rows))
    ages = sorted({r.age_years for r in rows})
    fig = go.Figure()
    patterns = ["", "/", ".", "x"]
    for i, age in enumerate(ages):
        values = {r.finding: r.prevalence_percent for r in rows if r.age_years == age}
        fig.add_bar(name=f"Age {age}", x=findings, y=[values.get(f) for f in findings],
                    text=[f"{values[f]:g}%" if f in values else "" for f in findings], textposition="outside",
                    marker_pattern_shape=patterns[i % len(patterns)])
    fig.update_layout(
        title="Spine imaging findings in people WITHOUT back pain (Brinjikji et al. 2015)", barmode="group",
        yaxis={"title": "People with the finding (%)", "range": [0, 105]}, xaxis={"title": "Imaging finding"},
        legend={"title": "Age"}, height=420, margin={"t": 60},
    )
    return fig, imaging_text_alternative(rows)
