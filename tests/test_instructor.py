"""Instructor widgets, headless: class tally (folder, uploads, report, charts, CSV) and presenter mode.

The hostile fixtures in tests/fixtures/exports must be reported and never rendered as HTML.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as widgets
import plotly.graph_objects as go
import pytest
import yaml

from mslbp_widgets.classroom.tally import load_exports, summary_csv, tally
from mslbp_widgets.logic.cases.model import case_from_dict
from mslbp_widgets.ui.instructor import (
    PRESENTER_CHART_PX,
    ClassTallyView,
    FacilitatorNotes,
    Presenter,
    class_tally,
    facilitator_notes,
    presenter,
)

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
CASE_FILE = Path(__file__).parent.parent / "data" / "cases" / "lhermitte-shock-on-neck-flexion.yaml"
CASE_ID = "lhermitte-shock-on-neck-flexion"
HOSTILE_MARKERS = ("<script", "<img", "<b>quiz", "<i>afternoon")


@pytest.fixture(scope="module")
def library() -> dict:
    return {CASE_ID: case_from_dict(yaml.safe_load(CASE_FILE.read_text(encoding="utf-8")), source=str(CASE_FILE))}


def upload_entry(name: str, raw: bytes) -> dict:
    """One FileUpload value entry, as ipywidgets 8 stores it after a browser upload."""
    return {"name": name, "type": "application/json", "size": len(raw),
            "last_modified": dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc), "content": memoryview(raw)}


def walk(w: widgets.Widget) -> Iterator[widgets.Widget]:
    yield w
    for child in getattr(w, "children", ()) or ():
        yield from walk(child)


def html_values(w: widgets.Widget) -> list[str]:
    return [c.value for c in walk(w) if isinstance(c, widgets.HTML)]


def figures(w: widgets.Widget) -> list[go.FigureWidget]:
    return [c for c in walk(w) if isinstance(c, go.FigureWidget)]


def letter_of(library: dict, question_id: str, text_start: str) -> str:
    """The letter learners see for an option: its place in `Question.display_options()`."""
    q = library[CASE_ID].question(question_id)
    return next("ABCDEFGHIJ"[i] for i, o in enumerate(q.display_options()) if o.text.startswith(text_start))


def assert_nothing_hostile_rendered(w: widgets.Widget) -> None:
    for value in html_values(w):
        low = value.lower()
        for marker in HOSTILE_MARKERS:
            assert marker not in low, (marker, value[:300])
    for fig in figures(w):
        low = fig.to_json().lower()
        assert "<script" not in low and "<img" not in low


# ------------------------------------------------------------------------------------------------ class tally


def test_class_tally_reports_every_fixture(library: dict) -> None:
    view = class_tally(FIXTURES, library=library)
    report = view.report.value
    rows = re.findall(r"<tr class='mslbp-(accepted|skipped)'>", report)
    assert rows.count("accepted") == 4 and rows.count("skipped") == 14
    for name in [p.name for p in FIXTURES.iterdir()]:
        assert name in report
    for reason in ("not-json", "malformed-json", "wrong-version", "wrong-format", "duplicate-learner",
                   "duplicate-content", "schema-invalid"):
        assert reason in report
    assert "4 learner(s), 13 attempt(s)" in view.status.value


def test_class_tally_never_renders_hostile_text(library: dict) -> None:
    view = class_tally(FIXTURES, library=library)
    assert_nothing_hostile_rendered(view)
    # escaped, not dropped: the wrong format string is shown as text
    assert "&lt;b&gt;quiz-results&lt;/b&gt;" in view.report.value


def test_hostile_file_name_is_escaped(library: dict) -> None:
    view = class_tally(library=library)
    name = "<script>alert('x')</script><img src=x onerror=alert(1)>.json"
    view.upload.value = (upload_entry(name, b"hello"),)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in view.report.value
    assert_nothing_hostile_rendered(view)


def test_unknown_option_ids_are_counted_not_shown(library: dict) -> None:
    view = class_tally(FIXTURES, library=library)
    everything = " ".join(html_values(view)) + " ".join(f.to_json() for f in figures(view))
    assert "script-alert-1" not in everything  # the option id from 04-ok-unknown-option-and-case.json
    assert "unknown option" in everything


def test_charts_each_with_a_text_alternative(library: dict) -> None:
    view = class_tally(FIXTURES, library=library)
    children = list(view.charts.children)
    figs = [i for i, c in enumerate(children) if figures(c)]
    assert len(figs) == 2 + 3  # mechanism, calibration, one per answered question
    for i in figs:
        alt = children[i + 1]
        assert isinstance(alt, widgets.HTML) and "Text alternative:" in alt.value
    assert any("Most common wrong answers" in v and "Disc herniation with sciatica" in v
               for v in html_values(view))


def test_csv_download_link_carries_the_summary(library: dict) -> None:
    view = class_tally(FIXTURES, library=library)
    m = re.search(r"href='data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)'", view.download.value)
    assert m and "Download the summary table (CSV)" in view.download.value
    expected = summary_csv(tally(load_exports(FIXTURES), library))
    assert base64.b64decode(m.group(1)).decode("utf-8") == expected
    assert "Disc herniation with sciatica" in view.summary.value


def test_folder_text_and_load_button(tmp_path: Path, library: dict) -> None:
    view = class_tally(library=library)
    assert view.data.reports == () and "No files yet" in view.report.value
    shutil.copy(FIXTURES / "01-ok-learner-a.json", tmp_path)
    view.folder_text.value = str(tmp_path)
    view.load_button.click()
    assert len(view.data.accepted) == 1
    shutil.copy(FIXTURES / "02-ok-learner-b.json", tmp_path)
    view.load_button.click()
    assert len(view.data.accepted) == 2


def test_missing_folder_shows_a_problem_not_a_traceback(tmp_path: Path, library: dict) -> None:
    view = class_tally(library=library)
    view.folder_text.value = str(tmp_path / "nope")
    view.load_button.click()
    assert "Problem" in view.status.value and "no such folder" in view.status.value


def test_uploads_are_added_to_the_folder(library: dict) -> None:
    view = class_tally(FIXTURES, library=library)
    extra = json.loads((FIXTURES / "01-ok-learner-a.json").read_text(encoding="utf-8"))
    extra["learner_id"] = "f" * 32
    extra["attempts"] = [dict(a, attempt_id=f"{i:032x}") for i, a in enumerate(extra["attempts"])]
    raw = json.dumps(extra).encode()
    view.upload.value = (upload_entry("upload.json", raw),)
    assert len(view.data.accepted) == 5
    assert "upload.json" in view.report.value


def test_oversized_upload_is_skipped(library: dict) -> None:
    view = ClassTallyView(library=library, max_bytes=1000)
    raw = b"{" + b" " * 2000 + b"}"
    view.upload.value = (upload_entry("big.json", raw),)
    assert view.data.reports[0].reason == "too-large"
    assert "too-large" in view.report.value


def test_every_button_has_a_visible_label(library: dict) -> None:
    view = class_tally(FIXTURES, library=library)
    p = presenter(CASE_ID, exports=view, library=library)
    for w in list(walk(view)) + list(walk(p)):
        if isinstance(w, (widgets.Button, widgets.ToggleButton, widgets.FileUpload)):
            assert w.description.strip(), w
        if isinstance(w, widgets.Text):
            assert w.description.strip()


# ------------------------------------------------------------------------------------------------ presenter


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
    assert p.answer.value == "" and not p.tally_box.children
    p.reveal_button.click()
    assert p.revealed and p.reveal_button.disabled
    best = letter_of(library, "classification", "Lhermitte")
    assert f"{best}. Best answer:</strong> Lhermitte" in p.answer.value
    assert "Radicular pain follows one root" in p.answer.value
    assert "Teaching point" in p.answer.value
    p.next_button.click()
    assert p.answer.value == "" and not p.revealed  # the next question starts hidden again


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
    assert not p.tally_box.children
    p.reveal_button.click()
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


# ------------------------------------------------------------------------------ instructor walkthrough fixes


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
    box = next(c for c in walk(p.tally_box) if isinstance(c, widgets.Box) and fig in c.children)
    assert box.layout.width == "100%"


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


def test_missing_folder_names_the_full_path_and_how_relative_paths_work(tmp_path: Path, library: dict,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "exports").mkdir()
    monkeypatch.chdir(tmp_path)
    view = class_tally("exprots", library=library)
    status = view.status.value
    assert "no such folder" in status
    assert html.escape(str(tmp_path / "exprots"), quote=True) in status  # the resolved path it tried
    assert "notebook&#x27;s folder" in status and "notebooks/exports/" in status
    assert "Did you mean" in status and html.escape(str(tmp_path / "exports"), quote=True) in status


def test_accepted_files_are_not_reported_as_accepted_twice(library: dict) -> None:
    view = class_tally(FIXTURES, library=library)
    rows = re.findall(r"<tr class='mslbp-accepted'>(.*?)</tr>", view.report.value)
    assert len(rows) == 4
    for row in rows:
        assert "<strong>Accepted</strong>" in row and row.lower().count("accepted") == 1, row
    skipped = re.findall(r"<tr class='mslbp-skipped'>(.*?)</tr>", view.report.value)
    assert all("<strong>Skipped</strong>" in row for row in skipped)


def test_summary_table_lists_the_lowest_first_attempt_accuracy_first(library: dict) -> None:
    view = class_tally(FIXTURES, library=library)
    table = view.summary.value
    assert "lowest first" in table
    pcts = [float(x) for x in re.findall(r"<tr><td>[^<]*</td><td>[^<]*</td><td>\d+</td><td>\d+</td><td>([\d.]+)</td>",
                                         table)]
    assert len(pcts) == 3 and pcts == sorted(pcts) and pcts[0] < pcts[-1]
