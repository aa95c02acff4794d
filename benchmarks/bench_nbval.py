"""Benchmark (b): nbval over every course notebook, against as many floor notebooks that only use ipywidgets and
plotly and show as much.

For each course notebook a floor notebook is written to a temporary folder with the same number of code cells,
the same number of widget models (Labels in VBoxes, topped up in the kernel) and the same number of plotly charts,
shown the same way (as cell outputs, or inside Output widgets); the counts come from running the course notebook
once (nbclient). Then ``pytest --nbval-lax --nbval-current-env`` runs over the course notebooks and over the floor
notebooks in one pytest run per repetition, interleaved (each course notebook next to its floor, the order of the
two alternating between runs), so both sides see the same load; the seconds of each notebook come from pytest's
JUnit report (kernel start and every cell, not pytest's own start-up). Medians over ``--reps`` runs are compared.
Target: ratio <= 1.2.

    python benchmarks/bench_nbval.py [--reps 3] [--json PATH]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as B  # noqa: E402

TARGET_RATIO = 1.2


def nbval(paths: list[Path], ini: Path, env: dict[str, str]) -> dict[str, float]:
    """One nbval run over ``paths`` in that order; seconds per notebook file name (the test items' setup, call and
    teardown times from pytest's JUnit report: kernel start and every cell; pytest's own start-up is left out)."""
    report = ini.parent / "report.xml"
    cmd = [sys.executable, "-m", "pytest", "-q", "-c", str(ini), f"--rootdir={ini.parent}", "-p", "no:cacheprovider",
           "--nbval-lax", "--nbval-current-env", "-o", "junit_family=xunit1", f"--junitxml={report}",
           *map(str, paths)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ini.parent)
    if out.returncode != 0:
        raise SystemExit(f"nbval failed ({out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-2000:]}")
    seconds: dict[str, float] = {}
    for case in ElementTree.parse(report).iter("testcase"):
        name = Path(case.get("file", "")).name
        seconds[name] = seconds.get(name, 0.0) + float(case.get("time", 0))
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="nbval runs of each side (default 3)")
    parser.add_argument("--json", help="where to write the result (default benchmarks/results/bench_nbval.json)")
    args = parser.parse_args(argv)
    B.ensure_importable()
    work = Path(tempfile.mkdtemp(prefix="mslbp-bench-nbval-"))
    env = dict(os.environ, MSLBP_PROGRESS_FILE=str(work / "progress" / "attempts.json"))
    os.environ["MSLBP_PROGRESS_FILE"] = env["MSLBP_PROGRESS_FILE"]
    ini = work / "pytest.ini"
    ini.write_text("[pytest]\nfilterwarnings = ignore::DeprecationWarning\n", encoding="utf-8")

    print(B.load_line("load average at start"))
    course = B.course_notebooks()
    floors, counts = [], {}
    for nb in course:
        c = B.count_shown(nb)
        counts[nb.stem] = c
        floors.append(B.floor_notebook(work / "floor" / f"floor_{nb.name}", c["cells"], c["widgets"],
                                       c["top_charts"], c["widget_charts"]))
        print(f"  {nb.stem:36s} {c['cells']} code cells, {c['widgets']:4d} widget models, "
              f"{c['top_charts']} chart(s) as outputs, {c['widget_charts']} inside widgets")
    nbval(floors[:1], ini, env)  # warm the file cache
    pairs = list(zip(course, floors, strict=True))
    per_rep: list[dict[str, float]] = []
    for rep in range(args.reps):
        order = [p for c, f in pairs for p in ((c, f) if rep % 2 else (f, c))]  # interleaved, who goes first alternates
        per_rep.append(nbval(order, ini, env))
    t_course = [sum(r[c.name] for c in course) for r in per_rep]
    t_floor = [sum(r[f.name] for f in floors) for r in per_rep]
    m_course, m_floor = B.median(t_course), B.median(t_floor)
    ratio = m_course / m_floor
    per_notebook = {c.stem: round(B.median([r[c.name] for r in per_rep]) / B.median([r[f.name] for r in per_rep]), 2)
                    for c, f in pairs}
    print("per notebook, course/floor (median over the runs): "
          + ", ".join(f"{k[:2]} {v:.2f}" for k, v in per_notebook.items()))
    print(f"nbval, the {len(course)} course notebooks: median {m_course:.1f} s  "
          f"({', '.join(f'{t:.1f}' for t in t_course)})")
    print(f"nbval, {len(floors)} floor notebooks:       median {m_floor:.1f} s  "
          f"({', '.join(f'{t:.1f}' for t in t_floor)})")
    verdict = "within" if ratio <= TARGET_RATIO else "ABOVE"
    print(f"ratio course/floor: {ratio:.2f} ({verdict} the target {TARGET_RATIO})")
    print(B.load_line("load average at end"))
    out = B.write_result("bench_nbval", {
        "target_ratio": TARGET_RATIO, "reps": args.reps, "course_seconds": [round(t, 2) for t in t_course],
        "floor_seconds": [round(t, 2) for t in t_floor], "course_median_s": round(m_course, 2),
        "floor_median_s": round(m_floor, 2), "ratio": round(ratio, 2), "ratio_per_notebook": per_notebook,
        "shown_per_notebook": counts,
    }, args.json)
    print(f"result written to {out}; floor notebooks in {work / 'floor'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
