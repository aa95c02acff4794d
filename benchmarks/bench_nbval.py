"""Benchmark (b): nbval over every course notebook, against as many floor notebooks that only use ipywidgets and
plotly and show as much.

For each course notebook a floor notebook is written to a temporary folder with the same number of code cells,
the same number of widget models (Labels in VBoxes, topped up in the kernel) and the same number of plotly charts,
shown the same way (as cell outputs, or inside Output widgets); the counts come from running the course notebook
once (nbclient). Then ``pytest --nbval-lax --nbval-current-env`` runs over the course notebooks and over the floor
notebooks, alternately, ``--reps`` times each, with the same pytest settings; wall-clock medians are compared.
Target: ratio <= 1.2.

    python benchmarks/bench_nbval.py [--reps 3] [--json PATH]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as B  # noqa: E402

TARGET_RATIO = 1.2


def nbval(paths: list[Path], ini: Path, env: dict[str, str]) -> float:
    """Seconds for one nbval run over ``paths`` (fails loudly if a notebook fails)."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-c", str(ini), f"--rootdir={ini.parent}", "-p", "no:cacheprovider",
           "--nbval-lax", "--nbval-current-env", *map(str, paths)]
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ini.parent)
    seconds = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"nbval failed ({out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-2000:]}")
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
    t_course, t_floor = [], []
    for _ in range(args.reps):
        t_floor.append(nbval(floors, ini, env))
        t_course.append(nbval(course, ini, env))
    m_course, m_floor = B.median(t_course), B.median(t_floor)
    ratio = m_course / m_floor
    print(f"nbval over the {len(course)} course notebooks: median {m_course:.1f} s  "
          f"({', '.join(f'{t:.1f}' for t in t_course)})")
    print(f"nbval over {len(floors)} floor notebooks:       median {m_floor:.1f} s  "
          f"({', '.join(f'{t:.1f}' for t in t_floor)})")
    verdict = "within" if ratio <= TARGET_RATIO else "ABOVE"
    print(f"ratio course/floor: {ratio:.2f} ({verdict} the target {TARGET_RATIO})")
    print(B.load_line("load average at end"))
    out = B.write_result("bench_nbval", {
        "target_ratio": TARGET_RATIO, "reps": args.reps, "course_seconds": [round(t, 2) for t in t_course],
        "floor_seconds": [round(t, 2) for t in t_floor], "course_median_s": round(m_course, 2),
        "floor_median_s": round(m_floor, 2), "ratio": round(ratio, 2), "shown_per_notebook": counts,
    }, args.json)
    print(f"result written to {out}; floor notebooks in {work / 'floor'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
