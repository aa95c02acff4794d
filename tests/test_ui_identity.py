"""The learner identity widget and the progress of widget trees (ui/identity.py), headless: the test plays the
browser by setting the identity widget's ``learner_id`` trait. The front end itself runs in real Chromium in
tests/browser/test_learner_privacy.py."""

from __future__ import annotations

import json

import pytest
from helpers import CASE_ID, answer, as_bytes, attempt, example_case, export, press_download, upload_value, walk

from mslbp_widgets.logic.export_format import parse_export
from mslbp_widgets.logic.identity import LearnerProgress
from mslbp_widgets.logic.progress import ProgressLog
from mslbp_widgets.ui.bank import CaseBank
from mslbp_widgets.ui.case import CaseScenario
from mslbp_widgets.ui.identity import LearnerIdentity, resolve_progress
from mslbp_widgets.ui.progress_controls import CONNECTING, ProgressControls

A, B = "a" * 32, "b" * 32


@pytest.fixture()
def learners(tmp_path, monkeypatch):
    """Browser mode (a shared server): the learners folder and HOME in tmp_path."""
    for name in ("MSLBP_PROGRESS_FILE", "JUPYTERHUB_USER", "VOILA_KERNEL_ID", "VOILA_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MSLBP_PROGRESS_DIR", str(tmp_path / "learners"))
    return tmp_path / "learners"


def on_disk(folder, learner):
    return json.loads((folder / f"{learner}.json").read_text(encoding="utf-8"))


def other_option(view) -> str:
    """An option of the stage other than "trigger"."""
    return next(o.id for o in view.question.options if o.id != "trigger")


def identities(widget) -> list[LearnerIdentity]:
    return [w for w in walk(widget) if isinstance(w, LearnerIdentity)]


def test_the_front_end_keeps_the_id_in_the_browser_and_runs_only_where_displayed():
    esm = LearnerIdentity()._esm
    assert "function render(" in esm and "export default { render }" in esm
    assert "initialize(" not in esm and "initialize:" not in esm, "initialize runs in every browser of the kernel"
    assert 'const KEY = "mslbp-learner-id"' in esm and "crypto.getRandomValues" in esm
    assert "localStorage.setItem(KEY" in esm and 'model.on("change:learner_id"' in esm
    assert LearnerIdentity().learner_id == "" and LearnerIdentity.class_traits()["learner_id"].metadata["sync"]


def test_a_case_works_before_the_browser_says_and_saves_when_it_does(learners):
    scenario = CaseScenario(example_case())
    [identity] = identities(scenario)
    assert CONNECTING in scenario.status.value
    answer(scenario.current, "trigger")
    assert "Correct" in scenario.current.feedback.value, "feedback does not wait for the identity"
    assert not learners.exists(), "nothing written before the learner is known"
    identity.learner_id = A
    assert CONNECTING not in scenario.status.value
    assert [a["selection"] for a in on_disk(learners, A)["attempts"]] == [["trigger"]]


def test_anything_but_a_learner_id_from_the_browser_is_ignored(learners):
    scenario = CaseScenario(example_case())
    [identity] = identities(scenario)
    for bad in ("../../x", "A" * 32, "hello"):
        identity.learner_id = bad
    answer(scenario.current, "trigger")
    assert not scenario.progress.connected and CONNECTING in scenario.status.value
    assert not learners.exists()


def test_two_browsers_on_one_kernel_get_two_trees_and_two_files(learners):
    first, second = CaseBank([example_case()]), CaseBank([example_case()])
    identities(first)[0].learner_id = A
    identities(second)[0].learner_id = B
    other = other_option(first.scenario.current)
    answer(first.scenario.current, "trigger")
    answer(second.scenario.current, other)
    assert [a["selection"] for a in on_disk(learners, A)["attempts"]] == [["trigger"]]
    assert [a["selection"] for a in on_disk(learners, B)["attempts"]] == [[other]]
    for bank, learner, choice in ((first, A, "trigger"), (second, B, other)):
        downloaded = json.loads(press_download(bank.controls.download_json)[1])
        assert downloaded["learner_id"] == learner
        assert [a["selection"] for a in downloaded["attempts"]] == [[choice]]
        assert f"learner {learner[:8]}" in bank.controls.where.value


def test_a_learners_widgets_share_one_log_and_the_bank_follows_the_identity(learners):
    check = CaseScenario(example_case(), compact=True)
    identities(check)[0].learner_id = A
    answer(check.current, "trigger")
    bank = CaseBank([example_case()])
    assert "0 of 1 answered" in bank.position.value and CONNECTING in bank.controls.where.value
    identities(bank)[0].learner_id = A  # e.g. after a reload: the same browser, the same learner
    assert "1 of 1 answered" in bank.position.value
    assert "1 question answered (1 try in all), saved for you (learner aaaaaaaa" in bank.controls.where.value


def test_loading_own_download_merges(learners):
    controls = ProgressControls()
    identities(controls)[0].learner_id = A
    controls.upload.value = upload_value("mine.json", as_bytes(export(A, [attempt(1), attempt(2)])))
    assert "2 attempts added (2 in all)" in controls.upload_status.value
    controls.load_download(as_bytes(export(A, [attempt(2)])), "again.json")
    assert "0 attempts added (2 in all)" in controls.upload_status.value and controls.choice.value == ""


def test_another_learners_download_asks_and_cancel_changes_nothing(learners):
    controls = ProgressControls()
    [identity] = identities(controls)
    identity.learner_id = A
    controls.progress.add(CASE_ID, "classification", ["trigger"], "correct", 1.0, 3)
    before = (learners / f"{A}.json").read_bytes()
    doc = export(B, [attempt(1, time="2026-11-03T09:00:00Z"), attempt(2, time="2026-11-21T10:00:00Z")])
    assert controls.load_download(as_bytes(doc), "theirs.json") is None
    shown = controls.choice.value
    assert "theirs.json is not yours" in shown
    assert "learner bbbbbbbb: 2 attempts, from 2026-11-03 to 2026-11-21" in shown
    assert "You are learner aaaaaaaa" in shown and controls.choice_box.layout.display != "none"
    assert len(controls.progress.attempts()) == 1 and not (learners / f"{B}.json").exists()
    controls.cancel_button.click()
    assert "Nothing was loaded from theirs.json; you are still learner aaaaaaaa" in controls.upload_status.value
    assert controls.choice_box.layout.display == "none" and identity.learner_id == A
    assert (learners / f"{A}.json").read_bytes() == before and not (learners / f"{B}.json").exists()


def test_continue_as_that_learner_switches_this_browser_and_leaves_the_previous_file(learners):
    bank = CaseBank([example_case()])
    [identity] = identities(bank)
    identity.learner_id = A
    answer(bank.scenario.current, "trigger")
    before = (learners / f"{A}.json").read_bytes()
    bank.controls.load_download(as_bytes(export(B, [attempt(1), attempt(2)])), "from-home.json")
    bank.controls.continue_button.click()
    assert identity.learner_id == B, "the browser is told to remember the new learner"
    status = bank.controls.upload_status.value
    assert "You are now learner bbbbbbbb" in status and "2 attempts added from from-home.json (2 in all)" in status
    assert "The answers of learner aaaaaaaa (1 attempt) stay saved as they were" in status
    assert "load a download of learner aaaaaaaa" in status
    assert (learners / f"{A}.json").read_bytes() == before
    assert on_disk(learners, B)["learner_id"] == B and len(on_disk(learners, B)["attempts"]) == 2
    assert "learner bbbbbbbb" in bank.controls.where.value and "1 of 1 answered" in bank.position.value
    bank.scenario.current.retry_button.click()
    answer(bank.scenario.current, other_option(bank.scenario.current))
    assert len(on_disk(learners, B)["attempts"]) == 3 and (learners / f"{A}.json").read_bytes() == before


def test_the_earlier_file_is_offered_and_never_changed(learners, tmp_path, monkeypatch):
    legacy = tmp_path / "home" / ".mslbp" / "attempts.json"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(as_bytes(export(B, [attempt(1), attempt(2)])))
    before = legacy.read_bytes()
    controls = ProgressControls()
    assert controls.earlier_box.layout.display == "none", "nothing offered before the learner is known"
    identities(controls)[0].learner_id = A
    assert "Answers saved on this computer before" in controls.earlier.value
    assert "learner bbbbbbbb: 2 attempts" in controls.earlier.value
    controls.earlier_button.click()
    assert "is not yours" in controls.choice.value
    controls.continue_button.click()
    assert controls.progress.learner_id == B and len(controls.progress.attempts()) == 2
    assert controls.earlier.value == "" and controls.earlier_box.layout.display == "none"
    assert legacy.read_bytes() == before
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    in_voila = ProgressControls()
    identities(in_voila)[0].learner_id = "c" * 32
    assert in_voila.earlier.value == ""


def test_hub_and_single_file_setups_use_one_file_whatever_the_browser_says(learners, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    account = tmp_path / "home" / ".mslbp" / "attempts.json"
    scenario = CaseScenario(example_case())
    assert identities(scenario) == [] and scenario.progress.path == account
    answer(scenario.current, "trigger")
    assert json.loads(account.read_text())["learner_id"] == scenario.progress.learner_id
    monkeypatch.setenv("MSLBP_PROGRESS_FILE", str(tmp_path / "mine.json"))
    bank = CaseBank([example_case()])
    assert identities(bank) == [] and bank.progress.path == tmp_path / "mine.json"
    assert not learners.exists()


def test_a_single_file_setup_continues_as_another_learner_and_keeps_the_previous_one(tmp_path, monkeypatch):
    monkeypatch.delenv("MSLBP_PROGRESS_DIR", raising=False)
    log = ProgressLog(tmp_path / "attempts.json")
    controls = ProgressControls(log)
    previous = log.learner_id
    log.add(CASE_ID, "classification", ["trigger"], "correct", 1.0, 3)
    controls.load_download(as_bytes(export(B, [attempt(1)])), "theirs.json")
    assert len(log.attempts()) == 1 and log.learner_id == previous
    controls.continue_button.click()
    assert log.learner_id == B and "You are now learner bbbbbbbb" in controls.upload_status.value
    kept = json.loads((tmp_path / "learners" / f"{previous}.json").read_text())
    assert kept["learner_id"] == previous and len(kept["attempts"]) == 1


def test_resolve_progress(learners):
    assert resolve_progress(False) == (None, None, "")
    log = ProgressLog(learners.parent / "x.json")
    assert resolve_progress(log) == (log, None, "")
    tree, identity, error = resolve_progress(None)
    assert isinstance(tree, LearnerProgress) and isinstance(identity, LearnerIdentity) and error == ""
    identity.learner_id = A
    assert tree.connected and tree.learner_id == A
    tree.switch_to(parse_export(as_bytes(export(B, [attempt(7)])), "x.json"))
    assert identity.learner_id == B and len(tree.attempts()) == 1
