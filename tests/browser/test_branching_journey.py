"""A learner's journey through a branching case in a real browser (Voila, the student view), on a fixture data
folder: a copy of the course's data/ with the branching test case (tests/fixtures/cases/ok-branching.yaml) added,
served through ``MSLBP_DATA_DIR`` (test_question_types.py serves the all-features case the same way). The stage's
table and picture render, the first decision leads even after "Try again", the path follows a multiple-choice detour
to the picture, the end offers "What would have happened?", and every attempt reaches the progress file with its
stage id.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import casepage as C
import labharness as H
import pytest

FIXTURE = H.REPO_ROOT / "tests" / "fixtures" / "cases" / "ok-branching.yaml"
WAIT_MS = 30_000


def notebook_showing(case_id: str) -> dict:
    """A one-cell notebook that shows the case ``case_id``."""
    return {
        "cells": [{"cell_type": "code", "execution_count": None, "id": "fixture-case", "metadata": {}, "outputs": [],
                   "source": ["from mslbp_widgets import show_case\n", f"show_case({case_id!r})"]}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


def fixture_course(tmp, fixture: Path = FIXTURE) -> tuple[Path, dict[str, str]]:
    """A folder with a copy of the course's data (plus the fixture case) and a one-cell notebook showing it."""
    root = tmp / f"course-{fixture.stem}"  # one folder per fixture: the temporary folder is shared by the session
    notebook = root / "branching.ipynb"
    if not notebook.exists():  # made once, then shared by the tests that show the same fixture (they only read it)
        shutil.copytree(H.REPO_ROOT / "data", root / "data")
        shutil.copy(fixture, root / "data" / "cases" / fixture.name)
        notebook.write_text(json.dumps(notebook_showing(fixture.stem)), encoding="utf-8")
    path = os.pathsep.join(p for p in (str(H.REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return notebook, {"MSLBP_DATA_DIR": str(root / "data"), "PYTHONPATH": path}


def wait_text(page, locator, needle: str) -> None:
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        if needle in C.norm(locator.inner_text()):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{needle!r} did not appear; the page shows:\n{C.norm(locator.inner_text())[:3000]}")


@pytest.mark.browser
def test_branching_case_journey_in_voila(browser, browser_tmp, screenshot_dir) -> None:
    notebook, env = fixture_course(browser_tmp)
    server = H.start_voila(browser_tmp / "voila-branching", notebook, root_dir=notebook.parent, env_extra=env)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page, console = H.open_voila_page(context, server)
        case = page.locator(".mslbp-case").first
        stage = lambda: case.locator(".mslbp-stage").last  # noqa: E731 - the stage being answered

        # The table: a real table with a caption and row headings; a cell's markup is shown as text.
        table = stage().locator("table.mslbp-table")
        assert C.norm(table.locator("caption").inner_text()) == "Observations on arrival"
        assert table.locator("th[scope=row]").nth(1).inner_text() == "Heart rate"
        assert table.locator("b").count() == 0 and "<b>not bold</b>" in table.inner_text()
        assert "Stage 1: Presentation" in stage().inner_text()

        # First decision: admit. Try again, choose "send home": the case still goes to the ward.
        stage().get_by_role("radio", name="Admit for assessment today", exact=True).click()
        stage().locator("button.widget-toggle-button").nth(3).click()
        stage().get_by_role("button", name="Check answer", exact=True).click()
        wait_text(page, stage(), "Your decision: “Admit for assessment today”")
        stage().screenshot(path=str(screenshot_dir / "branching-voila-decision.png"))
        stage().get_by_role("button", name="Try again", exact=True).click()
        stage().get_by_role("radio", name="Send home with advice to drink more", exact=True).click()
        stage().locator("button.widget-toggle-button").nth(1).click()
        stage().get_by_role("button", name="Check answer", exact=True).click()
        wait_text(page, stage(), "Not correct.")
        stage().get_by_role("button", name="Next stage", exact=True).click()
        wait_text(page, stage(), "Stage 2: On the ward")

        # Multiple choice: ticking the scan takes the detour to the picture.
        stage().get_by_role("checkbox", name="Urine and blood cultures", exact=True).click()
        stage().get_by_role("checkbox", name="Imaging of the kidneys", exact=True).click()
        stage().locator("button.widget-toggle-button").nth(2).click()
        stage().get_by_role("button", name="Check answer", exact=True).click()
        wait_text(page, stage(), "Correct.")
        stage().get_by_role("button", name="Next stage", exact=True).click()
        wait_text(page, stage(), "Stage 3: The scan result")
        img = stage().locator("figure.mslbp-figure img")
        img.wait_for(state="visible", timeout=WAIT_MS)
        assert img.get_attribute("alt").startswith("A side view of the spine")
        assert img.evaluate("el => el.complete && el.naturalWidth > 0"), "the picture did not load"
        assert case.locator("svg").count() == 0, "an SVG was inlined"
        stage().get_by_role("button", name="Next stage", exact=True).click()
        wait_text(page, stage(), "Stage 4: Recovered")
        stage().get_by_role("button", name="Finish the case", exact=True).click()
        wait_text(page, case, "What happened next")

        # What would have happened: the branches not taken, at both decisions.
        case.get_by_role("button", name="What would have happened?", exact=True).click()
        wait_text(page, case, "If you had chosen “")
        shown = C.norm(case.inner_text())
        assert "Back the next morning" in shown and "The phone review" in shown
        assert "At “On the ward”" in shown and "the case would have ended" not in shown
        what_if = case.locator(".mslbp-box").last
        what_if.scroll_into_view_if_needed()
        what_if.screenshot(path=str(screenshot_dir / "branching-voila-what-if.png"))

        deadline = time.monotonic() + 15
        attempts: list[dict] = []
        while time.monotonic() < deadline and len(attempts) < 3:
            attempts = C.read_attempts(server.progress_file, "ok-branching")
            page.wait_for_timeout(200)
        got = [(a["question_id"], sorted(a["selection"]), a.get("stage_id")) for a in attempts]
        assert got == [("decision", ["admit"], "presentation"), ("decision", ["send-home"], "presentation"),
                       ("tests", ["culture", "scan"], "admitted")], got
        assert not console.unexpected(), f"browser console errors: {console.unexpected()}"
    finally:
        context.close()
        server.stop()
