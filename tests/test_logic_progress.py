"""The learner's progress log: round trip, crash safety, corrupt-file recovery, export and import."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import re
from pathlib import Path

import jsonschema
import pytest
from helpers import valid_export_dict

from mslbp_widgets.logic import export_format
from mslbp_widgets.logic import progress as progress_module
from mslbp_widgets.logic.errors import ExportFormatError, OtherLearnerError, ProgressFileError
from mslbp_widgets.logic.export_format import CSV_COLUMNS
from mslbp_widgets.logic.progress import ProgressLog

HEX32 = re.compile(r"^[0-9a-f]{32}$")


class FakeResult:
    """Stands in for evaluate.Result: the attributes record() reads."""

    def __init__(self, question_id="classification", selection=("lhermitte",), verdict="correct", score=1.0,
                 confidence=4):
        self.question_id = question_id
        self.selection = selection
        self.verdict = verdict
        self.score = score
        self.confidence = confidence


@pytest.fixture()
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "progress" / "attempts.json"


def schema() -> dict:
    return export_format.schema()


def test_default_path_comes_from_environment(tmp_path, monkeypatch):
    target = tmp_path / "env-attempts.json"
    monkeypatch.setenv("MSLBP_PROGRESS_FILE", str(target))
    log = ProgressLog()
    assert log.path == target
    log.add("lhermitte-shock-on-neck-flexion", "classification", ["lhermitte"], "correct", 1.0, 5)
    assert target.is_file()


def test_round_trip(log_path):
    log = ProgressLog(log_path)
    assert log.attempts() == []
    assert not log_path.exists(), "nothing is written before the first attempt"
    a1 = log.record("lhermitte-shock-on-neck-flexion", FakeResult())
    a2 = log.add("lhermitte-shock-on-neck-flexion", "next-step", ["new-symptom", "nsaid"], "partly-correct", 0.33,
                 None)
    assert HEX32.match(a1.attempt_id) and HEX32.match(a2.attempt_id) and a1.attempt_id != a2.attempt_id
    assert a1.selection == ("lhermitte",) and a1.confidence == 4 and a1.verdict == "correct"
    assert a1.time.endswith("Z")

    on_disk = json.loads(log_path.read_text(encoding="utf-8"))
    jsonschema.validate(on_disk, schema())
    assert on_disk["learner_id"] == log.learner_id and HEX32.match(log.learner_id)
    assert [a["attempt_id"] for a in on_disk["attempts"]] == [a1.attempt_id, a2.attempt_id]

    again = ProgressLog(log_path)
    assert again.attempts() == [a1, a2]
    assert again.learner_id == log.learner_id
    assert again.warnings == []
    # No personal data: exactly the documented fields.
    assert set(on_disk) == {"format", "version", "learner_id", "exported_at", "attempts"}
    assert set(on_disk["attempts"][0]) | {"answer"} == set(CSV_COLUMNS) - {"stage_id"}  # no answer for a choice


def test_learner_id_is_made_once_per_file(log_path):
    first = ProgressLog(log_path)
    first.add("case-a", "q", "x", "incorrect", 0.0, 1)
    second = ProgressLog(log_path)
    second.add("case-a", "q", "y", "correct", 1.0, 2)
    assert second.learner_id == first.learner_id
    other = ProgressLog(log_path.with_name("other.json"))
    other.add("case-a", "q", "y", "correct", 1.0, 2)
    assert other.learner_id != first.learner_id


def test_bad_values_are_refused_and_not_stored(log_path):
    log = ProgressLog(log_path)
    with pytest.raises(ValueError, match="verdict"):
        log.add("case-a", "q", ["x"], "maybe", 1.0, 3)
    with pytest.raises(ValueError, match="confidence"):
        log.add("case-a", "q", ["x"], "correct", 1.0, 9)
    with pytest.raises(ValueError, match="score"):
        log.add("case-a", "q", ["x"], "correct", float("nan"), 3)
    with pytest.raises(ValueError, match="case_id"):
        log.add("Case A with spaces", "q", ["x"], "correct", 1.0, 3)
    assert log.attempts() == [] and not log_path.exists()


def test_crash_in_replace_leaves_old_file_intact(log_path, monkeypatch):
    log = ProgressLog(log_path)
    kept = log.add("case-a", "q", ["x"], "correct", 1.0, 3)
    before = log_path.read_bytes()

    def crash(*args, **kwargs):
        raise RuntimeError("simulated power cut during rename")

    monkeypatch.setattr(progress_module.os, "replace", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        log.add("case-a", "q", ["y"], "incorrect", 0.0, 2)
    monkeypatch.undo()

    assert log_path.read_bytes() == before
    assert ProgressLog(log_path).attempts() == [kept]
    assert [p.name for p in log_path.parent.iterdir() if p.name.endswith(".tmp")] == [], "temp file cleaned up"
    # The attempt that could not be saved is still in memory and is saved with the next successful write.
    assert len(log.attempts()) == 2
    log.add("case-a", "q", ["z"], "incorrect", 0.0, 2)
    assert len(ProgressLog(log_path).attempts()) == 3


def test_crash_while_writing_temp_file_leaves_old_file_intact(log_path, monkeypatch):
    log = ProgressLog(log_path)
    log.add("case-a", "q", ["x"], "correct", 1.0, 3)
    before = log_path.read_bytes()
    real_fsync = os.fsync

    def failing_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(progress_module.os, "fsync", failing_fsync)
    with pytest.raises(ProgressFileError) as info:
        log.add("case-a", "q", ["y"], "incorrect", 0.0, 2)
    monkeypatch.setattr(progress_module.os, "fsync", real_fsync)
    assert str(log_path) in str(info.value) and "MSLBP_PROGRESS_FILE" in str(info.value)
    assert log_path.read_bytes() == before
    assert len(ProgressLog(log_path).attempts()) == 1
    assert any("Cannot save" in w for w in log.warnings)


def test_unwritable_location_names_path_and_variable(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("I am a file, so nothing can be created under me")
    log = ProgressLog(blocker / "attempts.json")
    with pytest.raises(ProgressFileError) as info:
        log.add("case-a", "q", ["x"], "correct", 1.0, 3)
    message = str(info.value)
    assert str(blocker / "attempts.json") in message
    assert "MSLBP_PROGRESS_FILE" in message
    assert len(log.attempts()) == 1, "kept in memory so it can still be downloaded"
    assert json.loads(log.export_json())["attempts"][0]["selection"] == ["x"]


def test_read_only_folder(tmp_path, monkeypatch):
    """A folder the learner may not write to (simulated: CI runs as root, which can write anywhere)."""
    folder = tmp_path / "ro"
    folder.mkdir()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(progress_module.tempfile, "mkstemp", refuse)
    log = ProgressLog(folder / "attempts.json")
    with pytest.raises(ProgressFileError, match="MSLBP_PROGRESS_FILE") as info:
        log.add("case-a", "q", ["x"], "correct", 1.0, 3)
    assert str(folder / "attempts.json") in str(info.value)
    assert len(log.attempts()) == 1, "kept in memory so it can still be downloaded"
    assert not (folder / "attempts.json").exists()


@pytest.mark.parametrize(
    "content",
    [
        b'{"format": "mslbp-attempts", "version": 1, "learner_id": "abc", "attem',  # truncated JSON
        b"\xff\xfe not text",
        b"",
        b'{"format": "mslbp-attempts", "version": 1, "learner_id": "0123456789abcdef0123456789abcdef",'
        b' "exported_at": "2026-11-21T12:00:00Z", "attempts": [{"attempt_id": "x"}]}',  # schema-invalid
        b"[1, 2, 3]",
    ],
    ids=["truncated", "binary", "empty", "schema-invalid", "wrong-shape"],
)
def test_corrupt_file_is_moved_aside_with_warning(log_path, content):
    log_path.parent.mkdir(parents=True)
    log_path.write_bytes(content)
    log = ProgressLog(log_path)
    assert log.attempts() == []
    moved = sorted(log_path.parent.glob("attempts.corrupt-*.json"))
    assert len(moved) == 1
    assert moved[0].read_bytes() == content, "the damaged file is kept, byte for byte"
    assert not log_path.exists()
    assert len(log.warnings) == 1
    assert str(moved[0]) in log.warnings[0] and "fresh" in log.warnings[0]
    # A fresh log starts and works.
    log.add("case-a", "q", ["x"], "correct", 1.0, 3)
    assert len(ProgressLog(log_path).attempts()) == 1


def test_file_corrupted_between_writes_is_moved_aside_and_memory_kept(log_path):
    log = ProgressLog(log_path)
    first = log.add("case-a", "q", ["x"], "correct", 1.0, 3)
    log_path.write_text("not json at all", encoding="utf-8")
    second = log.add("case-a", "q", ["y"], "incorrect", 0.0, 1)
    assert [a.attempt_id for a in ProgressLog(log_path).attempts()] == [first.attempt_id, second.attempt_id]
    assert len(list(log_path.parent.glob("attempts.corrupt-*.json"))) == 1
    assert any("moved to" in w for w in log.warnings)


def test_two_corrupt_files_in_the_same_second_do_not_overwrite_each_other(log_path):
    log_path.parent.mkdir(parents=True)
    log_path.write_text("garbage one")
    ProgressLog(log_path)
    log_path.write_text("garbage two")
    ProgressLog(log_path)
    contents = sorted(p.read_text() for p in log_path.parent.glob("attempts.corrupt-*.json"))
    assert contents == ["garbage one", "garbage two"]


def test_export_json_validates_against_schema(log_path):
    log = ProgressLog(log_path)
    log.add("case-a", "q-one", ["x"], "correct", 1.0, 3)
    log.add("case-b", "q-two", ["x", "y"], "partly-correct", 0.5, None)
    exported = json.loads(log.export_json())
    jsonschema.validate(exported, schema(), format_checker=jsonschema.FormatChecker())
    assert exported["format"] == "mslbp-attempts" and exported["version"] == 2
    assert len(exported["attempts"]) == 2


def test_export_csv_header_and_rows(log_path):
    log = ProgressLog(log_path)
    a1 = log.add("case-a", "q-one", ["x"], "correct", 1.0, 3)
    a2 = log.add("case-b", "q-two", ["x", "y"], "partly-correct", 0.5, None)
    a3 = log.add("case-c", "q-three", ["z"], "incorrect", 0.0, 2, stage_id="phone-review")
    rows = list(csv.reader(io.StringIO(log.export_csv())))
    assert rows[0] == [
        "attempt_id", "case_id", "question_id", "selection", "verdict", "score", "confidence", "time", "answer",
        "stage_id",
    ]
    assert rows[1] == [a1.attempt_id, "case-a", "q-one", "x", "correct", "1", "3", a1.time, "", ""]
    assert rows[2] == [a2.attempt_id, "case-b", "q-two", "x;y", "partly-correct", "0.5", "", a2.time, "", ""]
    assert rows[3] == [a3.attempt_id, "case-c", "q-three", "z", "incorrect", "0", "2", a3.time, "", "phone-review"]
    a4 = log.add("case-c", "q-four", (), "correct", 1.0, 2, answer=("ordering", ("b", "a")))
    rows = list(csv.reader(io.StringIO(log.export_csv())))
    assert rows[4] == [a4.attempt_id, "case-c", "q-four", "", "correct", "1", "2", a4.time, "b;a", ""]
    assert len(rows) == 5


def test_empty_log_exports(log_path):
    log = ProgressLog(log_path)
    assert json.loads(log.export_json())["attempts"] == []
    assert log.export_csv().strip() == ",".join(CSV_COLUMNS)


def test_import_of_previous_export_resumes(tmp_path):
    old = ProgressLog(tmp_path / "binder-session-1.json")
    a1 = old.add("case-a", "q-one", ["x"], "correct", 1.0, 3)
    a2 = old.add("case-b", "q-two", ["y"], "incorrect", 0.0, 5)
    download = old.export_json()

    new = ProgressLog(tmp_path / "binder-session-2.json")
    assert new.import_export(download.encode("utf-8"), "my-attempts.json") == 2
    assert new.learner_id == old.learner_id, "an empty log resumes as the same anonymous learner"
    assert [a.attempt_id for a in new.attempts()] == [a1.attempt_id, a2.attempt_id]
    # Persisted, and importing again adds nothing.
    assert [a.attempt_id for a in ProgressLog(tmp_path / "binder-session-2.json").attempts()] == [
        a1.attempt_id, a2.attempt_id
    ]
    assert new.import_export(download, "my-attempts.json") == 0
    assert len(new.attempts()) == 2


def test_import_of_another_learners_download_is_refused_and_changes_nothing(tmp_path):
    """Once merged silently under the log's own id, so that learner vanished from the class tally (issue 10)."""
    old = ProgressLog(tmp_path / "one.json")
    old.add("case-a", "q-one", ["x"], "correct", 1.0, 3)
    current = ProgressLog(tmp_path / "two.json")
    mine = current.add("case-c", "q-three", ["z"], "correct", 1.0, 2)
    before = (tmp_path / "two.json").read_bytes()
    with pytest.raises(OtherLearnerError, match=rf"old\.json holds the answers of learner {old.learner_id[:8]}"):
        current.import_export(old.export_json(), "old.json")
    assert current.attempts() == [mine] and (tmp_path / "two.json").read_bytes() == before


def test_import_of_own_download_merges_by_attempt_id(tmp_path):
    log = ProgressLog(tmp_path / "one.json")
    first = log.add("case-a", "q-one", ["x"], "correct", 1.0, 3)
    download = log.export_json()
    second = log.add("case-a", "q-two", ["y"], "incorrect", 0.0, 2)
    assert log.import_export(download, "mine.json") == 0, "the same attempt twice is one attempt"
    assert log.attempts() == [first, second]


def with_change(path: tuple, value) -> bytes:
    data = valid_export_dict()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"this is not json", r"bad\.json: \(file\): not JSON: a JSON export starts with"),
        (b"attempt_id,case_id,question_id\n", r"bad\.json: \(file\): not JSON.*CSV download"),
        (b"\x89PNG\r\n\x1a\n", r"bad\.json: \(file\): not a text file \(not UTF-8\)"),
        (b"[]", r"bad\.json: \(top level\): the top level is not an object"),
        (with_change(("version",), 3), r"bad\.json: version: version is 3; this course reads export versions 1 and 2"),
        (with_change(("format",), "something-else"),
         r"bad\.json: format: format is \"something-else\"; expected 'mslbp-attempts'"),
        (with_change(("learner_id",), "Jane Doe"),
         r"bad\.json: learner_id: has characters or a shape the export format does not allow$"),
        (with_change(("attempts", 0, "verdict"), "great"),
         r"bad\.json: attempts\[0\]\.verdict: breaks the export format's 'enum' rule"),
        (with_change(("attempts", 0, "time"), "yesterday"), r"bad\.json: attempts\[0\]\.time: not a date-time"),
        (with_change(("attempts", 0, "confidence"), True), r"bad\.json: attempts\[0\]\.confidence"),
        (with_change(("attempts", 0, "name"), "Jane Doe"),
         r"bad\.json: attempts\[0\]: has a field the export format does not allow \(name\)"),
        (json.dumps(valid_export_dict()).replace("1.0", "NaN").encode(),
         r"bad\.json: \(file\): malformed JSON: NaN is not allowed"),
    ],
    ids=["not-json", "csv", "binary", "list", "wrong-version", "wrong-format", "name-not-id", "bad-verdict",
         "bad-time", "bool-confidence", "extra-field", "nan"],
)
def test_import_of_bad_file_names_file_and_field(log_path, content, expected):
    log = ProgressLog(log_path)
    mine = log.add("case-a", "q", ["x"], "correct", 1.0, 3)
    before = log_path.read_bytes()
    with pytest.raises(ExportFormatError, match=expected):
        log.import_export(content, "bad.json")
    assert log.attempts() == [mine]
    assert log_path.read_bytes() == before, "a refused import changes nothing"




PER_PROCESS = 200


def _writer(path: str, tag: str, start, done) -> None:
    log = ProgressLog(path)
    start.wait(30)
    ids = []
    for i in range(PER_PROCESS):
        attempt = log.add(f"case-{tag}", f"q-{i}", ["x"], "correct" if i % 2 else "incorrect", float(i % 2), 1 + i % 5)
        ids.append(attempt.attempt_id)
    done.put((tag, ids, log.warnings))


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "attempts.json"
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    done = ctx.Queue()
    workers = [ctx.Process(target=_writer, args=(str(path), tag, start, done)) for tag in ("a", "b")]
    for w in workers:
        w.start()
    start.set()
    results = [done.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(60)
        assert w.exitcode == 0

    written = {tag: ids for tag, ids, _ in results}
    assert all(warnings == [] for _, _, warnings in results)
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    disk_ids = [a["attempt_id"] for a in on_disk["attempts"]]
    assert len(disk_ids) == 2 * PER_PROCESS == len(set(disk_ids))
    assert set(disk_ids) == set(written["a"]) | set(written["b"])
    # Each process's own attempts keep their order.
    for tag in ("a", "b"):
        mine = [i for i in disk_ids if i in set(written[tag])]
        assert mine == written[tag]
    assert len(ProgressLog(path).attempts()) == 2 * PER_PROCESS
    assert not list(tmp_path.glob("*.corrupt-*")), "no write was ever seen half-done"


def test_an_in_memory_log_keeps_every_attempt_and_writes_nothing(tmp_path):
    log = ProgressLog.in_memory(tmp_path / "a-folder", "the reason")
    assert log.memory_only and log.warnings == ["the reason"]
    first = log.add("case-a", "q1", ["x"], "correct", 1.0, 4)
    assert log.attempts() == [first] and not (tmp_path / "a-folder").exists()
    other = ProgressLog(tmp_path / "elsewhere.json")
    other.add("case-b", "q2", ["y"], "incorrect", 0.0, 2)
    with pytest.raises(OtherLearnerError):  # it has attempts of its own learner: never merged with another's
        log.import_export(other.export_json(), "download.json")
    assert log.attempts() == [first] and log.learner_id != other.learner_id


def test_stage_id_is_recorded_exported_and_read_back(log_path):
    log = ProgressLog(log_path)
    result = evaluate_first_question()
    attempt = log.record("ok-branching", result, stage_id="presentation")
    assert attempt.stage_id == "presentation"
    on_disk = json.loads(log_path.read_text(encoding="utf-8"))
    jsonschema.validate(on_disk, schema())
    assert on_disk["attempts"][0]["stage_id"] == "presentation"
    assert ProgressLog(log_path).attempts()[0].stage_id == "presentation"
    old = log.add("case-a", "q-one", ["x"], "correct", 1.0, 3)  # no stage: an export as before, still valid
    assert "stage_id" not in old.to_dict()
    with pytest.raises(ValueError, match="stage_id"):
        log.add("case-a", "q-one", ["x"], "correct", 1.0, 3, stage_id="Not Kebab")


def evaluate_first_question():
    from mslbp_widgets.logic.cases import load_case_file
    from mslbp_widgets.logic.evaluate import evaluate

    case = load_case_file(Path(__file__).parent / "fixtures" / "cases" / "ok-branching.yaml")
    return evaluate(case.questions[0], "send-home", 2)


def test_new_question_types_are_recorded_exported_and_read_back(log_path):
    """A matching, an ordering and a numeric answer: recorded from their Results, saved as export version 2, read
    back equal, and judged again the same from what was stored."""
    from helpers import QTYPES_RIGHT, qtypes_case

    from mslbp_widgets.logic.evaluate import evaluate

    case = qtypes_case()
    log = ProgressLog(log_path)
    results = [evaluate(case.question(qid), answer, 4) for qid, answer in QTYPES_RIGHT.items()]
    stored = [log.record(case.id, r) for r in results]
    on_disk = json.loads(log_path.read_text(encoding="utf-8"))
    assert on_disk["version"] == 2
    assert [a["answer"] for a in on_disk["attempts"]] == [
        {"matching": QTYPES_RIGHT["match-findings"]}, {"numeric": 5}, {"ordering": QTYPES_RIGHT["visit-order"]}]
    assert all("selection" not in a for a in on_disk["attempts"])
    again = ProgressLog(log_path)
    assert again.attempts() == stored
    for a in again.attempts():
        assert evaluate(case.question(a.question_id), a.answer).verdict == a.verdict == "correct"


def test_a_version_1_progress_file_is_read_and_kept(log_path):
    """A progress file written by the course before version 2 is read as it is; the next save writes version 2
    with every earlier attempt kept."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    old = {"format": "mslbp-attempts", "version": 1, "learner_id": "ab" * 16, "exported_at": "2026-11-21T12:00:00Z",
           "attempts": [{"attempt_id": "cd" * 16, "case_id": "case-a", "question_id": "q-one", "selection": ["x"],
                         "verdict": "correct", "score": 1.0, "confidence": 3, "time": "2026-11-21T11:00:00Z"}]}
    log_path.write_text(json.dumps(old), encoding="utf-8")
    log = ProgressLog(log_path)
    assert [a.selection for a in log.attempts()] == [("x",)] and log.warnings == []
    log.add("case-a", "q-two", (), "incorrect", 0.0, 1, answer=("numeric", 3))
    on_disk = json.loads(log_path.read_text(encoding="utf-8"))
    assert on_disk["version"] == 2 and on_disk["learner_id"] == "ab" * 16
    assert on_disk["attempts"][0] == old["attempts"][0]
    assert on_disk["attempts"][1]["answer"] == {"numeric": 3}


def test_one_bad_attempt_is_set_aside_and_the_good_ones_kept(log_path):
    """One bad attempt once set aside a learner's whole log (99 good attempts with it)."""
    doc = valid_export_dict(n_attempts=4)
    doc["attempts"][2]["time"] = "yesterday"
    bad = dict(doc["attempts"][2])
    log_path.parent.mkdir(parents=True)
    log_path.write_text(json.dumps(doc), encoding="utf-8")
    log = ProgressLog(log_path)
    assert [a.attempt_id for a in log.attempts()] == [doc["attempts"][i]["attempt_id"] for i in (0, 1, 3)]
    (side,) = log_path.parent.glob("attempts.set-aside-*.json")
    kept = json.loads(side.read_text(encoding="utf-8"))
    assert kept["attempts"] == [{"index": 2, "problem": "attempts[2].time: not a date-time like 2026-11-21T12:00:00Z",
                                 "attempt": bad}]
    assert kept["learner_id"] == doc["learner_id"]
    (warning,) = log.warnings
    assert str(side) in warning and "attempts[2].time" in warning and "other 3 attempts were kept" in warning
    assert not list(log_path.parent.glob("attempts.corrupt-*"))
    assert len(ProgressLog(log_path).attempts()) == 3 and ProgressLog(log_path).warnings == []  # the file is whole


def test_a_file_with_no_good_attempt_is_moved_aside_whole(log_path):
    doc = valid_export_dict(n_attempts=2)
    for a in doc["attempts"]:
        a["verdict"] = "maybe"
    log_path.parent.mkdir(parents=True)
    log_path.write_text(json.dumps(doc), encoding="utf-8")
    assert ProgressLog(log_path).attempts() == [] and len(list(log_path.parent.glob("attempts.corrupt-*"))) == 1


def test_temporary_files_of_a_killed_save_are_cleaned_and_a_complete_one_merged(log_path):
    """A kill mid-save left its temporary file behind (6 files, 1.45 MB after 50 kills), never cleaned."""
    log = ProgressLog(log_path)
    first = log.add("case-a", "q", ["x"], "correct", 1.0, 3)
    folder = log_path.parent
    (folder / ".attempts.json.k1ll3d_1.tmp").write_text('{"format": "mslbp-att', encoding="utf-8")  # cut short
    complete = log.export_dict()
    complete["attempts"].append({**complete["attempts"][0], "attempt_id": "f" * 32})
    (folder / ".attempts.json.k1ll3d_2.tmp").write_text(json.dumps(complete), encoding="utf-8")
    other = {**complete, "learner_id": "e" * 32}
    (folder / ".attempts.json.0ther_lr.tmp").write_text(json.dumps(other), encoding="utf-8")
    (folder / ".attempts.json.bak.abcdefgh.tmp").write_text("another file's save", encoding="utf-8")
    (folder / ".attempts.json.k1ll3d_3.tmp").mkdir()
    reopened = ProgressLog(log_path)
    assert [a.attempt_id for a in reopened.attempts()] == [first.attempt_id, "f" * 32]
    assert any("1 attempt from a save that was interrupted" in w for w in reopened.warnings)
    left = sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))
    assert left == [".attempts.json.0ther_lr.tmp", ".attempts.json.bak.abcdefgh.tmp", ".attempts.json.k1ll3d_3.tmp"]
    assert [a.attempt_id for a in ProgressLog(log_path).attempts()] == [first.attempt_id, "f" * 32]


def test_unsaved_counts_attempts_a_failed_save_kept_in_memory(log_path, monkeypatch):
    log = ProgressLog(log_path)
    log.add("case-a", "q", ["x"], "correct", 1.0, 3)
    assert log.unsaved() == 0

    def fail(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(log, "_write_atomic", fail)
    with pytest.raises(ProgressFileError):
        log.add("case-a", "q", ["y"], "incorrect", 0.0, 1)
    assert len(log) == 2 and log.unsaved() == 1
