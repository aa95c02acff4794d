"""One learner's attempt log: record every answer, save it safely, export it, import it back.

Where the log lives
    ``paths.progress_file()``: ``$MSLBP_PROGRESS_FILE`` if set, else ``~/.mslbp/attempts.json``.

What the file holds
    Exactly the **export format version 1** (``data/schema/attempts-export.schema.json``)::

        {"format": "mslbp-attempts", "version": 1, "learner_id": "<32 hex>", "exported_at": "<UTC ISO time>",
         "attempts": [{"attempt_id": "<32 hex>", "case_id": "...", "question_id": "...", "selection": ["..."],
                       "verdict": "correct", "score": 1.0, "confidence": 4, "time": "2026-11-21T11:58:03Z"}]}

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
    ``attempt_id`` and returns how many were new. If the log has no attempts yet it takes over the download's
    ``learner_id`` (resuming as the same anonymous learner). The reading is
    :func:`mslbp_widgets.logic.export_format.parse_export`; the records and their statistics are in
    :mod:`mslbp_widgets.logic.attempts`.

CSV export
    One row per attempt, columns ``attempt_id, case_id, question_id, selection, verdict, score, confidence,
    time`` (the attempt fields of the JSON format); ``selection`` joined by ``;``; a missing confidence is empty.
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
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from filelock import FileLock

from . import export_format
from .attempts import Attempt, utc_now
from .errors import ExportFormatError, ProgressFileError
from .export_format import BadAttempt, attempts_csv, export_document, parse_export, salvage_export
from .paths import PROGRESS_FILE_ENV, progress_file


@dataclass
class _DiskState:
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
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path: Path = Path(path).expanduser() if path is not None else progress_file()
        #: Human-readable messages about anything unusual (a corrupt file moved aside, a failed save).
        self.warnings: list[str] = []
        self._learner_id: str = uuid.uuid4().hex
        self._attempts: list[Attempt] = []
        self._seen_digest: bytes | None = None  # sha256 of the file content last read or written
        self._saved_ids: set[str] = set()  # attempt ids in the file as last read or written
        #: True when the file cannot be used at all: attempts are kept in memory for this session (downloadable).
        self.memory_only = False
        self.reload()

    @classmethod
    def in_memory(cls, path: str | os.PathLike[str], reason: str) -> ProgressLog:
        """A log for a progress file that cannot be read or written at all (a folder, an unreadable file): attempts
        are kept in memory for this session, where the learner can still download them, and ``reason`` is the
        first warning. Nothing is lost silently."""
        log = cls.__new__(cls)
        log.path = Path(path).expanduser()
        log.warnings = [reason]
        log._learner_id = uuid.uuid4().hex
        log._attempts = []
        log._seen_digest = None
        log._saved_ids = set()
        log.memory_only = True
        return log

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
            self._learner_id = state.learner_id
            self._attempts = _merge(state.attempts, self._attempts)

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
        encoded = (json.dumps(payload, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
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

    def _commit(self, extra: Sequence[Attempt] = (), adopt_learner_id: str | None = None) -> list[Attempt]:
        """Read-merge-write under the lock. Returns the attempts of ``extra`` that were new.

        ``adopt_learner_id``: use this learner id if neither memory nor the file held any attempt before.
        """
        known = {a.attempt_id for a in self._attempts}
        was_empty = not self._attempts
        if self.memory_only:
            if adopt_learner_id and was_empty:
                self._learner_id = adopt_learner_id
            self._attempts = _merge(self._attempts, extra)
            return [a for a in extra if a.attempt_id not in known]
        try:
            with self._locked():
                state = self._read_disk(reuse_memory=True)
                disk_attempts = state.attempts if state else []
                known |= {a.attempt_id for a in disk_attempts}
                learner_id = state.learner_id if state else self._learner_id
                if adopt_learner_id and was_empty and not disk_attempts:
                    learner_id = adopt_learner_id
                merged = _merge(disk_attempts, self._attempts, extra)
                self._write_atomic(learner_id, merged)
        except BaseException as exc:
            # Keep the new attempts in memory, so a failed save loses nothing for this session.
            self._attempts = _merge(self._attempts, extra)
            if isinstance(exc, ProgressFileError):
                self.warnings.append(str(exc))
                raise
            if isinstance(exc, OSError):
                err = self._file_error("the file could not be written", exc)
                self.warnings.append(str(err))
                raise err from exc
            raise
        self._learner_id = learner_id
        self._attempts = merged
        return [a for a in extra if a.attempt_id not in known]

    def add(
        self,
        case_id: str,
        question_id: str,
        selection: str | Iterable[str],
        verdict: str,
        score: float,
        confidence: int | None = None,
    ) -> Attempt:
        """Record one attempt from plain values and save. Returns the stored :class:`Attempt`.

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

    def record(self, case_id: str, result: Any) -> Attempt:
        """Record the :class:`~mslbp_widgets.evaluate.Result` of answering a question of case ``case_id``."""
        return self.add(
            case_id,
            result.question_id,
            tuple(result.selection),
            result.verdict,
            result.score,
            result.confidence,
        )

    # ---------------------------------------------------------------- export / import

    def export_dict(self) -> dict[str, Any]:
        """The log in export format version 1, as a mapping."""
        return export_document(self._learner_id, self._attempts, utc_now())

    def export_json(self) -> str:
        """The log as export format version 1 (JSON text): what 'Download my attempts (JSON)' gives."""
        return json.dumps(self.export_dict(), indent=1, ensure_ascii=False) + "\n"

    def export_csv(self) -> str:
        """The attempts as CSV (:func:`~mslbp_widgets.logic.export_format.attempts_csv`)."""
        return attempts_csv(self._attempts)

    def import_export(self, data: str | bytes, source_name: str) -> int:
        """Merge an earlier JSON download into this log (by ``attempt_id``) and save. Returns how many were new.

        Raises ExportFormatError (naming ``source_name`` and the field) if the download is not a valid export;
        nothing is changed then.
        """
        export = parse_export(data, source_name)
        added = self._commit(list(export.attempts), adopt_learner_id=export.learner_id)
        return len(added)
