"""The command line (mslbp_widgets/__main__.py): validate, new-case, preview, as an instructor runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "cases"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mslbp_widgets", *args], capture_output=True, text=True, timeout=120)


def test_validate_valid_files_exits_0() -> None:
    r = run("validate", str(FIXTURES / "ok-minimal.yaml"), str(FIXTURES / "ok-check.yaml"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "OK: 1 case(s) and 1 check set(s) are valid" in r.stdout


def test_validate_reports_one_line_per_problem_and_exits_1() -> None:
    path = FIXTURES / "ko-many-problems.yaml"
    r = run("validate", str(path))
    assert r.returncode == 1
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert "3 problems found; nothing was loaded." in r.stderr


def test_validate_defaults_to_the_course_data() -> None:
    r = run("validate")
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[-2].startswith("OK: ") and lines[-1].startswith("Item-writing figures: ")
    assert all(line.startswith("warning: ") for line in lines[:-2])


def test_unknown_command_is_a_usage_error() -> None:
    r = run("frobnicate")
    assert r.returncode == 2
    assert "invalid choice" in r.stderr


def test_hub_link_prints_the_link_then_a_table_of_every_notebook() -> None:
    from mslbp_widgets.logic.hublinks import course_notebooks, pull_link

    r = run("hub-link", "--hub", "https://hub.example.edu/")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == pull_link("https://hub.example.edu")
    assert lines[0].endswith("&urlpath=lab%2Ftree%2Fms-low-back-pain%2Fnotebooks%2F00_start_here.ipynb")
    assert lines[1] == "" and lines[2] == "| Notebook | JupyterLab | Voila (no code shown) |"
    assert len(lines) == 4 + len(course_notebooks())


def test_hub_link_voila_fork_branch_and_notebook() -> None:
    r = run("hub-link", "--hub", "https://hub.example.edu", "--repo", "https://github.com/me/my-course",
            "--branch", "spring", "--open", "voila", "--notebook", "05")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == (
        "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fme%2Fmy-course"
        "&branch=spring&targetpath=my-course&urlpath=voila%2Frender%2Fmy-course%2Fnotebooks%2F"
        "05_red_flags_and_other_causes.ipynb")


def test_hub_link_errors_are_one_clear_line_and_exit_2() -> None:
    r = run("hub-link", "--hub", "hub.example.edu")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == ("error: --hub: 'hub.example.edu' must start with https:// (or http://) "
                                "(did you mean https://hub.example.edu?)")
    r = run("hub-link", "--hub", "https://h.example", "--repo", "git@github.com:me/x.git")
    assert r.returncode == 2 and "SSH address" in r.stderr
    r = run("hub-link")
    assert r.returncode == 2 and "--hub" in r.stderr
