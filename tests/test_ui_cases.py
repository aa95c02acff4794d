"""Case widgets, headless: choose, check, feedback, try again, why not the others, next stage, end, progress."""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import ipywidgets as widgets
import plotly.graph_objects as go
import pytest
import yaml

from mslbp_widgets.logic import cases as cases_module
from mslbp_widgets.logic.cases.model import case_from_dict
from mslbp_widgets.logic.progress import ProgressLog
from mslbp_widgets.logic.references import cite
from mslbp_widgets.ui.cases import CONFIDENCE_PROMPT, CaseBank, CaseScenario, ProgressControls, check_understanding

REPO_DATA = Path(__file__).resolve().parent.parent / "data"
EXAMPLE = REPO_DATA / "cases" / "lhermitte-shock-on-neck-flexion.yaml"


def example_dict(**changes) -> dict:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data.update(changes)
    return data


def example_case(**changes):
    return case_from_dict(example_dict(**changes), source=str(EXAMPLE))


def variant(case_id: str, mechanisms: list[str], difficulty: str):
    data = example_dict(id=case_id, title=f"Case {case_id}")
    data["tags"] = {"mechanisms": mechanisms, "red_flag": False, "difficulty": difficulty}
    return case_from_dict(data)


@pytest.fixture()
def log(tmp_path) -> ProgressLog:
    return ProgressLog(tmp_path / "attempts.json")


def answer(view, choice, confidence=3):
    if isinstance(choice, str):
        view.choice.value = choice
    else:
        for oid, box in view.checkboxes.items():
            box.value = oid in choice
    view.confidence.value = confidence
    view.check_button.click()


def visible_html(w) -> str:
    """All HTML text under a widget (what a learner can read), tags removed."""
    out = []

    def walk(node):
        if isinstance(node, widgets.HTML):
            out.append(node.value)
        for child in getattr(node, "children", ()):
            walk(child)

    walk(w)
    return re.sub(r"<[^>]+>", " ", " ".join(out))


def test_full_walk_through_a_case(log, tmp_path):
    scenario = CaseScenario(example_case(), log)
    assert "Synthetic case" in scenario.header.value
    assert "An electric shock down the back" in scenario.header.value
    assert "software tester" in scenario.header.value
    assert len(scenario.stage_views) == 1, "stages are revealed one at a time"
    stage = scenario.current
    assert stage.next_button.disabled, "answer first"

    # Wrong answer: verdict in words and the chosen option's feedback.
    answer(stage, "bowel-bladder", confidence=4)
    assert "Not correct" in stage.feedback.value
    assert "You rated your confidence 4 of 5" in stage.feedback.value
    assert "Red-flag questions screen for emergencies" in stage.feedback.value
    assert "The time course and trigger of a pain classify it" in stage.feedback.value  # teaching point
    assert stage.choice.disabled and stage.check_button.disabled and not stage.retry_button.disabled

    # Try again resets the choice.
    stage.retry_button.click()
    assert stage.choice.value is None and stage.feedback.value == "" and not stage.check_button.disabled

    # Right answer, with findings marked.
    answer(stage, "trigger", confidence=2)
    assert "Correct" in stage.feedback.value and "Not correct" not in stage.feedback.value
    assert "Supports your answer:</strong> Each episode lasts one or two seconds" in stage.feedback.value

    # Why not the others? lists every option with its status word and feedback.
    stage.why_button.click()
    why = stage.why_not.value
    for option in stage.question.options:
        assert html_escaped(option.text) in why
        assert html_escaped(option.feedback) in why
    assert "Best answer" in why and "Acceptable, but not the best" in why and "Not correct" in why
    assert "(your choice)" in why

    # Next stage.
    stage.next_button.click()
    assert len(scenario.stage_views) == 2 and stage.next_button.disabled and stage.choice.disabled
    stage2 = scenario.current
    assert "History and examination" in stage2.text.value
    answer(stage2, "disc", confidence=5)
    assert "Argues against your answer:</strong> Lumbar spine movements full and painless" in stage2.feedback.value
    stage2.retry_button.click()
    answer(stage2, "lhermitte", confidence=5)
    stage2.next_button.click()

    # Multiple choice: checkboxes; a partial answer.
    stage3 = scenario.current
    assert stage3.choice is None and len(stage3.checkboxes) == 5
    answer(stage3, {"new-symptom", "reassure-explain"}, confidence=3)
    assert "Partly correct" in stage3.feedback.value
    assert "1 option that should be ticked was not ticked" in stage3.feedback.value
    stage3.why_button.click()
    assert "Should be ticked" in stage3.why_not.value and "Should not be ticked" in stage3.why_not.value
    assert stage3.next_button.description == "Finish the case"
    assert not scenario.finished and scenario.end.value == ""
    stage3.next_button.click()

    # The end: next step, teaching point and full references.
    assert scenario.finished
    assert "Her MS team reviews her" in scenario.end.value
    assert "Teaching point of the case" in scenario.end.value
    assert html_escaped(cite("truini-2013")) in scenario.end.value

    # Every attempt reached the progress file.
    saved = json.loads((tmp_path / "attempts.json").read_text(encoding="utf-8"))
    got = [(a["question_id"], a["selection"], a["verdict"], a["confidence"]) for a in saved["attempts"]]
    assert got == [
        ("first-impression", ["bowel-bladder"], "incorrect", 4),
        ("first-impression", ["trigger"], "correct", 2),
        ("classification", ["disc"], "incorrect", 5),
        ("classification", ["lhermitte"], "correct", 5),
        ("next-step", ["new-symptom", "reassure-explain"], "partly-correct", 3),
    ]
    assert {a["case_id"] for a in saved["attempts"]} == {"lhermitte-shock-on-neck-flexion"}


def html_escaped(text: str) -> str:
    return html.escape(text, quote=True)


def test_check_needs_an_answer_and_a_confidence(log):
    stage = CaseScenario(example_case(), log).current
    stage.check_button.click()
    assert "Choose an answer before checking" in stage.message.value
    stage.choice.value = "trigger"
    stage.check_button.click()
    assert CONFIDENCE_PROMPT in stage.message.value
    assert stage.feedback.value == "" and log.attempts() == []
    stage.confidence.value = 1
    stage.check_button.click()
    assert stage.message.value == "" and len(log.attempts()) == 1


def test_case_text_is_escaped(log):
    data = example_dict(title="<script>alert('x')</script> Title", summary="Pain <img src=x onerror=alert(1)>")
    data["stages"][0]["question"]["options"][0]["text"] = "<b>bold</b> option"
    data["stages"][0]["question"]["options"][0]["feedback"] = "<iframe src=evil></iframe> feedback"
    scenario = CaseScenario(case_from_dict(data), log)
    assert "<script>" not in scenario.header.value and "&lt;script&gt;" in scenario.header.value
    assert "<img" not in scenario.header.value
    stage = scenario.current
    answer(stage, "trigger")
    stage.why_button.click()
    for value in (stage.feedback.value, stage.why_not.value):
        assert "<iframe" not in value and "&lt;iframe" in value
        assert "<b>bold</b>" not in value


def test_unwritable_progress_is_reported_but_feedback_still_shown(tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    scenario = CaseScenario(example_case(), ProgressLog(blocker / "attempts.json"))
    answer(scenario.current, "trigger")
    assert "Correct" in scenario.current.feedback.value
    assert "could not be saved" in scenario.status.value
    assert "MSLBP_PROGRESS_FILE" in scenario.status.value


def test_every_control_has_a_visible_label(log):
    bank = CaseBank([example_case()], progress=log)
    answer(bank.scenario.current, "trigger")
    bank.summary_button.click()
    found = 0

    def walk(node):
        nonlocal found
        if isinstance(node, (widgets.Button, widgets.RadioButtons, widgets.ToggleButtons, widgets.Dropdown,
                             widgets.Checkbox, widgets.FileUpload)):
            found += 1
            assert node.description.strip(), f"{type(node).__name__} without a visible label"
            if isinstance(node, widgets.Button):
                assert node.icon == "", "no icon-only buttons"
        for child in getattr(node, "children", ()):
            walk(child)

    walk(bank)
    assert found >= 12


# ------------------------------------------------------------------------------------------- progress controls


def test_download_links_are_refreshed_after_each_record(log):
    bank = CaseBank([example_case()], progress=log)
    before = bank.controls.downloads.value
    assert "Download my attempts (JSON)" in before and "Download my attempts (CSV)" in before
    answer(bank.scenario.current, "trigger")
    links = dict(re.findall(r"href='data:([a-z/]+);base64,([A-Za-z0-9+/=]+)'", bank.controls.downloads.value))
    exported = json.loads(base64.b64decode(links["application/json"]))
    assert [a["selection"] for a in exported["attempts"]] == [["trigger"]]
    assert base64.b64decode(links["text/csv"]).decode().startswith("attempt_id,case_id,question_id,selection")
    assert "download='mslbp-attempts-" in bank.controls.downloads.value
    assert "1 attempt saved in" in bank.controls.where.value


def upload_value(name: str, content: bytes) -> tuple[dict, ...]:
    return ({"name": name, "type": "application/json", "size": len(content), "content": memoryview(content),
             "last_modified": datetime(2026, 11, 21, tzinfo=timezone.utc)},)


def test_upload_of_a_bad_file_shows_the_error(log):
    controls = ProgressControls(log)
    controls.upload.value = upload_value("notes.json", b"this is not json")
    assert "Could not load notes.json" in controls.upload_status.value
    assert "not JSON" in controls.upload_status.value
    controls.upload.value = upload_value("v2.json", json.dumps(
        {"format": "mslbp-attempts", "version": 2}).encode())
    assert "version" in controls.upload_status.value and "v2.json" in controls.upload_status.value
    assert controls.upload.value == (), "cleared for the next upload"
    assert log.attempts() == []


def test_upload_of_a_good_file_resumes(tmp_path, log):
    earlier = ProgressLog(tmp_path / "earlier.json")
    earlier.add("lhermitte-shock-on-neck-flexion", "first-impression", ["trigger"], "correct", 1.0, 4)
    earlier.add("lhermitte-shock-on-neck-flexion", "classification", ["disc"], "incorrect", 0.0, 5)
    bank = CaseBank([example_case()], progress=log)
    bank.controls.upload.value = upload_value("mslbp-attempts.json", earlier.export_json().encode())
    assert "2 attempts added" in bank.controls.upload_status.value
    assert len(log.attempts()) == 2
    assert "2 attempts saved in" in bank.controls.where.value
    bank.controls.load_download(earlier.export_json(), "again.json")
    assert "0 attempts added" in bank.controls.upload_status.value


def test_corrupt_progress_file_warning_is_visible(tmp_path):
    path = tmp_path / "attempts.json"
    path.write_text("{ broken", encoding="utf-8")
    bank = CaseBank([example_case()], progress=ProgressLog(path))
    assert "moved to" in bank.controls.warnings.value
    assert "moved to" in bank.scenario.status.value


# ------------------------------------------------------------------------------------------- the bank


@pytest.fixture()
def bank(log) -> CaseBank:
    library = [
        variant("case-a", ["spasticity"], "introductory"),
        variant("case-b", ["spasticity", "mechanical"], "advanced"),
        variant("case-c", ["mechanical"], "intermediate"),
    ]
    return CaseBank(library, progress=log,
                    labels={"spasticity": "Spasticity-related", "mechanical": "Mechanical, not caused by MS",
                            "mixed": "Mixed"})


def position(bank: CaseBank) -> str:
    """"Case k of n" (the answered count after it is tested separately)."""
    return re.sub(r"<[^>]+>", "", bank.position.value).split(" · ")[0]


def test_bank_filters_and_position(bank):
    assert position(bank) == "Case 1 of 3"
    assert bank.scenario.case.id == "case-a" and bank.previous_button.disabled
    assert [label for label, _ in bank.mechanism.options] == [
        "All mechanisms", "Spasticity-related", "Mechanical, not caused by MS"
    ], "only mechanisms present in the bank, with their labels, in vocabulary order"
    bank.next_button.click()
    assert position(bank) == "Case 2 of 3" and bank.scenario.case.id == "case-b"
    bank.mechanism.value = "spasticity"
    assert position(bank) == "Case 1 of 2"
    bank.next_button.click()
    assert position(bank) == "Case 2 of 2" and bank.next_button.disabled and not bank.previous_button.disabled
    bank.previous_button.click()
    assert bank.scenario.case.id == "case-a"
    bank.difficulty.value = "advanced"
    assert position(bank) == "Case 1 of 1" and bank.scenario.case.id == "case-b"
    bank.difficulty.value = "intermediate"
    assert position(bank) == "No cases" and bank.scenario is None
    assert "No case matches these filters" in visible_html(bank)
    bank.mechanism.value = ""
    assert position(bank) == "Case 1 of 1" and bank.scenario.case.id == "case-c"


def test_bank_summary_charts_with_text_alternatives(bank, log):
    answer(bank.scenario.current, "trigger", confidence=4)  # case-a, correct
    bank.scenario.current.retry_button.click()
    answer(bank.scenario.current, "lifting", confidence=4)  # a second try: not counted
    bank.next_button.click()
    answer(bank.scenario.current, "bowel-bladder", confidence=5)  # case-b, incorrect
    bank.summary_button.click()
    assert isinstance(bank.accuracy_figure, go.FigureWidget) and isinstance(bank.calibration_figure, go.FigureWidget)
    acc = bank.accuracy_text.value
    assert "Spasticity-related: 1 of 2 correct (50%)" in acc
    assert "Mechanical, not caused by MS: 0 of 1 correct (0%)" in acc
    cal = bank.calibration_text.value
    assert "at 4, 1 of 1 correct (100%)" in cal and "at 5 (certain), 0 of 1 correct (0%)" in cal
    assert "first try" in visible_html(bank.summary)
    # The summary follows new answers once it is shown.
    bank.scenario.current.retry_button.click()
    bank.next_button.click()
    answer(bank.scenario.current, "trigger", confidence=1)  # case-c, correct
    assert "Mechanical, not caused by MS: 1 of 2 correct (50%)" in bank.accuracy_text.value


def test_summary_appears_when_the_last_case_is_finished(log):
    bank = CaseBank([example_case()], progress=log)
    assert bank.summary.children == ()
    scenario = bank.scenario
    for choice in ("trigger", "lhermitte", {"new-symptom"}):
        answer(scenario.current, choice)
        scenario.current.next_button.click()
    assert scenario.finished and bank.summary.children
    assert "Paroxysmal neuropathic (e.g. Lhermitte's): 2 of 3 correct (67%)" in html.unescape(bank.accuracy_text.value)


def test_empty_summary(bank):
    bank.summary_button.click()
    assert "no answers yet" in bank.accuracy_text.value
    assert "nothing to chart" in bank.calibration_text.value


# ------------------------------------------------------------------------------------------- notebook helpers


def test_check_understanding_and_show_case_from_a_data_folder(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("references.yaml", "mechanisms.yaml"):
        shutil.copy(REPO_DATA / name, data / name)
    shutil.copytree(REPO_DATA / "schema", data / "schema")
    (data / "cases").mkdir()
    shutil.copy(EXAMPLE, data / "cases" / EXAMPLE.name)
    (data / "checks").mkdir()
    check = example_dict(id="check-99-demo", kind="check", title="Check your understanding: demo")
    (data / "checks" / "check-99-demo.yaml").write_text(yaml.safe_dump(check), encoding="utf-8")
    monkeypatch.setenv("MSLBP_DATA_DIR", str(data))
    monkeypatch.setenv("MSLBP_PROGRESS_FILE", str(tmp_path / "progress.json"))
    cases_module.reload()
    try:
        from mslbp_widgets.ui.cases import show_case

        widget = check_understanding("check-99-demo")
        assert widget.compact and "<h4>Check your understanding: demo</h4>" in widget.header.value
        assert "Synthetic: any patient in these questions is invented" in widget.header.value
        answer(widget.current, "trigger")
        assert "Correct" in widget.current.feedback.value
        saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
        assert saved["attempts"][0]["case_id"] == "check-99-demo"
        case_widget = show_case("lhermitte-shock-on-neck-flexion")
        assert not case_widget.compact and "<h3>" in case_widget.header.value
        with pytest.raises(KeyError, match="no-such-check"):
            check_understanding("no-such-check")
    finally:
        cases_module.reload()


def test_keyboard_focus_follows_the_learner(log, monkeypatch):
    """Check answer disables itself, so focus is sent on: to Try again after a wrong answer, to Next stage after a
    right one, back to the choices after Try again, and into each newly revealed stage."""
    focused: list = []
    monkeypatch.setattr(widgets.DOMWidget, "focus", lambda self: focused.append(self))
    scenario = CaseScenario(example_case(), progress=log)
    assert focused == [], "nothing is focused when the case first appears"
    view = scenario.current
    wrong = next(o.id for o in view.question.options if not o.correct)
    right = next(o.id for o in view.question.options if o.correct)
    answer(view, wrong)
    assert focused[-1] is view.retry_button
    view.retry_button.click()
    assert focused[-1] is view.choice
    answer(view, right)
    assert focused[-1] is view.next_button
    view.next_button.click()
    assert scenario.current is not view
    assert focused[-1] is scenario.current.first_control()


def test_options_are_shown_in_the_questions_display_order(log):
    scenario = CaseScenario(example_case(), progress=log)
    view = scenario.current
    assert [value for _label, value in view.choice.options] == [o.id for o in view.question.display_options()]


def test_download_links_carry_the_learner_id(log):
    controls = ProgressControls(log)
    log.add("case-a", "q", ["x"], "correct", 1.0, 3)
    controls.refresh()
    names = re.findall(r"download='([^']+)'", controls.downloads.value)
    assert len(names) == 2 and all(n.startswith(f"mslbp-attempts-{log.learner_id[:8]}-") for n in names)
    assert names[0].endswith(".json") and names[1].endswith(".csv")


def test_a_check_set_speaks_of_questions_not_stages(log):
    check = case_from_dict({**example_dict(), "kind": "check"})
    scenario = CaseScenario(check, progress=log, compact=True)
    view = scenario.current
    assert "Question 1 of" in view.text.value
    assert view.next_button.description in ("Next question", "Finish")
    while not scenario.finished:
        v = scenario.current
        if v.question is not None:
            answer(v, next(o.id for o in v.question.options if o.correct) if v.question.type == "single"
                   else [o.id for o in v.question.options if o.correct])
        v.next_button.click()
    assert "Done: where to go next" in scenario.end.value and "What happened next" not in scenario.end.value


def test_bank_marks_answered_cases_also_after_loading_a_download(bank, log, tmp_path):
    full = lambda: re.sub(r"<[^>]+>", "", bank.position.value)  # noqa: E731
    assert full() == "Case 1 of 3 · 0 of 3 answered"
    answer(bank.scenario.current, "trigger", confidence=4)
    assert full() == "Case 1 of 3 · you have answered this case before · 1 of 3 answered"
    bank.next_button.click()
    assert full() == "Case 2 of 3 · 1 of 3 answered"
    other = ProgressLog(tmp_path / "other.json")
    other.add("case-b", "q1", ["a"], "correct", 1.0, 3)
    assert bank.controls.load_download(other.export_json(), "earlier.json") == 1
    assert full() == "Case 2 of 3 · you have answered this case before · 2 of 3 answered"
