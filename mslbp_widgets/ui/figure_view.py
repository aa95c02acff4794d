"""A chart inside a widget tree, drawn by plotly's mimetype renderer: one plotly.js per page.

A ``go.FigureWidget`` ships its own copy of plotly.js (about 5 MB) as widget state for every figure; fourteen of
them froze a JupyterLab tab. A :class:`FigureView` is an ``ipywidgets.Output`` whose one output is a plain
``go.Figure`` as the ``application/vnd.plotly.v1+json`` mimetype alone (:func:`plotly_bundle`), which the installed
JupyterLab/Voila extension draws with the one plotly.js it loads for the page. The bundle never depends on
``plotly.io.renderers.default``: a renderer such as ``notebook`` would add an HTML copy of the figure and, once per
kernel, the whole plotly.js, and inside an Output widget both would become widget state. Redrawing replaces the
output in one message; an unchanged figure is not sent again.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: The one mimetype a chart is sent as.
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"


def plotly_bundle(fig: go.Figure) -> dict[str, Any]:
    """``{PLOTLY_MIMETYPE: the figure's JSON}``: what plotly's ``plotly_mimetype`` renderer sends (with no config),
    and nothing else: no HTML, no plotly.js, whatever renderer the kernel has as default.

    Built from ``fig.to_json()`` rather than through ``plotly.io.renderers``: importing the renderers imports
    nbformat, which imports jsonschema and its format checkers (rfc3987_syntax builds a grammar): about 1.8 s
    before the first chart of a kernel, which made "Show my summary" take seconds."""
    return {PLOTLY_MIMETYPE: json.loads(fig.to_json())}


class FigureView(widgets.Output):
    """An Output widget holding one plotly figure. ``figure`` is the figure shown (for tests and callers);
    :meth:`show` replaces it, and does nothing when the new figure is the same as the one shown."""

    def __init__(self, fig: go.Figure | None = None):
        super().__init__(layout=widgets.Layout(width="100%", overflow="auto hidden"))
        self.add_class("mslbp-chart")
        self.figure: go.Figure | None = None
        self._shown: dict[str, Any] | None = None
        if fig is not None:
            self.show(fig)

    def show(self, fig: go.Figure) -> bool:
        """Show ``fig`` in place of the current figure. Returns False (and sends nothing) if it is unchanged."""
        bundle = plotly_bundle(fig)
        if bundle == self._shown:
            return False
        self.figure, self._shown = fig, bundle
        # One state update replaces the output: no clear-then-display pair, and it works outside a kernel too.
        self.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)
        return True
