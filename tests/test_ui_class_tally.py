"""The class tally widget (ui/class_tally.py), headless: folder, uploads, report, charts, CSV; hostile exports
in tests/fixtures/exports are reported and never rendered as HTML.
"""

from __future__ import annotations

import base64
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
    upload_entry,
    walk,
)

from mslbp_widgets.classroom import load_exports, summary_csv, tally
from mslbp_widgets.ui.accessible import UploadButton
from mslbp_widgets.ui.class_tally import ClassTallyView, class_tally
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


def test_a_bad_folder_after_a_good_one_clears_the_old_tally(tmp_path: Path, library: dict) -> None:
    """The error is not shown above the previous folder's tally, which would look like the new folder's."""
    view = class_tally(FIXTURES, library=library)
    assert view.charts.children and view.summary.value and view.download.value and view.data.accepted
    view.folder_text.value = str(tmp_path / "nope")
    view.load_button.click()
    assert "no such folder" in view.status.value
    assert view.charts.children == () and view.summary.value == "" and view.download.value == ""
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
