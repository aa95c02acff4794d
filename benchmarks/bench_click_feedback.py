"""Click -> feedback time of the case widget's "Check answer" against a bare ipywidgets Button -> Label echo.

Both widgets live in one notebook, one kernel, one JupyterLab page (headless Chromium), so the ratio
measures what the case engine adds (evaluate, progress save, HTML rendering) on top of the plain
comm round trip. Each sample is timed inside the page: from the button's click() to the DOM mutation
that shows the result. The answer is prepared before the clock starts ("Try again", option, confidence).

    python benchmarks/bench_click_feedback.py [--reps 20] [--notebook tests/browser/fixtures/case_widget.ipynb]

Prints the medians and the ratio (target: <= 1.5). No assertion on time: this is a benchmark, not a test.
The notebook must show a case widget (``.mslbp-case``) and a button labelled "Echo" beside a Label.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))

import casepage as C  # noqa: E402
import labharness as H  # noqa: E402

TARGET_RATIO = 1.5

# Click a button and resolve with the milliseconds until `done(root)` becomes true (checked on DOM mutations).
_JS_TIME_CLICK = """
async ([button, root, kind, before]) => {
  const done = () => kind === 'echo'
    ? root.innerText.trim() !== before
    : /(Correct|Partly correct|Not correct)\\./.test(root.innerText);
  return await new Promise((resolve, reject) => {
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      if (done()) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(root, {subtree: true, childList: true, characterData: true});
    setTimeout(() => { obs.disconnect(); reject(new Error('no feedback within 30 s')); }, 30000);
    button.click();
  });
}
"""


def wait_idle(page) -> None:
    """Wait until the kernel is idle (so neither sample pays for the other's trailing work), then a beat."""
    page.wait_for_function(
        "() => jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'", timeout=30_000
    )
    page.wait_for_timeout(150)


def time_echo(page) -> float:
    """One Button -> Label echo, in milliseconds."""
    wait_idle(page)
    button = page.get_by_role("button", name="Echo", exact=True)
    label = button.locator("xpath=following-sibling::*[1]")
    before = label.inner_text().strip()
    return page.evaluate(_JS_TIME_CLICK, [button.element_handle(), label.element_handle(), "echo", before])


def time_check(driver: C.CaseDriver, choice: C.Choice) -> float:
    """One "Check answer" -> verdict shown, in milliseconds (the answer is prepared first, untimed)."""
    page = driver.page
    retry = driver.button("Try again")
    if retry.is_enabled():
        retry.click()
        page.wait_for_function(
            "el => !/(Correct|Partly correct|Not correct)\\./.test(el.innerText)", arg=driver.stage().element_handle()
        )
    for box in driver.option_inputs(choice):
        box.click()
    driver.confidence_button(3).click()
    wait_idle(page)  # the choice has reached the kernel before the clock starts
    button = driver.button("Check answer")
    return page.evaluate(_JS_TIME_CLICK, [button.element_handle(), driver.stage().element_handle(), "case", ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20, help="samples of each kind (default 20)")
    parser.add_argument(
        "--notebook",
        default="tests/browser/fixtures/case_widget.ipynb",
        help="notebook (path from the repo root) with a case widget and an Echo button",
    )
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="mslbp-bench-click-"))
    server = H.start_lab(home / "lab")
    try:
        with H.chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            H.open_notebook(page, server, args.notebook)
            H.run_all(page, args.notebook)
            H.settle(page)
            driver = C.CaseDriver(page)
            _, right = C.wrong_and_right(driver.question())
            time_echo(page)  # warm-up, not counted
            time_check(driver, right)
            echo, check = [], []
            for _ in range(args.reps):
                echo.append(time_echo(page))
                check.append(time_check(driver, right))
            page.close()
    finally:
        server.stop()
    m_echo, m_check = statistics.median(echo), statistics.median(check)
    ratio = m_check / m_echo
    print(f"notebook: {args.notebook}; case: {driver.case.id}; {args.reps} samples each (attempts saved in {home})")
    print(f"bare Button -> Label echo     median {m_echo:7.1f} ms  (min {min(echo):.1f}, max {max(echo):.1f})")
    print(f"case 'Check answer' -> verdict median {m_check:7.1f} ms  (min {min(check):.1f}, max {max(check):.1f})")
    verdict = "within" if ratio <= TARGET_RATIO else "ABOVE"
    print(f"ratio case/echo: {ratio:.2f} ({verdict} the target {TARGET_RATIO})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
