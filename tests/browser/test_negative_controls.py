"""The checker used on the course notebooks can fail: each negative control must be reported.

The same function (labharness.check_notebook) checks the real notebooks; here it is pointed at fixture
notebooks that are broken on purpose, and at one positive control that must come out clean.
"""

from __future__ import annotations

import labharness as H
import pytest

FIXTURES = "tests/browser/fixtures"


def _problems_matching(report: H.NotebookReport, *needles: str) -> list[str]:
    return [p for p in report.problems if all(n in p for n in needles)]


@pytest.mark.browser
def test_positive_control_is_clean_and_counts_figures(lab, lab_page, screenshot_dir) -> None:
    """A working widget, a go.Figure and a FigureWidget nested in a VBox: no problems, 2 of 2 figures drawn."""
    report = H.check_notebook(lab_page, lab, f"{FIXTURES}/ok_widgets_plotly.ipynb", screenshot_dir)
    assert not report.problems, report.summary()
    assert (report.expected_figures, report.drawn_figures) == (2, 2), report.cells


@pytest.mark.browser
def test_checker_reports_a_raising_cell(lab, lab_page, screenshot_dir) -> None:
    report = H.check_notebook(lab_page, lab, f"{FIXTURES}/ko_raises.ipynb", screenshot_dir)
    assert _problems_matching(report, "cell 1", "RuntimeError", "raises on purpose"), report.summary()


@pytest.mark.browser
def test_checker_reports_a_widget_whose_frontend_module_is_missing(lab, lab_page, screenshot_dir) -> None:
    report = H.check_notebook(lab_page, lab, f"{FIXTURES}/ko_missing_module.ipynb", screenshot_dir)
    assert _problems_matching(report, "cell 3", "widget failed to render"), report.summary()
    assert _problems_matching(report, "browser console error", "nonexistent-module"), report.summary()


@pytest.mark.browser
def test_checker_reports_a_raising_button_callback(lab, lab_page, screenshot_dir) -> None:
    def click(page) -> None:
        page.get_by_role("button", name="Raise in callback").click()

    report = H.check_notebook(lab_page, lab, f"{FIXTURES}/ko_callback_raises.ipynb", screenshot_dir, interact=click)
    assert _problems_matching(report, "widget callback", "ZeroDivisionError"), report.summary()


@pytest.mark.browser
def test_a_run_all_that_does_not_finish_says_which_cell_was_running(lab, lab_page) -> None:
    """A run-all that times out names where it stood: the kernel busy, the cell before done, the slow cell running
    (and the one after it waiting), so a hang in CI can be told from a slow machine."""
    notebook = f"{FIXTURES}/ko_slow_cell.ipynb"
    H.open_notebook(lab_page, lab, notebook)
    try:
        with pytest.raises(H.HarnessError) as err:
            H.run_all(lab_page, notebook, timeout_s=8)
        message = str(err.value)
        assert "did not finish within 8 s" in message and "kernel busy" in message, message
        assert "cells 1:1 2:* 3:" in message, message
    finally:
        lab_page.evaluate("() => window.jupyterapp.commands.execute('notebook:interrupt-kernel')")


# ---- the analysis step alone, on collected facts (no browser): every other failure branch can fire ----


def _cell(outputs: list[dict], **dom) -> dict:
    base = {"text": "", "rendered": [], "errorWidgets": [], "plotlyDivs": 0, "plotlyDrawn": 0}
    base.update(dom)
    return {"index": 2, "type": "code", "outputs": outputs, "dom": base, "execCount": 1}


def _out(mimes: list[str], model_id: str | None = None, plain: str = "") -> dict:
    return {
        "output_type": "display_data",
        "mimes": mimes,
        "ename": "",
        "evalue": "",
        "name": "",
        "text": "",
        "plain": plain,
        "model_id": model_id,
    }


WIDGET = "application/vnd.jupyter.widget-view+json"
PLOTLY = "application/vnd.plotly.v1+json"


def test_analysis_reports_an_undrawn_plotly_figure() -> None:
    cells = [_cell([_out([PLOTLY, "text/html"])], plotlyDrawn=0)]
    problems, expected, drawn = H.analyse("nb", cells, {}, [], [], 0)
    assert (expected, drawn) == (1, 0)
    assert problems == ["cell 2: 1 plotly figure(s) expected, 0 drawn"]


def test_analysis_counts_figure_widgets_inside_widget_outputs() -> None:
    cells = [_cell([_out([WIDGET, "text/plain"], model_id="m1")], rendered=["widget"], plotlyDrawn=1)]
    problems, expected, drawn = H.analyse("nb", cells, {"m1": 2}, [], [], 0)
    assert problems == ["cell 2: 2 plotly figure(s) expected, 1 drawn"]


def test_analysis_reports_plain_text_widget_fallback() -> None:
    cells = [
        _cell(
            [_out([WIDGET, "text/plain"], model_id="m1", plain="VBox(children=(...))")],
            rendered=["text/plain"],
            text="VBox(children=(Button(description='Go'),))",
        )
    ]
    problems, _, _ = H.analyse("nb", cells, {}, [], [], 0)
    assert any("not rendered as a widget (shown as text/plain" in p for p in problems), problems
    assert any("plain-text widget fallback" in p for p in problems), problems


def test_analysis_reports_loading_widget_left() -> None:
    cells = [_cell([_out([WIDGET], model_id="m1")], rendered=["widget"], text="Loading widget...")]
    problems, _, _ = H.analyse("nb", cells, {}, [], [], 1)
    assert problems == ["cell 2: 'Loading widget' still shown after the settle time"]


def test_analysis_reports_console_errors_and_allow_list_has_reasons() -> None:
    problems, _, _ = H.analyse("nb", [], {}, ["TypeError: x is undefined"], [], 0)
    assert problems == ["browser console error: TypeError: x is undefined"]
    allowed = H.CONSOLE_ALLOW_LIST + H.VOILA_CONSOLE_ALLOW_LIST
    assert len(allowed) <= 5 and all(len(reason) > 40 for _, reason in allowed), "allow-list entries need reasons"


def test_analysis_reports_kernel_errors_missing_from_the_model() -> None:
    errors = [{"ename": "ValueError", "evalue": "v", "parent": "execute_request"}]
    problems, _, _ = H.analyse("nb", [_cell([])], {}, [], errors, 0)
    assert problems == ["kernel reported 1 error(s) during the run, the notebook model shows 0"]


def test_analysis_reports_cells_that_did_not_run() -> None:
    cell = _cell([])
    cell["execCount"] = None
    problems, _, _ = H.analyse("nb", [cell], {}, [], [], 0)
    assert problems == ["cell 2: not executed by run-all (no execution count)"]
