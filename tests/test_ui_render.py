"""The one Markdown renderer (mslbp_widgets.ui.render.markdown_html): text from the case files reflows."""

from __future__ import annotations

from mslbp_widgets.logic.cases import case_library
from mslbp_widgets.ui.render import inline_html, markdown_html


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
