"""Widget for the pathway explorer: choose an MS problem, see the chain to back pain, what the pain feels like,
where it is felt and what to look for on examination.

The widget only renders; the content and its validation are `mslbp_widgets.tools.pathways`. The route (direct,
indirect, through bone, not caused by MS) is always written in words, never shown by colour alone.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..logic.datafiles import mechanism_labels
from ..tools.pathways import Pathway, get_pathway, pathways
from .render import esc, sources_details


def pathway_html(p: Pathway, kind_labels: dict[str, str] | None = None) -> str:
    """One pathway as HTML: route, numbered chain ending in back pain, character, where, examination, sources."""
    labels = kind_labels or {}
    steps = "".join(f"<li>{esc(s)}</li>" for s in p.chain)
    look = "".join(f"<li>{esc(s)}</li>" for s in p.look_for)
    kinds = ", ".join(esc(labels.get(k, k)) for k in p.mechanisms)
    return (
        f"<h4 style='margin-bottom:4px'>{esc(p.problem)}</h4>"
        f"<p><strong>Route:</strong> {esc(p.route_text)}<br><strong>Kind of pain:</strong> {kinds}</p>"
        f"<p><strong>The chain, step by step</strong></p><ol>{steps}</ol>"
        f"<p><strong>What the pain is like:</strong> {esc(p.character)}</p>"
        f"<p><strong>Where it is felt:</strong> {esc(p.where)}</p>"
        f"<p><strong>What to look for</strong></p><ul>{look}</ul>"
        f"{sources_details(p.references, 'this pathway')}"
    )


class PathwayExplorerWidget(widgets.VBox):
    """The explorer. Attributes for tests: `chooser` (Dropdown of pathway ids), `detail` (HTML)."""

    def __init__(self, items: dict[str, Pathway], kind_labels: dict[str, str]):
        self.items = items
        self.kind_labels = kind_labels
        intro = widgets.HTML(
            "<h3 style='margin-bottom:4px'>Pathway explorer</h3>"
            "<p>Choose a problem that MS can cause. The explorer shows how it can lead to back pain, what that "
            "pain is like, and what to look for when you examine the patient.</p>"
        )
        self.chooser = widgets.Dropdown(
            options=[(p.problem, pid) for pid, p in items.items()],
            value=next(iter(items)),
            description="MS problem:",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="max-content"),
        )
        self.detail = widgets.HTML("")
        self.chooser.observe(self._changed, names="value")
        super().__init__([intro, self.chooser, self.detail])
        self.add_class("mslbp-pathway-explorer")
        self.show(self.chooser.value)

    def show(self, pathway_id: str) -> Pathway:
        """Display one pathway (also moves the dropdown to it)."""
        p = self.items.get(pathway_id) or get_pathway(pathway_id)
        if self.chooser.value != pathway_id:
            self.chooser.value = pathway_id  # triggers _changed, which calls show again with the same id
        self.detail.value = pathway_html(p, self.kind_labels)
        return p

    def _changed(self, change: dict) -> None:
        self.show(change["new"])


def pathway_explorer(start: str | None = None) -> PathwayExplorerWidget:
    """The pathway explorer of notebook 03, built from `data/features/pathways.yaml` (validated on load)."""
    w = PathwayExplorerWidget(pathways(), mechanism_labels())
    if start:
        w.show(start)
    return w
