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
    numbers = [int(line[len(str(path)) + 1:].split(":")[0]) for line in lines]
    assert numbers == sorted(numbers)  # from the top of the file down
    assert "3 problems found; nothing was loaded." in r.stderr


def test_validate_defaults_to_the_course_data() -> None:
    r = run("validate")
    assert r.returncode == 0, r.stdout + r.stderr
    head, *lines = r.stdout.splitlines()
    assert head == "Data folder: data (references: data/references.yaml)"
    ok = next(n for n, line in enumerate(lines) if line.startswith("OK: "))
    assert all(line.startswith("warning: ") for line in lines[:ok])
    assert lines[ok + 1].startswith("Item-writing figures: ")
    assert lines[ok + 2].startswith("Case bank: ") and "of 21 scenario types covered" in lines[ok + 2]
    assert all(line.startswith("note: scenario type ") for line in lines[ok + 3:])  # types short of their target


def test_validate_counts_a_folders_cases_by_scenario_type_and_notes_the_types_short_of_target(tmp_path) -> None:
    data = copy_data_folder(tmp_path)
    for path in (data / "cases").glob("*.yaml"):
        if "scenario: mixed" not in path.read_text(encoding="utf-8"):
            path.unlink()
    r = run("validate", str(data / "cases"))
    assert r.returncode == 0, r.stdout + r.stderr
    kept = len(list((data / "cases").glob("*.yaml")))
    assert f"Case bank: {kept} case(s); 1 of 21 scenario types covered;" in r.stdout
    notes = [line for line in r.stdout.splitlines() if line.startswith("note: scenario type ")]
    assert len(notes) == 20 + (kept < 2)
    assert "note: scenario type 'aortic-aneurysm' (Aortic aneurysm) has 0 case(s); the course aims for 1." in notes
    one = run("validate", str(next((data / "cases").glob("*.yaml"))))  # one file: the count, no notes
    assert "Case bank: 1 case(s); 1 of 21" in one.stdout and "note: " not in one.stdout


def test_validate_names_a_broken_scenario_list(tmp_path) -> None:
    data = copy_data_folder(tmp_path)
    (data / "scenarios.yaml").write_text("mixed:\n  label: Mixed\n  target: none\n", encoding="utf-8")
    r = run("validate", str(data / "cases" / "three-pains-in-one-back.yaml"))
    assert "Scenario types not counted:" in r.stdout
    assert "scenarios.yaml" in r.stdout and "mixed.description" in r.stdout and "mixed.target" in r.stdout


def test_unknown_command_is_a_usage_error() -> None:
    r = run("frobnicate")
    assert r.returncode == 2
    assert "invalid choice" in r.stderr


def copy_data_folder(tmp_path: Path) -> Path:
    """A copy of the course's data folder (cases, checks, diagrams, references) elsewhere, as an author makes one."""
    import shutil

    data = tmp_path / "mycourse" / "data"
    shutil.copytree(Path(__file__).parents[1] / "data", data, ignore=shutil.ignore_patterns("sample-exports"))
    return data


def test_validate_names_the_data_folder_and_references_file_it_used(tmp_path: Path) -> None:
    data = copy_data_folder(tmp_path)
    r = run("validate", str(data / "cases"), str(data / "checks"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[0] == f"Data folder: {data} (references: {data / 'references.yaml'})"
    r = subprocess.run([sys.executable, "-m", "mslbp_widgets", "validate", "data/cases"], capture_output=True,
                       text=True, timeout=120, cwd=data.parent)  # from the copy's course folder: relative paths
    assert r.stdout.splitlines()[0] == "Data folder: data (references: data/references.yaml)", r.stdout


def test_a_copied_data_folder_reads_its_own_references(tmp_path: Path) -> None:
    data = copy_data_folder(tmp_path)
    refs = data / "references.yaml"
    refs.write_text(refs.read_text(encoding="utf-8").replace("\ntruini-2013:", "\ntruini-2013-renamed:"),
                    encoding="utf-8")
    r = run("validate", str(data / "cases" / "lhermitte-shock-on-neck-flexion.yaml"))
    assert r.returncode == 1, r.stdout + r.stderr
    problems = [line for line in r.stdout.splitlines() if "truini-2013" in line]
    assert problems and all(re.match(rf"{re.escape(str(data))}/cases/lhermitte-shock-on-neck-flexion\.yaml:\d+:\d+: ",
                                     line) for line in problems)
    assert all(f"unknown reference key 'truini-2013': add it to {refs.as_posix()} or fix it" in line
               for line in problems)


def test_one_file_whose_id_clashes_with_a_course_case_fails_naming_both_files(tmp_path: Path) -> None:
    root = Path(__file__).parents[1]
    shipped = root / "data" / "cases" / "lhermitte-shock-on-neck-flexion.yaml"
    draft = tmp_path / "drafts" / shipped.name
    draft.parent.mkdir()
    draft.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    r = run("validate", str(draft))
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stdout.splitlines()[1:] == [
        f"{draft}:1:1: id: the id 'lhermitte-shock-on-neck-flexion' is already used by "
        "data/cases/lhermitte-shock-on-neck-flexion.yaml: ids must be unique across the course's cases and check "
        "sets; choose another id (and name the file after it)"]
    assert "1 problem found; nothing was loaded." in r.stderr
    r = run("validate", str(shipped))  # the shipped file itself, validated on its own: no clash with itself
    assert r.returncode == 0, r.stdout + r.stderr


def test_one_file_whose_id_clashes_with_another_file_of_its_folder(tmp_path: Path) -> None:
    minimal = (FIXTURES / "ok-minimal.yaml").read_text(encoding="utf-8")
    (tmp_path / "ok-minimal.yaml").write_text(minimal, encoding="utf-8")
    (tmp_path / "renamed.yaml").write_text(minimal, encoding="utf-8")  # same id, another file name
    r = run("validate", str(tmp_path / "ok-minimal.yaml"))
    assert r.returncode == 1
    assert f"is already used by {tmp_path / 'renamed.yaml'}: ids must be unique" in r.stdout


def test_preview_shows_each_instruction_once_findings_and_full_citations() -> None:
    case = Path(__file__).parents[1] / "data" / "cases" / "sudden-midline-pain-after-steroid-courses.yaml"
    r = run("preview", str(case), "--answers")
    assert r.returncode == 0, r.stderr
    flat = " ".join(r.stdout.split())
    assert flat.lower().count("all that apply") == 2  # two multiple-choice prompts, each saying it once
    assert "Findings:\n  - Sudden onset when she dropped heavily into a chair" in r.stdout
    assert "Downie A, Williams CM, Henschke N, et al. Red flags to screen for malignancy and fracture" in flat
    assert "References: " not in r.stdout  # never a line of bare keys


def test_hub_link_prints_the_link_then_a_table_of_every_notebook() -> None:
    from mslbp_widgets.logic.hublinks import course_notebooks, pull_link

    r = run("hub-link", "--hub", "https://hub.example.edu/")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == pull_link("https://hub.example.edu")
    assert lines[0].endswith("&urlpath=lab%2Ftree%2Fms-low-back-pain%2Fnotebooks%2F00_start_here.ipynb")
    assert lines[1] == "" and lines[2] == "| Notebook | JupyterLab | Voila (no code shown) |"
    assert len(lines) == 4 + len(course_notebooks())
    # How the hub's JupyterLab opens without the news pop-up: told to the admin, never mixed into the links.
    assert "jupyterlab-settings/overrides.json to {sys.prefix}/share/jupyter/lab/settings/overrides.json" in r.stderr
    assert "overrides.json" not in r.stdout


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
    where = rf"{re.escape(str(path))}:\d+:\d+: "  # file:line:column
    assert re.search(where + r"summary: holds control characters \(\[U\+001B\], \[U\+0007\]\)", out), out
    assert re.search(where + r"stages\[0\] \(presentation\)\.text: holds control characters "
                             r"\(\[U\+0007\], \[U\+0008\]\)", out), out
    assert "[U+001B][31mred-field" in out  # the unknown field is named, visibly


def test_preview_prints_no_control_characters(tmp_path: Path) -> None:
    path = _case_with_escapes(tmp_path)
    r = run("preview", str(path))
    out = r.stdout + r.stderr
    assert r.returncode == 1 and "The case is not valid yet" in r.stderr
    assert not any(ch in out for ch in "\x1b\x07\x08") and "[U+001B]" in out


def test_preview_takes_a_course_case_id_as_well_as_a_file() -> None:
    by_id = run("preview", "lhermitte-shock-on-neck-flexion")
    by_file = run("preview", "data/cases/lhermitte-shock-on-neck-flexion.yaml")
    assert by_id.returncode == 0 and by_id.stdout == by_file.stdout and "Lhermitte" in by_id.stdout
    typo = run("preview", "lhermite-shock-on-neck-flexion")
    assert typo.returncode == 1 and "Did you mean 'lhermitte-shock-on-neck-flexion'?" in typo.stderr
