"""Instructor widgets: presenter mode for a case, and the class tally of learners' exports.

Render and wire only: loading and counting are `mslbp_widgets.aggregate`, charts `mslbp_widgets.class_charts`.
Everything shown as HTML is escaped here, including the case library's own text; text that came from a learner's
file (file names, report details) never reaches the page unescaped. Every control has a visible text label.

    from mslbp_widgets.ui.instructor import presenter, class_tally, facilitator_notes
    tally = class_tally("data/sample-exports")          # folder box, upload button, report, charts, CSV link
    presenter("lhermitte-shock-on-neck-flexion", exports=tally)
    facilitator_notes("lhermitte-shock-on-neck-flexion")  # notes + answer key, for a screen the room cannot see

A mistyped case id or a missing folder is shown as a plain message (with the nearest id or folder name), never as
a traceback.
"""

from __future__ import annotations

import base64
import html
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from ..charts.classroom import answer_distribution, class_accuracy_by_mechanism, class_calibration
from ..classroom.tally import (
    DEFAULT_MAX_BYTES,
    ClassData,
    ClassTally,
    QuestionTally,
    default_library,
    display_options,
    find_case,
    load_exports,
    missing_folder_message,
    summary_csv,
    summary_rows,
    tally,
)
from ..logic.cases.model import Case, Question
from ..logic.errors import MslbpError

#: Font size of the presenter's text and of its tally chart (px): the chart's labels match the text.
PRESENTER_FONT_PX = 22
#: Width of the presenter's tally column and chart (px). Fixed, because a live plotly widget drawn before its box
#: is laid out falls back to 700 px and was cut off on the right at 1366 px; 600 px beside the case text fits a
#: 1366 px projector, and on a narrower screen the column wraps under the answer.
PRESENTER_CHART_PX = 600
#: Large type for presenter mode (scoped to the presenter's own class).
PRESENTER_CSS = """<style>
.mslbp-presenter { font-size: 22px; line-height: 1.45; max-width: 1400px; }
.mslbp-presenter .widget-html-content, .mslbp-presenter .widget-html { font-size: 22px; line-height: 1.45; }
.mslbp-presenter h2 { font-size: 34px; margin: 8px 0; }
.mslbp-presenter h3 { font-size: 28px; margin: 8px 0; }
.mslbp-presenter .widget-button, .mslbp-presenter .widget-toggle-button { font-size: 20px; height: auto;
  padding: 6px 14px; }
.mslbp-presenter ol.mslbp-options li, .mslbp-presenter ol.mslbp-answers li { margin: 8px 0; }
.mslbp-presenter .mslbp-best { border-left: 6px solid #1b7837; padding-left: 8px; }
.mslbp-presenter .mslbp-notes { background: #fff8e1; border-left: 6px solid #9a6700; padding: 6px 12px; }
.mslbp-presenter .mslbp-controls { flex-wrap: wrap; gap: 6px; }
.mslbp-facilitator-notes { font-size: 18px; line-height: 1.45; max-width: 1100px; }
.mslbp-facilitator-notes .mslbp-notes { background: #fff8e1; border-left: 6px solid #9a6700; padding: 6px 12px; }
</style>"""
#: What the facilitator-notes toggle says: the notes appear on the presenter page, which the room may see.
NOTES_BUTTON_LABEL = "Facilitator notes (shown on this screen)"
NOTES_TOOLTIP = ("Shows your notes on this screen. If your laptop mirrors the projector, the room sees them: for "
                 "private notes run facilitator_notes(case_id) in a window on a screen the room cannot see.")
_LETTERS = "ABCDEFGHIJ"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _text_html(text: str) -> str:
    """Case text (Markdown-ish) as escaped HTML: paragraphs, '- ' bullet lists, **bold**. Nothing else."""
    out = []
    for block in text.strip().split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if lines and all(ln.lstrip().startswith(("- ", "* ")) for ln in lines):
            items = "".join(f"<li>{_inline(ln.lstrip()[2:])}</li>" for ln in lines)
            out.append(f"<ul>{items}</ul>")
        elif lines:
            out.append(f"<p>{_inline(' '.join(ln.strip() for ln in lines))}</p>")
    return "".join(out)


def _inline(text: str) -> str:
    escaped = _esc(text)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)


def _figure_widget(fig: go.Figure) -> widgets.Widget:
    """A live figure in a widget tree (FigureWidget needs anywidget, a course dependency), in a box as wide as its
    column; a figure too wide for it scrolls sideways rather than being cut off."""
    box = widgets.Box([go.FigureWidget(fig)], layout=widgets.Layout(width="100%", overflow="auto hidden"))
    box.add_class("mslbp-chart")
    return box


def _problem_html(message: str) -> str:
    return f"<p class='mslbp-problem'><strong>Problem:</strong> {_esc(message)}</p>"


def _alt_html(text: str) -> str:
    return f"<p class='mslbp-text-alternative'><strong>Text alternative:</strong> {_esc(text)}</p>"


def wrong_answers_html(q: QuestionTally, limit: int = 3) -> str:
    """The most common wrong answers of one question, with the library's feedback for each (escaped)."""
    wrong = q.wrong_answers[:limit]
    if not q.n_learners:
        return "<p>No answers to this question in the loaded exports.</p>"
    if not wrong:
        extra = f" ({q.unknown.count} named an option that is not in the case file)" if q.unknown.count else ""
        return f"<p>No wrong answers chosen at the first attempt{extra}.</p>"
    items = []
    for o in wrong:
        status = "acceptable, not the best" if o.acceptable else "not correct"
        items.append(
            f"<li><strong>{_esc(o.text)}</strong> ({status}): {o.count} of {q.n_learners} learners"
            f"<br><em>Feedback:</em> {_esc(o.feedback)}</li>"
        )
    return "<p><strong>Most common wrong answers</strong></p><ol>" + "".join(items) + "</ol>"


def question_tally_widgets(q: QuestionTally, presenting: bool = False) -> list[widgets.Widget]:
    """Chart + text alternative + most common wrong answers for one question (`presenting`: short, large labels)."""
    fig, alt = answer_distribution(q, short_labels=presenting, font_size=PRESENTER_FONT_PX if presenting else None,
                                   width=PRESENTER_CHART_PX if presenting else None)
    pct = q.pct_first_correct
    head = (f"<h4>{_esc(q.case_title)}: {_esc(q.prompt)}</h4><p>{q.n_learners} learner(s), {q.n_attempts} "
            f"attempt(s); correct at the first attempt: "
            f"{'no answers' if pct is None else f'{q.n_first_correct} ({round(pct)}%)'}.</p>")
    return [widgets.HTML(head), _figure_widget(fig), widgets.HTML(_alt_html(alt)),
            widgets.HTML(wrong_answers_html(q))]


# ------------------------------------------------------------------------------------------------ class tally


def report_html(data: ClassData) -> str:
    """The per-file report as an escaped HTML table: file, Accepted/Skipped, why skipped (reason code), detail."""
    if not data.reports:
        return "<p>No files yet: type a folder and press <strong>Load folder</strong>, or upload exports.</p>"
    rows = []
    for r in data.reports:
        status = "Accepted" if r.accepted else "Skipped"
        reason = "" if r.accepted else _esc(r.reason)  # "Accepted" already says it: no second "accepted"
        rows.append(
            f"<tr class='mslbp-{r.status}'><td>{_esc(r.name)}</td><td><strong>{status}</strong></td>"
            f"<td>{reason}</td><td>{_esc(r.detail)}</td></tr>"
        )
    n_ok = len(data.accepted)
    summary = (f"<p>{len(data.reports)} file(s) read: <strong>{n_ok} accepted</strong>, "
               f"<strong>{len(data.reports) - n_ok} skipped</strong> (limit {data.max_bytes:,} bytes per file).</p>")
    return (summary + "<table class='mslbp-file-report'><thead><tr><th>File</th><th>Status</th>"
            "<th>Why skipped</th><th>Detail</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def summary_table_html(t: ClassTally) -> str:
    """The summary table (the CSV's content) as escaped HTML, lowest % correct at first attempt first."""
    rows = summary_rows(t)
    if not rows:
        return "<p>No answers to questions of the case library yet.</p>"
    head = ("<tr><th>Case</th><th>Question</th><th>Learners</th><th>Attempts</th>"
            "<th>% correct at first attempt &#9650; (lowest first)</th><th>Most common wrong answer</th></tr>")
    note = ("<p>Sorted by <strong>% correct at first attempt, lowest first</strong>: the questions at the top are "
            "the ones the room found hardest, the ones to discuss.</p>")
    body = "".join(
        f"<tr><td>{_esc(r['case_title'])}</td><td>{_esc(r['question'])}</td><td>{r['n_learners']}</td>"
        f"<td>{r['n_attempts']}</td><td>{_esc(r['pct_correct_first_attempt'])}</td>"
        f"<td>{_esc(r['most_common_wrong_answer'])}"
        f"{' (' + str(r['most_common_wrong_answer_learners']) + ')' if r['most_common_wrong_answer'] else ''}"
        f"</td></tr>"
        for r in rows
    )
    return f"{note}<table class='mslbp-summary'><thead>{head}</thead><tbody>{body}</tbody></table>"


def csv_download_html(csv_text: str, filename: str = "class-summary.csv") -> str:
    """A download link carrying the CSV as a base64 data URL (works in JupyterLab and Voila, no server needed)."""
    payload = base64.b64encode(csv_text.encode("utf-8")).decode("ascii")
    return (f"<a download='{_esc(filename)}' href='data:text/csv;charset=utf-8;base64,{payload}' "
            f"class='mslbp-download'>Download the summary table (CSV)</a>")


def _size_words(n: int) -> str:
    """2097152 -> '2 MB'; other sizes in bytes."""
    mb = n / (1024 * 1024)
    return f"{mb:g} MB" if mb >= 1 and mb == round(mb, 1) else f"{n:,} bytes"


def _upload_pairs(value: Any) -> list[tuple[str, bytes]]:
    """FileUpload value (ipywidgets 8: a tuple of dicts with name and content) -> (name, bytes) pairs."""
    items = value.values() if isinstance(value, Mapping) else value  # ipywidgets 7 used a dict by name
    out: list[tuple[str, bytes]] = []
    for item in items or ():
        name = str(item.get("name") or item.get("metadata", {}).get("name") or "upload")
        content = item.get("content", b"")
        out.append((name, bytes(content)))
    return out


class ClassTallyView(widgets.VBox):
    """Folder box + upload button -> per-file report, charts with text alternatives, summary table, CSV link.

    Attributes for tests and notebooks: `folder_text`, `load_button`, `upload`, `status`, `report`, `charts`,
    `summary`, `download`, `data` (ClassData), `result` (ClassTally or None).
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None, library: Mapping[str, Case] | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES):
        self._library = library
        self.max_bytes = max_bytes
        self.data = ClassData(reports=(), attempts=(), max_bytes=max_bytes)
        self.result: ClassTally | None = None
        self.folder_text = widgets.Text(
            value="" if folder is None else str(folder),
            description="Folder of exports",
            placeholder="e.g. exports/ (the folder where you saved the learners' JSON files)",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="70%"),
        )
        self.load_button = widgets.Button(description="Load folder", tooltip="Read every export in the folder",
                                          layout=widgets.Layout(width="auto"))
        self.upload = widgets.FileUpload(accept=".json,application/json", multiple=True,
                                         description="Upload exports (.json)", layout=widgets.Layout(width="auto"))
        self.status = widgets.HTML()
        self.report = widgets.HTML()
        self.charts = widgets.VBox()
        self.summary = widgets.HTML()
        self.download = widgets.HTML()
        self.load_button.on_click(lambda _b: self.refresh())
        self.upload.observe(lambda _c: self.refresh(), names="value")
        intro = widgets.HTML(
            "<h3>Class tally</h3><p>Point at the folder where you collected the learners' exported JSON files, or "
            f"upload them. Each file is checked on its own; files over {_size_words(max_bytes)}, not JSON, of another "
            "format or version, or duplicates are skipped and listed below. Counts use each learner's "
            "<strong>first attempt</strong> at each question.</p>"
        )
        super().__init__([
            intro,
            widgets.HBox([self.folder_text, self.load_button]),
            widgets.HBox([self.upload]),
            self.status,
            widgets.HTML("<h4>Files</h4>"),
            self.report,
            widgets.HTML("<h4>Summary</h4>"),
            self.summary,
            self.download,
            self.charts,
        ])
        self.add_class("mslbp-class-tally")
        if folder is not None:
            self.refresh()
        else:
            self.report.value = report_html(self.data)

    @property
    def library(self) -> Mapping[str, Case]:
        if self._library is None:
            self._library = default_library()
        return self._library

    def _sources(self) -> list[Any]:
        sources: list[Any] = []
        folder = self.folder_text.value.strip()
        if folder:
            path = Path(folder).expanduser()
            if path.is_dir():
                sources.extend(sorted(p for p in path.iterdir() if not p.name.startswith(".") and p.is_file()))
            elif path.is_file():
                sources.append(path)
            else:
                raise MslbpError(missing_folder_message(folder))
        sources.extend(_upload_pairs(self.upload.value))
        return sources

    def refresh(self) -> None:
        """Read the folder and the uploads again and redraw everything."""
        try:
            self.data = load_exports(self._sources(), max_bytes=self.max_bytes)
            self.result = tally(self.data, self.library)
        except MslbpError as exc:
            self.status.value = _problem_html(str(exc))
            return
        self.status.value = (f"<p>{len(self.data.learners)} learner(s), {len(self.data.attempts)} attempt(s) "
                             f"accepted.</p>")
        self.report.value = report_html(self.data)
        self.summary.value = summary_table_html(self.result)
        self.download.value = csv_download_html(summary_csv(self.result)) if self.result.questions else ""
        self.charts.children = self._chart_widgets(self.result)

    def _chart_widgets(self, t: ClassTally) -> tuple[widgets.Widget, ...]:
        if not t.questions:
            return ()
        out: list[widgets.Widget] = [widgets.HTML("<h4>Accuracy by mechanism and confidence</h4>")]
        for fig, alt in (class_accuracy_by_mechanism(t), class_calibration(t)):
            out += [_figure_widget(fig), widgets.HTML(_alt_html(alt))]
        out.append(widgets.HTML("<h4>Answers per question</h4>"))
        for q in t.questions:
            out += question_tally_widgets(q)
        if t.unknown_questions:
            n = sum(c for _, _, c in t.unknown_questions)
            out.append(widgets.HTML(f"<p>{n} attempt(s) were at cases or questions not in the case library "
                                    "(another version of the course?) and are not counted above.</p>"))
        return tuple(out)


def class_tally(folder: str | os.PathLike[str] | None = None, library: Mapping[str, Case] | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> ClassTallyView:
    """The class tally widget; with `folder`, that folder's exports are loaded at once."""
    return ClassTallyView(folder, library=library, max_bytes=max_bytes)


# ------------------------------------------------------------------------------------------------ presenter


class Presenter(widgets.VBox):
    """Presenter mode for one case: large type, stages stepped by the instructor, answer hidden until revealed.

    Steps: 0 is the summary, 1..N the stages, N+1 what happened next. The controls (Previous, Next stage, Reveal
    answer, Facilitator notes) sit **above** the case text, so the instructor never scrolls to reach them. On a
    stage with a question the options are shown, lettered in the order learners see them
    (`Question.display_options()`), so "option C" means the same to the room and to the learners. "Reveal answer"
    shows the best answer(s), the feedback and the teaching point, and beside them the class tally for that
    question (from `exports`). The notes toggle says that the notes appear on this (possibly shared) screen; for
    private notes use `facilitator_notes(case_id)` on another screen.

    Attributes for tests: `step`, `revealed`, `title`, `position`, `controls`, `body`, `answer`, `tally_box`,
    `prev_button`, `next_button`, `reveal_button`, `notes_toggle`, `notes`.
    """

    def __init__(self, case: Case, exports: Any = None, library: Mapping[str, Case] | None = None):
        self.case = case
        self.exports = exports
        self._library = library
        self.step = 0
        self.revealed = False
        self.title = widgets.HTML(
            f"<h2>{_esc(case.title)}</h2><p><em>Synthetic {_esc(case.kind)}: invented for teaching.</em></p>"
        )
        self.position = widgets.HTML()
        self.body = widgets.HTML()
        self.answer = widgets.HTML()
        self.tally_box = widgets.VBox(layout=widgets.Layout(width=f"{PRESENTER_CHART_PX}px", flex="0 0 auto"))
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
            widgets.HTML(PRESENTER_CSS),
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
        """Show step `step` (clamped), with the answer hidden."""
        self.step = max(0, min(step, self.n_steps - 1))
        self.revealed = False
        self.answer.value = ""
        self.tally_box.children = ()
        case = self.case
        if self.step == 0:
            label = "Introduction"
            body = f"<h3>The patient</h3>{_text_html(case.summary)}"
        elif self.step == self.n_steps - 1:
            label = "What happened next"
            body = f"<h3>What happened next</h3>{_text_html(case.next_step)}"
            if case.teaching_point:
                body += f"<p><strong>Take-home point:</strong> {_inline(case.teaching_point)}</p>"
        else:
            stage = case.stages[self.step - 1]
            label = f"Stage {self.step} of {len(case.stages)}"
            body = f"<h3>{_esc(stage.title)}</h3>{_text_html(stage.text)}"
            q = stage.question
            if q is not None:
                how = "choose one" if q.type == "single" else "choose all that apply"
                options = "".join(f"<li><strong>{_LETTERS[i]}.</strong> {_esc(o.text)}</li>"
                                  for i, o in enumerate(display_options(q)))
                body += (f"<p><strong>Question:</strong> {_esc(q.prompt)} ({how})</p>"
                         f"<ol class='mslbp-options' style='list-style:none;padding-left:0'>{options}</ol>")
        self.position.value = f"<p><strong>{_esc(label)}</strong> (step {self.step + 1} of {self.n_steps})</p>"
        self.body.value = body
        self.prev_button.disabled = self.step == 0
        self.next_button.disabled = self.step == self.n_steps - 1
        self.reveal_button.disabled = self.question is None
        self.reveal_button.description = "Reveal answer"

    def reveal(self) -> None:
        """Show the answer of the current question and, beside it, the class tally for that question."""
        q = self.question
        if q is None or self.revealed:
            return
        self.revealed = True
        self.reveal_button.disabled = True
        self.reveal_button.description = "Answer revealed"
        items = []
        for i, o in enumerate(display_options(q)):
            status = _status_words(q, o)
            cls = " class='mslbp-best'" if o.correct else ""
            items.append(f"<li{cls}><strong>{_LETTERS[i]}. {status}:</strong> {_esc(o.text)}<br>"
                         f"{_esc(o.feedback)}</li>")
        self.answer.value = (f"<h3>Answer</h3><ol class='mslbp-answers' style='list-style:none;padding-left:0'>"
                             f"{''.join(items)}</ol>"
                             f"<p><strong>Teaching point:</strong> {_inline(q.teaching_point)}</p>")
        self.tally_box.children = self._tally_widgets(q)

    def _class_data(self) -> ClassData | None:
        ex = self.exports
        if ex is None:
            return None
        if isinstance(ex, ClassTallyView):
            return ex.data if ex.data.reports else None
        if isinstance(ex, ClassData):
            return ex
        return load_exports(ex)

    def _tally_widgets(self, q: Question) -> tuple[widgets.Widget, ...]:
        try:
            data = self._class_data()
        except MslbpError as exc:
            return (widgets.HTML(f"<p><strong>Class tally unavailable:</strong> {_esc(exc)}</p>"),)
        if data is None:
            return (widgets.HTML("<h3>Class tally</h3><p>No class exports loaded. Collect the learners' JSON exports "
                                 "in a folder and pass it: <code>presenter(case_id, exports=\"folder\")</code>, or "
                                 "load them with <code>class_tally()</code>.</p>"),)
        library = self._library if self._library is not None else {self.case.id: self.case}
        t = tally(data, library, include_unanswered=True)
        qt = t.question(self.case.id, q.id)
        if qt is None:  # pragma: no cover - include_unanswered lists every question of the case
            return (widgets.HTML("<p>No tally for this question.</p>"),)
        return (widgets.HTML("<h3>Class tally</h3>"), *question_tally_widgets(qt, presenting=True))


def _status_words(q: Question, o: Any) -> str:
    if q.type == "multiple":
        return "Should be ticked" if o.correct else "Should not be ticked"
    return "Best answer" if o.correct else ("Acceptable, not the best" if o.acceptable else "Not correct")


def _notes_html(case: Case, shared: bool) -> str:
    """The case's facilitator notes; on the presenter page (`shared`) headed with a warning that the room may see
    them."""
    notes = case.facilitator_notes or "This case has no facilitator notes."
    head = ("Facilitator notes: on this screen, so the room sees them if it is mirrored to the projector."
            if shared else "Facilitator notes (not for learners).")
    return f"<div class='mslbp-notes'><strong>{_esc(head)}</strong>{_text_html(notes)}</div>"


def _problem_widget(message: str) -> widgets.HTML:
    w = widgets.HTML(_problem_html(message))
    w.add_class("mslbp-problem")
    return w


def _lookup(case_id: str, library: Mapping[str, Case] | None) -> Case:
    return find_case(case_id, library)  # UnknownCaseError (an MslbpError) names the nearest id and all ids


def presenter(case_id: str, exports: Any = None, library: Mapping[str, Case] | None = None
              ) -> Presenter | widgets.HTML:
    """Presenter mode for a case (or check set) by id.

    `exports`: where the class tally comes from after "Reveal answer" — a folder of learners' exports, a
    `ClassData`, or a `class_tally()` widget (its current files are used); None shows no tally.
    A mistyped id (or a case folder that does not load) gives a short message instead of a traceback: the
    nearest known id and every known id.
    """
    try:
        case = _lookup(case_id, library)
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
        parts = [f"<h3>{_esc(case.title)}</h3><p><em>For the instructor only: keep this on your own screen.</em>"
                 f"</p>", _notes_html(case, shared=False), "<h4>Answer key</h4>"]
        for n, stage in enumerate(case.stages, start=1):
            q = stage.question
            if q is None:
                continue
            opts = display_options(q)
            key = "; ".join(f"{_LETTERS[i]}. {_status_words(q, o).lower()}" for i, o in enumerate(opts)
                            if o.correct or o.acceptable)
            items = "".join(f"<li><strong>{_LETTERS[i]}.</strong> {_esc(o.text)} "
                            f"<em>({_esc(_status_words(q, o).lower())})</em></li>" for i, o in enumerate(opts))
            parts.append(f"<p><strong>Stage {n}, {_esc(stage.title)}:</strong> {_esc(q.prompt)}<br>"
                         f"<strong>Key:</strong> {_esc(key)}</p>"
                         f"<ol style='list-style:none;padding-left:0'>{items}</ol>"
                         f"<p><strong>Teaching point:</strong> {_inline(q.teaching_point)}</p>")
        self.content = widgets.HTML("".join(parts))
        super().__init__([widgets.HTML(PRESENTER_CSS), self.content])
        self.add_class("mslbp-facilitator-notes")


def facilitator_notes(case_id: str, library: Mapping[str, Case] | None = None) -> FacilitatorNotes | widgets.HTML:
    """The facilitator notes and answer key of a case, on their own, for the instructor's screen.

    Presenter mode is one page: on a laptop that mirrors the projector, its notes toggle shows the notes to the
    room. Run this instead in a second window (or notebook) on a screen the room does not see, e.g. the laptop's
    own screen with the projector as an extended display.
    """
    try:
        case = _lookup(case_id, library)
    except MslbpError as exc:
        return _problem_widget(str(exc))
    return FacilitatorNotes(case)
