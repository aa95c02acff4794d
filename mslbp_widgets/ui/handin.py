"""The "Hand in my answers" row of the progress controls: one click writes the learner's export to the hand-in
folder (``logic/handin.py`` decides and writes; this only wires the button and shows the outcome)."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..logic.handin import HandInError, hand_in, handin_dir
from ..logic.progress import ProgressLog
from .controls import WIDE, button
from .render import box, esc, notice


class HandInRow(widgets.VBox):
    """A "Hand in my answers" button and its status line.

    ``get_log`` is called at each click, so the hand-in always carries the learner's log (and learner id) as it is
    then. For tests: ``button`` (Button), ``status`` (HTML), ``last`` (the last :class:`~..logic.handin.HandIn`).
    """

    def __init__(self, get_log: Callable[[], ProgressLog | None]):
        self._get_log = get_log
        self.last = None
        folder = handin_dir()
        self.button = button("Hand in my answers",
                             "Copy your answers to your instructor's hand-in folder (you can hand in again later)")
        self.status = widgets.HTML(layout=WIDE)
        hint = ("Hand in when your instructor asks: it copies your answers to the class's hand-in folder, and handing "
                "in again replaces your earlier hand-in." if folder is not None else
                "Hand-in: this server has no hand-in folder; press the button to see how to hand in your answers.")
        self.hint = widgets.HTML(f"<p>{esc(hint)}</p>", layout=WIDE)
        self.button.on_click(lambda _b: self.hand_in())
        super().__init__([self.hint, widgets.HBox([self.button]), self.status], layout=WIDE)
        self.add_class("mslbp-handin")

    def hand_in(self):
        """Hand in now (what the button does); returns the HandIn, or None with the reason in ``status``."""
        log = self._get_log()
        if log is None:
            self.status.value = notice("Your answers cannot be read in this session, so nothing was handed in.",
                                       "Not handed in")
            return None
        if not getattr(log, "connected", True):  # a browser learner not known yet: never hand in under a stand-in id
            self.status.value = notice("Your progress is still connecting to this browser, so nothing was handed in. "
                                       "Try again in a moment.", "Not handed in yet")
            return None
        try:
            done = hand_in(log)
        except HandInError as exc:
            title = "How to hand in" if handin_dir() is None else "Not handed in"
            self.status.value = notice(str(exc), title)
            return None
        self.last = done
        n = done.n_attempts
        again = " It replaced your earlier hand-in." if done.replaced else ""
        self.status.value = box(
            f"<strong>✓ Handed in:</strong> {n} attempt{'s' if n != 1 else ''}, as <code>{esc(done.path.name)}</code> "
            f"in the hand-in folder ({esc(done.time)}).{again} You can hand in again at any time; your latest hand-in "
            "is the one your instructor sees.", "correct", "status")
        return done
