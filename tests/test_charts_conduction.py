"""The conduction chart (charts/conduction.py): the marked segment, the block threshold, the text alternative."""

from __future__ import annotations

import math

import plotly.graph_objects as go

TEMPS = [35.0, 36.0, 37.0, 37.5, 38.0, 38.5, 39.0, 40.0]
DEMYELINATION = list(range(0, 101, 5))


def test_figure_marks_point_threshold_and_has_text_alternative():
    from mslbp_widgets.charts.conduction import conduction_figure

    fig, alt = conduction_figure(38.5, 80)
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 5
    point = fig.data[2]
    assert list(point.x) == [80.0]
    assert point.marker.symbol == "x"  # blocked is shown by shape and text, not colour alone
    assert "blocked" in point.text[0]
    assert any(math.isclose(s.y0, 1.0) for s in fig.layout.shapes if s.y0 is not None)  # block threshold line
    assert "block threshold of 1 at about 71% demyelination" in alt
    assert "(80%) is blocked" in alt
