"""Benchmark: the class tally over 500 whole-course learner exports (target: at most 2 s on a 2-core machine for
load + tally; the page never freezes).

Generates 500 synthetic exports in a temporary folder (every question of every case in the course's case bank,
some questions answered twice: a whole-course export each, about 10 MB in all), then times, in the same run:

* baseline: `json.load` of the same 500 files (the least any reader must do);
* `load_exports` (size check, parse, format/version, JSON Schema validation, duplicates);
* `tally` (first attempts, correctness recomputed from the case library, per-question, mechanism, calibration)
  and `summary_csv`.

With `--render`, also the whole class tally widget built in a real kernel (no browser): `class_tally(folder)`
timed inside the kernel, summary, per-file report and every chart included, plus the size of what it sends.

With `--lab`, also in real JupyterLab (headless Chromium): a notebook shows an "Echo" button and the class tally;
the benchmark presses **Load folder** and times, from that click, the summary on screen, the kernel idle again and
the class charts drawn (a question's chart is drawn when opened); it then keeps pressing Echo until the charts are
drawn, and reports the slowest echo (is the page still answering while it draws?) and the longest time the page's
main thread was blocked (long tasks).

Prints the times and the ratio to the baseline. No assertion on time: run it and read the numbers.

    MSLBP_PROGRESS_FILE=/tmp/x.json python benchmarks/bench_aggregate.py [--learners 500] [--repeat 3] \\
        [--render] [--lab]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from mslbp_widgets import course_library, load_exports, summary_csv, tally
from mslbp_widgets.ui.class_tally import QUESTIONS_PER_PAGE


def make_exports(folder: Path, n_learners: int, library: dict, seed: int = 1) -> int:
    """Write `n_learners` export files; return the number of attempts written."""
    rng = random.Random(seed)
    questions = [(case.id, q) for case in library.values() for q in case.questions]
    total = 0
    for n in range(n_learners):
        attempts = []
        minute = 0
        for case_id, q in questions:
            for _ in range(1 + (rng.random() < 0.3)):  # about 30% of questions answered twice
                if q.type == "single":
                    selection = [rng.choice(q.options).id]
                else:
                    k = rng.randint(1, len(q.options))
                    selection = [o.id for o in rng.sample(list(q.options), k)]
                minute += 1
                attempts.append({
                    "attempt_id": f"{rng.getrandbits(128):032x}", "case_id": case_id, "question_id": q.id,
                    "selection": selection, "verdict": rng.choice(["correct", "incorrect", "partly-correct"]),
                    "score": rng.choice([0.0, 0.5, 1.0]), "confidence": rng.choice([None, 1, 2, 3, 4, 5]),
                    "time": f"2026-11-21T{9 + minute // 60:02d}:{minute % 60:02d}:00Z",
                })
        total += len(attempts)
        doc = {"format": "mslbp-attempts", "version": 1, "learner_id": f"{n:032x}",
               "exported_at": "2026-11-21T12:00:00Z", "attempts": attempts}
        (folder / f"learner-{n:04d}.json").write_text(json.dumps(doc), encoding="utf-8")
    return total


def best_of(repeat: int, fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


# Run in the kernel: build the whole class tally widget and say how long it took and how much it holds.
_KERNEL_RENDER = """
import json as _json, time as _time
from mslbp_widgets import class_tally as _class_tally
from mslbp_widgets.ui.figure_view import FigureView as _FigureView
_t0 = _time.perf_counter()
_view = _class_tally({folder!r})
_seconds = _time.perf_counter() - _t0
def _walk(w):
    yield w
    for c in getattr(w, "children", ()) or ():
        yield from _walk(c)
_all = list(_walk(_view))
print(_json.dumps({{"seconds": _seconds, "widgets": len(_all),
    "html_bytes": sum(len(w.value) for w in _all if type(w).__name__ == "HTML"),
    "figures": sum(1 for w in _all if isinstance(w, _FigureView)),
    "figure_json_bytes": sum(len(_json.dumps(w._shown)) for w in _all if isinstance(w, _FigureView) and w._shown),
    "learners": len(_view.data.learners)}}))
"""


def render_in_kernel(folder: Path) -> dict:
    """Build `class_tally(folder)` in a fresh IPython kernel (widgets and figures sent as in a notebook, no browser)."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", env=dict(os.environ))
    try:
        out: list[str] = []

        def on_msg(msg: dict) -> None:
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append("ERROR " + msg["content"]["ename"] + ": " + msg["content"]["evalue"])

        # imports and the case library (loaded once per kernel, e.g. by the notebook's first tally): not timed
        # and one small tally first: plotly's first figure in a kernel costs seconds once (imports, renderer)
        kc.execute_interactive("from mslbp_widgets import class_tally, sample_exports_folder\n"
                               "_ = class_tally(sample_exports_folder())", timeout=300)
        kc.execute_interactive(_KERNEL_RENDER.format(folder=str(folder)), timeout=600, output_hook=on_msg)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    text = "".join(out).strip()
    if not text.startswith("{"):
        raise RuntimeError(f"the kernel did not build the class tally: {text[:2000]}")
    return json.loads(text.splitlines()[-1])


# In the page: record main-thread long tasks (the page frozen for more than 50 ms at a time).
_JS_LONGTASKS = """
() => { window.__longTasks = []; window.__t0 = performance.now();
  new PerformanceObserver(list => { for (const e of list.getEntries())
    window.__longTasks.push({start: e.startTime - window.__t0, ms: e.duration}); })
    .observe({type: 'longtask', buffered: false});
  return true; }
"""

# Click Echo and resolve with the milliseconds until its label changes.
_JS_ECHO = """
async ([button, label]) => { const before = label.innerText; const t0 = performance.now();
  return await new Promise((resolve) => {
    const obs = new MutationObserver(() => { if (label.innerText !== before) { obs.disconnect();
      resolve(performance.now() - t0); } });
    obs.observe(label, {subtree: true, childList: true, characterData: true});
    setTimeout(() => { obs.disconnect(); resolve(-1); }, 30000);
    button.click(); }); }
"""


def responsiveness_in_lab(folder: Path, n_charts: int, questions_per_page: int = QUESTIONS_PER_PAGE,
                          screenshot: Path | None = None) -> dict:
    """Real JupyterLab: press Load folder, time summary / kernel idle / charts drawn, echo latency, long tasks."""
    import nbformat

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
    import labharness as H

    root = Path(tempfile.mkdtemp(prefix="mslbp-bench-tally-lab-"))
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(  # plotly.js loaded once, as by any earlier chart of the notebook
            "import plotly.graph_objects as go\ngo.Figure(go.Bar(x=[1, 2], y=[3, 4]))"),
        nbformat.v4.new_code_cell(
            "import ipywidgets as w\n"
            "echo_button, echo_label = w.Button(description='Echo'), w.Label(value='0')\n"
            "echo_button.on_click(lambda _: setattr(echo_label, 'value', str(int(echo_label.value) + 1)))\n"
            "w.HBox([echo_button, echo_label])"),
        nbformat.v4.new_code_cell(
            "from mslbp_widgets.ui.class_tally import ClassTallyView\n"
            f"view = ClassTallyView(questions_per_page={questions_per_page})\n"
            f"view.folder_text.value = {str(folder)!r}\n"
            "_ = view.library  # the case library, loaded once per kernel\nview"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, root / "tally.ipynb")
    server = H.start_lab(root / "home", root_dir=root)
    try:
        with H.chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            H.open_notebook(page, server, "tally.ipynb")
            H.run_all(page, "tally.ipynb")
            H.settle(page)
            echo = page.get_by_role("button", name="Echo", exact=True)
            label = echo.locator("xpath=following-sibling::*[1]")
            t0 = time.monotonic()
            page.evaluate(_JS_LONGTASKS)
            page.get_by_role("button", name="Load folder", exact=True).click()
            page.locator(".mslbp-class-tally table.mslbp-summary").wait_for(state="attached", timeout=600_000)
            t_summary = time.monotonic() - t0
            page.wait_for_function(
                "() => jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
                timeout=600_000, polling=100)
            t_idle = time.monotonic() - t0
            drawn_js = ("() => Array.from(document.querySelectorAll('.mslbp-class-tally .js-plotly-plot'))"
                        ".filter(p => p.querySelector('svg.main-svg')).length")
            echoes: list[float] = []
            t_charts = float("nan")
            while time.monotonic() - t0 < 600:
                echoes.append(page.evaluate(_JS_ECHO, [echo.element_handle(), label.element_handle()]))
                if page.evaluate(drawn_js) >= n_charts:
                    t_charts = time.monotonic() - t0
                    break
            for _ in range(3):  # and after
                echoes.append(page.evaluate(_JS_ECHO, [echo.element_handle(), label.element_handle()]))
            long_tasks = page.evaluate("() => window.__longTasks")
            files_button = page.get_by_role("button", name="Show the list of files")
            t1 = time.monotonic()
            files_button.click()
            page.get_by_role("button", name="Next files").click()
            page.get_by_text("Files 51–100 of").wait_for(timeout=60_000)
            t_page = time.monotonic() - t1
            if screenshot is not None:
                H.screenshot_notebook(page, screenshot)
            page.close()
    finally:
        server.stop()
    return {"summary_on_screen_s": t_summary, "kernel_idle_s": t_idle, "charts_drawn_s": t_charts,
            "charts": n_charts, "echo_ms_max": max(echoes), "echo_ms": echoes,
            "longest_blocked_ms": max((t["ms"] for t in long_tasks), default=0.0),
            "blocked_ms_total": sum(t["ms"] for t in long_tasks), "long_tasks": len(long_tasks),
            "show_files_and_next_page_s": t_page, "long_task_list": long_tasks}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is reported")
    parser.add_argument("--render", action="store_true", help="also build the class tally widget in a kernel")
    parser.add_argument("--lab", action="store_true", help="also load the class tally in real JupyterLab")
    parser.add_argument("--questions-per-page", type=int, default=QUESTIONS_PER_PAGE,
                        help="per-question charts per page in the JupyterLab run")
    parser.add_argument("--screenshot", type=Path, help="PNG of the JupyterLab page at the end of the run")
    args = parser.parse_args()
    library = dict(course_library())
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n_attempts = make_exports(folder, args.learners, library)
        files = sorted(folder.iterdir())
        size = sum(p.stat().st_size for p in files)

        def baseline() -> int:
            n = 0
            for p in files:
                with p.open(encoding="utf-8") as fh:
                    n += len(json.load(fh)["attempts"])
            return n

        t_base, _ = best_of(args.repeat, baseline)
        t_load, data = best_of(args.repeat, lambda: load_exports(folder))
        t_tally, result = best_of(args.repeat, lambda: summary_csv(tally(data, library)))  # type: ignore[arg-type]
        rendered = render_in_kernel(folder) if args.render else None
        # the two class charts: a question's chart is drawn only when the instructor opens it ("Show the chart")
        n_charts = 2
        lab = (responsiveness_in_lab(folder, n_charts, args.questions_per_page, args.screenshot)
               if args.lab else None)
    accepted = len(data.accepted)  # type: ignore[union-attr]
    total = t_load + t_tally
    print(f"{args.learners} exports, {n_attempts:,} attempts, {size / 1e6:.1f} MB, "
          f"{len(library)} cases, {sum(len(c.questions) for c in library.values())} questions")
    print(f"accepted: {accepted} of {len(files)}")
    print(f"baseline json.load of the same files: {t_base:.3f} s")
    print(f"load_exports (validate every file):   {t_load:.3f} s  ({t_load / t_base:.1f}x baseline)")
    print(f"tally + summary CSV:                  {t_tally:.3f} s  ({t_tally / t_base:.1f}x baseline)")
    print(f"total:                                {total:.3f} s  ({total / t_base:.1f}x baseline; target <= 2 s)")
    if rendered:
        print(f"class_tally widget built in a kernel: {rendered['seconds']:.2f} s ({rendered['seconds'] / t_base:.1f}x "
              f"baseline; load, tally, {rendered['figures']} charts, {rendered['widgets']} widgets, "
              f"{rendered['html_bytes'] / 1e3:.0f} kB of HTML, "
              f"{rendered['figure_json_bytes'] / 1e3:.0f} kB of figures)")
    if lab:
        print(f"real JupyterLab, from the click on Load folder: summary on screen {lab['summary_on_screen_s']:.1f} s, "
              f"kernel idle {lab['kernel_idle_s']:.1f} s, all {lab['charts']} charts drawn "
              f"{lab['charts_drawn_s']:.1f} s")
        print(f"  Echo pressed {len(lab['echo_ms'])} times from kernel idle to after the charts: slowest "
              f"{lab['echo_ms_max']:.0f} ms; page main thread: longest block {lab['longest_blocked_ms']:.0f} ms, "
              f"{lab['long_tasks']} long tasks, {lab['blocked_ms_total'] / 1000:.1f} s in all; show the files and "
              f"go to page 2: {lab['show_files_and_next_page_s']:.2f} s")
        print("  long tasks (start after the click, duration), ms: "
              + ", ".join(f"{t['start']:.0f}+{t['ms']:.0f}" for t in lab["long_task_list"]))
    print(f"load average: {load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
