"""Showing figures and citations in a notebook: the only place a chart or the bibliography is displayed.

Figures are built in :mod:`mslbp_widgets.charts` (data in, ``(figure, text alternative)`` out); here they are put
on the page, each with its text alternative beside it. The chart builders (and plotly with them) are imported by
the function that draws, so a notebook that shows no chart never loads plotly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..logic.references import cite
from .render import citations_html, esc, text_alternative_html

if TYPE_CHECKING:
    import plotly.graph_objects as go


def figure_widget(fig: go.Figure):
    """A figure in a widget tree (a :class:`FigureView`), as wide as its column; a figure too wide for it scrolls
    sideways rather than being cut off."""
    from .figure_view import FigureView

    return FigureView(fig)


def show_figure(fig: go.Figure, text_alternative: str, sources_html: str = "") -> None:
    """Display a figure with its text alternative (and optional sources, HTML already made safe) beside it. The
    figure is drawn by a :class:`~.figure_view.FigureView`, as every chart of the course: plotly's mimetype alone,
    whatever renderer is set. (Displayed at the top level of a Voila page, the mimetype logs "setData is not a
    function" from plotly's renderer; inside an output widget it does not.)"""
    from IPython.display import HTML, display

    from .figure_view import FigureView

    display(FigureView(fig))
    display(HTML(text_alternative_html(text_alternative) + sources_html))


def show_prevalence(table: str = "foley-2013-prevalence",
                    title: str = "How common is each kind of pain in MS? (Foley et al. 2013 meta-analysis)") -> None:
    """The chart of a prevalence table (``data/epidemiology/<table>.csv``) with its text alternative."""
    from ..charts.prevalence import prevalence_figure
    from ..tools.epidemiology import get_prevalence

    show_figure(*prevalence_figure(get_prevalence(table), title=title))


def show_imaging_findings() -> None:
    """The chart of spine imaging findings in people without back pain, with its text alternative and source."""
    from ..charts.imaging import imaging_findings_figure
    from ..tools.red_flags import load_imaging_findings

    rows = load_imaging_findings()
    fig, alt = imaging_findings_figure(rows)
    sources = "; ".join(dict.fromkeys(cite(r.source_key) for r in rows))
    show_figure(fig, alt, f"<p style='font-size:90%'>Source: {esc(sources)}</p>")


def diagram_html(diagram_id: str) -> str:
    """A diagram as an accessible figure: the SVG as an image (a browser runs no script in an image) with its alt
    text, the caption, the full text alternative in a fold, and the sources."""
    import base64

    from ..logic.diagrams import get_diagram

    d = get_diagram(diagram_id)
    data = base64.b64encode(d.svg().encode("utf-8")).decode("ascii")
    return (f"<figure class='mslbp-diagram' style='margin:8px 0;max-width:1000px'>"
            f"<img src='data:image/svg+xml;base64,{data}' alt='{esc(d.alt)}' style='width:100%;height:auto'>"
            f"<figcaption><strong>{esc(d.title)}.</strong> {esc(d.caption)}</figcaption></figure>"
            f"<details><summary>Text description of the diagram</summary><p>{esc(d.alt)}</p></details>"
            f"<details><summary>Sources for this diagram</summary>{citations_html(d.references)}</details>")


def show_diagram(diagram_id: str) -> None:
    """Display one of the course's diagrams (data/diagrams) with its caption, text alternative and sources."""
    from IPython.display import HTML, display

    display(HTML(diagram_html(diagram_id)))


def show_references(*keys: str) -> None:
    """Display the full citations for these keys (a notebook's References section), escaped like all file text."""
    from IPython.display import HTML, display

    display(HTML("<p><strong>References</strong></p>" + citations_html(keys)))


def show_case_counts() -> None:
    """Display how many cases of each kind (scenario type) and difficulty the case bank holds, as a table."""
    from IPython.display import HTML, display

    from ..logic.cases import case_library
    from ..logic.cases.coverage import bank_coverage
    from ..logic.datafiles import scenario_types
    from .render import style_html, table_html

    display(HTML(style_html() + table_html(bank_coverage(case_library().values(), scenario_types()).table())))
