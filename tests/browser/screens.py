"""Helpers for the screen tests (layout, theme, accessibility): axe-core runs, theme switching, what is in view.

axe-core comes from PyPI (`axe-playwright-python` ships `axe.min.js`), so it runs offline. Only WCAG 2.1 A and AA
rules run; results are reduced to one line per failing element, for readable failure messages.
"""

from __future__ import annotations

import re
from pathlib import Path

#: axe-core rule tags of WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LIGHT, DARK = "JupyterLab Light", "JupyterLab Dark"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

#: Parts of JupyterLab's own notebook view that axe reports and that the course does not draw, scoped out by
#: selector (each with the rule and the JupyterLab element). Everything the course draws (outputs, Markdown) stays
#: in. The scope itself is the notebook's cells (see `lab_cells_scope`), because Lab's cell container,
#: `.jp-WindowedPanel-viewport` (role=list), fails aria-required-children for its cells' wrappers and cannot be
#: excluded without excluding every cell inside it.
LAB_EXCLUDES: list[tuple[str, str]] = [
    (".jp-Cell-inputArea .jp-CodeMirrorEditor",
     "aria-input-field-name and scrollable-region-focusable: JupyterLab's CodeMirror editor of a cell's source "
     "(a textbox with no accessible name, a scroller)"),
    (".jp-InputPrompt",
     "button-name: JupyterLab's input prompt ([n]:), a button without a name when its cell is collapsed"),
]


def lab_cells_scope(page) -> str:
    """A selector for the cells of the notebook open in Lab (not its menus, toolbar, side panels or the cell
    container)."""
    panel_id = page.evaluate("() => jupyterapp.shell.currentWidget.id")
    return f"[id='{panel_id}'] .jp-Notebook .jp-Cell"


def axe_violations(page, include: str, exclude: list[str] | None = None) -> list[str]:
    """Run axe-core (WCAG 2.1 A/AA rules only) on the elements matching ``include``; one line per failing node:
    rule id, impact, the node's selector, and axe's summary of what is wrong."""
    from axe_playwright_python.sync_playwright import Axe

    context: dict = {"include": [[include]]}
    if exclude:
        context["exclude"] = [[sel] for sel in exclude]
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options)
    lines = []
    for v in results.response["violations"]:
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = re.sub(r"\s+", " ", node.get("failureSummary", ""))[:300]
            lines.append(f"{v['id']} ({v.get('impact')}): {target[:160]} :: {summary}")
    return lines


def set_lab_theme(page, theme: str) -> None:
    """Switch JupyterLab's theme and wait until the page has it (the body's data-jp-theme-name)."""
    page.evaluate("(t) => jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme)
    page.wait_for_function("(t) => document.body.dataset.jpThemeName === t", arg=theme, timeout=30_000)
    page.wait_for_timeout(800)  # the theme's stylesheet applies, plotly redraws on resize


def lab_visible_rect(page) -> dict:
    """The part of the page where the open notebook's content is visible (its scroller's box)."""
    return page.evaluate(
        "() => { const w = jupyterapp.shell.currentWidget;"
        " const s = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;"
        " const r = s.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }"
    )


def box(locator) -> dict:
    """An element's bounding box in page coordinates (top, bottom, left, right, width, height)."""
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left,"
        " right: r.right, width: r.width, height: r.height}; }"
    )


def inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    """Whether box ``inner`` lies within box ``outer`` (a pixel of slack for rounding)."""
    return (inner["top"] >= outer["top"] - slack and inner["bottom"] <= outer["bottom"] + slack
            and inner["left"] >= outer["left"] - slack and inner["right"] <= outer["right"] + slack)


def scroll_to_top_of(page, locator) -> None:
    """Scroll the notebook so that the element's top is at the top of the visible area."""
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)


def shot(page, folder: Path, name: str, full_page: bool = False) -> Path:
    """Save a screenshot named ``name`` (a .png is added) in ``folder``; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".png")
    page.screenshot(path=str(path), full_page=full_page, timeout=30_000)
    return path


#: Plotly figures on the page whose title or axis titles stick out of the figure's own box (cut off on screen).
JS_CUT_CHART_LABELS = """
(root) => { const out = [];
  for (const plot of (root || document).querySelectorAll('.js-plotly-plot')) {
    const svg = plot.querySelector('svg.main-svg'); if (!svg) continue;
    const frame = svg.getBoundingClientRect();
    const clip = plot.closest('.jp-OutputArea-output, .mslbp-chart') || plot.parentElement;
    const c = clip.getBoundingClientRect();
    for (const t of plot.querySelectorAll('.gtitle, .xtitle, .ytitle, .g-xtitle text, .g-ytitle text, .ytick text')) {
      const r = t.getBoundingClientRect(); if (!r.width) continue;
      const cut = r.left < Math.max(frame.left, c.left) - 1 || r.right > Math.min(frame.right, c.right) + 1
        || r.top < frame.top - 1 || r.bottom > frame.bottom + 1;
      if (cut) out.push((t.textContent || '').slice(0, 60) + ` [${Math.round(r.left)}..${Math.round(r.right)} in `
        + `${Math.round(Math.max(frame.left, c.left))}..${Math.round(Math.min(frame.right, c.right))}]`);
    } }
  return out; }
"""

#: Buttons and labelled controls whose text is cut off ("Prev…"): content wider than the box.
JS_TRUNCATED = """
(sel) => Array.from(document.querySelectorAll(sel)).filter(e => e.offsetParent !== null
   && e.scrollWidth > e.clientWidth + 1).map(e => (e.innerText || e.value || '').trim().slice(0, 60))
"""
