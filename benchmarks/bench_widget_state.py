"""Benchmark (e): widget-state bytes per notebook in a real JupyterLab (target: <= 2 MB each, no plotly.js).

Each course notebook is opened in a fresh workspace of a headless Chromium page, cleared and run (the browser
tests' checker, ``labharness.check_notebook``); the bytes are the kernel's comm messages (comm_open and comm_msg on
iopub: JSON data plus binary buffers) counted in the page from the moment the notebook opens. The same count is
held to the budget by ``tests/browser/test_widget_state.py``; here the figures are printed and kept.

    python benchmarks/bench_widget_state.py [--json PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))

import benchlib as B  # noqa: E402

B.ensure_importable()

import labharness as H  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="result file (default benchmarks/results/bench_widget_state.json)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="mslbp-bench-state-"))
    print(B.load_line("load average at start"))
    server = H.start_lab(work / "lab")
    rows = []
    try:
        with H.chromium() as browser:
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            for nb in B.course_notebooks():
                rel = nb.relative_to(B.ROOT).as_posix()
                page = context.new_page()
                try:
                    report = H.check_notebook(page, server, rel)
                finally:
                    page.close()
                    H.shutdown_kernels(server)
                ws = report.widget_state
                problems = H.widget_state_problems(ws)
                rows.append({"notebook": nb.stem, "bytes": ws.bytes, "messages": ws.messages, "comms": ws.comms,
                             "largest": ws.largest, "largest_model": ws.largest_name, "plotly_js": ws.plotly_js,
                             "problems": problems, "run_all_s": round(report.seconds, 1)})
                print(f"  {nb.stem:36s} {ws.bytes:10,} bytes in {ws.messages:4d} messages over {ws.comms:4d} comms; "
                      f"largest {ws.largest:,} ({ws.largest_name}); plotly.js: {'YES' if ws.plotly_js else 'no'}"
                      + (f"  PROBLEM: {problems}" if problems else ""))
            context.close()
    finally:
        server.stop()
    worst = max(r["bytes"] for r in rows)
    verdict = "within" if worst <= H.WIDGET_STATE_BUDGET_BYTES and not any(r["problems"] for r in rows) else "ABOVE"
    print(f"largest notebook: {worst:,} bytes ({verdict} the target {H.WIDGET_STATE_BUDGET_BYTES:,} bytes, "
          "no plotly.js)")
    print(B.load_line("load average at end"))
    out = B.write_result("bench_widget_state", {"budget_bytes": H.WIDGET_STATE_BUDGET_BYTES, "notebooks": rows,
                                                 "largest_bytes": worst}, args.json)
    print(f"result written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
