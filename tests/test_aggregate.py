"""The class tally's loader and counts: untrusted learner exports, good and hostile (tests/fixtures/exports)."""

from __future__ import annotations

import copy
import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

from mslbp_widgets.classroom import tally as aggregate
from mslbp_widgets.classroom.tally import (
    ACCEPTED,
    DUPLICATE_CONTENT,
    DUPLICATE_LEARNER,
    MALFORMED_JSON,
    NOT_JSON,
    SCHEMA_INVALID,
    TOO_LARGE,
    WRONG_FORMAT,
    WRONG_VERSION,
    load_exports,
    summary_csv,
    summary_rows,
    tally,
)
from mslbp_widgets.logic import export_format
from mslbp_widgets.logic.cases.model import case_from_dict
from mslbp_widgets.logic.errors import ExportFormatError

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
CASE_FILE = Path(__file__).parent.parent / "data" / "cases" / "lhermitte-shock-on-neck-flexion.yaml"
CASE_ID = "lhermitte-shock-on-neck-flexion"

#: Every hostile fixture and the reason it must be skipped with.
EXPECTED_SKIPS = {
    "10-ko-not-json.json": NOT_JSON,
    "11-ko-truncated.json": MALFORMED_JSON,
    "12-ko-wrong-version.json": WRONG_VERSION,
    "13-ko-wrong-format.json": WRONG_FORMAT,
    "14-ko-duplicate-learner.json": DUPLICATE_LEARNER,
    "15-ko-duplicate-content.json": DUPLICATE_CONTENT,
    "16-ko-script-in-free-text.json": SCHEMA_INVALID,
    "17-ko-html-extra-field.json": SCHEMA_INVALID,
    "18-ko-script-in-option-id.json": SCHEMA_INVALID,
    "19-ko-binary.json": NOT_JSON,
    "20-ko-top-level-array.json": WRONG_FORMAT,
    "21-ko-bad-confidence.json": SCHEMA_INVALID,
    "22-ko-bad-time.json": SCHEMA_INVALID,
    "23-ko-empty.json": NOT_JSON,
}
GOOD = ["01-ok-learner-a.json", "02-ok-learner-b.json", "03-ok-learner-c.json", "04-ok-unknown-option-and-case.json"]


def _case_dict() -> dict:
    return yaml.safe_load(CASE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def library() -> dict:
    return {CASE_ID: case_from_dict(_case_dict(), source=str(CASE_FILE))}


def _export(learner: str, attempts: list[dict], exported_at: str = "2026-11-21T12:00:00Z") -> dict:
    return {"format": "mslbp-attempts", "version": 1, "learner_id": learner, "exported_at": exported_at,
            "attempts": attempts}


def _attempt(n: int, question: str = "classification", selection: tuple[str, ...] = ("lhermitte",),
             verdict: str = "correct", confidence: int | None = 3, time: str = "2026-11-21T11:00:00Z") -> dict:
    return {"attempt_id": f"{n:032x}", "case_id": CASE_ID, "question_id": question, "selection": list(selection),
            "verdict": verdict, "score": 1.0 if verdict == "correct" else 0.0, "confidence": confidence,
            "time": time}


def _bytes(obj: object) -> bytes:
    return json.dumps(obj).encode()


# ----------------------------------------------------------------------------------------------- the fixture folder


def test_every_fixture_is_listed_here() -> None:
    names = {p.name for p in FIXTURES.iterdir()}
    assert names == set(GOOD) | set(EXPECTED_SKIPS)


def test_fixture_folder_each_file_reported_with_its_reason() -> None:
    data = load_exports(FIXTURES)
    reasons = {r.name: r.reason for r in data.reports}
    assert len(data.reports) == len(GOOD) + len(EXPECTED_SKIPS)
    for name in GOOD:
        assert reasons[name] == ACCEPTED, name
    for name, reason in EXPECTED_SKIPS.items():
        assert reasons[name] == reason, name


def test_all_valid_files_counted_despite_the_hostile_ones() -> None:
    data = load_exports(FIXTURES)
    assert len(data.learners) == 4
    # a: 4, b: 3, c: 3, d: 4 listed but one repeats an attempt id -> 3
    assert len(data.attempts) == 13
    d = next(r for r in data.reports if r.name == "04-ok-unknown-option-and-case.json")
    assert (d.n_attempts, d.n_new_attempts) == (4, 3)
    assert "repeated attempt id" in d.detail


def test_same_result_when_only_good_files(tmp_path: Path) -> None:
    for name in GOOD:
        shutil.copy(FIXTURES / name, tmp_path / name)
    assert len(load_exports(tmp_path).attempts) == len(load_exports(FIXTURES).attempts)


def test_skip_details_name_what_is_wrong() -> None:
    details = {r.name: r.detail for r in load_exports(FIXTURES).reports}
    assert "truncated" in details["11-ko-truncated.json"]
    assert "version is 2" in details["12-ko-wrong-version.json"]
    assert "mslbp-attempts" in details["13-ko-wrong-format.json"]
    assert "01-ok-learner-a.json" in details["14-ko-duplicate-learner.json"]
    assert "02-ok-learner-b.json" in details["15-ko-duplicate-content.json"]
    assert "exported_at" in details["16-ko-script-in-free-text.json"]
    assert "attempts[0]" in details["17-ko-html-extra-field.json"] and "note" in details["17-ko-html-extra-field.json"]
    assert "attempts[0].selection[0]" in details["18-ko-script-in-option-id.json"]
    assert "attempts[0].confidence" in details["21-ko-bad-confidence.json"]
    assert "attempts[0].time" in details["22-ko-bad-time.json"]


def test_schema_messages_do_not_echo_long_learner_values() -> None:
    details = {r.name: r.detail for r in load_exports(FIXTURES).reports}
    assert "<script" not in details["18-ko-script-in-option-id.json"]
    assert "onerror" not in details["17-ko-html-extra-field.json"]


# ----------------------------------------------------------------------------------------------- size limit


def test_50_mb_file_skipped_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "huge.json"
    with big.open("wb") as fh:  # 50 MB of valid-looking JSON, generated here and never committed
        fh.write(b'{"format": "mslbp-attempts", "version": 1, "pad": "')
        chunk = b"x" * (1024 * 1024)
        for _ in range(50):
            fh.write(chunk)
        fh.write(b'"}')
    shutil.copy(FIXTURES / "01-ok-learner-a.json", tmp_path / "01-ok-learner-a.json")
    assert big.stat().st_size > 50 * 1024 * 1024

    real_open = Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == "huge.json":
            raise AssertionError("the oversized file was opened")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    data = load_exports(tmp_path)
    reasons = {r.name: r.reason for r in data.reports}
    assert reasons == {"huge.json": TOO_LARGE, "01-ok-learner-a.json": ACCEPTED}
    assert "2,097,152" in next(r.detail for r in data.reports if r.name == "huge.json")
    assert len(data.attempts) == 4


def test_limit_is_configurable_and_applies_to_uploads() -> None:
    raw = (FIXTURES / "02-ok-learner-b.json").read_bytes()
    data = load_exports([("b.json", raw)], max_bytes=len(raw) - 1)
    assert data.reports[0].reason == TOO_LARGE
    assert load_exports([("b.json", raw)], max_bytes=len(raw)).reports[0].reason == ACCEPTED


def test_bad_limit_is_a_clear_error() -> None:
    with pytest.raises(ExportFormatError, match="max_bytes"):
        load_exports(FIXTURES, max_bytes=0)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportFormatError, match="no such file or folder"):
        load_exports(tmp_path / "nope")


# ----------------------------------------------------------------------------------------------- hostile JSON


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 200_000,  # nesting deep enough to break a recursive parser
        b'{"format": "mslbp-attempts", "version": NaN}',
        b'{"format": "mslbp-attempts", "format": "mslbp-attempts"}',  # duplicate key
        b'{"format": "mslbp-attempts", "version": 1' + b"1" * 5000 + b"}",  # 5,000-digit integer
    ],
    ids=["deep-nesting", "nan", "duplicate-key", "huge-int"],
)
def test_pathological_json_is_malformed_not_a_crash(raw: bytes) -> None:
    report = load_exports([("x.json", raw)]).reports[0]
    assert report.reason == MALFORMED_JSON


@pytest.mark.parametrize("depth", [50, 300, 900])
def test_deeply_nested_values_inside_a_valid_shell_are_schema_invalid(depth: int) -> None:
    deep = "[" * depth + "1" + "]" * depth  # jsonschema recurses into these (uniqueItems); it must not crash
    raw = ('{"format": "mslbp-attempts", "version": 1, "learner_id": "' + "a" * 32 + '", "exported_at": '
           '"2026-11-21T12:00:00Z", "attempts": [{"selection": [' + deep + ", " + deep + "]}]}").encode()
    ok = (FIXTURES / "01-ok-learner-a.json").read_bytes()
    data = load_exports([("deep.json", raw), ("ok.json", ok)])
    assert [r.reason for r in data.reports] == [SCHEMA_INVALID, ACCEPTED]


def test_boolean_version_is_wrong_version() -> None:
    doc = _export("a" * 32, [_attempt(1)])
    doc["version"] = True
    assert load_exports([("x.json", _bytes(doc))]).reports[0].reason == WRONG_VERSION


def test_uploads_as_mapping_and_pairs() -> None:
    raw = (FIXTURES / "01-ok-learner-a.json").read_bytes()
    assert load_exports({"a.json": raw}).reports[0].accepted
    assert load_exports([("a.json", raw)]).reports[0].accepted


# ----------------------------------------------------------------------------------------------- duplicates


def test_duplicate_learner_latest_export_wins_whatever_the_order() -> None:
    early = _export("b" * 32, [_attempt(1)], exported_at="2026-11-21T10:00:00Z")
    late = _export("b" * 32, [_attempt(1), _attempt(2, time="2026-11-21T11:30:00Z")],
                   exported_at="2026-11-21T12:00:00Z")
    files = [("early.json", _bytes(early)), ("late.json", _bytes(late))]
    for order in (files, files[::-1]):
        data = load_exports(order)
        reasons = {r.name: r.reason for r in data.reports}
        assert reasons == {"late.json": ACCEPTED, "early.json": DUPLICATE_LEARNER}
        assert len(data.attempts) == 2


def test_attempts_deduplicated_by_attempt_id_across_files() -> None:
    one = _export("1" * 32, [_attempt(1), _attempt(2)])
    two = _export("2" * 32, [_attempt(2), _attempt(3)])  # attempt 2 repeated (e.g. a copied file edited)
    data = load_exports([("one.json", _bytes(one)), ("two.json", _bytes(two))])
    assert [a.attempt_id for a in data.attempts] == [f"{n:032x}" for n in (1, 2, 3)]
    assert data.reports[1].n_new_attempts == 1


def test_reports_keep_input_order() -> None:
    files = [(p.name, p.read_bytes()) for p in sorted(FIXTURES.iterdir())][::-1]
    data = load_exports(files)
    assert [r.name for r in data.reports] == [n for n, _ in files]


# ----------------------------------------------------------------------------------------------- tally


def test_first_attempt_is_earliest_by_time_not_by_position(library: dict) -> None:
    data = load_exports(FIXTURES)
    first = {(a.learner_id, a.question_id): a for a in data.first_attempts()}
    c_learner = next(r.learner_id for r in data.reports if r.name == "03-ok-learner-c.json")
    assert first[(c_learner, "classification")].selection == ("disc",)


def test_tally_per_question_distribution(library: dict) -> None:
    t = tally(load_exports(FIXTURES), library)
    q = t.question(CASE_ID, "classification")
    assert q is not None
    counts = {o.option_id: o.count for o in q.options}
    # first attempts: a disc, b lhermitte, c disc (earliest), d an unknown option
    assert counts == {"lhermitte": 1, "continuous-central": 0, "disc": 2, "spasticity": 0}
    assert q.unknown.count == 1 and not q.unknown.known
    assert (q.n_learners, q.n_attempts, q.n_first_correct) == (4, 6, 1)
    assert q.pct_first_correct == pytest.approx(25.0)
    wrong = q.most_common_wrong
    assert wrong is not None and wrong.option_id == "disc" and wrong.count == 2
    assert wrong.feedback.startswith("Radicular pain follows one root")


def test_tally_multiple_choice_counts_ticks(library: dict) -> None:
    q = tally(load_exports(FIXTURES), library).question(CASE_ID, "next-step")
    assert q is not None
    counts = {o.option_id: o.count for o in q.options}
    assert counts == {"new-symptom": 2, "reassure-explain": 2, "drug-if-troublesome": 1, "lumbar-mri": 1,
                      "nsaid": 0}
    assert (q.n_learners, q.n_first_correct) == (3, 1)
    assert [o.option_id for o in q.wrong_answers] == ["lumbar-mri"]


def test_acceptable_answer_is_a_wrong_answer_flagged_acceptable(library: dict) -> None:
    q = tally(load_exports(FIXTURES), library).question(CASE_ID, "first-impression")
    assert q is not None
    assert (q.n_learners, q.n_first_correct) == (3, 2)
    wrong = q.most_common_wrong
    assert wrong is not None and wrong.option_id == "lifting" and wrong.acceptable


def test_correctness_comes_from_the_library_not_the_file(library: dict) -> None:
    lying = _export("c" * 32, [_attempt(1, selection=("disc",), verdict="correct")])
    t = tally(load_exports([("lie.json", _bytes(lying))]), library)
    q = t.question(CASE_ID, "classification")
    assert q is not None and q.n_first_correct == 0


def test_two_options_on_single_choice_counted_as_unknown(library: dict) -> None:
    doc = _export("d" * 32, [_attempt(1, selection=("disc", "lhermitte"))])
    q = tally(load_exports([("x.json", _bytes(doc))]), library).question(CASE_ID, "classification")
    assert q is not None and q.unknown.count == 1 and q.n_first_correct == 0


def test_unknown_cases_are_counted_apart(library: dict) -> None:
    t = tally(load_exports(FIXTURES), library)
    assert t.unknown_questions == (("no-such-case", "q1", 1),)
    assert all(q.case_id == CASE_ID for q in t.questions)


def test_accuracy_by_mechanism_and_calibration(library: dict) -> None:
    t = tally(load_exports(FIXTURES), library)
    assert t.n_learners == 4
    assert [(m.mechanism, m.total, m.correct) for m in t.mechanisms] == [("paroxysmal-neuropathic", 10, 4)]
    assert t.mechanisms[0].label.startswith("Paroxysmal")
    cal = {b.confidence: (b.total, b.correct) for b in t.calibration}
    assert cal == {1: (0, 0), 2: (2, 1), 3: (2, 0), 4: (2, 2), 5: (3, 1)}


def test_unanswered_questions_only_on_request(library: dict) -> None:
    empty = load_exports([])
    assert tally(empty, library).questions == ()
    t = tally(empty, library, include_unanswered=True)
    assert [q.question_id for q in t.questions] == ["first-impression", "classification", "next-step"]
    assert t.questions[0].pct_first_correct is None and t.questions[0].most_common_wrong is None


# ----------------------------------------------------------------------------------------------- summary CSV


def test_summary_csv_round_trips(library: dict) -> None:
    t = tally(load_exports(FIXTURES), library)
    rows = list(csv.DictReader(io.StringIO(summary_csv(t))))
    assert tuple(rows[0]) == aggregate.SUMMARY_COLUMNS
    by_q = {r["question_id"]: r for r in rows}
    assert by_q["classification"]["n_learners"] == "4"
    assert by_q["classification"]["n_attempts"] == "6"
    assert by_q["classification"]["pct_correct_first_attempt"] == "25.0"
    assert by_q["classification"]["most_common_wrong_answer"] == "Disc herniation with sciatica"
    assert by_q["classification"]["case_id"] == CASE_ID
    assert len(summary_rows(t)) == 3


def test_summary_csv_neutralises_formulas() -> None:
    d = _case_dict()
    d = copy.deepcopy(d)
    d["stages"][1]["question"]["options"][2]["text"] = "=HYPERLINK(\"http://x\")"
    lib = {CASE_ID: case_from_dict(d)}
    doc = _export("e" * 32, [_attempt(1, selection=("disc",), verdict="incorrect")])
    text = summary_csv(tally(load_exports([("x.json", _bytes(doc))]), lib))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["most_common_wrong_answer"] == "'=HYPERLINK(\"http://x\")"


# ----------------------------------------------------------------------------------------------- sample exports


def test_bundled_sample_exports_are_all_accepted_and_current() -> None:
    """data/sample-exports (synthetic, for the instructor notebook) must match today's case bank.
    If this fails after a case was edited, regenerate them:
    python -c "from mslbp_widgets.classroom.tally import *; write_synthetic_exports(sample_exports_folder())"."""
    data = load_exports(aggregate.sample_exports_folder())
    assert len(data.reports) >= 10
    assert all(r.accepted for r in data.reports), [r for r in data.reports if not r.accepted]
    assert all(r.name.startswith("synthetic-learner-") for r in data.reports)
    t = tally(data)
    assert t.unknown_questions == ()
    assert all(q.unknown.count == 0 for q in t.questions)
    assert {q.case_id for q in t.questions} == set(aggregate.SAMPLE_CASES)


def test_synthetic_exports_are_valid_and_deterministic(library: dict) -> None:
    docs = aggregate.synthetic_exports(library, case_ids=[CASE_ID], n_learners=5, seed=7)
    again = aggregate.synthetic_exports(library, case_ids=[CASE_ID], n_learners=5, seed=7)
    assert docs == again and len(docs) == 5
    for doc in docs:
        assert export_format.schema_errors(doc) == []
    data = load_exports([(f"{i}.json", _bytes(d)) for i, d in enumerate(docs)])
    assert len(data.accepted) == 5
    t = tally(data, library)
    assert all(q.n_learners == 5 for q in t.questions)


def test_write_synthetic_exports(tmp_path: Path, library: dict) -> None:
    paths = aggregate.write_synthetic_exports(tmp_path / "new", library, case_ids=[CASE_ID], n_learners=3)
    assert [p.name for p in paths] == [f"synthetic-learner-0{i}.json" for i in (1, 2, 3)]
    assert len(load_exports(tmp_path / "new").accepted) == 3


# ----------------------------------------------------------------------------------------------- real exports


def test_a_real_progress_log_export_is_accepted_and_counted(tmp_path: Path, library: dict) -> None:
    """What the case bank's "Download my attempts (JSON)" produces (ProgressLog.export_json) is read as is."""
    from mslbp_widgets.logic.evaluate import evaluate
    from mslbp_widgets.logic.progress import ProgressLog

    log = ProgressLog(tmp_path / "attempts.json")
    q = library[CASE_ID].question("classification")
    log.record(CASE_ID, evaluate(q, "disc", 4))
    log.record(CASE_ID, evaluate(q, "lhermitte", 5))
    data = load_exports([("mslbp-attempts.json", log.export_json().encode("utf-8"))])
    assert data.reports[0].accepted, data.reports[0]
    t = tally(data, library)
    cq = t.question(CASE_ID, "classification")
    assert cq is not None and (cq.n_learners, cq.n_attempts, cq.n_first_correct) == (1, 2, 0)
    assert cq.most_common_wrong is not None and cq.most_common_wrong.option_id == "disc"


# ------------------------------------------------------------------------------ instructor walkthrough fixes


def test_missing_relative_folder_names_the_resolved_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "exports").mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExportFormatError) as err:
        load_exports("export")
    msg = str(err.value)
    assert f"no such file or folder: {tmp_path / 'export'}" in msg
    assert "notebook's folder" in msg and f"Did you mean {str(tmp_path / 'exports')!r}?" in msg


def test_unknown_case_id_names_the_nearest_and_every_id(library: dict) -> None:
    with pytest.raises(aggregate.UnknownCaseError) as err:
        aggregate.find_case("lhermite-shock-on-neck-flexion", library)
    assert isinstance(err.value, KeyError)  # callers that caught get_case's KeyError still work
    assert err.value.suggestion == CASE_ID
    msg = str(err.value)
    assert msg.startswith("There is no case or check set with the id 'lhermite-shock-on-neck-flexion'.")
    assert f"Did you mean {CASE_ID!r}?" in msg and f"Case ids: {CASE_ID}." in msg
    assert aggregate.find_case(CASE_ID, library) is library[CASE_ID]
    assert aggregate.nearest_id(" Lhermitte_Shock_on_Neck_Flexion ", [CASE_ID, "other"]) == CASE_ID
    assert aggregate.nearest_id("zzzz", [CASE_ID, "other"]) is None


def test_summary_rows_lowest_first_attempt_accuracy_first(library: dict) -> None:
    t = tally(load_exports(FIXTURES), library, include_unanswered=True)
    pcts = [r["pct_correct_first_attempt"] for r in summary_rows(t)]
    answered = [p for p in pcts if p != ""]
    assert answered == sorted(answered) and answered[0] < answered[-1]
    assert pcts[len(answered):] == [""] * (len(pcts) - len(answered))  # unanswered questions last
    in_library_order = [r["question_id"] for r in summary_rows(t, lowest_first_order=False)]
    assert in_library_order == [q.question_id for q in t.questions]
    csv_rows = list(csv.DictReader(io.StringIO(summary_csv(t))))
    assert [r["question_id"] for r in csv_rows] == [r["question_id"] for r in summary_rows(t)]
