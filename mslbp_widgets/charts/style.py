"""The one look of every course chart: font, bar and reference colours, and the empty figure.

Every builder in :mod:`mslbp_widgets.charts` returns ``(go.Figure, text alternative)``: the text states what the
figure shows with the actual numbers, to be displayed beside it. Only ``plotly.graph_objects`` is used (no
``plotly.express``, which needs pandas).
"""

from __future__ import annotations

import plotly.graph_objects as go

BAR_COLOUR = "#2c6e9b"  # one colour for all bars: it carries no meaning, the labels do
REFERENCE_COLOUR = "#555555"
FONT = {"family": "Arial, Helvetica, sans-serif", "size": 14}


def empty_figure(title: str, message: str) -> go.Figure:
    """A blank figure with ``title`` and a centred ``message`` (used when there is nothing to chart)."""
    fig = go.Figure()
    fig.update_layout(
        title={"text": title},
        font=FONT,
        height=260,
        xaxis={"visible": False},
        yaxis={"visible": False},
        plot_bgcolor="white",
        annotations=[
            {"text": message, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
             "font": {"size": 16}}
        ],
    )
    return fig
