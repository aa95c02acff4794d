"""Widget for the feature checklist: labelled checkboxes grouped by heading, a live tally per kind of pain.

The widget only renders and wires callbacks; the tally is `mslbp_widgets.tools.features.assess`. Every control
has a visible text label, and every judgement is written out in words (colour is never the only signal).
"""

from __future__ import annotations

from ..tools.features import RED_FLAG_MARK, Assessment, FeatureSet, assess, feature_set
from .checklist import TickList
from .render import esc, sources_details


def tally_html(result: Assessment) -> str:
    """The tally as an accessible HTML table plus, for each ticked finding, what it supports and why."""
    rows = []
    for t in result.tallies:
        if not t.supporting and not t.against:
            continue
        sign = f"+{t.net}" if t.net > 0 else str(t.net)
        label = f"<strong>{RED_FLAG_MARK}:</strong> {esc(t.label)}" if t.red_flag else esc(t.label)
        style = " style='border:2px solid #cf222e'" if t.red_flag else ""
        rows.append(
            f"<tr class='mslbp-tally-row{' mslbp-red-flag' if t.red_flag else ''}'{style}>"
            f"<th scope='row' style='text-align:left'>{label}</th>"
            f"<td style='text-align:center'>{len(t.supporting)}</td>"
            f"<td style='text-align:center'>{len(t.against)}</td>"
            f"<td style='text-align:center'><strong>{sign}</strong></td></tr>"
        )
    table = ""
    if rows:
        table = (
            "<table class='mslbp-tally'><caption style='text-align:left'>Tally of the ticked findings "
            "(unweighted)</caption><thead><tr><th scope='col' style='text-align:left'>Kind of pain</th>"
            "<th scope='col'>Findings for</th><th scope='col'>Findings against</th><th scope='col'>Net</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>"
        )
    labels = {t.kind: t.label for t in result.tallies}
    items = []
    for f in result.ordered_selected:
        parts = []
        if f.supports:
            parts.append("supports " + ", ".join(esc(labels.get(k, k)) for k in f.supports))
        if f.argues_against:
            parts.append("argues against " + ", ".join(esc(labels.get(k, k)) for k in f.argues_against))
        mark = f"<strong>{RED_FLAG_MARK}:</strong> " if f.red_flag else ""
        items.append(
            f"<li>{mark}<strong>{esc(f.text)}</strong>: {'; '.join(parts)}. {esc(f.explanation)}</li>"
        )
    why = f"<p><strong>Why each ticked finding counts</strong></p><ul>{''.join(items)}</ul>" if items else ""
    role = "alert" if result.red_flag else "status"
    return (
        f"<p role='{role}'><strong>Summary:</strong> {esc(result.summary)}</p>{table}{why}"
        f"<p><em>{esc(result.caveat)}</em></p>"
    )


class FeatureChecklistWidget(TickList):
    """The checklist. Attributes for tests: `checkboxes` (feature id -> Checkbox), `result` (HTML),
    `clear_button`, `last_assessment`."""

    def __init__(self, features: FeatureSet):
        self.features = features
        super().__init__(
            "<h3 style='margin-bottom:4px'>Feature checklist</h3>"
            "<p>Tick every finding your patient has. The tally below updates as you tick.</p>",
            [(g.label, [(f.id, f.text) for f in features.in_group(g.id)]) for g in features.groups],
            "Clear all ticks", "Untick every finding",
            sources_details(sorted({k for f in features.features for k in f.references}), "this checklist"),
            "mslbp-feature-checklist",
            exclusive={f.id: features.conflicts(f.id) for f in features.features},
        )
        self.last_assessment: Assessment = self.update()

    def selection(self) -> list[str]:
        """The ids of the ticked findings, in checklist order."""
        return self.ticked()

    def update(self) -> Assessment:
        """Re-tally the ticked findings and redraw the result."""
        self.last_assessment = assess(self.selection(), self.features)
        self.result.value = tally_html(self.last_assessment)
        return self.last_assessment


def feature_checklist() -> FeatureChecklistWidget:
    """The feature checklist of notebook 04, built from `data/features/features.yaml` (validated on load)."""
    return FeatureChecklistWidget(feature_set())
