"""Widget for a sorting exercise: one labelled dropdown per item, Check / Show answers / Reset buttons.

The widget only renders and wires callbacks; marking is `mslbp_widgets.tools.sorting.evaluate_placement`.
Keyboard-friendly (dropdowns and buttons, no drag and drop); every control has a visible text label and every
verdict is a word, never colour alone.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..logic.references import cite
from ..tools.sorting import (
    SortingExercise,
    SortingResult,
    answer_key,
    evaluate_placement,
    get_exercise,
)
from .render import esc

#: Border colour per status (a second signal only; the word is always shown).
_COLOURS = {"correct": "#1a7f37", "acceptable": "#9a6700", "incorrect": "#cf222e", "unplaced": "#57606a",
            "answer": "#0969da"}
_PLACEHOLDER = "— choose a category —"
#: The placeholder's value. Not None: ipywidgets 8 treats a value of None as "nothing selected" and blanks the
#: list, so resetting to None showed an empty box instead of the placeholder.
_UNPLACED = ""



def _feedback_html(status: str, headline: str, text: str) -> str:
    """The verdict on a line of its own (a full sentence from the logic), then the feedback under it."""
    colour = _COLOURS.get(status, "#57606a")
    return (f"<div class='mslbp-sort-feedback mslbp-{status}' style='border-left:4px solid {colour};"
            f"padding:2px 8px;margin:2px 0 8px 0'><strong>{esc(headline)}</strong><br>{esc(text)}</div>")


class SortingExerciseWidget(widgets.VBox):
    """The interactive exercise. Attributes exposed for tests: `dropdowns`, `feedback` (dicts by item id),
    `check_button`, `show_button`, `reset_button`, `summary`, `last_result`."""

    def __init__(self, exercise: SortingExercise):
        self.exercise = exercise
        self.last_result: SortingResult | None = None
        options = [(_PLACEHOLDER, _UNPLACED)] + [(c.label, c.id) for c in exercise.categories]

        header = widgets.HTML(
            f"<h3 style='margin-bottom:4px'>{esc(exercise.title)}</h3><p>{esc(exercise.instructions)}</p>"
        )
        cats = "".join(
            f"<li><strong>{esc(c.label)}</strong>" + (f": {esc(c.description)}" if c.description else "") + "</li>"
            for c in exercise.categories
        )
        categories = widgets.HTML(f"<p><strong>Categories</strong></p><ul>{cats}</ul>")

        self.dropdowns: dict[str, widgets.Dropdown] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        rows: list[widgets.Widget] = []
        for n, item in enumerate(exercise.items, start=1):
            text = widgets.HTML(f"<p style='margin:8px 0 2px 0'><strong>{n}.</strong> {esc(item.text)}</p>")
            dropdown = widgets.Dropdown(
                options=options, value=_UNPLACED, description=f"Item {n} goes under:",
                style={"description_width": "initial"}, layout=widgets.Layout(width="max-content"),
            )
            fb = widgets.HTML("")
            self.dropdowns[item.id] = dropdown
            self.feedback[item.id] = fb
            rows.append(widgets.VBox([text, dropdown, fb]))

        self.check_button = widgets.Button(description="Check my sorting", button_style="primary",
                                           tooltip="Mark every placement and explain it")
        self.show_button = widgets.Button(description="Show answers", tooltip="Place every item in its best "
                                                                              "category and explain why")
        self.reset_button = widgets.Button(description="Reset", tooltip="Clear all placements and feedback")
        for button in (self.check_button, self.show_button, self.reset_button):
            button.layout = widgets.Layout(width="auto")
        self.check_button.on_click(lambda _b: self.check())
        self.show_button.on_click(lambda _b: self.show_answers())
        self.reset_button.on_click(lambda _b: self.reset())
        self.summary = widgets.HTML("")
        refs = "".join(f"<li>{esc(cite(k))}</li>" for k in exercise.all_references)
        sources = widgets.HTML(f"<details><summary>Sources for this exercise</summary><ol>{refs}</ol></details>")

        super().__init__([header, categories, *rows,
                          widgets.HBox([self.check_button, self.show_button, self.reset_button]),
                          self.summary, sources])
        self.add_class("mslbp-sorting")

    def placements(self) -> dict[str, str | None]:
        """The current placements, item id -> category id (None = not placed)."""
        return {item_id: (None if dd.value == _UNPLACED else dd.value) for item_id, dd in self.dropdowns.items()}

    def check(self) -> SortingResult:
        """Mark the current placements and show per-item feedback and the score."""
        result = evaluate_placement(self.exercise, self.placements())
        self.last_result = result
        for verdict in result.verdicts:
            self.feedback[verdict.item.id].value = _feedback_html(verdict.status, verdict.headline, verdict.feedback)
        tp = f" {esc(self.exercise.teaching_point)}" if self.exercise.teaching_point and result.complete else ""
        self.summary.value = f"<p role='status'><strong>Your sorting:</strong> {esc(result.summary)}{tp}</p>"
        return result

    def show_answers(self) -> None:
        """Put every item in its best category and show why."""
        for verdict in answer_key(self.exercise):
            self.dropdowns[verdict.item.id].value = verdict.placed
            self.feedback[verdict.item.id].value = _feedback_html(
                "answer", f"Answer: this belongs under “{verdict.category_label}”.", verdict.feedback)
        tp = f" {esc(self.exercise.teaching_point)}" if self.exercise.teaching_point else ""
        self.summary.value = f"<p role='status'><strong>Answers shown.</strong>{tp}</p>"
        self.last_result = None

    def reset(self) -> None:
        """Clear every placement and all feedback."""
        for dd in self.dropdowns.values():
            dd.value = _UNPLACED  # shows the placeholder "— choose a category —", not a blank list
        for fb in self.feedback.values():
            fb.value = ""
        self.summary.value = ""
        self.last_result = None


def sorting_exercise(exercise_id: str) -> SortingExerciseWidget:
    """Build the widget for `data/exercises/<exercise_id>.yaml` (validated on load)."""
    return SortingExerciseWidget(get_exercise(exercise_id))
