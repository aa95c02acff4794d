"""The answer controls and feedback of matching, ordering and numeric questions, used by the case widget
(:class:`mslbp_widgets.ui.case.StageView`) and presenter mode. Widgets only render and wire callbacks: the verdict
comes from :func:`mslbp_widgets.logic.evaluate.evaluate` (:mod:`mslbp_widgets.logic.qtype_scoring`).

Keyboard and screen readers: every control is a standard, labelled ipywidgets control reached with Tab.

matching    a radio grid: one row of radio buttons per item, headed by the item's text, one button per category
            (each button labelled with its category). Tab reaches every button, Space chooses it.
ordering    the steps as a numbered list; each step has "Move up" and "Move down" buttons (words, no icons; the
            tooltip names the step). After a move, keyboard focus follows the step and a status line (announced,
            ``role="status"``) says where it went.
numeric     a text box labelled "Your answer (<unit>)" whose placeholder says what to type; a typed value that is
            not allowed gets a message at once, and Check refuses it with the same message.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..logic.cases.model import Question
from ..logic.cases.qtypes import BAND_STATUS, HOW_TO_ANSWER, MatchingQuestion, NumericQuestion, OrderingQuestion
from ..logic.errors import SelectionError
from ..logic.evaluate import Result
from .controls import LABEL_STYLE, WIDE, button, focus
from .render import VERDICT_SYMBOL, box, esc, inline_html


class AnswerInput(widgets.VBox):
    """What the case widget needs of a question type's controls."""

    question: Question

    def answer(self) -> Any:
        """The answer for :func:`evaluate`, or None when nothing was given yet."""
        raise NotImplementedError

    def controls(self) -> list[widgets.Widget]:
        """Every control, in reading (Tab) order: disabled after Check, the first one focused."""
        raise NotImplementedError

    def clear(self) -> None:
        """Ready for another try ("Try again")."""

    def set_enabled(self, enabled: bool) -> None:
        """Enable or disable every control (disabled once the answer is checked)."""
        for w in self.controls():
            w.disabled = not enabled

    def first_control(self) -> widgets.Widget:
        """Where keyboard focus goes when the stage appears: the first control that is enabled."""
        controls = self.controls()
        return next((w for w in controls if not w.disabled), controls[0])


class MatchingInput(AnswerInput):
    """A radio grid: one row of radio buttons per item (in the order learners see the items), one button per category.

    Not one dropdown per item: in JupyterLab's command mode the arrow keys belong to the notebook (a ``<select>`` is
    not an editable element, so Lab's shortcuts take them), and a dropdown could not be changed with the keyboard
    there. Radio buttons are chosen with Tab and Space in Lab and Voila alike. ``radios``: item id -> RadioButtons
    (value: category id, or None while unchosen); each row is described by the item's text, shown above its
    buttons."""

    def __init__(self, q: MatchingQuestion):
        self.question = q
        options = [(c.text, c.id) for c in q.categories]
        self.radios: dict[str, widgets.RadioButtons] = {}
        rows: list[widgets.Widget] = [widgets.HTML(f"<p>Your answer ({esc(HOW_TO_ANSWER['matching'])}):</p>")]
        for n, item in enumerate(q.display_items(), start=1):
            rb = widgets.RadioButtons(options=options, value=None, description=f"{n}. {item.text}",
                                      orientation="horizontal", style=LABEL_STYLE, layout=WIDE)
            rb.add_class("mslbp-match-row")
            self.radios[item.id] = rb
            rows.append(rb)
        super().__init__(rows, layout=WIDE)
        self.add_class("mslbp-matching")

    def answer(self) -> dict[str, str] | None:
        chosen = {i: r.value or "" for i, r in self.radios.items()}
        return chosen if any(chosen.values()) else None

    def controls(self) -> list[widgets.Widget]:
        return list(self.radios.values())

    def clear(self) -> None:
        for r in self.radios.values():
            r.value = None


class OrderingInput(AnswerInput):
    """The steps as a numbered list with "Move up" / "Move down" buttons; starts in ``question.start_order()``.

    ``order`` (step ids, top first), ``rows`` (one HBox per position: ``labels[i]``, ``up[i]``, ``down[i]``),
    ``status`` (what the last move did, announced to screen readers). :meth:`move` is what the buttons call."""

    def __init__(self, q: OrderingQuestion):
        self.question = q
        self.order: list[str] = [s.id for s in q.start_order()]
        n = len(self.order)
        self.labels = [widgets.HTML(layout=widgets.Layout(flex="1 1 auto")) for _ in range(n)]
        self.up = [button("Move up", "") for _ in range(n)]
        self.down = [button("Move down", "") for _ in range(n)]
        for i in range(n):
            self.up[i].on_click(lambda _b, i=i: self.move(i, -1))
            self.down[i].on_click(lambda _b, i=i: self.move(i, +1))
        self.rows = [widgets.HBox([self.labels[i], self.up[i], self.down[i]], layout=WIDE) for i in range(n)]
        for row in self.rows:
            row.add_class("mslbp-order-row")  # course.css: on a narrow screen the buttons wrap under the text
        self.status = widgets.HTML(layout=WIDE)
        intro = widgets.HTML(f"<p>Your answer ({esc(HOW_TO_ANSWER['ordering'])}: first at the top; each step has "
                             "<em>Move up</em> and <em>Move down</em> buttons):</p>")
        super().__init__([intro, *self.rows, self.status], layout=WIDE)
        self.add_class("mslbp-ordering")
        self._enabled = True
        self._draw()

    def _draw(self) -> None:
        n = len(self.order)
        for i, step_id in enumerate(self.order):
            text = self.question.step(step_id).text
            self.labels[i].value = f"<p class='mslbp-order-step'><strong>{i + 1}.</strong> {esc(text)}</p>"
            self.up[i].tooltip = f"Move “{text}” up one place"
            self.down[i].tooltip = f"Move “{text}” down one place"
            self.up[i].disabled = not self._enabled or i == 0
            self.down[i].disabled = not self._enabled or i == n - 1

    def move(self, index: int, step: int) -> None:
        """Move the step at ``index`` one place up (``step`` -1) or down (+1); focus follows it."""
        target = index + step
        if not 0 <= target < len(self.order):
            return
        self.order[index], self.order[target] = self.order[target], self.order[index]
        self._draw()
        text = self.question.step(self.order[target]).text
        where = "up" if step < 0 else "down"
        self.status.value = (f"<p role='status'>“{esc(text)}” moved {where} to position {target + 1} of "
                             f"{len(self.order)}.</p>")
        same = (self.up if step < 0 else self.down)[target]
        focus(same if not same.disabled else (self.down if step < 0 else self.up)[target])

    def answer(self) -> tuple[str, ...]:
        return tuple(self.order)

    def controls(self) -> list[widgets.Widget]:
        return [b for i in range(len(self.order)) for b in (self.up[i], self.down[i])]

    def set_enabled(self, enabled: bool) -> None:
        self._enabled = enabled
        self._draw()

    def clear(self) -> None:
        """"Try again" keeps the order, so the learner can fix what was out of place."""
        self.status.value = ""


class NumericInput(AnswerInput):
    """A text box labelled "Your answer (<unit>)" (the unit shown once, in the label); ``hint`` shows at once why a
    typed value is not allowed."""

    def __init__(self, q: NumericQuestion):
        self.question = q
        label = f"Your answer ({q.unit})" if q.unit else "Your answer"
        self.text = widgets.Text(value="", description=label, placeholder=q.range_words(), style=LABEL_STYLE,
                                 continuous_update=True, layout=widgets.Layout(width="auto"))
        self.hint = widgets.HTML(f"<p>Write {esc(q.range_words())}.</p>", layout=WIDE)
        self.text.observe(self._validate, names="value")
        super().__init__([self.text, self.hint], layout=WIDE)
        self.add_class("mslbp-numeric")

    def _validate(self, _change: Any = None) -> None:
        if not self.text.value.strip():
            self.hint.value = f"<p>Write {esc(self.question.range_words())}.</p>"
            return
        try:
            self.question.parse(self.text.value)
        except SelectionError as exc:
            self.hint.value = f"<p role='status'><strong>⚠ Not a value this question allows:</strong> {esc(exc)}</p>"
        else:
            self.hint.value = ""

    def answer(self) -> str | None:
        return self.text.value if self.text.value.strip() else None

    def controls(self) -> list[widgets.Widget]:
        return [self.text]

    def clear(self) -> None:
        self.text.value = ""


def answer_input(q: Question) -> AnswerInput:
    """The controls for a matching, ordering or numeric question."""
    if isinstance(q, MatchingQuestion):
        return MatchingInput(q)
    if isinstance(q, OrderingQuestion):
        return OrderingInput(q)
    if isinstance(q, NumericQuestion):
        return NumericInput(q)
    raise TypeError(f"question {q.id!r} is not a matching, ordering or numeric question")


# ------------------------------------------------------------------------------------------------ feedback


def result_html(result: Result) -> str:
    """The feedback of a checked matching, ordering or numeric answer: the verdict in words, the score in words,
    every part of the answer with its status in words and its feedback (ordering: what is out of place), the
    teaching point."""
    parts = [f"<p style='font-size:1.1em'><strong>{esc(VERDICT_SYMBOL[result.verdict])} "
             f"{esc(result.verdict_label)}.</strong> {esc(result.score_words)}"]
    if result.confidence is not None:
        parts.append(f" You rated your confidence {result.confidence} of 5.")
    parts.append("</p>")
    kind = result.question_type
    if kind == "numeric":
        # The value is named once, in the verdict line; then the band's own feedback. The range itself shows only
        # for a correct answer and under "Why not the others?" (logic/qtype_scoring.py: a close or wrong answer
        # gets no key).
        parts.append(f"<p><strong>Feedback:</strong> {inline_html(result.items[0].feedback)}</p>")
    else:
        tag = "ol" if kind == "ordering" else "ul"
        rows = []
        for item in result.items:
            given = f": you chose “{esc(item.given)}”" if kind == "matching" else ""
            note = f" {esc(item.note)}" if item.note else ""
            rows.append(f"<li><strong>{esc(item.text)}</strong>{given} (<em>{esc(item.label)}</em>).{note} "
                        f"{inline_html(item.feedback)}</li>")
        heading = "Your order:" if kind == "ordering" else "Your answer:"
        parts.append(f"<p><strong>{heading}</strong></p><{tag}>{''.join(rows)}</{tag}>")
    parts.append(f"<p><strong>Teaching point:</strong> {inline_html(result.teaching_point)}</p>")
    return box("".join(parts), result.verdict, "status")


def all_items_html(result: Result) -> str:
    """"Why not the others?" for these types: every item with its category, the right order step by step, or every
    range with its status and feedback."""
    kind = result.question_type
    if kind == "matching":
        title = "Every item explained:"
        rows = [f"<li><strong>{esc(i.text)}</strong>: <em>{esc(i.expected)}</em>"
                f"{' (your choice)' if i.status == 'correct' else f' (you chose “{esc(i.given)}”)'}. "
                f"{inline_html(i.feedback)}</li>" for i in result.all_items]
        return box(f"<p><strong>{title}</strong></p><ul>{''.join(rows)}</ul>")
    if kind == "ordering":
        rows = [f"<li><strong>{esc(i.text)}</strong> (you put it at {esc(i.given)}). {inline_html(i.feedback)}</li>"
                for i in result.all_items]
        return box(f"<p><strong>The right order, step by step:</strong></p><ol>{''.join(rows)}</ol>")
    rows = [f"<li><strong>{esc(i.text)}</strong>{' (your answer)' if i.given else ''}: "
            f"<em>{esc(i.label)}</em>. {inline_html(i.feedback)}</li>" for i in result.all_items]
    accepted = next(i.text for i in result.all_items if i.status == "correct")
    return box(f"<p><strong>The accepted range:</strong> {esc(accepted)}.</p>"
               f"<p><strong>Every range explained:</strong></p><ul>{''.join(rows)}</ul>")


# ------------------------------------------------------------------------------------------------ presenter


def presenter_question_html(q: Question) -> str:
    """The question as the room sees it before the answer: matching items (numbered) and the categories; ordering
    steps lettered in the order learners first see them; numeric: what to give."""
    head = f"<p><strong>Question:</strong> {esc(q.prompt)} ({esc(HOW_TO_ANSWER[q.type])})</p>"
    if isinstance(q, MatchingQuestion):
        cats = "; ".join(esc(c.text) for c in q.categories)
        items = "".join(f"<li>{esc(i.text)}</li>" for i in q.display_items())
        return f"{head}<p><strong>Categories:</strong> {cats}</p><ol class='mslbp-options'>{items}</ol>"
    if isinstance(q, OrderingQuestion):
        steps = "".join(f"<li><strong>{letter}.</strong> {esc(s.text)}</li>"
                        for letter, s in zip("ABCDEFGHIJ", q.start_order(), strict=False))
        return f"{head}<ol class='mslbp-options' style='list-style:none;padding-left:0'>{steps}</ol>"
    if isinstance(q, NumericQuestion):
        return f"{head}<p>Answer: {esc(q.range_words())}.</p>"
    return head


def answer_key_html(q: Question) -> str:
    """The revealed answer: each item's category, the right order, or every range (the accepted one marked), each
    with its feedback; then the teaching point."""
    if isinstance(q, MatchingQuestion):
        rows = [f"<li class='mslbp-best'><strong>{esc(i.text)}</strong> → <strong>{esc(q.category(i.category).text)}"
                f"</strong><br>{inline_html(i.feedback)}</li>" for i in q.display_items()]
        body = f"<ul class='mslbp-answers'>{''.join(rows)}</ul>"
    elif isinstance(q, OrderingQuestion):
        letters = {s.id: letter for letter, s in zip("ABCDEFGHIJ", q.start_order(), strict=False)}
        rows = [f"<li><strong>{esc(s.text)}</strong> (shown as {letters[s.id]})<br>{inline_html(s.feedback)}</li>"
                for s in q.steps]
        body = f"<p><strong>The right order:</strong></p><ol class='mslbp-answers'>{''.join(rows)}</ol>"
    elif isinstance(q, NumericQuestion):
        rows = []
        for b in q.bands:
            cls = " class='mslbp-best'" if b.correct else ""
            rows.append(f"<li{cls}><strong>{esc(q.band_words(b))}</strong> (<em>{esc(BAND_STATUS[b.status])}</em>)"
                        f"<br>{inline_html(b.feedback)}</li>")
        body = f"<ul class='mslbp-answers' style='list-style:none;padding-left:0'>{''.join(rows)}</ul>"
    else:
        body = ""
    return f"<h3>Answer</h3>{body}<p><strong>Teaching point:</strong> {inline_html(q.teaching_point)}</p>"


def answer_key_text(q: Question) -> str:
    """The key on one line, for the facilitator notes: "item → category; …", "1. step; 2. step …", or the accepted
    range."""
    if isinstance(q, MatchingQuestion):
        return "; ".join(f"{i.text} → {q.category(i.category).text}" for i in q.display_items())
    if isinstance(q, OrderingQuestion):
        return "; ".join(f"{n}. {s.text}" for n, s in enumerate(q.steps, start=1))
    if isinstance(q, NumericQuestion):
        close = [q.band_words(b) for b in q.bands if b.acceptable]
        extra = f"; half marks: {', '.join(close)}" if close else ""
        return f"correct: {q.band_words(q.accepted)}{extra}"
    return ""


# ------------------------------------------------------------------------------------------------ class tally


def qtype_tally_html(q: Any) -> str:
    """Beside the chart of a matching, ordering or numeric question (a ``QuestionTally`` with ``details``): the
    item matched wrongly most often (and what it was put under), the most common orders, or the values given."""
    d, n = q.details, q.n_learners
    if not n:
        return "<p>No answers to this question in the loaded exports.</p>"
    unknown = (f"<p>{q.unknown.count} answer(s) did not fit the question (another version of the case?) and count as "
               "not correct.</p>") if q.unknown.count else ""
    if q.question_type == "matching":
        rows = [f"<li><strong>{esc(i.text)}</strong> ({esc(i.category)}): {i.n_right} of {n} right"
                + (f"; most often put under <em>{esc(i.top_wrong[0])}</em> ({i.top_wrong[1]})" if i.top_wrong else "")
                + "</li>" for i in sorted(d.items, key=lambda i: i.n_right)]
        return f"<p><strong>Items, hardest first</strong></p><ol>{''.join(rows)}</ol>{unknown}"
    if q.question_type == "ordering":
        rows = [f"<li>{' → '.join(esc(s) for s in order)}: {count} learner(s)"
                f"{' (the right order)' if order == d.right_order else ''}</li>" for order, count in d.orders[:3]]
        mean = "" if d.mean_score is None else (f"<p>On average {round(100 * d.mean_score)}% of the pairs of steps "
                                                "were in the right order.</p>")
        return f"<p><strong>Most common orders</strong></p><ol>{''.join(rows)}</ol>{mean}{unknown}"
    values = ", ".join(f"{v:g} ({c})" for v, c in d.values)
    median = "" if d.median is None else f"; median {d.median:g} {esc(d.unit)}"
    return f"<p><strong>Values given</strong> (learners): {esc(values)}{median}.</p>{unknown}"
