"""Widget for the red-flag triage teaching aid: tick findings, see the urgency level and every reason.

The widget only renders and wires callbacks; the decision is `mslbp_widgets.tools.red_flags.triage`.
Checkboxes and buttons work with the keyboard alone; every control has a visible text label; the urgency is
always written as words (colour is only a second signal).
"""

from __future__ import annotations

from ..logic.references import cite
from ..tools.red_flags import (
    NOTHING_TICKED,
    NOTHING_TICKED_TITLE,
    RuleSet,
    TriageResult,
    default_rules,
    load_rules,
    triage,
)
from .checklist import TickList
from .render import esc


def result_html(result: TriageResult, rules: RuleSet) -> str:
    """The result as HTML: the level in words, what to do, then each fired rule with its reason and sources."""
    # The level's border colour (a second signal: the level is always in words) comes from the theme, in
    # course.css; the result is shown in a polite live region (TickList.result), so it carries no role here.
    if result.awaiting_input:
        return ("<div class='mslbp-triage-result mslbp-level-none'>"
                f"<p><strong>{esc(NOTHING_TICKED_TITLE)}</strong> {esc(NOTHING_TICKED)}</p></div>")
    lvl = result.level
    parts = [
        f"<div class='mslbp-triage-result mslbp-level-{esc(lvl.id)}'>",
        f"<p><strong>Urgency: {esc(lvl.label)}</strong></p>",
        f"<p>{esc(lvl.action)}</p>",
    ]
    numbers = {key: n for n, key in enumerate(result.references, start=1)}
    if result.fired:
        parts.append("<p style='margin:8px 0 2px 0'><strong>Why (most urgent first):</strong></p><ol>")
        for fr in result.fired:
            matched = "; ".join(rules.finding(f).label for f in fr.matched)
            conds = ", ".join(fr.rule.conditions)
            refs = ", ".join(f"[{numbers[k]}]" for k in fr.rule.references)
            parts.append(
                f"<li><strong>{esc(fr.level.label)}</strong>. Consider: {esc(conds)}.<br>"
                f"<em>Because you ticked:</em> {esc(matched)}.<br>{esc(fr.rule.reason)} "
                f"<span class='mslbp-cite'>Sources: {refs}</span></li>"
            )
        parts.append("</ol>")
    else:
        refs = ", ".join(f"[{numbers[k]}]" for k in result.default_references)
        parts.append(f"<p>{esc(result.default_reason)} <span class='mslbp-cite'>Sources: {refs}</span></p>")
    items = "".join(f"<li>{esc(cite(k))}</li>" for k in result.references)
    parts.append(f"<details><summary>Sources for this result</summary><ol>{items}</ol></details></div>")
    return "".join(parts)


class RedFlagTriageWidget(TickList):
    """The interactive triage. Attributes exposed for tests: `checkboxes` (dict by finding id), `clear_button`,
    `output` (HTML with the result), `last_result`."""

    def __init__(self, rules: RuleSet):
        self.rules = rules
        self.last_result: TriageResult | None = None
        head, _, rest = rules.disclaimer.partition(". ")
        head = head if head.endswith(".") or not rest else head + "."
        intro = ("<div class='mslbp-notice mslbp-box'>"
                 f"<strong>{esc(head)}</strong> {esc(rest)}</div>"
                 "<p><strong>Tick every finding that is present:</strong></p>")
        groups = [(group, [(f.id, f.label, f.note) for f in findings]) for group, findings in rules.groups().items()]
        super().__init__(intro, groups, "Clear all ticks", "Untick every finding", "", "mslbp-red-flag-triage",
                         side_by_side=True)
        self.output = self.result
        self.update()

    def selection(self) -> list[str]:
        """The ticked finding ids, in the order they appear."""
        return self.ticked()

    def update(self) -> TriageResult:
        """Re-run the triage on the current ticks and show the result."""
        result = triage(self.selection(), self.rules)
        self.last_result = result
        self.output.value = result_html(result, self.rules)
        return result


def red_flag_triage(rules_file: str | None = None) -> RedFlagTriageWidget:
    """Build the red-flag triage widget from `data/red_flags/rules.yaml` (or another rules file)."""
    rules = load_rules(rules_file) if rules_file else default_rules()
    return RedFlagTriageWidget(rules)
