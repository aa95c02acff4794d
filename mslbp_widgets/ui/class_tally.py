"""The instructor's class tally: a folder of learners' exports (or uploads) -> the summary table (lowest % correct
first) with a CSV download, the per-file report, and charts with their text alternatives. Also the per-question tally
that presenter mode shows after "Reveal answer". Everything from a learner's file is escaped.

Built for a large class (hundreds of whole-course exports): the summary comes first; the per-file report is one line
("500 files read: 498 accepted, 2 skipped") with the table itself collapsed behind a button and shown a page of
`FILES_PER_PAGE` rows at a time (skipped files first); the questions are shown `QUESTIONS_PER_PAGE` at a time, each
with its counts, text alternative and common wrong answers, its chart drawn only when opened ("Show the chart"). Every
chart is built once per load (a question's the first time its page is shown), and paging never rebuilds one."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..classroom.exports import DEFAULT_MAX_BYTES, ClassData, FileReport, folder_files, load_exports
from ..classroom.summary import summary_csv, summary_rows
from ..classroom.tally import ClassTally, QuestionTally, tally
from ..logic.cases import Case, course_library
from ..logic.cases.model import LETTERS, status_words
from ..logic.errors import MslbpError
from ..logic.handin import handin_dir
from ..logic.limits import size_words, upload_note
from .accessible import DownloadButton, UploadButton
from .controls import button
from .display import figure_widget
from .qtypes import qtype_tally_html
from .render import esc, inline_html, problem_html, text_alternative_html

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: Font size of the presenter's tally chart (px): the chart's labels match the presenter's text.
PRESENTER_FONT_PX = 22
#: Width of the presenter's tally column and chart (px). Fixed, because a chart drawn before its box is laid out
#: falls back to plotly's 700 px and was cut off on the right at 1366 px; 560 px beside the case text fits a
#: 1366 px projector, and on a narrower screen the column wraps under the answer.
PRESENTER_CHART_PX = 560
#: Rows of the per-file report per page: a class of 500 files is 10 short pages, not one table of 500 rows.
FILES_PER_PAGE = 50
#: Questions per page. All 63 questions of the course at once (65 charts with the two class charts) froze a
#: JupyterLab page for 24 s in one block (500 whole-course exports, a loaded 2-core machine): plotly measures every
#: chart against the whole page. Each question's chart is built once, the first time its page is shown, and drawn
#: only when the instructor opens it, so loading draws the two class charts alone.
QUESTIONS_PER_PAGE = 3


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
        status = status_words(q.question_type, o.correct, o.acceptable).lower()
        items.append(
            f"<li><strong>{esc(o.text)}</strong> ({status}): {o.count} of {q.n_learners} learners"
            f"<br><em>Feedback:</em> {inline_html(o.feedback)}</li>"
        )
    return "<p><strong>Most common wrong answers</strong></p><ol>" + "".join(items) + "</ol>"


def branches_html(q: QuestionTally) -> str:
    """Where the learners' first answers led, for a question of a branching case (empty for other questions): each
    way on, the options (letters as learners see them) that lead there, and how many learners took it."""
    if not q.branches:
        return ""
    letter = {o.option_id: LETTERS[i] for i, o in enumerate(q.options)}
    items = "".join(
        f"<li><strong>{esc(b.target_title)}</strong> (after {esc(', '.join(letter.get(i, '?') for i in b.option_ids))})"
        f": {b.count} of {q.n_learners} learner(s)</li>" for b in q.branches)
    return f"<p><strong>Where the first answers led</strong></p><ul class='mslbp-branches'>{items}</ul>"


def _question_parts(q: QuestionTally, presenting: bool) -> tuple[go.Figure, str, str, str]:
    """(chart, text alternative, heading HTML, answers HTML) of one question's tally."""
    from ..charts.classroom import answer_distribution  # plotly, when a chart is built

    fig, alt = answer_distribution(q, short_labels=presenting, font_size=PRESENTER_FONT_PX if presenting else None,
                                   width=PRESENTER_CHART_PX if presenting else None)
    pct = q.pct_first_correct
    counts = (f"{q.n_learners} learner(s), {q.n_attempts} attempt(s); correct at the first attempt: "
              f"{'no answers' if pct is None else f'{q.n_first_correct} ({round(pct)}%)'}.")
    head = (f"<p class='mslbp-tally-counts'>{counts}</p>" if presenting
            else f"<h4>{esc(q.case_title)}: {esc(q.prompt)}</h4><p>{counts}</p>")
    answers = wrong_answers_html(q) if q.details is None else qtype_tally_html(q)  # ui/qtypes.py
    return fig, alt, head, branches_html(q) + answers


def question_tally_widgets(q: QuestionTally, presenting: bool = False) -> list[widgets.Widget]:
    """Chart + text alternative + most common wrong answers for one question, the chart drawn at once (the
    presenter; `presenting`: short, large labels, and no heading repeating the question, which the presenter shows
    beside the chart)."""
    fig, alt, head, answers = _question_parts(q, presenting)
    return [widgets.HTML(head), figure_widget(fig), widgets.HTML(text_alternative_html(alt)), widgets.HTML(answers)]


class QuestionTallyView(widgets.VBox):
    """One question on the class tally's page: its heading and counts, the text alternative of its chart and the
    most common wrong answers at once; the chart itself is sent to the page only when the instructor opens it
    (``chart_button``, "Show the chart"), then kept. Drawing every question's chart up front made Run All of the
    instructor notebook block its page for seconds in one task (plotly lays out each chart against the page).

    For tests: ``question`` (the QuestionTally), ``figure`` (its go.Figure, built with the view), ``chart_box``
    (holds the FigureView once opened), ``text_alternative`` (HTML)."""

    def __init__(self, q: QuestionTally):
        self.question = q
        self.figure, alt, head, answers = _question_parts(q, presenting=False)
        self.chart_button = widgets.ToggleButton(value=False, description="Show the chart",
                                                 tooltip="Draw the chart of this question's first answers",
                                                 layout=widgets.Layout(width="fit-content"))
        self.chart_box = widgets.VBox(layout=widgets.Layout(display="none"))
        self.text_alternative = widgets.HTML(text_alternative_html(alt))
        self.chart_button.observe(lambda _c: self._toggled(), names="value")
        super().__init__([widgets.HTML(head), self.chart_button, self.chart_box, self.text_alternative,
                          widgets.HTML(answers)])
        self.add_class("mslbp-question-tally")

    def _toggled(self) -> None:
        shown = self.chart_button.value
        if shown and not self.chart_box.children:
            self.chart_box.children = (figure_widget(self.figure),)
        self.chart_box.layout.display = "flex" if shown else "none"
        self.chart_button.description = "Hide the chart" if shown else "Show the chart"


def ordered_reports(data: ClassData) -> tuple[FileReport, ...]:
    """The per-file report in display order: skipped files first (the ones to act on), then accepted ones, each in
    the order they were read."""
    return data.skipped + data.accepted


def files_line_html(data: ClassData) -> str:
    """One line on the files read: how many, accepted, skipped, and the size limit per file."""
    if not data.reports:
        return "<p>No files yet: type a folder and press <strong>Load folder</strong>, or upload exports.</p>"
    n_ok = len(data.accepted)
    return (f"<p>{len(data.reports)} file(s) read: <strong>{n_ok} accepted</strong>, "
            f"<strong>{len(data.reports) - n_ok} skipped</strong> (limit {data.max_bytes:,} bytes per file).</p>")


def report_html(data: ClassData, start: int = 0, count: int | None = None, with_line: bool = True) -> str:
    """The per-file report as an escaped HTML table (file, Accepted/Skipped, why skipped (reason code), detail):
    rows `start` to `start + count` of `ordered_reports(data)` (all rows when `count` is None), after the line of
    `files_line_html` unless `with_line` is False (the class tally shows that line above its paged table)."""
    if not data.reports:
        return files_line_html(data)
    rows = []
    shown = ordered_reports(data)[start:None if count is None else start + count]
    for r in shown:
        status = "Accepted" if r.accepted else "Skipped"
        reason = "" if r.accepted else esc(r.reason)  # "Accepted" already says it: no second "accepted"
        rows.append(
            f"<tr class='mslbp-{r.status}'><td>{esc(r.name)}</td><td><strong>{status}</strong></td>"
            f"<td>{reason}</td><td>{esc(r.detail)}</td></tr>"
        )
    table = ("<table class='mslbp-file-report'><thead><tr><th>File</th><th>Status</th><th>Why skipped</th>"
             "<th>Detail</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    return (files_line_html(data) if with_line else "") + table


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
        f"<tr><td>{esc(r['case_title'])}</td><td>{esc(r['question'])}</td><td>{r['n_learners']}</td>"
        f"<td>{r['n_attempts']}</td><td>{esc(r['pct_correct_first_attempt'])}</td>"
        f"<td>{esc(r['most_common_wrong_answer'])}"
        f"{' (' + str(r['most_common_wrong_answer_learners']) + ')' if r['most_common_wrong_answer'] else ''}"
        f"</td></tr>"
        for r in rows
    )
    return f"{note}<table class='mslbp-summary'><thead>{head}</thead><tbody>{body}</tbody></table>"


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
    """Folder box + upload button -> summary table with a CSV download button, per-file report (collapsed, paged),
    charts with text alternatives.

    Attributes for tests and notebooks: `folder_text`, `load_button`, `upload`, `upload_limit` (what one upload may
    hold, and the folder route for big classes), `status`, `summary`, `download`,
    `files_line` (one line: files read, accepted, skipped), `files_button` (shows or hides the file table),
    `report` (the current page of the file table), `previous_button`, `next_button`, `page_label`, `page`
    (0-based), `charts` (the class charts, then one page of per-question charts), `previous_questions`,
    `next_questions`, `questions_label`, `question_page` (0-based), `data` (ClassData), `result` (ClassTally or
    None).
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None, library: Mapping[str, Case] | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, files_per_page: int = FILES_PER_PAGE,
                 questions_per_page: int = QUESTIONS_PER_PAGE):
        self._library = library
        self.max_bytes = max_bytes
        self.files_per_page = max(1, files_per_page)
        self.questions_per_page = max(1, questions_per_page)
        self.page = 0
        self.question_page = 0
        self._class_charts: tuple[widgets.Widget, ...] = ()
        self._question_charts: dict[int, QuestionTallyView] = {}
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
        self.upload = UploadButton(accept=".json,application/json", multiple=True,
                                   description="Upload learners' exports (.json)",
                                   tooltip="Choose one or more exported JSON files")
        self.upload_limit = widgets.HTML(
            f"<p class='mslbp-upload-limit'>{esc(upload_note())} <strong>For a big class</strong> (a few hundred "
            "learners, or whole-course exports), save the files in one folder and use <strong>Load folder</strong>: "
            "a folder has no size limit but the one per file.</p>")
        self.status = widgets.HTML()
        self.summary = widgets.HTML()
        self.download = DownloadButton("Download the summary table (CSV)", self._summary_file,
                                       "Save the summary table as a file for a spreadsheet")
        self.download.layout.display = "none"  # shown once a tally has questions
        self.files_line = widgets.HTML()
        self.files_button = widgets.ToggleButton(value=False, description="Show the list of files",
                                                 tooltip="Show or hide the table of every file read",
                                                 layout=widgets.Layout(width="fit-content"))
        self.report = widgets.HTML()
        self.previous_button = button("Previous files", "Show the previous page of the file table")
        self.next_button = button("Next files", "Show the next page of the file table")
        self.page_label = widgets.HTML()
        self.pager = widgets.HBox([self.previous_button, self.page_label, self.next_button])
        self.files_box = widgets.VBox([self.report, self.pager], layout=widgets.Layout(display="none"))
        self.charts = widgets.VBox()
        self.previous_questions = button("Previous questions", "Show the charts of the previous questions")
        self.next_questions = button("Next questions", "Show the charts of the next questions")
        self.questions_label = widgets.HTML()
        self.question_pager = widgets.HBox([self.previous_questions, self.questions_label, self.next_questions])
        self.previous_questions.on_click(lambda _b: self.show_question_page(self.question_page - 1))
        self.next_questions.on_click(lambda _b: self.show_question_page(self.question_page + 1))
        self.load_button.on_click(lambda _b: self.refresh())
        self.upload.observe(lambda _c: self.refresh(), names="value")
        self.files_button.observe(lambda _c: self._show_files(), names="value")
        self.previous_button.on_click(lambda _b: self.show_page(self.page - 1))
        self.next_button.on_click(lambda _b: self.show_page(self.page + 1))
        intro = widgets.HTML(
            "<h3>Class tally</h3><p>Point at the folder where you collected the learners' exported JSON files, or "
            f"upload them. Each file is checked on its own; files over {size_words(max_bytes)}, not JSON, of another "
            "format or version, or duplicates are skipped and listed under <strong>Files</strong>. Counts use each "
            "learner's <strong>first attempt</strong> at each question.</p>"
        )
        super().__init__([
            intro,
            widgets.HBox([self.folder_text, self.load_button]),
            widgets.HBox([self.upload]),
            self.upload_limit,
            self.status,
            widgets.HTML("<h4>Summary</h4>"),
            self.summary,
            self.download,
            widgets.HTML("<h4>Files</h4>"),
            self.files_line,
            self.files_button,
            self.files_box,
            self.charts,
        ])
        self.add_class("mslbp-class-tally")
        if folder is not None:
            self.refresh()
        else:
            self._show_files()

    @property
    def n_pages(self) -> int:
        """Pages of the file table (at least one)."""
        return max(1, -(-len(self.data.reports) // self.files_per_page))

    def show_page(self, page: int) -> None:
        """Show page `page` (0-based, clamped to the pages there are) of the file table; nothing else is redrawn."""
        self.page = min(max(0, page), self.n_pages - 1)
        start = self.page * self.files_per_page
        self.report.value = report_html(self.data, start, self.files_per_page, with_line=False)
        n = len(self.data.reports)
        self.page_label.value = (f"<span class='mslbp-page'>Files {start + 1}–{min(n, start + self.files_per_page)} "
                                 f"of {n} (page {self.page + 1} of {self.n_pages})</span>" if n else "")
        self.previous_button.disabled = self.page == 0
        self.next_button.disabled = self.page >= self.n_pages - 1
        self.pager.layout.display = "flex" if self.n_pages > 1 else "none"

    def _show_files(self) -> None:
        """The file line, and the file table (at its current page) if the instructor asked to see it."""
        self.files_line.value = files_line_html(self.data)
        self.files_button.layout.display = "flex" if self.data.reports else "none"
        shown = self.files_button.value and bool(self.data.reports)
        self.files_button.description = "Hide the list of files" if shown else "Show the list of files"
        self.files_box.layout.display = "flex" if shown else "none"
        self.show_page(self.page)

    @property
    def library(self) -> Mapping[str, Case]:
        if self._library is None:
            self._library = course_library()
        return self._library

    def _sources(self) -> list[Any]:
        folder = self.folder_text.value.strip()
        return (folder_files(folder, "no such folder") if folder else []) + _upload_pairs(self.upload.value)

    def _summary_file(self) -> tuple[str, str, bytes]:
        """The summary table as the CSV file *Download the summary table (CSV)* saves (made when pressed)."""
        if self.result is None or not self.result.questions:
            raise ValueError("there is no summary table yet: load a folder of exports first")
        return "class-summary.csv", "text/csv", summary_csv(self.result).encode("utf-8")

    def _offer_summary(self) -> None:
        """Show the download button only when there is a summary table; a saved file of another tally is stale."""
        self.download.mark_changed()
        self.download.layout.display = "" if self.result is not None and self.result.questions else "none"

    def refresh(self) -> None:
        """Read the folder and the uploads again and redraw everything: the summary first, then the file report, then
        the charts (each sent to the page as soon as it is ready)."""
        self.status.value = "<p>Reading the exports…</p>"
        try:
            self.data = load_exports(self._sources(), max_bytes=self.max_bytes)
            self.result = tally(self.data, self.library)
        except MslbpError as exc:
            # Nothing of the previous tally stays under the error: it no longer matches what was asked for.
            self.data = ClassData(reports=(), attempts=(), max_bytes=self.max_bytes)
            self.result = None
            self.status.value = problem_html(str(exc))
            self.report.value = report_html(self.data)
            self.summary.value = ""
            self._offer_summary()
            self.charts.children = ()
            return
        skipped = len(self.data.skipped)
        self.status.value = (f"<p>{len(self.data.learners)} learner(s), {len(self.data.attempts)} attempt(s) "
                             f"accepted" + (f"; {skipped} file(s) skipped: see <strong>Files</strong>." if skipped
                                            else ".") + "</p>")
        self.summary.value = summary_table_html(self.result)
        self._offer_summary()
        self.page = 0
        self._show_files()
        self._class_charts = self._chart_widgets(self.result)
        self._question_charts = {}
        self.show_question_page(0)

    @property
    def n_question_pages(self) -> int:
        """Pages of per-question charts (at least one)."""
        n = len(self.result.questions) if self.result is not None else 0
        return max(1, -(-n // self.questions_per_page))

    def question_views(self) -> list[QuestionTallyView]:
        """The questions of the page shown (each chart drawn only when opened)."""
        return [c for c in self.charts.children if isinstance(c, QuestionTallyView)]

    def show_question_page(self, page: int) -> None:
        """Show page `page` (0-based, clamped) of the questions under the class charts. A question's widgets are
        built the first time they are shown and kept (its chart is sent when opened); nothing else is rebuilt."""
        questions = self.result.questions if self.result is not None else ()
        if not questions:
            self.charts.children = self._class_charts
            return
        self.question_page = min(max(0, page), self.n_question_pages - 1)
        start = self.question_page * self.questions_per_page
        shown: list[widgets.Widget] = []
        for i in range(start, min(len(questions), start + self.questions_per_page)):
            if i not in self._question_charts:
                self._question_charts[i] = QuestionTallyView(questions[i])
            shown.append(self._question_charts[i])
        self.questions_label.value = (f"<span class='mslbp-page'>Questions {start + 1}–"
                                      f"{min(len(questions), start + self.questions_per_page)} of {len(questions)} "
                                      f"(page {self.question_page + 1} of {self.n_question_pages})</span>")
        self.previous_questions.disabled = self.question_page == 0
        self.next_questions.disabled = self.question_page >= self.n_question_pages - 1
        self.question_pager.layout.display = "flex" if self.n_question_pages > 1 else "none"
        head, tail = self._class_charts[:-1], self._class_charts[-1:]  # the tail: the note on unknown questions
        self.charts.children = (*head, self.question_pager, *shown, *tail)

    def _chart_widgets(self, t: ClassTally) -> tuple[widgets.Widget, ...]:
        """The class charts (accuracy by mechanism, calibration) with their text alternatives and the heading of
        the per-question charts, then the note on attempts at unknown questions (empty HTML if none)."""
        if not t.questions:
            return ()
        from ..charts.classroom import class_accuracy_by_mechanism, class_calibration  # plotly, when drawn

        out: list[widgets.Widget] = [widgets.HTML("<h4>Accuracy by mechanism and confidence</h4>")]
        for fig, alt in (class_accuracy_by_mechanism(t), class_calibration(t)):
            out += [figure_widget(fig), widgets.HTML(text_alternative_html(alt))]
        out.append(widgets.HTML("<h4>Answers per question</h4><p>In the order of the cases; the summary table above "
                                "lists the questions lowest % correct first. <strong>Show the chart</strong> draws a "
                                "question's chart; its text alternative says the same in words.</p>"))
        note = ""
        if t.unknown_questions:
            n = sum(c for _, _, c in t.unknown_questions)
            note = (f"<p>{n} attempt(s) were at cases or questions not in the case library "
                    "(another version of the course?) and are not counted above.</p>")
        out.append(widgets.HTML(note))
        return tuple(out)


def class_tally(folder: str | os.PathLike[str] | None = None, library: Mapping[str, Case] | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> ClassTallyView:
    """The class tally widget; with `folder`, that folder's exports are loaded at once. Without it, the hand-in
    folder (`$MSLBP_HANDIN_DIR`, see logic/handin.py) when one is set: learners' hand-ins are read like any export.
    The summary comes first; the file table is collapsed and paged, the per-question charts are paged (see
    `ClassTallyView`)."""
    if folder is None:
        folder = handin_dir()
    return ClassTallyView(folder, library=library, max_bytes=max_bytes)
