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
    assert "Question: Which steps are appropriate? Choose all that apply.\n" in text  # said once, by the author
    assert "(choose all that apply)" not in text.lower() and text.count("Question: ") == 3
    assert "How do you classify her back pain? (choose one)" in text
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


def test_preview_of_a_branching_case_lists_every_path_table_and_picture() -> None:
    from helpers import BRANCHING_FILE

    text = preview_text(BRANCHING_FILE)
    assert "Stage 1: Presentation [presentation]" in text
    assert "Stage 3: Recovered [recovered] (an ending)" in text
    assert "  Table: Observations on arrival" in text
    assert re.search(r"  Heart rate +\| 112 +\| 60–100", text)
    assert "[Picture, diagrams/cord-and-column.svg: A side view of the spine" in text
    assert "-> On the ward [admitted]" in text  # where an option leads
    assert "Other answers: -> The phone review [phone-review]" in text  # the stage's default
    assert "Then: -> Recovered (an ending) [recovered]" in text  # a stage without a question
    paths = text.split("Paths through the case (6)\n", 1)[1].split("\nReferences:", 1)[0]
    assert paths.count("\n  ") == 6
    assert "  1. Presentation -A-> Back the next morning\n" in paths
    assert "Presentation -C-> On the ward -B-> The scan result -> Recovered" in paths
    assert "[Best answer]" not in text  # still the learner's view: no key


def test_preview_of_a_linear_case_has_no_paths_or_ids() -> None:
    text = preview_text(EXAMPLE)
    assert "Paths through the case" not in text and "Other answers" not in text and "[presentation]" not in text


def test_preview_shows_matching_ordering_and_numeric_questions_with_answers_only_on_request() -> None:
    from helpers import QTYPES_CASE_FILE, qtypes_case

    case = qtypes_case()
    plain = preview_text(QTYPES_CASE_FILE)
    keyed = preview_text(QTYPES_CASE_FILE, answers=True)
    m, n, o = (case.question(i) for i in ("match-findings", "dn4-score", "visit-order"))
    flat = " ".join(plain.split())  # wrapped for a terminal
    assert "(choose a category for each item)" in flat and "Categories: Neuropathic pain; Mechanical back pain" in plain
    assert "(give a number)" in plain and "Answer: a whole number from 0 to 10 (points)" in plain
    assert "(put the steps in order)" in plain and "As learners first see them:" in plain
    assert "choose all that apply" not in plain.lower()
    for item in m.display_items():
        assert f". {item.text}\n" in plain  # no key in the plain preview
        assert f"{item.text} [{m.category(item.category).text}]" in keyed
    assert "[Correct] 5 points" in keyed and "[Close: half marks] 4 points" in keyed and "[Correct]" not in plain
    assert "[Not correct] below the cut-off (0 to 3 points)" in keyed and "Accept" not in keyed
    shown = o.start_order()
    assert f"A. {shown[0].text} [step {o.position(shown[0].id)}]" in keyed
    assert "The right order:\n  1. Take the history" in keyed and "The right order" not in plain
    assert all(" ".join(s.feedback.split()) in " ".join(keyed.split()) for s in o.steps)
    assert "Teaching point: A DN4 score of 4 or more out of 10 suggests neuropathic pain." in keyed
    assert n.teaching_point not in plain


def test_preview_cites_matching_ordering_and_numeric_questions_in_full_like_choice_questions() -> None:
    from helpers import QTYPES_CASE_FILE, qtypes_case

    from mslbp_widgets.logic.references import cite

    case = qtypes_case()
    keyed = preview_text(QTYPES_CASE_FILE, answers=True)
    body = keyed.split("\nWhat happened next", 1)[0]  # the case's own references come after it
    stages = dict(zip((s.id for s in case.stages), body.split("\nStage ")[1:], strict=True))
    for stage in case.stages:
        shown = " ".join(stages[stage.id].split())
        keys = stage.question.references
        assert all(f"References: - {cite(key)}" in shown for key in keys[:1]), stage.id
        assert all(f"- {cite(key)}" in shown for key in keys), stage.id
        assert all(f"References: {key}" not in shown for key in keys), stage.id  # never a bare key
        if not keys:
            assert "References:" not in shown, stage.id
    assert {"findings", "screening"} <= {s.id for s in case.stages if s.question.references}
    assert "References:" not in preview_text(QTYPES_CASE_FILE).split("What happened next", 1)[0]  # key view only


def test_preview_with_answers_lists_the_findings_with_option_letters() -> None:
    text = preview_text(EXAMPLE, answers=True)
    lhermitte, disc = letter_of("classification", "Lhermitte"), letter_of("classification", "Disc")
    against = ", ".join(sorted(letter_of("classification", t) for t in ("Disc", "Spasticity", "Continuous")))
    assert (f"Findings:\n  - Shocks brought on by flexing the neck and stopped by raising the head (supports "
            f"{lhermitte};\n    argues against {against})\n  - Lumbar spine movements full and painless (argues "
            f"against {disc})\n") in text
    assert "Findings:" not in preview_text(EXAMPLE)  # the learner's view keeps them for the feedback


def test_preview_prints_full_citations_from_the_case_data_folder(tmp_path: Path) -> None:
    from mslbp_widgets.logic.references import cite

    flat = " ".join(preview_text(EXAMPLE).split())
    tail = flat.split("References: ", 1)[1]
    assert tail == " ".join(f"- {cite(key)}" for key in load_case_file(EXAMPLE).references)
    assert "nmss-pain" not in tail  # a citation, not its key
    data = tmp_path / "copy"
    (data / "cases").mkdir(parents=True)
    refs = yaml.safe_load((EXAMPLE.parents[1] / "references.yaml").read_text(encoding="utf-8"))
    refs["truini-2013"]["citation"] = "The copy's own citation of Truini 2013."
    (data / "references.yaml").write_text(yaml.safe_dump(refs), encoding="utf-8")
    copy = data / "cases" / EXAMPLE.name
    copy.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert "- The copy's own citation of Truini 2013." in preview_text(copy)


def test_preview_never_breaks_an_id_at_its_hyphens(tmp_path: Path) -> None:
    from helpers import branching_dict

    for pad in range(0, 60, 3):  # move where the line wraps across the stage ids the options lead to
        d = branching_dict()
        d["stages"][0]["question"]["options"][0]["text"] = "x" * pad + " admit to hospital for intravenous antibiotics"
        path = tmp_path / f"{d['id']}.yaml"
        path.write_text(yaml.safe_dump(d, sort_keys=False), encoding="utf-8")
        text = preview_text(path)
        for stage in d["stages"]:
            if "-" in stage["id"]:
                assert all(f"[{stage['id']}]" in line or stage["id"].split("-")[-1] + "]" not in line
                           for line in text.splitlines()), (pad, stage["id"])


def test_the_instruction_is_given_once() -> None:
    from mslbp_widgets.logic.cases.model import instruction

    assert instruction("multiple", "Which steps are appropriate?") == "choose all that apply"
    assert instruction("multiple", "Which steps are appropriate? Choose all that apply.") == ""
    assert instruction("single", "How do you classify her back pain?") == "choose one"
    assert instruction("single", "Choose the best next step.") == ""
    assert instruction("matching", "Match each finding.") == ""


def test_id_clashes_name_both_files_and_spare_files_validated_together(tmp_path: Path) -> None:
    from mslbp_widgets.logic.authoring import id_clashes

    text = EXAMPLE.read_text(encoding="utf-8")
    draft = tmp_path / EXAMPLE.name
    draft.write_text(text, encoding="utf-8")
    (problem,) = id_clashes([draft])
    assert (problem.file, problem.field, problem.line) == (str(draft), "id", 1)
    assert problem.message.startswith(f"the id {EXAMPLE.stem!r} is already used by "
                                      f"data/cases/{EXAMPLE.name}: ids must be unique")
    assert id_clashes([EXAMPLE]) == [] and id_clashes([EXAMPLE.parent]) == []
    other = tmp_path / "other.yaml"
    other.write_text(text.replace(f"id: {EXAMPLE.stem}", "id: a-new-case", 1), encoding="utf-8")
    assert id_clashes([other]) == []


def test_data_folder_lines_name_the_folder_and_references_file(tmp_path: Path) -> None:
    from mslbp_widgets.logic.authoring import data_folder_lines

    assert data_folder_lines([EXAMPLE.parent]) == ["Data folder: data (references: data/references.yaml)"]
    loose = tmp_path / "draft.yaml"
    assert data_folder_lines([loose]) == [f"Data folder: data (references: data/references.yaml); the course's, "
                                          f"as {loose} is in no data folder"]
