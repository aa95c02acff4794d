"""The shared data-file loader (mslbp_widgets.logic.datafiles) and the JSON Schemas in data/schema/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from mslbp_widgets.logic import datafiles
from mslbp_widgets.logic.datafiles import field_path, load_yaml_file
from mslbp_widgets.logic.errors import DataValidationError, Problem
from mslbp_widgets.logic.paths import data_dir
from mslbp_widgets.logic.yamlfile import read_yaml
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
    "dermatomes": ["diagrams/dermatomes.yaml"],
}
FIXTURE_FOLDERS = {"case": "cases", "sorting-exercise": "exercises", "features": "features",
                   "pathways": "pathways", "screening-tool": "screening", "red-flag-rules": "red_flags",
                   "diagrams": "diagrams", "dermatomes": "dermatomes"}


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_schema_is_a_valid_draft_2020_12_schema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith("/" + path.name)


def test_every_yaml_schema_is_listed_here() -> None:
    exports = {"attempts-export", "attempts-export-v1"}  # JSON, read by export_format
    assert {p.name.removesuffix(".schema.json") for p in SCHEMAS} - exports == set(YAML_SCHEMAS)


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
        ("grups", "unknown field"),
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
    with pytest.raises(CaseValidationError, match="tab.yaml:3:1: this line contains a tab character"):
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
    with pytest.raises(DataValidationError, match=r"mechanisms\.yaml:1:1: spasticity\.label"):
        mechanism_labels(bad)


def test_scenario_types_in_file_order_with_their_targets(tmp_path):
    from mslbp_widgets.logic.datafiles import scenario_types

    types = scenario_types()
    assert len(types) == 21 and list(types)[0] == "central-neuropathic" and list(types)[-1] == "pain-mood-sleep"
    assert types["heat-uhthoff"].label.startswith("Heat-triggered worsening")
    assert [t.target for t in types.values()][:13] == [2] * 13  # the first twelve, and a relapse twice
    bad = tmp_path / "scenarios.yaml"
    bad.write_text("mixed:\n  label: Mixed\n  target: 0\nspasticity: [not, a, mapping]\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        scenario_types(bad)
    fields = [p.field for p in exc.value.problems]
    assert fields == ["mixed.description", "mixed.target", "spasticity.label", "spasticity.description"]


def test_a_tool_data_file_problem_gives_file_line_column_field_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "features.yaml"
    path.write_text(
        "caveat: Teaching aid.\n"
        "groups:\n"
        "  - {id: q, label: Questions}\n"
        "features:\n"
        "  - id: a\n"
        "    group: q\n"
        "    text: t\n"
        "    explanation: e\n"
        "    references: [x]\n"
        "    supports: [mechanical]\n"
        "  - id: b\n"
        "    group: q\n"
        "    label: misplaced\n"
        "    text: t\n"
        "    references: [x]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as info:
        load_yaml_file(path, "features", "feature checklist")
    assert sorted(str(p) for p in info.value.problems) == [
        f"{path}:11:5: features[1] (b).explanation: missing required field: add it (see "
        "data/schema/features.schema.json)",
        f"{path}:13:5: features[1] (b).label: `label` goes on an entry of `groups`, not on a feature: move it there",
    ]


def test_unknown_fields_suggest_the_closest_allowed_field() -> None:
    doc = {"caveat": "c", "groups": [{"id": "q", "label": "Q"}], "features": [], "sourse": "s"}
    problems = datafiles.schema_problems(doc, "features", "f.yaml", name_ids=True)
    assert [(p.field, p.message) for p in problems if p.field != "features"] == [
        ("sourse", "unknown field: did you mean `source`? (allowed here: caveat, combinations, features, groups, "
                   "source)")]
    del doc["sourse"]
    doc["colour"] = "red"
    (problem,) = [p for p in datafiles.schema_problems(doc, "features", "f.yaml") if p.field == "colour"]
    assert problem.message == "unknown field: check the spelling; allowed here: caveat, combinations, features, " \
                              "groups, source"


def test_lines_are_found_only_when_there_are_problems(tmp_path: Path, monkeypatch) -> None:
    from mslbp_widgets.logic import yamlfile

    calls: list[str] = []
    real = yamlfile.compose
    monkeypatch.setattr(yamlfile, "compose", lambda path, *a: calls.append(str(path)) or real(path, *a))
    load_yaml_file(data_dir() / "features" / "features.yaml", "features", "feature checklist")
    assert calls == []  # the happy path composes nothing more
    bad = tmp_path / "bad.yaml"
    bad.write_text("caveat: c\ngroups: []\nfeatures: []\nextra: 1\nmore: 2\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_yaml_file(bad, "features", "feature checklist")
    assert calls == [str(bad)]  # once per file, however many problems
    found = {(p.field, p.line, p.column) for p in info.value.problems}
    assert {("extra", 4, 1), ("more", 5, 1), ("groups", 2, 1), ("features", 3, 1)} <= found


def test_locate_maps_a_field_path_to_its_line() -> None:
    import yaml

    from mslbp_widgets.logic.yamlfile import locate

    root = yaml.compose("id: x\nstages:\n  - id: first\n    question:\n      options:\n        - {id: a, text: A}\n"
                        "        - id: b\n          text: B\nmeta.key: 1\n")
    assert locate(root, "id") == (1, 1)
    assert locate(root, "stages[0].question.options[1].text") == (8, 11)
    assert locate(root, "stages[0] (first).question.options[0] (a).text") == (6, 19)
    assert locate(root, "stages[0].question.options[0]") == (6, 11)
    assert locate(root, "stages[0].question.feedback") == (4, 5)  # missing: where to add it
    assert locate(root, "stages[7]") == (2, 1)  # no such entry: the list
    assert locate(root, "meta.key") == (9, 1)  # a key holding a dot
    assert locate(root, "(top level)") == (1, 1)
    assert locate(root, "") is None and locate(None, "id") is None


def test_references_file_problems_give_their_line(tmp_path: Path) -> None:
    from mslbp_widgets.logic.references import load_references

    path = tmp_path / "references.yaml"
    path.write_text("good-one:\n  citation: A.\n  topic: t\nbad-one:\n  citation: B.\n  topic: t\n  url: u\n"
                    "  checkd: 2026-01-01\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_references(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:8:3: bad-one.checkd: unknown field: did you mean `checked`? (allowed: checked, citation, lay_source, "
        "topic, url)"]


def test_control_characters_in_any_data_file_are_named_with_file_and_field() -> None:
    data = {"caveat": "fine\ttext\n", "groups": [{"id": "g", "label": "Bell\x07"}], "\x1b[2Jodd": 1}
    problems = datafiles.character_problems(data, "f.yaml")
    assert [(p.file, p.field, p.message.split(" (")[0]) for p in problems] == [
        ("f.yaml", "groups[0] (g).label", "holds control characters"),
        ("f.yaml", "(top level)", "a field name holds control characters"),
    ]
    message = r"groups\[0\] \(g\)\.label: holds control characters \(\[U\+0007\]\)"
    with pytest.raises(DataValidationError, match=message):
        datafiles.validate_data(data, "features", "f.yaml", "feature checklist")
