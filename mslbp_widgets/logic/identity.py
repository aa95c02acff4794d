"""Who the learner is, and which progress file is theirs: learner ids, the registry of per-learner logs, the
progress of one widget tree, and the rules for loading a download.

Why the identity lives in the browser
    On a shared Jupyter server (one Voila server for a room, or one JupyterLab that several people open), every
    kernel runs under the same operating-system account, so the account cannot tell learners apart. A browser can:
    each browser keeps a random learner id (32 hex digits, made with ``crypto.getRandomValues``) in its
    ``localStorage`` and tells the kernel through a small widget (``ui.identity.LearnerIdentity``), so a reload in
    the same browser finds the same learner, and two browsers are two learners. No name, no code to remember.

Identity per widget tree, not per kernel
    Two browsers that open the same notebook in JupyterLab share one kernel, but each runs the cells itself and gets
    its own widgets. So every top-level widget that records or shows progress holds a :class:`LearnerProgress`,
    told its learner by its own identity widget, and all the widgets of one learner in a kernel share one
    :class:`~mslbp_widgets.logic.progress.ProgressLog` through the :class:`LearnerRegistry`.

The three modes (``paths.progress_mode()``)
    * ``browser`` (the default): one file per learner, ``<learners folder>/<learner_id>.json``
      (``paths.learners_dir()``: ``$MSLBP_PROGRESS_DIR`` or ``~/.mslbp/learners``).
    * ``hub`` (``$JUPYTERHUB_USER`` set): each account is one learner, as before: the account's file
      ``~/.mslbp/attempts.json`` with its learner id, whatever the browser says.
    * ``file`` (``$MSLBP_PROGRESS_FILE`` set: tests, single-user setups): that one file, as before.

Before the browser has told the kernel (and in nbval, where there is no browser)
    Widgets work: attempts are kept in memory and written to the learner's file when the identity arrives; nothing
    is written to anybody's file before.

Loading a download (:func:`plan_import`)
    The download of the same learner id is merged (by ``attempt_id``: the same attempt twice counts once). A
    download of another learner id is never merged: the learner sees whose file it is (short id, number of
    attempts, dates) and chooses to continue as that learner (this browser then is that learner; the previous
    learner's file stays as it was) or to cancel (nothing changes).

The file of the course's earlier versions (:func:`earlier_progress`)
    Before per-learner files, progress went to ``~/.mslbp/attempts.json``. On a hub it stays the account's file.
    On any other server it is never adopted automatically, because the first browser to connect to a shared server
    may not be its owner's: it stays where it is, untouched, and is *offered* ("Continue with the answers saved on
    this computer before") in JupyterLab only, where whoever uses the server can read its files anyway. It is never
    offered in Voila, whose learners cannot run code (the instructor's old answers stay private there). Once a
    learner has continued with it (its learner has a file of their own), it is no longer offered.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .attempts import Attempt
from .errors import ExportFormatError, ProgressFileError
from .export_format import Export, parse_export
from .paths import BROWSER_MODE, PROGRESS_DIR_ENV, learners_dir, progress_file, progress_mode
from .progress import ProgressLog
from .records import Record

_LEARNER_ID = re.compile(r"[0-9a-f]{32}")
#: How many hex digits of a learner id are shown to people and used in download names.
SHORT = 8


def is_learner_id(value: object) -> bool:
    """True for a learner id: exactly 32 lowercase hex digits (what browsers make and files are named after)."""
    return isinstance(value, str) and _LEARNER_ID.fullmatch(value) is not None


def new_learner_id() -> str:
    """A fresh random learner id (128 bits)."""
    return secrets.token_hex(16)


def short_id(learner_id: str) -> str:
    """The first 8 hex digits of a learner id: what a learner sees, and what download names carry."""
    return learner_id[:SHORT]


def in_voila() -> bool:
    """True in a kernel started by Voila (it sets ``VOILA_KERNEL_ID`` or ``VOILA_BASE_URL``): a student view where
    learners cannot run code."""
    return bool(os.environ.get("VOILA_KERNEL_ID") or os.environ.get("VOILA_BASE_URL"))


# ------------------------------------------------------------------------------------------- the registry


class LearnerRegistry:
    """One :class:`ProgressLog` per learner file in ``folder`` (``<learner_id>.json``), shared by every widget of
    that learner in this kernel."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder).expanduser()
        self._logs: dict[str, ProgressLog] = {}

    def path_for(self, learner_id: str) -> Path:
        """The file of a learner. Raises ValueError for anything but a learner id (never a path of its choosing)."""
        if not is_learner_id(learner_id):
            raise ValueError(f"not a learner id (32 lowercase hex digits): {str(learner_id)[:40]!r}")
        return self.folder / f"{learner_id}.json"

    def has_file(self, learner_id: str) -> bool:
        """True when the learner has a file of their own here."""
        try:
            return self.path_for(learner_id).is_file()
        except OSError:
            return False

    def log_for(self, learner_id: str) -> ProgressLog:
        """The learner's log (read from their file at first use). A file that cannot be used at all gives a log kept
        in memory for this session, with the reason in its warnings."""
        path = self.path_for(learner_id)
        log = self._logs.get(learner_id)
        if log is None:
            try:
                log = ProgressLog(path, learner_id=learner_id)
            except ProgressFileError as exc:
                log = ProgressLog.in_memory(path, str(exc), learner_id=learner_id)
            self._logs[learner_id] = log
        return log


_registries: dict[Path, LearnerRegistry] = {}


def learner_registry(folder: str | os.PathLike[str] | None = None) -> LearnerRegistry:
    """The kernel's registry for ``folder`` (default ``paths.learners_dir()``)."""
    path = Path(folder).expanduser() if folder is not None else learners_dir()
    if path not in _registries:
        _registries[path] = LearnerRegistry(path)
    return _registries[path]


def keep_folder(log_path: Path) -> Path:
    """Where a single-file setup keeps the file of a learner it was handed over from: ``$MSLBP_PROGRESS_DIR`` if set,
    else ``learners/`` beside the progress file (``~/.mslbp/learners`` for a hub account)."""
    if os.environ.get(PROGRESS_DIR_ENV):
        return learners_dir()
    return log_path.parent / "learners"


# ------------------------------------------------------------------------------------------- one widget tree


def _waiting_log() -> ProgressLog:
    """Where a tree's attempts wait for their learner: in memory, under a provisional id it is bound to (so it can
    never take over a download's id and carry another learner's attempts into the real learner's file)."""
    return ProgressLog.in_memory(None, None, learner_id=new_learner_id())


class LearnerProgress:
    """The progress of the learner of one widget tree (browser mode).

    Until :meth:`connect` is told the learner id (by the tree's identity widget, or by a test setting its trait),
    attempts are kept in memory (:attr:`connected` is False); :meth:`connect` writes them to that learner's file.
    It offers the reading and recording interface of :class:`ProgressLog` (``learner_id``, ``attempts()``,
    ``record``, ``add``, ``export_json``…), always for the current learner. ``on_change(callback)``: called after
    the learner became known or changed.
    """

    def __init__(self, registry: LearnerRegistry | None = None) -> None:
        self.registry = registry if registry is not None else learner_registry()
        self._pending = _waiting_log()
        self._log: ProgressLog | None = None
        self._listeners: list[Callable[[], None]] = []
        self._switch_listeners: list[Callable[[str], None]] = []

    # ---------------------------------------------------------------- the learner

    @property
    def connected(self) -> bool:
        """True once the learner is known (their file is in use)."""
        return self._log is not None

    @property
    def log(self) -> ProgressLog:
        """The current learner's log, or the in-memory log of attempts made before the learner was known."""
        return self._log if self._log is not None else self._pending

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` whenever the learner becomes known or changes."""
        self._listeners.append(callback)

    def on_switch(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(learner_id)`` when this tree's learner is switched from the kernel (continue as another
        learner), so the browser can remember the new id."""
        self._switch_listeners.append(callback)

    def connect(self, learner_id: str) -> None:
        """The browser told us who the learner is. Attempts made before are written to their file (kept in memory
        with a warning if the file cannot be written). Raises ValueError for anything but a learner id."""
        log = self.registry.log_for(learner_id)
        if log is self._log:
            return
        pending = self._pending.attempts()
        if pending:
            try:
                log.merge_attempts(pending)
            except ProgressFileError:
                pass  # the log keeps them in memory and says why in its warnings
            self._pending = _waiting_log()
        self._log = log
        for callback in list(self._listeners):
            callback()

    def switch_to(self, export: Export) -> int:
        """Continue as the learner of ``export``: merge it into that learner's own file, make them this tree's
        learner and tell the browser. The previous learner's file is left as it is. Returns how many attempts were
        new to that learner."""
        target = self.registry.log_for(export.learner_id)
        added = len(target.merge_attempts(export.attempts))
        self.connect(export.learner_id)
        for callback in list(self._switch_listeners):
            callback(export.learner_id)
        return added

    # ---------------------------------------------------------------- the ProgressLog interface

    @property
    def learner_id(self) -> str:
        return self.log.learner_id

    @property
    def path(self) -> Path | None:
        return self.log.path

    @property
    def warnings(self) -> list[str]:
        return self.log.warnings

    @property
    def memory_only(self) -> bool:
        return self.log.memory_only

    def unsaved(self) -> int:
        return self.log.unsaved()

    def attempts(self) -> list[Attempt]:
        return self.log.attempts()

    def __len__(self) -> int:
        return len(self.log)

    def record(self, case_id: str, result: Any, stage_id: str | None = None) -> Attempt:
        return self.log.record(case_id, result, stage_id=stage_id)

    def add(self, case_id: str, question_id: str, selection: str | Iterable[str], verdict: str, score: float,
            confidence: int | None = None, *, stage_id: str | None = None, answer: tuple | None = None) -> Attempt:
        return self.log.add(case_id, question_id, selection, verdict, score, confidence, stage_id=stage_id,
                            answer=answer)

    def export_dict(self) -> dict[str, Any]:
        return self.log.export_dict()

    def export_json(self) -> str:
        return self.log.export_json()

    def export_csv(self) -> str:
        return self.log.export_csv()

    def import_export(self, data: str | bytes, source_name: str) -> int:
        return self.log.import_export(data, source_name)


def switch_learner(progress: ProgressLog | LearnerProgress, export: Export) -> int:
    """Continue as the learner of ``export`` (after the learner chose to): a tree's progress switches its browser to
    that learner; a single-file log is handed over, keeping the previous learner's attempts in a file of their own.
    Returns how many attempts were new to that learner."""
    if isinstance(progress, LearnerProgress):
        return progress.switch_to(export)
    return progress.switch_learner(export.learner_id, export.attempts, keep_folder(progress.path))


# ------------------------------------------------------------------------------------------- loading a download


class ExportSummary(Record):
    """Whose file a download is, in words a learner can check: short id, number of attempts, first and last day."""

    learner_id: str
    attempts: int
    first_day: str | None
    last_day: str | None

    @property
    def short(self) -> str:
        return short_id(self.learner_id)

    def describe(self) -> str:
        """E.g. ``learner 3f9c2a1b: 14 attempts, from 2026-11-03 to 2026-11-21`` (plain text, to be escaped)."""
        n = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        if self.first_day is None:
            return f"learner {self.short}: no attempts"
        days = (f"on {self.first_day}" if self.first_day == self.last_day
                else f"from {self.first_day} to {self.last_day}")
        return f"learner {self.short}: {n}, {days}"


def summarise_export(export: Export) -> ExportSummary:
    """The :class:`ExportSummary` of a parsed download."""
    days = sorted(a.time[:10] for a in export.attempts)
    return ExportSummary(export.learner_id, len(export.attempts), days[0] if days else None,
                         days[-1] if days else None)


class ImportPlan(Record):
    """What loading a download means: ``own`` (the current learner's: merged at once) or ``other`` (another
    learner's: the learner chooses to continue as them, or to cancel)."""

    kind: str
    export: Export
    summary: ExportSummary
    source: str

    @property
    def own(self) -> bool:
        return self.kind == "own"


def plan_import(current_learner_id: str, data: str | bytes, source: str) -> ImportPlan:
    """Read a download (untrusted: ExportFormatError names the file and the field) and say whose it is."""
    export = parse_export(data, source)
    kind = "own" if export.learner_id == current_learner_id else "other"
    return ImportPlan(kind, export, summarise_export(export), source)


def earlier_progress(current_learner_id: str, registry: LearnerRegistry | None = None,
                     path: Path | None = None) -> ImportPlan | None:
    """The progress file of the course's earlier versions, offered to continue with (see the module docstring for
    why it is offered, never adopted): only in browser mode and outside Voila, only when it holds attempts of a
    learner who has no file of their own yet and is not the current learner. None otherwise (also when it cannot
    be read: it is then left alone)."""
    if progress_mode() != BROWSER_MODE or in_voila():
        return None
    registry = registry if registry is not None else learner_registry()
    path = path if path is not None else progress_file()
    try:
        if not path.is_file():
            return None
        plan = plan_import(current_learner_id, path.read_bytes(), "the answers saved on this computer before")
    except (OSError, ExportFormatError):
        return None
    if plan.own or not plan.export.attempts or registry.has_file(plan.export.learner_id):
        return None
    return plan
