"""The matching, ordering and numeric controls and feedback (ui/qtypes.py) inside the case widget, headless."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pytest
from helpers import QTYPES_RIGHT, answer_qtype, qtypes_case, range_question, visible_html

from mslbp_widgets.logic.evaluate import evaluate
from mslbp_widgets.ui.case import CaseScenario, StageView
from mslbp_widgets.ui.qtypes import (
    MatchingInput,
    NumericInput,
    OrderingInput,
    answer_key_html,
    answer_key_text,
    presenter_question_html,
)

CASE = qtypes_case()


def stage_of(question_id: str) -> StageView:
    index = next(i for i, s in enumerate(CASE.stages) if s.question and s.question.id == question_id)
    return StageView(CASE.stages[index], index + 1, len(CASE.stages), lambda *_: None, lambda *_: None, last=False)


def test_matching_is_a_radio_grid_one_row_per_item() -> None:
    view = stage_of("match-findings")
    box = view.answer_input
    assert isinstance(box, MatchingInput)
    q = CASE.question("match-findings")
    assert [r.description for r in box.radios.values()] == [f"{n}. {i.text}" for n, i in
                                                            enumerate(q.display_items(), start=1)]
    labels = ("Neuropathic pain", "Mechanical back pain")
    assert all(r._options_labels == labels and r.orientation == "horizontal" and r.value is None
               for r in box.radios.values())
    assert view.first_control() is list(box.radios.values())[0]


def test_matching_checked_gives_feedback_per_item() -> None:
    view = stage_of("match-findings")
    wrong = dict(QTYPES_RIGHT["match-findings"], **{"worse-lifting": "neuropathic"})
    answer_qtype(view, wrong, confidence=2)
    assert view.result.verdict == "partly-correct"
    text = html.unescape(visible_html(view))
    assert "◐ Partly correct." in text and "3 of 4 items matched to the right category." in text
    assert "you chose “Neuropathic pain” ( Belongs to: Mechanical back pain )" in " ".join(text.split())
    for item in CASE.question("match-findings").items:
        assert item.feedback in text
    assert all(r.disabled for r in view.answer_input.radios.values()) and view.check_button.disabled
    view.why_button.click()
    assert "Every item explained:" in view.why_not.value
    view.retry_button.click()
    assert all(r.value is None for r in view.answer_input.radios.values()) and view.feedback.value == ""
    assert not any(r.disabled for r in view.answer_input.radios.values())


def test_matching_half_done_is_refused_with_what_is_missing() -> None:
    view = stage_of("match-findings")
    answer_qtype(view, {"burning-band": "neuropathic"})
    assert view.result is None
    assert "3 of 4 not matched yet" in view.message.value
    nothing = stage_of("match-findings")
    answer_qtype(nothing, {})
    assert "Choose an answer before checking" in nothing.message.value


def test_ordering_moves_with_buttons_and_says_where_the_step_went() -> None:
    view = stage_of("visit-order")
    box = view.answer_input
    assert isinstance(box, OrderingInput)
    q = CASE.question("visit-order")
    assert box.answer() == tuple(s.id for s in q.start_order())
    assert box.up[0].disabled and box.down[-1].disabled and not box.down[0].disabled
    assert view.first_control() is box.down[0], "focus starts on an enabled control"
    assert all(b.description in ("Move up", "Move down") for b in box.controls())
    first = box.order[0]
    box.down[0].click()
    assert box.order[1] == first
    text = q.step(first).text
    assert f"“{html.escape(text)}” moved down to position 2 of 4." in box.status.value
    assert "role='status'" in box.status.value
    assert box.down[1].tooltip == f"Move “{text}” down one place"
    assert f"<strong>2.</strong> {html.escape(text)}" in box.labels[1].value
    box.up[1].click()
    assert box.order[0] == first


def test_ordering_checked_says_what_is_out_of_place_and_try_again_keeps_the_order() -> None:
    view = stage_of("visit-order")
    answer_qtype(view, ["examination", "history", "decide", "explain"], confidence=4)
    r = view.result
    assert r.verdict == "partly-correct"
    assert view.answer_input.answer() == ("examination", "history", "decide", "explain")
    text = html.unescape(visible_html(view))
    assert "You put it before “Take the history”, which should come first." in text
    assert "Should be step 2" in text and "5 of 6 pairs of steps in the right order" in text
    assert all(b.disabled for b in view.answer_input.controls())
    view.retry_button.click()
    assert view.answer_input.answer() == ("examination", "history", "decide", "explain")
    assert not view.answer_input.down[0].disabled and view.answer_input.up[0].disabled
    answer_qtype(view, QTYPES_RIGHT["visit-order"])
    assert view.result.verdict == "correct"
    view.why_button.click()
    assert "The right order, step by step:" in view.why_not.value


def test_numeric_text_box_labelled_with_its_unit_and_validated_as_typed() -> None:
    view = stage_of("dn4-score")
    box = view.answer_input
    assert isinstance(box, NumericInput)
    assert box.text.description == "Your answer (points)"
    assert box.text.placeholder == "a whole number from 0 to 10 (points)"
    box.text.value = "12"
    assert "outside the values this question allows" in box.hint.value
    view.confidence.value = 3
    view.check_button.click()
    assert view.result is None and "outside the values" in view.message.value
    box.text.value = "4"
    assert box.hint.value == ""
    view.check_button.click()
    assert view.result.verdict == "partly-correct"
    shown = " ".join(html.unescape(visible_html(view.feedback)).split())
    assert "Close: half marks. Your answer, 4 points, is a little too low." in shown
    assert shown.count("4 points") == 1 and "5 points" not in shown and "ccept" not in shown
    view.why_button.click()
    why = html.unescape(view.why_not.value)
    assert "The accepted range:</strong> 5 points." in why and why.count("Not correct") == 2
    assert "<strong>4 points</strong> (your answer): <em>Close: half marks</em>" in why


def test_numeric_range_stays_hidden_until_the_answer_is_right_or_why_not_is_asked() -> None:
    """The rule (logic/qtype_scoring.py): a close or wrong answer's feedback never shows the accepted range, not
    after "Try again" either; "Why not the others?" shows it with every band; a correct answer shows it."""
    from mslbp_widgets.logic.records import replace

    index = next(i for i, s in enumerate(CASE.stages) if s.question and s.question.id == "dn4-score")
    stage = replace(CASE.stages[index], question=range_question())
    view = StageView(stage, 1, 1, lambda *_: None, lambda *_: None, last=True)

    def shown(w: widgets.Widget) -> str:
        return " ".join(html.unescape(visible_html(w)).split())

    for value, verdict in ((77, "Not correct. Your answer, 77 cm, is too short."),
                           (82, "Close: half marks. Your answer, 82 cm, is a little too high.")):
        answer_qtype(view, value)
        text = shown(view.feedback)
        assert verdict in text and text.count(f"{value} cm") == 1
        assert not any(bound in text for bound in ("79", "80", "81")), text  # no key on a close or wrong try
        assert view.why_not.value == ""
        view.retry_button.click()
    answer_qtype(view, 60)
    view.why_button.click()  # asked for: the range and every band
    why = shown(view.why_not)
    assert "The accepted range: 79 to 81 cm." in why and "79 to 81 cm : Correct ." in why
    assert "too short (60 to 77 cm) (your answer): Not correct" in why and why.count("Close: half marks") == 2
    view.retry_button.click()
    answer_qtype(view, 80)
    assert "Correct. Your answer, 80 cm, is in the accepted range: 79 to 81 cm." in shown(view.feedback)


def test_confidence_is_required_before_check_for_every_type() -> None:
    for qid, right in QTYPES_RIGHT.items():
        view = stage_of(qid)
        answer_qtype(view, right, confidence=None)
        assert view.result is None and "Choose how sure you are first" in view.message.value
        view.confidence.value = 5
        view.check_button.click()
        assert view.result.verdict == "correct" and view.result.confidence == 5


def test_whole_case_records_each_answer(log) -> None:
    scenario = CaseScenario(CASE, log)
    for stage in CASE.stages:
        answer_qtype(scenario.current, QTYPES_RIGHT[stage.question.id])
        scenario.current.next_button.click()
    assert scenario.finished
    assert [(a.question_id, a.verdict, a.answer[0]) for a in log.attempts()] == [
        ("match-findings", "correct", "matching"), ("dn4-score", "correct", "numeric"),
        ("visit-order", "correct", "ordering")]


def test_presenter_html_and_key_of_each_type() -> None:
    m, n, o = (CASE.question(i) for i in ("match-findings", "dn4-score", "visit-order"))
    assert "Categories:</strong> Neuropathic pain; Mechanical back pain" in presenter_question_html(m)
    assert "Neuropathic pain" not in presenter_question_html(m).split("</p>", 2)[2]  # the key is not shown
    assert "a whole number from 0 to 10 (points)" in presenter_question_html(n)
    shown = [s.text for s in o.start_order()]
    assert presenter_question_html(o).index(shown[0]) < presenter_question_html(o).index(shown[1])
    assert "<strong>5 points</strong> (<em>Correct</em>)" in answer_key_html(n)  # Reveal answer: always the key
    assert "<strong>4 points</strong> (<em>Close: half marks</em>)" in answer_key_html(n)
    assert "→ <strong>Mechanical back pain</strong>" in answer_key_html(m)
    assert answer_key_text(o) == "1. Take the history; 2. Examine the patient; 3. Decide what to do next; " \
                                 "4. Explain the plan to the patient"
    assert answer_key_text(n) == "correct: 5 points; half marks: 4 points"


@pytest.mark.parametrize("qid", list(QTYPES_RIGHT))
def test_feedback_escapes_text_from_files(qid: str) -> None:
    from mslbp_widgets.logic.records import replace
    from mslbp_widgets.ui.render import result_html

    q = CASE.question(qid)
    hostile = "<script>alert(1)</script>"
    if hasattr(q, "items") and q.type == "matching":
        q = replace(q, items=tuple(replace(i, text=hostile + i.text) for i in q.items))
    elif q.type == "ordering":
        q = replace(q, steps=tuple(replace(s, text=hostile + s.text) for s in q.steps))
    else:
        q = replace(q, unit=hostile, bands=tuple(replace(b, label=hostile) for b in q.bands))
    out = result_html(evaluate(q, QTYPES_RIGHT[qid])) + presenter_question_html(q) + answer_key_html(q)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert isinstance(widgets.HTML(out), widgets.HTML)


def test_numeric_unit_shown_once_in_the_label() -> None:
    """The unit is in the box's label ("Your answer (points)") and nowhere else beside the box."""
    box = stage_of("dn4-score").answer_input
    assert box.children == (box.text, box.hint)
    assert box.text.description == "Your answer (points)"


def test_ordering_rows_wrap_their_buttons_on_a_narrow_screen() -> None:
    """Each step's row carries the class course.css wraps (so "Move up" / "Move down" keep their whole label)."""
    from importlib.resources import files

    rows = stage_of("visit-order").answer_input.rows
    assert rows and all("mslbp-order-row" in r._dom_classes for r in rows)
    css = files("mslbp_widgets.ui").joinpath("static", "course.css").read_text(encoding="utf-8")
    assert ".mslbp-ordering .mslbp-order-row { flex-wrap: wrap;" in css
