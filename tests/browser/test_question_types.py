"""A keyboard-only journey through the matching, numeric and ordering questions of the synthetic fixture case
(tests/fixtures/cases/ok-question-types.yaml) in real JupyterLab: Tab, Space, Enter, Backspace and digits only
(JupyterLab's command mode takes the arrow keys); every control found by its accessible name (its label), as a
screen reader would. The numeric question is answered close first: its feedback must not show the accepted value,
which appears once the answer is right and under "Why not the others?". Then the same keys through the case that
uses every feature together (tests/fixtures/cases/ok-all-features.yaml) in Voila, from its table and decision, past
its picture, to an ending."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import casepage as C
import labharness as H
import pytest
import screens as S

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from helpers import ALL_FEATURES_FILE, QTYPES_RIGHT, all_features_case, qtypes_case  # noqa: E402
from test_branching_journey import fixture_course  # noqa: E402

NOTEBOOK = "tests/browser/fixtures/qtypes_case.ipynb"


def _wait(page, check, what: str, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{what} did not happen within {timeout_s:.0f} s (focus: {C.active_element(page)!r})")


def _focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def _confidence_and_check(driver: C.CaseDriver, verdict: str, keys: list[str], level: int = 3) -> None:
    page = driver.page
    keys += ["Tab"] * C.tab_until(page, driver.confidence_button(level), f"confidence button {level}")
    page.keyboard.press("Space")
    check = driver.button("Check answer")
    keys += ["Space"] + ["Tab"] * C.tab_until(page, check, "the 'Check answer' button") + ["Enter"]
    page.keyboard.press("Enter")
    driver.wait_for_text(f"{verdict}.")


def _next_stage(driver: C.CaseDriver, keys: list[str]) -> None:
    page, count = driver.page, driver.stage_count()
    nxt = driver.button("Next stage")
    if not _focused(nxt):  # after a correct answer focus is already there
        keys += ["Tab"] * C.tab_until(page, nxt, "the 'Next stage' button")
    page.keyboard.press("Enter")
    keys.append("Enter")
    _wait(page, lambda: driver.stage_count() == count + 1, "'Next stage' revealing the next stage")


def _order_on_page(driver: C.CaseDriver) -> list[str]:
    return [C.norm(t).split(". ", 1)[1] for t in driver.stage().locator(".mslbp-order-step").all_inner_texts()]


def _keyboard_through_new_types(driver: C.CaseDriver, case, keys: list[str], shots: Path, prefix: str) -> None:
    """From the matching stage (focus before its first radio) to the checked ordering question: match, Next stage,
    type the number, Next stage, order with "Move up" — Tab, Space, Enter, Backspace and digits only. ``keys``
    collects the keys pressed; screenshots go to ``shots`` named ``prefix-…``."""
    page = driver.page
    # 1. Matching: a radio grid; each row headed by the item's text, each radio named by its category.
    m = case.question("match-findings")
    rows = driver.stage().locator(".mslbp-match-row")
    assert rows.count() == len(m.items)
    for row, item in zip(rows.all(), m.display_items(), strict=True):
        assert item.text in C.norm(row.inner_text()), f"the row of {item.text!r} does not show its text"
        radio = row.get_by_role("radio", name=m.category(item.category).text, exact=True)
        keys += ["Tab"] * C.tab_until(page, radio, f"the radio {item.category!r} of {item.text!r}")
        page.keyboard.press("Space")
        keys.append("Space")
        _wait(page, radio.is_checked, f"Space choosing {item.category!r} for {item.text!r}")
    driver.stage().screenshot(path=str(shots / f"{prefix}-1-matching-answered.png"))
    _confidence_and_check(driver, "Correct", keys)
    driver.stage().screenshot(path=str(shots / f"{prefix}-1-matching-checked.png"))
    _next_stage(driver, keys)

    # 2. Numeric: focus is in the labelled text box; type the value.
    n = case.question("dn4-score")
    box = driver.stage().get_by_label(f"Your answer ({n.unit})", exact=True)
    _wait(page, lambda: _focused(box), "focus moving to the answer box")
    page.keyboard.type("12")
    keys += ["1", "2"]
    driver.wait_for_text("Not a value this question allows")
    driver.stage().screenshot(path=str(shots / f"{prefix}-2-numeric-invalid.png"))
    for _ in range(2):
        page.keyboard.press("Backspace")
    # A close answer first: the verdict and the band's feedback teach, the accepted value stays hidden.
    key = n.format(QTYPES_RIGHT["dn4-score"])
    page.keyboard.type("4")
    keys += ["Backspace", "Backspace", "4"]
    _confidence_and_check(driver, "Close: half marks", keys, level=2)
    driver.wait_for_text("Your answer, 4 points, is a little too low.")
    assert key not in driver.stage_text(), f"the close answer's feedback gives the key away: {driver.stage_text()!r}"
    driver.stage().screenshot(path=str(shots / f"{prefix}-2-numeric-close.png"))
    retry = driver.button("Try again")
    _wait(page, lambda: _focused(retry), "focus moving to 'Try again'")
    page.keyboard.press("Enter")
    keys.append("Enter")
    _wait(page, lambda: _focused(box) and "Close: half marks." not in driver.stage_text(), "'Try again' clearing")
    page.keyboard.type(str(QTYPES_RIGHT["dn4-score"]))
    keys.append("5")
    _confidence_and_check(driver, "Correct", keys, level=4)
    driver.wait_for_text(f"Your answer, {key}, is the accepted value.")
    driver.stage().screenshot(path=str(shots / f"{prefix}-2-numeric-checked.png"))
    why = driver.button("Why not the others?")
    keys += ["Tab"] * C.tab_until(page, why, "the 'Why not the others?' button") + ["Enter"]
    page.keyboard.press("Enter")
    driver.wait_for_text(f"The accepted range: {key}.")
    driver.wait_for_text("4 points: Close: half marks.")
    driver.stage().screenshot(path=str(shots / f"{prefix}-2-numeric-why-not.png"))
    _next_stage(driver, keys)

    # 3. Ordering: Move up buttons; focus follows the moved step, so Enter again moves it further.
    o = case.question("visit-order")
    right = [s.text for s in o.steps]
    assert _order_on_page(driver) == [s.text for s in o.start_order()]
    driver.stage().screenshot(path=str(shots / f"{prefix}-3-ordering-start.png"))
    for p, text in enumerate(right):
        j = _order_on_page(driver).index(text)
        if j == p:
            continue
        up = driver.stage().get_by_role("button", name="Move up").nth(j)
        keys += ["Tab"] * C.tab_until(page, up, f"'Move up' of {text!r}")
        for k in range(j, p, -1):
            page.keyboard.press("Enter")
            keys.append("Enter")
            _wait(page, lambda k=k, text=text: _order_on_page(driver)[k - 1] == text, f"{text!r} moving up to {k}")
            driver.wait_for_text(f"“{text}” moved up to position {k} of {len(right)}.")
    assert _order_on_page(driver) == right
    _confidence_and_check(driver, "Correct", keys, level=5)
    driver.stage().screenshot(path=str(shots / f"{prefix}-3-ordering-checked.png"))


@pytest.mark.browser
def test_keyboard_only_through_matching_numeric_and_ordering(lab, lab_page, screenshot_dir) -> None:
    page = lab_page
    case = qtypes_case()
    console = H.ConsoleLog(page)
    H.open_notebook(page, lab, NOTEBOOK)
    H.run_all(page, NOTEBOOK)
    H.settle(page)
    driver = C.CaseDriver(page, case=case)
    before = len(C.read_attempts(lab.progress_file, case.id))
    found = page.evaluate(
        "() => { const nb = jupyterapp.shell.currentWidget.content;"
        " const i = nb.widgets.findIndex(c => c.node.querySelector('.mslbp-case'));"
        " if (i < 0) return false; nb.activeCellIndex = i; nb.mode = 'command';"
        " nb.activeCell.node.focus(); return true; }"
    )
    assert found, "no cell shows the case widget"
    keys: list[str] = []

    _keyboard_through_new_types(driver, case, keys, screenshot_dir, "qtypes")

    attempts = C.read_attempts(lab.progress_file, case.id)[before:]
    _wait(page, lambda: len(C.read_attempts(lab.progress_file, case.id)) >= before + 4, "four attempts saved")
    attempts = C.read_attempts(lab.progress_file, case.id)[before:]
    assert [(a["question_id"], a["verdict"], a["confidence"]) for a in attempts] == [
        ("match-findings", "correct", 3), ("dn4-score", "partly-correct", 2), ("dn4-score", "correct", 4),
        ("visit-order", "correct", 5)]
    assert attempts[0]["answer"] == {"matching": QTYPES_RIGHT["match-findings"]}
    assert [a["answer"] for a in attempts[1:3]] == [{"numeric": 4}, {"numeric": 5}]
    assert attempts[3]["answer"] == {"ordering": QTYPES_RIGHT["visit-order"]}
    assert set(keys) <= {"Tab", "Space", "Enter", "Backspace", "1", "2", "4", "5"}
    assert not console.unexpected(), f"browser console errors: {console.unexpected()}"
    print(f"keys pressed: {len(keys)}")


@pytest.mark.browser
def test_keyboard_only_through_every_feature_in_voila(browser, browser_tmp, screenshot_dir) -> None:
    case = all_features_case()
    notebook, env = fixture_course(browser_tmp, ALL_FEATURES_FILE)
    server = H.start_voila(browser_tmp / "voila-all-features", notebook, root_dir=notebook.parent, env_extra=env)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page, console = H.open_voila_page(context, server)
        driver = C.CaseDriver(page, case=case)
        keys: list[str] = []

        # The table, then the decision that branches: examine her (sending her home would end the case).
        caption = driver.stage().locator("table.mslbp-table caption")
        assert C.norm(caption.inner_text()) == "Observations on arrival"
        _, examine = C.wrong_and_right(case.question("decision"))
        assert examine.option_ids == ("examine",)
        keys += C.answer_with_keyboard(driver, examine)
        _next_stage(driver, keys)

        # The picture on the matching stage, then the three new types.
        img = driver.stage().locator("figure.mslbp-figure img")
        img.wait_for(state="visible", timeout=C.FEEDBACK_TIMEOUT_MS)
        assert img.get_attribute("alt").startswith("A side view of the spine")
        assert img.evaluate("el => el.complete && el.naturalWidth > 0"), "the picture did not load"
        _keyboard_through_new_types(driver, case, keys, screenshot_dir, "all-features")
        _next_stage(driver, keys)
        driver.wait_for_text("She was treated for both kinds of pain.")
        finish = driver.button("Finish the case")
        keys += ["Tab"] * C.tab_until(page, finish, "the 'Finish the case' button") + ["Enter"]
        page.keyboard.press("Enter")
        _wait(page, lambda: "What happened next" in C.norm(driver.root.inner_text()), "the case ending")
        driver.root.screenshot(path=str(screenshot_dir / "all-features-voila-end.png"))

        _wait(page, lambda: len(C.read_attempts(server.progress_file, case.id)) >= 5, "five attempts saved")
        saved = json.loads(server.progress_file.read_text(encoding="utf-8"))
        assert saved["version"] == 2
        attempts = C.read_attempts(server.progress_file, case.id)
        assert [(a["question_id"], a["stage_id"], a["verdict"]) for a in attempts] == [
            ("decision", "presentation", "correct"), ("match-findings", "findings", "correct"),
            ("dn4-score", "screening", "partly-correct"), ("dn4-score", "screening", "correct"),
            ("visit-order", "plan", "correct")]
        assert attempts[0]["selection"] == ["examine"]
        assert [a["answer"] for a in attempts[1:]] == [{"matching": QTYPES_RIGHT["match-findings"]}, {"numeric": 4},
                                                      {"numeric": 5}, {"ordering": QTYPES_RIGHT["visit-order"]}]
        assert set(keys) <= {"Tab", "Space", "Enter", "Backspace", "1", "2", "4", "5"}
        assert not console.unexpected(), f"browser console errors: {console.unexpected()}"
        print(f"keys pressed: {len(keys)}")
    finally:
        context.close()
        server.stop()


#: Layout facts of the current stage on a phone: buttons whose label is cut, elements wider than the screen.
_JS_PHONE_LAYOUT = """
(stage) => { const w = document.documentElement.clientWidth;
  const cut = Array.from(stage.querySelectorAll('button')).filter(e => e.offsetParent !== null
    && e.scrollWidth > e.clientWidth + 1).map(e => e.innerText.trim());
  const wide = Array.from(stage.querySelectorAll('*')).filter(e => { const r = e.getBoundingClientRect();
    return r.width && e.offsetParent !== null && r.right > w + 1; }).map(e => String(e.className).slice(0, 50));
  return {cut, wide, pageScrolls: document.documentElement.scrollWidth > w + 1}; }
"""

#: WCAG contrast ratio of an element's colour property against the first opaque background behind it.
_JS_CONTRAST = """
(el, prop) => { const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  let bgEl = prop === 'backgroundColor' ? el.parentElement : el, bg;
  for (; bgEl; bgEl = bgEl.parentElement) { const c = rgb(getComputedStyle(bgEl).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { bg = c; break; } }
  bg = bg || [255, 255, 255];
  const fg = rgb(getComputedStyle(el)[prop]).slice(0, 3);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x); return (a + 0.05) / (b + 0.05); }
"""


@pytest.mark.browser
def test_matching_numeric_and_ordering_on_a_phone_in_voila(browser, browser_tmp, screenshot_dir) -> None:
    """The fixture case on a 390×844 phone (Voila), answered with the mouse: the matching grid's circles sit beside
    their own labels, one category per line; the learner's choices stay clearly visible once checked; the numeric
    unit is shown once and the box shows its whole placeholder; Move up / Move down keep their whole labels; nothing
    is wider than the screen; the keyboard focus ring is a 2px ring that stands out."""
    case = all_features_case()
    notebook, env = fixture_course(browser_tmp, ALL_FEATURES_FILE)
    server = H.start_voila(browser_tmp / "voila-phone-qtypes", notebook, root_dir=notebook.parent, env_extra=env)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(60_000)
    try:
        page, console = H.open_voila_page(context, server)
        driver = C.CaseDriver(page, case=case)

        def layout_ok(what: str) -> None:
            found = driver.stage().evaluate(_JS_PHONE_LAYOUT)
            assert not found["cut"], f"{what}: button labels cut on a phone: {found['cut']}"
            assert not found["wide"] and not found["pageScrolls"], f"{what}: wider than a 390 px phone: {found}"

        def check(level: int, verdict: str = "Correct") -> None:
            driver.confidence_button(level).click()
            driver.button("Check answer").click()
            driver.wait_for_text(f"{verdict}.")

        def next_stage() -> None:
            count = driver.stage_count()
            driver.button("Next stage").click()
            _wait(page, lambda: driver.stage_count() == count + 1, "'Next stage' revealing the next stage")

        _, examine = C.wrong_and_right(case.question("decision"))
        driver.answer_with_mouse(examine)
        next_stage()

        # Matching: each circle on the first line of its own label, each category on a line of its own.
        m = case.question("match-findings")
        rows = driver.stage().locator(".mslbp-match-row")
        for row, item in zip(rows.all(), m.display_items(), strict=True):
            labels = row.locator(".widget-radio-box label")
            boxes = [S.box(labels.nth(i)) for i in range(labels.count())]
            assert all(b2["top"] >= b1["bottom"] - 1 for b1, b2 in zip(boxes, boxes[1:], strict=False)), \
                f"{item.text!r}: categories not one per line on a phone: {boxes}"
            for i in range(labels.count()):
                circle = S.box(labels.nth(i).locator("input"))
                assert circle["left"] <= boxes[i]["left"] + 4 and circle["top"] <= boxes[i]["top"] + 10, \
                    f"{item.text!r}: a circle is not at the start of its own label: {circle} in {boxes[i]}"
            row.get_by_role("radio", name=m.category(item.category).text, exact=True).click()
        layout_ok("matching")
        check(3)
        chosen = driver.stage().locator(".mslbp-match-row input:checked").first
        assert chosen.is_disabled()
        assert chosen.evaluate(_JS_CONTRAST, "backgroundColor") >= 3, "a checked, disabled choice is hard to see"
        label = chosen.locator("xpath=..")
        assert label.evaluate(_JS_CONTRAST, "color") >= 4.5, "the chosen category's text is too pale once checked"
        driver.stage().screenshot(path=str(screenshot_dir / "phone-390-matching-checked.png"))
        next_stage()

        # Numeric: the unit once (in the label), the whole placeholder visible, the label not squeezed.
        n = case.question("dn4-score")
        box = driver.stage().get_by_label(f"Your answer ({n.unit})", exact=True)
        answer_area = C.norm(driver.stage().locator(".mslbp-numeric").inner_text())
        assert answer_area.count(n.unit) == 2, f"the unit shown more than once beside the box (and the hint): " \
                                               f"{answer_area!r}"
        fits = box.evaluate("e => { const c = document.createElement('canvas').getContext('2d');"
                            " const s = getComputedStyle(e); c.font = s.font;"
                            " return [c.measureText(e.placeholder).width, e.clientWidth"
                            " - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)]; }")
        assert fits[0] <= fits[1], f"the placeholder is cut: {fits[0]:.0f} px of text in {fits[1]:.0f} px"
        desc = driver.stage().locator(".mslbp-numeric .widget-label").first
        assert desc.evaluate("e => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().height < 30"), \
            "the answer's label (with its unit) is squeezed"
        layout_ok("numeric")
        box.fill(str(QTYPES_RIGHT["dn4-score"]))
        check(4)
        assert box.evaluate(_JS_CONTRAST, "color") >= 4.5, "the checked value is too pale once checked"
        driver.stage().screenshot(path=str(screenshot_dir / "phone-390-numeric-checked.png"))
        next_stage()

        # Ordering: Move up / Move down keep their whole label.
        layout_ok("ordering")
        assert driver.stage().get_by_role("button", name="Move down").count() == len(case.question("visit-order").steps)
        driver.stage().screenshot(path=str(screenshot_dir / "phone-390-ordering.png"))

        # The keyboard focus ring: 2px solid, contrast at least 3:1 against the page.
        first = driver.stage().get_by_role("button", name="Move down").first
        driver.stage().get_by_role("button", name="Move up").first.evaluate("e => e.scrollIntoView()")
        C.tab_until(page, first, "the first 'Move down' button")
        ring = first.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }")
        assert ring == ["solid", "2px"], f"focus ring: {ring}"
        assert first.evaluate(_JS_CONTRAST, "outlineColor") >= 3
        assert not console.unexpected(), f"browser console errors: {console.unexpected()}"
    finally:
        context.close()
        server.stop()
