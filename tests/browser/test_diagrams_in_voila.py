"""The course's diagrams in Voila (the student view), for every notebook that shows them (``show_diagram`` or the
dermatome explorer): each diagram picture loads (naturalWidth > 0) and carries a non-empty alt text, each has its
"Text description" fold, and the dermatome explorer redraws both pictures when its controls change. One Voila server
per notebook."""

from __future__ import annotations

import re
import time

import casepage as C
import labharness as H
import pytest

NOTEBOOKS = sorted(p.relative_to(H.REPO_ROOT).as_posix() for p in (H.REPO_ROOT / "notebooks").glob("*.ipynb")
                   if re.search(r"show_diagram\(|dermatome_explorer\(", p.read_text(encoding="utf-8")))
#: Every diagram picture: a figure shown by show_diagram, or one of the explorer's two views.
PICTURES = ".mslbp-diagram img, .mslbp-dermatome-explorer img"
LOADED = "els => els.map(el => ({alt: el.getAttribute('alt') || '', ok: el.complete && el.naturalWidth > 0}))"


def _expected(notebook: str) -> tuple[int, int]:
    """(diagrams shown by show_diagram, dermatome explorers) in the notebook's code cells."""
    import nbformat

    code = "\n".join(c.source for c in nbformat.read(H.REPO_ROOT / notebook, as_version=4).cells
                     if c.cell_type == "code")
    return code.count("show_diagram("), code.count("dermatome_explorer(")


def _wait(page, check, what: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{what} did not happen within {timeout_s:.0f} s")


def test_the_notebooks_with_diagrams_are_found() -> None:
    assert {"notebooks/01_ms_pathophysiology.ipynb", "notebooks/04_telling_the_kinds_apart.ipynb"} <= set(NOTEBOOKS)
    assert sum(_expected(nb)[0] for nb in NOTEBOOKS) >= 4 and sum(_expected(nb)[1] for nb in NOTEBOOKS) >= 1


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda nb: nb.split("/")[-1].split("_")[0])
def test_diagrams_render_in_voila_with_their_text_alternatives(browser, browser_tmp, screenshot_dir,
                                                               notebook: str) -> None:
    n_diagrams, n_explorers = _expected(notebook)
    n_pictures = n_diagrams + 2 * n_explorers  # the explorer shows a front and a back view
    stem = notebook.split("/")[-1].removesuffix(".ipynb")
    server = H.start_voila(browser_tmp / f"voila-{stem}", H.REPO_ROOT / notebook)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        console = H.ConsoleLog(page, H.VOILA_CONSOLE_ALLOW_LIST)
        page.goto(server.base_url + "/", wait_until="domcontentloaded", timeout=H.RUN_ALL_TIMEOUT_S * 1000)
        pictures = page.locator(PICTURES)
        try:
            _wait(page, lambda: pictures.count() >= n_pictures, f"{n_pictures} diagram picture(s) showing",
                  H.RUN_ALL_TIMEOUT_S)
        except AssertionError as exc:
            raise AssertionError(f"{exc}: {pictures.count()} shown\n{page.inner_text('body')[:2000]}\n"
                                 f"{server.log_tail()}") from exc
        assert pictures.count() == n_pictures
        _wait(page, lambda: all(p["ok"] for p in pictures.evaluate_all(LOADED)), "every diagram picture loading")
        assert all(p["alt"].strip() for p in pictures.evaluate_all(LOADED)), pictures.evaluate_all(LOADED)
        folds = page.locator("details > summary").filter(has_text=re.compile(r"^Text description of the diagram"))
        assert folds.count() == n_diagrams + n_explorers
        for figure in page.locator(".mslbp-diagram").all():  # each show_diagram's fold follows its figure
            alt = figure.locator("img").get_attribute("alt")
            described = figure.locator("xpath=following-sibling::details[1]")
            assert C.norm(described.inner_text(timeout=5000)).startswith("Text description of the diagram")
            described.locator("summary").click()  # opened, the description reads as the picture's alt text
            assert C.norm(described.locator("p").inner_text(timeout=5000)) == C.norm(alt)
        page.locator(".mslbp-diagram, .mslbp-dermatome-explorer").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / f"diagrams-{stem}.png"))

        for explorer in page.locator(".mslbp-dermatome-explorer").all():
            views = explorer.locator("img")
            before = [img.get_attribute("src") for img in views.all()]
            title = explorer.locator("p[aria-live=polite]")
            assert C.norm(title.inner_text()).startswith("A sensory level at T10")
            explorer.get_by_role("button", name="One nerve root", exact=True).click()
            _wait(page, lambda t=title: C.norm(t.inner_text()).startswith("One root, T10"), "the root pattern")
            explorer.locator("select").select_option(label="L5: below the knee: outer shin, top of the foot and "
                                                           "the big toe")
            _wait(page, lambda t=title: C.norm(t.inner_text()).startswith("One root, L5"), "the L5 pattern")
            after = [img.get_attribute("src") for img in views.all()]
            assert len(after) == 2 and after != before, "the explorer's pictures were not redrawn"
            _wait(page, lambda v=views: all(p["ok"] and p["alt"] for p in v.evaluate_all(LOADED)),
                  "the redrawn pictures loading")
            assert any("L5" in p["alt"] for p in views.evaluate_all(LOADED))
            explorer.scroll_into_view_if_needed()
            explorer.screenshot(path=str(screenshot_dir / f"diagrams-{stem}-explorer-L5.png"))
        unexpected = console.unexpected()
        assert not unexpected, f"browser console errors in Voila: {unexpected}"
    finally:
        context.close()
        server.stop()
