"""Showing figures and citations in a notebook (ui/display.py): each chart with its text alternative, citations
escaped."""

from __future__ import annotations

import plotly.graph_objects as go


def test_show_prevalence_displays_chart_and_text_alternative(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    monkeypatch.setattr("plotly.io.renderers.default", "plotly_mimetype+notebook")  # HTML + plotly.js if obeyed
    from mslbp_widgets.ui.display import show_prevalence

    assert show_prevalence("foley-2013-prevalence") is None  # nothing returned, so nothing displayed twice
    (output,) = shown[0].outputs  # a FigureView: an output widget holding the chart as the mimetype alone
    assert set(output["data"]) == {"application/vnd.plotly.v1+json"}
    assert go.Figure(output["data"]["application/vnd.plotly.v1+json"]).data[0].type == "bar"
    assert "Back pain 20% (95% CI 13–28%)" in shown[1].data
    assert "<strong>Text alternative:</strong>" in shown[1].data


def test_show_references_escapes_citations_and_names_unknown_keys(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    from mslbp_widgets.ui.display import show_references

    show_references("oconnor-2008", "no-such-key")
    html = shown[0].data
    assert "O&#x27;Connor" in html and "no-such-key (reference not found" in html


def test_a_diagram_is_an_image_with_its_alt_text_caption_description_and_sources() -> None:
    import base64

    from mslbp_widgets.logic.diagrams import get_diagram
    from mslbp_widgets.ui.display import diagram_html

    d = get_diagram("cord-and-column")
    html = diagram_html("cord-and-column")
    assert f"data:image/svg+xml;base64,{base64.b64encode(d.svg().encode()).decode()}" in html
    assert "alt='Schematic side view of the spine" in html and "Text description of the diagram" in html
    assert "<figcaption><strong>The spinal cord against the vertebral column.</strong>" in html
    assert "Saifuddin" in html  # its sources, as full citations


def test_show_case_counts_is_an_accessible_table_of_the_shipped_bank(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    from mslbp_widgets.logic.cases import case_library
    from mslbp_widgets.ui.display import show_case_counts

    show_case_counts()
    (html,) = [obj.data for obj in shown]
    n = len(case_library())
    assert f"<caption>The case bank: {n} synthetic cases of " in html
    assert "<th scope='col'>Kind of case</th>" in html and html.count("<th scope='row'>") == 22  # 21 types + total
    assert f"<th scope='row'>All cases</th><td>{n}</td><td>" in html and " introductory, " in html
    assert "<th scope='row'>Heat-triggered worsening (Uhthoff&#x27;s phenomenon)</th>" in html
