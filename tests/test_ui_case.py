"""One case widget (ui/case.py), headless: choose, check, feedback, try again, why not the others, next stage, end."""

from __future__ import annotations

import html
import json
import shutil

import ipywidgets as widgets
import pytest
import yaml
from helpers import CASE_FILE, REPO, answer, example_case, example_dict, visible_html, walk_path

from mslbp_widgets.logic import cases as cases_module
from mslbp_widgets.logic.cases.model import case_from_dict
from mslbp_widgets.logic.references import cite
from mslbp_widgets.ui.accessible import ChoiceGroup, UploadButton
from mslbp_widgets.ui.bank import CaseBank
from mslbp_widgets.ui.case import CONFIDENCE_PROMPT, CaseScenario, check_understanding
from mslbp_widgets.ui.render import inline_html

REPO_DATA = REPO / "data"
EXAMPLE = CASE_FILE


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
        assert inline_html(option.feedback) in why
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
    assert stage3.choice is None and stage3.choices.multiple and len(stage3.choices.options) == 5
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


def test_every_control_has_a_visible_label(log):
    bank = CaseBank([example_case()], progress=log)
    answer(bank.scenario.current, "trigger")
    bank.summary_button.click()
    found = 0

    def walk(node):
        nonlocal found
        if isinstance(node, (widgets.Button, widgets.RadioButtons, widgets.ToggleButtons, widgets.Dropdown,
                             widgets.Checkbox, widgets.FileUpload, UploadButton)):
            found += 1
            assert node.description.strip(), f"{type(node).__name__} without a visible label"
            if isinstance(node, widgets.Button):
                assert node.icon == "", "no icon-only buttons"
        if isinstance(node, ChoiceGroup):  # a question's options: the question names the group
            found += 1
            assert "Question:" in node.label_html and all(text.strip() for text, _ in node.options)
        for child in getattr(node, "children", ()):
            walk(child)

    walk(bank)
    assert found >= 12


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
        from mslbp_widgets.ui.case import show_case

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
    n = len(check.questions)
    assert f"Done: {n} of {n} right at the first try" in scenario.end.value
    assert "Where to go next" in scenario.end.value and "What happened next" not in scenario.end.value
    assert "Worth another look" not in scenario.end.value


def test_a_check_set_ends_with_its_first_try_score_and_what_to_revisit(log):
    check = case_from_dict({**example_dict(), "kind": "check"})
    scenario = CaseScenario(check, progress=log, compact=True)
    missed = None
    while not scenario.finished:
        v = scenario.current
        q = v.question
        if q is not None:
            best = (next(o.id for o in q.options if o.correct) if q.type == "single"
                    else [o.id for o in q.options if o.correct])
            if missed is None:  # the first question: wrong first, then right after Try again
                missed = q
                wrong = next(o.id for o in q.options if not o.correct)
                answer(v, wrong if q.type == "single" else [wrong])
                v.retry_button.click()
            answer(v, best)
        v.next_button.click()
    n = len(check.questions)
    assert f"Done: {n - 1} of {n} right at the first try" in scenario.end.value
    assert "Worth another look" in scenario.end.value and html_escaped(missed.prompt) in scenario.end.value


# ------------------------------------------------------------------------------------------ branching, tables, pictures


@pytest.mark.parametrize(("fixture", "n_paths"), [("branching_case", 6), ("all_features_case", 2)])
def test_every_path_of_a_branching_case_runs_to_its_ending(tmp_path, fixture: str, n_paths: int) -> None:
    import helpers

    from mslbp_widgets.logic.cases.branching import paths
    from mslbp_widgets.logic.progress import ProgressLog

    case = getattr(helpers, fixture)()
    all_paths = paths(case)
    assert len(all_paths) == n_paths
    endings = {case.stages[p[-1].index].id for p in all_paths}
    assert endings == {s.id for s in case.stages if s.outcome}  # every ending is reached by some path
    for n, path in enumerate(all_paths):
        log = ProgressLog(tmp_path / f"path-{n}.json")
        scenario = CaseScenario(case, log)
        walk_path(scenario, path)
        want = [case.stages[s.index].id for s in path]
        assert scenario.path == want
        assert scenario.finished, want
        assert "What happened next" in scenario.end.value
        ending = case.stages[path[-1].index]
        assert ending.outcome and html.escape(ending.text) in scenario.stage_views[-1].text.value
        # The export says where each answer was given: the path can be read back from it.
        answered = [a.stage_id for a in log.attempts()]
        assert answered == [s for s in want if case.stage(s).question is not None]
        assert json.loads(log.export_json())["attempts"][0]["stage_id"] == "presentation"


def test_the_first_decision_leads_and_try_again_does_not_change_the_path(log) -> None:
    from helpers import branching_case

    scenario = CaseScenario(branching_case(), log)
    view = scenario.current
    assert view.text.value.startswith("<h4>Stage 1: Presentation</h4>")  # no "of N": the length depends on the answers
    answer(view, "send-home")
    assert "Your decision:</strong> “Send home with advice to drink more”" in view.branch_note.value
    assert "does not change" in view.branch_note.value
    view.retry_button.click()
    answer(view, "admit", confidence=5)
    assert "Correct" in view.feedback.value
    view.next_button.click()
    assert scenario.path == ["presentation", "sent-home"]
    assert [a.selection for a in log.attempts()] == [("send-home",), ("admit",)]
    assert scenario.current.next_button.description == "Finish the case"
    assert scenario.what_if_box.layout.display == "none"  # not before the end
    scenario.current.next_button.click()
    assert scenario.finished and scenario.what_if_box.layout.display == ""


def test_a_branch_point_says_before_the_answer_that_it_decides(log) -> None:
    """On a stage whose first answer decides the way on, a line says so before the learner answers (above the
    question); other stages, and linear cases, have none."""
    from helpers import branching_case

    from mslbp_widgets.logic.cases.branching import is_branch_point
    from mslbp_widgets.ui.case import DECIDES_NOTE

    case = branching_case()
    scenario = CaseScenario(case, log)
    view = scenario.current
    assert is_branch_point(case, 0)
    assert view.decides_note is not None and DECIDES_NOTE in view.decides_note.value
    assert view.result is None, "shown before any answer"
    children = list(view.children)
    assert children.index(view.decides_note) < children.index(view.choices), "above the question"
    answer(view, "send-home")
    view.next_button.click()
    later = scenario.current
    assert not is_branch_point(case, scenario._indices[-1]) and later.decides_note is None
    linear = CaseScenario(example_case(), log)
    assert all(v.decides_note is None for v in linear.stage_views)
    assert DECIDES_NOTE not in visible_html(linear)


def test_what_would_have_happened_shows_the_branches_not_taken(log) -> None:
    from helpers import branching_case

    scenario = CaseScenario(branching_case(), log)
    answer(scenario.current, "send-home")
    scenario.current.next_button.click()
    scenario.current.next_button.click()
    assert scenario.what_if.value == ""
    scenario.what_if_button.click()
    shown = scenario.what_if.value
    assert "At “Presentation”" in shown
    assert "If you had chosen “" in shown and "Admit for assessment today”" in shown
    assert "<strong>On the ward</strong>" in shown and "Blood and urine tests are sent." in shown
    assert "<strong>The phone review</strong>" in shown
    assert "From there the case could end with:" in shown and "<strong>Recovered</strong>" in shown
    assert "If you had chosen “Send home" not in shown  # the branch taken is not a "what if"
    assert "If you had chosen “Arrange a phone review later today”" in shown  # no letters: the widget shows none


def test_a_linear_case_keeps_its_numbering_and_has_no_what_if(log) -> None:
    scenario = CaseScenario(example_case(), log)
    n = len(scenario.case.stages)
    assert f"Stage 1 of {n}:" in scenario.current.text.value
    for _ in range(n):
        view = scenario.current
        if view.question is not None:
            right = [o.id for o in view.question.options if o.correct]
            answer(view, right[0] if view.question.type == "single" else tuple(right))
        assert view.branch_note.value == ""
        view.next_button.click()
    assert scenario.finished and scenario.what_if_box.layout.display == "none"
    assert [a.stage_id for a in log.attempts()] == [s.id for s in scenario.case.stages if s.question is not None]


def test_stage_table_and_picture_are_shown_escaped() -> None:
    from helpers import branching_case

    scenario = CaseScenario(branching_case(), progress=False)
    text = scenario.current.text.value
    assert "<caption>Observations on arrival</caption>" in text
    assert "<th scope='row'>Heart rate</th><td>112</td>" in text
    assert "&lt;b&gt;not bold&lt;/b&gt;" in text and "<b>" not in text
    answer(scenario.current, "admit")
    scenario.current.next_button.click()
    answer(scenario.current, ("scan",))
    scenario.current.next_button.click()
    picture = scenario.current.text.value
    assert "<img src='data:image/svg+xml;base64," in picture
    assert "alt='A side view of the spine" in picture
    assert "<figcaption>A picture in a stage (test).</figcaption>" in picture


def test_the_verdict_is_sent_before_the_answer_is_saved(log, monkeypatch):
    """In a kernel, widget messages leave from a background thread that needs the interpreter lock: the verdict is
    flushed out (send_now) before the durable save, which would otherwise hold it back by milliseconds."""
    import mslbp_widgets.ui.case as case_module

    scenario = CaseScenario(example_case(), log)
    events = []
    monkeypatch.setattr(case_module, "send_now", lambda: events.append(
        ("sent", "Correct" in scenario.current.feedback.value, len(log.attempts()))))
    answer(scenario.current, "trigger")
    assert events[0] == ("sent", True, 0), "the verdict is out before anything is saved"
    assert all(saved == 0 for _, _, saved in events) and len(log.attempts()) == 1
