"""Widget state per notebook: what the kernel sends the page as comm messages stays under a budget, and never holds
a copy of plotly.js (a go.FigureWidget ships ~5 MB of it per figure; charts go through the plotly mimetype).

The bytes are counted in the page from the kernel's iopub messages (comm_open and comm_msg: JSON data plus binary
buffers) by the listener labharness installs when a notebook opens. The course notebooks' runs are shared with
test_notebooks_in_lab.py (conftest's ``notebook_reports``): each notebook runs once per session.
"""

from __future__ import annotations

import re
from pathlib import Path

import labharness as H
import pytest
from test_notebooks_in_lab import NOTEBOOKS

FIXTURES = "tests/browser/fixtures"


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_widget_state_is_under_budget_and_holds_no_plotly_js(notebook: str, notebook_reports) -> None:
    report = notebook_reports(notebook)
    state = report.widget_state
    print(f"{notebook}: widget state {state.bytes:,} bytes in {state.messages} comm messages over {state.comms} "
          f"comms (largest {state.largest:,}, {state.largest_name})")
    assert not H.widget_state_problems(state), H.widget_state_problems(state)


@pytest.mark.browser
def test_the_check_reports_a_notebook_with_one_figure_widget(lab, lab_page) -> None:
    """Negative control: one go.FigureWidget is over the budget and carries plotly.js."""
    report = H.check_notebook(lab_page, lab, f"{FIXTURES}/ko_figure_widget_state.ipynb")
    assert not report.problems, report.summary()  # it runs and draws: only the widget-state check objects
    problems = H.widget_state_problems(report.widget_state)
    assert report.widget_state.bytes > H.WIDGET_STATE_BUDGET_BYTES, report.widget_state
    assert any("over the budget" in p for p in problems) and any("a copy of plotly.js" in p for p in problems), problems


# ---- no browser: the signature and the wording ----


def test_the_signature_finds_both_copies_of_plotly_js_that_plotly_ships() -> None:
    import plotly

    package = Path(plotly.__file__).parent / "package_data"
    sig = re.compile(H.PLOTLY_JS_SIGNATURE)
    for name in ("plotly.min.js", "widgetbundle.js"):  # the notebook renderer's copy, the FigureWidget's _esm
        assert sig.search((package / name).read_text(encoding="utf-8", errors="replace")), name
    assert not sig.search('{"data": [{"type": "bar", "y": [1]}], "layout": {"title": {"text": "Plotly"}}}')


def test_widget_state_problems_words_each_failure() -> None:
    ok = H.WidgetState(bytes=40_000, messages=12, comms=10, largest=9_000, largest_name="OutputModel")
    assert H.widget_state_problems(ok) == []
    big = H.WidgetState(bytes=2_500_000, messages=3, comms=2, largest=2_400_000, largest_name="OutputModel")
    assert H.widget_state_problems(big) == [
        "widget state 2,500,000 bytes in 3 comm messages, over the budget of 2,000,000 (largest message 2,400,000 "
        "bytes, OutputModel)"]
    js = H.WidgetState(bytes=10, messages=1, comms=1, plotly_js=["AnyModel", "AnyModel"])
    assert H.widget_state_problems(js) == [
        "a copy of plotly.js in the widget state of AnyModel: show charts through the plotly mimetype (FigureView), "
        "never go.FigureWidget"]
    assert H.widget_state_problems(None) == H.widget_state_problems(H.WidgetState()) != []
