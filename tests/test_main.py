"""The command line (mslbp_widgets/__main__.py): validate, new-case, preview, as an instructor runs them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "cases"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mslbp_widgets", *args], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[1])


def test_validate_valid_files_exits_0() -> None:
    r = run("validate", str(FIXTURES / "ok-minimal.yaml"), str(FIXTURES / "ok-check.yaml"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "OK: 1 case(s) and 1 check set(s) are valid" in r.stdout


def test_validate_reports_one_line_per_problem_and_exits_1() -> None:
    path = FIXTURES / "ko-many-problems.yaml"
    r = run("validate", str(path))
    assert r.returncode == 1
    head, *lines = r.stdout.strip().splitlines()
    assert head.startswith("Data folder: ")
    assert len(lines) == 3
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: \S", line) for line in lines), lines
    assert "3 problems found; nothing was loaded." in r.stderr


def test_validate_defaults_to_the_course_data() -> None:
    r = run("validate")
    assert r.returncode == 0, r.stdout + r.stderr
    head, *lines = r.stdout.splitlines()
    assert head == "Data folder: data (references: data/references.yaml)"
    assert lines[-2].startswith("OK: ") and lines[-1].startswith("Item-writing figures: ")
    assert all(line.startswith("warning: ") for line in lines[:-2])


def test_unknown_command_is_a_usage_error() -> None:
    r = run("frobnicate")
    assert r.returncode == 2
    assert "invalid choice" in r.stderr
