"""The "Hand in my answers" row (ui/handin.py) inside the progress controls, headless: clicks, statuses, and the
instructor's class tally defaulting to the hand-in folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import answer, example_case, example_library

from mslbp_widgets.logic.handin import HANDIN_DIR_ENV
from mslbp_widgets.logic.progress import ProgressLog
from mslbp_widgets.ui.bank import CaseBank
from mslbp_widgets.ui.class_tally import class_tally
from mslbp_widgets.ui.handin import HandInRow
from mslbp_widgets.ui.progress_controls import ProgressControls


@pytest.fixture
def folder(handin_folder: Path) -> Path:
    return handin_folder  # tests/conftest.py


def test_the_row_is_part_of_the_progress_controls(log) -> None:
    controls = ProgressControls(log)
    assert controls.children[-1] is controls.handin
    assert controls.handin.button.description == "Hand in my answers"


def test_answer_then_hand_in_then_hand_in_again(folder: Path, log: ProgressLog) -> None:
    bank = CaseBank([example_case()], progress=log)
    row = bank.controls.handin
    assert "handing in again replaces your earlier hand-in" in row.hint.value
    answer(bank.scenario.current, "trigger")
    row.button.click()
    assert "✓ Handed in:</strong> 1 attempt, as <code>" in row.status.value
    assert f"{log.learner_id}.json" in row.status.value and "replaced" not in row.status.value
    assert row.last is not None and row.last.path.parent == folder
    log.add("lhermitte-shock-on-neck-flexion", "classification", "lhermitte", "correct", 1.0, 4)
    row.button.click()
    assert "2 attempts" in row.status.value and "It replaced your earlier hand-in." in row.status.value
    assert [p.name for p in folder.iterdir()] == [f"{log.learner_id}.json"]


def test_without_a_folder_the_button_explains_other_ways(monkeypatch, log: ProgressLog) -> None:
    monkeypatch.delenv(HANDIN_DIR_ENV, raising=False)
    log.add("lhermitte-shock-on-neck-flexion", "classification", "lhermitte", "correct", 1.0, 4)
    row = ProgressControls(log).handin
    assert "this server has no hand-in folder" in row.hint.value
    assert row.status.value == ""
    row.button.click()
    assert "How to hand in" in row.status.value
    assert "Download my attempts (JSON)" in row.status.value and "email" in row.status.value
    assert row.last is None


def test_nothing_answered_and_no_log_are_explained(folder: Path, log: ProgressLog) -> None:
    row = HandInRow(lambda: log)
    row.button.click()
    assert "Not handed in" in row.status.value and "not answered any question yet" in row.status.value
    row = HandInRow(lambda: None)
    row.button.click()
    assert "cannot be read in this session" in row.status.value
    assert list(folder.iterdir()) == []


def test_the_log_is_read_at_click_time(folder: Path, tmp_path: Path) -> None:
    logs = [ProgressLog(tmp_path / "one.json"), ProgressLog(tmp_path / "two.json")]
    for log in logs:
        log.add("lhermitte-shock-on-neck-flexion", "classification", "lhermitte", "correct", 1.0, 4)
    current = {"log": logs[0]}
    row = HandInRow(lambda: current["log"])
    row.button.click()
    current["log"] = logs[1]
    row.button.click()
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{lg.learner_id}.json" for lg in logs)


def test_a_folder_path_is_escaped_in_the_status(tmp_path: Path, monkeypatch, log: ProgressLog) -> None:
    monkeypatch.setenv(HANDIN_DIR_ENV, str(tmp_path / "<b>x</b>"))
    log.add("lhermitte-shock-on-neck-flexion", "classification", "lhermitte", "correct", 1.0, 4)
    row = HandInRow(lambda: log)
    row.button.click()
    assert "does not exist" in row.status.value and "<b>x</b>" not in row.status.value
    assert "&lt;b&gt;x&lt;/b&gt;" in row.status.value


def test_the_instructors_tally_defaults_to_the_hand_in_folder(folder: Path, tmp_path: Path, monkeypatch) -> None:
    for name, choice in (("a", "lhermitte"), ("b", "trigger")):
        log = ProgressLog(tmp_path / f"{name}.json")
        log.add("lhermitte-shock-on-neck-flexion", "classification", choice, "correct", 1.0, 4)
        HandInRow(lambda log=log: log).button.click()
    view = class_tally(library=example_library())
    assert view.folder_text.value == str(folder)
    assert len(view.data.learners) == 2 and "2 learner(s), 2 attempt(s) accepted" in view.status.value
    monkeypatch.delenv(HANDIN_DIR_ENV)
    assert class_tally(library=example_library()).folder_text.value == ""


def test_a_browser_learner_not_yet_known_cannot_hand_in_under_a_stand_in_id(folder: Path, tmp_path: Path) -> None:
    from mslbp_widgets.logic.identity import LearnerProgress, LearnerRegistry

    progress = LearnerProgress(LearnerRegistry(tmp_path / "learners"))
    progress.add("case-a", "q-one", ["x"], "correct", 1.0, 3)  # answered before the browser said who this is
    row = HandInRow(lambda: progress)
    assert row.hand_in() is None and "still connecting" in row.status.value
    assert list(folder.iterdir()) == []
    progress.connect("a" * 32)
    done = row.hand_in()
    assert done is not None and done.path.name == "a" * 32 + ".json" and done.n_attempts == 1
