"""Benchmark (a): what the notebooks' imports cost, against ``import ipywidgets, plotly.graph_objects``.

For each notebook, the names its cells import (every ``from mslbp_widgets import ...`` line) are imported in a
fresh Python process and the CPU time of that import is measured (``time.process_time`` around it, so interpreter
start-up is left out); the floor is ``import ipywidgets, plotly.graph_objects`` measured the same way. Floor and
notebook runs alternate, ``--reps`` times each, and medians are compared. Also "all notebooks": every name any
notebook imports, in one process (no kernel does that: shown for information). Target: each notebook's ratio
<= 1.2. The package is imported from compiled bytecode, as ipywidgets and plotly are.

Then, for "all notebooks", the modules the import adds over the floor, by cumulative time (``python -X
importtime``, best of 3), so that a library loaded too early is easy to find.

    python benchmarks/bench_imports.py [--reps 15] [--json PATH]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as B  # noqa: E402

TARGET_RATIO = 1.2
FLOOR = "import ipywidgets, plotly.graph_objects"
#: Every name any notebook imports, in one process: no kernel does this (each notebook has its own), so it is shown
#: for information and is not held to the target.
UNION = "(every notebook's names at once)"


def cpu_seconds(statement: str) -> float:
    """CPU seconds of ``statement`` in a fresh interpreter (start-up excluded)."""
    prog = f"import time\nt = time.process_time()\n{statement}\nprint(time.process_time() - t)"
    out = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, check=True, cwd=B.ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def importtime(statement: str) -> dict[str, tuple[int, int, int]]:
    """module -> (self µs, cumulative µs, depth) from ``-X importtime``."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", statement], capture_output=True, text=True,
                         check=True, cwd=B.ROOT).stderr
    rows = {}
    for line in err.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows[m.group(4)] = (int(m.group(1)), int(m.group(2)), len(m.group(3)) // 2)
    return rows


def added_modules(statement: str, top: int = 12) -> list[tuple[str, float, float]]:
    """The modules ``statement`` imports on top of the floor: (name, self ms, cumulative ms), best of 3 runs."""
    floor = set(importtime(FLOOR))
    best: dict[str, tuple[int, int]] = {}
    for _ in range(3):
        for name, (own, cum, _depth) in importtime(f"{FLOOR}\n{statement}").items():
            if name not in floor:
                prev = best.get(name)
                best[name] = (own, cum) if prev is None else (min(prev[0], own), min(prev[1], cum))
    rows = sorted(best.items(), key=lambda kv: -kv[1][1])[:top]
    return [(name, own / 1000, cum / 1000) for name, (own, cum) in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15, help="runs of each side (default 15)")
    parser.add_argument("--json", help="where to write the result (default benchmarks/results/bench_imports.json)")
    args = parser.parse_args(argv)
    B.ensure_importable()

    cases: dict[str, str] = {}
    every: list[str] = []
    for nb in B.course_notebooks():
        names = B.notebook_imports(nb)
        every += [n for n in names if n not in every]
        cases[nb.stem] = f"from mslbp_widgets import {', '.join(names)}" if names else "pass"
    cases[UNION] = f"from mslbp_widgets import {', '.join(every)}"

    print(B.load_line("load average at start"))
    cpu_seconds(FLOOR)  # warm the file cache
    floor: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.reps):
        for name, statement in cases.items():
            floor.append(cpu_seconds(FLOOR))
            times[name].append(cpu_seconds(statement))
    m_floor, least_floor = B.median(floor), min(floor)
    print(f"floor `{FLOOR}`: least {least_floor * 1000:.1f} ms, median {m_floor * 1000:.1f} ms CPU "
          f"({len(floor)} runs)")
    print(f"  {'':40s} {'least':>8s} {'median':>8s}   ratio: least  median  paired")
    rows = []
    n_names = len(cases)
    for i, (name, xs) in enumerate(times.items()):
        ratio = min(xs) / least_floor
        before = floor[i::n_names]  # the floor run just before each of this notebook's runs
        paired = B.median([x / f for x, f in zip(xs, before, strict=True)])
        rows.append({"notebook": name, "least_ms": round(min(xs) * 1000, 1), "median_ms": round(B.median(xs) * 1000, 1),
                     "ratio": round(ratio, 2), "ratio_of_medians": round(B.median(xs) / m_floor, 2),
                     "paired_ratio": round(paired, 2)})
        flag = "  (information)" if name == UNION else "" if ratio <= TARGET_RATIO else "  ABOVE target"
        print(f"  {name:40s} {min(xs) * 1000:6.1f} ms {B.median(xs) * 1000:6.1f} ms        {ratio:.2f}    "
              f"{B.median(xs) / m_floor:.2f}    {paired:.2f}{flag}")
    worst = max(r["ratio"] for r in rows if r["notebook"] != UNION)
    verdict = "within" if worst <= TARGET_RATIO else "ABOVE"
    worst_median = max(r["ratio_of_medians"] for r in rows if r["notebook"] != UNION)
    worst_paired = max(r["paired_ratio"] for r in rows if r["notebook"] != UNION)
    print(f"worst notebook ratio {worst:.2f} ({verdict} the target {TARGET_RATIO}); of medians {worst_median:.2f}, "
          f"paired {worst_paired:.2f}")
    added = added_modules(cases[UNION])
    print("modules added over the floor by all notebooks' imports (cumulative ms, self ms; best of 3):")
    for name, own, cum in added:
        print(f"  {cum:6.1f} {own:6.1f}  {name}")
    print(B.load_line("load average at end"))
    out = B.write_result("bench_imports", {
        "target_ratio": TARGET_RATIO, "floor": FLOOR, "floor_least_ms": round(least_floor * 1000, 1),
        "floor_median_ms": round(m_floor * 1000, 1), "reps": args.reps, "notebooks": rows, "worst_ratio": worst,
        "worst_ratio_of_medians": worst_median, "worst_paired_ratio": worst_paired,
        "added_modules": [{"module": n, "self_ms": round(o, 2), "cumulative_ms": round(c, 2)} for n, o, c in added],
    }, args.json)
    print(f"result written to {out.relative_to(B.ROOT) if out.is_relative_to(B.ROOT) else out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
