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
from ..logic.cases.branching import Branch, branches, is_branch_point, stage_label
from ..logic.cases.model import instruction
from ..logic.cases.qtypes import QTYPES
from ..logic.errors import MslbpError
from .class_tally import PRESENTER_CHART_PX, ClassTallyView, question_tally_widgets
from .controls import LABEL_STYLE
from .qtypes import answer_key_html, answer_key_text, presenter_question_html
from .render import esc, inline_html, markdown_html, problem_html, stage_html, style_html

#: What the facilitator-notes toggle says: the notes appear on the presenter page, which the room may see.
NOTES_BUTTON_LABEL = "Facilitator notes (shown on this screen)"
#: What the presenter's branch choice is headed with, in a branching case.
BRANCH_PROMPT = "The room's decision leads to:"
_UNDECIDED = object()

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

    A branching case follows the room: on a stage whose answer decides the way on, `branch_choice` lists each way
    on (the options' letters and the stage they lead to), preselected with the room's most common first answer
    when the class tally has one; the presenter can pick another. "Next stage" follows it; going back and picking
    another way drops the rest of the old path. `path` holds the stage indices of the room's path so far.

    Attributes for tests: `step`, `revealed`, `title`, `position`, `controls`, `body`, `answer`, `tally_box`,
    `prev_button`, `next_button`, `reveal_button`, `notes_toggle`, `notes`, `path`, `branch_choice`,
    `branch_message`.
    """

    def __init__(self, case: Case, exports: Any = None, library: Mapping[str, Case] | None = None):
        self.case = case
        self.exports = exports
        self._library = library
        self._folder_data: tuple[Any, ClassData] | None = None  # (folder signature, its exports)
        self._tally: tuple[ClassData, Any] | None = None  # (class data, its tally)
        self.step = 0
        self.revealed = False
        #: The stages shown, in order: every stage of a linear case; a branching case's path grows as the room decides.
        self.path: list[int] = [0] if case.branching else list(range(len(case.stages)))
        self._ended = not case.branching  # True when the end ("What happened next") follows the path's last stage
        self._choices: dict[int, int] = {}  # stage index -> position of the branch picked there
        self._preselected: set[int] = set()  # stage indices whose branch came from the class tally
        self.branch_choice = widgets.RadioButtons(options=[], value=None, description=BRANCH_PROMPT,
                                                  style=LABEL_STYLE, layout=widgets.Layout(display="none",
                                                                                           width="auto"))
        self.branch_choice.observe(self._branch_picked, names="value")
        self.branch_message = widgets.HTML()
        self._answer_html = ""
        self.title = widgets.HTML(
            f"<h2>{esc(case.title)}</h2><p class='mslbp-presenter-note'><em>Synthetic {esc(case.kind)}: invented "
            "for teaching.</em></p>"
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
        self.next_button.on_click(lambda _b: self.advance())
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.notes_toggle.observe(self._toggle_notes, names="value")
        for button in (self.prev_button, self.next_button, self.reveal_button, self.notes_toggle):
            button.layout.width = "auto"  # never truncate a label
        self.controls = widgets.HBox([self.prev_button, self.next_button, self.reveal_button, self.notes_toggle],
                                     layout=widgets.Layout(flex_flow="row wrap"))
        self.controls.add_class("mslbp-controls")
        left = widgets.VBox([self.body, self.branch_choice, self.branch_message, self.answer],
                            layout=widgets.Layout(flex="1 1 50%", min_width="360px"))
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
        """Steps so far: the summary, the stages of the path, and the end once the path has reached it."""
        return len(self.path) + (2 if self._ended else 1)

    def _stage_index(self, step: int) -> int | None:
        return self.path[step - 1] if 1 <= step <= len(self.path) else None

    @property
    def question(self) -> Question | None:
        """The question of the current step, if any."""
        index = self._stage_index(self.step)
        return None if index is None else self.case.stages[index].question

    # ------------------------------------------------------------ branching

    def _branch_label(self, index: int, branch: Branch) -> str:
        q = self.case.stages[index].question
        letters = {o.id: letter for letter, o in q.lettered_options()} if q is not None else {}
        chosen = " or ".join(letters[i] for i in branch.option_ids)
        where = "the case ends" if branch.target is None else stage_label(self.case.stages[branch.target])
        return f"{chosen} → {where}"

    def _room_choice(self, index: int) -> int | None:
        """The branch most of the room's first answers took (from the class tally), or None without answers."""
        q = self.case.stages[index].question
        try:
            data = self._class_data()
        except MslbpError:
            return None
        if data is None or q is None:
            return None
        library = self._library if self._library is not None else {self.case.id: self.case}
        qt = tally(data, library).question(self.case.id, q.id)
        if qt is None or not qt.branches or not any(b.count for b in qt.branches):
            return None
        counts = [b.count for b in qt.branches]
        return counts.index(max(counts))

    def _branch_picked(self, change: dict) -> None:
        index = self._stage_index(self.step)
        if index is not None and change["new"] is not None:
            self._choices[index] = change["new"]
            self._preselected.discard(index)
            self.branch_message.value = ""

    def _target(self, index: int) -> object:
        ways = branches(self.case, index)
        if len(ways) == 1:
            return ways[0].target
        picked = self._choices.get(index)
        return _UNDECIDED if picked is None else ways[picked].target

    def advance(self) -> None:
        """The "Next stage" button: the next stage of the path; in a branching case, where the room's decision
        (the branch picked) leads."""
        index = self._stage_index(self.step)
        if not self.case.branching or index is None:
            self.go(self.step + 1)
            return
        target = self._target(index)
        if target is _UNDECIDED:
            self.branch_message.value = problem_html("pick where the room's decision leads first (above).")
            return
        if self.step < len(self.path) and self.path[self.step] == target:
            self.go(self.step + 1)
            return
        if self.step == len(self.path) and self._ended and target is None:
            self.go(self.step + 1)
            return
        del self.path[self.step:]  # a new way on: the rest of the old path no longer applies
        self._ended = target is None
        if target is not None:
            self.path.append(target)  # type: ignore[arg-type]
        self.go(self.step + 1)

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
        elif self.step > len(self.path):  # the end, once the path has reached it
            label = "What happened next"
            body = f"<h3>What happened next</h3>{markdown_html(case.next_step)}"
            if case.teaching_point:
                body += f"<p><strong>Take-home point:</strong> {inline_html(case.teaching_point)}</p>"
        else:
            index = self.path[self.step - 1]
            stage = case.stages[index]
            if case.branching:
                route = " → ".join(case.stages[i].title for i in self.path[: self.step])
                label = f"Stage {self.step} on the room's path ({route})"
            else:
                label = f"Stage {self.step} of {len(case.stages)}"
            body = f"<h3>{esc(stage.title)}</h3>{stage_html(stage)}"
            q = stage.question
            if q is not None and q.type in QTYPES:  # matching, ordering, numeric (ui/qtypes.py)
                body += presenter_question_html(q)
            elif q is not None:
                how = instruction(q.type, q.prompt)  # "" when the prompt already says it
                options = "".join(f"<li><strong>{letter}.</strong> {esc(o.text)}</li>"
                                  for letter, o in q.lettered_options())
                body += (f"<p><strong>Question:</strong> {esc(q.prompt)}{f' ({how})' if how else ''}</p>"
                         f"<ol class='mslbp-options' style='list-style:none;padding-left:0'>{options}</ol>")
        of = "" if case.branching else f" of {self.n_steps}"  # a branching case's length depends on the room
        self.position.value = f"<p><strong>{esc(label)}</strong> (step {self.step + 1}{of})</p>"
        self.body.value = body
        self._show_branch_choice()
        self.prev_button.disabled = self.step == 0
        self.next_button.disabled = self.step == self.n_steps - 1 and self._ended
        self.reveal_button.disabled = self.question is None
        self.reveal_button.description = "Reveal answer"
        self._answer_html = ""
        if self.question is not None:  # after the stage's text is on its way: the room sees no delay
            self._answer_html = answer_html(self.question)
            self.tally_box.children = self._tally_widgets(self.question)

    def _show_branch_choice(self) -> None:
        index = self._stage_index(self.step)
        self.branch_message.value = ""
        if not self.case.branching or index is None or not is_branch_point(self.case, index):
            self.branch_choice.layout.display = "none"
            return
        if index not in self._choices:
            room = self._room_choice(index)
            if room is not None:
                self._choices[index] = room
                self._preselected.add(index)
        ways = branches(self.case, index)
        picked = self._choices.get(index)
        self.branch_choice.unobserve(self._branch_picked, names="value")
        self.branch_choice.options = [(self._branch_label(index, b), i) for i, b in enumerate(ways)]
        self.branch_choice.value = picked
        self.branch_choice.observe(self._branch_picked, names="value")
        self.branch_choice.layout.display = ""
        if index in self._preselected:
            self.branch_message.value = ("<p><em>Preselected: where most of the class's first answers led. Pick "
                                         "another to follow the room.</em></p>")

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
        # No heading: the chart's title says what it is, and a projector screen has no room to spare.
        return tuple(question_tally_widgets(qt, presenting=True))


def answer_html(q: Question) -> str:
    """The revealed answer: every option with its letter, status words and feedback, then the teaching point (for
    matching, ordering and numeric questions, their key: ui/qtypes.py)."""
    if q.type in QTYPES:
        return answer_key_html(q)
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
            if q.type in QTYPES:  # matching, ordering, numeric (ui/qtypes.py)
                parts.append(f"<p><strong>Stage {n}, {esc(stage.title)}:</strong> {esc(q.prompt)}<br>"
                             f"<strong>Key:</strong> {esc(answer_key_text(q))}</p>"
                             f"<p><strong>Teaching point:</strong> {inline_html(q.teaching_point)}</p>")
                continue
            lettered = q.lettered_options()
            key = "; ".join(f"{letter}. {q.status_words(o).lower()}" for letter, o in lettered
                            if o.correct or o.acceptable)
            items = "".join(f"<li><strong>{letter}.</strong> {esc(o.text)} "
                            f"<em>({esc(q.status_words(o).lower())})</em></li>" for letter, o in lettered)
            ways = ""
            if case.branching and is_branch_point(case, n - 1):
                ways = "; ".join(
                    " or ".join(dict(zip((o.id for _, o in lettered), (x for x, _ in lettered), strict=True))[i]
                                for i in b.option_ids)
                    + " → " + ("the case ends" if b.target is None else stage_label(case.stages[b.target]))
                    for b in branches(case, n - 1))
                ways = f"<br><strong>Ways on:</strong> {esc(ways)}"
            parts.append(f"<p><strong>Stage {n}, {esc(stage.title)}:</strong> {esc(q.prompt)}<br>"
                         f"<strong>Key:</strong> {esc(key)}{ways}</p>"
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
