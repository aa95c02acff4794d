"""The learner's progress in a notebook: the kernel's shared log, and the controls to download it (JSON, CSV) and
load an earlier download to resume (:class:`ProgressControls`)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import ipywidgets as widgets

from ..logic.attempts import first_attempts
from ..logic.errors import ExportFormatError, ProgressFileError
from ..logic.export_format import download_name
from ..logic.limits import upload_note
from ..logic.paths import PROGRESS_FILE_ENV, progress_file
from ..logic.progress import ProgressLog
from .controls import WIDE
from .render import box, esc, notice

_logs: dict[Path, ProgressLog] = {}


def shared_log() -> ProgressLog:
    """The progress log of this kernel for ``paths.progress_file()`` (one per path, so every widget in a notebook
    sees the same attempts). If that file cannot be used at all, a log kept in memory for this session (its
    reason in ``warnings``), so answers can still be downloaded."""
    path = progress_file()
    if path not in _logs:
        try:
            _logs[path] = ProgressLog(path)
        except ProgressFileError as exc:  # a folder, an unreadable file: keep this session's answers in memory
            _logs[path] = ProgressLog.in_memory(path, str(exc))
    return _logs[path]


def resolve_progress(progress: ProgressLog | None | bool) -> tuple[ProgressLog | None, str]:
    """(log, error message): ``False`` means no recording; None the shared log (or its error, to be shown)."""
    if progress is False:
        return None, ""
    if progress is None or progress is True:
        try:
            return shared_log(), ""
        except ProgressFileError as exc:
            return None, str(exc)
    return progress, ""


class ProgressControls(widgets.VBox):
    """Download the learner's attempts (JSON, CSV) and load an earlier download to resume.

    The download links are HTML anchors with a ``data:`` URI and a ``download`` attribute, re-made by
    :meth:`refresh` after every recorded attempt. For tests: ``downloads`` (HTML), ``upload`` (FileUpload),
    ``upload_status`` and ``warnings`` (HTML); :meth:`load_download` is what the upload calls.
    """

    def __init__(self, progress: ProgressLog | None = None, on_change: Callable[[], None] | None = None):
        self._on_change = on_change
        self.warnings = widgets.HTML(layout=WIDE)
        self.progress, error = resolve_progress(progress)
        if error:
            self.warnings.value = notice(error, "Progress cannot be read")
        self.where = widgets.HTML(layout=WIDE)
        self.downloads = widgets.HTML(layout=WIDE)
        self.upload = widgets.FileUpload(accept=".json,application/json", multiple=False,
                                         description="Load an earlier download to resume",
                                         tooltip="Choose a JSON file from 'Download my attempts (JSON)'",
                                         layout=widgets.Layout(width="auto"))
        self.upload_limit = widgets.HTML(f"<p class='mslbp-upload-limit'>{esc(upload_note())}</p>", layout=WIDE)
        self.upload_status = widgets.HTML(layout=WIDE)
        self.upload.observe(self._uploaded, names="value")
        super().__init__([
            widgets.HTML("<h4>Your progress</h4>"), self.where, self.warnings, self.downloads,
            widgets.HBox([self.upload]), self.upload_limit, self.upload_status,
        ], layout=WIDE)
        self.add_class("mslbp-progress-controls")
        self.refresh()

    def refresh(self) -> None:
        """Re-make the download links and show any warning of the progress log."""
        log = self.progress
        if log is None:
            self.where.value = (f"<p>Your attempts cannot be saved in this session. Set {PROGRESS_FILE_ENV} to a "
                                "writable file and restart the kernel.</p>")
            self.downloads.value = ""
            return
        attempts = log.attempts()
        q, n = len(first_attempts(attempts)), len(attempts)
        counted = f"{q} question{'s' if q != 1 else ''} answered ({n} tr{'ies' if n != 1 else 'y'} in all)"
        if log.memory_only:
            self.where.value = (
                f"<p><strong>{counted}, kept in memory for this session only</strong>: "
                f"<code>{esc(log.path)}</code> cannot be used (see the note below). Download your attempts before "
                f"you close the notebook, or set <code>{PROGRESS_FILE_ENV}</code> to a file you can write to and "
                "restart the kernel, then load your download.</p>")
        elif (unsaved := log.unsaved()):
            held = "they are" if unsaved != 1 else "it is"
            self.where.value = (
                f"<p><strong>{counted}; {unsaved} of {'them' if n != 1 else 'it'} not saved</strong>: the last "
                f"save to <code>{esc(log.path)}</code> failed (see the note below), so {held} kept in memory for "
                "this session only. Download your attempts to keep them.</p>")
        else:
            said = (f"{counted}, saved in" if n else "No questions answered yet; your attempts will be saved in")
            self.where.value = (
                f"<p>{said} <code>{esc(log.path)}</code> (change the place with the environment "
                f"variable <code>{PROGRESS_FILE_ENV}</code>). On Binder this file disappears when the session ends: "
                "download your attempts to keep them. They hold no name, only a random learner id.</p>"
            )
        if log.warnings:
            self.warnings.value = "".join(notice(w, "About your saved progress") for w in log.warnings)
        now = datetime.now(timezone.utc)
        style = ("display:inline-block;border:1px solid #0969da;border-radius:4px;padding:4px 10px;"
                 "margin:2px 8px 2px 0;text-decoration:underline")
        links = []
        for label, mime, ext, content in (
            ("Download my attempts (JSON)", "application/json", "json", log.export_json()),
            ("Download my attempts (CSV)", "text/csv", "csv", log.export_csv()),
        ):
            payload = base64.b64encode(content.encode("utf-8")).decode("ascii")
            name = download_name(log.learner_id, ext, now)
            links.append(f"<a href='data:{mime};base64,{payload}' download='{esc(name)}' "
                         f"style='{style}'>{esc(label)}</a>")
        self.downloads.value = "<p>" + "".join(links) + "</p>"

    def load_download(self, content: bytes | str, name: str) -> int | None:
        """Import one earlier download; report how many attempts were added, or the error, in ``upload_status``."""
        if self.progress is None:
            self.upload_status.value = notice("Progress cannot be saved in this session, so nothing was loaded.",
                                               "Not loaded")
            return None
        try:
            added = self.progress.import_export(content, name)
        except ExportFormatError as exc:
            self.upload_status.value = notice(f"Could not load {name}. {exc}", "Not loaded")
            return None
        except ProgressFileError as exc:
            self.upload_status.value = notice(f"{name} was read but could not be saved. {exc}", "Not saved")
            self.refresh()
            return None
        total = len(self.progress.attempts())
        self.upload_status.value = box(
            f"<strong>✓ Loaded {esc(name)}:</strong> {added} attempt{'s' if added != 1 else ''} added "
            f"({total} in all).", "correct", "status")
        self.refresh()
        if self._on_change is not None:
            self._on_change()
        return added

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        for f in files:
            self.load_download(bytes(f["content"]), str(f["name"]))
        self.upload.value = ()  # ready for another upload of the same file
