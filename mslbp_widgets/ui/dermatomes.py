"""The dermatome explorer: choose a cord sensory level or a single root and see its pattern on the front and back
dermatome diagrams, with the sentence that tells the two apart. Logic in :mod:`mslbp_widgets.logic.dermatomes`."""

from __future__ import annotations

import base64

import ipywidgets as widgets

from ..logic.dermatomes import LEVEL, ROOT, dermatome_map
from ..logic.diagrams import get_diagram
from .controls import LABEL_STYLE, WIDE
from .render import citations_html, esc

_KINDS = (("A cord sensory level", LEVEL), ("One nerve root", ROOT))
_LEVEL_TIP = "Feeling changed from one band downwards (a cord lesion; from about L1 down, also the cauda equina)"


def _image(svg: str, alt: str) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"<img src='data:image/svg+xml;base64,{data}' alt='{esc(alt)}' style='width:100%;height:auto'>"


class DermatomeExplorer(widgets.VBox):
    """Choose a pattern (``kind``: a cord sensory level or one root) and a root; the two diagrams show the roots it
    touches in colour. For tests: ``kind`` (ToggleButtons), ``root`` (Dropdown), ``view`` (HTML with the
    diagrams, the title and the explanation), :attr:`pattern` (the logic's answer for the current choice)."""

    def __init__(self, kind: str = LEVEL, root: str = "T10"):
        self.map = dermatome_map()
        self.kind = widgets.ToggleButtons(options=_KINDS, value=kind, description="Pattern:", style=LABEL_STYLE,
                                          tooltips=[_LEVEL_TIP, "Feeling changed in one band only (a nerve root)"])
        self.root = widgets.Dropdown(options=[(self.map.labels[r], r) for r in self.map.order], value=root,
                                     description="At:", style=LABEL_STYLE,
                                     layout=widgets.Layout(width="auto", max_width="100%"))
        self.view = widgets.HTML(layout=WIDE)
        self.pattern = None
        for control in (self.kind, self.root):
            control.observe(lambda _change: self.redraw(), names="value")
        front, back = get_diagram("dermatomes-front"), get_diagram("dermatomes-back")
        cord = get_diagram("cord-and-column")  # where the cord ends, and why MS spares the roots
        sources = citations_html(tuple(dict.fromkeys(front.references + back.references + cord.references)))
        super().__init__([
            self.kind, self.root, self.view,
            widgets.HTML("<p style='font-size:90%'>Schematic: published dermatome maps differ and neighbouring "
                         "dermatomes overlap, so real borders are not sharp, and damage to one root usually numbs "
                         "less than its whole band. Here a sensory level at a root means that feeling changes from "
                         "that band down; the spinal cord injury standard (Kirshblum et al. 2011) names the lowest "
                         "band that is still normal instead.</p>"
                         f"<details><summary>Text description of the diagrams</summary><p>{esc(front.alt)}</p>"
                         f"<p>{esc(back.alt)}</p></details>"
                         f"<details><summary>Sources for these diagrams and notes</summary>{sources}</details>"),
        ], layout=WIDE)
        self.add_class("mslbp-dermatome-explorer")
        self.redraw()

    def redraw(self) -> None:
        """Draw the current choice (only when it changed)."""
        pattern = self.map.pattern(self.kind.value, self.root.value)
        if pattern == self.pattern:
            return
        self.pattern = pattern
        figures = []
        for view, label in (("front", "Front view"), ("back", "Back view")):
            shown = self.map.shown_in(view, pattern.roots)
            coloured = ", ".join(shown) if shown else "none (these roots are drawn in the back view)"
            if shown and len(shown) < len(pattern.roots):
                coloured += f" ({', '.join(r for r in pattern.roots if r not in shown)} are drawn in the back view)"
            alt = f"{label} of the dermatome diagram with the chosen roots coloured: {coloured}."
            figures.append(f"<figure style='flex:1 1 260px;max-width:460px;margin:0'>"
                           f"{_image(self.map.svg(view, shown), alt)}<figcaption>{esc(label)}: "
                           f"{esc(coloured)}</figcaption></figure>")
        self.view.value = (f"<p aria-live='polite'><strong>{esc(pattern.title)}.</strong> "
                           f"{esc(pattern.explanation)}</p>"
                           f"<div style='display:flex;flex-wrap:wrap;gap:12px'>{''.join(figures)}</div>")


def dermatome_explorer(kind: str = LEVEL, root: str = "T10") -> DermatomeExplorer:
    """The dermatome explorer (a notebook's one-line call)."""
    return DermatomeExplorer(kind, root)


__all__ = ["DermatomeExplorer", "dermatome_explorer"]
