"""HTML rendering of everything the course shows from its files: the one Markdown renderer, the boxes and notices,
citations, and the feedback of a checked answer (the escaper, :func:`esc`, is :mod:`mslbp_widgets.logic.text`'s).

Case text, feedback, citations and learners' exports are instructor- or learner-editable, so nothing from a file
reaches the page unescaped: text goes through :func:`esc`, Markdown through :func:`markdown_html` (mistune with raw
HTML escaped and unsafe link schemes dropped). Widgets build their HTML from these functions only.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from ..logic.cases.media import image_data_uri
from ..logic.cases.model import Image, Stage, Table
from ..logic.errors import MslbpError
from ..logic.references import cite
from ..logic.text import clean as _clean
from ..logic.text import esc

if TYPE_CHECKING:
    import mistune

    from ..logic.evaluate import Result

VERDICT_SYMBOL = {"correct": "✓", "partly-correct": "◐", "incorrect": "✗"}


@lru_cache(maxsize=1)
def _markdown() -> mistune.Markdown:
    import mistune  # at the first Markdown text: a notebook that shows none does not load the parser

    class Renderer(mistune.HTMLRenderer):
        """mistune's HTML renderer, with a single line break inside a paragraph (a YAML literal block's wrapped
        lines) written as a space: the text reflows to any width instead of carrying the file's line breaks."""

        def softbreak(self) -> str:
            return " "

    return mistune.create_markdown(escape=True, hard_wrap=False, renderer=Renderer(escape=True),
                                   plugins=["strikethrough", "table"])


def markdown_html(text: object) -> str:
    """Light Markdown from a data file (paragraphs, lists, **bold**, *italics*, links, tables) as safe HTML: raw HTML
    is shown as text, ``javascript:`` and other unsafe links are dropped. Single line breaks join lines (as
    spaces); a blank line starts a new paragraph."""
    return str(_markdown()(_clean(text).strip())).strip()


def inline_html(text: object) -> str:
    """Like :func:`markdown_html`, for text inside a sentence: a single paragraph is not wrapped in ``<p>``."""
    out = markdown_html(text)
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        return out[3:-4]
    return out


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The course's CSS (``mslbp_widgets/ui/static/course.css``)."""
    return files(__package__).joinpath("static", "course.css").read_text(encoding="utf-8")


def style_html() -> str:
    """The stylesheet as a ``<style>`` element, for the first HTML widget of a widget tree."""
    return f"<style>{stylesheet()}</style>"


def box(inner_html: str, kind: str = "", role: str = "") -> str:
    """A bordered box around HTML already made safe; ``kind`` is correct, partly-correct, incorrect, warning or
    info (the border colour, from the theme; the words inside always say the same)."""
    role_attr = f" role='{role}'" if role else ""
    extra = f" mslbp-box-{kind}" if kind else ""
    return f"<div class='mslbp-box{extra}'{role_attr}>{inner_html}</div>"


def notice(message: str, title: str = "Note") -> str:
    """A warning box: "⚠ title: message" (plain text, escaped), announced as a status."""
    return box(f"<strong>⚠ {esc(title)}:</strong> {esc(message)}", "warning", "status")


def problem_html(message: str) -> str:
    """A one-line problem message (plain text, escaped)."""
    return f"<p class='mslbp-problem'><strong>Problem:</strong> {esc(message)}</p>"


def text_alternative_html(text: str) -> str:
    """The visible text alternative printed beside every chart."""
    return f"<p class='mslbp-text-alternative'><strong>Text alternative:</strong> {esc(text)}</p>"


def citations_html(keys: Iterable[str]) -> str:
    """A numbered list of full citations for reference keys (an unknown key is named, never an error)."""
    items = []
    for key in keys:
        try:
            items.append(f"<li>{esc(cite(key))}</li>")
        except (KeyError, MslbpError):
            items.append(f"<li>{esc(key)} (reference not found in the course bibliography)</li>")
    return f"<ol class='mslbp-references'>{''.join(items)}</ol>" if items else ""


def sources_details(keys: Iterable[str], what: str) -> str:
    """A collapsed ``<details>`` listing the full citation of every key, titled "Sources for <what>"."""
    return f"<details><summary>Sources for {esc(what)}</summary>{citations_html(keys)}</details>"


# ------------------------------------------------------------------------------------------ stages


def table_html(table: Table) -> str:
    """A stage's table as an accessible HTML table: a caption, column headings (``scope='col'``), and the first
    cell of each row as its heading (``scope='row'``) unless the table sets ``row_headers: false``. Every cell is
    escaped: a cell is text, never HTML."""
    head = "".join(f"<th scope='col'>{esc(c)}</th>" for c in table.columns)
    rows = []
    for row in table.rows:
        cells = [f"<th scope='row'>{esc(row[0])}</th>" if table.row_headers else f"<td>{esc(row[0])}</td>"]
        cells += [f"<td>{esc(c)}</td>" for c in row[1:]]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f"<table class='mslbp-table'><caption>{esc(table.caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def image_html(image: Image) -> str:
    """A stage's picture as a figure: the file as an ``<img>`` with a ``data:`` URI (a browser runs nothing in an
    image; an SVG passes the course's SVG check first), its alt text and caption escaped. A picture that cannot be
    shown (removed or changed since `validate`) gives a notice with its text alternative instead."""
    try:
        uri = image_data_uri(image)
    except MslbpError as exc:
        return notice(f"{exc}. What it shows: {image.alt}", "Picture not shown")
    caption = f"<figcaption>{esc(image.caption)}</figcaption>" if image.caption else ""
    return f"<figure class='mslbp-figure'><img src='{uri}' alt='{esc(image.alt)}'>{caption}</figure>"


def stage_html(stage: Stage) -> str:
    """What a stage tells the learner: its text (Markdown), then its table and its picture, if any."""
    parts = [markdown_html(stage.text)]
    if stage.table is not None:
        parts.append(table_html(stage.table))
    if stage.image is not None:
        parts.append(image_html(stage.image))
    return "".join(parts)


# ------------------------------------------------------------------------------------------ feedback


def result_html(result: Result) -> str:
    """The feedback for one checked answer: verdict in words (with a symbol, colour only as an extra), the feedback
    of each chosen option, the findings marked as supporting or arguing against, the teaching point. Matching,
    ordering and numeric answers: :func:`mslbp_widgets.ui.qtypes.result_html`."""
    if result.answer is not None:
        from .qtypes import result_html as qtype_result_html  # it builds on this module

        return qtype_result_html(result)
    verdict = f"{VERDICT_SYMBOL[result.verdict]} {result.verdict_label}"
    parts = [f"<p style='font-size:1.1em'><strong>{esc(verdict)}.</strong>"]
    if result.score_words and result.verdict != "correct":
        parts.append(f" {esc(result.score_words)}")
    if result.confidence is not None:
        parts.append(f" You rated your confidence {result.confidence} of 5.")
    parts.append("</p><p><strong>Your answer:</strong></p><ul>")
    for fb in result.chosen:
        parts.append(f"<li><strong>{esc(fb.option.text)}</strong> ({esc(fb.label)}). {inline_html(fb.option.feedback)}"
                     "</li>")
    parts.append("</ul>")
    if result.missed:
        n = len(result.missed)
        parts.append(f"<p>{n} option{'s' if n > 1 else ''} that should be ticked {'were' if n > 1 else 'was'} not "
                     "ticked. Use “Why not the others?” to see which.</p>")
    if result.supporting or result.against or result.mixed:
        parts.append("<p><strong>Key findings:</strong></p><ul>")
        for f in result.supporting:
            parts.append(f"<li><strong>Supports your answer:</strong> {esc(f.text)}</li>")
        for f in result.against:
            parts.append(f"<li><strong>Argues against your answer:</strong> {esc(f.text)}</li>")
        text_of = {fb.option.id: fb.option.text for fb in result.all_options}
        for f in result.mixed:
            pro = "; ".join(text_of[i] for i in f.supports if i in result.selection)
            con = "; ".join(text_of[i] for i in f.argues_against if i in result.selection)
            parts.append(f"<li><strong>Cuts both ways:</strong> {esc(f.text)} (supports “{esc(pro)}”, argues "
                         f"against “{esc(con)}”)</li>")
        parts.append("</ul>")
    parts.append(f"<p><strong>Teaching point:</strong> {inline_html(result.teaching_point)}</p>")
    return box("".join(parts), result.verdict)  # shown in a polite live region (ui.accessible.LiveHTML)


def all_options_html(result: Result) -> str:
    """Every option of the question with its status in words, whether it was chosen, and its feedback (matching,
    ordering and numeric answers: every item, step or range, :func:`mslbp_widgets.ui.qtypes.all_items_html`)."""
    if result.answer is not None:
        from .qtypes import all_items_html

        return all_items_html(result)
    chosen = set(result.selection)
    items = []
    for fb in result.all_options:
        mine = " (your choice)" if fb.option.id in chosen else ""
        items.append(f"<li><strong>{esc(fb.option.text)}</strong>{mine}: <em>{esc(fb.label)}</em>. "
                     f"{inline_html(fb.option.feedback)}</li>")
    return box(f"<p><strong>Every option explained:</strong></p><ul>{''.join(items)}</ul>")
