"""One case (or check set) revealed stage by stage: :class:`StageView` (one stage: text, choices, confidence,
Check, feedback) and :class:`CaseScenario` (the case), with the notebook helpers :func:`show_case` and
:func:`check_understanding`.

The widgets only render and wire callbacks: the verdict comes from :func:`mslbp_widgets.logic.evaluate.evaluate`,
the attempt is stored by the learner's :class:`~mslbp_widgets.logic.progress.ProgressLog`, the HTML comes from
:mod:`mslbp_widgets.ui.render`. Every class here is an ``ipywidgets.VBox``: display the object itself. The options of
a question are one group named by the question (:class:`~mslbp_widgets.ui.accessible.ChoiceGroup`: one Tab stop,
arrow keys between radio buttons), the feedback is written into a polite live region
(:class:`~mslbp_widgets.ui.accessible.LiveHTML`), the other controls are standard ipywidgets (toggle buttons,
buttons with text); all are reachable with Tab and operated with Space/Enter/arrow keys, in reading order (choice,
confidence, Check, feedback, Why not the others?, Next stage).
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..logic.attempts import Attempt
from ..logic.cases import Case, Stage, get_case
from ..logic.cases.branching import branches, can_end_here, choice_words, endings, is_branch_point, next_index
from ..logic.cases.model import instruction
from ..logic.cases.qtypes import QTYPES
from ..logic.errors import ProgressFileError, SelectionError
from ..logic.evaluate import Result, evaluate, set_score
from ..logic.identity import LearnerProgress
from ..logic.progress import ProgressLog
from .accessible import ChoiceGroup, LiveHTML
from .controls import LABEL_STYLE, WIDE, button, focus, send_now
from .identity import resolve_progress
from .progress_controls import CONNECTING
from .qtypes import AnswerInput, answer_input
from .render import (
    all_options_html,
    box,
    citations_html,
    esc,
    inline_html,
    markdown_html,
    notice,
    result_html,
    stage_html,
    style_html,
)

__all__ = ["CONFIDENCE_PROMPT", "CaseScenario", "StageView", "check_understanding", "show_case"]

CONFIDENCE_PROMPT = "How sure are you? (1 = guessing, 5 = certain)"
CONFIDENCE_OPTIONS = [("1 (guessing)", 1), ("2", 2), ("3", 3), ("4", 4), ("5 (certain)", 5)]
SYNTHETIC_MARKER = "Synthetic case: invented for teaching, not a real patient."
DECIDES_NOTE = "Your first answer here decides what happens next."
SYNTHETIC_MARKER_CHECK = "Synthetic: any patient in these questions is invented for teaching."


class StageView(widgets.VBox):
    """One stage of a case: its text and, if it asks a question, the answer controls and feedback areas.

    Attributes for tests and callers: ``choices`` (a :class:`ChoiceGroup`: ``value`` is the chosen option id or
    None for a single-choice question, the ticked ids for a multiple-choice one), ``choice`` (the same group on a
    single-choice question, else None), ``answer_input`` (matching, ordering, numeric: see
    :mod:`mslbp_widgets.ui.qtypes`), ``confidence`` (ToggleButtons, value 1–5 or None),
    ``check_button``, ``why_button``, ``retry_button``, ``next_button``, ``message`` (prompts such as "choose an
    answer first") and ``feedback`` (:class:`LiveHTML`), ``why_not`` (HTML), ``result`` (the last :class:`Result`),
    ``decides_note`` (on a stage whose first answer decides the way on, ``decides``: a line saying so before the
    answer; else None).
    """

    def __init__(self, stage: Stage, number: int, total: int | None, on_check: Callable[[StageView, Result], None],
                 on_next: Callable[[StageView], None], last: bool, kind: str = "case", decides: bool = False):
        self.stage = stage
        self.question = stage.question
        self.result: Result | None = None
        self.first_result: Result | None = None  # the honest first try: a check set's score, a branching decision
        self._on_check = on_check
        self._kind = kind
        of = f" of {total}" if total else ""  # a branching case has no fixed length
        heading = f"{'Stage' if kind == 'case' else 'Question'} {number}{of}: {stage.title}"
        self.text = widgets.HTML(f"<h4>{esc(heading)}</h4>{stage_html(stage)}", layout=WIDE)
        children: list[widgets.Widget] = [self.text]
        self.choices: ChoiceGroup | None = None
        self.choice: ChoiceGroup | None = None
        self.answer_input: AnswerInput | None = None  # matching, ordering, numeric (ui/qtypes.py)
        self.confidence: widgets.ToggleButtons | None = None
        # The prompts and the feedback are announced (polite live regions); "Why not the others?" is asked for and
        # read where it appears, so it is plain HTML (each live region is one more widget model on the page).
        self.message = LiveHTML(layout=WIDE)
        self.feedback = LiveHTML(layout=WIDE)
        self.why_not = widgets.HTML(layout=WIDE)
        self.check_button = button("Check answer", "Check your answer and see feedback")
        self.why_button = button("Why not the others?", "Show the feedback for every option", disabled=True)
        self.retry_button = button("Try again", "Clear your choice and answer again", disabled=True)
        self.next_button = button("Next stage", "")
        self.set_last(last)
        self.next_button.on_click(lambda _b: on_next(self))
        #: On a stage whose answer decides where a branching case goes: which decision the case follows.
        self.branch_note = widgets.HTML(layout=WIDE)
        #: Before the answer, on such a stage (``decides``): that the first answer decides what happens next.
        self.decides_note: widgets.HTML | None = None
        q = self.question
        if q is not None:
            if decides:
                self.decides_note = widgets.HTML(f"<p><strong>{esc(DECIDES_NOTE)}</strong></p>", layout=WIDE)
                self.decides_note.add_class("mslbp-decides-note")
                children.append(self.decides_note)
            if q.type in QTYPES:  # matching, ordering, numeric: their own labelled controls (ui/qtypes.py)
                self.prompt = widgets.HTML(f"<p><strong>Question:</strong> {esc(q.prompt)}</p>", layout=WIDE)
                self.answer_input = answer_input(q)
                children += [self.prompt, self.answer_input]
            else:
                how = instruction(q.type, q.prompt)  # "" when the prompt already says it
                # The question names the group of options (aria-labelledby), so it is drawn by the group itself.
                self.choices = ChoiceGroup([(o.text, o.id) for o in q.display_options()],
                                           f"<p><strong>Question:</strong> {esc(q.prompt)}"
                                           f"{f' <em>({how})</em>' if how else ''}</p>",
                                           multiple=q.type == "multiple", layout=WIDE)
                self.choice = self.choices if q.type == "single" else None
                children.append(self.choices)
            self.confidence = widgets.ToggleButtons(
                options=CONFIDENCE_OPTIONS, value=None, description=CONFIDENCE_PROMPT, style=LABEL_STYLE,
                tooltips=["1: guessing", "2", "3", "4", "5: certain"],
            )
            children.append(self.confidence)
            self.check_button.on_click(lambda _b: self.check())
            self.why_button.on_click(lambda _b: self.show_why_not())
            self.retry_button.on_click(lambda _b: self.try_again())
            children += [
                widgets.HBox([self.check_button, self.retry_button]),
                self.message,
                self.feedback,
                widgets.HBox([self.why_button]),
                self.why_not,
                self.branch_note,
            ]
            self.next_button.disabled = True  # answer first; then move on
        children.append(widgets.HBox([self.next_button]))
        super().__init__(children, layout=widgets.Layout(padding="4px 10px", margin="6px 0"))
        self.add_class("mslbp-stage")  # its border (a theme colour) is in course.css

    def set_last(self, last: bool) -> None:
        """Word the Next button for the last stage ("Finish the case") or not ("Next stage"): in a branching case
        the answer can decide it."""
        if self._kind == "case":
            label = "Finish the case" if last else "Next stage"
            tip = "Show what happened next and the teaching point" if last else "Reveal the next part of the case"
        else:
            label = "Finish" if last else "Next question"
            tip = "Show the key point and where to go next" if last else "Go to the next question"
        self.next_button.description = label
        self.next_button.tooltip = tip

    # ------------------------------------------------------------ reading the controls

    def selection(self) -> tuple[str, ...]:
        """The option ids currently chosen."""
        return self.choices.selection() if self.choices is not None else ()

    def _choice_widgets(self) -> list[widgets.Widget]:
        return [self.choices] if self.choices is not None else []

    def first_control(self) -> widgets.Widget:
        """Where keyboard focus goes when this stage appears: the first choice, or Next stage if it asks nothing."""
        if self.answer_input is not None:
            return self.answer_input.first_control()
        controls = self._choice_widgets()
        return controls[0] if controls else self.next_button

    def _set_answer_enabled(self, enabled: bool) -> None:
        for w in self._choice_widgets():
            w.disabled = not enabled
        if self.answer_input is not None:
            self.answer_input.set_enabled(enabled)
        if self.confidence is not None:
            self.confidence.disabled = not enabled
        self.check_button.disabled = not enabled

    # ------------------------------------------------------------ actions

    def check(self) -> Result | None:
        """Evaluate the current choice (the "Check answer" button). Returns the Result, or None with a visible
        message if no answer or no confidence was chosen."""
        q = self.question
        if q is None:
            return None
        chosen = self.selection() if self.answer_input is None else self.answer_input.answer()
        if not chosen:
            self.message.value = notice("Choose an answer before checking.", "Not checked yet")
            return None
        if self.confidence is None or self.confidence.value is None:
            self.message.value = notice(f"Choose how sure you are first: {CONFIDENCE_PROMPT}.", "Not checked yet")
            return None
        try:
            result = evaluate(q, chosen, self.confidence.value)
        except SelectionError as exc:
            self.message.value = notice(str(exc), "Not checked")
            return None
        self.result = result
        if self.first_result is None:
            self.first_result = result
        self.message.value = ""
        self.feedback.value = result_html(result)
        send_now()  # the verdict first, before anything else the click changes
        self.why_not.value = ""
        self._set_answer_enabled(False)
        self.retry_button.disabled = False
        self.why_button.disabled = False
        self.next_button.disabled = False
        # Check answer has just disabled itself: keep a keyboard user's place on the natural next step.
        focus(self.next_button if result.verdict == "correct" else self.retry_button)
        send_now()  # the buttons' new states too, before the answer is saved (a write and two fsyncs)
        self._on_check(self, result)
        return result

    def show_why_not(self) -> None:
        """Show every option with its status in words and its feedback (the "Why not the others?" button)."""
        if self.result is None:
            self.why_not.value = notice("Check an answer first.", "Nothing to explain yet")
            return
        self.why_not.value = all_options_html(self.result)

    def try_again(self) -> None:
        """Clear the choice and the feedback so the learner can answer again (the "Try again" button)."""
        if self.choices is not None:
            self.choices.clear()
        if self.answer_input is not None:
            self.answer_input.clear()
        self.feedback.value = ""
        self.why_not.value = ""
        self.message.value = ""
        self._set_answer_enabled(True)
        self.retry_button.disabled = True
        self.why_button.disabled = True
        focus(self.first_control())

    def freeze(self) -> None:
        """Disable every control (the learner has moved on to the next stage); the text and feedback stay."""
        self._set_answer_enabled(False)
        for b in (self.retry_button, self.why_button, self.next_button):
            b.disabled = True


class CaseScenario(widgets.VBox):
    """One case (or check set), revealed stage by stage. Display the object itself.

    ``progress``: where attempts are recorded (default: the learner of the browser that shows it, told by its
    ``identity`` widget; in a single-file setup that file; see :func:`mslbp_widgets.ui.identity.resolve_progress`;
    pass ``False`` to record nothing). ``on_record(attempt)`` and ``on_finish(case)`` are optional callbacks (the
    case bank uses them). ``compact`` makes a smaller header for check-your-understanding sets.

    For tests: ``stage_views`` (list of :class:`StageView`, one per revealed stage), ``current`` (the last one),
    ``status`` (HTML: saving problems), ``end`` (HTML: next step, teaching point and references once finished),
    ``finished``, ``path`` (the ids of the stages revealed, in order).

    A branching case (:mod:`mslbp_widgets.logic.cases.branching`) follows the learner's **first** checked answer
    at each stage: that decision is what the patient's course depends on, as in a real consultation, and what the
    export and the class tally count; "Try again" still shows the other options' feedback, but does not change the
    path. Once the case ends, ``what_if_button`` ("What would have happened?") fills ``what_if`` with the branches
    not taken.
    """

    def __init__(self, case: Case, progress: ProgressLog | LearnerProgress | None | bool = None, *,
                 on_record: Callable[[Attempt], None] | None = None,
                 on_finish: Callable[[Case], None] | None = None, compact: bool = False):
        self.case = case
        self.progress, self.identity, error = resolve_progress(progress)
        self._on_record = on_record
        self._on_finish = on_finish
        self.compact = compact
        self.finished = False
        level = "h4" if compact else "h3"
        marker = ("<p class='mslbp-synthetic'>"
                  f"<strong>{esc(SYNTHETIC_MARKER_CHECK if case.kind == 'check' else SYNTHETIC_MARKER)}</strong></p>")
        tags = ""
        if not compact and case.kind == "case":
            tags = (f"<p><em>Difficulty: {esc(case.difficulty)}"
                    f"{' · includes a red flag' if case.red_flag else ''}</em></p>")
        self.header = widgets.HTML(
            f"{style_html()}<{level}>{esc(case.title)}</{level}>{marker}{tags}{markdown_html(case.summary)}",
            layout=WIDE,
        )
        self.status = widgets.HTML(layout=WIDE)  # its notices carry role=status
        self.stages_box = widgets.VBox()
        self.end = widgets.HTML(layout=WIDE)
        self.end.add_class("mslbp-case-end")
        self.what_if_button = button("What would have happened?",
                                     "Show where the choices you did not make would have led")
        self.what_if_button.on_click(lambda _b: self.show_what_if())
        self.what_if = widgets.HTML(layout=WIDE)
        self.what_if_box = widgets.VBox([widgets.HBox([self.what_if_button]), self.what_if],
                                        layout=widgets.Layout(display="none"))
        self.stage_views: list[StageView] = []
        self._indices: list[int] = []
        children: list[widgets.Widget] = [self.header, self.status, self.stages_box, self.end, self.what_if_box]
        if self.identity is not None:  # this case is a tree of its own: it learns its learner from the browser
            children.append(self.identity)
            self.progress.on_change(self._show_warnings)
        super().__init__(children, layout=WIDE)
        self.add_class("mslbp-case")
        if error:
            self.status.value = notice(error, "Your answers will not be saved")
        else:
            self._show_warnings()
        self._reveal(0)

    def _show_warnings(self, extra: str = "") -> None:
        """Show saving problems, and "Connecting your progress…" until the browser has said who the learner is."""
        warnings = self.progress.warnings if self.progress is not None else []
        waiting = ""
        if isinstance(self.progress, LearnerProgress) and not self.progress.connected:
            waiting = f"<p class='mslbp-connecting'><em>{esc(CONNECTING)}</em></p>"
        self.status.value = extra + waiting + "".join(notice(w, "About your saved progress") for w in warnings)

    @property
    def current(self) -> StageView:
        """The stage the learner is on (the last one revealed)."""
        return self.stage_views[-1]

    @property
    def path(self) -> list[str]:
        """The ids of the stages revealed so far, in order (in a branching case, the path the learner took)."""
        return [self.case.stages[i].id for i in self._indices]

    def _reveal(self, index: int) -> None:
        case = self.case
        if case.branching:
            number, total = len(self.stage_views) + 1, None
            last = can_end_here(case, index) and not is_branch_point(case, index)
        else:
            number, total = index + 1, len(case.stages)
            last = index == total - 1
        view = StageView(case.stages[index], number, total, self._checked, self._next, last=last, kind=case.kind,
                         decides=case.branching and is_branch_point(case, index))
        self.stage_views.append(view)
        self._indices.append(index)
        self.stages_box.children = tuple(self.stage_views)
        if index > 0:  # not on first display: the learner pressed Next stage
            focus(view.first_control())

    def _checked(self, view: StageView, result: Result) -> None:
        index = self._indices[self.stage_views.index(view)]
        if self.case.branching and result is view.first_result:
            self._decided(view, index, result)
        if self.progress is None:
            return
        try:
            attempt = self.progress.record(self.case.id, result, stage_id=view.stage.id)
        except ProgressFileError:
            # The log keeps the attempt in memory and adds the reason (path, MSLBP_PROGRESS_FILE) to its warnings.
            self._show_warnings(notice("Your answer was checked but could not be saved to a file.", "Not saved"))
            return
        except ValueError as exc:  # an id the export format cannot hold: a case-authoring problem
            self._show_warnings(notice(f"Your answer was checked but could not be saved: {exc}", "Not saved"))
            return
        self._show_warnings()
        if self._on_record is not None:
            self._on_record(attempt)

    def _decided(self, view: StageView, index: int, result: Result) -> None:
        """The learner's first answer at a stage of a branching case: it decides the way on."""
        target = next_index(self.case, index, result.selection)
        view.set_last(target is None)
        if is_branch_point(self.case, index):
            texts = "; ".join(f"“{fb.option.text}”" for fb in result.chosen)
            view.branch_note.value = box(
                f"<p><strong>Your decision:</strong> {esc(texts)}. The case goes on from this first decision: you "
                "can try again to read the other options' feedback, but the patient's course does not change. At "
                "the end, “What would have happened?” shows where the other choices lead.</p>", "info", "status")

    def _next(self, view: StageView) -> None:
        view.freeze()
        position = self.stage_views.index(view)
        index = self._indices[position]
        chosen = view.first_result.selection if view.first_result is not None else ()
        target = next_index(self.case, index, chosen) if self.case.branching else (
            index + 1 if index + 1 < len(self.case.stages) else None)
        if target is not None:
            self._reveal(target)
        else:
            self._finish()

    def _finish(self) -> None:
        c = self.case
        if c.kind == "case":
            parts = ["<h4>What happened next</h4>", markdown_html(c.next_step)]
            point = "Teaching point of the case"
        else:
            score = set_score(c.stages, {v.question.id: v.first_result for v in self.stage_views
                                            if v.question is not None and v.first_result is not None})
            parts = [f"<h4>Done: {esc(str(score))}</h4>"]
            if score.revisit:
                parts.append("<p>Worth another look:</p><ul>"
                             + "".join(f"<li>{esc(prompt)}</li>" for prompt in score.revisit) + "</ul>")
            parts += ["<h4>Where to go next</h4>", markdown_html(c.next_step)]
            point = "Key point"
        if c.teaching_point:
            parts += [f"<p><strong>{point}:</strong> ", inline_html(c.teaching_point), "</p>"]
        refs = citations_html(c.references)
        if refs:
            parts += ["<details open>" if not self.compact else "<details>",
                      "<summary><strong>References</strong></summary>", refs, "</details>"]
        self.end.value = box("".join(parts), "info")
        self.finished = True
        if c.branching and self._not_taken():
            self.what_if_box.layout.display = ""
        if self._on_finish is not None:
            self._on_finish(c)


    def _not_taken(self) -> list[tuple[int, list]]:
        """For each stage of the path where the answer decided the way on: the branches the learner did not take."""
        out = []
        for position, index in enumerate(self._indices):
            if not is_branch_point(self.case, index):
                continue
            taken = self._indices[position + 1] if position + 1 < len(self._indices) else None
            others = [b for b in branches(self.case, index) if b.target != taken]
            if others:
                out.append((index, others))
        return out

    def show_what_if(self) -> None:
        """Show where the choices not made would have led (the "What would have happened?" button): for each
        decision on the learner's path, each other way on, the stage it leads to and how that path can end."""
        case = self.case
        parts = ["<h4>What would have happened</h4>"]
        for index, others in self._not_taken():
            parts.append(f"<p><strong>At “{esc(case.stages[index].title)}”</strong></p><ul>")
            for b in others:
                parts.append(f"<li><p>If {esc(choice_words(case, index, b, letters=False))}:</p>")
                if b.target is None:
                    parts.append("<p>the case would have ended there.</p></li>")
                    continue
                stage = case.stages[b.target]
                parts.append(f"<p><strong>{esc(stage.title)}</strong></p>{stage_html(stage)}")
                ends = [i for i in endings(case, b.target) if i != b.target]
                if ends:
                    parts.append("<p>From there the case could end with:</p><ul>")
                    parts += [f"<li><strong>{esc(case.stages[i].title)}</strong>: {inline_html(case.stages[i].text)}"
                              "</li>" for i in ends]
                    parts.append("</ul>")
                parts.append("</li>")
            parts.append("</ul>")
        self.what_if.value = box("".join(parts), "info")


def show_case(case_id: str, progress: ProgressLog | LearnerProgress | None = None) -> CaseScenario:
    """One case of the bank (or a check set) by id, as a widget: ``show_case("lhermitte-shock-on-neck-flexion")``."""
    return CaseScenario(get_case(case_id), progress)


def check_understanding(check_id: str, progress: ProgressLog | LearnerProgress | None = None) -> CaseScenario:
    """A notebook's check-your-understanding set (``data/checks``), in the compact form of the case widget."""
    return CaseScenario(get_case(check_id), progress, compact=True)

