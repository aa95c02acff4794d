"""Authoring: `new-case` scaffolds a valid case that never overwrites; `preview` prints a case as a learner reads it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from mslbp_widgets.__main__ import main
from mslbp_widgets.logic.authoring import AuthoringError, new_case, preview_text, scaffold_text, todo_fields
from mslbp_widgets.logic.cases.loading import load_case_file, load_case_folder
from mslbp_widgets.logic.errors import CaseValidationError

EXAMPLE = Path(__file__).parent.parent / "data" / "cases" / "lhermitte-shock-on-neck-flexion.yaml"


def letter_of(question_id: str, text_start: str) -> str:
    """The letter learners see for an option of the example case (`Question.display_options()`)."""
    q = load_case_file(EXAMPLE).question(question_id)
    return next("ABCDEFGHIJ"[i] for i, o in enumerate(q.display_options()) if o.text.startswith(text_start))


def test_scaffold_is_a_valid_case(tmp_path: Path) -> None:
    path = new_case("burning-band-after-relapse", folder=tmp_path)
    assert path == tmp_path / "burning-band-after-relapse.yaml"
    case = load_case_file(path)  # raises CaseValidationError if invalid
    assert case.id == "burning-band-after-relapse"
    assert case.synthetic is True and case.kind == "case"
    assert case.last_reviewed == dt.date.today().isoformat()
    assert [q.type for q in case.questions] == ["single", "multiple"]
    assert case.facilitator_notes and case.facilitator_notes.startswith("TODO")


def test_scaffolded_check_set_is_valid_as_a_check(tmp_path: Path) -> None:
    new_case("check-99-practice", folder=tmp_path, kind="check")
    lib = load_case_folder(tmp_path, kind="check")
    assert lib["check-99-practice"].kind == "check"


def test_every_text_is_a_marked_placeholder(tmp_path: Path) -> None:
    path = new_case("new-one", folder=tmp_path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    todos = todo_fields(path)
    for field in ("title", "summary", "facilitator_notes", "next_step", "stages[0].text",
                  "stages[0].question.prompt", "stages[0].question.options[0].feedback",
                  "stages[1].question.options[1].text"):
        assert field in todos
    assert raw["stages"][0]["question"]["options"][0]["correct"] is True


def test_validate_command_accepts_the_scaffold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-case", "a-new-case", "--folder", str(tmp_path)]) == 0
    assert "Created" in capsys.readouterr().out
    assert main(["validate", str(tmp_path / "a-new-case.yaml")]) == 0


def test_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = new_case("mine", folder=tmp_path)
    path.write_text("my work", encoding="utf-8")
    with pytest.raises(AuthoringError, match="refusing to overwrite"):
        new_case("mine", folder=tmp_path)
    assert main(["new-case", "mine", "--folder", str(tmp_path)]) == 1
    assert "refusing to overwrite" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "my work"


def test_refuses_an_id_already_used_by_another_file(tmp_path: Path) -> None:
    (tmp_path / "other-name.yaml").write_text("id: taken-id\n", encoding="utf-8")
    with pytest.raises(AuthoringError, match="already used"):
        new_case("taken-id", folder=tmp_path)


def test_refuses_an_id_of_the_course_case_bank(tmp_path: Path) -> None:
    with pytest.raises(AuthoringError, match="already used"):
        new_case("lhermitte-shock-on-neck-flexion", folder=tmp_path)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("bad", ["My Case", "case_1", "-leading", "double--hyphen", "", "x" * 81, "Café",
                                 "ends-in-newline\n", "tab\tinside", "escape-\x1b[2j", "ｆｕｌｌ", "dotted.id"])
def test_bad_ids_are_clear_errors(tmp_path: Path, bad: str) -> None:
    with pytest.raises(AuthoringError, match="case id"):
        new_case(bad, folder=tmp_path)
    assert not list(tmp_path.iterdir())


def test_bad_id_error_suggests_a_fix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["new-case", "Back Pain Case", "--folder", str(tmp_path)]) == 1
    assert "`back-pain-case`" in capsys.readouterr().err


def test_folder_that_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(AuthoringError, match="is a file"):
        new_case("ok-id", folder=f)


def test_scaffold_text_rejects_unknown_kind() -> None:
    with pytest.raises(AuthoringError, match="kind"):
        scaffold_text("ok-id", kind="quiz")


def test_preview_shows_learner_view_without_answers() -> None:
    text = preview_text(EXAMPLE)
    assert text.startswith("An electric shock down the back when she looks down\n")
    assert "Synthetic case" in text
    assert "Stage 2: History and examination" in text
    disc = letter_of("classification", "Disc")
    assert f"{disc}. Disc herniation with sciatica" in text
    assert "(choose all that apply)" in text
    # the answer key, feedback and facilitator notes stay hidden
    assert "[Best answer]" not in text and "[Should be ticked]" not in text and "Feedback:" not in text
    assert "Facilitator notes" not in text and "Common misconception" not in text


def test_preview_with_answers_for_the_instructor() -> None:
    text = preview_text(EXAMPLE, answers=True)
    assert f"{letter_of('classification', 'Lhermitte')}. [Best answer] Lhermitte's sign" in text
    assert "[Acceptable, but not the best] Whether she lifted" in text
    assert "Feedback: Radicular pain follows one root" in text
    assert "Facilitator notes (instructors only)" in text


def test_preview_command_and_todo_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = new_case("draft-case", folder=tmp_path)
    assert main(["preview", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "Stage 1: Presentation" in out
    assert "still contain TODO" in err and "summary" in err


def test_preview_of_an_invalid_case_lists_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = new_case("broken-case", folder=tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("synthetic: true", "synthetic: false"),
                    encoding="utf-8")
    with pytest.raises(CaseValidationError):
        preview_text(path)
    assert main(["preview", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "synthetic" in out and "not valid yet" in err


# ------------------------------------------------------------------------------ instructor walkthrough fixes


@pytest.fixture()
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A course folder with its own data/ (MSLBP_DATA_DIR), as the working folder."""
    folder = tmp_path / "course"
    (folder / "data" / "cases").mkdir(parents=True)
    (folder / "data" / "checks").mkdir()
    monkeypatch.setenv("MSLBP_DATA_DIR", str(folder / "data"))
    monkeypatch.chdir(folder)
    return folder


def test_scaffold_names_its_own_file_in_the_commands(course: Path) -> None:
    path = new_case("burning-band-after-relapse")
    text = path.read_text(encoding="utf-8")
    assert "{this file}" not in text and "{" not in text.split("id:")[0]
    assert "#   .venv/bin/python -m mslbp_widgets validate data/cases/burning-band-after-relapse.yaml" in text
    assert "#   .venv/bin/python -m mslbp_widgets preview data/cases/burning-band-after-relapse.yaml" in text
    check = new_case("check-42-drill", kind="check").read_text(encoding="utf-8")
    assert "validate data/checks/check-42-drill.yaml" in check
    assert "validate data/cases/x-y.yaml" in scaffold_text("x-y")  # without a path: the default folder


def test_new_case_next_hint_uses_the_readme_command_and_a_relative_path(
        course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-case", "burning-band-after-relapse"]) == 0
    out = capsys.readouterr().out
    hint = out.split("Next:", 1)[1]
    assert "  .venv/bin/python -m mslbp_widgets validate data/cases/burning-band-after-relapse.yaml" in hint
    assert "  .venv/bin/python -m mslbp_widgets preview data/cases/burning-band-after-relapse.yaml" in hint
    commands = [line for line in hint.splitlines() if "-m mslbp_widgets" in line]
    assert len(commands) == 2 and all(str(course) not in line for line in commands)
    assert all(line.strip().startswith(".venv/bin/python -m") for line in commands)


def test_preview_wraps_option_text_under_the_text(tmp_path: Path) -> None:
    d = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    long = " ".join(["a long option text that must wrap onto several lines"] * 4)
    d["stages"][0]["question"]["options"][1]["text"] = long
    path = tmp_path / "lhermitte-shock-on-neck-flexion.yaml"
    path.write_text(yaml.safe_dump(d, sort_keys=False), encoding="utf-8")
    for answers in (False, True):
        lines = preview_text(path, answers=answers).splitlines()
        start = next(i for i, line in enumerate(lines) if "a long option text" in line)
        assert re.match(r"  [A-C]\. ", lines[start])
        continuation = lines[start + 1]
        assert continuation.startswith("     ") and not continuation.startswith("      ")
        assert "must wrap" in continuation or "a long option" in continuation
        if answers:
            feedback = next(i for i in range(start, len(lines)) if "Feedback:" in lines[i])
            assert lines[feedback].startswith("     Feedback: ")
            assert lines[feedback + 1].startswith(" " * len("     Feedback: "))


def test_preview_marks_options_to_tick_for_multiple_choice() -> None:
    text = preview_text(EXAMPLE, answers=True)
    stage3 = text.split("Stage 3:", 1)[1].split("What happened next", 1)[0]
    assert stage3.count("[Should be ticked]") == 3 and stage3.count("[Should not be ticked]") == 2
    assert "[Best answer]" not in stage3 and "[Not correct]" not in stage3
    stage2 = text.split("Stage 2:", 1)[1].split("Stage 3:", 1)[0]
    assert stage2.count("[Best answer]") == 1 and "[Should be ticked]" not in stage2


def test_preview_letters_options_as_learners_see_them() -> None:
    text = preview_text(EXAMPLE)
    case = load_case_file(EXAMPLE)
    for q in case.questions:
        shown = q.display_options()
        positions = [text.index(f"{'ABCDEFGHIJ'[i]}. {o.text[:30]}") for i, o in enumerate(shown)]
        assert positions == sorted(positions)
    q = case.question("classification")
    assert [o.id for o in q.display_options()] != [o.id for o in q.options]
