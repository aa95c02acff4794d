"""Building blocks shared by the tick-list tools (feature checklist, DN4 scorer) and the pathway explorer.

`TickList` is a VBox of headed groups of labelled checkboxes, a clear button, a result area and the sources; a
subclass says what a tick means by defining `update()`. Every control has a visible text label.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets

from .accessible import LiveHTML
from .render import esc, style_html


class TickList(widgets.VBox):
    """Headed groups of labelled checkboxes with a clear button, a result area (HTML) and the sources.

    Attributes for tests: `checkboxes` (id -> Checkbox, in display order), `clear_button`, `result`.
    `groups` is a list of (heading, [(id, checkbox label) or (id, label, note), ...]); a note is shown under its box
    and as its tooltip. Subclasses define `update()`, called on every
    tick and after `clear()`. `exclusive` (optional) maps an id to the ids that cannot be ticked with it (decided
    by the tool's logic): ticking it unticks them before `update()` runs.
    """

    def __init__(self, intro_html: str, groups: Iterable[tuple[str, Iterable[tuple[str, ...]]]],
                 clear_label: str, clear_tooltip: str, sources_html: str, css_class: str,
                 exclusive: dict[str, tuple[str, ...]] | None = None, side_by_side: bool = False):
        self.checkboxes: dict[str, widgets.Checkbox] = {}
        self._exclusive = dict(exclusive or {})
        self._quiet = False
        blocks: list[widgets.Widget] = []
        for heading, entries in groups:
            boxes: list[widgets.Widget] = []
            for ident, label, *note in entries:
                box = widgets.Checkbox(value=False, description=label, indent=False, tooltip=note[0] if note else label,
                                       layout=widgets.Layout(width="auto"))
                box.observe(lambda change, ident=ident: self._changed(change, ident), names="value")
                self.checkboxes[ident] = box
                boxes.append(box)
                if note and note[0]:
                    boxes.append(widgets.HTML(f"<p class='mslbp-note'>{esc(note[0])}</p>"))
            blocks.append(widgets.HTML(f"<p style='margin:10px 0 2px 0'><strong>{esc(heading)}</strong></p>"))
            blocks.append(widgets.VBox(boxes))
        self.clear_button = widgets.Button(description=clear_label, tooltip=clear_tooltip)
        self.clear_button.layout = widgets.Layout(width="auto")
        self.clear_button.on_click(lambda _b: self.clear())
        self.result = LiveHTML("")
        intro = widgets.HTML(style_html() + intro_html)
        sources = widgets.HTML(sources_html)
        if side_by_side:
            ticks = widgets.VBox(blocks)
            ticks.add_class("mslbp-ticks-scroll")
            left = widgets.VBox([ticks, self.clear_button])
            left.add_class("mslbp-controls-column")
            right = widgets.VBox([self.result, sources])
            right.add_class("mslbp-result-column")
            row = widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap", width="100%"))
            row.add_class("mslbp-side-by-side")
            super().__init__([intro, row])
        else:
            super().__init__([intro, *blocks, self.clear_button, self.result, sources])
        self.add_class(css_class)
        self.add_class("mslbp-tick-list")

    def ticked(self) -> list[str]:
        """The ids of the ticked boxes, in display order."""
        return [ident for ident, box in self.checkboxes.items() if box.value]

    def update(self) -> Any:
        """Recompute and redraw the result (defined by each tool)."""
        raise NotImplementedError

    def clear(self) -> None:
        """Untick every box (the result is redrawn once, at the end)."""
        self._quiet = True
        try:
            for box in self.checkboxes.values():
                box.value = False
        finally:
            self._quiet = False
        self.update()

    def _changed(self, change: dict, ident: str | None = None) -> None:
        if self._quiet:
            return
        if change.get("new") and ident is not None and self._exclusive.get(ident):
            self._quiet = True
            try:
                for other in self._exclusive[ident]:
                    if other in self.checkboxes:
                        self.checkboxes[other].value = False
            finally:
                self._quiet = False
        self.update()
