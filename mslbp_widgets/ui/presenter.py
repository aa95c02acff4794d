"""Presenter mode for a room (:class:`Presenter`: large type, stages stepped by the instructor, answer hidden until
revealed, the class tally beside it) and the instructor's private view of a case (:class:`FacilitatorNotes`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ..classroom.exports import ClassData, folder_files, load_exports
from ..classroom.tally import tally
from ..logic.cases import Case, Question, get_case
from ..logic.errors import MslbpError
from .class_tally import PRESENTER_CHART_PX, ClassTallyView, question_tally_widgets
from .render import esc, inline_html, markdown_html, problem_html, style_html

#: What the facilitator-notes toggle says: the notes appear on the presenter page, which the room may see.
NOTES_BUTTON_LABEL = "Facilitator notes (shown on this screen)"
NOTES_TOOLTIP = ("Shows your notes on this screen. If your laptop mirrors the projector, the room sees them: for "
                 "private notes run facilitator_notes(case_id) in a window on a screen the room cannot see.")


class Presenter(widgets.VBox):
    """Presenter mode for one case: large type, stages stepped by the instructor, answer hidden until revealed.

    Steps: 0 is the summary, 1..N the stages, N+1 what happened next. The controls (Previous, Next stage, Reveal
    answer, Facilitator notes) sit **above** the case text, so the instructor never scrolls to reach them. On a
    stage with a question the options are shown, lettered in the order learners see them
    (`Question.display_options()`), so "option C" means the same to the room and to the learners. "Reveal answer"
    shows the best answer(s), the feedback and the teaching point, and beside them the class tally for that
    question (from `exports`). That tally is built and drawn when the stage is shown, hidden (``visibility:
    hidden``, so it is neither seen nor read out) until "Reveal answer", which then only has to show it: the reveal
    is as quick as a button echo. The notes toggle says that the notes appear on this (possibly shared) screen; for
    private notes use `facilitator_notes(case_id)` on another screen.

    Attributes for tests: `step`, `revealed`, `title`, `position`, `controls`, `body`, `answer`, `tally_box`,
    `prev_button`, `next_button`, `reveal_button`, `notes_toggle`, `notes`.
    """

    def __init__(self, case: Case, exports: Any = None, library: Mapping[str, Case] | None = None):
        self.case = case
        self.exports = exports
        self._library = library
        self._folder_data: tuple[Any, ClassData] | None = None  # (folder signature, its exports)
        self._tally: tuple[ClassData, Any] | None = None  # (class data, its tally)
        self.step = 0
        self.revealed = False
        self._answer_html = ""
        self.title = widgets.HTML(
            f"<h2>{esc(case.title)}</h2><p><em>Synthetic {esc(case.kind)}: invented for teaching.</em></p>"
        )
        self.position = widgets.HTML()
        self.body = widgets.HTML()
        self.answer = widgets.HTML()
        self.tally_box = widgets.VBox(layout=widgets.Layout(width=f"{PRESENTER_CHART_PX}px", flex="0 0 auto",
                                                            visibility="hidden"))
        self.prev_button = widgets.Button(description="Previous", tooltip="Go back one stage")
        self.next_button = widgets.Button(description="Next stage", tooltip="Go on to the next stage")
        self.reveal_button = widgets.Button(description="Reveal answer", button_style="warning",
                                            tooltip="Show the best answer, feedback and the class tally")
        self.notes_toggle = widgets.ToggleButton(value=False, description=NOTES_BUTTON_LABEL, tooltip=NOTES_TOOLTIP)
        self.notes = widgets.HTML(_notes_html(case, shared=True), layout=widgets.Layout(display="none"))
        self.prev_button.on_click(lambda _b: self.go(self.step - 1))
        self.next_button.on_click(lambda _b: self.go(self.step + 1))
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.notes_toggle.observe(self._toggle_notes, names="value")
        for button in (self.prev_button, self.next_button, self.reveal_button, self.notes_toggle):
            button.layout.width = "auto"  # never truncate a label
        self.controls = widgets.HBox([self.prev_button, self.next_button, self.reveal_button, self.notes_toggle],
                                     layout=widgets.Layout(flex_flow="row wrap"))
        self.controls.add_class("mslbp-controls")
        left = widgets.VBox([self.body, self.answer], layout=widgets.Layout(flex="1 1 50%", min_width="420px"))
        super().__init__([
            widgets.HTML(style_html()),
            self.title,
            self.controls,  # above the case text: no scrolling on every stage
            self.position,
            self.notes,
            widgets.HBox([left, self.tally_box], layout=widgets.Layout(flex_flow="row wrap", width="100%")),
        ])
        self.add_class("mslbp-presenter")
        self.go(0)

    @property
    def n_steps(self) -> int:
        return len(self.case.stages) + 2

    @property
    def question(self) -> Question | None:
        """The question of the current step, if any."""
        if 1 <= self.step <= len(self.case.stages):
            return self.case.stages[self.step - 1].question
        return None

    def _toggle_notes(self, change: dict) -> None:
        self.notes.layout.display = "" if change["new"] else "none"

    def go(self, step: int) -> None:
        """Show step `step` (clamped), with the answer hidden (its class tally is drawn, hidden, after the text)."""
        self.step = max(0, min(step, self.n_steps - 1))
        self.revealed = False
        self.answer.value = ""
        self.tally_box.layout.visibility = "hidden"
        self.tally_box.children = ()
        case = self.case
        if self.step == 0:
            label = "Introduction"
            body = f"<h3>The patient</h3>{markdown_html(case.summary)}"
        elif self.step == self.n_steps - 1:
            label = "What happened next"
            body = f"<h3>What happened next</h3>{markdown_html(case.next_step)}"
            if case.teaching_point:
                body += f"<p><strong>Take-home point:</strong> {inline_html(case.teaching_point)}</p>"
        else:
            stage = case.stages[self.step - 1]
            label = f"Stage {self.step} of {len(case.stages)}"
            body = f"<h3>{esc(stage.title)}</h3>{markdown_html(stage.text)}"
            q = stage.question
            if q is not None:
                how = "choose one" if q.type == "single" else "choose all that apply"
                options = "".join(f"<li><strong>{letter}.</strong> {esc(o.text)}</li>"
                                  for letter, o in q.lettered_options())
                body += (f"<p><strong>Question:</strong> {esc(q.prompt)} ({how})</p>"
                         f"<ol class='mslbp-options' style='list-style:none;padding-left:0'>{options}</ol>")
        self.position.value = f"<p><strong>{esc(label)}</strong> (step {self.step + 1} of {self.n_steps})</p>"
        self.body.value = body
        self.prev_button.disabled = self.step == 0
        self.next_button.disabled = self.step == self.n_steps - 1
        self.reveal_button.disabled = self.question is None
        self.reveal_button.description = "Reveal answer"
        self._answer_html = ""
        if self.question is not None:  # after the stage's text is on its way: the room sees no delay
            self._answer_html = answer_html(self.question)
            self.tally_box.children = self._tally_widgets(self.question)

    def reveal(self) -> None:
        """Show the answer of the current question and, beside it, the class tally for that question (both made
        when the stage was shown: the click only shows them)."""
        q = self.question
        if q is None or self.revealed:
            return
        self.revealed = True
        self.answer.value = self._answer_html or answer_html(q)
        self.tally_box.layout.visibility = "visible"
        self.reveal_button.disabled = True
        self.reveal_button.description = "Answer revealed"

    def _class_data(self) -> ClassData | None:
        ex = self.exports
        if ex is None:
            return None
        if isinstance(ex, ClassTallyView):
            return ex.data if ex.data.reports else None
        if isinstance(ex, ClassData):
            return ex
        if isinstance(ex, (str, os.PathLike)):  # a folder: read again only when its files changed
            signature = [(f.name, *_size_and_time(f)) for f in folder_files(ex)]
            if self._folder_data is None or self._folder_data[0] != signature:
                self._folder_data = (signature, load_exports(ex))
            return self._folder_data[1]
        return load_exports(ex)

    def _tally_widgets(self, q: Question) -> tuple[widgets.Widget, ...]:
        try:
            data = self._class_data()
        except MslbpError as exc:
            return (widgets.HTML(f"<p><strong>Class tally unavailable:</strong> {esc(exc)}</p>"),)
        if data is None:
            return (widgets.HTML("<h3>Class tally</h3><p>No class exports loaded. Collect the learners' JSON exports "
                                 "in a folder and pass it: <code>presenter(case_id, exports=\"folder\")</code>, or "
                                 "load them with <code>class_tally()</code>.</p>"),)
        library = self._library if self._library is not None else {self.case.id: self.case}
        if self._tally is None or self._tally[0] is not data:
            self._tally = (data, tally(data, library, include_unanswered=True))
        t = self._tally[1]
        qt = t.question(self.case.id, q.id)
        if qt is None:  # pragma: no cover - include_unanswered lists every question of the case
            return (widgets.HTML("<p>No tally for this question.</p>"),)
        return (widgets.HTML("<h3>Class tally</h3>"), *question_tally_widgets(qt, presenting=True))


def answer_html(q: Question) -> str:
    """The revealed answer: every option with its letter, status words and feedback, then the teaching point."""
    items = []
    for letter, o in q.lettered_options():
        cls = " class='mslbp-best'" if o.correct else ""
        items.append(f"<li{cls}><strong>{letter}. {esc(q.status_words(o))}:</strong> {esc(o.text)}<br>"
                     f"{inline_html(o.feedback)}</li>")
    return (f"<h3>Answer</h3><ol class='mslbp-answers' style='list-style:none;padding-left:0'>{''.join(items)}</ol>"
            f"<p><strong>Teaching point:</strong> {inline_html(q.teaching_point)}</p>")


def _size_and_time(path: Path) -> tuple[int, int]:
    """(size, modification time in ns) of a file, (-1, -1) if it cannot be read: a change means reading again."""
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def _notes_html(case: Case, shared: bool) -> str:
    """The case's facilitator notes; on the presenter page (`shared`) headed with a warning that the room may see
    them."""
    notes = case.facilitator_notes or "This case has no facilitator notes."
    head = ("Facilitator notes: on this screen, so the room sees them if it is mirrored to the projector."
            if shared else "Facilitator notes (not for learners).")
    return f"<div class='mslbp-notes'><strong>{esc(head)}</strong>{markdown_html(notes)}</div>"


def _problem_widget(message: str) -> widgets.HTML:
    w = widgets.HTML(problem_html(message))
    w.add_class("mslbp-problem")
    return w


def presenter(case_id: str, exports: Any = None, library: Mapping[str, Case] | None = None
              ) -> Presenter | widgets.HTML:
    """Presenter mode for a case (or check set) by id.

    `exports`: where the class tally comes from after "Reveal answer" — a folder of learners' exports, a
    `ClassData`, or a `class_tally()` widget (its current files are used); None shows no tally.
    A mistyped id (or a case folder that does not load) gives a short message instead of a traceback: the
    nearest known id and every known id.
    """
    try:
        case = get_case(case_id, library)  # UnknownCaseError names the nearest id
    except MslbpError as exc:
        return _problem_widget(str(exc))
    return Presenter(case, exports=exports, library=library)


class FacilitatorNotes(widgets.VBox):
    """The instructor's private view of a case: facilitator notes, then for each question the answer key (letters
    as learners and the presenter see them) and the teaching point. Open it on a screen the room cannot see.

    Attributes for tests: `case`, `content` (an HTML widget).
    """

    def __init__(self, case: Case):
        self.case = case
        parts = [f"<h3>{esc(case.title)}</h3><p><em>For the instructor only: keep this on your own screen.</em>"
                 f"</p>", _notes_html(case, shared=False), "<h4>Answer key</h4>"]
        for n, stage in enumerate(case.stages, start=1):
            q = stage.question
            if q is None:
                continue
            lettered = q.lettered_options()
            key = "; ".join(f"{letter}. {q.status_words(o).lower()}" for letter, o in lettered
                            if o.correct or o.acceptable)
            items = "".join(f"<li><strong>{letter}.</strong> {esc(o.text)} "
                            f"<em>({esc(q.status_words(o).lower())})</em></li>" for letter, o in lettered)
            parts.append(f"<p><strong>Stage {n}, {esc(stage.title)}:</strong> {esc(q.prompt)}<br>"
                         f"<strong>Key:</strong> {esc(key)}</p>"
                         f"<ol style='list-style:none;padding-left:0'>{items}</ol>"
                         f"<p><strong>Teaching point:</strong> {inline_html(q.teaching_point)}</p>")
        self.content = widgets.HTML("".join(parts))
        super().__init__([widgets.HTML(style_html()), self.content])
        self.add_class("mslbp-facilitator-notes")


def facilitator_notes(case_id: str, library: Mapping[str, Case] | None = None) -> FacilitatorNotes | widgets.HTML:
    """The facilitator notes and answer key of a case, on their own, for the instructor's screen.

    Presenter mode is one page: on a laptop that mirrors the projector, its notes toggle shows the notes to the
    room. Run this instead in a second window (or notebook) on a screen the room does not see, e.g. the laptop's
    own screen with the projector as an extended display.
    """
    try:
        case = get_case(case_id, library)  # UnknownCaseError names the nearest id
    except MslbpError as exc:
        return _problem_widget(str(exc))
    return FacilitatorNotes(case)
