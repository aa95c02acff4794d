"""Widget for the DN4 neuropathic screening scorer: labelled yes/no checkboxes grouped interview / examination,
with a live score, the interpretation and the limits of the tool.

The widget only renders and wires callbacks; scoring is `mslbp_widgets.tools.screening.score_dn4`. The verdict is
always written in words ("At or above the cut-off"), never shown by colour alone.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..references import cite
from ..tools.screening import ScreeningResult, ScreeningTool, dn4, score_dn4


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def result_html(result: ScreeningResult) -> str:
    """Score, verdict in words, interpretation and limits as HTML."""
    limits = "".join(f"<li>{_esc(x)}</li>" for x in result.limits)
    return (
        f"<p role='status'><strong>{_esc(result.score_text)}</strong>. "
        f"<strong>{_esc(result.label)}</strong> (cut-off {result.cutoff} of {result.max_score}).</p>"
        f"<p>{_esc(result.interpretation)}</p>"
        f"<p><strong>What the score cannot tell you</strong></p><ul>{limits}</ul>"
    )


class DN4ScorerWidget(widgets.VBox):
    """The scorer. Attributes for tests: `checkboxes` (item id -> Checkbox), `result` (HTML), `clear_button`,
    `last_result`."""

    def __init__(self, tool: ScreeningTool):
        self.tool = tool
        self.checkboxes: dict[str, widgets.Checkbox] = {}
        blocks: list[widgets.Widget] = [
            widgets.HTML(
                f"<h3 style='margin-bottom:4px'>{_esc(tool.name)} scorer</h3>"
                "<p>Tick each item the answer is <em>yes</em> to; an unticked item counts as <em>no</em>. "
                "Item labels are short summaries: in practice use the published questionnaire.</p>"
            )
        ]
        for section in tool.sections:
            boxes = []
            for item in tool.in_section(section.id):
                box = widgets.Checkbox(
                    value=False,
                    description=f"{item.question}: {item.label}",
                    indent=False,
                    layout=widgets.Layout(width="auto"),
                )
                box.observe(self._changed, names="value")
                self.checkboxes[item.id] = box
                boxes.append(box)
            blocks.append(widgets.HTML(f"<p style='margin:10px 0 2px 0'><strong>{_esc(section.label)}</strong></p>"))
            blocks.append(widgets.VBox(boxes))
        self.clear_button = widgets.Button(description="Clear all answers", tooltip="Set every item back to no")
        self.clear_button.layout = widgets.Layout(width="auto")
        self.clear_button.on_click(lambda _b: self.clear())
        self.result = widgets.HTML("")
        refs = "".join(f"<li>{_esc(cite(k))}</li>" for k in tool.references)
        sources = widgets.HTML(f"<details><summary>Sources for this scorer</summary><ol>{refs}</ol></details>")
        super().__init__([*blocks, self.clear_button, self.result, sources])
        self.add_class("mslbp-dn4-scorer")
        self.last_result: ScreeningResult = self.update()

    def answers(self) -> dict[str, bool]:
        """Item id -> True (yes) / False (no)."""
        return {iid: box.value for iid, box in self.checkboxes.items()}

    def update(self) -> ScreeningResult:
        """Re-score and redraw."""
        self.last_result = score_dn4(self.answers(), self.tool)
        self.result.value = result_html(self.last_result)
        return self.last_result

    def clear(self) -> None:
        """Set every item back to no."""
        for box in self.checkboxes.values():
            box.value = False
        self.update()

    def _changed(self, _change: dict) -> None:
        self.update()


def dn4_scorer() -> DN4ScorerWidget:
    """The DN4 scorer of notebook 04, built from `data/screening/dn4.yaml` (validated on load)."""
    return DN4ScorerWidget(dn4())
