"""Every validation rule has a ko fixture that must fail with its expected message; ok fixtures must load."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mslbp_widgets.logic.cases import load_case_file, load_cases
from mslbp_widgets.logic.errors import CaseValidationError

FIXTURES = Path(__file__).parent / "fixtures" / "cases"
KO = sorted(FIXTURES.glob("ko-*.yaml"))
OK = sorted(FIXTURES.glob("ok-*.yaml"))
EXPECT = re.compile(r"^# expect: (.*?) :: (.*)$")


def expectations(path: Path) -> list[tuple[str, str]]:
    return [m.groups() for line in path.read_text(encoding="utf-8").splitlines() if (m := EXPECT.match(line))]


def test_there_is_a_ko_fixture_for_each_rule() -> None:
    assert len(KO) >= 25
    assert all(expectations(p) for p in KO), "every ko fixture states the message it must produce"


@pytest.mark.parametrize("path", OK, ids=lambda p: p.name)
def test_ok_fixture_loads(path: Path) -> None:
    case = load_case_file(path)
    assert case.id == path.stem
    assert case.synthetic is True
    assert case.questions


def test_the_all_features_fixture_uses_every_feature_together() -> None:
    from helpers import all_features_case

    from mslbp_widgets.logic.cases.branching import is_branch_point

    case = all_features_case()
    assert sorted(q.type for q in case.questions) == ["matching", "numeric", "ordering", "single"]
    assert is_branch_point(case, 0) and [s.id for s in case.stages if s.outcome] == ["treated", "sent-home"]
    assert any(s.table for s in case.stages) and any(s.image for s in case.stages)


@pytest.mark.parametrize("path", KO, ids=lambda p: p.name)
def test_ko_fixture_fails_with_its_message(path: Path) -> None:
    with pytest.raises(CaseValidationError) as info:
        load_case_file(path)
    problems = info.value.problems
    for field, message in expectations(path):
        matching = [p for p in problems if p.file == str(path) and field in p.field and message in p.message]
        assert matching, f"expected {field!r}: {message!r}; got:\n" + "\n".join(map(str, problems))
    assert len(problems) == len(expectations(path)), "no extra, unexpected problems:\n" + "\n".join(map(str, problems))


def test_error_text_names_file_field_and_fix() -> None:
    path = FIXTURES / "ko-missing-feedback.yaml"
    with pytest.raises(CaseValidationError) as info:
        load_case_file(path)
    text = str(info.value)
    assert str(path) in text
    assert "stages[0].question.options[2].feedback" in text
    assert "every option needs feedback" in text


def test_ids_must_be_unique_across_files(tmp_path: Path) -> None:
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        shutil.copy(FIXTURES / "ok-minimal.yaml", tmp_path / name / "ok-minimal.yaml")
    with pytest.raises(CaseValidationError) as info:
        load_cases([tmp_path / "first", tmp_path / "second"])
    assert any("already used by" in p.message and p.field == "id" for p in info.value.problems)


@pytest.mark.parametrize("path", KO, ids=lambda p: p.name)
def test_every_problem_of_a_field_gives_its_line_and_column(path: Path) -> None:
    with pytest.raises(CaseValidationError) as info:
        load_case_file(path)
    for problem in info.value.problems:
        if problem.field or problem.line is not None:  # a problem with the whole file (empty, not a mapping) has none
            assert problem.line is not None and problem.column is not None, problem
            assert str(problem).startswith(f"{path}:{problem.line}:{problem.column}: "), str(problem)


def test_a_problem_points_at_the_line_of_its_field(tmp_path: Path) -> None:
    text = (FIXTURES / "ko-missing-feedback.yaml").read_text(encoding="utf-8")
    text = text.replace("id: ko-missing-feedback", "id: lines").replace("- foley-2013", "- foley-2013\n- no-such-key")
    path = tmp_path / "lines.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    with pytest.raises(CaseValidationError) as info:
        load_case_file(path)
    shown = {p.field: str(p) for p in info.value.problems}
    option_c = lines.index("    - id: c") + 1
    key = lines.index("- no-such-key") + 1
    assert shown["stages[0].question.options[2].feedback"] == (
        f"{path}:{option_c}:7: stages[0].question.options[2].feedback: option 'c' has no feedback: every option "
        "needs feedback that explains why it is right or wrong")
    assert shown["references[1]"] == (
        f"{path}:{key}:3: references[1]: unknown reference key 'no-such-key': add it to data/references.yaml or "
        "fix it")


def test_unknown_fields_suggest_the_close_field_or_say_where_a_misplaced_one_goes() -> None:
    for name, field, message in [
        ("ko-misspelt-field.yaml", "stages[0].question.options[1].nxt_stage",
         "unknown field: did you mean `next_stage`? (allowed here: acceptable, correct, feedback, id, next_stage, "
         "text)"),
        ("ko-misplaced-field.yaml", "stages[0].question.options[0].image",
         "`image` goes on a stage, not on an option: move it there"),
    ]:
        with pytest.raises(CaseValidationError) as info:
            load_case_file(FIXTURES / name)
        (problem,) = info.value.problems
        assert (problem.field, problem.message) == (field, message)
        key = field.rsplit(".", 1)[1]
        lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
        line = next(n for n, text in enumerate(lines, start=1) if text.startswith(f"      {key}: "))
        assert (problem.line, problem.column) == (line, 7)


def test_next_stage_on_a_question_goes_on_a_stage_or_on_an_option(tmp_path: Path) -> None:
    text = (FIXTURES / "ok-minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("id: ok-minimal", "id: misplaced").replace("    type: single", "    type: single\n"
                                                                   "    next_stage: outcome", 1)
    path = tmp_path / "misplaced.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseValidationError) as info:
        load_case_file(path)
    assert [p.message for p in info.value.problems] == [
        "`next_stage` goes on a stage or on an option, not on a single or multiple choice question: move it there"]


def test_a_copied_data_folder_is_checked_against_its_own_references_and_pictures(tmp_path: Path) -> None:
    data = tmp_path / "copy" / "data"
    (data / "cases").mkdir(parents=True)
    (data / "references.yaml").write_text("only-in-the-copy:\n  citation: A copy's own source.\n  topic: test\n",
                                          encoding="utf-8")
    text = (FIXTURES / "ok-minimal.yaml").read_text(encoding="utf-8")
    assert "- foley-2013" in text  # a key of the course's bibliography, not of the copy's
    (data / "cases" / "ok-minimal.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CaseValidationError) as info:
        load_cases([data / "cases"])
    (problem,) = info.value.problems
    assert problem.field == "references[0]"
    assert problem.message == (f"unknown reference key 'foley-2013': add it to {data.as_posix()}/references.yaml "
                               "or fix it")
    (data / "cases" / "ok-minimal.yaml").write_text(text.replace("- foley-2013", "- only-in-the-copy"),
                                                   encoding="utf-8")
    assert list(load_cases([data / "cases"])) == ["ok-minimal"]
    branching = (FIXTURES / "ok-branching.yaml").read_text(encoding="utf-8")
    (data / "cases" / "ok-branching.yaml").write_text(branching, encoding="utf-8")
    with pytest.raises(CaseValidationError) as info:  # its picture is not in the copy, nor its references
        load_cases([data / "cases" / "ok-branching.yaml"])
    assert any(p.field.endswith("image.file") and f"({data / 'diagrams'})" in p.message for p in info.value.problems)
