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
