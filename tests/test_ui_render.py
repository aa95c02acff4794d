"""The one Markdown renderer and the HTML of a stage's table and picture (ui/render.py): text from the case files
reflows; accessible table markup, every cell and text escaped, pictures only as <img> with a data: URI after the
SVG check, a notice (with the alt text) when a picture cannot be shown."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest
from helpers import REPO, branching_case

from mslbp_widgets.logic.cases import case_library
from mslbp_widgets.logic.cases.model import Image, Stage, Table
from mslbp_widgets.logic.paths import DATA_DIR_ENV
from mslbp_widgets.ui.render import image_html, inline_html, markdown_html, stage_html, table_html


def test_a_table_has_a_caption_column_and_row_headings() -> None:
    out = table_html(Table("Bloods", ("Test", "Result"), (("CRP", "85 mg/L"), ("WCC", "14"))))
    assert out.startswith("<table class='mslbp-table'><caption>Bloods</caption>")
    assert "<thead><tr><th scope='col'>Test</th><th scope='col'>Result</th></tr></thead>" in out
    assert "<tr><th scope='row'>CRP</th><td>85 mg/L</td></tr>" in out
    plain = table_html(Table("Bloods", ("Test", "Result"), (("CRP", "85"),), row_headers=False))
    assert "<tr><td>CRP</td><td>85</td></tr>" in plain and "scope='row'" not in plain


def test_every_cell_caption_and_heading_is_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    out = table_html(Table(hostile, (hostile, "b"), ((hostile, "<img src=x onerror=alert(1)>"),)))
    assert "<script" not in out and "<img" not in out
    assert out.count("&lt;script&gt;") == 3


def test_a_picture_is_an_img_with_a_data_uri_and_escaped_alt_text() -> None:
    out = image_html(Image("diagrams/cord-and-column.svg", "A 'quoted' <b>alt</b>", "A caption & more"))
    (src,) = re.findall(r"src='([^']*)'", out)
    assert src.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(src.split(",", 1)[1]) == (REPO / "data" / "diagrams" / "cord-and-column.svg").read_bytes()
    assert "alt='A &#x27;quoted&#x27; &lt;b&gt;alt&lt;/b&gt;'" in out
    assert "<figcaption>A caption &amp; more</figcaption>" in out
    assert "<svg" not in out  # never inlined


def test_a_picture_that_cannot_be_shown_gives_its_alt_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "schema", data / "schema")
    (data / "images").mkdir()
    shutil.copy(REPO / "tests" / "fixtures" / "diagrams" / "ko-script.svg", data / "images" / "bad.svg")
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    out = image_html(Image("images/bad.svg", "What the <picture> shows"))
    assert "Picture not shown" in out and "What the &lt;picture&gt; shows" in out
    assert "<img" not in out and "<script" not in out
    assert "Picture not shown" in image_html(Image("images/missing.svg", "alt"))


def test_stage_html_is_text_then_table_then_picture() -> None:
    case = branching_case()
    first = stage_html(case.stages[0])
    assert first.index("Flank pain") < first.index("<table")
    scan = stage_html(case.stages[3])
    assert scan.index("no blockage") < scan.index("<figure")
    assert stage_html(Stage("s", "Title", "Just **text**")) == "<p>Just <strong>text</strong></p>"


def test_single_line_breaks_become_spaces_blank_lines_paragraphs() -> None:
    """A YAML literal block keeps the author's wrapped lines; on the page they are one paragraph that reflows."""
    assert markdown_html("She has had shocks\nfor three weeks.\n\nNo back pain.") == (
        "<p>She has had shocks for three weeks.</p>\n<p>No back pain.</p>")
    assert inline_html("one\ntwo") == "one two"


def test_a_markdown_hard_break_and_raw_html_are_kept_safe() -> None:
    assert markdown_html("line  \nnext") == "<p>line<br />\nnext</p>"  # two trailing spaces: a deliberate break
    assert markdown_html("<b>x</b>") == "<p>&lt;b&gt;x&lt;/b&gt;</p>"


def test_no_case_text_reaches_the_page_with_the_files_line_breaks() -> None:
    for case in case_library().values():
        for stage in case.stages:
            html = markdown_html(stage.text)
            assert "\n" not in html.replace("</p>\n<p>", "").replace(">\n<", "><"), (case.id, stage.id, html)
