"""Every notebook in notebooks/ runs, renders and draws in a real JupyterLab (headless Chromium).

Parametrized by a glob of notebooks/*.ipynb at collection time, so a new notebook is covered without
touching this file. The fixture notebooks under tests/browser/fixtures/ are NOT part of this glob.
"""

from __future__ import annotations

import labharness as H
import pytest

NOTEBOOKS = sorted(p.relative_to(H.REPO_ROOT).as_posix() for p in (H.REPO_ROOT / "notebooks").glob("*.ipynb"))


def test_notebook_glob_finds_the_course() -> None:
    """Guard against a broken glob silently producing zero browser tests."""
    assert NOTEBOOKS, "no notebooks found under notebooks/: the browser checks would cover nothing"
    assert all(not nb.startswith("tests/") for nb in NOTEBOOKS)


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_and_renders_in_lab(notebook: str, notebook_reports) -> None:
    """Clear outputs, run all, settle: no errors, every widget rendered, every figure drawn, clean console."""
    report = notebook_reports(notebook)  # one run per session, shared with test_widget_state.py
    print(
        f"{notebook}: {report.seconds:.1f} s, plotly figures expected {report.expected_figures}, "
        f"drawn {report.drawn_figures}; screenshot {report.screenshot}"
    )
    assert not report.problems, report.summary()
