"""Every notebook on a lab PC's screen (1366×768) in JupyterLab Light and Dark: no WCAG 2.1 A/AA violation found
by axe-core, and the layouts that keep a tool's result in view while its controls are used.

Each notebook is opened and run once (a module-scoped page per notebook); every check of that notebook reuses it.
Screenshots go to the session's screenshot folder (``MSLBP_SCREENSHOT_PREFIX`` is put before their names, e.g.
``before-``), as ``<prefix>lab-<notebook>-<what>-<theme>-1366x768.png``.
"""

from __future__ import annotations

import os
import re

import casepage as C
import labharness as H
import pytest
import screens as S

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.relative_to(H.REPO_ROOT).as_posix() for p in (H.REPO_ROOT / "notebooks").glob("*.ipynb"))
NB01 = "notebooks/01_ms_pathophysiology.ipynb"
NB05 = "notebooks/05_red_flags_and_other_causes.ipynb"
NB08 = "notebooks/08_instructor_guide.ipynb"
PREFIX = os.environ.get("MSLBP_SCREENSHOT_PREFIX", "")


class Ran:
    """A notebook opened in Lab at 1366×768 and run once; ``name`` is its file stem."""

    def __init__(self, notebook: str, page, folder) -> None:
        self.notebook, self.page, self.folder = notebook, page, folder
        self.name = notebook.rsplit("/", 1)[-1].removesuffix(".ipynb")

    def shot(self, what: str, theme: str = "light") -> str:
        return S.shot(self.page, self.folder, f"{PREFIX}lab-{self.name}-{what}-{theme}-1366x768").name

    def visible(self) -> dict:
        return S.lab_visible_rect(self.page)


@pytest.fixture(scope="module")
def ran(request, browser_context, lab, screenshot_dir):
    """One page per notebook (tests are grouped by notebook): opened, run all, settled, back in Light after."""
    notebook = request.param
    page = browser_context.new_page()
    page.set_viewport_size(S.LAPTOP)
    try:
        H.open_notebook(page, lab, notebook)
        H.run_all(page, notebook)
        H.settle(page)
        yield Ran(notebook, page, screenshot_dir)
    finally:
        try:
            if page.evaluate("() => document.body.dataset.jpThemeName") != S.LIGHT:
                S.set_lab_theme(page, S.LIGHT)  # the theme is a user setting: the next pages open in Light
        finally:
            page.close()
            H.shutdown_kernels(lab)


@pytest.mark.parametrize("ran", NOTEBOOKS, indirect=True)
def test_no_wcag_violations_in_light_and_dark(ran) -> None:
    """axe-core, WCAG 2.1 A and AA rules, on the notebook's cells and outputs after Run All: none in Light, none
    in Dark (colour contrast included, so every colour the course draws must read in both themes)."""
    found = {}
    for theme, short in ((S.LIGHT, "light"), (S.DARK, "dark")):
        if ran.page.evaluate("() => document.body.dataset.jpThemeName") != theme:
            S.set_lab_theme(ran.page, theme)
        H.screenshot_notebook(ran.page, ran.folder / f"{PREFIX}lab-{ran.name}-whole-{short}.png")
        found[short] = S.axe_violations(ran.page, S.lab_cells_scope(ran.page), [sel for sel, _ in S.LAB_EXCLUDES])
    S.set_lab_theme(ran.page, S.LIGHT)
    problems = [f"{theme}: {line}" for theme, lines in found.items() for line in lines]
    assert not problems, f"{ran.notebook}: {len(problems)} WCAG 2.1 A/AA violation(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("ran", [NB05], indirect=True)
def test_triage_result_stays_in_view_while_ticking(ran) -> None:
    page = ran.page
    triage = page.locator(".mslbp-red-flag-triage").first
    S.scroll_to_top_of(page, triage)
    first_box = triage.locator("input[type=checkbox]").first
    first_box.click()
    page.wait_for_timeout(800)
    urgency = triage.locator(".mslbp-triage-result strong").first
    assert S.inside(S.box(urgency), ran.visible()), "the triage result is out of view after ticking the first box"
    first_box.click()  # untick: the last box alone decides the result below
    last_box = triage.locator("input[type=checkbox]").last
    # As a learner does: scroll down the list (the least scrolling that shows the box), then tick it.
    last_box.evaluate("e => e.scrollIntoView({block: 'nearest'})")
    last_box.click()
    page.wait_for_timeout(800)
    names = [ran.shot("triage-last-box-ticked")]
    S.set_lab_theme(page, S.DARK)
    names.append(ran.shot("triage-last-box-ticked", "dark"))
    S.set_lab_theme(page, S.LIGHT)
    squashed = triage.evaluate(
        "t => Array.from(t.querySelectorAll('.widget-checkbox, .jupyter-widget-checkbox')).filter("
        " e => e.scrollHeight > e.clientHeight + 1 || e.getBoundingClientRect().height < 16).length")
    assert not squashed, f"{squashed} finding(s) of the checklist are squashed or clipped; screenshots {names}"
    shown, view = S.box(urgency), ran.visible()
    assert "Urgency:" in urgency.inner_text(), urgency.inner_text()
    assert S.box(last_box)["bottom"] <= view["bottom"] + 1, "the last box is not in view after clicking it"
    assert S.inside(shown, view), (f"the triage result ({shown}) is out of view ({view}) while the checklist's last "
                                   f"box is ticked; screenshots {names}")


@pytest.mark.parametrize("ran", [NB01], indirect=True)
def test_conduction_chart_beside_aligned_sliders(ran) -> None:
    page = ran.page
    explorer = page.locator(".mslbp-conduction-explorer").first
    sliders = explorer.locator(".mslbp-slider")
    S.scroll_to_top_of(page, sliders.first)
    page.wait_for_timeout(500)
    names = [ran.shot("conduction")]
    S.set_lab_theme(page, S.DARK)
    names.append(ran.shot("conduction", "dark"))
    S.set_lab_theme(page, S.LIGHT)
    chart = S.box(explorer.locator(".js-plotly-plot svg.main-svg").first)
    boxes = [S.box(sliders.nth(i)) for i in range(sliders.count())]
    tracks = [S.box(sliders.nth(i).locator("input[type=range]").first) for i in range(sliders.count())]
    assert len(boxes) == 2, f"expected two sliders, found {len(boxes)}"
    assert abs(tracks[0]["left"] - tracks[1]["left"]) <= 2, f"slider tracks start at different x: {tracks}"
    assert chart["left"] >= max(b["right"] for b in boxes) - 2, f"chart {chart} is not beside the sliders {boxes}"
    assert chart["top"] < boxes[-1]["bottom"] and chart["bottom"] > boxes[0]["top"], "chart not level with sliders"
    assert S.inside(chart, ran.visible(), slack=40) or chart["top"] < ran.visible()["bottom"], names


@pytest.mark.parametrize("ran", [NB01], indirect=True)
def test_check_question_heading_group_label_and_live_feedback(ran) -> None:
    """A check question reads "Question 1 of N: <title>" (no doubled number); its options are one radio group
    named by the question; each option's circle sits on its first line; the feedback is written into a polite
    live region."""
    page = ran.page
    driver = C.CaseDriver(page)
    driver.advance_to_question()
    stage = driver.stage()
    S.scroll_to_top_of(page, stage)
    heading = stage.locator("h4").first.inner_text().strip()
    assert re.match(r"^Question 1 of \d+: \S", heading), heading
    assert not re.match(r"^Question \d+ of \d+: \d+\.", heading), f"doubled number: {heading!r}"
    question = driver.question()
    group = stage.locator("[role=radiogroup]" if question.type == "single" else "[role=group]").first
    label_id = group.get_attribute("aria-labelledby")
    assert label_id, "the options' group has no aria-labelledby"
    label_text = C.norm(page.locator(f"[id='{label_id}']").inner_text())
    assert C.norm(question.prompt) in label_text, f"the group is labelled {label_text!r}, not by the question"
    for i in range(group.locator("label").count()):
        label = group.locator("label").nth(i)
        dot, whole = S.box(label.locator("input")), S.box(label)
        assert dot["top"] - whole["top"] <= 8, f"option {i + 1}: its circle is not on the first line ({dot}, {whole})"
    _, right = C.wrong_and_right(question)
    driver.answer_with_mouse(right)
    live = stage.locator("[aria-live=polite]")
    texts = [C.norm(live.nth(i).inner_text()) for i in range(live.count())]
    assert any(f"{right.result.verdict_label}." in t for t in texts), f"no polite live region has the verdict: {texts}"
    ran.shot("check-answered")


@pytest.mark.parametrize("ran", [NB08], indirect=True)
def test_presenter_fits_one_screen_and_tally_is_not_cut(ran) -> None:
    page = ran.page
    # Presenting: the file browser is hidden (View > Show Left Sidebar, Ctrl+B), as the instructor guide says.
    page.evaluate("() => jupyterapp.shell.collapseLeft()")
    page.wait_for_timeout(500)
    presenter = page.locator(".mslbp-presenter").first
    S.scroll_to_top_of(page, presenter)
    presenter.get_by_role("button", name="Next stage", exact=True).click()
    reveal = presenter.get_by_role("button", name="Reveal answer", exact=True)
    reveal.click()
    chart = presenter.locator(".js-plotly-plot svg.main-svg").first
    chart.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    S.scroll_to_top_of(page, presenter)
    names = [ran.shot("presenter-revealed")]
    S.set_lab_theme(page, S.DARK)
    names.append(ran.shot("presenter-revealed", "dark"))
    S.set_lab_theme(page, S.LIGHT)
    S.scroll_to_top_of(page, presenter)
    view = ran.visible()
    prompt = presenter.get_by_text("Question:", exact=False).first
    parts = {"question": S.box(prompt), "reveal button": S.box(presenter.locator("button", has_text="Answer revealed")),
             "class chart": S.box(chart)}
    out = {name: b for name, b in parts.items() if not S.inside(b, view)}
    assert not out, f"not within one 1366×768 screen ({view}): {out}; screenshots {names}"
    ticks = [t.strip() for t in presenter.locator(".js-plotly-plot .ytick text").all_text_contents()]
    lettered = [t for t in ticks if re.match(r"^[A-J]\. \S", t)]
    assert lettered, f"the class chart's bars are not lettered with their option text: {ticks}"
    # The class tally draws a question's chart when it is opened: open every one, so all are checked for cut labels.
    questions = page.locator(".mslbp-class-tally .mslbp-question-tally")
    assert questions.count() >= 1, "the class tally shows no question"
    for i in range(questions.count()):
        question = questions.nth(i)
        question.get_by_role("button", name="Show the chart").click()
        question.get_by_role("button", name="Hide the chart").wait_for(timeout=30_000)
        question.locator(".js-plotly-plot svg.main-svg").first.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    cut = page.evaluate(S.JS_CUT_CHART_LABELS)
    assert not cut, f"chart titles or axis labels cut off: {cut}"
    uploads = page.locator(".mslbp-upload-button, .widget-upload, .jupyter-widget-upload").all_inner_texts()
    assert uploads and not any("(0)" in u for u in uploads), f"upload buttons read {uploads}"
