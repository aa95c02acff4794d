"""A room on one Voila server: N learners answer a case at once (target: p95 click -> feedback <= 1 s at N = 10).

One Voila server serves the case scenarios (notebook 07) from the repository, as an instructor would run it on a
laptop for a workshop (`voila notebooks/07_case_scenarios.ipynb`). Each learner is a separate Chromium browser
context (its own cookies and storage, its own Voila page, so its own kernel). All learners open the page at once,
go to the first question, and then, for R rounds, prepare an answer (option and confidence, untimed) and press
"Check answer" **at the same moment** (every page schedules its click for one shared wall-clock instant). Each
sample is timed inside its page: from the button's click() to the DOM mutation that shows the verdict. Rounds
alternate a wrong and the right answer ("Try again" in between, untimed).

The same run is first made with one learner alone, on a fresh server, so the figures come with their own
baseline and the **ratios** (N learners / one learner) can be compared between machines.

Memory: the resident set size (RSS, from /proc/<pid>/status) of the Voila server process and every process
below it (its kernels), found by PID; also the proportional set size (PSS, /proc/<pid>/smaps_rollup), which
shares the pages the processes have in common fairly and so adds up honestly. Reported: the server alone before
any learner, the total once every learner has answered, the peak during the run, and per learner
((total - server alone) / N). Linux only.

Isolation: one server has one environment, so all learners' kernels write to the one progress file that the
server's MSLBP_PROGRESS_FILE names (a temporary file here); the file lock keeps every attempt, and the benchmark
counts them afterwards. Separate identities per browser are a separate piece of work: this benchmark measures
speed and memory, not privacy.

The browsers run on the same machine as the server, so their own CPU use (N renderer processes) counts against
the server's two cores: in a real room each learner's browser runs on the learner's own device.

    python benchmarks/bench_classroom.py [--learners 10] [--rounds 5] [--out benchmarks/results/bench_classroom.json]

Prints the figures and writes them as JSON. No assertion on time: this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))

import casepage as C  # noqa: E402
import labharness as H  # noqa: E402

NOTEBOOK = "notebooks/07_case_scenarios.ipynb"
TARGET_P95_MS = 1000.0
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "bench_classroom.json"
LAND_TIMEOUT_MS = 300_000  # ten notebooks executed at once on a busy two-core machine: generous, never hangs
VERDICT_RE = r"(Correct|Partly correct|Not correct)\."

# Schedule a click on `button` at the wall-clock instant `startAt` (ms since the epoch, the same clock for every
# page of one browser), time click -> verdict shown in `root`, and leave the result in window.__mslbpSample.
_JS_SCHEDULE_CLICK = """
([button, root, startAt, pattern]) => {
  window.__mslbpSample = null;
  const re = new RegExp(pattern);
  if (re.test(root.innerText)) { window.__mslbpSample = {error: 'a verdict is shown before the click'}; return false; }
  setTimeout(() => {
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      const m = root.innerText.match(re);
      if (m) {
        obs.disconnect();
        window.__mslbpSample = {ms: performance.now() - t0, late: t0 + performance.timeOrigin - startAt,
                                verdict: m[1]};
      }
    });
    obs.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
    setTimeout(() => { obs.disconnect(); if (!window.__mslbpSample) window.__mslbpSample = {error: 'no verdict'}; },
               60000);
    button.click();
  }, Math.max(0, startAt - Date.now()));
  return true;
}
"""


# --------------------------------------------------------------------------------------------------
# Memory of a process tree, from /proc
# --------------------------------------------------------------------------------------------------


def _kb(path: Path, key: str) -> int:
    """The value (kB) of `key:` in a /proc file; 0 if the process is gone or the key is missing."""
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_memory_mb(pid: int) -> dict[str, float]:
    """RSS and PSS (MB) of process `pid` plus all its descendants, and how many processes that is."""
    pids = [pid, *H._descendants(pid)]
    rss = sum(_kb(Path(f"/proc/{p}/status"), "VmRSS") for p in pids)
    pss = sum(_kb(Path(f"/proc/{p}/smaps_rollup"), "Pss") for p in pids)
    return {"rss_mb": rss / 1024, "pss_mb": pss / 1024, "processes": len(pids)}


class PeakSampler:
    """Samples the memory of a process tree every `interval_s` in a thread; keeps the peak RSS and PSS."""

    def __init__(self, pid: int, interval_s: float = 0.5) -> None:
        self.pid, self.interval_s = pid, interval_s
        self.peak = {"rss_mb": 0.0, "pss_mb": 0.0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            m = tree_memory_mb(self.pid)
            for k in self.peak:
                self.peak[k] = max(self.peak[k], m[k])
            self._stop.wait(self.interval_s)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# --------------------------------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): the smallest sample with at least q% of the samples at or below."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def describe(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": statistics.median(values), "p95": percentile(values, 95),
            "min": min(values), "max": max(values), "mean": statistics.fmean(values)}


# --------------------------------------------------------------------------------------------------
# One room
# --------------------------------------------------------------------------------------------------


class Learner:
    """One learner: a browser context with the Voila page, a driver for its first case widget."""

    def __init__(self, browser, server: H.ServerProcess) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(LAND_TIMEOUT_MS)
        self.page = self.context.new_page()
        self.console = H.ConsoleLog(self.page, H.VOILA_CONSOLE_ALLOW_LIST)
        self.t_open = time.monotonic()
        self.page.goto(server.base_url + "/", wait_until="commit", timeout=LAND_TIMEOUT_MS)
        self.land_s = float("nan")
        self.driver: C.CaseDriver | None = None
        self.wrong: C.Choice | None = None
        self.right: C.Choice | None = None

    def land(self, server: H.ServerProcess, number: int) -> None:
        """Wait for the case widget, go to its first question (the page was requested in __init__)."""
        remaining_ms = max(1000, LAND_TIMEOUT_MS - (time.monotonic() - self.t_open) * 1000)
        try:
            self.page.locator(".mslbp-case").first.wait_for(state="visible", timeout=remaining_ms)
        except Exception as exc:  # playwright TimeoutError: say what the learner sees instead
            shot = server.home / f"learner-{number}.png"
            self.page.screenshot(path=str(shot), full_page=True)
            raise H.HarnessError(
                f"learner {number}: no case widget after {LAND_TIMEOUT_MS / 1000:.0f} s (screenshot {shot}).\n"
                f"Page text: {self.page.inner_text('body')[:1500]!r}\nVoila log:\n{server.log_tail(6000)}"
            ) from exc
        self.land_s = time.monotonic() - self.t_open
        self.driver = C.CaseDriver(self.page)
        self.driver.advance_to_question()
        self.wrong, self.right = C.wrong_and_right(self.driver.question())

    def prepare(self, choice: C.Choice, first: bool) -> None:
        """Untimed: clear the last answer ("Try again"), tick `choice` and a confidence level."""
        d = self.driver
        assert d is not None
        if not first:
            d.button("Try again").click()
            self.page.wait_for_function(
                "([el, p]) => !new RegExp(p).test(el.innerText)", arg=[d.stage().element_handle(), VERDICT_RE]
            )
        d.button("Check answer").wait_for(state="visible")
        self.page.wait_for_function("el => !el.disabled", arg=d.button("Check answer").element_handle())
        for box in d.option_inputs(choice):
            box.click()
        d.confidence_button(3).click()

    def schedule(self, start_at_ms: float) -> None:
        d = self.driver
        assert d is not None
        self.page.evaluate(_JS_SCHEDULE_CLICK, [d.button("Check answer").element_handle(),
                                                d.stage().element_handle(), start_at_ms, VERDICT_RE])

    def sample(self) -> dict:
        self.page.wait_for_function("() => window.__mslbpSample !== null", timeout=120_000)
        return self.page.evaluate("() => window.__mslbpSample")

    def close(self) -> None:
        self.context.close()


def run_room(browser, n_learners: int, rounds: int, tmp: Path, voila_args: tuple[str, ...] = ()) -> dict:
    """Start a fresh Voila server, let `n_learners` land and answer `rounds` times at once; return the figures."""
    server = H.start_voila(tmp / f"voila-{n_learners}", H.REPO_ROOT / NOTEBOOK, extra_args=voila_args)
    learners: list[Learner] = []
    try:
        time.sleep(2)
        idle = tree_memory_mb(server.pid)
        load_before = os.getloadavg()
        with PeakSampler(server.pid) as sampler:
            t0 = time.monotonic()
            learners = [Learner(browser, server) for _ in range(n_learners)]
            for number, learner in enumerate(learners, start=1):
                learner.land(server, number)
            all_landed_s = time.monotonic() - t0
            time.sleep(2)
            landed = tree_memory_mb(server.pid)
            samples: list[float] = []
            lateness: list[float] = []
            for r in range(rounds):
                for learner in learners:
                    choice = learner.wrong if r % 2 == 0 else learner.right
                    assert choice is not None
                    learner.prepare(choice, first=r == 0)
                time.sleep(1.0)  # the answers have reached the kernels; every kernel idle before the clock starts
                start_at = time.time() * 1000 + 1500
                for learner in learners:
                    learner.schedule(start_at)
                for learner in learners:
                    s = learner.sample()
                    if "error" in s:
                        raise H.HarnessError(f"round {r + 1}: {s['error']}.\nVoila log:\n{server.log_tail()}")
                    expected = (learner.wrong if r % 2 == 0 else learner.right).result.verdict_label
                    if s["verdict"] != expected:
                        raise H.HarnessError(f"round {r + 1}: the page showed {s['verdict']!r}, the case engine "
                                             f"says {expected!r}")
                    samples.append(s["ms"])
                    lateness.append(s["late"])
            time.sleep(2)
            answered = tree_memory_mb(server.pid)
        load_after = os.getloadavg()
        saved = len(C.read_attempts(server.progress_file, learners[0].driver.case.id)) if learners else 0
        errors = [e for learner in learners for e in learner.console.unexpected()]
        iopub_timeouts = H.read_log(server).count("Timeout waiting for IOPub output")
        case_ids = {learner.driver.case.id for learner in learners if learner.driver}
    finally:
        for learner in learners:
            try:
                learner.close()
            except Exception:  # noqa: BLE001 - the server must stop whatever a page did
                pass
        server.stop()
    lands = [learner.land_s for learner in learners]
    per_learner = {k: (answered[k] - idle[k]) / n_learners for k in ("rss_mb", "pss_mb")}
    return {
        "learners": n_learners,
        "rounds": rounds,
        "case": sorted(case_ids),
        "click_to_feedback_ms": describe(samples),
        "click_start_spread_ms": {"max_late": max(lateness)},
        "land_s": {"p50": statistics.median(lands), "max": max(lands), "all_landed": all_landed_s},
        "memory_mb": {
            "server_alone": idle,
            "after_landing": landed,
            "after_answering": answered,
            "peak": sampler.peak,
            "per_learner": per_learner,
        },
        "attempts_saved": saved,
        "attempts_expected": n_learners * rounds,
        "console_errors": errors,
        "voila_iopub_timeouts": iopub_timeouts,
        "loadavg_before": load_before,
        "loadavg_after": load_after,
    }


def _versions(browser) -> dict[str, str]:
    from importlib.metadata import version

    out = {"python": platform.python_version(), "chromium": browser.version}
    for pkg in ("voila", "ipywidgets", "ipykernel", "jupyter_server", "playwright"):
        try:
            out[pkg] = version(pkg)
        except Exception:  # noqa: BLE001
            out[pkg] = "?"
    return out


def _per_learner(run: dict, key: str) -> float:
    return run["memory_mb"]["per_learner"][key]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10, help="learners at once (default 10)")
    parser.add_argument("--rounds", type=int, default=5, help="simultaneous clicks per learner (default 5)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON result file")
    parser.add_argument("--voila-arg", action="append", default=[], metavar="A",
                        help="extra Voila argument (repeatable), e.g. --voila-arg=--preheat_kernel=True")
    args = parser.parse_args(argv)
    voila_args = tuple(args.voila_arg)

    tmp = Path(tempfile.mkdtemp(prefix="mslbp-bench-classroom-"))
    with H.chromium() as browser:
        versions = _versions(browser)
        alone = run_room(browser, 1, args.rounds, tmp, voila_args)
        room = run_room(browser, args.learners, args.rounds, tmp, voila_args)

    ratio = {
        "p50": room["click_to_feedback_ms"]["p50"] / alone["click_to_feedback_ms"]["p50"],
        "p95": room["click_to_feedback_ms"]["p95"] / alone["click_to_feedback_ms"]["p95"],
        "memory_per_learner_rss": _per_learner(room, "rss_mb") / _per_learner(alone, "rss_mb"),
        "memory_per_learner_pss": _per_learner(room, "pss_mb") / _per_learner(alone, "pss_mb"),
    }
    result = {
        "benchmark": "bench_classroom",
        "notebook": NOTEBOOK,
        "voila_args": list(voila_args),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"cpus": os.cpu_count(), "memory_gb": round(os.sysconf("SC_PAGE_SIZE")
                                                               * os.sysconf("SC_PHYS_PAGES") / 1e9, 1),
                    "system": platform.system()},
        "versions": versions,
        "target_p95_ms": TARGET_P95_MS,
        "one_learner": alone,
        "room": room,
        "ratio_room_to_one": ratio,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")

    for label, r in (("1 learner", alone), (f"{args.learners} learners", room)):
        c, m = r["click_to_feedback_ms"], r["memory_mb"]
        print(f"{label:>12}: click->feedback p50 {c['p50']:6.0f} ms  p95 {c['p95']:6.0f} ms  max {c['max']:6.0f} ms "
              f"({c['n']} samples); landed p50 {r['land_s']['p50']:.1f} s, max {r['land_s']['max']:.1f} s; "
              f"memory per learner RSS {m['per_learner']['rss_mb']:.0f} MB, PSS {m['per_learner']['pss_mb']:.0f} MB "
              f"(server alone RSS {m['server_alone']['rss_mb']:.0f} MB; total after RSS "
              f"{m['after_answering']['rss_mb']:.0f} MB, PSS {m['after_answering']['pss_mb']:.0f} MB; peak RSS "
              f"{m['peak']['rss_mb']:.0f} MB); attempts saved {r['attempts_saved']} of {r['attempts_expected']}; "
              f"load average {r['loadavg_before'][0]:.2f} -> {r['loadavg_after'][0]:.2f}")
    verdict = "within" if room["click_to_feedback_ms"]["p95"] <= TARGET_P95_MS else "ABOVE"
    print(f"ratio {args.learners}/1: p50 {ratio['p50']:.2f}, p95 {ratio['p95']:.2f}, memory per learner RSS "
          f"{ratio['memory_per_learner_rss']:.2f}, PSS {ratio['memory_per_learner_pss']:.2f}")
    print(f"p95 at {args.learners} learners: {room['click_to_feedback_ms']['p95']:.0f} ms ({verdict} the target "
          f"{TARGET_P95_MS:.0f} ms). Result written to {args.out.name}")
    errors = alone["console_errors"] + room["console_errors"]
    if errors:
        print(f"browser console errors: {errors}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
