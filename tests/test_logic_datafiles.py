"""The shared data-file loader (mslbp_widgets.logic.datafiles) and the JSON Schemas in data/schema/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from mslbp_widgets.logic import datafiles
from mslbp_widgets.logic.datafiles import field_path, load_yaml_file, read_yaml
from mslbp_widgets.logic.errors import DataValidationError, Problem
from mslbp_widgets.logic.paths import data_dir
from mslbp_widgets.tools.pathways import ROUTES

SCHEMAS = sorted((data_dir() / "schema").glob("*.schema.json"))
FIXTURES = Path(__file__).parent / "fixtures"
#: Each YAML schema, with the course's files and the test fixtures written for it.
YAML_SCHEMAS = {
    "case": ["cases/*.yaml", "checks/*.yaml"],
    "sorting-exercise": ["exercises/*.yaml"],
    "features": ["features/features.yaml"],
    "pathways": ["features/pathways.yaml"],
    "screening-tool": ["screening/*.yaml"],
    "red-flag-rules": ["red_flags/*.yaml"],
    "diagrams": ["diagrams/diagrams.yaml"],
}
FIXTURE_FOLDERS = {"case": "cases", "sorting-exercise": "exercises", "features": "features",
                   "pathways": "pathways", "screening-tool": "screening", "red-flag-rules": "red_flags",
                   "diagrams": "diagrams"}


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_schema_is_a_valid_draft_2020_12_schema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith("/" + path.name)


def test_every_yaml_schema_is_listed_here() -> None:
    assert {p.name.removesuffix(".schema.json") for p in SCHEMAS} - {"attempts-export"} == set(YAML_SCHEMAS)


@pytest.mark.parametrize("name", sorted(YAML_SCHEMAS))
def test_the_course_data_matches_its_schema(name: str) -> None:
    files = [p for pattern in YAML_SCHEMAS[name] for p in sorted(data_dir().glob(pattern))]
    assert files
    for path in files:
        data, problems = read_yaml(path)
        assert not problems
        assert datafiles.schema_problems(data, name, str(path)) == [], path.name


@pytest.mark.parametrize("name", sorted(YAML_SCHEMAS))
def test_the_fast_path_never_accepts_what_jsonschema_rejects(name: str) -> None:
    assert datafiles._fast_validator(name) is not None, "the schema should stay within draft-07 keywords"
    for path in sorted((FIXTURES / FIXTURE_FOLDERS[name]).glob("*.yaml")):
        data, problems = read_yaml(path)
        if problems:
            continue
        precise = not list(datafiles.schema_validator(name).iter_errors(datafiles.normalise(data)))
        assert datafiles.is_valid_fast(data, name) == precise, path.name


def test_pathway_routes_in_the_schema_are_the_routes_the_code_explains() -> None:
    schema = datafiles.schema_validator("pathways").schema
    assert schema["$defs"]["pathway"]["properties"]["route"]["enum"] == list(ROUTES)


def test_ids_with_a_trailing_newline_are_refused() -> None:
    doc = {"pathways": [{"id": "foot-drop\n", "problem": "p", "route": "direct", "mechanisms": ["spasticity"],
                         "chain": ["c"], "character": "c", "where": "w", "look_for": ["l"], "references": ["x"]}]}
    problems = datafiles.schema_problems(doc, "pathways", "p.yaml", name_ids=True)
    assert [p.field for p in problems] == ["pathways[0].id"]
    assert "kebab-case" in problems[0].message


# ------------------------------------------------------------------------------------------------ the loader


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("pathways: []\n" + "#" * datafiles.MAX_DATA_FILE_BYTES, encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_yaml_file(big, "pathways", "pathway explorer data")
    assert info.value.problems == [Problem(str(big), "", f"file is {big.stat().st_size:,} bytes; a data file may be "
                                                         "at most 1,000,000 bytes")]
    small, problems = read_yaml(big, max_bytes=10 * datafiles.MAX_DATA_FILE_BYTES)
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
    assert problem.field.startswith("line 4, column ")
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


def test_every_problem_is_listed_with_file_field_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(
        "caveat: ''\n"
        "grups: []\n"
        "features:\n"
        "  - {id: Bad Id, group: q, text: t, explanation: e, references: [x], supports: [mechanical]}\n"
        "  - {id: b, group: q, text: t, references: [x, x]}\n",
        encoding="utf-8",
    )

    def checks(data: dict, file: str) -> list[Problem]:
        return [Problem(file, datafiles.at(data, "features", 1, "group"), "cross-reference checked too")]

    with pytest.raises(DataValidationError) as info:
        load_yaml_file(path, "features", "feature checklist", checks)
    found = {(p.field, p.message.split(":")[0]) for p in info.value.problems}
    assert found == {
        ("caveat", "must not be empty"),
        ("(top level)", "unknown field(s) grups"),
        ("groups", "missing required field"),
        ("features[0] (Bad Id).id", "'Bad Id' is not a valid id"),
        ("features[1] (b).explanation", "missing required field"),
        ("features[1] (b).references", "lists the same item twice"),
        ("features[1] (b).group", "cross-reference checked too"),
    }
    assert all(p.file == str(path) for p in info.value.problems)
    assert str(info.value).startswith("7 problems in the feature checklist:")


def test_checks_that_trip_over_malformed_data_add_nothing() -> None:
    def fragile(data: dict, file: str) -> list[Problem]:
        return [Problem(file, "x", str(data["groups"][0]["id"]))]

    with pytest.raises(DataValidationError) as info:
        datafiles.validate_data({"caveat": "c", "features": []}, "features", "f.yaml", "feature checklist", fragile)
    assert {p.field for p in info.value.problems} == {"groups", "features"}


def test_field_paths_name_list_entries_by_id_only_when_given_the_data() -> None:
    data = {"features": [{"id": "a"}, {"id": "b", "supports": ["x"]}], "groups": [{"label": "no id"}]}
    assert field_path(["features", 1, "supports", 0]) == "features[1].supports[0]"
    assert field_path(["features", 1, "supports", 0], data) == "features[1] (b).supports[0]"
    assert field_path(["groups", 0, "label"], data) == "groups[0].label"
    assert field_path([], data) == "(top level)"


def test_cases_and_tools_word_schema_errors_alike() -> None:
    from mslbp_widgets.logic.cases import validation

    assert validation.field_path is datafiles.field_path
    assert validation._schema_message is datafiles.schema_message


def test_a_tab_and_an_empty_field_are_explained_in_plain_words(tmp_path) -> None:
    from mslbp_widgets.logic.cases import load_case_file
    from mslbp_widgets.logic.errors import CaseValidationError

    tab = tmp_path / "tab.yaml"
    tab.write_text("id: tab\nstages:\n\t- id: y\n", encoding="utf-8")
    with pytest.raises(CaseValidationError, match="line 3, column 1: this line contains a tab character"):
        load_case_file(tab)
    empty = tmp_path / "empty.yaml"
    empty.write_text("id: empty\ntitle:\n", encoding="utf-8")
    with pytest.raises(CaseValidationError, match="title: is empty: write text after the colon"):
        load_case_file(empty)


def test_mechanism_labels_from_vocabulary(tmp_path):
    from mslbp_widgets.logic.datafiles import mechanism_labels

    labels = mechanism_labels()
    assert labels["paroxysmal-neuropathic"] == "Paroxysmal neuropathic (e.g. Lhermitte's)"
    assert list(labels)[0] == "central-neuropathic"
    bad = tmp_path / "mechanisms.yaml"
    bad.write_text("spasticity:\n  description: no label here\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"mechanisms\.yaml: spasticity\.label"):
        mechanism_labels(bad)


# ------------------------------------------------------------------------------------------ bombs


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
        "from mslbp_widgets.logic.datafiles import read_yaml\n"
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
    assert "deep.yaml: line 2, column 48: nested more than 40 levels deep" in r.stdout


def test_anchors_without_aliases_and_ordinary_nesting_still_load(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("a: &first [1, 2]\nb: {c: [[[[1]]]]}\n", encoding="utf-8")
    assert read_yaml(path) == ({"a": [1, 2], "b": {"c": [[[[1]]]]}}, [])
