"""Widget for the DN4 neuropathic screening scorer: labelled yes/no checkboxes grouped interview / examination,
with a live score, the interpretation and the limits of the tool.

The widget only renders and wires callbacks; scoring is `mslbp_widgets.tools.screening.score_dn4`. The verdict is
always written in words ("At or above the cut-off"), never shown by colour alone.
"""

from __future__ import annotations

from ..tools.screening import ScreeningResult, ScreeningTool, dn4, score_dn4
from .checklist import TickList
from .render import esc, sources_details


def result_html(result: ScreeningResult) -> str:
    """Score, verdict in words, interpretation and limits as HTML."""
    limits = "".join(f"<li>{esc(x)}</li>" for x in result.limits)
    return (
        f"<p role='status'><strong>{esc(result.score_text)}</strong>. "
        f"<strong>{esc(result.label)}</strong> (cut-off {result.cutoff} of {result.max_score}).</p>"
        f"<p>{esc(result.interpretation)}</p>"
        f"<p><strong>What the score cannot tell you</strong></p><ul>{limits}</ul>"
    )


class DN4ScorerWidget(TickList):
    """The scorer. Attributes for tests: `checkboxes` (item id -> Checkbox), `result` (HTML), `clear_button`,
    `last_result`."""

    def __init__(self, tool: ScreeningTool):
        self.tool = tool
        super().__init__(
            f"<h3 style='margin-bottom:4px'>{esc(tool.name)} scorer</h3>"
            "<p>Tick each item the answer is <em>yes</em> to; an unticked item counts as <em>no</em>. "
            "Item labels are short summaries: in practice use the published questionnaire.</p>",
            [(s.label, [(i.id, f"{i.question}: {i.label}") for i in tool.in_section(s.id)]) for s in tool.sections],
            "Clear all answers", "Set every item back to no",
            sources_details(tool.references, "this scorer"),
            "mslbp-dn4-scorer",
        )
        self.last_result: ScreeningResult = self.update()

    def answers(self) -> dict[str, bool]:
        """Item id -> True (yes) / False (no)."""
        return {iid: box.value for iid, box in self.checkboxes.items()}

    def update(self) -> ScreeningResult:
        """Re-score and redraw."""
        self.last_result = score_dn4(self.answers(), self.tool)
        self.result.value = result_html(self.last_result)
        return self.last_result


def dn4_scorer() -> DN4ScorerWidget:
    """The DN4 scorer of notebook 04, built from `data/screening/dn4.yaml` (validated on load)."""
    return DN4ScorerWidget(dn4())
