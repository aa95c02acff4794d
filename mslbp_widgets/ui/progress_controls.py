"""The learner's progress in a notebook: the controls to download it (JSON, CSV) and to load an earlier download
(:class:`ProgressControls`). Which log is the learner's: :mod:`mslbp_widgets.ui.identity`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

import ipywidgets as widgets

from ..logic.attempts import first_attempts
from ..logic.errors import ExportFormatError, OtherLearnerError, ProgressFileError
from ..logic.export_format import download_name
from ..logic.identity import ImportPlan, LearnerProgress, earlier_progress, plan_import, short_id, switch_learner
from ..logic.limits import upload_note
from ..logic.paths import PROGRESS_FILE_ENV
from ..logic.progress import ProgressLog
from .accessible import DownloadButton, UploadButton
from .controls import WIDE, button
from .handin import HandInRow
from .identity import resolve_progress, shared_log
from .render import box, esc, notice

__all__ = ["CONNECTING", "ProgressControls", "resolve_progress", "shared_log"]

#: Shown while the browser has not yet told the kernel who the learner is.
CONNECTING = "Connecting your progress…"

_HIDDEN = widgets.Layout(display="none")


class ProgressControls(widgets.VBox):
    """Download the learner's attempts (JSON, CSV) and load an earlier download to resume.

    The downloads are made only when the learner presses *Download my attempts (JSON)* or *(CSV)*
    (:class:`~mslbp_widgets.ui.accessible.DownloadButton`): the file holds every attempt of the log at that moment.
    A recorded attempt (:meth:`recorded`) costs no download: it only updates the count. Loading the learner's own
    download merges it; a download of another learner is never merged: :attr:`choice` says whose it is, and
    :attr:`continue_button` (continue as that learner) or :attr:`cancel_button` decide. For tests: ``downloads``
    (the row of ``download_json`` and ``download_csv``, whose ``payload()`` is what a press saves), ``upload`` (an
    :class:`~mslbp_widgets.ui.accessible.UploadButton`), ``upload_status`` and ``warnings`` (HTML), ``identity``
    (the LearnerIdentity in browser mode, or None), ``earlier_button`` (continue with the answers saved on this
    computer before, when offered);
    :meth:`load_download` is what the upload calls.
    """

    def __init__(self, progress: ProgressLog | LearnerProgress | None = None,
                 on_change: Callable[[], None] | None = None):
        self._on_change = on_change
        self.warnings = widgets.HTML(layout=WIDE)
        self.progress, self.identity, error = resolve_progress(progress)
        if error:
            self.warnings.value = notice(error, "Progress cannot be read")
        self.where = widgets.HTML(layout=WIDE)
        self.download_json = DownloadButton("Download my attempts (JSON)", lambda: self._download("json"),
                                            "Save every attempt of yours as a file you can load again later")
        self.download_csv = DownloadButton("Download my attempts (CSV)", lambda: self._download("csv"),
                                           "Save every attempt of yours as a table for a spreadsheet")
        self.downloads = widgets.HBox([self.download_json, self.download_csv],
                                      layout=widgets.Layout(flex_flow="row wrap"))
        self.downloads.add_class("mslbp-downloads")
        self.upload = UploadButton(accept=".json,application/json", multiple=False,
                                   description="Load an earlier download to resume",
                                   tooltip="Choose a JSON file from 'Download my attempts (JSON)'")
        self.upload_limit = widgets.HTML(f"<p class='mslbp-upload-limit'>{esc(upload_note())}</p>", layout=WIDE)
        self.upload_status = widgets.HTML(layout=WIDE)
        self.upload.observe(self._uploaded, names="value")
        self.choice = widgets.HTML(layout=WIDE)
        self.continue_button = button("Continue as that learner",
                                      "Use this file's answers and learner id from now on in this browser")
        self.cancel_button = button("Cancel", "Load nothing and stay the learner you are")
        self.continue_button.on_click(lambda _b: self.continue_as_other())
        self.cancel_button.on_click(lambda _b: self.cancel_load())
        self.choice_box = widgets.HBox([self.continue_button, self.cancel_button], layout=_HIDDEN)
        self.earlier = widgets.HTML(layout=WIDE)
        self.earlier_button = button("Continue with these answers",
                                     "Continue as the learner of the answers saved on this computer before")
        self.earlier_button.on_click(lambda _b: self.offer(self._earlier) if self._earlier else None)
        self.earlier_box = widgets.HBox([self.earlier_button], layout=_HIDDEN)
        self._offered: ImportPlan | None = None
        self._earlier: ImportPlan | None = None
        children: list[widgets.Widget] = [
            widgets.HTML("<h4>Your progress</h4>"), self.where, self.warnings, self.downloads,
            widgets.HBox([self.upload]), self.upload_limit, self.upload_status, self.choice, self.choice_box,
            self.earlier, self.earlier_box,
        ]
        if self.identity is not None:
            children.append(self.identity)
        super().__init__(children, layout=WIDE)
        self.add_class("mslbp-progress-controls")
        if isinstance(self.progress, LearnerProgress):
            self.progress.on_change(self._learner_changed)
        #: "Hand in my answers", a row of its own (ui/handin.py); it reads ``self.progress`` at each click.
        self.handin = HandInRow(lambda: self.progress)
        self.children = (*self.children, self.handin)
        self.refresh()

    # ------------------------------------------------------------ showing

    def refresh(self) -> None:
        """Show where the attempts are kept, any warning of the progress log, and the earlier answers on offer."""
        self._show_where()
        if self.progress is not None:
            self._show_earlier()

    def recorded(self) -> None:
        """An attempt was recorded: the count and any warning again. Nothing else can have changed (the learner,
        the earlier answers on offer), and the downloads are made only when pressed."""
        self._show_where()

    def _download(self, ext: str) -> tuple[str, str, bytes]:
        """The file a download button saves: every attempt of the log now, as JSON (export format) or CSV."""
        log = self.progress
        if log is None:
            raise ProgressFileError("Your attempts cannot be saved in this session, so there is nothing to download.")
        content, mime = (log.export_json(), "application/json") if ext == "json" else (log.export_csv(), "text/csv")
        return download_name(log.learner_id, ext, datetime.now(timezone.utc)), mime, content.encode("utf-8")

    def _show_where(self) -> None:
        log = self.progress
        for download in (self.download_json, self.download_csv):
            download.mark_changed()
        if log is None:
            self.where.value = (f"<p>Your attempts cannot be saved in this session. Set {PROGRESS_FILE_ENV} to a "
                                "writable file and restart the kernel.</p>")
            self.downloads.layout.display = "none"
            return
        self.downloads.layout.display = None
        attempts = log.attempts()
        q, n = len(first_attempts(attempts)), len(attempts)
        counted = f"{q} question{'s' if q != 1 else ''} answered ({n} tr{'ies' if n != 1 else 'y'} in all)"
        who = f"learner {short_id(log.learner_id)}"
        if isinstance(log, LearnerProgress) and not log.connected:
            self.where.value = (f"<p class='mslbp-connecting'><strong>{esc(CONNECTING)}</strong> {counted} in this "
                                "session so far; they are saved as soon as this page has told the server who you "
                                "are.</p>")
        elif log.memory_only:
            self.where.value = (
                f"<p><strong>{counted}, kept in memory for this session only</strong> ({who}): "
                f"<code>{esc(log.path)}</code> cannot be used (see the note below). Download your attempts before "
                f"you close the notebook, or set <code>{PROGRESS_FILE_ENV}</code> to a file you can write to and "
                "restart the kernel, then load your download.</p>")
        elif (unsaved := log.unsaved()):
            held = "they are" if unsaved != 1 else "it is"
            self.where.value = (
                f"<p><strong>{counted}; {unsaved} of {'them' if n != 1 else 'it'} not saved</strong> ({who}): the "
                f"last save to <code>{esc(log.path)}</code> failed (see the note below), so {held} kept in memory "
                "for this session only. Download your attempts to keep them.</p>")
        elif isinstance(log, LearnerProgress):
            self.where.value = (
                f"<p>{counted}, saved for you ({who}) on this server. This browser remembers you, so reloading the "
                "page brings your answers back; other people using this server have files of their own. On Binder "
                "everything disappears when the session ends: download your attempts to keep them. They hold no "
                "name, only your random learner id.</p>")
        else:
            said = (f"{counted}, saved in" if n else "No questions answered yet; your attempts will be saved in")
            self.where.value = (
                f"<p>{said} <code>{esc(log.path)}</code> ({who}; change the place with the environment "
                f"variable <code>{PROGRESS_FILE_ENV}</code>). On Binder this file disappears when the session ends: "
                "download your attempts to keep them. They hold no name, only a random learner id.</p>"
            )
        if log.warnings:
            self.warnings.value = "".join(notice(w, "About your saved progress") for w in log.warnings)

    def _show_earlier(self) -> None:
        """Offer the progress file of the course's earlier versions, when there is one to offer (see
        ``logic.identity.earlier_progress`` for when, and why it is never adopted without asking)."""
        log = self.progress
        plan = None
        if isinstance(log, LearnerProgress) and log.connected and self._offered is None:
            plan = earlier_progress(log.learner_id, log.registry)
        self._earlier = plan
        if plan is None:
            self.earlier.value = ""
            self.earlier_box.layout = _HIDDEN
            return
        self.earlier.value = box(
            f"<p><strong>Answers saved on this computer before</strong> (by an earlier version of the course): "
            f"{esc(plan.summary.describe())}. If they are yours, continue with them; if not, leave them.</p>",
            "info")
        self.earlier_box.layout = widgets.Layout()

    def _learner_changed(self) -> None:
        self.refresh()
        if self._on_change is not None:
            self._on_change()

    # ------------------------------------------------------------ loading

    def load_download(self, content: bytes | str, name: str) -> int | None:
        """Load one earlier download. The learner's own: merged, and ``upload_status`` says how many attempts were
        added. Another learner's: nothing is merged; :meth:`offer` asks. Returns the number added, or None."""
        if self.progress is None:
            self.upload_status.value = notice("Progress cannot be saved in this session, so nothing was loaded.",
                                               "Not loaded")
            return None
        try:
            plan = plan_import(self.progress.learner_id, content, name)
        except ExportFormatError as exc:
            self.upload_status.value = notice(f"Could not load {name}. {exc}", "Not loaded")
            return None
        if not plan.own:
            self.offer(plan)
            return None
        try:
            added = self.progress.import_export(content, name)
        except (ExportFormatError, OtherLearnerError) as exc:
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
        self._changed()
        return added

    def offer(self, plan: ImportPlan) -> None:
        """Show whose file ``plan`` is and ask: continue as that learner, or cancel. Nothing is merged yet."""
        self._offered = plan
        mine = self.progress.attempts()
        me = short_id(self.progress.learner_id)
        stay = (f"Your own answers (learner {me}, {len(mine)} attempt{'s' if len(mine) != 1 else ''}) stay saved "
                "as they are, but this browser will then be that learner: to come back to yours later, load a "
                "download of yours. Download your attempts first if you have no copy."
                if mine else f"You have no answers yet as learner {me}, so nothing is left behind.")
        self.upload_status.value = ""
        self.choice.value = box(
            f"<p><strong>{esc(plan.source)} is not yours:</strong> it holds the answers of "
            f"{esc(plan.summary.describe())}. You are learner {esc(me)}. Two learners' answers are never mixed.</p>"
            f"<p>Continue as that learner if the file is yours from another computer or an earlier session. "
            f"{esc(stay)}</p>", "warning", "status")
        self.choice_box.layout = widgets.Layout()
        self.earlier_box.layout = _HIDDEN

    def _close_offer(self) -> None:
        self._offered = None
        self.choice.value = ""
        self.choice_box.layout = _HIDDEN

    def cancel_load(self) -> None:
        """The learner chose not to continue as the other learner: nothing changes."""
        plan = self._offered
        self._close_offer()
        if plan is not None:
            self.upload_status.value = box(
                f"Nothing was loaded from {esc(plan.source)}; you are still learner "
                f"{esc(short_id(self.progress.learner_id))}.", "info", "status")
        self.refresh()

    def continue_as_other(self) -> int | None:
        """The learner chose to continue as the learner of the offered file: that learner's answers (the file,
        merged with what the server already keeps for them) become this browser's; the previous learner's file is
        left untouched. Returns the number of attempts added, or None."""
        plan = self._offered
        if plan is None or self.progress is None:
            return None
        previous = self.progress.learner_id
        before = len(self.progress.attempts())
        try:
            added = switch_learner(self.progress, plan.export)
        except ProgressFileError as exc:
            self._close_offer()
            self.upload_status.value = notice(f"{plan.source} was not loaded. {exc}", "Not loaded")
            self.refresh()
            return None
        self._close_offer()
        total = len(self.progress.attempts())
        left = (f" The answers of learner {short_id(previous)} ({before} attempt{'s' if before != 1 else ''}) stay "
                f"saved as they were: to switch back, load a download of learner {short_id(previous)}."
                if before else "")
        self.upload_status.value = box(
            f"<strong>✓ You are now learner {esc(short_id(plan.export.learner_id))}:</strong> {added} "
            f"attempt{'s' if added != 1 else ''} added from {esc(plan.source)} ({total} in all).{esc(left)}",
            "correct", "status")
        self._changed()
        return added

    def _changed(self) -> None:
        self.refresh()
        if self._on_change is not None:
            self._on_change()

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        for f in files:
            self.load_download(bytes(f["content"]), str(f["name"]))
        self.upload.value = ()  # ready for another upload of the same file

