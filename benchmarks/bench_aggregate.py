"""Benchmark: the class tally over 500 learner exports (target: at most 2 s on a 2-core machine).

Generates 500 synthetic exports in a temporary folder (every question of every case in the course's case bank,
some questions answered twice), then times, in the same run:

* baseline: `json.load` of the same 500 files (the least any reader must do);
* `load_exports` (size check, parse, format/version, JSON Schema validation, duplicates);
* `tally` (first attempts, correctness recomputed from the case library, per-question, mechanism, calibration)
  and `summary_csv`.

Prints the times and the ratio to the baseline. No assertion on time: run it and read the numbers.

    MSLBP_PROGRESS_FILE=/tmp/x.json python benchmarks/bench_aggregate.py [--learners 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from mslbp_widgets import course_library, load_exports, summary_csv, tally


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is reported")
    args = parser.parse_args()
    library = dict(course_library())
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
    accepted = len(data.accepted)  # type: ignore[union-attr]
    total = t_load + t_tally
    print(f"{args.learners} exports, {n_attempts:,} attempts, {size / 1e6:.1f} MB, "
          f"{len(library)} cases, {sum(len(c.questions) for c in library.values())} questions")
    print(f"accepted: {accepted} of {len(files)}")
    print(f"baseline json.load of the same files: {t_base:.3f} s")
    print(f"load_exports (validate every file):   {t_load:.3f} s  ({t_load / t_base:.1f}x baseline)")
    print(f"tally + summary CSV:                  {t_tally:.3f} s  ({t_tally / t_base:.1f}x baseline)")
    print(f"total:                                {total:.3f} s  ({total / t_base:.1f}x baseline; target <= 2 s)")


if __name__ == "__main__":
    main()
