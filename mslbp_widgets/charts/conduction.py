"""The conduction explorer's chart: safety factor and speed across demyelination at one temperature."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..tools.conduction import (
    HEALTHY_SAFETY_FACTOR,
    REFERENCE_TEMPERATURE_C,
    conduction_state,
    demyelination_at_block,
    describe_sweep,
    sweep,
)
from ..tools.conduction import _fmt_t as format_temperature  # the explorer's one way of writing a temperature

_STATE_SYMBOL = {"normal": "circle", "slowed": "diamond", "blocked": "x"}


def conduction_figure(temperature_c: float, demyelination_pct: float) -> tuple[go.Figure, str]:
    """Two stacked panels across 0–100% demyelination at one temperature: safety factor (with the block
    threshold and the 37 °C curve for comparison) and relative speed, with the chosen segment marked.

    Returns (figure, text alternative). The trace order is fixed (the widget updates traces in place):
    0 safety factor at T, 1 safety factor at 37 °C, 2 marked point (safety factor), 3 speed at T, 4 marked point
    (speed).
    """
    points = sweep(temperature_c)
    ref = sweep(REFERENCE_TEMPERATURE_C)
    xs = [p.demyelination_pct for p in points]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("Safety factor (below 1 = block)",  # short: the chart may be half a screen wide
                                        "Speed (% of normal; 0 = blocked)"))
    fig.add_trace(go.Scatter(x=xs, y=[p.safety_factor for p in points], mode="lines",
                             name=f"Safety factor at {format_temperature(temperature_c)}", line={"width": 3}),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=xs, y=[p.safety_factor for p in ref], mode="lines",
                             name="Safety factor at 37.0 °C (for comparison)",
                             line={"dash": "dot", "color": "#6e7781"}), row=1, col=1)
    point = conduction_state(demyelination_pct, temperature_c)
    marker = {"size": 14, "symbol": _STATE_SYMBOL[point.state], "color": "#111111"}
    fig.add_trace(go.Scatter(x=[point.demyelination_pct], y=[point.safety_factor], mode="markers+text",
                             marker=marker, text=[f"this segment: {point.state}"], textposition="top right",
                             name="This segment"), row=1, col=1)
    fig.add_trace(go.Scatter(x=xs, y=[100 * p.relative_velocity for p in points], mode="lines",
                             name=f"Speed at {format_temperature(temperature_c)}", line={"width": 3, "dash": "dash"}),
                  row=2, col=1)
    fig.add_trace(go.Scatter(x=[point.demyelination_pct], y=[100 * point.relative_velocity], mode="markers",
                             marker=marker, name="This segment (speed)", showlegend=False), row=2, col=1)
    fig.add_hline(y=1, line_dash="dash", line_color="#cf222e", row=1, col=1,
                  annotation_text="block threshold (safety factor 1)", annotation_position="bottom left")
    threshold = demyelination_at_block(temperature_c)
    fig.add_vline(x=threshold, line_dash="dot", line_color="#cf222e",
                  annotation_text=f"blocks from ~{threshold:.0f}% at {format_temperature(temperature_c)}",
                  annotation_position="top left")
    fig.update_yaxes(title_text="safety factor (illustrative)", range=[0, HEALTHY_SAFETY_FACTOR * 1.35], row=1, col=1)
    fig.update_yaxes(title_text="% of normal", range=[0, 105], row=2, col=1)
    fig.update_xaxes(title_text="Demyelination of the segment (%)", range=[0, 100], row=2, col=1)
    fig.update_layout(height=540, margin={"t": 60, "l": 60, "r": 20, "b": 50},
                      title={"text": "Conduction (a teaching simplification)", "x": 0},
                      paper_bgcolor="white",  # a light card in JupyterLab's Dark theme too: its text stays readable
                      legend={"orientation": "h", "y": -0.18})
    return fig, describe_sweep(temperature_c, demyelination_pct)
