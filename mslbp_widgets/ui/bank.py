"""The case bank: filter by mechanism, kind of case and difficulty, go through the cases one at a time, see a
summary of the learner's first tries (two charts with their text alternatives), download or load progress."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import ipywidgets as widgets

from ..logic.attempts import Attempt, LearnerSummary, summarise
from ..logic.cases import Case, CaseLibrary, case_library
from ..logic.cases.coverage import minutes
from ..logic.datafiles import mechanism_labels, scenario_types
from ..logic.errors import DataValidationError
from ..logic.identity import LearnerProgress
from ..logic.progress import ProgressLog
from .case import CaseScenario
from .controls import LABEL_STYLE, WIDE, button, focus
from .figure_view import FigureView
from .progress_controls import ProgressControls
from .render import text_alternative_html

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = ["CaseBank"]

_DIFFICULTY_ORDER = ("introductory", "intermediate", "advanced")


class CaseBank(widgets.VBox):
    """Browse the case bank: filter by mechanism, kind of case (scenario type) and difficulty, go through the
    cases one at a time ("Case 3 of 8", Previous/Next; introductory cases first, then intermediate and advanced,
    and within a level the kinds of case in the order of ``data/scenarios.yaml``), see a summary with two charts
    (each with its text alternative), download or load progress.

    ``cases``: a CaseLibrary, or any iterable of Case (default: ``data/cases``). ``progress``: a ProgressLog
    (default: the learner of the browser that shows the bank, told by the identity widget of its ``controls``;
    in a single-file setup that file). For tests: ``mechanism``, ``case_type`` (scenario types, each with its
    number of cases under the other filters) and ``difficulty`` (Dropdowns), ``position`` (HTML),
    ``previous_button``, ``next_button``, ``end_nav`` (under a finished case: ``end_position``, ``restart_button`` and
    ``end_next_button``), ``summary_button``, ``scenario`` (the CaseScenario shown), ``filtered`` (the cases
    matching the filters), ``summary`` (VBox), ``accuracy_text`` and ``calibration_text`` (HTML),
    ``accuracy_figure`` and ``calibration_figure`` (the go.Figures shown, in ``accuracy_view`` and
    ``calibration_view``), ``controls`` (ProgressControls).
    """

    def __init__(self, cases: CaseLibrary | Iterable[Case] | None = None,
                 progress: ProgressLog | LearnerProgress | None = None,
                 labels: Mapping[str, str] | None = None, type_labels: Mapping[str, str] | None = None):
        library = case_library() if cases is None else cases
        self.cases: list[Case] = list(library.values()) if isinstance(library, Mapping) else list(library)
        if labels is None:
            try:
                labels = mechanism_labels()
            except DataValidationError:
                labels = {}
        self.labels = dict(labels)
        if type_labels is None:
            try:
                type_labels = {k: t.label for k, t in scenario_types().items()}
            except DataValidationError:
                type_labels = {}
        self.controls = ProgressControls(progress, on_change=self._loaded)
        self.progress = self.controls.progress
        present = {m for c in self.cases for m in c.mechanisms}
        mech_options = [("All mechanisms", "")] + [
            (self.labels.get(m, m), m) for m in list(self.labels) + sorted(present - set(self.labels)) if m in present
        ]
        # Introductory cases first, then intermediate and advanced; within a level, kinds of case in the course's order.
        level = {d: i for i, d in enumerate(_DIFFICULTY_ORDER)}
        kind = {s: i for i, s in enumerate(type_labels)}
        self.cases.sort(key=lambda c: (level.get(c.difficulty, len(level)), kind.get(c.scenario, len(kind)), c.title))
        self.type_labels = dict(type_labels)
        present_kinds = {c.scenario for c in self.cases if c.scenario}
        #: Every kind of case the bank holds, in the course's order (the menu offers those the other filters allow).
        self.kinds = [s for s in self.type_labels if s in present_kinds] + sorted(present_kinds - set(self.type_labels))
        self._updating_kinds = False
        diffs = [d for d in _DIFFICULTY_ORDER if any(c.difficulty == d for c in self.cases)]
        diffs += sorted({c.difficulty for c in self.cases} - set(diffs))
        self.mechanism = widgets.Dropdown(options=mech_options, value="", description="Mechanism:",
                                          style=LABEL_STYLE)
        # As wide as its longest option (a select sizes itself to it), never wider than the screen.
        self.case_type = widgets.Dropdown(options=[("All kinds of case", "")], value="", description="Kind of case:",
                                          style=LABEL_STYLE, layout=widgets.Layout(width="auto"))
        self.difficulty = widgets.Dropdown(options=[("All levels", "")] + [(d.capitalize(), d) for d in diffs],
                                           value="", description="Difficulty:", style=LABEL_STYLE)
        self.case_type.options = self._kind_options()
        self.position = widgets.HTML()
        self.previous_button = button("Previous case", "Go to the previous case in this list")
        self.next_button = button("Next case", "Go to the next case in this list")
        self.summary_button = button("Show my summary", "Charts of your accuracy and confidence so far")
        self.previous_button.on_click(lambda _b: self.go(self.index - 1))
        self.next_button.on_click(self._next_case)
        # Under a finished case: its position again and "Next case" (the same handler as the top button), so the
        # learner need not scroll back up past the whole case.
        self.end_position = widgets.HTML()
        self.end_next_button = button("Next case", "Go to the next case in this list")
        self.end_next_button.on_click(self._next_case)
        # ... and "Start this case again": another way through a branching case, or practice; the answers given
        # stay saved (a new try is new attempts, and the summary counts first tries).
        self.restart_button = button("Start this case again", "Show this case again from its first stage")
        self.restart_button.on_click(self._restart)
        self.end_nav = widgets.HBox([self.end_position, self.restart_button, self.end_next_button],
                                    layout=widgets.Layout(align_items="center", flex_flow="row wrap",
                                                          display="none"))
        self.end_nav.add_class("mslbp-nav")
        self.end_nav.add_class("mslbp-end-nav")
        self.summary_button.on_click(lambda _b: self.show_summary())
        self.mechanism.observe(lambda _c: self._other_filter_changed(), names="value")
        self.difficulty.observe(lambda _c: self._other_filter_changed(), names="value")
        self.case_type.observe(lambda _c: None if self._updating_kinds else self.apply_filters(), names="value")
        self.case_box = widgets.VBox(layout=WIDE)
        self.summary = widgets.VBox(layout=WIDE)
        self.summary.add_class("mslbp-summary")
        self.accuracy_text = widgets.HTML(layout=WIDE)
        self.calibration_text = widgets.HTML(layout=WIDE)
        self.accuracy_figure: go.Figure | None = None
        self.calibration_figure: go.Figure | None = None
        self.summary_heading = widgets.HTML(layout=WIDE)
        self.accuracy_view, self.calibration_view = FigureView(), FigureView()
        self._summary_shown: LearnerSummary | None = None
        self.scenario: CaseScenario | None = None
        self.filtered: list[Case] = []
        self.index = 0
        # Previous, position, Next: the buttons keep their whole label; on a phone the row wraps.
        self.nav = widgets.HBox([self.previous_button, self.position, self.next_button],
                                layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        self.nav.add_class("mslbp-nav")
        intro = widgets.HTML("<p>Choose which cases to practise, then work through them one at a time. Each case "
                             "is synthetic (invented for teaching).</p>")
        super().__init__([
            intro,
            widgets.HBox([self.mechanism, self.case_type, self.difficulty],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.nav,
            self.case_box,
            widgets.HBox([self.summary_button]),
            self.summary,
            self.controls,
        ], layout=WIDE)
        self.add_class("mslbp-case-bank")
        self.apply_filters()

    # ------------------------------------------------------------ navigation

    def _matches(self, case: Case, kind: str | None = None, use_kind: bool = True) -> bool:
        mech = self.mechanism.value or None
        diff = self.difficulty.value or None
        kind = (self.case_type.value or None) if use_kind else kind
        return ((mech is None or mech in case.mechanisms) and (diff is None or case.difficulty == diff)
                and (kind is None or case.scenario == kind))

    def _kind_options(self) -> list[tuple[str, str]]:
        """The Kind of case menu: each kind with its number of cases under the mechanism and difficulty chosen;
        kinds with none are left out, except the kind chosen (shown with 0, so the menu does not jump)."""
        mech_diff = [c for c in self.cases if self._matches(c, None, use_kind=False)]
        counts = Counter(c.scenario for c in mech_diff if c.scenario)
        chosen = self.case_type.value
        return [("All kinds of case", "")] + [(f"{self.type_labels.get(s, s)} ({counts[s]})", s)
                                              for s in self.kinds if counts[s] or s == chosen]

    def _other_filter_changed(self) -> None:
        """Mechanism or difficulty changed: recount the kinds of case, keep the chosen kind, show the list."""
        chosen = self.case_type.value
        self._updating_kinds = True
        try:
            self.case_type.options = self._kind_options()
            self.case_type.value = chosen
        finally:
            self._updating_kinds = False
        self.apply_filters()

    def _next_case(self, clicked: widgets.Button | None = None) -> None:
        """The next case of the list (the "Next case" buttons above and under the case). From the button under
        the case, which goes away with the case, keyboard focus moves to the one above the new case."""
        self.go(self.index + 1)
        if clicked is self.end_next_button:
            focus(self.next_button if not self.next_button.disabled else self.previous_button)

    def _restart(self, _clicked: widgets.Button | None = None) -> None:
        """This case again from its first stage (the button under a finished case); focus on its first control."""
        self.go(self.index)
        focus(self.scenario.current.first_control())

    def apply_filters(self) -> None:
        """Rebuild the list from the filters and show its first case."""
        self.filtered = [c for c in self.cases if self._matches(c)]
        self.go(0)

    def go(self, index: int) -> None:
        """Show case number ``index`` (0-based) of the filtered list."""
        n = len(self.filtered)
        if n == 0:
            self.index = 0
            self.scenario = None
            self.case_box.children = (widgets.HTML(
                "<p><strong>No case matches these filters.</strong> Choose “All mechanisms”, “All kinds of case” or "
                "“All levels”.</p>"),)
            self.position.value = "<p style='margin:0 12px'><strong>No cases</strong></p>"
            self.previous_button.disabled = self.next_button.disabled = True
            self.end_nav.layout.display = "none"
            return
        self.index = max(0, min(index, n - 1))
        case = self.filtered[self.index]
        self.scenario = CaseScenario(case, self.progress if self.progress is not None else False,
                                     on_record=self._recorded, on_finish=self._finished)
        self.end_nav.layout.display = "none"  # shown once the case is finished
        self.case_box.children = (self.scenario, self.end_nav)
        self._show_position()
        self.previous_button.disabled = self.index == 0
        self.next_button.disabled = self.end_next_button.disabled = self.index == n - 1

    def answered_case_ids(self) -> set[str]:
        """Ids of the cases the learner has answered at least one question of (saved or loaded attempts)."""
        return {a.case_id for a in self.progress.attempts()} if self.progress is not None else set()

    def _show_position(self) -> None:
        if not self.filtered:
            return
        answered = self.answered_case_ids()
        done = sum(1 for c in self.filtered if c.id in answered)
        case = self.filtered[self.index]
        this = " · you have answered this case" if case.id in answered else ""
        low, high = minutes(case)
        took = f"about {low} minutes" if low == high else f"about {low} to {high} minutes"
        self.position.value = (f"<p style='margin:0 12px'><strong>Case {self.index + 1} of {len(self.filtered)}"
                               f"</strong> · {took}{this} · {done} of {len(self.filtered)} answered</p>")
        self.end_position.value = self.position.value

    def _loaded(self) -> None:
        """An earlier download was loaded, or the learner became known or changed: update the case's status, the
        answered marks and the summary."""
        if self.scenario is not None:
            self.scenario._show_warnings()
        self._show_position()
        if self.summary.children:
            self.show_summary()

    def _recorded(self, attempt: Attempt) -> None:
        self._show_position()
        self.controls.recorded()
        if self.summary.children and self._first_try(attempt):
            self.show_summary()

    def _first_try(self, attempt: Attempt) -> bool:
        """Whether ``attempt`` is the learner's first at its question: only then can the summary (first tries)
        change, so a second try recomputes nothing."""
        key = (attempt.case_id, attempt.question_id)
        return not any((a.case_id, a.question_id) == key and a.attempt_id != attempt.attempt_id
                       for a in (self.progress.attempts() if self.progress is not None else ()))

    def _finished(self, _case: Case) -> None:
        self._show_position()
        self.end_nav.layout.display = ""
        if self.index == len(self.filtered) - 1:
            self.show_summary()

    # ------------------------------------------------------------ summary

    def mechanisms_of_case(self) -> dict[str, tuple[str, ...]]:
        """Case id -> mechanism ids, for every case of the bank."""
        return {c.id: c.mechanisms for c in self.cases}

    def show_summary(self) -> None:
        """Show the two charts of the learner's first tries, each with its text alternative. The charts are drawn
        again only when what they show has changed (a second try, for example, changes nothing)."""
        attempts = self.progress.attempts() if self.progress is not None else []
        summary = summarise(attempts, self.mechanisms_of_case())
        if summary == self._summary_shown and self.summary.children:
            return
        self._summary_shown = summary
        from ..charts.learner import accuracy_by_mechanism_figure, confidence_calibration_figure  # plotly: on demand

        acc_fig, acc_text = accuracy_by_mechanism_figure(summary.by_mechanism, self.labels)
        cal_fig, cal_text = confidence_calibration_figure(summary.by_confidence, unrated=summary.unrated)
        self.accuracy_view.show(acc_fig)
        self.calibration_view.show(cal_fig)
        self.accuracy_figure, self.calibration_figure = acc_fig, cal_fig
        self.accuracy_text.value = text_alternative_html(acc_text)
        self.calibration_text.value = text_alternative_html(cal_text)
        n = summary.questions
        self.summary_heading.value = (
            f"<h4>Your summary</h4><p>{n} question{'s' if n != 1 else ''} answered, counted at your first try (later "
            "tries follow the feedback, so they are not counted).</p>")
        self.summary.children = (self.summary_heading, self.accuracy_view, self.accuracy_text, self.calibration_view,
                                 self.calibration_text)
