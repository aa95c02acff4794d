"""Presenter mode and the facilitator notes (ui/presenter.py), headless: steps, reveal, the tally beside the
answer, letters as learners see them, escaped case text.
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

import ipywidgets as widgets
import pytest
import yaml
from helpers import (
    CASE_FILE,
    CASE_ID,
    EXPORT_FIXTURES,
    assert_nothing_hostile_rendered,
    figures,
    html_values,
    letter_of,
    walk,
)

from mslbp_widgets.logic.cases.model import case_from_dict
from mslbp_widgets.ui.class_tally import PRESENTER_CHART_PX, class_tally
from mslbp_widgets.ui.presenter import FacilitatorNotes, Presenter, facilitator_notes, presenter

FIXTURES = EXPORT_FIXTURES


def test_presenter_steps_through_the_case(library: dict) -> None:
    p = presenter(CASE_ID, library=library)
    assert isinstance(p, Presenter)
    assert "mslbp-presenter" in p._dom_classes
    assert any("font-size: 22px" in v for v in html_values(p))  # large type
    assert "29-year-old" in p.body.value and p.prev_button.disabled and p.reveal_button.disabled
    p.next_button.click()
    assert "Stage 1 of 3" in p.position.value
    assert "What should you ask about next" in p.body.value
    assert "B.</strong> Whether she lifted something heavy" in p.body.value
    for _ in range(10):
        p.next_button.click()
    assert "What happened next" in p.body.value and p.next_button.disabled
    p.prev_button.click()
    assert "Stage 3 of 3" in p.position.value


def test_answer_hidden_until_revealed(library: dict) -> None:
    p = presenter(CASE_ID, library=library)
    p.go(2)
    shown = " ".join(html_values(p))
    assert "Radicular pain follows one root" not in shown  # feedback of a wrong option
    assert "Best answer" not in shown and "Teaching point" not in shown
    assert p.answer.value == "" and p.tally_box.layout.visibility == "hidden"
    p.reveal_button.click()
    assert p.revealed and p.reveal_button.disabled and p.tally_box.layout.visibility == "visible"
    best = letter_of(library, "classification", "Lhermitte")
    assert f"{best}. Best answer:</strong> Lhermitte" in p.answer.value
    assert "Radicular pain follows one root" in p.answer.value
    assert "Teaching point" in p.answer.value
    p.next_button.click()
    assert p.answer.value == "" and not p.revealed  # the next question starts hidden again
    assert p.tally_box.layout.visibility == "hidden"


def test_multiple_choice_reveal_uses_tick_words(library: dict) -> None:
    p = presenter(CASE_ID, library=library)
    p.go(3)
    p.reveal()
    assert "Should be ticked" in p.answer.value and "Should not be ticked" in p.answer.value


def test_facilitator_notes_toggle(library: dict) -> None:
    p = presenter(CASE_ID, library=library)
    assert p.notes.layout.display == "none"
    assert "Common misconception" in p.notes.value
    assert "Common misconception" not in p.body.value
    p.notes_toggle.value = True
    assert p.notes.layout.display == ""
    assert p.notes_toggle.description.startswith("Facilitator notes")
    p.notes_toggle.value = False
    assert p.notes.layout.display == "none"


def test_tally_beside_the_revealed_answer(library: dict) -> None:
    view = class_tally(FIXTURES, library=library)
    p = presenter(CASE_ID, exports=view, library=library)
    p.go(2)
    assert p.tally_box.layout.visibility == "hidden" and len(figures(p.tally_box)) == 1  # drawn, not shown
    chart = figures(p.tally_box)[0]
    p.reveal_button.click()
    assert p.tally_box.layout.visibility == "visible" and figures(p.tally_box)[0] is chart  # shown, not rebuilt
    values = html_values(p.tally_box)
    assert any("4 learner(s), 6 attempt(s)" in v for v in values)
    assert any("Disc herniation with sciatica</strong> (not correct): 2 of 4" in v for v in values)
    assert len(figures(p.tally_box)) == 1
    assert_nothing_hostile_rendered(p)


def test_tally_from_a_folder_and_without_exports(library: dict) -> None:
    p = presenter(CASE_ID, exports=str(FIXTURES), library=library)
    p.go(1)
    p.reveal()
    assert any("3 learner(s)" in v for v in html_values(p.tally_box))
    q = presenter(CASE_ID, library=library)
    q.go(1)
    q.reveal()
    assert "No class exports loaded" in q.tally_box.children[0].value


def test_a_folder_is_read_again_only_when_its_files_change(library: dict, tmp_path: Path, monkeypatch) -> None:
    import shutil

    import mslbp_widgets.ui.presenter as presenter_module

    for f in FIXTURES.iterdir():
        if f.is_file():
            shutil.copy(f, tmp_path / f.name)
    reads = []
    real = presenter_module.load_exports
    monkeypatch.setattr(presenter_module, "load_exports", lambda ex: reads.append(ex) or real(ex))
    p = presenter(CASE_ID, exports=str(tmp_path), library=library)
    p.go(1)
    p.go(2)
    p.go(1)
    assert len(reads) == 1 and any("3 learner(s)" in v for v in html_values(p.tally_box))
    victim = next(f for f in sorted(tmp_path.iterdir()) if f.suffix == ".json")
    victim.unlink()  # a learner's file taken out: the next stage reads the folder again
    p.go(2)
    assert len(reads) == 2


def test_no_answers_yet_for_a_question(library: dict, tmp_path: Path) -> None:
    p = presenter(CASE_ID, exports=str(tmp_path), library=library)
    p.go(1)
    p.reveal()
    assert any("No answers to this question" in v for v in html_values(p.tally_box))


def test_case_text_is_escaped_too() -> None:
    d = yaml.safe_load(CASE_FILE.read_text(encoding="utf-8"))
    d = copy.deepcopy(d)
    d["summary"] = "A <script>alert(1)</script> summary"
    d["stages"][0]["question"]["options"][0]["text"] = "<img src=x onerror=alert(1)>"
    d["facilitator_notes"] = "<script>notes</script>"
    case = case_from_dict(d)
    p = Presenter(case)
    p.go(1)
    p.reveal()
    p.notes_toggle.value = True
    assert_nothing_hostile_rendered(p)
    p.go(0)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in p.body.value


def test_presenter_controls_are_above_the_case_text(library: dict) -> None:
    """On a projector the instructor must not scroll to the buttons on every stage."""
    p = presenter(CASE_ID, library=library)
    kids = list(p.children)
    controls = kids.index(p.controls)
    content = next(i for i, c in enumerate(kids) if p.body in list(walk(c)))
    assert controls < content
    assert kids.index(p.notes) < content  # opened notes appear under the buttons, not below the case text
    assert set(p.controls.children) == {p.prev_button, p.next_button, p.reveal_button, p.notes_toggle}


def test_presenter_tally_chart_is_large_and_fits_its_column(library: dict) -> None:
    view = class_tally(FIXTURES, library=library)
    p = presenter(CASE_ID, exports=view, library=library)
    p.go(2)
    p.reveal()
    (fig,) = figures(p.tally_box)
    assert fig.layout.font.size >= 22 and fig.layout.yaxis.tickfont.size >= 22  # as large as the case text
    assert fig.layout.width == PRESENTER_CHART_PX <= 600  # fits beside the case text at 1366 px
    assert p.tally_box.layout.width == f"{PRESENTER_CHART_PX}px"  # the column is exactly as wide as the chart
    view = next(c for c in walk(p.tally_box) if getattr(c, "figure", None) is fig)
    assert view.layout.width == "100%"


def test_facilitator_notes_button_warns_that_the_room_may_see_them(library: dict) -> None:
    p = presenter(CASE_ID, library=library)
    assert "screen" in p.notes_toggle.description.lower()
    assert "room sees" in p.notes_toggle.tooltip and "facilitator_notes(" in p.notes_toggle.tooltip
    assert "room sees them" in p.notes.value


def test_private_facilitator_notes_view(library: dict) -> None:
    notes = facilitator_notes(CASE_ID, library=library)
    assert isinstance(notes, FacilitatorNotes)
    text = notes.content.value
    assert "Common misconception" in text and "own screen" in text
    best = letter_of(library, "classification", "Lhermitte")
    assert f"{best}. best answer" in text  # the key, with the letters the room sees
    assert "Teaching point" in text


def test_presenter_letters_match_what_learners_see(library: dict) -> None:
    p = presenter(CASE_ID, library=library)
    p.go(2)
    q = library[CASE_ID].question("classification")
    shown = [o.text for o in q.display_options()]
    assert shown != [o.text for o in q.options]  # the question is shuffled for learners
    for i, text in enumerate(shown):
        assert f"<strong>{'ABCD'[i]}.</strong> {html.escape(text, quote=True)}" in p.body.value
    p.reveal()
    for i, text in enumerate(shown):
        assert re.search(rf"<strong>{'ABCD'[i]}\. [^<]*:</strong> {re.escape(html.escape(text, quote=True))}",
                         p.answer.value), text


@pytest.mark.parametrize("make", [presenter, facilitator_notes])
def test_mistyped_case_id_is_a_message_not_a_traceback(library: dict, make) -> None:
    w = make("lhermitte-shock-on-neck-flexon", library=library)
    assert isinstance(w, widgets.HTML)
    assert "Problem" in w.value and "no case or check set with the id" in w.value
    assert "Did you mean &#x27;lhermitte-shock-on-neck-flexion&#x27;?" in w.value


def test_mistyped_case_id_lists_the_course_ids() -> None:
    w = presenter("lhermite-shock")
    assert isinstance(w, widgets.HTML)
    assert "Did you mean &#x27;lhermitte-shock-on-neck-flexion&#x27;" in w.value
    assert "pulling-back-pain-worse-on-waking" in w.value and "check-05-red-flags" in w.value


# ------------------------------------------------------------------------------------------ branching


def test_presenter_follows_the_branch_the_presenter_picks() -> None:
    from helpers import branching_case

    case = branching_case()
    p = presenter(case.id, library={case.id: case})
    assert p.branch_choice.layout.display == "none"
    p.next_button.click()
    assert "Stage 1 on the room&#x27;s path (Presentation)" in p.position.value and "of" not in p.position.value
    assert "<caption>Observations on arrival</caption>" in p.body.value  # the stage's table
    assert p.branch_choice.layout.display == ""
    labels = [label for label, _ in p.branch_choice.options]
    assert labels == ["A → Back the next morning (an ending)", "B → The phone review", "C → On the ward"]
    assert p.branch_choice.value is None
    p.next_button.click()
    assert p.step == 1 and "pick where the room" in p.branch_message.value  # no branch picked: stays
    p.branch_choice.value = 1
    p.next_button.click()
    assert p.path == [0, 4] and "The phone review" in p.body.value
    p.branch_choice.value = 1  # reassure -> sent home (an ending)
    p.next_button.click()
    assert "Back the next morning" in p.body.value and not p.next_button.disabled
    p.next_button.click()
    assert "What happened next" in p.body.value and p.next_button.disabled
    # Back to the first decision, another way: the rest of the old path is dropped.
    p.go(1)
    assert p.branch_choice.value == 1  # the pick is remembered
    p.branch_choice.value = 2
    p.next_button.click()
    assert p.path == [0, 1] and "On the ward" in p.body.value and "Stage 2" in p.position.value
    p.reveal()
    assert "Should be ticked" in p.answer.value


def test_presenter_preselects_the_rooms_most_common_first_answer() -> None:
    from helpers import branching_case, branching_exports

    from mslbp_widgets.classroom.exports import load_exports

    case = branching_case()
    p = presenter(case.id, exports=load_exports(branching_exports()), library={case.id: case})
    p.next_button.click()
    assert p.branch_choice.value == 0  # two of four learners sent the patient home first
    assert "Preselected" in p.branch_message.value
    p.reveal()
    assert any("Where the first answers led" in v and "Back the next morning</strong> (after A): 2 of 4" in v
               for v in html_values(p.tally_box))
    p.branch_choice.value = 2
    assert p.branch_message.value == ""
    p.next_button.click()
    assert p.path == [0, 1]


def test_facilitator_notes_list_the_ways_on() -> None:
    from helpers import branching_case

    case = branching_case()
    notes = FacilitatorNotes(case).content.value
    assert "Ways on:</strong> A → Back the next morning (an ending); B → The phone review; C → On the ward" in notes


def test_facilitator_notes_give_the_key_of_matching_ordering_and_numeric_questions() -> None:
    from helpers import qtypes_case

    from mslbp_widgets.ui.presenter import FacilitatorNotes

    html = FacilitatorNotes(qtypes_case()).content.value
    assert "<strong>Key:</strong> correct: 5 points; half marks: 4 points" in html
    assert "1. Take the history; 2. Examine the patient" in html
    assert "A burning band around the chest → Neuropathic pain" in html


def test_presenter_gives_the_instruction_once(library: dict) -> None:
    p = presenter(CASE_ID, library=library)
    p.go(2)
    assert "How do you classify her back pain? (choose one)</p>" in p.body.value
    p.go(3)
    assert "Choose all that apply.</p>" in p.body.value and p.body.value.lower().count("all that apply") == 1
