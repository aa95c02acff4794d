"""The one reader of export format v2 (v1 still read): reasons, fields, and a compiled fast path that is never
more lenient than the JSON Schema."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import valid_export_dict
from hypothesis import given, settings
from hypothesis import strategies as st

from mslbp_widgets.logic import export_format
from mslbp_widgets.logic.attempts import Attempt
from mslbp_widgets.logic.errors import ExportFormatError
from mslbp_widgets.logic.export_format import CSV_COLUMNS, download_name, parse_export, read_export

GOOD = Path(__file__).parent / "fixtures" / "exports" / "01-ok-learner-a.json"


def good() -> dict:
    return json.loads(GOOD.read_text(encoding="utf-8"))


def _mutations(doc: dict) -> list[dict]:
    """Many small corruptions of a valid export, each a candidate the fast check must not wave through."""
    out = []
    top_values = [None, True, 1, 1.0, 2, "1", "", "x" * 41, [], {}, "<script>", "A" * 32, "a" * 31, "a" * 32 + "\n"]
    for key in list(doc) + ["extra"]:
        for v in top_values:
            d = copy.deepcopy(doc)
            d[key] = v
            out.append(d)
        d = copy.deepcopy(doc)
        d.pop(key, None)
        out.append(d)
    att_values = top_values + [-0.1, 1.1, 0, 5, 6, 3.0, ["a", "a"], ["a"] * 11, ["UPPER"], ["x" * 81], ["a-"],
                               ["ok"], "correct", "partly-correct", "wrong", "2026-11-21T11:00:00Z",
                               "a" * 80, "a" * 81, "ab--c", ["a\n"]]
    for key in list(doc["attempts"][0]) + ["note"]:
        for v in att_values:
            d = copy.deepcopy(doc)
            d["attempts"][0][key] = v
            out.append(d)
        d = copy.deepcopy(doc)
        d["attempts"][0].pop(key, None)
        out.append(d)
    for v in [None, {}, [], "x", [None], [1], [[]]]:
        d = copy.deepcopy(doc)
        d["attempts"] = v
        out.append(d)
    return out



def good_v2() -> dict:
    """The good export as version 2, with a numeric, an ordering and a matching answer besides its choice ones."""
    doc = good()
    doc["version"] = 2
    base = doc["attempts"][0]
    for n, answer in enumerate(({"numeric": 5}, {"ordering": ["b", "a", "c"]}, {"matching": {"x": "c1", "y": "c2"}})):
        extra = {k: v for k, v in base.items() if k != "selection"}
        doc["attempts"].append({**extra, "attempt_id": f"{n:032x}", "question_id": f"q-{n}", "answer": answer})
    return doc


def _answer_mutations(doc: dict) -> list[dict]:
    out = []
    for v in [None, {}, [], 5, {"numeric": "5"}, {"numeric": None}, {"numeric": 5, "ordering": ["a"]},
              {"ordering": []}, {"ordering": ["a", "a"]}, {"ordering": ["A"]}, {"ordering": ["a"] * 11},
              {"matching": {}}, {"matching": {"X": "c"}}, {"matching": {"x": "C"}}, {"matching": {"x": 1}},
              {"choice": ["a"]}, {"numeric": 1e300}, {"ordering": ["a", "b"]}]:
        for index in (0, -1):
            d = copy.deepcopy(doc)
            d["attempts"][index]["answer"] = v
            out.append(d)
    return out


@pytest.mark.parametrize("version", [1, 2])
def test_fast_path_is_never_more_lenient_than_the_schema(version: int) -> None:
    doc = good() if version == 1 else good_v2()
    assert export_format.schema_errors(doc) == []
    checked = compiled_yes = 0
    for candidate in _mutations(doc) + _answer_mutations(doc):
        checked += 1
        try:
            export_format._compiled(version)(candidate)
        except Exception:  # noqa: BLE001 - declined: the precise validator decides
            continue
        compiled_yes += 1
        assert not list(export_format._precise(version).iter_errors(candidate)), candidate
    assert checked > 300 and compiled_yes > 10  # both branches exercised


def test_version_2_holds_either_a_selection_or_an_answer() -> None:
    doc = good_v2()
    assert read_export(json.dumps(doc), "v2.json")["attempts"][-1]["answer"] == {"matching": {"x": "c1", "y": "c2"}}
    both = copy.deepcopy(doc)
    both["attempts"][-1]["selection"] = ["a"]
    neither = copy.deepcopy(doc)
    del neither["attempts"][0]["selection"]
    for bad, index in ((both, len(doc["attempts"]) - 1), (neither, 0)):
        with pytest.raises(ExportFormatError) as info:
            read_export(json.dumps(bad), "bad.json")
        assert info.value.field == f"attempts[{index}]"
        assert "either `selection` (a choice question) or `answer`" in info.value.detail
    v1_with_answer = copy.deepcopy(doc)
    v1_with_answer["version"] = 1
    with pytest.raises(ExportFormatError, match="field the export format does not allow"):
        read_export(json.dumps(v1_with_answer), "v1.json")  # version 1 knows no answers


def test_a_version_1_file_is_still_read() -> None:
    doc = good()
    assert doc["version"] == 1
    export = parse_export(GOOD.read_bytes(), GOOD.name)
    assert [a.selection for a in export.attempts] == [tuple(a["selection"]) for a in doc["attempts"]]
    assert all(a.answer is None for a in export.attempts)
    with_stage = copy.deepcopy(doc)
    with_stage["attempts"][0]["stage_id"] = "presentation"  # written by the branching cases' version 1 (optional)
    assert read_export(json.dumps(with_stage), "v1.json")["attempts"][0]["stage_id"] == "presentation"
    for version in (0, 3, "2", True):
        with pytest.raises(ExportFormatError, match="this course reads export versions 1 and 2"):
            read_export(json.dumps(dict(doc, version=version)), "x.json")


def test_new_type_answers_round_trip_through_an_export() -> None:
    doc = good_v2()
    export = parse_export(json.dumps(doc), "v2.json")
    answers = [a.answer for a in export.attempts if a.answer is not None]
    assert answers == [("numeric", 5), ("ordering", ("b", "a", "c")), ("matching", (("x", "c1"), ("y", "c2")))]
    again = export_format.export_document(export.learner_id, export.attempts, doc["exported_at"])
    assert again["version"] == 2 and again["attempts"] == doc["attempts"]
    rows = export_format.attempts_csv(export.attempts).splitlines()
    assert rows[0].split(",")[-2:] == ["answer", "stage_id"]
    assert [r.rsplit(",", 2)[1] for r in rows[-3:]] == ["5", "b;a;c", "x=c1;y=c2"]


def test_what_the_fast_path_declines_is_decided_by_jsonschema() -> None:
    doc = good()
    doc["attempts"][0]["score"] = True  # a boolean is not a number for either validator
    assert [e.validator for e in export_format.schema_errors(doc)] == ["type"]
    doc["attempts"][0]["score"] = 1
    doc["attempts"][0]["confidence"] = 3.0  # draft 2020-12 counts 3.0 as an integer
    assert export_format.schema_errors(doc) == []


@pytest.mark.parametrize(
    ("content", "kind", "field", "detail"),
    [
        (b"", "not-json", "(file)", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n", "not-json", "(file)", "not UTF-8"),
        (b"attempt_id,case_id,question_id\n", "not-json", "(file)", "this is the CSV download"),
        (b'{"format": "mslbp-attempts", "version": 1, "learner_id": "', "malformed-json", "(file)", "truncated"),
        (b'{"a": 1, "a": 2}', "malformed-json", "(file)", "appears twice"),
        (b'{"score": NaN}', "malformed-json", "(file)", "NaN is not allowed"),
        (b"[]", "wrong-format", "(top level)", "not an object"),
        (b'{"format": "quiz"}', "wrong-format", "format", "expected 'mslbp-attempts'"),
        (b'{"format": "mslbp-attempts", "version": 3}', "wrong-version", "version", "version is 3"),
    ],
)
def test_each_kind_of_bad_file_is_named(content: bytes, kind: str, field: str, detail: str) -> None:
    with pytest.raises(ExportFormatError) as info:
        read_export(content, "bad.json")
    err = info.value
    assert (err.kind, err.field) == (kind, field) and detail in err.detail
    assert str(err).startswith(f"bad.json: {field}: ")


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [(("learner_id",), "Jane Doe", "learner_id"), (("attempts", 0, "verdict"), "great", "attempts[0].verdict"),
     (("attempts", 0, "time"), "yesterday", "attempts[0].time"), (("exported_at",), "soon", "exported_at"),
     (("attempts", 0, "confidence"), True, "attempts[0].confidence"), (("attempts", 0, "name"), "x", "attempts[0]")],
)
def test_schema_problems_name_the_field_without_echoing_values(path, value, field) -> None:
    doc = good()
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ExportFormatError) as info:
        read_export(json.dumps(doc), "bad.json")
    assert (info.value.kind, info.value.field) == ("schema-invalid", field)
    assert "Jane Doe" not in str(info.value)


def test_a_valid_export_is_returned_whole() -> None:
    doc = read_export(GOOD.read_bytes(), GOOD.name)
    assert doc == good() and copy.deepcopy(doc)["format"] == "mslbp-attempts"


# ------------------------------------------------------------------------------------------ parse_export and names

HEX32 = re.compile(r"^[0-9a-f]{32}$")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)


def test_parse_export_accepts_a_valid_export():
    export = parse_export(json.dumps(valid_export_dict()), "ok.json")
    assert export.learner_id == "0123456789abcdef0123456789abcdef"
    assert export.attempts[0] == Attempt("fedcba9876543210fedcba9876543210", "case-a", "q", ("x",), "correct", 1.0,
                                         4, "2026-11-21T11:58:03Z")


def near_valid_exports():
    """Valid exports with one field replaced by a random JSON value: the hardest inputs for the checks."""
    fields = st.sampled_from(["format", "version", "learner_id", "exported_at", "attempts"])
    attempt_fields = st.sampled_from(list(CSV_COLUMNS))

    @st.composite
    def build(draw):
        data = valid_export_dict()
        if draw(st.booleans()):
            data[draw(fields)] = draw(json_values)
        else:
            data["attempts"][0][draw(attempt_fields)] = draw(json_values)
        return json.dumps(data)

    return build()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300) | json_values.map(json.dumps) | near_valid_exports())
def test_reader_raises_only_export_format_error(data):
    try:
        export = parse_export(data, "fuzz.json")
    except ExportFormatError as exc:
        assert str(exc).startswith("fuzz.json: ")
    else:
        assert HEX32.match(export.learner_id)
        assert all(isinstance(a, Attempt) and a.verdict in {"correct", "partly-correct", "incorrect"}
                   for a in export.attempts)


def test_download_names_differ_between_learners_in_the_same_minute():
    from datetime import datetime, timezone

    when = datetime(2026, 11, 21, 11, 58, tzinfo=timezone.utc)
    a = download_name("3f9c2a1b" + "0" * 24, "json", when)
    b = download_name("77aa0b12" + "0" * 24, "json", when)
    assert a == "mslbp-attempts-3f9c2a1b-20261121-1158.json" and a != b


@pytest.mark.parametrize("n_attempts", [100_000, 666_000])
def test_an_export_of_empty_attempts_is_rejected_within_a_memory_and_time_ceiling(tmp_path: Path,
                                                                                  n_attempts: int) -> None:
    """300 KB (and 2 MB) of empty attempts once took 26 s and 2.9 GB (every schema error was gathered)."""
    path = tmp_path / "empty-attempts.json"
    path.write_text('{"format": "mslbp-attempts", "version": 1, "learner_id": "' + "a" * 32 + '", "exported_at": '
                    '"2026-11-21T12:00:00Z", "attempts": [' + ",".join(["{}"] * n_attempts) + "]}", encoding="utf-8")
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "resource.setrlimit(resource.RLIMIT_CPU, (20, 20))\n"
            "from mslbp_widgets.logic.export_format import read_export\n"
            "from mslbp_widgets.logic.errors import ExportFormatError\n"
            "try:\n    read_export(open(sys.argv[1], 'rb').read(), 'empty-attempts.json')\n"
            "except ExportFormatError as exc:\n    print(exc.kind, '|', exc)\n")
    r = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"crashed or killed (exit {r.returncode}): {r.stderr[-400:]}"
    expected = "more problems" if n_attempts <= 100_000 else "attempts: breaks the export format's 'maxItems' rule"
    assert r.stdout.startswith("schema-invalid | empty-attempts.json: ") and expected in r.stdout, r.stdout


def test_an_error_about_a_lone_surrogate_key_can_be_sent_anywhere() -> None:
    """The error echoed a key such as "\\udc80": its message could not be encoded (found by tests/test_fuzz.py)."""
    raw = (b'{"\\udc80": 1, "format": "mslbp-attempts", "version": 1, "learner_id": "' + b"a" * 32 +
           b'", "exported_at": "2026-11-21T12:00:00Z", "attempts": []}')
    with pytest.raises(ExportFormatError) as info:
        parse_export(raw, "bad\udc80name.json")
    assert "has a field the export format does not allow" in str(info.value)
    str(info.value).encode("utf-8")
    info.value.detail.encode("utf-8")
