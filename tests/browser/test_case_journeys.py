"""Learner journeys through the case scenarios (notebook 07) in a real browser: mouse, keyboard, Voila.

The expected verdicts, feedback and findings come from the case engine (``evaluate``) for the case the
page shows, so the tests follow the case bank as it grows.
"""

from __future__ import annotations

import time

import casepage as C
import labharness as H
import pytest

JOURNEY_NOTEBOOK = "notebooks/07_case_scenarios.ipynb"
PROGRESS_WAIT_S = 15


def _require_notebook(notebook: str) -> None:
    if not (H.REPO_ROOT / notebook).exists():
        pytest.fail(f"{notebook} does not exist: the learner journeys need the case-scenario notebook")


def open_case_page(page, lab, notebook: str) -> tuple[C.CaseDriver, H.ConsoleLog]:
    """Open ``notebook`` in a fresh Lab workspace, run it, and return a driver for its first case widget."""
    console = H.ConsoleLog(page)
    H.open_notebook(page, lab, notebook)
    H.run_all(page, notebook)
    H.settle(page)
    return C.CaseDriver(page), console


def wait_for_attempts(progress_file, case_id: str, count: int) -> list[dict]:
    """Poll the progress file until it holds ``count`` attempts of ``case_id`` (the save follows the feedback)."""
    deadline = time.monotonic() + PROGRESS_WAIT_S
    attempts: list[dict] = []
    while time.monotonic() < deadline:
        attempts = C.read_attempts(progress_file, case_id)
        if len(attempts) >= count:
            break
        time.sleep(0.2)
    return attempts


def mouse_journey(page, lab, notebook: str) -> dict:
    """Wrong answer, 'Why not the others?', 'Try again', right answer, 'Next stage'; check the progress file."""
    driver, console = open_case_page(page, lab, notebook)
    driver.advance_to_question()
    question = driver.question()
    wrong, right = C.wrong_and_right(question)
    before = len(C.read_attempts(lab.progress_file, driver.case.id))

    driver.answer_with_mouse(wrong)
    driver.assert_shows(C.expected_feedback(wrong.result), f"after the wrong answer {wrong.option_ids}")
    assert "✓ Correct." not in driver.stage_text(), "a wrong answer was shown as correct"

    driver.button("Why not the others?").click()
    driver.wait_for_text("Every option explained:")
    driver.assert_shows([C.norm(o.text) for o in question.options], "'Why not the others?' (option texts)")
    driver.assert_shows([C.norm(o.feedback) for o in question.options], "'Why not the others?' (feedback)")

    driver.button("Try again").click()
    deadline = time.monotonic() + 15
    while wrong.result.verdict_label + "." in driver.stage_text() and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert f"{wrong.result.verdict_label}." not in driver.stage_text(), "'Try again' did not clear the feedback"

    driver.answer_with_mouse(right)
    driver.assert_shows(C.expected_feedback(right.result), f"after the right answer {right.option_ids}")

    stages = driver.stage_count()
    driver.button("Next stage").click()
    deadline = time.monotonic() + 15
    while driver.stage_count() == stages and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert driver.stage_count() == stages + 1, "'Next stage' did not reveal the next stage"
    driver.wait_for_text(f"Stage {stages + 1} of {len(driver.case.stages)}: {driver.case.stages[stages].title}")

    attempts = wait_for_attempts(lab.progress_file, driver.case.id, before + 2)[before:]
    got = [(a["question_id"], a["selection"], a["verdict"], a["confidence"]) for a in attempts]
    got = [(q, sorted(sel), verdict, conf) for q, sel, verdict, conf in got]
    assert got == [
        (question.id, sorted(wrong.option_ids), wrong.result.verdict, 3),
        (question.id, sorted(right.option_ids), "correct", 3),
    ], f"progress file {lab.progress_file} holds {got}"
    assert not console.unexpected(), f"browser console errors: {console.unexpected()}"
    return {"case": driver.case.id, "question": question.id}


def keyboard_journey(page, lab, notebook: str) -> list[str]:
    """Answer one question rightly with the keyboard only (Tab, Space, arrow keys, Enter), starting from the
    selected cell of the widget."""
    driver, console = open_case_page(page, lab, notebook)
    driver.advance_to_question()
    _, right = C.wrong_and_right(driver.question())
    # Select the cell that shows the case widget and give it keyboard focus, as after running it.
    found = page.evaluate(
        "() => { const nb = jupyterapp.shell.currentWidget.content;"
        " const i = nb.widgets.findIndex(c => c.node.querySelector('.mslbp-case'));"
        " if (i < 0) return false; nb.activeCellIndex = i; nb.mode = 'command';"
        " nb.activeCell.node.focus(); return true; }"
    )
    assert found, f"{notebook}: no cell shows a case widget"
    keys = C.answer_with_keyboard(driver, right)
    driver.assert_shows(C.expected_feedback(right.result), "after answering with the keyboard")
    assert set(keys) <= {"Tab", "Space", "ArrowDown", "Enter"}
    assert not console.unexpected(), f"browser console errors: {console.unexpected()}"
    return keys


@pytest.mark.browser
def test_mouse_journey_wrong_then_right_then_next_stage(lab, lab_page) -> None:
    _require_notebook(JOURNEY_NOTEBOOK)
    mouse_journey(lab_page, lab, JOURNEY_NOTEBOOK)


@pytest.mark.browser
def test_keyboard_only_journey(lab, lab_page) -> None:
    _require_notebook(JOURNEY_NOTEBOOK)
    keys = keyboard_journey(lab_page, lab, JOURNEY_NOTEBOOK)
    print(f"keys pressed: {len(keys)} ({' '.join(keys)})")


@pytest.mark.browser
def test_voila_student_view_answers_and_hides_code(browser, browser_tmp) -> None:
    _require_notebook(JOURNEY_NOTEBOOK)
    voila_journey(browser, browser_tmp, JOURNEY_NOTEBOOK)


def voila_journey(browser, tmp, notebook: str) -> None:
    """Serve ``notebook`` with Voila on loopback, answer a case with the mouse, check no code is shown."""
    server = H.start_voila(tmp / "voila", H.REPO_ROOT / notebook)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        console = H.ConsoleLog(page, H.VOILA_CONSOLE_ALLOW_LIST)
        page.goto(server.base_url + "/", wait_until="domcontentloaded", timeout=H.RUN_ALL_TIMEOUT_S * 1000)
        try:
            page.locator(".mslbp-case").first.wait_for(state="visible", timeout=H.RUN_ALL_TIMEOUT_S * 1000)
        except Exception as exc:
            raise AssertionError(
                f"Voila did not show a case widget for {notebook} within {H.RUN_ALL_TIMEOUT_S} s.\n"
                f"Page text: {page.inner_text('body')[:2000]}\nVoila log:\n{server.log_tail()}"
            ) from exc
        driver = C.CaseDriver(page)
        driver.advance_to_question()
        _, right = C.wrong_and_right(driver.question())
        driver.answer_with_mouse(right)
        driver.assert_shows(C.expected_feedback(right.result), "Voila, after the right answer")
        attempts = wait_for_attempts(server.progress_file, driver.case.id, 1)
        assert attempts, f"Voila: the attempt did not reach {server.progress_file}"

        editors = page.locator(".cm-editor, .CodeMirror, .jp-InputArea-editor, .jp-CodeCell .jp-InputArea").count()
        assert editors == 0, f"Voila shows {editors} code editor/input area(s)"
        import nbformat

        nb = nbformat.read(H.REPO_ROOT / notebook, as_version=4)
        source_lines = [
            line.strip()
            for cell in nb.cells
            if cell.cell_type == "code"
            for line in cell.source.splitlines()
            if len(line.strip()) >= 8
        ]
        body_text = page.inner_text("body")
        html_source = page.content()
        shown = [line for line in source_lines if line in body_text or line in html_source]
        assert source_lines, f"{notebook} has no code lines to look for"
        assert not shown, f"Voila shows code of {notebook}: {shown}"
        errors = page.locator(".jupyter-widgets-error-widget").count()
        assert errors == 0, f"Voila shows {errors} widget error box(es)"
        fallback = H.WIDGET_FALLBACK_RE.search(body_text)
        assert not fallback, f"Voila shows a widget as plain text: {body_text[fallback.start() :][:120]!r}"
        assert "Loading widget" not in body_text, "Voila still shows 'Loading widget'"
        assert not console.unexpected(), f"browser console errors in Voila: {console.unexpected()}"
    finally:
        context.close()
        server.stop()
