"""The prevalence chart (charts/prevalence.py): bars with asymmetric 95% CIs, the highlighted bar, the text."""

from __future__ import annotations

import plotly.graph_objects as go

from mslbp_widgets.charts.prevalence import prevalence_figure
from mslbp_widgets.tools.epidemiology import get_prevalence


def test_figure_has_asymmetric_ci_error_bars_and_text_alternative():
    rows = get_prevalence("foley-2013-prevalence")
    fig, alt = prevalence_figure(rows, title="T")
    assert isinstance(fig, go.Figure)
    bar = fig.data[0]
    i = list(bar.y).index("Back pain ◀")  # highlighted by a marker in the label, not colour alone
    assert bar.x[i] == 20
    assert bar.error_x.array[i] == 8 and bar.error_x.arrayminus[i] == 7
    assert bar.marker.pattern.shape[i] == "/"
    assert list(bar.x) == sorted(bar.x)  # highest at the top
    assert "Back pain 20% (95% CI 13–28%)" in alt
    assert alt.index("Any pain (overall)") < alt.index("Trigeminal neuralgia")
    assert "20% (95% CI 13–28%)" in fig.data[1].text
