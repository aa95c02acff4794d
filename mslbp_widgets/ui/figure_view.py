"""A chart inside a widget tree, drawn by plotly's mimetype renderer: one plotly.js per page.

A ``go.FigureWidget`` ships its own copy of plotly.js (about 5 MB) as widget state for every figure; fourteen of
them froze a JupyterLab tab. A :class:`FigureView` is an ``ipywidgets.Output`` that shows a plain ``go.Figure``
through the ``application/vnd.plotly.v1+json`` mimetype, which the installed JupyterLab/Voila extension draws
with the one plotly.js it loads for the page. Redrawing replaces the output; an unchanged figure is not sent again.
"""

from __future__ import annotations

import ipywidgets as widgets
import plotly.graph_objects as go
from IPython.display import display


class FigureView(widgets.Output):
    """An Output widget holding one plotly figure. ``figure`` is the figure shown (for tests and callers);
    :meth:`show` replaces it, and does nothing when the new figure is the same as the one shown."""

    def __init__(self, fig: go.Figure | None = None):
        super().__init__(layout=widgets.Layout(width="100%", overflow="auto hidden"))
        self.add_class("mslbp-chart")
        self.figure: go.Figure | None = None
        self._shown_json: str | None = None
        if fig is not None:
            self.show(fig)

    def show(self, fig: go.Figure) -> bool:
        """Show ``fig`` in place of the current figure. Returns False (and sends nothing) if it is unchanged."""
        as_json = fig.to_json()
        if as_json == self._shown_json:
            return False
        self.figure, self._shown_json = fig, as_json
        self.clear_output(wait=True)
        with self:
            display(fig)
        return True
