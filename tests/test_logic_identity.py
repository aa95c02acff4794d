"""Learner identity (logic/identity.py): ids, the registry of per-learner logs, the progress of a widget tree before
and after the browser says who the learner is, the rules for loading a download, handing a single file over, and
the progress file of the course's earlier versions."""

from __future__ import annotations

import json

import pytest
from helpers import CASE_ID, as_bytes, attempt, export

from mslbp_widgets.classroom import load_exports
from mslbp_widgets.logic import identity as I
from mslbp_widgets.logic.errors import ExportFormatError, OtherLearnerError, ProgressFileError
from mslbp_widgets.logic.export_format import parse_export
from mslbp_widgets.logic.progress import ProgressLog

A, B = "a" * 32, "b" * 32


@pytest.fixture()
def browser_mode(tmp_path, monkeypatch):
    """A shared server as a room uses it: no single progress file, not a hub, not Voila; HOME and the learners
    folder in tmp_path."""
    for name in ("MSLBP_PROGRESS_FILE", "JUPYTERHUB_USER", "VOILA_KERNEL_ID", "VOILA_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MSLBP_PROGRESS_DIR", str(tmp_path / "learners"))
    return tmp_path / "learners"


def add(log, n: int = 1, question: str = "classification") -> list:
    return [log.add(CASE_ID, question, ["lhermitte"], "correct", 1.0, 3) for _ in range(n)]


# ------------------------------------------------------------------------------------------- ids


def test_learner_ids_are_32_lowercase_hex_and_fresh_each_time():
    made = {I.new_learner_id() for _ in range(50)}
    assert len(made) == 50 and all(I.is_learner_id(i) for i in made)
    for bad in ("", "A" * 32, "a" * 31, "a" * 33, "../" + "a" * 29, "a" * 32 + "\n", None, 42):
        assert not I.is_learner_id(bad), bad
    assert I.short_id("3f9c2a1b" + "0" * 24) == "3f9c2a1b"


# ------------------------------------------------------------------------------------------- registry


def test_registry_gives_one_log_per_learner_file(tmp_path):
    registry = I.LearnerRegistry(tmp_path)
    assert registry.log_for(A) is registry.log_for(A)
    assert registry.log_for(A) is not registry.log_for(B)
    add(registry.log_for(A))
    assert json.loads((tmp_path / f"{A}.json").read_text())["learner_id"] == A
    assert not (tmp_path / f"{B}.json").exists() and registry.has_file(A) and not registry.has_file(B)


def test_registry_refuses_anything_but_a_learner_id_as_a_file_name(tmp_path):
    registry = I.LearnerRegistry(tmp_path / "learners")
    for bad in ("../../etc/passwd", "A" * 32, ""):
        with pytest.raises(ValueError, match="not a learner id"):
            registry.log_for(bad)
    assert not (tmp_path / "learners").exists()


def test_a_learner_file_holding_another_learner_is_left_alone(tmp_path):
    """A file named after A but holding B's answers (copied by hand): never written, A's answers kept in memory."""
    other = ProgressLog(tmp_path / "b.json", learner_id=B)
    add(other)
    (tmp_path / f"{A}.json").write_bytes((tmp_path / "b.json").read_bytes())
    before = (tmp_path / f"{A}.json").read_bytes()
    log = I.LearnerRegistry(tmp_path).log_for(A)
    assert log.memory_only and log.learner_id == A and "holds the answers of learner bbbbbbbb" in log.warnings[0]
    add(log)
    assert (tmp_path / f"{A}.json").read_bytes() == before


def test_the_registry_of_the_kernel_follows_the_learners_folder(browser_mode, tmp_path, monkeypatch):
    assert I.learner_registry().folder == browser_mode
    assert I.learner_registry() is I.learner_registry()
    monkeypatch.setenv("MSLBP_PROGRESS_DIR", str(tmp_path / "elsewhere"))
    assert I.learner_registry().folder == tmp_path / "elsewhere"


# ------------------------------------------------------------------------------------------- a widget tree


def test_before_the_browser_says_attempts_stay_in_memory_then_go_to_the_learners_file(tmp_path):
    registry = I.LearnerRegistry(tmp_path)
    tree = I.LearnerProgress(registry)
    changes = []
    tree.on_change(lambda: changes.append(tree.learner_id))
    first = add(tree)[0]
    assert not tree.connected and tree.attempts() == [first]
    assert not tmp_path.exists() or not list(tmp_path.iterdir()), "nothing written before the learner is known"
    tree.connect(A)
    assert tree.connected and tree.learner_id == A and changes == [A]
    on_disk = json.loads((tmp_path / f"{A}.json").read_text())
    assert [a["attempt_id"] for a in on_disk["attempts"]] == [first.attempt_id]
    second = add(tree)[0]
    assert [a.attempt_id for a in ProgressLog(tmp_path / f"{A}.json").attempts()] == [first.attempt_id,
                                                                                      second.attempt_id]
    tree.connect(A)
    assert changes == [A], "telling the same learner again changes nothing"


def test_two_trees_of_one_learner_share_a_log_and_two_learners_never_do(tmp_path):
    registry = I.LearnerRegistry(tmp_path)
    bank, check, other = I.LearnerProgress(registry), I.LearnerProgress(registry), I.LearnerProgress(registry)
    for tree, learner in ((bank, A), (check, A), (other, B)):
        tree.connect(learner)
    mine = add(check)[0]
    assert bank.attempts() == [mine] and other.attempts() == []
    theirs = add(other)[0]
    assert theirs not in bank.attempts()
    assert json.loads(bank.export_json())["learner_id"] == A and json.loads(other.export_json())["learner_id"] == B


# ------------------------------------------------------------------------------------------- loading a download


def test_import_plan_own_other_and_bad_file():
    doc = export(A, [attempt(1, time="2026-11-03T10:00:00Z"), attempt(2, time="2026-11-21T11:00:00Z")])
    own = I.plan_import(A, as_bytes(doc), "mine.json")
    assert own.own and own.summary.attempts == 2
    other = I.plan_import(B, as_bytes(doc), "theirs.json")
    assert not other.own and other.source == "theirs.json"
    assert other.summary.describe() == "learner aaaaaaaa: 2 attempts, from 2026-11-03 to 2026-11-21"
    one_day = I.summarise_export(parse_export(as_bytes(export(A, [attempt(1)])), "x.json"))
    assert one_day.describe() == "learner aaaaaaaa: 1 attempt, on 2026-11-21"
    assert I.summarise_export(parse_export(as_bytes(export(A, [])), "x.json")).describe() == (
        "learner aaaaaaaa: no attempts")
    with pytest.raises(ExportFormatError, match=r"^bad\.json: "):
        I.plan_import(A, b"{}", "bad.json")


def test_own_download_merges_and_the_same_attempt_twice_counts_once(tmp_path):
    log = I.LearnerRegistry(tmp_path).log_for(A)
    doc = as_bytes(export(A, [attempt(1), attempt(2)]))
    assert log.import_export(doc, "mine.json") == 2
    assert log.import_export(doc, "mine-again.json") == 0
    assert log.import_export(as_bytes(export(A, [attempt(2), attempt(3)])), "later.json") == 1
    assert sorted(a.attempt_id for a in log.attempts()) == [f"{n:032x}" for n in (1, 2, 3)]


def test_another_learners_download_is_never_merged_into_a_learner_file(tmp_path):
    log = I.LearnerRegistry(tmp_path).log_for(A)
    with pytest.raises(OtherLearnerError, match="learner bbbbbbbb, not of learner aaaaaaaa"):
        log.import_export(as_bytes(export(B, [attempt(1)])), "theirs.json")
    assert log.attempts() == [] and not (tmp_path / f"{A}.json").exists()


def test_continue_as_that_learner_in_a_browser_leaves_the_previous_learners_file_untouched(tmp_path):
    registry = I.LearnerRegistry(tmp_path)
    tree = I.LearnerProgress(registry)
    told = []
    tree.on_switch(told.append)
    tree.connect(A)
    add(tree)
    before = (tmp_path / f"{A}.json").read_bytes()
    registry.log_for(B).import_export(as_bytes(export(B, [attempt(1)])), "kept-on-server.json")
    plan = I.plan_import(A, as_bytes(export(B, [attempt(1), attempt(2)])), "theirs.json")
    assert I.switch_learner(tree, plan.export) == 1, "attempt 1 was already in B's file"
    assert tree.learner_id == B and told == [B], "the browser is told to remember B"
    assert sorted(a.attempt_id for a in tree.attempts()) == [f"{n:032x}" for n in (1, 2)]
    assert (tmp_path / f"{A}.json").read_bytes() == before
    # Switching back by loading A's own download.
    back = I.plan_import(tree.learner_id, before, "my-own.json")
    assert not back.own
    I.switch_learner(tree, back.export)
    assert tree.learner_id == A and len(tree.attempts()) == 1


def test_a_single_file_is_handed_over_and_the_previous_learner_kept_in_a_file_of_their_own(tmp_path):
    """File or hub mode: "continue as that learner" keeps one file for the setup, never two ids in it."""
    path, keep = tmp_path / "attempts.json", tmp_path / "learners"
    log = ProgressLog(path)
    previous = log.learner_id
    mine = add(log, 2)
    theirs = parse_export(as_bytes(export(B, [attempt(1)])), "theirs.json")
    assert log.switch_learner(B, theirs.attempts, keep) == 1
    on_disk = json.loads(path.read_text())
    assert on_disk["learner_id"] == B and [a["attempt_id"] for a in on_disk["attempts"]] == [f"{1:032x}"]
    kept = json.loads((keep / f"{previous}.json").read_text())
    assert kept["learner_id"] == previous and [a["attempt_id"] for a in kept["attempts"]] == [
        a.attempt_id for a in mine]
    # Back to the previous learner: their kept answers come back, B's are kept in turn.
    assert log.switch_learner(previous, [], keep) == 0
    assert log.learner_id == previous and [a.attempt_id for a in log.attempts()] == [a.attempt_id for a in mine]
    assert json.loads((keep / f"{B}.json").read_text())["learner_id"] == B


def test_another_notebook_holding_the_handed_over_file_does_not_mix_the_learners(tmp_path):
    path = tmp_path / "attempts.json"
    here, elsewhere = ProgressLog(path), None
    add(here)
    elsewhere = ProgressLog(path)  # e.g. notebook 00 open in another kernel
    here.switch_learner(B, [], tmp_path / "learners")
    new = add(elsewhere)[0]
    on_disk = json.loads(path.read_text())
    assert on_disk["learner_id"] == B and [a["attempt_id"] for a in on_disk["attempts"]] == [new.attempt_id]
    assert "now holds the answers of learner bbbbbbbb" in elsewhere.warnings[-1]


def test_a_bound_or_memory_only_log_is_never_handed_over(tmp_path):
    with pytest.raises(ProgressFileError, match="stays theirs"):
        I.LearnerRegistry(tmp_path).log_for(A).switch_learner(B, [], tmp_path)
    memory = ProgressLog.in_memory(tmp_path / "a-folder", "the reason")
    add(memory)
    with pytest.raises(ProgressFileError, match="Download them first"):
        memory.switch_learner(B, [], tmp_path)
    assert len(memory.attempts()) == 1


def test_the_class_tally_keeps_every_learner_after_a_resume(tmp_path):
    """A resumed-and-extended download of learner A holds A's first download's attempts again: the tally counts
    A once with every attempt, and learner B (whose file was loaded nowhere else) stays counted."""
    folder = tmp_path / "hand-ins"
    folder.mkdir()
    first = ProgressLog(tmp_path / "session-1.json", learner_id=A)
    add(first, 1, "first-impression")
    (folder / "a-monday.json").write_text(first.export_json().replace(first.export_dict()["exported_at"],
                                                                       "2026-11-20T10:00:00Z"))
    resumed = I.LearnerRegistry(tmp_path / "other-computer").log_for(A)
    assert resumed.import_export(first.export_json(), "a-monday.json") == 1
    add(resumed, 1, "classification")
    (folder / "a-friday.json").write_text(resumed.export_json())
    b = ProgressLog(tmp_path / "b.json", learner_id=B)
    add(b, 1, "classification")
    (folder / "b.json").write_text(b.export_json())
    data = load_exports(folder)
    assert sorted(data.learners) == [A, B]
    accepted = {r.name: r for r in data.accepted}
    assert {"a-friday.json", "b.json"} <= set(accepted)  # the Monday file adds nothing new, whichever is read first
    assert sum(r.n_new_attempts for name, r in accepted.items() if name.startswith("a-")) == 2
    per_learner = sorted((a.learner_id, a.question_id) for a in data.attempts)
    assert per_learner == [(A, "classification"), (A, "first-impression"), (B, "classification")]


# ------------------------------------------------------------------------------------------- earlier versions' file


def legacy(home, learner=B, n=2):
    path = home / ".mslbp" / "attempts.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    log = ProgressLog(path, learner_id=learner)
    add(log, n)
    return path


def test_the_earlier_file_is_offered_in_a_browser_outside_voila_and_never_changed(browser_mode, tmp_path,
                                                                                  monkeypatch):
    path = legacy(tmp_path / "home")
    before = path.read_bytes()
    plan = I.earlier_progress(A)
    assert plan is not None and plan.export.learner_id == B and plan.summary.attempts == 2
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    assert I.earlier_progress(A) is None, "never offered to a room's Voila learners"
    monkeypatch.delenv("VOILA_KERNEL_ID")
    assert I.earlier_progress(B) is None, "not offered to its own learner"
    tree = I.LearnerProgress()
    tree.connect(A)
    I.switch_learner(tree, plan.export)
    assert I.earlier_progress(A) is None, "once its learner has a file of their own, no longer offered"
    assert path.read_bytes() == before and len(tree.attempts()) == 2


def test_the_earlier_file_is_not_offered_when_empty_unreadable_or_on_a_hub(browser_mode, tmp_path, monkeypatch):
    assert I.earlier_progress(A) is None  # there is none
    path = legacy(tmp_path / "home", n=0)
    path.write_text(json.dumps(export(B, [])))
    assert I.earlier_progress(A) is None
    path.write_text("{ broken")
    assert I.earlier_progress(A) is None and path.read_text() == "{ broken", "left alone, never moved aside"
    legacy(tmp_path / "home2")
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    assert I.earlier_progress(A, path=tmp_path / "home2" / ".mslbp" / "attempts.json") is None


def test_a_tree_waiting_for_its_learner_never_takes_over_a_downloads_learner(tmp_path):
    tree = I.LearnerProgress(I.LearnerRegistry(tmp_path))
    with pytest.raises(OtherLearnerError):
        tree.import_export(as_bytes(export(B, [attempt(1)])), "theirs.json")
    tree.connect(A)
    assert tree.attempts() == [] and not (tmp_path / f"{A}.json").exists()
