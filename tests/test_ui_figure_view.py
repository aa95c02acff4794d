"""Charts in widget trees (ui/figure_view.py): a plain go.Figure shown through plotly's mimetype, so a page loads
plotly.js once; an unchanged figure is not sent again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import plotly.graph_objects as go

import mslbp_widgets
from mslbp_widgets.ui.figure_view import PLOTLY_MIMETYPE, FigureView, plotly_bundle


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


def test_the_output_is_the_plotly_mimetype_alone_whatever_the_default_renderer(monkeypatch) -> None:
    # "notebook" would add an HTML copy and, once per kernel, all of plotly.js: inside an Output widget both would
    # become widget state.
    monkeypatch.setattr("plotly.io.renderers.default", "plotly_mimetype+notebook")
    view = FigureView(go.Figure(go.Bar(x=["a"], y=[2])))
    (output,) = view.get_state()["outputs"]
    assert output["output_type"] == "display_data" and set(output["data"]) == {PLOTLY_MIMETYPE}
    assert output["data"][PLOTLY_MIMETYPE]["data"][0]["y"] == [2]
    assert len(json.dumps(view.get_state())) < 50_000  # the figure's JSON, never a plotly.js bundle
    assert plotly_bundle(view.figure) == output["data"]
    import plotly.io as pio  # the bundle is what plotly's own mimetype renderer sends

    assert plotly_bundle(view.figure) == pio.renderers["plotly_mimetype"].to_mimebundle(view.figure.to_dict())


def test_drawing_a_chart_does_not_import_jsonschema() -> None:
    """plotly.io.renderers imports nbformat, and with it jsonschema (~1.8 s): a chart never goes through it."""
    code = ("import sys, plotly.graph_objects as go\n"
            "from mslbp_widgets.ui.figure_view import FigureView\n"
            "from mslbp_widgets.ui.display import show_figure\n"
            "FigureView(go.Figure(go.Bar(y=[1])))\nshow_figure(go.Figure(go.Bar(y=[2])), 'one bar')\n"
            "print(sorted(m for m in ('nbformat', 'jsonschema', 'plotly.io._renderers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr


def test_a_redraw_replaces_the_one_output() -> None:
    view = FigureView(go.Figure(go.Bar(x=["a"], y=[2])))
    view.show(go.Figure(go.Bar(x=["a"], y=[5])))
    (output,) = view.outputs
    assert output["data"][PLOTLY_MIMETYPE]["data"][0]["y"] == [5]
