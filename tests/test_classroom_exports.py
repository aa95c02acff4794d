"""Reading a class's exports (classroom/exports.py): untrusted files, good and hostile (tests/fixtures/exports)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import EXPORT_FIXTURES
from helpers import as_bytes as _bytes
from helpers import attempt as _attempt
from helpers import export as _export

from mslbp_widgets.classroom.exports import (
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
)
from mslbp_widgets.logic.errors import ExportFormatError

FIXTURES = EXPORT_FIXTURES

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
    assert "version is 3" in details["12-ko-wrong-version.json"]
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


def test_an_earlier_download_of_the_same_learner_adds_nothing_whatever_the_order() -> None:
    early = _export("b" * 32, [_attempt(1)], exported_at="2026-11-21T10:00:00Z")
    late = _export("b" * 32, [_attempt(1), _attempt(2, time="2026-11-21T11:30:00Z")],
                   exported_at="2026-11-21T12:00:00Z")
    files = [("early.json", _bytes(early)), ("late.json", _bytes(late))]
    for order in (files, files[::-1]):
        data = load_exports(order)
        reasons = {r.name: r.reason for r in data.reports}
        assert reasons == {"late.json": ACCEPTED, "early.json": DUPLICATE_LEARNER}
        assert len(data.attempts) == 2


def test_attempt_ids_repeated_within_a_file_count_once() -> None:
    one = _export("1" * 32, [_attempt(1), _attempt(2), _attempt(2)])
    data = load_exports([("one.json", _bytes(one))])
    assert [a.attempt_id for a in data.attempts] == [f"{n:032x}" for n in (1, 2)]
    assert data.reports[0].n_new_attempts == 2 and "1 repeated attempt ids ignored" in data.reports[0].detail


def test_a_file_copying_other_learners_attempt_ids_erases_nobody() -> None:
    """One learner's file reusing the attempt ids of others (a copied file, edited) once erased their answers."""
    honest = [_export(f"{n}" * 32, [_attempt(10 * n + 1), _attempt(10 * n + 2)]) for n in (1, 2, 3)]
    copier = _export("9" * 32, [_attempt(11), _attempt(21), _attempt(31)])
    files = [("copier.json", _bytes(copier))] + [(f"learner-{i}.json", _bytes(d)) for i, d in enumerate(honest)]
    data = load_exports(files)
    per_learner = {lid: sum(a.learner_id == lid for a in data.attempts) for lid in data.learners}
    assert per_learner == {"9" * 32: 3, "1" * 32: 2, "2" * 32: 2, "3" * 32: 2}


def test_reports_keep_input_order() -> None:
    files = [(p.name, p.read_bytes()) for p in sorted(FIXTURES.iterdir())][::-1]
    data = load_exports(files)
    assert [r.name for r in data.reports] == [n for n, _ in files]


def test_missing_relative_folder_names_the_resolved_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "exports").mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExportFormatError) as err:
        load_exports("export")
    msg = str(err.value)
    assert f"no such file or folder: {tmp_path / 'export'}" in msg
    assert "notebook's folder" in msg and f"Did you mean {str(tmp_path / 'exports')!r}?" in msg


def test_links_in_the_folder_are_reported_never_followed(tmp_path: Path) -> None:
    """A link once let the tally read any file of the machine (and count the instructor's own progress file)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "real.json").write_bytes(_bytes(_export("1" * 32, [_attempt(1)])))
    secret = tmp_path / "my-own-progress.json"
    secret.write_bytes(_bytes(_export("2" * 32, [_attempt(2)])))
    (folder / "link.json").symlink_to(secret)
    (folder / "to-passwd.json").symlink_to("/etc/passwd")
    data = load_exports(folder)
    assert data.learners == ("1" * 32,)
    links = {r.name: r for r in data.reports if r.reason == "link"}
    assert set(links) == {"link.json", "to-passwd.json"} and "not an export" in links["link.json"].detail


def test_file_names_cannot_hide_their_ending_or_carry_unsendable_text() -> None:
    rtl = "report\u202egnp.json"  # shows as "reportnosj.png" in a browser
    lone = "bad\udc80name.json"
    data = load_exports([(rtl, b"not json"), (lone, b"{")])
    names = [r.name for r in data.reports]
    assert names[0] == "report[U+202E]gnp.json"
    assert "\udc80" not in names[1] and names[1].startswith("bad") and names[1].endswith("name.json")
    for r in data.reports:
        r.name.encode("utf-8")  # every report can be sent to the browser
        r.detail.encode("utf-8")


def test_a_lone_surrogate_in_a_key_is_reported_and_sendable() -> None:
    raw = ('{"format": "mslbp-attempts", "version": 1, "learner_id": "' + "a" * 32 + '", "exported_at": '
           '"2026-11-21T12:00:00Z", "attempts": [], "\\udc80": 1}').encode()
    (report,) = load_exports([("x.json", raw)]).reports
    assert report.reason == "schema-invalid"
    report.detail.encode("utf-8")


def test_a_file_reusing_a_learner_id_with_a_far_future_date_displaces_nobody() -> None:
    """A file claiming a learner's id with exported_at in 9999 once replaced that learner's whole export: files of
    one learner are now merged attempt by attempt, and a file's date decides nothing."""
    victim = _export("c" * 32, [_attempt(1, verdict="correct"), _attempt(2, question="second", verdict="correct")],
                     exported_at="2026-11-21T12:00:00Z")
    forged = _export("c" * 32, [_attempt(9, verdict="incorrect", selection=("trigger",),
                                         time="2026-11-21T11:30:00Z")],
                     exported_at="9999-12-31T23:59:59Z")
    files = [("victim.json", _bytes(victim)), ("forged.json", _bytes(forged))]
    for order in (files, files[::-1]):
        data = load_exports(order)
        assert sorted(a.attempt_id for a in data.attempts) == [f"{n:032x}" for n in (1, 2, 9)]
        assert data.learners == ("c" * 32,)
        reports = {r.name: r for r in data.reports}
        assert reports["victim.json"].accepted and reports["victim.json"].detail == "2 attempts"
        assert reports["forged.json"].accepted
        assert reports["forged.json"].detail.startswith("same learner_id as victim.json: merged attempt by attempt, 1")


def test_a_forged_copy_of_an_attempt_id_cannot_replace_the_earlier_answer() -> None:
    real = _export("d" * 32, [_attempt(1, time="2026-11-21T11:00:00Z"), _attempt(2, question="second")])
    forged = _export("d" * 32, [_attempt(1, verdict="incorrect", selection=("trigger",), time="2026-11-21T11:05:00Z")],
                     exported_at="9999-12-31T23:59:59Z")
    for order in ([("real.json", _bytes(real)), ("forged.json", _bytes(forged))],
                  [("forged.json", _bytes(forged)), ("real.json", _bytes(real))]):
        data = load_exports(order)
        (one,) = [a for a in data.attempts if a.attempt_id == f"{1:032x}"]
        assert one.verdict == "correct" and len(data.attempts) == 2
        forged_report = next(r for r in data.reports if r.name == "forged.json")
        assert "1 attempt ids used with other answers" in forged_report.detail
