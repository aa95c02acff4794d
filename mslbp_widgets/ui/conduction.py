"""Conduction explorer widget: two labelled sliders, a plotly chart updated in place, a readout and a text
alternative. All numbers come from `mslbp_widgets.tools.conduction` (a teaching simplification)."""

from __future__ import annotations

import ipywidgets as widgets

from ..logic.references import cite
from ..tools import conduction as model
from .accessible import LiveHTML, Slider
from .figure_view import FigureView
from .render import esc, style_html

_STATE_WORD = {"normal": "Conducts normally", "slowed": "Slowed", "blocked": "Blocked"}


class ConductionExplorer(widgets.VBox):
    """The explorer. Exposed for tests: `demyelination`, `temperature` (sliders), `readout`, `text_alternative`
    (HTML widgets), `chart` (a FigureView redrawn on every change) and `figure` (the go.Figure shown), `state`
    (the current ConductionState)."""

    def __init__(self, demyelination_pct: float = 50.0, temperature_c: float = 37.0):
        self.state = model.conduction_state(demyelination_pct, temperature_c)
        # Labelled sliders (their label is their accessible name), one label width, so their tracks line up.
        self.demyelination = Slider(description="Demyelination of the segment (%)", min=0, max=100, step=1,
                                    decimals=0, value=demyelination_pct)
        self.temperature = Slider(description="Body temperature (°C)", min=35.0, max=40.0, step=0.1, decimals=1,
                                  value=temperature_c)
        banner = widgets.HTML(
            f"{style_html()}<div class='mslbp-simplification'>"
            f"<strong>{esc(model.SIMPLIFICATION_TITLE)}</strong> {esc(model.SIMPLIFICATION_DETAIL)} "
            "It shows directions of effect only; do not quote its numbers."
            f"<p style='margin:0.4em 0 0'>{esc(model.MODEL_LEAVES_OUT)}</p>"
            f"<p style='margin:0.4em 0 0'>{esc(model.WHY_HEAT)}</p></div>"
        )
        from ..charts.conduction import conduction_figure  # plotly, when an explorer is built

        fig, alt = conduction_figure(temperature_c, demyelination_pct)
        self.chart = FigureView(fig)
        self.readout = LiveHTML()
        self.text_alternative = widgets.HTML()
        sources = "".join(f"<li>{esc(cite(k))}</li>" for k in model.SOURCES)
        source_box = widgets.HTML(f"<details><summary>Sources the model is based on</summary><ol>{sources}</ol>"
                                  "</details>")
        self.demyelination.observe(self._on_change, names="value")
        self.temperature.observe(self._on_change, names="value")
        # The chart beside the sliders (stacked on a narrow screen), so it can be watched while they move.
        controls = widgets.VBox([self.demyelination, self.temperature, self.readout, self.text_alternative])
        controls.add_class("mslbp-controls-column")
        chart_column = widgets.VBox([self.chart])
        chart_column.add_class("mslbp-result-column")
        row = widgets.HBox([controls, chart_column], layout=widgets.Layout(flex_flow="row wrap", width="100%"))
        row.add_class("mslbp-side-by-side")
        super().__init__([banner, row, source_box])
        self.add_class("mslbp-conduction-explorer")
        self._render(alt)

    def _on_change(self, _change: dict) -> None:
        self.update()

    def update(self) -> None:
        """Recompute from the slider values and update the chart, readout and text alternative."""
        from ..charts.conduction import conduction_figure

        new_fig, alt = conduction_figure(self.temperature.value, self.demyelination.value)
        self.chart.show(new_fig)
        self._render(alt)

    @property
    def figure(self):  # noqa: ANN201 - a plotly go.Figure
        """The figure shown now."""
        return self.chart.figure

    def _render(self, alt: str) -> None:
        self.state = model.conduction_state(self.demyelination.value, self.temperature.value)
        word = _STATE_WORD[self.state.state]
        self.readout.value = (f"<p style='font-size:1.05em'><strong>{esc(word)}.</strong> "
                              f"{esc(model.explain(self.state))}</p>")
        self.text_alternative.value = f"<p><em>Text alternative.</em> {esc(alt)}</p>"


def conduction_explorer(demyelination_pct: float = 50.0, temperature_c: float = 37.0) -> ConductionExplorer:
    """Build the conduction explorer (sliders for demyelination and temperature, chart, readout)."""
    return ConductionExplorer(demyelination_pct, temperature_c)
