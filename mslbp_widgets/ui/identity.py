"""The learner's identity in the browser (:class:`LearnerIdentity`) and the progress of a widget tree
(:func:`resolve_progress`). Why the identity lives in the browser: :mod:`mslbp_widgets.logic.identity`."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import traitlets

from ..logic.errors import ProgressFileError
from ..logic.identity import LearnerProgress, is_learner_id, learner_registry
from ..logic.paths import BROWSER_MODE, progress_file, progress_mode
from ..logic.progress import ProgressLog
from .accessible import ScriptWidget

__all__ = ["LearnerIdentity", "ResolvedProgress", "resolve_progress", "shared_log"]

_logs: dict[Path, ProgressLog] = {}


def shared_log() -> ProgressLog:
    """The kernel's log of the one progress file of file or hub mode (``paths.progress_file()``; one per path, so
    every widget sees the same attempts). If that file cannot be used at all, a log kept in memory for this session
    (its reason in ``warnings``), so answers can still be downloaded. Not for browser mode, where each learner has
    a file of their own (:func:`resolve_progress`)."""
    path = progress_file()
    if path not in _logs:
        try:
            _logs[path] = ProgressLog(path)
        except ProgressFileError as exc:  # a folder, an unreadable file: keep this session's answers in memory
            _logs[path] = ProgressLog.in_memory(path, str(exc))
    return _logs[path]


class LearnerIdentity(ScriptWidget):
    """An invisible widget that tells the kernel which learner this browser is.

    Its front end (``static/learner_identity.js``), when the widget is displayed, reads the learner id this
    browser keeps in ``localStorage`` (``mslbp-learner-id``), makes a random one the first time, and sets
    :attr:`learner_id`. Setting :attr:`learner_id` from the kernel makes the browser remember that id instead.
    Headless tests play the browser by setting the trait.
    """

    script = "learner_identity.js"
    #: The learner id of the browser that displays this widget ("" until it has said).
    learner_id = traitlets.Unicode("").tag(sync=True)


def bind(identity: LearnerIdentity, progress: LearnerProgress) -> None:
    """Wire an identity widget to the progress of its tree, both ways. Anything but a learner id from the browser
    is ignored (the tree keeps waiting, its attempts in memory)."""

    def told(change: dict) -> None:
        if is_learner_id(change["new"]):
            progress.connect(change["new"])

    def switched(learner_id: str) -> None:
        identity.learner_id = learner_id

    identity.observe(told, names="learner_id")
    progress.on_switch(switched)
    if is_learner_id(identity.learner_id):
        progress.connect(identity.learner_id)


class ResolvedProgress(NamedTuple):
    """Where a widget tree records: ``progress`` (None: nothing is recorded), the ``identity`` widget the tree must
    display (browser mode), and an ``error`` to show (progress cannot be used)."""

    progress: ProgressLog | LearnerProgress | None
    identity: LearnerIdentity | None
    error: str


def resolve_progress(progress: ProgressLog | LearnerProgress | None | bool) -> ResolvedProgress:
    """The progress of a new top-level widget. ``False``: no recording. A ProgressLog or LearnerProgress: that one
    (a widget inside a tree passes its tree's). None (or True): in browser mode a new :class:`LearnerProgress`
    with its :class:`LearnerIdentity`, which the widget displays; in file or hub mode the kernel's log of that one
    file."""
    if progress is False:
        return ResolvedProgress(None, None, "")
    if progress is None or progress is True:
        if progress_mode() == BROWSER_MODE:
            tree = LearnerProgress(learner_registry())
            identity = LearnerIdentity()
            bind(identity, tree)
            return ResolvedProgress(tree, identity, "")
        return ResolvedProgress(shared_log(), None, "")
    return ResolvedProgress(progress, None, "")
