"""Benchmark (c): Run All of notebook 08 in a real JupyterLab, against a floor notebook with as many plain go.Figure
charts.

Both notebooks are copied (08) or written (the floor: ipywidgets and plotly only, the same number of code cells,
each chart a ``go.Figure`` displayed as a cell output) into a temporary folder served by a JupyterLab of its own;
each run opens the notebook in a fresh workspace of a headless Chromium page, waits for its kernel, then times
from "clear outputs + run all" to every chart drawn (``svg.main-svg`` in each ``.js-plotly-plot``) with no
"Loading widget" left. The longest task that blocked the page's main thread during the run is reported too (a
tab that stops answering is what learners notice). The two notebooks alternate, ``--reps`` times each.
Target: ratio <= 1.5.

    python benchmarks/bench_run_all_lab.py [--reps 3] [--notebook notebooks/08_instructor_guide.ipynb] [--json PATH]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))

import benchlib as B  # noqa: E402

B.ensure_importable()

import labharness as H  # noqa: E402

TARGET_RATIO = 1.5

_JS_DRAWN = ("() => { const w = jupyterapp.shell.currentWidget; const n = w.content.node;"
             " return Array.from(n.querySelectorAll('.js-plotly-plot')).filter(p => p.querySelector('svg.main-svg'))"
             ".length; }")
_JS_WATCH_LONG_TASKS = ("() => { window.__longest = 0; new PerformanceObserver((list) => { for (const e of"
                        " list.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })"
                        ".observe({type: 'longtask', buffered: false}); return true; }")


def timed_run(page, server: H.ServerProcess, notebook: str, charts: int, timeout_s: float = 300) -> dict:
    """Open ``notebook``, run all, and time until ``charts`` charts are drawn and no widget is loading."""
    H.open_notebook(page, server, notebook)
    page.evaluate(_JS_WATCH_LONG_TASKS)
    start = time.perf_counter()
    H.run_all(page, notebook, timeout_s)
    executed = time.perf_counter() - start
    deadline = start + timeout_s
    while time.perf_counter() < deadline:
        if page.evaluate(_JS_DRAWN) >= charts and page.evaluate(H._JS_LOADING_LEFT) == 0:
            break
        page.wait_for_timeout(50)
    else:
        raise SystemExit(f"{notebook}: {page.evaluate(_JS_DRAWN)} of {charts} charts drawn after {timeout_s:.0f} s")
    drawn = time.perf_counter() - start
    return {"executed_s": round(executed, 2), "drawn_s": round(drawn, 2),
            "longest_task_ms": round(page.evaluate("() => window.__longest"), 1),
            "widget_state_bytes": H.WidgetState.from_page(page).bytes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="runs of each notebook (default 3)")
    parser.add_argument("--notebook", default="notebooks/08_instructor_guide.ipynb", help="course notebook")
    parser.add_argument("--json", help="result file (default benchmarks/results/bench_run_all_lab.json)")
    args = parser.parse_args(argv)

    course = B.ROOT / args.notebook
    work = Path(tempfile.mkdtemp(prefix="mslbp-bench-runall-"))
    root = work / "root"
    root.mkdir()
    shutil.copy(course, root / course.name)
    shown = B.count_shown(course)
    charts = shown["top_charts"] + shown["widget_charts"]
    B.floor_notebook(root / "floor.ipynb", shown["cells"], 0, charts, 0)
    print(B.load_line("load average at start"))
    print(f"{course.name}: {shown['cells']} code cells, {charts} charts; floor: as many code cells and plain "
          "go.Figure charts")
    server = H.start_lab(work / "lab", root_dir=root)
    runs: dict[str, list[dict]] = {"course": [], "floor": []}
    try:
        with H.chromium() as browser:
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            for rep in range(args.reps + 1):  # the first round warms the browser cache and is not counted
                for side, name in (("floor", "floor.ipynb"), ("course", course.name)):
                    page = context.new_page()
                    try:
                        result = timed_run(page, server, name, charts)
                    finally:
                        page.close()
                        H.shutdown_kernels(server)
                    if rep:
                        runs[side].append(result)
            context.close()
    finally:
        server.stop()
    med = {side: B.median([r["drawn_s"] for r in rs]) for side, rs in runs.items()}
    ratio = med["course"] / med["floor"]
    for side, label in (("course", course.name), ("floor", "floor notebook")):
        rs = runs[side]
        print(f"  {label:28s} run all -> every chart drawn: median {med[side]:6.2f} s "
              f"({', '.join(str(r['drawn_s']) for r in rs)}); cells done {B.median([r['executed_s'] for r in rs]):.2f}"
              f" s; longest blocked main thread {max(r['longest_task_ms'] for r in rs):.0f} ms; widget state "
              f"{rs[-1]['widget_state_bytes']:,} bytes")
    verdict = "within" if ratio <= TARGET_RATIO else "ABOVE"
    print(f"ratio course/floor: {ratio:.2f} ({verdict} the target {TARGET_RATIO})")
    print(B.load_line("load average at end"))
    out = B.write_result("bench_run_all_lab", {
        "target_ratio": TARGET_RATIO, "notebook": args.notebook, "charts": charts, "reps": args.reps,
        "runs": runs, "course_median_s": round(med["course"], 2), "floor_median_s": round(med["floor"], 2),
        "ratio": round(ratio, 2),
    }, args.json)
    print(f"result written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
