"""Every validation rule has a ko fixture that must fail with its expected message; ok fixtures must load."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mslbp_widgets.logic.cases import load_case_file, load_case_folder, load_cases
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


def test_a_folder_loads_whole_or_not_at_all(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "ok-minimal.yaml", tmp_path)
    shutil.copy(FIXTURES / "ko-missing-feedback.yaml", tmp_path)
    with pytest.raises(CaseValidationError) as info:
        load_case_folder(tmp_path)
    assert [p.file for p in info.value.problems] == [str(tmp_path / "ko-missing-feedback.yaml")]


def test_kind_must_match_the_folder(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "ok-check.yaml", tmp_path)
    with pytest.raises(CaseValidationError) as info:
        load_case_folder(tmp_path, kind="case")
    assert info.value.problems[0].field == "kind"
    assert load_case_folder(tmp_path, kind="check")["ok-check"].kind == "check"


def test_empty_or_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CaseValidationError, match="no case files"):
        load_case_folder(tmp_path)
    with pytest.raises(CaseValidationError, match="no such file or folder"):
        load_case_folder(tmp_path / "nope")


def test_oversized_and_non_utf8_files_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("title: " + "x" * 1_100_000, encoding="utf-8")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(CaseValidationError) as info:
        load_cases([big, latin])
    messages = [str(p) for p in info.value.problems]
    assert any("at most 1,000,000 bytes" in m for m in messages)
    assert any("not UTF-8" in m for m in messages)


def test_library_filters_and_lookup() -> None:
    library = load_cases([FIXTURES / "ok-minimal.yaml", FIXTURES / "ok-multiple.yaml"])
    assert len(library) == 2
    assert [c.id for c in library.filter(mechanism="spasticity", difficulty="introductory")] == [
        "ok-minimal", "ok-multiple"]
    assert library.filter(red_flag=True) == []
    with pytest.raises(KeyError, match="Case ids: ok-minimal, ok-multiple"):
        library["missing"]


def test_large_folders_read_in_parallel_give_the_same_result(tmp_path: Path, monkeypatch) -> None:
    from mslbp_widgets.logic.cases import loading

    text = (FIXTURES / "ok-minimal.yaml").read_text(encoding="utf-8")
    for i in range(loading.PARALLEL_FROM_FILES + 20):
        (tmp_path / f"case-{i:03d}.yaml").write_text(text.replace("id: ok-minimal", f"id: case-{i:03d}"))
    shutil.copy(FIXTURES / "ko-missing-feedback.yaml", tmp_path / "zz-ko-missing-feedback.yaml")
    with pytest.raises(CaseValidationError) as parallel:
        load_case_folder(tmp_path)
    monkeypatch.setattr(loading, "PARALLEL_FROM_FILES", 10**9)
    with pytest.raises(CaseValidationError) as serial:
        load_case_folder(tmp_path)
    assert parallel.value.problems == serial.value.problems
    assert [p.field for p in serial.value.problems] == ["id", "stages[0].question.options[2].feedback"]
    (tmp_path / "zz-ko-missing-feedback.yaml").unlink()
    monkeypatch.setattr(loading, "PARALLEL_FROM_FILES", 100)
    library = load_case_folder(tmp_path)
    assert list(library) == [f"case-{i:03d}" for i in range(120)]


def test_a_mistyped_id_suggests_the_nearest_one() -> None:
    from mslbp_widgets.logic.cases import get_case

    with pytest.raises(KeyError, match="Did you mean 'lhermitte-shock-on-neck-flexion'"):
        get_case("lhermite-shock-on-neck-flexion")
    with pytest.raises(KeyError, match="Case ids: ") as info:
        get_case("zzzz")
    assert "Did you mean" not in str(info.value)
