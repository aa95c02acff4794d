"""The imaging chart (charts/imaging.py): the same data in the figure and its text alternative."""

from __future__ import annotations


def test_imaging_chart_has_a_text_alternative_from_the_same_data():
    from mslbp_widgets.charts.imaging import imaging_findings_figure

    fig, alt = imaging_findings_figure()
    assert [t.name for t in fig.data] == ["Age 20", "Age 80"]
    assert list(fig.data[1].y) == [96, 84, 43]
    assert "37% at age 20 to 96% at age 80" in alt
    assert "WITHOUT back pain" in fig.layout.title.text
