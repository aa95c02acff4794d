"""One learner's attempt log: record every answer, save it safely, export it, import it back.

Where the log lives
    ``ProgressLog(path)``: any file. Which file is a learner's is decided by :mod:`mslbp_widgets.logic.identity`:
    one file per learner (``<learners folder>/<learner_id>.json``), or, in a single-file setup,
    ``paths.progress_file()`` (``$MSLBP_PROGRESS_FILE``, or ``~/.mslbp/attempts.json`` for a JupyterHub account).

What the file holds
    Exactly the **export format version 2** (``data/schema/attempts-export.schema.json``; a version-1 file is
    read as it is and written back as version 2)::

        {"format": "mslbp-attempts", "version": 2, "learner_id": "<32 hex>", "exported_at": "<UTC ISO time>",
         "attempts": [{"attempt_id": "<32 hex>", "case_id": "...", "question_id": "...", "selection": ["..."],
                       "verdict": "correct", "score": 1.0, "confidence": 4, "time": "2026-11-21T11:58:03Z",
                       "stage_id": "..."}]}

    so a download can be loaded back to resume. No names or other personal data: ``learner_id`` is a random
    identifier made once per progress file. ``exported_at`` in the file itself is the time of the last save.

How it is kept safe
    * Every save is atomic: the new content goes to a temporary file in the same folder, is flushed and fsynced,
      then replaces the old file with ``os.replace``. A crash mid-write leaves the previous file intact.
    * Saves happen under an exclusive lock on ``<file>.lock`` (the ``filelock`` library: ``flock`` on Linux and
      macOS, ``msvcrt`` on Windows) and are read-merge-write: the
      file is read again under the lock and merged by ``attempt_id`` with what this process knows, so two
      notebooks writing at once lose nothing.
    * A file that is not valid JSON or does not match the format is never silently dropped: it is moved aside to
      ``<name>.corrupt-<UTC timestamp><suffix>`` in the same folder, a message is added to
      :attr:`ProgressLog.warnings`, and a fresh log starts.
    * A file whose only problems are in some attempts keeps its good attempts: only the bad ones are set aside,
      to ``<name>.set-aside-<UTC timestamp><suffix>`` (each with its position and what is wrong), named in the
      warning (:func:`~mslbp_widgets.logic.export_format.salvage_export`).
    * Temporary files of a save that was killed midway (``.<name>.*.tmp``) are removed the next time the log is
      opened, under the lock, so never one another process is writing; one that holds a complete log of the same
      learner is merged first, so an attempt being saved at the kill is not lost.
    * :meth:`ProgressLog.unsaved` counts the attempts held in memory but not in the file, so nothing claims to be
      saved when a save failed.
    * A location that cannot be written raises :class:`~mslbp_widgets.errors.ProgressFileError` naming the path
      and suggesting ``MSLBP_PROGRESS_FILE``. The attempt is still kept in memory for the session, so it can be
      downloaded.

Recording
    ``log.record(case_id, result)`` takes an :class:`mslbp_widgets.evaluate.Result` (anything with
    ``question_id``, ``selection``, ``verdict``, ``score`` and ``confidence`` attributes).
    ``log.add(case_id, question_id, selection, verdict, score, confidence)`` does the same from plain values.

Importing
    ``log.import_export(text_or_bytes, source_name)`` checks an earlier download against the schema (raising
    :class:`~mslbp_widgets.errors.ExportFormatError` naming the file and the field), merges its attempts by
    ``attempt_id`` and returns how many were new. Two learners' attempts are never merged: a download of another
    ``learner_id`` raises :class:`~mslbp_widgets.errors.OtherLearnerError`, unless the log has no attempts at all
    and is not bound to one learner (then it takes over the download's ``learner_id``: resuming as the same
    anonymous learner). :meth:`ProgressLog.switch_learner` hands a single-file log over to another learner, keeping
    the previous learner's attempts in a file of their own. The reading is
    :func:`mslbp_widgets.logic.export_format.parse_export`; the records and their statistics are in
    :mod:`mslbp_widgets.logic.attempts`.

CSV export
    One row per attempt, columns ``attempt_id, case_id, question_id, selection, verdict, score, confidence,
    time, stage_id`` (the attempt fields of the JSON format; ``stage_id`` is optional and may be empty);
    ``selection`` joined by ``;``; a missing confidence is empty.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import export_format
from .attempts import Attempt, utc_now
from .errors import ExportFormatError, OtherLearnerError, ProgressFileError
from .export_format import BadAttempt, attempts_csv, export_document, parse_export, salvage_export
from .paths import PROGRESS_FILE_ENV, progress_file
from .records import MutableRecord


def _dumps(doc: dict[str, Any]) -> str:
    """JSON text of a log, on one line: ``indent`` would switch to the pure-Python encoder, three to five times
    slower, which cost tens of milliseconds per saved answer with a few hundred attempts (twice per click: the save
    and the download link)."""
    return json.dumps(doc, ensure_ascii=False)


class _DiskState(MutableRecord):
    learner_id: str
    attempts: list[Attempt]


def _merge(*groups: Iterable[Attempt]) -> list[Attempt]:
    merged: dict[str, Attempt] = {}
    for group in groups:
        for attempt in group:
            merged.setdefault(attempt.attempt_id, attempt)
    return list(merged.values())


class ProgressLog:
    """The attempt log of one learner, kept in one JSON file (see the module docstring for the guarantees).

    ``ProgressLog()`` uses ``paths.progress_file()``; ``ProgressLog(path)`` any other file. Reading happens at
    construction (a corrupt file is moved aside then, with a message in :attr:`warnings`); the file and its
    folder are created at the first save.

    ``learner_id`` binds the log to one learner (a per-learner file, named after the id): a new file gets that id,
    an existing file of another id raises ProgressFileError, and the log never takes over another id.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, learner_id: str | None = None) -> None:
        self.path: Path = Path(path).expanduser() if path is not None else progress_file()
        #: Human-readable messages about anything unusual (a corrupt file moved aside, a failed save).
        self.warnings: list[str] = []
        self._learner_id: str = learner_id or uuid.uuid4().hex
        self._bound = learner_id is not None  # a per-learner file: its learner never changes
        self._disk_id: str | None = None  # the learner id last read from or written to the file
        self._attempts: list[Attempt] = []
        self._seen_digest: bytes | None = None  # sha256 of the file content last read or written
        self._saved_ids: set[str] = set()  # attempt ids in the file as last read or written
        #: True when the file cannot be used at all: attempts are kept in memory for this session (downloadable).
        self.memory_only = False
        self.reload()

    @classmethod
    def in_memory(cls, path: str | os.PathLike[str] | None, reason: str | None,
                  learner_id: str | None = None) -> ProgressLog:
        """A log for a progress file that cannot be read or written at all (a folder, an unreadable file): attempts
        are kept in memory for this session, where the learner can still download them, and ``reason`` is the
        first warning. Nothing is lost silently. ``path`` None: no file at all (a learner not known yet)."""
        log = cls.__new__(cls)
        log.path = Path(path).expanduser() if path is not None else None  # type: ignore[assignment]
        log.warnings = [reason] if reason else []
        log._learner_id = learner_id or uuid.uuid4().hex
        log._bound = learner_id is not None
        log._disk_id = None
        log._attempts = []
        log._seen_digest = None
        log._saved_ids = set()
        log.memory_only = True
        return log

    @property
    def bound(self) -> bool:
        """True for a per-learner file: the log belongs to :attr:`learner_id` for good."""
        return self._bound

    # ---------------------------------------------------------------- reading

    @property
    def learner_id(self) -> str:
        """The random anonymous id of this progress file (32 hex digits)."""
        return self._learner_id

    @property
    def lock_path(self) -> Path:
        """The lock file that serialises saves between processes (``<file>.lock``)."""
        return self.path.with_name(self.path.name + ".lock")

    def attempts(self) -> list[Attempt]:
        """Every attempt known to this log, oldest first."""
        return list(self._attempts)

    def __len__(self) -> int:
        return len(self._attempts)

    def unsaved(self) -> int:
        """How many attempts are held in memory only: not in the file as this log last read or wrote it (after a
        failed save, or all of them for a log kept in memory)."""
        return sum(a.attempt_id not in self._saved_ids for a in self._attempts)

    def reload(self) -> None:
        """Read the file again (merging with attempts held in memory). A missing file is an empty log."""
        try:
            exists = self.path.is_file()
        except OSError:
            exists = False
        if not exists:
            if self.path.exists():
                raise self._file_error("it exists but is not a regular file", None)
            return
        try:
            with self._locked():
                state = self._read_disk()
                state = self._clear_stale_temp_files(state)
        except ProgressFileError:
            # e.g. a read-only folder where no lock file can be made: read without the lock.
            state = self._read_disk(move_corrupt=False)
        if state is not None:
            self._adopt_disk_learner(state)
            self._attempts = _merge(state.attempts, self._attempts)

    def _adopt_disk_learner(self, state: _DiskState) -> None:
        """Take the file's learner id. A bound log refuses a file of another learner; a single-file log whose file
        was handed over to another learner (``switch_learner`` in another notebook) drops what it held of the
        previous learner: those attempts are in the previous learner's own file, and are never merged into the
        new learner's."""
        if self._bound and state.learner_id != self._learner_id:
            raise ProgressFileError(
                f"The progress file {self.path} holds the answers of learner {state.learner_id[:8]}, not of learner "
                f"{self._learner_id[:8]} whose file it should be. It was left as it is; answers of this session are "
                "kept in memory."
            )
        if self._disk_id is not None and state.learner_id != self._disk_id:
            self._attempts = []
            self.warnings.append(
                f"Your progress file now holds the answers of learner {state.learner_id[:8]} (switched in another "
                "notebook); this notebook continues as that learner."
            )
        self._learner_id = state.learner_id
        self._disk_id = state.learner_id

    def _file_error(self, what: str, exc: BaseException | None) -> ProgressFileError:
        reason = f" ({exc.strerror or exc})" if isinstance(exc, OSError) else (f" ({exc})" if exc else "")
        return ProgressFileError(
            f"Cannot save your progress to {self.path}: {what}{reason}. Set the environment variable "
            f"{PROGRESS_FILE_ENV} to a file in a folder you can write to (for example "
            f"{PROGRESS_FILE_ENV}=/tmp/mslbp-attempts.json) and restart the kernel. Attempts of this session are "
            "kept in memory until then: use 'Download my attempts (JSON)' to keep a copy."
        )

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            from filelock import FileLock  # here, at the first save: importing the package stays light

            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(self.lock_path, mode=0o600)
            lock.acquire()
        except OSError as exc:
            raise self._file_error("the folder or its lock file cannot be created", exc) from exc
        try:
            yield
        finally:
            lock.release()

    def _read_disk(self, move_corrupt: bool = True, reuse_memory: bool = False) -> _DiskState | None:
        """The file's content, or None if it is missing (or was corrupt and has been moved aside).

        With ``reuse_memory``, a file whose bytes are exactly those last read or written by this log is not parsed
        again: the attempts in memory are returned instead (they include everything in it).
        """
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ProgressFileError(
                f"Cannot read your progress file {self.path} ({exc.strerror or exc}). Check its permissions, or "
                f"set {PROGRESS_FILE_ENV} to another file."
            ) from exc
        digest = hashlib.sha256(raw).digest()
        if reuse_memory and digest == self._seen_digest:
            return _DiskState(self._learner_id, list(self._attempts))
        try:
            export = parse_export(raw, str(self.path))
        except ExportFormatError as exc:
            try:
                kept, bad = salvage_export(raw, str(self.path))
            except ExportFormatError:
                kept, bad = None, ()
            if kept is not None and bad:
                return self._set_aside(kept.learner_id, list(kept.attempts), bad, write=move_corrupt)
            if move_corrupt:
                self._move_aside(str(exc))
            else:
                self.warnings.append(
                    f"Your progress file {self.path} could not be read ({exc}). It was left where it is; "
                    "new attempts are kept in memory only."
                )
            return None
        self._seen_digest = digest
        self._saved_ids = {a.attempt_id for a in export.attempts}
        return _DiskState(export.learner_id, list(export.attempts))

    def _side_path(self, label: str) -> Path:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        suffix = self.path.suffix or ".json"
        stem = self.path.name[: -len(self.path.suffix)] if self.path.suffix else self.path.name
        target = self.path.with_name(f"{stem}.{label}-{stamp}{suffix}")
        n = 1
        while target.exists():
            target = self.path.with_name(f"{stem}.{label}-{stamp}-{n}{suffix}")
            n += 1
        return target

    def _set_aside(self, learner_id: str, good: list[Attempt], bad: Sequence[BadAttempt], write: bool) -> _DiskState:
        """Keep the good attempts of a file, and the bad ones in a side file named in a warning (under the lock)."""
        shown = "; ".join(b.problem for b in bad[:3]) + (f"; and {len(bad) - 3} more" if len(bad) > 3 else "")
        n_bad = f"{len(bad)} attempt{'s' if len(bad) != 1 else ''}"
        if not write:
            self.warnings.append(
                f"{n_bad} in your progress file {self.path} could not be read ({shown}); the other {len(good)} were "
                "loaded. The file was left as it is; new attempts are kept in memory only.")
            return _DiskState(learner_id, good)
        side = self._side_path("set-aside")
        record = {"set_aside_from": str(self.path), "learner_id": learner_id,
                  "why": "these attempts break the export format; the others stayed in the progress file",
                  "attempts": [{"index": b.index, "problem": b.problem, "attempt": b.record} for b in bad]}
        try:
            with side.open("x", encoding="utf-8") as fh:
                json.dump(record, fh, indent=1, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            self._write_atomic(learner_id, good)
        except OSError as exc:
            raise ProgressFileError(
                f"Your progress file {self.path} has {n_bad} that cannot be read ({shown}), and they could not be "
                f"set aside ({exc.strerror or exc}). Move the file away yourself, or set {PROGRESS_FILE_ENV} to "
                "another file.") from exc
        self._saved_ids = {a.attempt_id for a in good}
        self.warnings.append(
            f"{n_bad} in your progress file could not be read ({shown}). They were set aside in {side}, so nothing "
            f"is lost; your other {len(good)} attempts were kept and the log goes on.")
        return _DiskState(learner_id, good)

    def _clear_stale_temp_files(self, state: _DiskState | None) -> _DiskState | None:
        """Remove the temporary files of saves killed midway (called under the lock, so no other process is
        writing one). A complete temporary file of the same learner is merged into the log first."""
        own = re.compile(rf"\.{re.escape(self.path.name)}\.[A-Za-z0-9_]{{8}}\.tmp")  # what _write_atomic makes
        found = []
        try:
            for entry in os.scandir(self.path.parent):
                if own.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                    found.append(Path(entry.path))
        except OSError:
            return state
        recovered: list[Attempt] = []
        removable: list[Path] = []
        for tmp in found:
            try:
                export = parse_export(tmp.read_bytes(), tmp.name)
            except (OSError, ExportFormatError):
                removable.append(tmp)  # a save cut short mid-write: the file holds everything it had before
                continue
            if state is None or export.learner_id == state.learner_id:
                state = state or _DiskState(export.learner_id, [])
                recovered += export.attempts
                removable.append(tmp)
            # else: a complete log of another learner: left where it is, never deleted unread
        known = {a.attempt_id for a in state.attempts} if state else set()
        new = [a for a in _merge(recovered) if a.attempt_id not in known]
        if new and state is not None:
            try:
                self._write_atomic(state.learner_id, _merge(state.attempts, new))
            except OSError:
                return state  # keep the temporary files: they still hold those attempts
            state = _DiskState(state.learner_id, _merge(state.attempts, new))
            self._saved_ids = {a.attempt_id for a in state.attempts}
            self.warnings.append(f"{len(new)} attempt{'s' if len(new) != 1 else ''} from a save that was "
                                 "interrupted (the notebook stopped while saving) were recovered.")
        for tmp in removable:
            try:
                tmp.unlink()
            except OSError:
                pass
        return state

    def _move_aside(self, reason: str) -> None:
        target = self._side_path("corrupt")
        try:
            os.replace(self.path, target)
        except OSError as exc:
            raise ProgressFileError(
                f"Your progress file {self.path} is damaged ({reason}) and could not be moved aside "
                f"({exc.strerror or exc}). Move it away yourself, or set {PROGRESS_FILE_ENV} to another file."
            ) from exc
        self.warnings.append(
            f"Your progress file could not be read ({reason}). It was moved to {target} so that nothing is lost, "
            "and a fresh progress log has started. If you have a download of your attempts, load it to resume."
        )

    # ---------------------------------------------------------------- writing

    def _write_atomic(self, learner_id: str, attempts: list[Attempt]) -> None:
        payload = export_document(learner_id, attempts, utc_now())
        encoded = (_dumps(payload) + "\n").encode("utf-8")
        fd, tmp_name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(encoded)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, self.path)
        except BaseException:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
            raise
        self._seen_digest = hashlib.sha256(encoded).digest()
        self._saved_ids = {a.attempt_id for a in attempts}
        try:  # make the rename itself durable (best effort; not possible on every platform)
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)

    def _learner_for(self, extra_learner: str | None, learner_id: str, empty: bool, source: str) -> str:
        """The learner id to write when attempts of ``extra_learner`` join a log of ``learner_id``: the same one, or
        (an empty log not bound to a learner) the download's; anything else raises OtherLearnerError."""
        if extra_learner is None or extra_learner == learner_id:
            return learner_id
        if empty and not self._bound:
            return extra_learner
        raise OtherLearnerError(source, extra_learner, learner_id)

    def _commit(self, extra: Sequence[Attempt] = (), extra_learner: str | None = None,
                source: str = "") -> list[Attempt]:
        """Read-merge-write under the lock. Returns the attempts of ``extra`` that were new.

        ``extra_learner``: the learner id the ``extra`` attempts belong to (None: this log's learner). Attempts of
        another learner are refused (OtherLearnerError), except by an empty log not bound to a learner, which takes
        over that id.
        """
        if self.memory_only:
            known = {a.attempt_id for a in self._attempts}
            self._learner_id = self._learner_for(extra_learner, self._learner_id, not self._attempts, source)
            self._attempts = _merge(self._attempts, extra)
            return [a for a in extra if a.attempt_id not in known]
        try:
            with self._locked():
                state = self._read_disk(reuse_memory=True)
                if state is not None:
                    self._adopt_disk_learner(state)
                disk_attempts = state.attempts if state else []
                known = {a.attempt_id for a in self._attempts} | {a.attempt_id for a in disk_attempts}
                learner_id = self._learner_for(extra_learner, self._learner_id,
                                               not self._attempts and not disk_attempts, source)
                merged = _merge(disk_attempts, self._attempts, extra)
                self._write_atomic(learner_id, merged)
        except OtherLearnerError:
            raise
        except BaseException as exc:
            # Keep the new attempts in memory, so a failed save loses nothing for this session.
            if extra_learner is None or extra_learner == self._learner_id:
                self._attempts = _merge(self._attempts, extra)
            if isinstance(exc, ProgressFileError):
                self.warnings.append(str(exc))
                raise
            if isinstance(exc, OSError):
                err = self._file_error("the file could not be written", exc)
                self.warnings.append(str(err))
                raise err from exc
            raise
        self._learner_id = self._disk_id = learner_id
        self._attempts = merged
        return [a for a in extra if a.attempt_id not in known]

    def merge_attempts(self, attempts: Sequence[Attempt]) -> list[Attempt]:
        """Add attempts of this log's own learner (for example those answered before the learner was known) and
        save. Returns the ones that were new."""
        return self._commit(list(attempts))

    def add(
        self,
        case_id: str,
        question_id: str,
        selection: str | Iterable[str],
        verdict: str,
        score: float,
        confidence: int | None = None,
        *,
        stage_id: str | None = None,
        answer: tuple | None = None,
    ) -> Attempt:
        """Record one attempt from plain values and save. Returns the stored :class:`Attempt`.

        ``answer``: the tagged answer of a matching, ordering or numeric question (``selection`` is then empty).
        Raises ValueError if a value cannot be stored in the export format (a programming error, not a learner's),
        and ProgressFileError if the file cannot be written (the attempt is then kept in memory).
        """
        chosen = (selection,) if isinstance(selection, str) else tuple(selection)
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score):
            raise ValueError(f"score must be a number from 0 to 1, got {score!r}")
        attempt = Attempt(
            attempt_id=uuid.uuid4().hex,
            case_id=case_id,
            question_id=question_id,
            selection=chosen,
            verdict=verdict,
            score=float(score),
            confidence=confidence,
            time=utc_now(),
            stage_id=stage_id,
            answer=answer,
        )
        problems = export_format.schema_errors(export_document(self._learner_id, [attempt], attempt.time))
        if problems:
            detail = "; ".join(
                f"{export_format.field_path(e.absolute_path).replace('attempts[0].', '')}: {e.message[:200]}"
                for e in problems[:5]
            )
            raise ValueError(f"cannot record this attempt: {detail}")
        self._commit([attempt])
        return attempt

    def record(self, case_id: str, result: Any, stage_id: str | None = None) -> Attempt:
        """Record the :class:`~mslbp_widgets.evaluate.Result` of answering a question of case ``case_id`` (at stage
        ``stage_id``: which path a learner took through a branching case)."""
        return self.add(
            case_id,
            result.question_id,
            tuple(result.selection),
            result.verdict,
            result.score,
            result.confidence,
            stage_id=stage_id,
            answer=getattr(result, "answer", None),
        )

    # ---------------------------------------------------------------- export / import

    def export_dict(self) -> dict[str, Any]:
        """The log in export format version 2, as a mapping."""
        return export_document(self._learner_id, self._attempts, utc_now())

    def export_json(self) -> str:
        """The log as export format version 2 (JSON text): what 'Download my attempts (JSON)' gives."""
        return _dumps(self.export_dict()) + "\n"

    def export_csv(self) -> str:
        """The attempts as CSV (:func:`~mslbp_widgets.logic.export_format.attempts_csv`)."""
        return attempts_csv(self._attempts)

    def import_export(self, data: str | bytes, source_name: str) -> int:
        """Merge an earlier JSON download of this log's learner into this log (by ``attempt_id``) and save. Returns
        how many were new.

        Raises ExportFormatError (naming ``source_name`` and the field) if the download is not a valid export, and
        OtherLearnerError if it belongs to another learner (an empty log not bound to a learner takes over the
        download's learner id instead); nothing is changed then.
        """
        export = parse_export(data, source_name)
        added = self._commit(list(export.attempts), extra_learner=export.learner_id, source=source_name)
        return len(added)

    def switch_learner(self, learner_id: str, attempts: Sequence[Attempt], keep_folder: str | os.PathLike[str]) -> int:
        """Hand this file over to another learner ("continue as that learner" in a single-file setup).

        The previous learner's attempts are first saved in their own file ``keep_folder/<previous id>.json``
        (merged with it if it exists; nothing of theirs is lost or mixed), then this file holds ``learner_id`` with
        ``attempts`` plus any attempts kept earlier in ``keep_folder/<learner_id>.json`` (so switching back brings
        them back). Returns how many of ``attempts`` were new to that learner. Not for a log bound to a learner
        (a per-learner file is that learner's for good): that raises ProgressFileError, as does a log kept in
        memory that already holds another learner's attempts.
        """
        if learner_id == self._learner_id:
            return len(self.merge_attempts(attempts))
        if self._bound:
            raise ProgressFileError(f"{self.path} is the file of learner {self._learner_id[:8]} and stays theirs.")
        keep = Path(keep_folder).expanduser()
        if self.memory_only:
            if self._attempts:
                raise ProgressFileError(
                    f"Your answers (learner {self._learner_id[:8]}) are only in memory in this session, so switching "
                    "to another learner would leave them nowhere. Download them first, then restart with a progress "
                    "file you can write to."
                )
            self._learner_id, self._attempts = learner_id, _merge(attempts)
            return len(self._attempts)
        try:
            with self._locked():
                state = self._read_disk(reuse_memory=True)
                if state is not None:
                    self._adopt_disk_learner(state)
                previous = _merge(state.attempts if state else [], self._attempts)
                if previous:
                    ProgressLog(keep / f"{self._learner_id}.json", learner_id=self._learner_id).merge_attempts(previous)
                kept = keep / f"{learner_id}.json"
                earlier = ProgressLog(kept, learner_id=learner_id).attempts() if kept.is_file() else []
                merged = _merge(earlier, attempts)
                self._write_atomic(learner_id, merged)
        except OSError as exc:
            err = self._file_error("the file could not be handed over to the other learner", exc)
            self.warnings.append(str(err))
            raise err from exc
        known = {a.attempt_id for a in earlier}
        self._learner_id = self._disk_id = learner_id
        self._attempts = merged
        return len({a.attempt_id for a in attempts} - known)
