"""The case scenarios (notebook 07) as the Voila student app on a phone (390×844) and a lab PC (1366×768): no
WCAG 2.1 A/AA violation found by axe-core, nothing wider than the screen, buttons not cut, charts not clipped, the
feedback announced politely and each question's options labelled as one group.

One Voila server for the module; each page is one request (Voila runs the notebook for it).
"""

from __future__ import annotations

import os
import time

import casepage as C
import labharness as H
import pytest
import screens as S

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/07_case_scenarios.ipynb"
PREFIX = os.environ.get("MSLBP_SCREENSHOT_PREFIX", "")


@pytest.fixture(scope="module")
def voila(browser_tmp):
    server = H.start_voila(browser_tmp / "voila-screens", H.REPO_ROOT / NOTEBOOK)
    try:
        yield server
    finally:
        server.stop()


def open_app(browser, server, viewport: dict):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(server.base_url + "/", wait_until="domcontentloaded", timeout=H.RUN_ALL_TIMEOUT_S * 1000)
    page.locator(".mslbp-case").first.wait_for(state="visible", timeout=H.RUN_ALL_TIMEOUT_S * 1000)
    page.wait_for_timeout(1000)
    return context, page


def overflow(page) -> list[str]:
    """Elements that stick out of the page's width (sideways scrolling on a phone)."""
    return page.evaluate(
        "() => { const w = document.documentElement.clientWidth; const out = [];"
        " if (document.documentElement.scrollWidth > w + 1) out.push('page scrolls sideways: ' +"
        "   document.documentElement.scrollWidth + ' > ' + w);"
        " for (const e of document.querySelectorAll('.mslbp-case-bank *')) { const r = e.getBoundingClientRect();"
        "  if (r.width && r.right > w + 1 && e.offsetParent !== null && !e.closest('.js-plotly-plot'))"
        "   out.push((e.className || e.tagName).toString().slice(0, 60) + ' right=' + Math.round(r.right)); }"
        " return out.slice(0, 10); }"
    )


def finish_case(driver: C.CaseDriver) -> None:
    """Answer every question of the case shown (right answer) and press Next until it ends."""
    page = driver.page
    while True:
        n = driver.stage_count()
        stage = driver.case.stages[n - 1]
        if stage.question is not None:
            _, right = C.wrong_and_right(stage.question)
            driver.answer_with_mouse(right)
        last = n == len(driver.case.stages)
        driver.button("Finish the case" if last else "Next stage").click()
        if last:
            driver.root.locator(".mslbp-case-end .mslbp-box").wait_for(timeout=30_000)
            return
        deadline = time.monotonic() + 30
        while driver.stage_count() == n and time.monotonic() < deadline:
            page.wait_for_timeout(100)


def test_phone_layout_no_clipping_and_no_axe_violations(browser, voila, screenshot_dir) -> None:
    context, page = open_app(browser, voila, S.PHONE)
    try:
        console = H.ConsoleLog(page, H.VOILA_CONSOLE_ALLOW_LIST)
        names = [S.shot(page, screenshot_dir, f"{PREFIX}voila-07-start-390x844").name]
        truncated = page.evaluate(S.JS_TRUNCATED, ".mslbp-case-bank button")
        assert not truncated, f"button labels cut off on a phone: {truncated}"
        labels = page.locator(".mslbp-case-bank button").all_inner_texts()
        assert "Previous case" in labels and "Next case" in labels, labels
        assert not overflow(page), f"wider than a 390 px phone: {overflow(page)}"
        # The position line on its own full-width line under the buttons, not squeezed between them.
        nav = page.locator(".mslbp-case-bank .mslbp-nav").first
        line = S.box(nav.locator(".widget-html").first)
        buttons = [S.box(nav.get_by_role("button", name=n, exact=True)) for n in ("Previous case", "Next case")]
        assert all(line["top"] >= b["bottom"] - 1 for b in buttons), f"position line beside the buttons: {line}"
        assert line["width"] >= S.box(nav)["width"] - 30, f"position line not full width: {line}"
        # Tables: cells left-aligned, words broken only between words; boxes inside their column.
        cells = page.evaluate("() => Array.from(document.querySelectorAll('.mslbp-table td, .mslbp-table th'))"
                              ".map(e => { const s = getComputedStyle(e); return [s.textAlign, s.overflowWrap,"
                              " s.wordBreak, e.scrollWidth <= e.clientWidth]; })")
        assert cells and {tuple(c) for c in cells} == {("left", "normal", "normal", True)}, set(map(tuple, cells))
        marker = S.box(page.locator(".mslbp-synthetic").first)
        column = S.box(page.locator(".mslbp-case").first)
        assert marker["right"] <= column["right"] + 0.5, f"the synthetic marker sticks out: {marker} {column}"
        page.locator(".mslbp-nav").first.evaluate("e => e.scrollIntoView({block: 'start'})")
        names.append(S.shot(page, screenshot_dir, f"{PREFIX}voila-07-case-390x844").name)
        stage_text = page.locator(".mslbp-stage p").first.inner_html()
        assert "\n" not in stage_text and "<br" not in stage_text, f"case text keeps hard line breaks: {stage_text!r}"

        driver = C.CaseDriver(page)
        finish_case(driver)
        page.get_by_role("button", name="Show my summary").click()
        charts = page.locator(".mslbp-summary .js-plotly-plot svg.main-svg")
        charts.nth(1).wait_for(timeout=30_000)
        page.wait_for_timeout(800)
        end = driver.root.locator(".mslbp-case-end .mslbp-box").first
        end.scroll_into_view_if_needed()
        names.append(S.shot(page, screenshot_dir, f"{PREFIX}voila-07-case-end-390x844").name)
        charts.first.scroll_into_view_if_needed()
        names.append(S.shot(page, screenshot_dir, f"{PREFIX}voila-07-summary-390x844").name)
        width = page.evaluate("() => document.documentElement.clientWidth")
        assert S.box(end)["right"] <= width + 1, f"the case-end box overflows the phone: {S.box(end)}; {names}"
        for i in range(charts.count()):
            chart = S.box(charts.nth(i))
            assert chart["left"] >= -1 and chart["right"] <= width + 1, f"summary chart {i + 1} clipped: {chart}"
        cut = page.evaluate(S.JS_CUT_CHART_LABELS)
        assert not cut, f"summary chart titles or axis labels cut off on a phone: {cut}; {names}"
        assert not overflow(page), f"wider than a 390 px phone after the summary: {overflow(page)}; {names}"
        violations = S.axe_violations(page, "body")
        assert not violations, "Voila 07 at 390×844:\n" + "\n".join(violations)
        assert not console.unexpected(), console.unexpected()
    finally:
        context.close()


def test_laptop_live_region_group_label_and_no_axe_violations(browser, voila, screenshot_dir) -> None:
    context, page = open_app(browser, voila, S.LAPTOP)
    try:
        driver = C.CaseDriver(page)
        driver.advance_to_question()
        stage = driver.stage()
        question = driver.question()
        group = stage.locator("[role=radiogroup]" if question.type == "single" else "[role=group]").first
        label_id = group.get_attribute("aria-labelledby")
        assert label_id, "the options' group has no aria-labelledby"
        label_text = C.norm(page.locator(f"[id='{label_id}']").inner_text())
        assert C.norm(question.prompt) in label_text, label_text
        live = stage.locator("[aria-live=polite]")
        assert live.count() >= 1, "no polite live region in the stage before any answer"
        _, right = C.wrong_and_right(question)
        driver.answer_with_mouse(right)
        texts = [C.norm(live.nth(i).inner_text()) for i in range(live.count())]
        assert any(f"{right.result.verdict_label}." in t for t in texts), texts
        S.shot(page, screenshot_dir, f"{PREFIX}voila-07-answered-1366x768")
        # Kind of case: as wide as its longest option (nothing of the chosen label cut off).
        kind = page.get_by_label("Kind of case:")
        widths = kind.evaluate("e => { const c = document.createElement('canvas').getContext('2d');"
                               " c.font = getComputedStyle(e).font; return [Math.max(...Array.from(e.options)"
                               ".map(o => c.measureText(o.text).width)), e.clientWidth]; }")
        assert widths[0] + 20 <= widths[1], f"Kind of case cuts its longest option: {widths}"
        cells = page.evaluate("() => Array.from(document.querySelectorAll('.mslbp-table td'))"
                              ".map(e => getComputedStyle(e).textAlign)")
        assert cells and set(cells) == {"left"}, f"table cells not left-aligned: {set(cells)}"
        violations = S.axe_violations(page, "body")
        assert not violations, "Voila 07 at 1366×768:\n" + "\n".join(violations)
    finally:
        context.close()
