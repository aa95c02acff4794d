"""The class tally widget (ui/class_tally.py), headless: folder, uploads, report, charts, CSV; hostile exports
in tests/fixtures/exports are reported and never rendered as HTML; a large class: summary first, the file table
collapsed and paged, charts built once.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import ipywidgets as widgets
import pytest
from helpers import (
    CASE_ID,
    EXPORT_FIXTURES,
    assert_nothing_hostile_rendered,
    figures,
    html_values,
    press_download,
    upload_entry,
    walk,
)

from mslbp_widgets.charts import classroom as charts_classroom
from mslbp_widgets.classroom import load_exports, summary_csv, tally
from mslbp_widgets.classroom.samples import synthetic_exports
from mslbp_widgets.ui.accessible import UploadButton
from mslbp_widgets.ui.class_tally import FILES_PER_PAGE, QUESTIONS_PER_PAGE, ClassTallyView, class_tally
from mslbp_widgets.ui.presenter import presenter

FIXTURES = EXPORT_FIXTURES


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


def open_charts(view: ClassTallyView) -> ClassTallyView:
    """Press "Show the chart" on every question of the page shown, as an instructor would."""
    for question in view.question_views():
        question.chart_button.value = True
    return view


def test_unknown_option_ids_are_counted_not_shown(library: dict) -> None:
    view = open_charts(class_tally(FIXTURES, library=library))
    everything = " ".join(html_values(view)) + " ".join(f.to_json() for f in figures(view))
    assert "script-alert-1" not in everything  # the option id from 04-ok-unknown-option-and-case.json
    assert "unknown option" in everything


def test_charts_each_with_a_text_alternative(library: dict) -> None:
    view = class_tally(FIXTURES, library=library)
    children = list(view.charts.children)
    figs = [i for i, c in enumerate(children) if figures(c)]
    assert len(figs) == 2  # mechanism, calibration: drawn at once
    for i in figs:
        alt = children[i + 1]
        assert isinstance(alt, widgets.HTML) and "Text alternative:" in alt.value
    questions = view.question_views()
    assert len(questions) == 3  # one per answered question, each chart drawn when opened
    open_charts(view)
    for q in questions:
        parts = list(q.children)
        assert figures(q.chart_box) == [q.figure]
        alt = parts[parts.index(q.chart_box) + 1]
        assert alt is q.text_alternative and "Text alternative:" in alt.value
    assert any("Most common wrong answers" in v and "Disc herniation with sciatica" in v
               for v in html_values(view))


def test_the_csv_download_saves_the_summary_when_pressed(library: dict) -> None:
    """The summary CSV is made when the instructor presses the button (not sent with every load as a data: link)."""
    empty = class_tally(library=library)
    assert empty.download.layout.display == "none"
    message, _ = press_download(empty.download)
    assert message["do"] == "failed" and "no summary table yet" in message["message"]
    view = class_tally(FIXTURES, library=library)
    assert view.download.layout.display != "none" and view.download.description == "Download the summary table (CSV)"
    assert "class-summary.csv" not in " ".join(html_values(view))  # nothing sent before the press
    message, content = press_download(view.download)
    assert message == {"do": "save", "name": "class-summary.csv", "mime": "text/csv"}
    assert content.decode("utf-8") == summary_csv(tally(load_exports(FIXTURES), library))
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


def test_a_bad_folder_after_a_good_one_clears_the_old_tally(tmp_path: Path, library: dict) -> None:
    """The error is not shown above the previous folder's tally, which would look like the new folder's."""
    view = class_tally(FIXTURES, library=library)
    assert view.charts.children and view.summary.value and view.download.layout.display != "none"
    assert view.data.accepted
    view.folder_text.value = str(tmp_path / "nope")
    view.load_button.click()
    assert "no such folder" in view.status.value
    assert view.charts.children == () and view.summary.value == "" and view.download.layout.display == "none"
    assert view.result is None and view.data.reports == () and "No files yet" in view.report.value


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
        if isinstance(w, (widgets.Button, widgets.ToggleButton, widgets.FileUpload, UploadButton)):
            assert w.description.strip(), w
        if isinstance(w, widgets.Text):
            assert w.description.strip()


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


def test_class_tally_shows_where_the_first_answers_led_in_a_branching_case() -> None:
    from helpers import branching_case, branching_exports, upload_value

    case = branching_case()
    view = class_tally(library={case.id: case})
    view.upload.value = tuple(upload_value(name, raw)[0] for name, raw in branching_exports().items())
    shown = " ".join(html_values(view))
    assert "Where the first answers led" in shown
    assert "<strong>Back the next morning</strong> (after A): 2 of 4 learner(s)" in shown
    assert "<strong>The scan result</strong> (after B): 1 of 1 learner(s)" in shown


# ----------------------------------------------------------------------------------------- a large class

N_LARGE = 120  # three pages of 50: first, middle, a short last one


@pytest.fixture(scope="module")
def large_class(tmp_path_factory: pytest.TempPathFactory, library: dict) -> Path:
    """A folder of 120 synthetic learners' exports plus two files that are not exports (named to sort last)."""
    folder = tmp_path_factory.mktemp("large-class")
    for n, doc in enumerate(synthetic_exports(library, (CASE_ID,), n_learners=N_LARGE)):
        (folder / f"learner-{n:03d}.json").write_text(json.dumps(doc), encoding="utf-8")
    (folder / "zz-notes.json").write_text("these are my notes", encoding="utf-8")
    (folder / "zz-truncated.json").write_text('{"format": "mslbp-attempts", "vers', encoding="utf-8")
    return folder


def _row_names(report_html: str) -> list[str]:
    return re.findall(r"<tr class='mslbp-(?:accepted|skipped)'><td>([^<]*)</td>", report_html)


def _is_shown(w: widgets.Widget) -> bool:
    return w.layout.display != "none"


def test_file_table_is_collapsed_and_paged_skipped_files_first(large_class: Path, library: dict) -> None:
    view = class_tally(large_class, library=library)
    assert FILES_PER_PAGE == 50
    assert len(view.data.accepted) == N_LARGE and len(view.data.skipped) == 2
    assert "122 file(s) read: <strong>120 accepted</strong>, <strong>2 skipped</strong>" in view.files_line.value
    assert "2 file(s) skipped" in view.status.value
    # collapsed: the button shows, the table does not
    assert _is_shown(view.files_button) and not _is_shown(view.files_box)
    assert view.files_button.description == "Show the list of files"
    view.files_button.value = True
    assert _is_shown(view.files_box) and view.files_button.description == "Hide the list of files"

    learners = [f"learner-{n:03d}.json" for n in range(N_LARGE)]
    pages = [["zz-notes.json", "zz-truncated.json", *learners[:48]], learners[48:98], learners[98:]]
    assert _row_names(view.report.value) == pages[0]
    assert "file(s) read" not in view.report.value  # the line above the table says it once
    assert "Files 1–50 of 122 (page 1 of 3)" in view.page_label.value
    assert view.previous_button.disabled and not view.next_button.disabled
    view.next_button.click()
    assert _row_names(view.report.value) == pages[1]
    assert "Files 51–100 of 122 (page 2 of 3)" in view.page_label.value
    assert not view.previous_button.disabled and not view.next_button.disabled
    view.next_button.click()
    assert _row_names(view.report.value) == pages[2]
    assert "Files 101–122 of 122 (page 3 of 3)" in view.page_label.value
    assert view.next_button.disabled
    view.show_page(7)  # past the end: stays on the last page
    assert _row_names(view.report.value) == pages[2]
    view.previous_button.click()
    view.previous_button.click()
    assert _row_names(view.report.value) == pages[0] and view.previous_button.disabled
    # hiding keeps the page; a new load starts again at page 1
    view.next_button.click()
    view.files_button.value = False
    assert not _is_shown(view.files_box) and view.page == 1
    view.load_button.click()
    assert view.page == 0 and _row_names(view.report.value) == pages[0]


def test_summary_comes_before_the_file_table_on_screen_and_in_time(large_class: Path, library: dict) -> None:
    view = class_tally(library=library)
    children = list(view.children)
    assert children.index(view.summary) < children.index(view.files_line) < children.index(view.files_box)
    assert children.index(view.files_box) < children.index(view.charts)
    sent: list[str] = []
    view.summary.observe(lambda _c: sent.append("summary"), names="value")
    view.report.observe(lambda _c: sent.append("files"), names="value")
    view.charts.observe(lambda _c: sent.append("charts"), names="children")
    view.folder_text.value = str(large_class)
    view.load_button.click()
    assert sent == ["summary", "files", "charts"]  # each is sent to the page as soon as it is ready
    assert "lowest first" in view.summary.value and _row_names(view.summary.value) == []


def _count_charts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the question id of every per-question chart the class tally builds."""
    built: list[str] = []
    real = charts_classroom.answer_distribution

    def counting(q, **kwargs):  # type: ignore[no-untyped-def]
        built.append(q.question_id)
        return real(q, **kwargs)

    monkeypatch.setattr(charts_classroom, "answer_distribution", counting)  # imported when a chart is drawn
    return built


def test_charts_are_built_once_per_load_and_never_by_paging(large_class: Path, library: dict,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    built = _count_charts(monkeypatch)
    view = class_tally(large_class, library=library)
    assert len(library[CASE_ID].questions) <= QUESTIONS_PER_PAGE  # one page of question charts
    n_questions = len(library[CASE_ID].questions)
    assert sorted(built) == sorted(q.id for q in library[CASE_ID].questions) and len(built) == n_questions
    charts = view.charts.children
    view.files_button.value = True
    view.next_button.click()
    view.next_button.click()
    view.previous_button.click()
    view.files_button.value = False
    assert len(built) == n_questions and view.charts.children is charts


def test_no_file_button_or_pager_for_an_empty_or_small_class(library: dict) -> None:
    view = class_tally(library=library)
    assert not _is_shown(view.files_button) and not _is_shown(view.files_box)
    assert "No files yet" in view.files_line.value
    small = class_tally(FIXTURES, library=library)  # 18 files: one page
    small.files_button.value = True
    assert _is_shown(small.files_box) and not _is_shown(small.pager)
    assert len(_row_names(small.report.value)) == 18


def test_question_charts_are_paged_and_each_built_once(large_class: Path, library: dict,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    built = _count_charts(monkeypatch)
    view = ClassTallyView(large_class, library=library, questions_per_page=1)
    ids = [q.question_id for q in view.result.questions]
    assert len(ids) >= 2

    def shown_titles() -> list[str]:
        open_charts(view)
        return [f.layout.title.text for f in figures(view.charts)][2:]  # after the two class charts

    assert built == ids[:1] and len(shown_titles()) == 1
    assert view.result.questions[0].prompt[:20] in shown_titles()[0]
    assert f"Questions 1–1 of {len(ids)}" in view.questions_label.value and view.previous_questions.disabled
    class_charts = view.charts.children[:5]
    view.next_questions.click()
    assert built == ids[:2] and view.result.questions[1].prompt[:20] in shown_titles()[0]
    assert f"Questions 2–2 of {len(ids)}" in view.questions_label.value
    assert view.charts.children[:5] == class_charts  # the class charts stay the same widgets
    view.previous_questions.click()
    view.next_questions.click()
    assert built == ids[:2]  # shown again, not built again
    view.show_question_page(len(ids) + 3)  # past the end: the last page
    assert view.next_questions.disabled and built == ids


def test_loading_draws_the_class_charts_and_a_question_chart_only_when_opened(library: dict) -> None:
    """Run All of the instructor notebook drew every question's chart of the page at once and blocked the page for
    seconds in one task: now loading sends the two class charts; each question shows its counts, text alternative
    and wrong answers, and its chart is sent when the instructor opens it, once."""
    view = class_tally(FIXTURES, library=library)
    assert len(figures(view)) == 2
    first, *others = view.question_views()
    assert first.chart_box.children == () and first.chart_box.layout.display == "none"
    assert "Text alternative:" in first.text_alternative.value and first.question.prompt[:20] in html_values(first)[0]
    assert first.chart_button.description == "Show the chart"
    first.chart_button.value = True
    assert len(figures(view)) == 3 and figures(first) == [first.figure]
    assert first.chart_box.layout.display == "flex" and first.chart_button.description == "Hide the chart"
    chart = first.chart_box.children[0]
    first.chart_button.value = False
    assert first.chart_box.layout.display == "none" and first.chart_button.description == "Show the chart"
    first.chart_button.value = True
    assert first.chart_box.children == (chart,), "opened again, not sent again"
    assert all(q.chart_box.children == () for q in others)
