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


def _case_with_escapes(folder: Path) -> Path:
    """The example case with ANSI/OSC escape sequences in its text and in an unknown field's name (made here)."""
    import yaml
    from helpers import CASE_ID, case_dict

    data = case_dict()
    data["summary"] = "Clear screen \x1b[2J\x1b[H, retitle \x1b]0;pwned\x07, clipboard \x1b]52;c;cm0gLXJmIH4=\x07."
    data["stages"][0]["text"] += "\n\nBell\x07 and backspace\x08."
    data["\x1b[31mred-field"] = "x"
    path = folder / f"{CASE_ID}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "\\e" in path.read_text(encoding="utf-8")  # YAML writes ESC as \e, which loads back as ESC
    return path


def test_validate_names_control_characters_and_prints_none_of_them(tmp_path: Path) -> None:
    """Case text with ANSI/OSC sequences once passed validate, and preview printed them raw (clear screen, window
    title, clipboard write); validate echoed unknown field names raw."""
    path = _case_with_escapes(tmp_path)
    r = run("validate", str(path))
    out = r.stdout + r.stderr
    assert r.returncode == 1
    assert not any(ch in out for ch in "\x1b\x07\x08"), repr(out)
    assert f"{path}: summary: holds control characters ([U+001B], [U+0007])" in out
    assert f"{path}: stages[0] (presentation).text: holds control characters ([U+0007], [U+0008])" in out
    assert "[U+001B][31mred-field" in out  # the unknown field is named, visibly


def test_preview_prints_no_control_characters(tmp_path: Path) -> None:
    path = _case_with_escapes(tmp_path)
    r = run("preview", str(path))
    out = r.stdout + r.stderr
    assert r.returncode == 1 and "The case is not valid yet" in r.stderr
    assert not any(ch in out for ch in "\x1b\x07\x08") and "[U+001B]" in out
