"""Case-scenario widgets: one case stage by stage (:class:`CaseScenario`), the case bank (:class:`CaseBank`), the
download/upload controls of the learner's progress (:class:`ProgressControls`), and two notebook helpers
(:func:`show_case`, :func:`check_understanding`).

These widgets only render and wire callbacks: the verdict comes from :func:`mslbp_widgets.evaluate.evaluate`, the
attempt is stored by :class:`mslbp_widgets.progress.ProgressLog`, the charts come from :mod:`mslbp_widgets.charts`.
All case text is instructor-editable, so every piece of it is HTML-escaped before it is shown.

Every class here is an ``ipywidgets.VBox`` subclass: display the object itself (``display(CaseBank())`` or leave it
as the last expression of a cell). The controls are standard ipywidgets (radio buttons, checkboxes, toggle buttons,
buttons with text, dropdowns, a file upload), so they are reachable with Tab and operated with Space/Enter/arrow
keys; they appear in reading order (choice, confidence, Check, feedback, Why not the others?, Next stage).
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

import ipywidgets as widgets
import plotly.graph_objects as go

from ..charts import learner as charts
from ..logic.cases import Case, CaseLibrary, Stage, case_library, check_library, get_case
from ..logic.errors import DataValidationError, ExportFormatError, MslbpError, ProgressFileError, SelectionError
from ..logic.evaluate import Result, evaluate
from ..logic.paths import PROGRESS_FILE_ENV, progress_file
from ..logic.progress import Attempt, ProgressLog, download_name, first_attempts
from ..logic.references import cite

__all__ = [
    "CONFIDENCE_PROMPT", "CaseBank", "CaseScenario", "ProgressControls", "StageView", "check_understanding",
    "default_progress", "show_case",
]

CONFIDENCE_PROMPT = "How sure are you? (1 = guessing, 5 = certain)"
CONFIDENCE_OPTIONS = [("1 (guessing)", 1), ("2", 2), ("3", 3), ("4", 4), ("5 (certain)", 5)]
VERDICT_SYMBOL = {"correct": "✓", "partly-correct": "◐", "incorrect": "✗"}
VERDICT_BORDER = {"correct": "#1a7f37", "partly-correct": "#9a6700", "incorrect": "#cf222e"}
SYNTHETIC_MARKER = "Synthetic case: invented for teaching, not a real patient."
SYNTHETIC_MARKER_CHECK = "Synthetic: any patient in these questions is invented for teaching."
_WIDE = widgets.Layout(width="100%")
_LABEL_STYLE = {"description_width": "initial"}

_logs: dict[Path, ProgressLog] = {}

#: Lets long option texts wrap instead of being cut off with "…" (ipywidgets' default for checkbox labels), inside
#: the course's case widgets only.
STYLE = """<style>
.mslbp-case .widget-radio-box label, .mslbp-case .jupyter-widget-radio-box label {
  height: auto; min-height: var(--jp-widgets-radio-item-height); line-height: 1.4; white-space: normal;
  padding: 2px 0; }
.mslbp-case .widget-checkbox, .mslbp-case .jupyter-widget-checkbox { height: auto; }
.mslbp-case .widget-checkbox .widget-label-basic, .mslbp-case .jupyter-widget-checkbox .jupyter-widget-label-basic {
  white-space: normal; overflow: visible; line-height: 1.4; height: auto; }
.mslbp-case :focus-visible { outline: 3px solid #0969da; outline-offset: 1px; }
</style>"""


# ----------------------------------------------------------------------------------------------- helpers


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def text_html(text: str) -> str:
    """Case text (plain text with light Markdown) as safe HTML: everything is escaped first; then blank lines make
    paragraphs, lines starting with "- " make a list, ``**bold**`` becomes bold, other newlines become line breaks.
    """
    blocks = re.split(r"\n\s*\n", str(text).strip())
    out = []
    for block in blocks:
        lines = [ln.rstrip() for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        if all(ln.lstrip().startswith(("- ", "* ")) for ln in lines):
            items = "".join(f"<li>{_inline(ln.lstrip()[2:])}</li>" for ln in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append("<p>" + "<br>".join(_inline(ln) for ln in lines) + "</p>")
    return "".join(out)


def _inline(line: str) -> str:
    escaped = _esc(line)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)


def _references_html(keys: Iterable[str]) -> str:
    items = []
    for key in keys:
        try:
            items.append(f"<li>{_esc(cite(key))}</li>")
        except (KeyError, MslbpError):
            items.append(f"<li>{_esc(key)} (reference not found in the course bibliography)</li>")
    return f"<ol>{''.join(items)}</ol>" if items else ""


def _box(inner: str, border: str = "#57606a", role: str = "") -> str:
    role_attr = f" role='{role}'" if role else ""
    return (f"<div{role_attr} style='border:2px solid {border};border-radius:6px;padding:8px 12px;margin:6px 0'>"
            f"{inner}</div>")


def _notice(message: str, title: str = "Note") -> str:
    return _box(f"<strong>⚠ {_esc(title)}:</strong> {_esc(message)}", "#9a6700", "status")


def _shared_log() -> ProgressLog:
    path = progress_file()
    if path not in _logs:
        _logs[path] = ProgressLog(path)
    return _logs[path]


def default_progress() -> ProgressLog | None:
    """The shared progress log of this kernel for ``paths.progress_file()`` (one per path, so every widget in a
    notebook sees the same attempts), or None if that file cannot be read at all."""
    try:
        return _shared_log()
    except ProgressFileError:
        return None


def _resolve_progress(progress: ProgressLog | None | bool) -> tuple[ProgressLog | None, str]:
    """(log, error message): ``False`` means no recording; None the shared log (or its error, to be shown)."""
    if progress is False:
        return None, ""
    if progress is None or progress is True:
        try:
            return _shared_log(), ""
        except ProgressFileError as exc:
            return None, str(exc)
    return progress, ""


def _focus(widget: widgets.Widget) -> None:
    """Move keyboard focus to a widget in the browser (ipywidgets 8); harmless when no front end is attached."""
    widget.focus()


def _button(description: str, tooltip: str, disabled: bool = False) -> widgets.Button:
    return widgets.Button(description=description, tooltip=tooltip, disabled=disabled,
                          layout=widgets.Layout(width="auto"))


# ----------------------------------------------------------------------------------------------- one stage


class StageView(widgets.VBox):
    """One stage of a case: its text and, if it asks a question, the answer controls and feedback areas.

    Attributes for tests and callers: ``choice`` (RadioButtons, single choice; value = option id) or
    ``checkboxes`` (option id -> Checkbox, multiple choice), ``confidence`` (ToggleButtons, value 1–5 or None),
    ``check_button``, ``why_button``, ``retry_button``, ``next_button``, ``message`` (prompts such as "choose an
    answer first"), ``feedback`` and ``why_not`` (HTML), ``result`` (the last :class:`Result`).
    """

    def __init__(self, stage: Stage, number: int, total: int, on_check: Callable[[StageView, Result], None],
                 on_next: Callable[[StageView], None], last: bool, kind: str = "case"):
        self.stage = stage
        self.question = stage.question
        self.result: Result | None = None
        self._on_check = on_check
        heading = f"{'Stage' if kind == 'case' else 'Question'} {number} of {total}: {stage.title}"
        self.text = widgets.HTML(f"<h4>{_esc(heading)}</h4>{text_html(stage.text)}", layout=_WIDE)
        children: list[widgets.Widget] = [self.text]
        self.choice: widgets.RadioButtons | None = None
        self.checkboxes: dict[str, widgets.Checkbox] = {}
        self.confidence: widgets.ToggleButtons | None = None
        self.message = widgets.HTML(layout=_WIDE)
        self.feedback = widgets.HTML(layout=_WIDE)
        self.why_not = widgets.HTML(layout=_WIDE)
        self.check_button = _button("Check answer", "Check your answer and see feedback")
        self.why_button = _button("Why not the others?", "Show the feedback for every option", disabled=True)
        self.retry_button = _button("Try again", "Clear your choice and answer again", disabled=True)
        if kind == "case":
            next_label = "Finish the case" if last else "Next stage"
            tip = "Show what happened next and the teaching point" if last else "Reveal the next part of the case"
        else:
            next_label = "Finish" if last else "Next question"
            tip = "Show the key point and where to go next" if last else "Go to the next question"
        self.next_button = _button(next_label, tip)
        self.next_button.on_click(lambda _b: on_next(self))
        q = self.question
        if q is not None:
            self.prompt = widgets.HTML(f"<p><strong>Question:</strong> {_esc(q.prompt)}</p>", layout=_WIDE)
            children.append(self.prompt)
            if q.type == "single":
                self.choice = widgets.RadioButtons(
                    options=[(o.text, o.id) for o in q.display_options()], value=None,
                    description="Your answer:", style=_LABEL_STYLE, layout=_WIDE,
                )
                children.append(self.choice)
            else:
                children.append(widgets.HTML("<p>Your answer (tick all that apply):</p>"))
                for o in q.display_options():
                    box = widgets.Checkbox(value=False, description=o.text, indent=False, style=_LABEL_STYLE,
                                           layout=_WIDE)
                    self.checkboxes[o.id] = box
                    children.append(box)
            self.confidence = widgets.ToggleButtons(
                options=CONFIDENCE_OPTIONS, value=None, description=CONFIDENCE_PROMPT, style=_LABEL_STYLE,
                tooltips=["1: guessing", "2", "3", "4", "5: certain"],
            )
            children.append(self.confidence)
            self.check_button.on_click(lambda _b: self.check())
            self.why_button.on_click(lambda _b: self.show_why_not())
            self.retry_button.on_click(lambda _b: self.try_again())
            children += [
                widgets.HBox([self.check_button, self.retry_button]),
                self.message,
                self.feedback,
                widgets.HBox([self.why_button]),
                self.why_not,
            ]
            self.next_button.disabled = True  # answer first; then move on
        children.append(widgets.HBox([self.next_button]))
        super().__init__(children, layout=widgets.Layout(border="1px solid #d0d7de", padding="4px 10px",
                                                         margin="6px 0"))
        self.add_class("mslbp-stage")

    # ------------------------------------------------------------ reading the controls

    def selection(self) -> tuple[str, ...]:
        """The option ids currently chosen."""
        if self.choice is not None:
            return () if self.choice.value is None else (self.choice.value,)
        return tuple(oid for oid, box in self.checkboxes.items() if box.value)

    def _choice_widgets(self) -> list[widgets.Widget]:
        return ([self.choice] if self.choice is not None else []) + list(self.checkboxes.values())

    def first_control(self) -> widgets.Widget:
        """Where keyboard focus goes when this stage appears: the first choice, or Next stage if it asks nothing."""
        controls = self._choice_widgets()
        return controls[0] if controls else self.next_button

    def _set_answer_enabled(self, enabled: bool) -> None:
        for w in self._choice_widgets():
            w.disabled = not enabled
        if self.confidence is not None:
            self.confidence.disabled = not enabled
        self.check_button.disabled = not enabled

    # ------------------------------------------------------------ actions

    def check(self) -> Result | None:
        """Evaluate the current choice (the "Check answer" button). Returns the Result, or None with a visible
        message if no answer or no confidence was chosen."""
        q = self.question
        if q is None:
            return None
        chosen = self.selection()
        if not chosen:
            self.message.value = _notice("Choose an answer before checking.", "Not checked yet")
            return None
        if self.confidence is None or self.confidence.value is None:
            self.message.value = _notice(f"Choose how sure you are first: {CONFIDENCE_PROMPT}.", "Not checked yet")
            return None
        try:
            result = evaluate(q, chosen, self.confidence.value)
        except SelectionError as exc:
            self.message.value = _notice(str(exc), "Not checked")
            return None
        self.result = result
        self.message.value = ""
        self.feedback.value = render_result(result)
        self.why_not.value = ""
        self._set_answer_enabled(False)
        self.retry_button.disabled = False
        self.why_button.disabled = False
        self.next_button.disabled = False
        # Check answer has just disabled itself: keep a keyboard user's place on the natural next step.
        _focus(self.next_button if result.verdict == "correct" else self.retry_button)
        self._on_check(self, result)
        return result

    def show_why_not(self) -> None:
        """Show every option with its status in words and its feedback (the "Why not the others?" button)."""
        if self.result is None:
            self.why_not.value = _notice("Check an answer first.", "Nothing to explain yet")
            return
        self.why_not.value = render_all_options(self.result)

    def try_again(self) -> None:
        """Clear the choice and the feedback so the learner can answer again (the "Try again" button)."""
        if self.choice is not None:
            self.choice.value = None
        for box in self.checkboxes.values():
            box.value = False
        self.feedback.value = ""
        self.why_not.value = ""
        self.message.value = ""
        self._set_answer_enabled(True)
        self.retry_button.disabled = True
        self.why_button.disabled = True
        _focus(self.first_control())

    def freeze(self) -> None:
        """Disable every control (the learner has moved on to the next stage); the text and feedback stay."""
        self._set_answer_enabled(False)
        for b in (self.retry_button, self.why_button, self.next_button):
            b.disabled = True


def render_result(result: Result) -> str:
    """The feedback for one checked answer as safe HTML: verdict in words (with a symbol, colour only as an extra),
    the feedback of each chosen option, the findings marked as supporting or arguing against, the teaching point."""
    verdict = f"{VERDICT_SYMBOL[result.verdict]} {result.verdict_label}"
    parts = [f"<p style='font-size:1.1em'><strong>{_esc(verdict)}.</strong>"]
    if result.verdict == "partly-correct":
        parts.append(f" Score {result.score:.0%}.")
    if result.confidence is not None:
        parts.append(f" You rated your confidence {result.confidence} of 5.")
    parts.append("</p>")
    parts.append("<p><strong>Your answer:</strong></p><ul>")
    for fb in result.chosen:
        parts.append(f"<li><strong>{_esc(fb.option.text)}</strong> ({_esc(fb.label)}). {_esc(fb.option.feedback)}"
                     "</li>")
    parts.append("</ul>")
    if result.missed:
        n = len(result.missed)
        parts.append(f"<p>{n} option{'s' if n > 1 else ''} that should be ticked {'were' if n > 1 else 'was'} not "
                     "ticked. Use “Why not the others?” to see which.</p>")
    if result.supporting or result.against or result.mixed:
        parts.append("<p><strong>Key findings:</strong></p><ul>")
        for f in result.supporting:
            parts.append(f"<li><strong>Supports your answer:</strong> {_esc(f.text)}</li>")
        for f in result.against:
            parts.append(f"<li><strong>Argues against your answer:</strong> {_esc(f.text)}</li>")
        text_of = {fb.option.id: fb.option.text for fb in result.all_options}
        for f in result.mixed:
            pro = "; ".join(text_of[i] for i in f.supports if i in result.selection)
            con = "; ".join(text_of[i] for i in f.argues_against if i in result.selection)
            parts.append(f"<li><strong>Cuts both ways:</strong> {_esc(f.text)} (supports “{_esc(pro)}”, argues "
                         f"against “{_esc(con)}”)</li>")
        parts.append("</ul>")
    parts.append(f"<p><strong>Teaching point:</strong> {_esc(result.teaching_point)}</p>")
    return _box("".join(parts), VERDICT_BORDER[result.verdict], "status")


def render_all_options(result: Result) -> str:
    """Every option of the question with its status in words, whether it was chosen, and its feedback."""
    chosen = set(result.selection)
    items = []
    for fb in result.all_options:
        mine = " (your choice)" if fb.option.id in chosen else ""
        items.append(f"<li><strong>{_esc(fb.option.text)}</strong>{mine}: <em>{_esc(fb.label)}</em>. "
                     f"{_esc(fb.option.feedback)}</li>")
    return _box(f"<p><strong>Every option explained:</strong></p><ul>{''.join(items)}</ul>")


# ----------------------------------------------------------------------------------------------- one case


class CaseScenario(widgets.VBox):
    """One case (or check set), revealed stage by stage. Display the object itself.

    ``progress``: where attempts are recorded (default: the kernel's shared log for ``paths.progress_file()``;
    pass ``False`` to record nothing). ``on_record(attempt)`` and ``on_finish(case)`` are optional callbacks (the
    case bank uses them). ``compact`` makes a smaller header for check-your-understanding sets.

    For tests: ``stage_views`` (list of :class:`StageView`, one per revealed stage), ``current`` (the last one),
    ``status`` (HTML: saving problems), ``end`` (HTML: next step, teaching point and references once finished),
    ``finished``.
    """

    def __init__(self, case: Case, progress: ProgressLog | None | bool = None, *,
                 on_record: Callable[[Attempt], None] | None = None,
                 on_finish: Callable[[Case], None] | None = None, compact: bool = False):
        self.case = case
        self.progress, error = _resolve_progress(progress)
        self._on_record = on_record
        self._on_finish = on_finish
        self.compact = compact
        self.finished = False
        level = "h4" if compact else "h3"
        marker = ("<p style='display:inline-block;border:1px dashed #57606a;padding:2px 8px;margin:2px 0'>"
                  f"<strong>{_esc(SYNTHETIC_MARKER_CHECK if case.kind == 'check' else SYNTHETIC_MARKER)}</strong></p>")
        tags = ""
        if not compact and case.kind == "case":
            tags = (f"<p><em>Difficulty: {_esc(case.difficulty)}"
                    f"{' · includes a red flag' if case.red_flag else ''}</em></p>")
        self.header = widgets.HTML(
            f"{STYLE}<{level}>{_esc(case.title)}</{level}>{marker}{tags}{text_html(case.summary)}", layout=_WIDE
        )
        self.status = widgets.HTML(layout=_WIDE)
        self.stages_box = widgets.VBox()
        self.end = widgets.HTML(layout=_WIDE)
        self.end.add_class("mslbp-case-end")
        self.stage_views: list[StageView] = []
        super().__init__([self.header, self.status, self.stages_box, self.end], layout=_WIDE)
        self.add_class("mslbp-case")
        if error:
            self.status.value = _notice(error, "Your answers will not be saved")
        else:
            self._show_warnings()
        self._reveal(0)

    def _show_warnings(self, extra: str = "") -> None:
        warnings = self.progress.warnings if self.progress is not None else []
        self.status.value = extra + "".join(_notice(w, "About your saved progress") for w in warnings)

    @property
    def current(self) -> StageView:
        """The stage the learner is on (the last one revealed)."""
        return self.stage_views[-1]

    def _reveal(self, index: int) -> None:
        total = len(self.case.stages)
        view = StageView(self.case.stages[index], index + 1, total, self._checked, self._next,
                         last=index == total - 1, kind=self.case.kind)
        self.stage_views.append(view)
        self.stages_box.children = tuple(self.stage_views)
        if index > 0:  # not on first display: the learner pressed Next stage
            _focus(view.first_control())

    def _checked(self, _view: StageView, result: Result) -> None:
        if self.progress is None:
            return
        try:
            attempt = self.progress.record(self.case.id, result)
        except ProgressFileError:
            # The log keeps the attempt in memory and adds the reason (path, MSLBP_PROGRESS_FILE) to its warnings.
            self._show_warnings(_notice("Your answer was checked but could not be saved to a file.", "Not saved"))
            return
        except ValueError as exc:  # an id the export format cannot hold: a case-authoring problem
            self._show_warnings(_notice(f"Your answer was checked but could not be saved: {exc}", "Not saved"))
            return
        self._show_warnings()
        if self._on_record is not None:
            self._on_record(attempt)

    def _next(self, view: StageView) -> None:
        view.freeze()
        index = self.stage_views.index(view) + 1
        if index < len(self.case.stages):
            self._reveal(index)
        else:
            self._finish()

    def next_stage(self) -> None:
        """Move on as the current stage's "Next stage" button does (if it is enabled)."""
        if not self.current.next_button.disabled:
            self.current.next_button.click()

    def _finish(self) -> None:
        c = self.case
        if c.kind == "case":
            parts = ["<h4>What happened next</h4>", text_html(c.next_step)]
            point = "Teaching point of the case"
        else:
            parts = ["<h4>Done: where to go next</h4>", text_html(c.next_step)]
            point = "Key point"
        if c.teaching_point:
            parts += [f"<p><strong>{point}:</strong> ", _esc(c.teaching_point), "</p>"]
        refs = _references_html(c.references)
        if refs:
            parts += ["<details open>" if not self.compact else "<details>",
                      "<summary><strong>References</strong></summary>", refs, "</details>"]
        self.end.value = _box("".join(parts), "#0969da")
        self.finished = True
        if self._on_finish is not None:
            self._on_finish(c)


# ----------------------------------------------------------------------------------------------- progress


class ProgressControls(widgets.VBox):
    """Download the learner's attempts (JSON, CSV) and load an earlier download to resume.

    The download links are HTML anchors with a ``data:`` URI and a ``download`` attribute, re-made by
    :meth:`refresh` after every recorded attempt. For tests: ``downloads`` (HTML), ``upload`` (FileUpload),
    ``upload_status`` and ``warnings`` (HTML); :meth:`load_download` is what the upload calls.
    """

    def __init__(self, progress: ProgressLog | None = None, on_change: Callable[[], None] | None = None):
        self._on_change = on_change
        self.warnings = widgets.HTML(layout=_WIDE)
        self.progress, error = _resolve_progress(progress)
        if error:
            self.warnings.value = _notice(error, "Progress cannot be read")
        self.where = widgets.HTML(layout=_WIDE)
        self.downloads = widgets.HTML(layout=_WIDE)
        self.upload = widgets.FileUpload(accept=".json,application/json", multiple=False,
                                         description="Load an earlier download to resume",
                                         tooltip="Choose a JSON file from 'Download my attempts (JSON)'",
                                         layout=widgets.Layout(width="auto"))
        self.upload_status = widgets.HTML(layout=_WIDE)
        self.upload.observe(self._uploaded, names="value")
        super().__init__([
            widgets.HTML("<h4>Your progress</h4>"), self.where, self.warnings, self.downloads,
            widgets.HBox([self.upload]), self.upload_status,
        ], layout=_WIDE)
        self.add_class("mslbp-progress-controls")
        self.refresh()

    def refresh(self) -> None:
        """Re-make the download links and show any warning of the progress log."""
        log = self.progress
        if log is None:
            self.where.value = (f"<p>Your attempts cannot be saved in this session. Set {PROGRESS_FILE_ENV} to a "
                                "writable file and restart the kernel.</p>")
            self.downloads.value = ""
            return
        n = len(log.attempts())
        self.where.value = (
            f"<p>{n} attempt{'s' if n != 1 else ''} saved in <code>{_esc(log.path)}</code> (change the place with "
            f"the environment variable <code>{PROGRESS_FILE_ENV}</code>). On Binder this file disappears when the "
            "session ends: download your attempts to keep them. They hold no name, only a random learner id.</p>"
        )
        if log.warnings:
            self.warnings.value = "".join(_notice(w, "About your saved progress") for w in log.warnings)
        now = datetime.now(timezone.utc)
        style = ("display:inline-block;border:1px solid #0969da;border-radius:4px;padding:4px 10px;"
                 "margin:2px 8px 2px 0;text-decoration:underline")
        links = []
        for label, mime, ext, content in (
            ("Download my attempts (JSON)", "application/json", "json", log.export_json()),
            ("Download my attempts (CSV)", "text/csv", "csv", log.export_csv()),
        ):
            payload = base64.b64encode(content.encode("utf-8")).decode("ascii")
            name = download_name(log.learner_id, ext, now)
            links.append(f"<a href='data:{mime};base64,{payload}' download='{_esc(name)}' "
                         f"style='{style}'>{_esc(label)}</a>")
        self.downloads.value = "<p>" + "".join(links) + "</p>"

    def load_download(self, content: bytes | str, name: str) -> int | None:
        """Import one earlier download; report how many attempts were added, or the error, in ``upload_status``."""
        if self.progress is None:
            self.upload_status.value = _notice("Progress cannot be saved in this session, so nothing was loaded.",
                                               "Not loaded")
            return None
        try:
            added = self.progress.import_export(content, name)
        except ExportFormatError as exc:
            self.upload_status.value = _notice(f"Could not load {name}. {exc}", "Not loaded")
            return None
        except ProgressFileError as exc:
            self.upload_status.value = _notice(f"{name} was read but could not be saved. {exc}", "Not saved")
            self.refresh()
            return None
        total = len(self.progress.attempts())
        self.upload_status.value = _box(
            f"<strong>✓ Loaded {_esc(name)}:</strong> {added} attempt{'s' if added != 1 else ''} added "
            f"({total} in all).", "#1a7f37", "status")
        self.refresh()
        if self._on_change is not None:
            self._on_change()
        return added

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        for f in files:
            self.load_download(bytes(f["content"]), str(f["name"]))
        self.upload.value = ()  # ready for another upload of the same file


# ----------------------------------------------------------------------------------------------- the bank


_DIFFICULTY_ORDER = ("introductory", "intermediate", "advanced")


class CaseBank(widgets.VBox):
    """Browse the case bank: filter by mechanism and difficulty, go through the cases one at a time ("Case 3 of 8",
    Previous/Next), see a summary with two charts (each with its text alternative), download or load progress.

    ``cases``: a CaseLibrary, or any iterable of Case (default: ``data/cases``). ``progress``: a ProgressLog
    (default: the kernel's shared log). For tests: ``mechanism`` and ``difficulty`` (Dropdowns), ``position``
    (HTML), ``previous_button``, ``next_button``, ``summary_button``, ``scenario`` (the CaseScenario shown),
    ``filtered`` (the cases matching the filters), ``summary`` (VBox), ``accuracy_text`` and
    ``calibration_text`` (HTML), ``accuracy_figure`` and ``calibration_figure`` (FigureWidget), ``controls``
    (ProgressControls).
    """

    def __init__(self, cases: CaseLibrary | Iterable[Case] | None = None, progress: ProgressLog | None = None,
                 labels: Mapping[str, str] | None = None):
        library = case_library() if cases is None else cases
        self.cases: list[Case] = list(library.values()) if isinstance(library, Mapping) else list(library)
        if labels is None:
            try:
                labels = charts.mechanism_labels()
            except DataValidationError:
                labels = {}
        self.labels = dict(labels)
        self.controls = ProgressControls(progress, on_change=self._loaded)
        self.progress = self.controls.progress
        present = {m for c in self.cases for m in c.mechanisms}
        mech_options = [("All mechanisms", "")] + [
            (self.labels.get(m, m), m) for m in list(self.labels) + sorted(present - set(self.labels)) if m in present
        ]
        diffs = [d for d in _DIFFICULTY_ORDER if any(c.difficulty == d for c in self.cases)]
        diffs += sorted({c.difficulty for c in self.cases} - set(diffs))
        self.mechanism = widgets.Dropdown(options=mech_options, value="", description="Mechanism:",
                                          style=_LABEL_STYLE)
        self.difficulty = widgets.Dropdown(options=[("All levels", "")] + [(d.capitalize(), d) for d in diffs],
                                           value="", description="Difficulty:", style=_LABEL_STYLE)
        self.position = widgets.HTML()
        self.previous_button = _button("Previous case", "Go to the previous case in this list")
        self.next_button = _button("Next case", "Go to the next case in this list")
        self.summary_button = _button("Show my summary", "Charts of your accuracy and confidence so far")
        self.previous_button.on_click(lambda _b: self.go(self.index - 1))
        self.next_button.on_click(lambda _b: self.go(self.index + 1))
        self.summary_button.on_click(lambda _b: self.show_summary())
        self.mechanism.observe(lambda _c: self.apply_filters(), names="value")
        self.difficulty.observe(lambda _c: self.apply_filters(), names="value")
        self.case_box = widgets.VBox(layout=_WIDE)
        self.summary = widgets.VBox(layout=_WIDE)
        self.summary.add_class("mslbp-summary")
        self.accuracy_text = widgets.HTML(layout=_WIDE)
        self.calibration_text = widgets.HTML(layout=_WIDE)
        self.accuracy_figure: go.FigureWidget | None = None
        self.calibration_figure: go.FigureWidget | None = None
        self.scenario: CaseScenario | None = None
        self.filtered: list[Case] = []
        self.index = 0
        intro = widgets.HTML("<p>Choose which cases to practise, then work through them one at a time. Each case "
                             "is synthetic (invented for teaching).</p>")
        super().__init__([
            intro,
            widgets.HBox([self.mechanism, self.difficulty], layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.previous_button, self.position, self.next_button],
                         layout=widgets.Layout(align_items="center")),
            self.case_box,
            widgets.HBox([self.summary_button]),
            self.summary,
            self.controls,
        ], layout=_WIDE)
        self.add_class("mslbp-case-bank")
        self.apply_filters()

    # ------------------------------------------------------------ navigation

    def apply_filters(self) -> None:
        """Rebuild the list from the filters and show its first case."""
        mech = self.mechanism.value or None
        diff = self.difficulty.value or None
        self.filtered = [c for c in self.cases if (mech is None or mech in c.mechanisms)
                         and (diff is None or c.difficulty == diff)]
        self.go(0)

    def go(self, index: int) -> None:
        """Show case number ``index`` (0-based) of the filtered list."""
        n = len(self.filtered)
        if n == 0:
            self.index = 0
            self.scenario = None
            self.case_box.children = (widgets.HTML(
                "<p><strong>No case matches these filters.</strong> Choose “All mechanisms” or “All levels”.</p>"),)
            self.position.value = "<p style='margin:0 12px'><strong>No cases</strong></p>"
            self.previous_button.disabled = self.next_button.disabled = True
            return
        self.index = max(0, min(index, n - 1))
        case = self.filtered[self.index]
        self.scenario = CaseScenario(case, self.progress if self.progress is not None else False,
                                     on_record=self._recorded, on_finish=self._finished)
        self.case_box.children = (self.scenario,)
        self._show_position()
        self.previous_button.disabled = self.index == 0
        self.next_button.disabled = self.index == n - 1

    def answered_case_ids(self) -> set[str]:
        """Ids of the cases the learner has answered at least one question of (saved or loaded attempts)."""
        return {a.case_id for a in self.progress.attempts()} if self.progress is not None else set()

    def _show_position(self) -> None:
        if not self.filtered:
            return
        answered = self.answered_case_ids()
        done = sum(1 for c in self.filtered if c.id in answered)
        this = " · you have answered this case before" if self.filtered[self.index].id in answered else ""
        self.position.value = (f"<p style='margin:0 12px'><strong>Case {self.index + 1} of {len(self.filtered)}"
                               f"</strong>{this} · {done} of {len(self.filtered)} answered</p>")

    def _loaded(self) -> None:
        """An earlier download was loaded: update the answered marks and the summary."""
        self._show_position()
        if self.summary.children:
            self.show_summary()

    def _recorded(self, _attempt: Attempt) -> None:
        self._show_position()
        self.controls.refresh()
        if self.summary.children:
            self.show_summary()

    def _finished(self, _case: Case) -> None:
        if self.index == len(self.filtered) - 1:
            self.show_summary()

    # ------------------------------------------------------------ summary

    def mechanisms_of_case(self) -> dict[str, tuple[str, ...]]:
        """Case id -> mechanism ids, for every case of the bank."""
        return {c.id: c.mechanisms for c in self.cases}

    def show_summary(self) -> None:
        """Show the two charts of the learner's first tries, each with its text alternative."""
        attempts = first_attempts(self.progress.attempts()) if self.progress is not None else []
        known = self.mechanisms_of_case()
        attempts = [a for a in attempts if a.case_id in known]
        acc_fig, acc_text = charts.accuracy_by_mechanism(attempts, known, self.labels)
        cal_fig, cal_text = charts.confidence_calibration(attempts)
        self.accuracy_figure = go.FigureWidget(acc_fig)
        self.calibration_figure = go.FigureWidget(cal_fig)
        self.accuracy_text.value = f"<p><strong>Text alternative:</strong> {_esc(acc_text)}</p>"
        self.calibration_text.value = f"<p><strong>Text alternative:</strong> {_esc(cal_text)}</p>"
        n = len(attempts)
        self.summary.children = (
            widgets.HTML(f"<h4>Your summary</h4><p>Based on your first try at each question of the case bank "
                         f"({n} question{'s' if n != 1 else ''}). Later tries follow the feedback, so they are "
                         "not counted.</p>"),
            self.accuracy_figure, self.accuracy_text, self.calibration_figure, self.calibration_text,
        )


# ----------------------------------------------------------------------------------------------- helpers


def show_case(case_id: str, progress: ProgressLog | None = None) -> CaseScenario:
    """One case of the bank (or a check set) by id, as a widget: ``show_case("lhermitte-shock-on-neck-flexion")``."""
    return CaseScenario(get_case(case_id), progress)


def check_understanding(check_id: str, progress: ProgressLog | None = None) -> CaseScenario:
    """A notebook's check-your-understanding set (``data/checks``), in the compact form of the case widget."""
    checks = check_library()
    case = checks[check_id] if check_id in checks else get_case(check_id)
    return CaseScenario(case, progress, compact=True)

