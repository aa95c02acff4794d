"""Charts in widget trees (ui/figure_view.py): a plain go.Figure shown through plotly's mimetype, so a page loads
plotly.js once; an unchanged figure is not sent again."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go

import mslbp_widgets
from mslbp_widgets.ui.figure_view import FigureView


def test_show_replaces_the_figure_and_skips_an_unchanged_one() -> None:
    first = go.Figure(go.Bar(x=[1], y=[2]))
    view = FigureView(first)
    assert view.figure is first and "mslbp-chart" in view._dom_classes and view.layout.width == "100%"
    assert view.show(go.Figure(go.Bar(x=[1], y=[2]))) is False  # same content: nothing is sent
    assert view.figure is first
    second = go.Figure(go.Bar(x=[1], y=[3]))
    assert view.show(second) is True and view.figure is second


def test_no_chart_ships_its_own_plotly_js() -> None:
    package = Path(mslbp_widgets.__file__).parent
    users = [p.relative_to(package) for p in package.rglob("*.py") if "FigureWidget(" in p.read_text(encoding="utf-8")]
    assert users == [], "go.FigureWidget sends ~5 MB of plotly.js per figure: use FigureView"
