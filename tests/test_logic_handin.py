"""Hand-in (logic/handin.py): the learner's own export, atomically, under a name from their own id; never another
learner's file, never through a link; the class tally reads the folder like any exports."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from mslbp_widgets.classroom.exports import load_exports
from mslbp_widgets.logic.export_format import read_export
from mslbp_widgets.logic.handin import (
    FILE_MODE,
    HANDIN_DIR_ENV,
    HUB_USER_ENV,
    HandInError,
    hand_in,
    handin_dir,
    handin_name,
    no_folder_message,
    safe_account,
)
from mslbp_widgets.logic.progress import ProgressLog


@pytest.fixture
def folder(handin_folder: Path) -> Path:
    return handin_folder  # tests/conftest.py


def learner(tmp_path: Path, name: str, *selections: str) -> ProgressLog:
    log = ProgressLog(tmp_path / name / "attempts.json")
    for sel in selections:
        log.add("lhermitte-shock-on-neck-flexion", "classification", sel, "incorrect", 0.0, 3)
    return log


def test_the_folder_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(HANDIN_DIR_ENV, raising=False)
    assert handin_dir() is None
    monkeypatch.setenv(HANDIN_DIR_ENV, "  ")
    assert handin_dir() is None
    monkeypatch.setenv(HANDIN_DIR_ENV, str(tmp_path))
    assert handin_dir() == tmp_path


def test_names_come_from_the_learner_id_and_the_hub_account() -> None:
    lid = "0123456789abcdef0123456789abcdef"
    assert handin_name(lid) == f"{lid}.json"
    assert handin_name(lid, "alice") == f"alice--{lid}.json"
    assert handin_name(lid, "a.b@uni.edu") == f"a.b_uni.edu--{lid}.json"
    assert safe_account("../../etc/passwd") == "_.._etc_passwd"
    assert safe_account("..hidden") == "hidden" and safe_account("é/") == "__" and safe_account("") == "_"
    assert len(safe_account("x" * 500)) == 64
    for bad in ("../x", "a/b", "", ".hidden", "x" * 65, "id\n", None):
        with pytest.raises(HandInError, match="no usable learner id"):
            handin_name(bad)  # type: ignore[arg-type]


def test_hand_in_writes_the_learners_export_and_the_tally_reads_it(folder: Path, tmp_path: Path) -> None:
    log = learner(tmp_path, "a", "lhermitte", "trigger")
    done = hand_in(log)
    assert done.path == folder / f"{log.learner_id}.json" and done.n_attempts == 2 and not done.replaced
    doc = read_export(done.path.read_bytes(), str(done.path))
    assert doc["learner_id"] == log.learner_id and doc["exported_at"] == done.time
    assert [a["selection"] for a in doc["attempts"]] == [["lhermitte"], ["trigger"]]
    assert stat.S_IMODE(done.path.stat().st_mode) == FILE_MODE
    assert sorted(p.name for p in folder.iterdir()) == [done.path.name], "no temporary file is left behind"
    data = load_exports(folder)
    assert data.learners == (log.learner_id,) and len(data.attempts) == 2


def test_hand_in_again_replaces_only_your_own_file(folder: Path, tmp_path: Path) -> None:
    a, b = learner(tmp_path, "a", "lhermitte"), learner(tmp_path, "b", "trigger")
    first_a, first_b = hand_in(a), hand_in(b)
    b_bytes = first_b.path.read_bytes()
    a.add("lhermitte-shock-on-neck-flexion", "classification", "trigger", "incorrect", 0.0, 2)
    again = hand_in(a)
    assert again.path == first_a.path and again.replaced and again.n_attempts == 2
    assert first_b.path.read_bytes() == b_bytes, "the other learner's hand-in is untouched"
    data = load_exports(folder)
    assert set(data.learners) == {a.learner_id, b.learner_id}
    mine = [x.selection for x in data.attempts if x.learner_id == a.learner_id]
    assert mine == [("lhermitte",), ("trigger",)], "the tally counts the latest hand-in"


def test_on_a_hub_the_account_is_in_the_name(folder: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(HUB_USER_ENV, "learner-7@uni.edu")
    log = learner(tmp_path, "a", "lhermitte")
    assert hand_in(log).path.name == f"learner-7_uni.edu--{log.learner_id}.json"


def test_the_id_is_read_from_the_log_at_each_hand_in(folder: Path, tmp_path: Path) -> None:
    log = learner(tmp_path, "a", "lhermitte")
    other = learner(tmp_path, "b", "trigger")
    first = hand_in(log)
    log._learner_id = other.learner_id  # e.g. the learner chose to continue as the learner of a loaded file
    assert hand_in(log).path.name == f"{other.learner_id}.json" != first.path.name


def test_a_link_at_the_learners_name_is_refused_and_its_target_untouched(folder: Path, tmp_path: Path) -> None:
    victim = tmp_path / "someone-elses.json"
    victim.write_text("precious")
    log = learner(tmp_path, "a", "lhermitte")
    (folder / f"{log.learner_id}.json").symlink_to(victim)
    with pytest.raises(HandInError, match="is a link, so it was not replaced and nothing was handed in"):
        hand_in(log)
    assert victim.read_text() == "precious"
    (folder / f"{log.learner_id}.json").unlink()
    (folder / f"{log.learner_id}.json").mkdir()
    with pytest.raises(HandInError, match="is not a regular file"):
        hand_in(log)


def test_no_folder_explains_how_to_hand_in_otherwise(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv(HANDIN_DIR_ENV, raising=False)
    with pytest.raises(HandInError) as info:
        hand_in(learner(tmp_path, "a", "lhermitte"))
    assert str(info.value) == no_folder_message()
    assert "Download my attempts (JSON)" in str(info.value) and HANDIN_DIR_ENV in str(info.value)


def test_problems_say_what_to_do_and_write_nothing(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(HandInError, match="not answered any question yet"):
        hand_in(learner(tmp_path, "empty"))
    log = learner(tmp_path, "a", "lhermitte")
    with pytest.raises(HandInError, match=r"hand-in folder .*missing does not exist.*Download my attempts"):
        hand_in(log, folder=tmp_path / "missing")
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    with pytest.raises(HandInError, match="is not a folder"):
        hand_in(log, folder=a_file)
    if os.geteuid() != 0:  # root writes anywhere: a read-only folder only stops other users
        folder.chmod(0o555)
        try:
            with pytest.raises(HandInError, match="could not be written"):
                hand_in(log)
        finally:
            folder.chmod(0o755)
    assert list(folder.iterdir()) == []


def test_a_write_failure_leaves_no_temporary_file(folder: Path, tmp_path: Path, monkeypatch) -> None:
    log = learner(tmp_path, "a", "lhermitte")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(HandInError, match=r"could not be written .*No space left on device"):
        hand_in(log)
    assert list(folder.iterdir()) == []


def test_hostile_hand_ins_are_skipped_by_the_tally_like_uploads(folder: Path, tmp_path: Path) -> None:
    log = learner(tmp_path, "a", "lhermitte")
    hand_in(log)
    (folder / "planted.json").write_text(json.dumps({"format": "mslbp-attempts", "version": 99}))
    (folder / "link.json").symlink_to(tmp_path / "a" / "attempts.json")
    data = load_exports(folder)
    assert data.learners == (log.learner_id,)
    assert {r.name: r.reason for r in data.skipped} == {"planted.json": "wrong-version", "link.json": "link"}
