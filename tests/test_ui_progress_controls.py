"""The progress controls (ui/progress_controls.py), headless: downloads, loading a download, saving problems shown."""

from __future__ import annotations

import json
import re

from helpers import CASE_FILE, REPO, answer, example_case, press_download, upload_value

from mslbp_widgets.logic.progress import ProgressLog
from mslbp_widgets.ui.bank import CaseBank
from mslbp_widgets.ui.case import CaseScenario
from mslbp_widgets.ui.progress_controls import ProgressControls

REPO_DATA = REPO / "data"
EXAMPLE = CASE_FILE


def test_unwritable_progress_is_reported_but_feedback_still_shown(tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    scenario = CaseScenario(example_case(), ProgressLog(blocker / "attempts.json"))
    answer(scenario.current, "trigger")
    assert "Correct" in scenario.current.feedback.value
    assert "could not be saved" in scenario.status.value
    assert "MSLBP_PROGRESS_FILE" in scenario.status.value


def test_downloads_hold_every_attempt_at_the_moment_they_are_pressed(log):
    bank = CaseBank([example_case()], progress=log)
    controls = bank.controls
    assert [b.description for b in controls.downloads.children] == ["Download my attempts (JSON)",
                                                                    "Download my attempts (CSV)"]
    msg, empty = press_download(controls.download_json)
    assert msg["mime"] == "application/json" and json.loads(empty)["attempts"] == []
    answer(bank.scenario.current, "trigger")
    msg, data = press_download(controls.download_json)
    assert msg["do"] == "save" and msg["mime"] == "application/json"
    assert data == log.export_json().encode("utf-8")  # the file, byte for byte, as the log exports it
    exported = json.loads(data)
    assert [a["selection"] for a in exported["attempts"]] == [["trigger"]]
    msg, data = press_download(controls.download_csv)
    assert msg["mime"] == "text/csv" and data == log.export_csv().encode("utf-8")
    assert data.decode().startswith("attempt_id,case_id,question_id,selection")
    assert msg["name"].startswith("mslbp-attempts-") and msg["name"].endswith(".csv")
    assert "1 question answered (1 try in all), saved in" in controls.where.value


def test_a_recorded_attempt_sends_no_download_and_retires_the_last_one(log):
    """Answering once rebuilt both downloads as data: links (about 165 kB per click at 300 attempts): now a
    recorded attempt makes no file; the browser's link to a file saved earlier is taken away (version)."""
    bank = CaseBank([example_case()], progress=log)
    controls = bank.controls
    made = []
    for button in (controls.download_json, controls.download_csv):
        real = button._prepare
        button._prepare = lambda real=real: made.append(1) or real()
    answer(bank.scenario.current, "trigger")
    assert made == [] and controls.download_json.version == 0, "nothing made or sent before a press"
    press_download(controls.download_json)
    assert made == [1]
    bank.scenario.current.try_again()
    answer(bank.scenario.current, "trigger")
    assert made == [1] and controls.download_json.version == 1 and controls.download_csv.version == 0
    answer_again = bank.scenario.current
    answer_again.try_again()
    answer(answer_again, "trigger")
    assert controls.download_json.version == 1, "one change message per file sent, not per attempt"


def test_upload_of_a_bad_file_shows_the_error(log):
    controls = ProgressControls(log)
    controls.upload.value = upload_value("notes.json", b"this is not json")
    assert "Could not load notes.json" in controls.upload_status.value
    assert "not JSON" in controls.upload_status.value
    controls.upload.value = upload_value("v3.json", json.dumps(
        {"format": "mslbp-attempts", "version": 3}).encode())
    assert "version" in controls.upload_status.value and "v3.json" in controls.upload_status.value
    assert controls.upload.value == (), "cleared for the next upload"
    assert log.attempts() == []


def test_upload_of_a_good_file_resumes(tmp_path, log):
    earlier = ProgressLog(tmp_path / "earlier.json")
    earlier.add("lhermitte-shock-on-neck-flexion", "first-impression", ["trigger"], "correct", 1.0, 4)
    earlier.add("lhermitte-shock-on-neck-flexion", "classification", ["disc"], "incorrect", 0.0, 5)
    bank = CaseBank([example_case()], progress=log)
    bank.controls.upload.value = upload_value("mslbp-attempts.json", earlier.export_json().encode())
    # Another learner id (an earlier session): never merged without asking, even into an empty log.
    assert log.attempts() == [] and f"learner {earlier.learner_id[:8]}: 2 attempts" in bank.controls.choice.value
    bank.controls.continue_button.click()
    assert "2 attempts added" in bank.controls.upload_status.value
    assert log.learner_id == earlier.learner_id
    assert len(log.attempts()) == 2
    assert "2 questions answered (2 tries in all), saved in" in bank.controls.where.value
    bank.controls.load_download(earlier.export_json(), "again.json")
    assert "0 attempts added" in bank.controls.upload_status.value


def test_corrupt_progress_file_warning_is_visible(tmp_path):
    path = tmp_path / "attempts.json"
    path.write_text("{ broken", encoding="utf-8")
    bank = CaseBank([example_case()], progress=ProgressLog(path))
    assert "moved to" in bank.controls.warnings.value
    assert "moved to" in bank.scenario.status.value


def test_download_links_carry_the_learner_id(log):
    controls = ProgressControls(log)
    log.add("case-a", "q", ["x"], "correct", 1.0, 3)
    names = [press_download(b)[0]["name"] for b in (controls.download_json, controls.download_csv)]
    assert all(re.fullmatch(rf"mslbp-attempts-{log.learner_id[:8]}-\d{{8}}-\d{{4}}\.(json|csv)", n) for n in names)
    assert names[0].endswith(".json") and names[1].endswith(".csv")


def test_a_progress_path_that_is_a_folder_keeps_answers_in_memory_with_downloads(tmp_path, monkeypatch):
    """A folder (or unreadable file) at the progress path once lost the whole session: no log, no download link."""
    folder = tmp_path / "attempts.json"
    folder.mkdir()
    monkeypatch.setenv("MSLBP_PROGRESS_FILE", str(folder))
    bank = CaseBank([example_case()])
    assert bank.progress is not None and bank.progress.memory_only
    answer(bank.scenario.current, "trigger", confidence=4)
    assert "not a regular file" in bank.scenario.status.value  # the reason, shown with the case
    assert "kept in memory for this session only" in bank.controls.where.value
    downloaded = json.loads(press_download(bank.controls.download_json)[1])
    assert [a["question_id"] for a in downloaded["attempts"]] == [bank.scenario.current.question.id]
    assert list(folder.iterdir()) == []  # nothing written into the folder


def test_nothing_claims_to_be_saved_when_a_save_failed(log, monkeypatch):
    """The progress line once said 'N attempts … saved in <file>' after the save had failed."""
    controls = ProgressControls(log)
    assert "No questions answered yet; your attempts will be saved in" in controls.where.value
    log.add("case-a", "q", ["x"], "correct", 1.0, 3)

    def fail(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(log, "_write_atomic", fail)
    try:
        log.add("case-a", "q2", ["y"], "incorrect", 0.0, 1)
    except Exception:  # noqa: BLE001 - the ProgressFileError the case widget shows; here only the line matters
        pass
    controls.refresh()
    where = controls.where.value
    assert "2 questions answered (2 tries in all); 1 of them not saved" in where and "saved in" not in where
    assert "No space left on device" in controls.warnings.value



def test_after_a_kernel_restart_the_download_holds_the_earlier_answers(tmp_path):
    """The file is made from the saved log when the button is pressed: a new kernel (a new log on the same file and
    a new bank) downloads what the learner answered before the restart."""
    path = tmp_path / "attempts.json"
    before = CaseBank([example_case()], progress=ProgressLog(path))
    answer(before.scenario.current, "trigger")
    after = CaseBank([example_case()], progress=ProgressLog(path))
    msg, data = press_download(after.controls.download_json)
    assert msg["do"] == "save" and [a["selection"] for a in json.loads(data)["attempts"]] == [["trigger"]]
    msg, data = press_download(after.controls.download_csv)
    assert data.decode().count("\n") == 2  # the header and the one attempt
