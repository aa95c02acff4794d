"""Loading cases (logic/cases/loading.py): folders load whole or not at all, the one lookup by id, and fuzzing:
whatever the input, the loader gives cases or CaseValidationError — nothing else."""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from helpers import CASE_ID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mslbp_widgets.logic.cases import (
    UnknownCaseError,
    get_case,
    load_case_file,
    load_case_folder,
    load_cases,
    nearest_id,
)
from mslbp_widgets.logic.errors import CaseValidationError

FIXTURES = Path(__file__).parent / "fixtures" / "cases"
BASE = yaml.safe_load((FIXTURES / "ok-minimal.yaml").read_text(encoding="utf-8"))
REFS = {"foley-2013", "truini-2013"}
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                    st.dates())
json_like = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                         max_leaves=20)


def load_text(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzz.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        try:
            load_case_file(path, reference_keys=REFS)
        except CaseValidationError as exc:
            assert exc.problems and all(p.message for p in exc.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    load_text(data)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    load_text(text)


@settings(max_examples=200, deadline=None)
@given(json_like)
def test_random_yaml_documents(doc) -> None:
    load_text(yaml.safe_dump(doc))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


ALL_PATHS = [p for p in _paths(BASE) if p]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ALL_PATHS), json_like)
def test_one_field_replaced_by_anything(path, value) -> None:
    """A valid case with any one field replaced by arbitrary data still only ever raises the package's error."""

    doc = copy.deepcopy(BASE)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    doc["id"] = "fuzz"
    load_text(yaml.safe_dump(doc))


def _jsonschema_says_valid(doc) -> bool:
    from mslbp_widgets.logic.cases.validation import _validator, normalise

    return not list(_validator().iter_errors(normalise(doc)))


def test_fast_and_precise_validators_agree_on_every_fixture() -> None:
    from mslbp_widgets.logic.cases.validation import is_valid_fast
    from mslbp_widgets.logic.yamlfile import DataLoader as CaseLoader

    for path in sorted(FIXTURES.glob("*.yaml")):
        if path.name == "ko-yaml-syntax.yaml":
            continue
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=CaseLoader)
        if isinstance(doc, dict):
            assert is_valid_fast(doc) == _jsonschema_says_valid(doc), path.name


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ALL_PATHS), json_like)
def test_fast_and_precise_validators_agree_on_mutations(path, value) -> None:

    from mslbp_widgets.logic.cases.validation import is_valid_fast

    doc = copy.deepcopy(BASE)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    from mslbp_widgets.logic.yamlfile import DataLoader as CaseLoader

    doc = yaml.load(yaml.safe_dump(doc), Loader=CaseLoader)
    assert is_valid_fast(doc) == _jsonschema_says_valid(doc)


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
    assert [c.scenario for c in library.values()] == ["mixed", "mixed"]
    assert len(library.filter(scenario="mixed")) == 2 and library.filter(scenario="relapse") == []
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


def test_unknown_case_id_names_the_nearest_and_every_id(library: dict) -> None:
    with pytest.raises(UnknownCaseError) as err:
        get_case("lhermite-shock-on-neck-flexion", library)
    assert isinstance(err.value, KeyError)  # callers that caught get_case's KeyError still work
    assert err.value.suggestion == CASE_ID
    msg = str(err.value)
    assert msg.startswith("There is no case or check set with the id 'lhermite-shock-on-neck-flexion'.")
    assert f"Did you mean {CASE_ID!r}?" in msg and f"Case ids: {CASE_ID}." in msg
    assert get_case(CASE_ID, library) is library[CASE_ID]
    assert nearest_id(" Lhermitte_Shock_on_Neck_Flexion ", [CASE_ID, "other"]) == CASE_ID
    assert nearest_id("zzzz", [CASE_ID, "other"]) is None
