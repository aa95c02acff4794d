"""Benchmark: load and validate 1,000 generated case files with `load_case_folder`.

Target: at most 1 s on the course's 2-core machine. The figure is printed together with two baselines measured in
the same run on the same files, so that the ratio stays meaningful on a faster or slower machine:

* ``yaml.safe_load`` (pure-Python safe loader) of every file, the plain reading any loader must do;
* libyaml's ``CSafeLoader`` of every file (what the case loader uses when libyaml is available), i.e. the parsing
  floor; the difference to the full load is the cost of schema validation, integrity checks and building the model.

Run: ``python benchmarks/bench_case_loading.py [--cases N] [--repeat R]``. No assertion on time: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mslbp_widgets.logic.cases import load_case_folder  # noqa: E402
from mslbp_widgets.logic.paths import data_dir  # noqa: E402

EXAMPLE = "lhermitte-shock-on-neck-flexion"
TARGET_SECONDS = 1.0


def generate(folder: Path, n: int) -> list[Path]:
    """Write ``n`` valid case files: the example case with a new id (and the id in the file name)."""
    text = (data_dir() / "cases" / f"{EXAMPLE}.yaml").read_text(encoding="utf-8")
    if not text.startswith(f"id: {EXAMPLE}\n"):
        raise SystemExit(f"the example case must start with 'id: {EXAMPLE}'; the benchmark changes that line")
    paths = []
    for i in range(n):
        new_id = f"bench-case-{i:04d}"
        path = folder / f"{new_id}.yaml"
        path.write_text(text.replace(f"id: {EXAMPLE}\n", f"id: {new_id}\n", 1), encoding="utf-8")
        paths.append(path)
    return paths


def interleaved(repeat: int, fns: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Wall-clock seconds of ``repeat`` rounds, each round running every function once in turn, so that all of
    them see the same background load (a busy machine moves the seconds, much less the ratios)."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="number of case files to generate (default 1000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds (each runs every measurement once, interleaved); the best is reported")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="mslbp-bench-cases-") as tmp:
        folder = Path(tmp)
        paths = generate(folder, args.cases)

        def load_all() -> None:
            library = load_case_folder(folder, kind="case")
            if len(library) != args.cases:
                raise SystemExit(f"expected {args.cases} cases, loaded {len(library)}")

        def plain_safe_load() -> None:
            for p in paths:
                yaml.safe_load(p.read_text(encoding="utf-8"))

        csafe = getattr(yaml, "CSafeLoader", None)

        def c_safe_load() -> None:
            for p in paths:
                yaml.load(p.read_text(encoding="utf-8"), Loader=csafe)  # noqa: S506 - a safe loader

        load_all()  # warm-up: imports, schema compilation, reference list
        fns: dict[str, Callable[[], object]] = {"full": load_all, "plain": plain_safe_load}
        if csafe is not None:
            fns["c"] = c_safe_load
        times = interleaved(args.repeat, fns)
        full, full_median = min(times["full"]), statistics.median(times["full"])
        plain = min(times["plain"])
        c_parse = min(times["c"]) if csafe is not None else None

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, load average "
          f"{load:.1f} (busy machines inflate the seconds; the ratios hold better), {args.cases} case files, best "
          f"of {args.repeat} interleaved rounds")
    print(f"load_case_folder (parse + schema + integrity + model): {full:.3f} s "
          f"(median {full_median:.3f} s; {1000 * full / args.cases:.2f} ms per case)")
    print(f"baseline yaml.safe_load of the same files:            {plain:.3f} s")
    print(f"  ratio load_case_folder / yaml.safe_load:            {full / plain:.2f}")
    if c_parse is not None:
        print(f"baseline libyaml CSafeLoader of the same files:       {c_parse:.3f} s")
        print(f"  ratio load_case_folder / CSafeLoader parse:         {full / c_parse:.2f}")
    else:
        print("libyaml (CSafeLoader) is not available in this PyYAML build")
    scaled = full * 1000 / args.cases
    verdict = "within" if scaled <= TARGET_SECONDS else "OVER"
    print(f"target: <= {TARGET_SECONDS:.1f} s for 1,000 cases -> {scaled:.3f} s ({verdict} target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
