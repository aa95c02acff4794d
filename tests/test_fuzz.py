"""Fuzz and bomb suite: every untrusted input surface ends in a result or a named rejection, within a memory and
CPU ceiling, never a crash, a hang or a traceback.

Each surface runs in a child process under ``resource`` limits (:data:`MEMORY_CEILING`, :data:`CPU_SECONDS`), so a
segmentation fault (libyaml composing 30,000 levels), a runaway allocation (an alias bomb) or an endless loop fails
the test instead of the test run, and the input that did it is shown. Hypothesis generates the inputs inside the
child; every input is written to a file before it is fed, so even a crash names it. The bombs are generated here,
never committed.

To cover a new input (a hand-in folder, a new question type, images), add one :class:`Surface` to
:data:`SURFACES`: a name, how to feed one input (``feed(value, scratch_folder)``: return anything, or raise one of
the ``rejections``), a Hypothesis strategy of inputs, and optional bombs (name -> a function making one input).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
#: Memory ceiling of each child (address space: imports included).
MEMORY_CEILING = 2 << 30
#: CPU seconds of each child: a generous multiple of what the inputs need, far below a hang.
CPU_SECONDS = 60
#: Inputs Hypothesis tries per surface (kept modest: the whole suite runs in well under a minute).
MAX_EXAMPLES = int(os.environ.get("MSLBP_FUZZ_EXAMPLES", "40"))


# ------------------------------------------------------------------------------------------------ inputs


def _json_values() -> st.SearchStrategy:
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8),
                                                                                                inner, max_size=4),
                        max_leaves=12)


HOSTILE_TEXT = st.sampled_from([
    "<img src=x onerror=alert(1)>", "\x1b]0;title\x07\x1b[2J", "\u202egnp.json", "\ud800", "\udc80x",
    "=cmd|' /C calc'!A0",
    "a" * 5000, "", " ", "\x00", "{{7*7}}", "javascript:alert(1)", "line\nbreak", "0" * 400,
])


def _attempt() -> st.SearchStrategy:
    ids = st.sampled_from(["lhermitte-shock-on-neck-flexion", "classification", "first-impression", "trigger",
                           "disc", "lhermitte"])
    good = st.fixed_dictionaries({
        "attempt_id": st.text("0123456789abcdef", min_size=32, max_size=32),
        "case_id": st.just("lhermitte-shock-on-neck-flexion"),
        "question_id": st.sampled_from(["classification", "first-impression", "no-such-question"]),
        "selection": st.lists(ids, min_size=1, max_size=3, unique=True),
        "verdict": st.sampled_from(["correct", "partly-correct", "incorrect"]),
        "score": st.sampled_from([0.0, 0.5, 1.0]),
        "confidence": st.sampled_from([None, 1, 3, 5]),
        "time": st.sampled_from(["2026-11-21T11:00:00Z", "2026-11-21T10:00:00+01:00", "9999-12-31T23:59:59Z",
                                 "0001-01-01T00:00:00Z", "2026-11-21T11:00:00"]),
    })
    return st.one_of(good, good.flatmap(lambda a: st.sampled_from(list(a)).flatmap(
        lambda key: (_json_values() | HOSTILE_TEXT).map(lambda v: {**a, key: v}))))


def _export_docs() -> st.SearchStrategy:
    """Export documents: valid ones, ones with one field replaced by anything, and arbitrary JSON."""
    doc = st.fixed_dictionaries({
        "format": st.just("mslbp-attempts"), "version": st.just(1),
        "learner_id": st.sampled_from(["a" * 32, "b" * 32, "c" * 32]),
        "exported_at": st.sampled_from(["2026-11-21T12:00:00Z", "9999-12-31T23:59:59Z"]),
        "attempts": st.lists(_attempt(), max_size=6),
    })
    mutated = doc.flatmap(lambda d: st.sampled_from(list(d)).flatmap(
        lambda key: (_json_values() | HOSTILE_TEXT).map(lambda v: {**d, key: v})))
    extra = doc.flatmap(lambda d: (HOSTILE_TEXT | st.text(max_size=5)).map(lambda k: {**d, k: 1}))
    return st.one_of(doc, mutated, extra, _json_values())


def _export_bytes() -> st.SearchStrategy:
    as_json = _export_docs().flatmap(lambda d: st.booleans().map(
        lambda ascii_: json.dumps(d, ensure_ascii=ascii_).encode("utf-8", "surrogatepass")))
    cut = as_json.flatmap(lambda b: st.integers(0, len(b)).map(lambda n: b[:n]))
    return st.one_of(as_json, cut, st.binary(max_size=200))


def _case_texts() -> st.SearchStrategy:
    """Case files: the example case with one field replaced, arbitrary YAML, arbitrary text."""
    import yaml
    from helpers import case_dict

    base = case_dict()
    mutated = st.sampled_from(list(base)).flatmap(
        lambda key: (_json_values() | HOSTILE_TEXT).map(lambda v: yaml.safe_dump({**base, key: v})))
    stage_text = HOSTILE_TEXT.map(lambda t: yaml.safe_dump(
        {**base, "stages": [{**base["stages"][0], "text": t}, *base["stages"][1:]]}))
    any_yaml = _json_values().map(lambda v: yaml.safe_dump(v))
    flow = st.text(alphabet="[]{}:,&*!|>-'\"\n #ab", max_size=200)
    return st.one_of(mutated, stage_text, any_yaml, flow, st.text(max_size=200))


# ------------------------------------------------------------------------------------------------ feeding


def _sendable(*texts: object) -> None:
    """Everything the page or the terminal will show can be encoded (no lone surrogates)."""
    for t in texts:
        str(t).encode("utf-8")


def feed_yaml(text: str | bytes, scratch: Path) -> Any:
    from mslbp_widgets.logic.yamlfile import read_yaml

    path = scratch / "data.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    data, problems = read_yaml(path)
    _sendable(*problems)
    return data


def feed_case(text: str | bytes, scratch: Path) -> Any:
    from mslbp_widgets.logic.cases.loading import load_cases
    from mslbp_widgets.logic.errors import CaseValidationError

    folder = scratch / "cases"
    folder.mkdir(exist_ok=True)
    path = folder / "lhermitte-shock-on-neck-flexion.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    try:
        return load_cases([folder])
    except CaseValidationError as exc:
        _sendable(exc, *exc.problems)
        raise


def feed_export(raw: bytes, scratch: Path) -> Any:
    from mslbp_widgets.logic.errors import ExportFormatError
    from mslbp_widgets.logic.export_format import parse_export

    try:
        return parse_export(raw, "learner.json")
    except ExportFormatError as exc:
        _sendable(exc, exc.detail)
        raise


def feed_tally(files: list[bytes], scratch: Path) -> Any:
    from helpers import example_library

    from mslbp_widgets.classroom.exports import load_exports
    from mslbp_widgets.classroom.summary import summary_csv
    from mslbp_widgets.classroom.tally import tally

    folder = scratch / "exports"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for i, raw in enumerate(files):
        (folder / f"learner-{i:03d}.json").write_bytes(raw)
    data = load_exports(folder)
    for r in data.reports:
        _sendable(r.name, r.detail)
    result = tally(data, example_library())
    _sendable(summary_csv(result))
    return result


def feed_import(raw: bytes, scratch: Path) -> Any:
    """A learner's resume upload into a log that has an answer, and the same bytes found as the progress file."""
    from mslbp_widgets.logic.errors import ExportFormatError, OtherLearnerError
    from mslbp_widgets.logic.progress import ProgressLog

    for old in scratch.iterdir():
        if old.is_file():
            old.unlink()
    log = ProgressLog(scratch / "attempts.json")
    mine = log.add("lhermitte-shock-on-neck-flexion", "classification", ["lhermitte"], "correct", 1.0, 3)
    try:
        log.import_export(raw, "upload.json")
    except (ExportFormatError, OtherLearnerError) as exc:  # another learner's file is never merged: it is named
        _sendable(exc)
    assert mine.attempt_id in {a.attempt_id for a in log.attempts()}, "an upload cost the learner an answer"
    (scratch / "attempts.json").write_bytes(raw)
    reopened = ProgressLog(scratch / "attempts.json")
    _sendable(*reopened.warnings)
    return reopened.attempts()


# ------------------------------------------------------------------------------------------------ bombs


def _deep_yaml(n: int = 30_000) -> str:
    return "id: x\nstages: " + "[" * n + "]" * n + "\n"


def _alias_bomb(depth: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


def _export_with(attempts: str, learner: str = "a" * 32) -> bytes:
    return ('{"format": "mslbp-attempts", "version": 1, "learner_id": "' + learner + '", "exported_at": '
            '"2026-11-21T12:00:00Z", "attempts": [' + attempts + "]}").encode()


def _valid_attempts(n: int) -> str:
    one = ('{"attempt_id": "%032x", "case_id": "lhermitte-shock-on-neck-flexion", "question_id": "classification", '
           '"selection": ["lhermitte"], "verdict": "correct", "score": 1.0, "confidence": 3, '
           '"time": "2026-11-21T11:00:00Z"}')
    return ",".join(one % i for i in range(n))


def _empty_attempts(n: int = 100_000) -> bytes:
    return _export_with(",".join(["{}"] * n))


def _deep_json(n: int = 30_000) -> bytes:
    return _export_with("[" * n + "]" * n)


def _huge_string(n: int = 5_000_000) -> bytes:
    return _export_with('{"attempt_id": "' + "a" * n + '"}')


def _surrogates() -> bytes:
    return _export_with('{"attempt_id": "\\ud800", "\\udc80": "\\udfff"}').replace(b'"format"', b'"\\udc80": 1, '
                                                                                             b'"format"')


def _controls() -> bytes:
    return _export_with('{"attempt_id": "\\u001b]52;c;cm0gLXJm\\u0007", "case_id": "\\u202egnp"}')


# ------------------------------------------------------------------------------------------------ the table


@dataclass(frozen=True)
class Surface:
    """One untrusted input surface: how to feed it, what it may reject with, what to try, which bombs to drop."""

    name: str
    feed: Callable[[Any, Path], Any]
    rejections: tuple[str, ...]  # exception class names ("module:Class") that count as a named rejection
    inputs: Callable[[], st.SearchStrategy]
    bombs: dict[str, Callable[[], Any]] = field(default_factory=dict)


_EXPORT_ERROR = ("mslbp_widgets.logic.errors:ExportFormatError",)
SURFACES: tuple[Surface, ...] = (
    Surface("yaml-loader", feed_yaml, (), lambda: _case_texts() | st.binary(max_size=200),
            {"deep-30000": _deep_yaml, "alias-bomb-9": _alias_bomb, "huge-string": lambda: "a: " + "x" * 999_000,
             "control-chars": lambda: 'a: "\\e]0;t\\a\\e[2J"\nb: "\\ud800"\n'}),
    Surface("case-loader", feed_case, ("mslbp_widgets.logic.errors:CaseValidationError",), _case_texts,
            {"deep-30000": _deep_yaml, "alias-bomb-9": _alias_bomb,
             "control-chars": lambda: 'id: x\ntitle: "\\e]0;t\\a"\n'}),
    Surface("export-reader", feed_export, _EXPORT_ERROR, _export_bytes,
            {"empty-attempts-100k": _empty_attempts, "empty-attempts-666k": lambda: _empty_attempts(666_000),
             "valid-attempts-100k": lambda: _export_with(_valid_attempts(100_000)), "deep-30000": _deep_json,
             "huge-string": _huge_string, "surrogates": _surrogates, "control-chars": _controls}),
    Surface("class-tally", feed_tally, (), lambda: st.lists(_export_bytes(), max_size=6),
            {"300-learners": lambda: [_export_with(_valid_attempts(40), f"{i:032x}") for i in range(300)],
             "bombs-mixed": lambda: [_empty_attempts(), _deep_json(), _surrogates(), _controls(), _huge_string(),
                                     _export_with(_valid_attempts(5))]}),
    Surface("learner-import", feed_import, (), _export_bytes,
            {"empty-attempts-100k": _empty_attempts, "valid-attempts-100k": lambda: _export_with(
                _valid_attempts(100_000)), "deep-30000": _deep_json, "surrogates": _surrogates,
             "huge-string": _huge_string}),
)
BY_NAME = {s.name: s for s in SURFACES}


# ------------------------------------------------------------------------------------------------ the child


def _limit() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def _rejected(surface: Surface, exc: BaseException) -> bool:
    import importlib

    for spec in surface.rejections:
        module, name = spec.split(":")
        if isinstance(exc, getattr(importlib.import_module(module), name)):
            return True
    return False


def _feed_once(surface: Surface, value: Any, scratch: Path, last: Path) -> None:
    last.write_text(repr(value)[:2000], encoding="utf-8", errors="backslashreplace")
    try:
        surface.feed(value, scratch)
    except Exception as exc:
        if not _rejected(surface, exc):
            raise


def child_surface(name: str, last: str) -> None:
    """In the child process, under the limits: feed every bomb of one surface (printing its size, CPU time and the
    peak memory so far), then let Hypothesis try :data:`MAX_EXAMPLES` inputs."""
    import resource

    _limit()
    surface = BY_NAME[name]
    scratch = Path(tempfile.mkdtemp(prefix=f"fuzz-{name}-"))
    for bomb, make in surface.bombs.items():
        value = make()
        size = sum(len(v) for v in value) if isinstance(value, list) else len(value)
        start = time.process_time()
        _feed_once(surface, value, scratch, Path(last))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"FIGURES {name} {bomb}: {size:,} bytes, {time.process_time() - start:.2f} s CPU, peak {peak:.0f} MB")

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(surface.inputs())
    def run(value: Any) -> None:
        _feed_once(surface, value, scratch, Path(last))

    run()


def _run_child(call: str, tmp_path: Path) -> subprocess.CompletedProcess:
    last = tmp_path / "last-input.txt"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(TESTS)])}
    code = f"import test_fuzz as F; {call.replace('LAST', repr(str(last)))}"
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=CPU_SECONDS * 3)
    if r.returncode != 0:
        shown = last.read_text(encoding="utf-8") if last.exists() else "(none)"
        how = f"killed by signal {-r.returncode}" if r.returncode < 0 else f"exit {r.returncode}"
        pytest.fail(f"{call}: {how}.\nLast input: {shown}\n--- output ---\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return r


@pytest.mark.parametrize("name", [s.name for s in SURFACES])
def test_every_input_ends_in_a_result_or_a_named_rejection_within_the_ceiling(name: str, tmp_path: Path) -> None:
    r = _run_child(f"F.child_surface({name!r}, LAST)", tmp_path)
    figures = [line for line in r.stdout.splitlines() if line.startswith("FIGURES")]
    assert len(figures) == len(BY_NAME[name].bombs), r.stdout + r.stderr
    print("\n".join(figures))


def test_the_child_reports_a_crash_with_its_input(tmp_path: Path) -> None:
    """The harness can fail: a surface that dies of a signal is reported as killed, with the input shown."""
    crash = "import os, signal; F._limit(); open(LAST, 'w').write('the crashing input'); os.kill(os.getpid(), 11)"
    with pytest.raises(pytest.fail.Exception, match=r"killed by signal 11\.\nLast input: the crashing input"):
        _run_child(crash, tmp_path)
