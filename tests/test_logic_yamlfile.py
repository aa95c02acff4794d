"""Reading one YAML file (logic/yamlfile.py): size, UTF-8, syntax with line and column, dates as text, and bombs
(deep nesting, aliases) refused as named problems within a memory and time ceiling."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mslbp_widgets.logic.datafiles import load_yaml_file
from mslbp_widgets.logic.errors import DataValidationError, Problem
from mslbp_widgets.logic.yamlfile import MAX_DATA_FILE_BYTES, read_yaml


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("pathways: []\n" + "#" * MAX_DATA_FILE_BYTES, encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_yaml_file(big, "pathways", "pathway explorer data")
    assert info.value.problems == [Problem(str(big), "", f"file is {big.stat().st_size:,} bytes; a data file may be "
                                                         "at most 1,000,000 bytes")]
    small, problems = read_yaml(big, max_bytes=10 * MAX_DATA_FILE_BYTES)
    assert small == {"pathways": []} and problems == []


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("caveat: caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataValidationError, match="latin.yaml: not UTF-8 text: save the file as UTF-8"):
        load_yaml_file(latin, "features", "feature checklist")


def test_bad_yaml_is_reported_with_its_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("caveat: fine\ngroups:\n  - id: a\n   label: misaligned\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_yaml_file(bad, "features", "feature checklist")
    (problem,) = info.value.problems
    assert problem.file == str(bad)
    assert (problem.field, problem.line) == ("", 4) and problem.column is not None
    assert str(problem).startswith(f"{bad}:4:{problem.column}: not valid YAML")
    assert problem.message.startswith("not valid YAML") and "check indentation" in problem.message


def test_missing_and_empty_files_are_clear(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="nothing.yaml: file not found"):
        load_yaml_file(tmp_path / "nothing.yaml", "features", "feature checklist")
    empty = tmp_path / "empty.yaml"
    empty.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="empty.yaml: the file is empty"):
        load_yaml_file(empty, "features", "feature checklist")


def test_dates_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "dated.yaml"
    path.write_text("last_reviewed: 2026-11-21\n", encoding="utf-8")
    assert read_yaml(path) == ({"last_reviewed": "2026-11-21"}, [])


def _bombs() -> dict[str, str]:
    """Hostile YAML made here, never committed: deep nesting (crashed libyaml's recursive composer) and an alias
    bomb (a few hundred bytes that expand into gigabytes)."""
    laughs = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    laughs += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return {
        "deep-flow": "id: x\nstages: " + "[" * 30000 + "]" * 30000 + "\n",
        "deep-block": "".join("  " * i + "- \n" for i in range(200)),
        "alias-bomb": "\n".join(laughs) + "\n",
    }


@pytest.mark.parametrize("kind", ["deep-flow", "deep-block", "alias-bomb"])
def test_yaml_bombs_are_named_problems_within_a_memory_and_time_ceiling(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.yaml"
    path.write_text(_bombs()[kind], encoding="utf-8")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "resource.setrlimit(resource.RLIMIT_CPU, (30, 30))\n"
        "from mslbp_widgets.logic.yamlfile import read_yaml\n"
        "data, problems = read_yaml(sys.argv[1])\n"
        "print(data is None, '|'.join(str(p) for p in problems))\n"
    )
    r = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"crashed or killed (exit {r.returncode}): {r.stderr[-500:]}"
    expected = "uses a YAML alias" if kind == "alias-bomb" else "nested more than 40 levels deep"
    assert r.stdout.startswith("True ") and expected in r.stdout and str(path) in r.stdout, r.stdout


def test_a_bomb_case_file_fails_validation_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "deep.yaml").write_text(_bombs()["deep-flow"], encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "mslbp_widgets", "validate", str(folder)], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "deep.yaml:2:48: nested more than 40 levels deep" in r.stdout


def test_anchors_without_aliases_and_ordinary_nesting_still_load(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("a: &first [1, 2]\nb: {c: [[[[1]]]]}\n", encoding="utf-8")
    assert read_yaml(path) == ({"a": [1, 2], "b": {"c": [[[[1]]]]}}, [])
