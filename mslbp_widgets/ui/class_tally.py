"""The instructor's class tally: a folder of learners' exports (or uploads) -> a per-file report, the summary table
(lowest % correct first) with a CSV download, and charts with their text alternatives. Also the per-question tally
that presenter mode shows after "Reveal answer". Everything from a learner's file is escaped."""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from ..charts.classroom import answer_distribution, class_accuracy_by_mechanism, class_calibration
from ..classroom.exports import DEFAULT_MAX_BYTES, ClassData, folder_files, load_exports
from ..classroom.summary import summary_csv, summary_rows
from ..classroom.tally import ClassTally, QuestionTally, tally
from ..logic.cases import Case, course_library
from ..logic.cases.model import status_words
from ..logic.errors import MslbpError
from ..logic.limits import size_words, upload_note
from .display import figure_widget
from .render import esc, inline_html, problem_html, text_alternative_html

#: Font size of the presenter's tally chart (px): the chart's labels match the presenter's text.
PRESENTER_FONT_PX = 22
#: Width of the presenter's tally column and chart (px). Fixed, because a live plotly widget drawn before its box
#: is laid out falls back to 700 px and was cut off on the right at 1366 px; 600 px beside the case text fits a
#: 1366 px projector, and on a narrower screen the column wraps under the answer.
PRESENTER_CHART_PX = 600


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


def question_tally_widgets(q: QuestionTally, presenting: bool = False) -> list[widgets.Widget]:
    """Chart + text alternative + most common wrong answers for one question (`presenting`: short, large labels)."""
    fig, alt = answer_distribution(q, short_labels=presenting, font_size=PRESENTER_FONT_PX if presenting else None,
                                   width=PRESENTER_CHART_PX if presenting else None)
    pct = q.pct_first_correct
    head = (f"<h4>{esc(q.case_title)}: {esc(q.prompt)}</h4><p>{q.n_learners} learner(s), {q.n_attempts} "
            f"attempt(s); correct at the first attempt: "
            f"{'no answers' if pct is None else f'{q.n_first_correct} ({round(pct)}%)'}.</p>")
    return [widgets.HTML(head), figure_widget(fig), widgets.HTML(text_alternative_html(alt)),
            widgets.HTML(wrong_answers_html(q))]


def report_html(data: ClassData) -> str:
    """The per-file report as an escaped HTML table: file, Accepted/Skipped, why skipped (reason code), detail."""
    if not data.reports:
        return "<p>No files yet: type a folder and press <strong>Load folder</strong>, or upload exports.</p>"
    rows = []
    for r in data.reports:
        status = "Accepted" if r.accepted else "Skipped"
        reason = "" if r.accepted else esc(r.reason)  # "Accepted" already says it: no second "accepted"
        rows.append(
            f"<tr class='mslbp-{r.status}'><td>{esc(r.name)}</td><td><strong>{status}</strong></td>"
            f"<td>{reason}</td><td>{esc(r.detail)}</td></tr>"
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
        f"<tr><td>{esc(r['case_title'])}</td><td>{esc(r['question'])}</td><td>{r['n_learners']}</td>"
        f"<td>{r['n_attempts']}</td><td>{esc(r['pct_correct_first_attempt'])}</td>"
        f"<td>{esc(r['most_common_wrong_answer'])}"
        f"{' (' + str(r['most_common_wrong_answer_learners']) + ')' if r['most_common_wrong_answer'] else ''}"
        f"</td></tr>"
        for r in rows
    )
    return f"{note}<table class='mslbp-summary'><thead>{head}</thead><tbody>{body}</tbody></table>"


def csv_download_html(csv_text: str, filename: str = "class-summary.csv") -> str:
    """A download link carrying the CSV as a base64 data URL (works in JupyterLab and Voila, no server needed)."""
    payload = base64.b64encode(csv_text.encode("utf-8")).decode("ascii")
    return (f"<a download='{esc(filename)}' href='data:text/csv;charset=utf-8;base64,{payload}' "
            f"class='mslbp-download'>Download the summary table (CSV)</a>")


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

    Attributes for tests and notebooks: `folder_text`, `load_button`, `upload`, `upload_limit` (what one upload may
    hold, and the folder route for big classes), `status`, `report`, `charts`, `summary`, `download`, `data`
    (ClassData), `result` (ClassTally or None).
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
        self.upload_limit = widgets.HTML(
            f"<p class='mslbp-upload-limit'>{esc(upload_note())} <strong>For a big class</strong> (a few hundred "
            "learners, or whole-course exports), save the files in one folder and use <strong>Load folder</strong>: "
            "a folder has no size limit but the one per file.</p>")
        self.status = widgets.HTML()
        self.report = widgets.HTML()
        self.charts = widgets.VBox()
        self.summary = widgets.HTML()
        self.download = widgets.HTML()
        self.load_button.on_click(lambda _b: self.refresh())
        self.upload.observe(lambda _c: self.refresh(), names="value")
        intro = widgets.HTML(
            "<h3>Class tally</h3><p>Point at the folder where you collected the learners' exported JSON files, or "
            f"upload them. Each file is checked on its own; files over {size_words(max_bytes)}, not JSON, of another "
            "format or version, or duplicates are skipped and listed below. Counts use each learner's "
            "<strong>first attempt</strong> at each question.</p>"
        )
        super().__init__([
            intro,
            widgets.HBox([self.folder_text, self.load_button]),
            widgets.HBox([self.upload]),
            self.upload_limit,
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
            self._library = course_library()
        return self._library

    def _sources(self) -> list[Any]:
        folder = self.folder_text.value.strip()
        return (folder_files(folder, "no such folder") if folder else []) + _upload_pairs(self.upload.value)

    def refresh(self) -> None:
        """Read the folder and the uploads again and redraw everything."""
        try:
            self.data = load_exports(self._sources(), max_bytes=self.max_bytes)
            self.result = tally(self.data, self.library)
        except MslbpError as exc:
            self.status.value = problem_html(str(exc))
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
            out += [figure_widget(fig), widgets.HTML(text_alternative_html(alt))]
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
