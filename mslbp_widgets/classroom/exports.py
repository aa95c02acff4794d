"""Reading a class's exported attempt files (untrusted input), one report line per file.

An instructor collects the JSON files that learners download from the case bank (export format version 1,
`data/schema/attempts-export.schema.json`) into one folder, or uploads them in the instructor notebook.
`load_exports` reads them one by one and never lets one bad file cost the others:

* a file larger than `max_bytes` (default `DEFAULT_MAX_BYTES`, 2 MB) is skipped **before** it is read: its size
  is checked with `stat`, and at most `max_bytes + 1` bytes are ever read, so a 50 MB file costs nothing.
  A real export is small (about 250 bytes per attempt: 2 MB is roughly 8,000 attempts, far more than the
  whole course has questions);
* a file that is not JSON, JSON that is truncated or malformed, JSON with the wrong `format` string or
  `version`, and JSON that breaks the export schema (the report names the field) are skipped with a reason;
* a file whose bytes are identical to another file's is skipped as a duplicate; files that carry the same
  `learner_id` (a learner exported twice) are merged attempt by attempt (`_merge_learner`): a file adding nothing
  is skipped as a duplicate learner, one adding attempts says so; a file's `exported_at` decides nothing, so a
  file claiming a learner's id with a far-future date cannot displace that learner's answers;
* attempts are de-duplicated by `attempt_id` within each learner (another learner's file can never erase them).

Nothing in this module produces HTML: every string that came from a learner's file (file names, ids, error
details) must be escaped by whoever displays it (`mslbp_widgets.ui.class_tally` does).
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timezone
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..logic import export_format
from ..logic.attempts import Attempt, first_attempts
from ..logic.errors import ExportFormatError
from ..logic.export_format import parse_time, read_export, short
from ..logic.limits import TALLY_FILE_MAX_BYTES
from ..logic.records import MutableRecord, Record
from ..logic.text import clean, closest, visible

DEFAULT_MAX_BYTES = TALLY_FILE_MAX_BYTES  # logic/limits.py holds every limit

# Reasons in the per-file report (FileReport.reason).
ACCEPTED = "accepted"
TOO_LARGE = "too-large"
# Reasons from export_format.read_export, re-exported here as part of this module's report vocabulary.
NOT_JSON = export_format.NOT_JSON
MALFORMED_JSON = export_format.MALFORMED_JSON
WRONG_FORMAT = export_format.WRONG_FORMAT
WRONG_VERSION = export_format.WRONG_VERSION
SCHEMA_INVALID = export_format.SCHEMA_INVALID
DUPLICATE_CONTENT = "duplicate-content"
DUPLICATE_LEARNER = "duplicate-learner"
UNREADABLE = "unreadable"
LINK = "link"

#: Learner-facing label for an answer naming an option that is not in the case library.
UNKNOWN_OPTION_LABEL = "unknown option"
_DETAIL_LIMIT = 300


class FileReport(Record):
    """What happened to one file: accepted, or skipped with a reason code and a plain-text detail.

    `name` and `detail` may contain text from the file (or its name): escape them before showing as HTML.
    """

    name: str
    reason: str
    detail: str
    learner_id: str | None = None
    n_attempts: int = 0
    n_new_attempts: int = 0

    @property
    def accepted(self) -> bool:
        return self.reason == ACCEPTED

    @property
    def status(self) -> str:
        """'accepted' or 'skipped'."""
        return "accepted" if self.accepted else "skipped"


class ClassAttempt(Attempt, kw_only=True):
    """One attempt from an accepted export: an `Attempt` (fields as in the export format) plus the learner, its
    position in the file and its time as a number."""

    learner_id: str
    order: int  # position in its file
    timestamp: float = 0.0  # `time` as seconds since the epoch (fast to compare)


_learner_question = attrgetter("learner_id", "case_id", "question_id")
_time_then_order = attrgetter("timestamp", "order")


class ClassData(Record):
    """Everything accepted from a set of exports, and a report line for every file looked at."""

    reports: tuple[FileReport, ...]
    attempts: tuple[ClassAttempt, ...]
    max_bytes: int = DEFAULT_MAX_BYTES

    @property
    def accepted(self) -> tuple[FileReport, ...]:
        return tuple(r for r in self.reports if r.accepted)

    @property
    def skipped(self) -> tuple[FileReport, ...]:
        return tuple(r for r in self.reports if not r.accepted)

    @property
    def learners(self) -> tuple[str, ...]:
        """Learner ids of the accepted files, in report order, each once (one learner's files are merged)."""
        return tuple(dict.fromkeys(r.learner_id for r in self.accepted if r.learner_id))

    def first_attempts(self) -> tuple[ClassAttempt, ...]:
        """Each learner's first attempt at each (case, question): earliest time, then position in the file."""
        return tuple(first_attempts(self.attempts, key=_learner_question, earliest=_time_then_order))


class _Candidate(MutableRecord):
    name: str
    sha: str
    doc: dict[str, Any]
    learner_id: str
    exported_at: datetime
    index: int


def _short(text: str, limit: int = _DETAIL_LIMIT) -> str:
    return short(clean(text), limit)


def _read_limited(path: Path, max_bytes: int) -> tuple[bytes | None, FileReport | None]:
    name = display_name(path.name)
    if path.is_symlink():  # never followed: a link can point at any file of the machine
        return None, FileReport(name, LINK, "a link to another file, not an export: copy the export itself into "
                                            "the folder")
    try:
        st = path.stat()
    except OSError as exc:
        return None, FileReport(name, UNREADABLE, _short(f"cannot read the file: {exc.strerror or exc}"))
    if not path.is_file():
        return None, FileReport(name, UNREADABLE, "not a regular file")
    if st.st_size > max_bytes:
        return None, FileReport(name, TOO_LARGE, _too_large(st.st_size, max_bytes))
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        return None, FileReport(name, UNREADABLE, _short(f"cannot read the file: {exc.strerror or exc}"))
    if len(raw) > max_bytes:  # grew since stat, or a special file: never read more than the limit
        return None, FileReport(name, TOO_LARGE, _too_large(len(raw), max_bytes, at_least=True))
    return raw, None


def _too_large(size: int, max_bytes: int, at_least: bool = False) -> str:
    prefix = "at least " if at_least else ""
    return (
        f"{prefix}{size:,} bytes, over the limit of {max_bytes:,} bytes per file; a real export is far smaller "
        "(is this the right file?)"
    )


def _check_document(name: str, raw: bytes) -> tuple[dict[str, Any] | None, FileReport | None]:
    """Decode and validate one file's bytes (export_format.read_export). Returns (document, None) or
    (None, skip report)."""
    try:
        doc = read_export(raw, name)
    except ExportFormatError as exc:
        detail = f"field {exc.field}: {exc.detail}" if exc.kind == SCHEMA_INVALID else exc.detail
        return None, FileReport(name, exc.kind, _short(detail))
    doc["_times"] = {t: parse_time(t) for t in {a["time"] for a in doc["attempts"]}}  # parsed once per time
    return doc, None


def missing_folder_message(folder: str | os.PathLike[str], problem: str = "no such folder") -> str:
    """What to say when a folder of exports does not exist: the full path tried, how a relative path is read, and
    the nearest existing folder name beside it (plain text; escape it for HTML)."""
    typed = str(folder)
    path = Path(folder).expanduser()
    resolved = path if path.is_absolute() else Path.cwd() / path
    resolved = Path(os.path.normpath(resolved))
    msg = f"{problem}: {resolved}"
    if not path.is_absolute():
        msg += (f" (a relative path such as {typed!r} is read from the notebook's folder, {Path.cwd()}: "
                "for a notebook in notebooks/, `exports` means notebooks/exports/; a full path always works)")
    parent = resolved.parent
    try:
        siblings = [c.name for c in parent.iterdir() if c.is_dir() and not c.name.startswith(".")]
    except OSError:
        siblings = []
    near = closest(resolved.name, siblings)
    if near:
        msg += f". Did you mean {str(parent / near)!r}?"
    elif not parent.is_dir():
        msg += f". The folder above it, {parent}, does not exist either"
    return msg


def folder_files(folder: str | os.PathLike[str], missing: str = "no such file or folder") -> list[Path]:
    """The files of a folder of exports, by name: hidden files and sub-folders are left out; links are kept (and
    reported as links, never followed). A path that is one file is that file."""
    p = Path(folder).expanduser()
    if p.is_dir():
        return [f for f in sorted(p.iterdir()) if not f.name.startswith(".") and (f.is_symlink() or not f.is_dir())]
    if p.exists() or p.is_symlink():
        return [p]
    raise ExportFormatError(missing_folder_message(folder, missing))


def display_name(name: str) -> str:
    """A file name as it may be shown: control and direction-changing characters (a right-to-left override can
    make 'x.json' look like 'nosj.x') are written as [U+XXXX], and text a browser cannot be sent is replaced."""
    return visible(name)


def _sources(folder_or_files: Any) -> list[tuple[str, Path | bytes]]:
    """Normalise the input into (display name, path-or-bytes) pairs."""
    if isinstance(folder_or_files, (str, os.PathLike)):
        return [(f.name, f) for f in folder_files(folder_or_files)]
    if isinstance(folder_or_files, Mapping):  # {name: bytes}
        return [(str(k), bytes(v)) for k, v in folder_or_files.items()]
    out: list[tuple[str, Path | bytes]] = []
    for item in folder_or_files:
        if isinstance(item, (str, os.PathLike)):
            out.append((Path(item).name, Path(item)))
        elif isinstance(item, tuple) and len(item) == 2:
            out.append((str(item[0]), bytes(item[1])))
        else:
            raise ExportFormatError(
                f"cannot read {type(item).__name__!s} as an export; give paths or (name, bytes) pairs"
            )
    return out


def load_exports(folder_or_files: Any, max_bytes: int = DEFAULT_MAX_BYTES) -> ClassData:
    """Read learners' export files and return what was accepted, with a report line for every file.

    `folder_or_files` is a folder (every non-hidden file in it is looked at, not sub-folders), one file, a list of
    paths, a list of `(file name, bytes)` pairs (uploads), or a mapping `{file name: bytes}`. Files are skipped, with
    a reason, when over `max_bytes` (checked before reading), not JSON, malformed, of another format or version,
    invalid against the export schema, byte-identical to another file, or from a learner whose later export is also
    present. Raises `ExportFormatError` only for a folder that does not exist or an unreadable kind of input.
    """
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ExportFormatError(f"max_bytes must be a positive number of bytes, not {max_bytes!r}")
    reports: dict[int, FileReport] = {}
    candidates: list[_Candidate] = []
    seen_sha: dict[str, str] = {}
    for index, (raw_name, src) in enumerate(_sources(folder_or_files)):
        name = display_name(raw_name)
        if isinstance(src, Path):
            raw, skip = _read_limited(src, max_bytes)
        elif len(src) > max_bytes:
            raw, skip = None, FileReport(name, TOO_LARGE, _too_large(len(src), max_bytes))
        else:
            raw, skip = src, None
        if skip is not None or raw is None:
            reports[index] = skip or FileReport(name, UNREADABLE, "cannot read the file")
            continue
        sha = hashlib.sha256(raw).hexdigest()
        if sha in seen_sha:
            reports[index] = FileReport(name, DUPLICATE_CONTENT, f"identical to {seen_sha[sha]}")
            continue
        seen_sha[sha] = name
        try:
            doc, skip = _check_document(name, raw)
        except Exception as exc:  # noqa: BLE001 - a last resort: one strange file must never cost the others
            doc, skip = None, FileReport(name, UNREADABLE, f"could not be checked ({type(exc).__name__})")
        if skip is not None or doc is None:
            reports[index] = skip or FileReport(name, UNREADABLE, "cannot read the file")
            continue
        exported = parse_time(doc["exported_at"]) or datetime.min.replace(tzinfo=timezone.utc)
        candidates.append(_Candidate(name, sha, doc, doc["learner_id"], exported, index))

    # Files of one learner are merged attempt by attempt (never one file chosen by its date: a file reusing a
    # learner's id with a far-future exported_at must not displace that learner's answers).
    by_learner: dict[str, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_learner[c.learner_id].append(c)
    groups = sorted(by_learner.values(), key=lambda g: min(c.index for c in g))
    attempts: list[ClassAttempt] = []
    for group in groups:
        attempts += _merge_learner(group, reports)
    return ClassData(
        reports=tuple(reports[i] for i in sorted(reports)), attempts=tuple(attempts), max_bytes=max_bytes
    )


def _merge_learner(group: list[_Candidate], reports: dict[int, FileReport]) -> list[ClassAttempt]:
    """Every attempt of one learner's files, each counted once, with a report line for each file.

    The rule is decided per attempt, never by a file's `exported_at`: attempts are keyed by `attempt_id`; a record
    repeated exactly (in one file or in two downloads of the same log) counts once; two different records under one
    id keep the one with the earlier `time` (then the file listed first below). The file with the most attempts
    (then the latest export, then the name) is named first; another file of the same learner whose every attempt
    is already there is reported as `duplicate-learner` ("nothing new"), one that adds attempts is accepted and
    says how many it added. So a learner's later download supersedes the earlier one exactly as before, and no
    file can remove or replace answers another file holds: at most it adds its own, visibly.
    """
    group.sort(key=lambda c: (-len(c.doc["attempts"]), -c.exported_at.timestamp(), c.name, c.index))
    kept: dict[str, tuple[dict[str, Any], int, float, _Candidate]] = {}  # attempt id -> (record, order, time, file)
    for c in group:
        times = c.doc["_times"]
        new = repeated = conflicting = 0
        for order, a in enumerate(c.doc["attempts"]):
            ts = times[a["time"]].timestamp()
            held = kept.get(a["attempt_id"])
            if held is None:
                kept[a["attempt_id"]] = (a, order, ts, c)
                new += 1
            elif held[0] == a:
                repeated += 1
            else:
                conflicting += 1
                if ts < held[2]:
                    kept[a["attempt_id"]] = (a, order, ts, c)
        n = len(c.doc["attempts"])
        notes = []
        if repeated and c is group[0]:
            notes.append(f"{repeated} repeated attempt ids ignored")
        if conflicting:
            notes.append(f"{conflicting} attempt ids used with other answers in another file of this learner (the "
                         "earlier answer counts)")
        extra = f", {', '.join(notes)}" if notes else ""
        first = group[0]
        if c is first:
            reports[c.index] = FileReport(c.name, ACCEPTED, f"{new} attempts{extra}", learner_id=c.learner_id,
                                          n_attempts=n, n_new_attempts=new)
        elif new or conflicting:
            reports[c.index] = FileReport(
                c.name, ACCEPTED,
                f"same learner_id as {first.name}: merged attempt by attempt, {new} attempts not in that file "
                f"added{extra}", learner_id=c.learner_id, n_attempts=n, n_new_attempts=new)
        else:
            reports[c.index] = FileReport(
                c.name, DUPLICATE_LEARNER,
                f"same learner_id as {first.name}, which holds every attempt of this file (counted once)",
                learner_id=c.learner_id, n_attempts=n)
    out = [ClassAttempt.from_dict(a, learner_id=c.learner_id, order=order, timestamp=ts)
           for a, order, ts, c in kept.values()]
    for c in group:
        c.doc = {}  # free memory early
    return out
