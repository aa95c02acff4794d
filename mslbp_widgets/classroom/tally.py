"""Class tally from many learners' exported attempt files (untrusted input).

An instructor collects the JSON files that learners download from the case bank (export format version 1,
`data/schema/attempts-export.schema.json`) into one folder, or uploads them in the instructor notebook.
`load_exports` reads them one by one and never lets one bad file cost the others:

* a file larger than `max_bytes` (default `DEFAULT_MAX_BYTES`, 2 MB) is skipped **before** it is read: its size
  is checked with `stat`, and at most `max_bytes + 1` bytes are ever read, so a 50 MB file costs nothing.
  A real export is small (about 250 bytes per attempt: 2 MB is roughly 8,000 attempts, far more than the
  whole course has questions);
* a file that is not JSON, JSON that is truncated or malformed, JSON with the wrong `format` string or
  `version`, and JSON that breaks the export schema (the report names the field) are skipped with a reason;
* a file whose bytes are identical to another file's is skipped as a duplicate; when two files carry the same
  `learner_id` (a learner exported twice), the one with the latest `exported_at` is used and the other is
  skipped as a duplicate learner (ties: the file whose name sorts first wins), whatever the order of the files;
* attempts are de-duplicated by `attempt_id`.

`tally(data, library)` then counts, per question of the case library, what the class answered. **The class
tally uses each learner's first attempt at each question** (earliest `time`; ties broken by position in the
file): the first answer shows what the room thought before feedback taught them, which is what a discussion
is about; later attempts are counted in `n_attempts` only. Correctness is recomputed from the case library with
`evaluate`, never taken from the learner's file (a file can claim anything, and a case may have been edited
since): an attempt that names an option the library does not have is counted as an "unknown option" answer and
is not correct. Attempts at cases or questions the library does not know are counted separately.

Nothing in this module produces HTML: every string that came from a learner's file (file names, ids,
error details) must be escaped by whoever displays it (`mslbp_widgets.ui.instructor` does).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import math
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..logic import export_format, progress
from ..logic.errors import ExportFormatError, MslbpError
from ..logic.export_format import parse_time, read_export, short
from ..logic.paths import data_dir

#: Default size limit for one export file, in bytes (2 MB). Larger files are skipped without being read.
DEFAULT_MAX_BYTES = 2 * 1024 * 1024

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

#: Learner-facing label for an answer naming an option that is not in the case library.
UNKNOWN_OPTION_LABEL = "unknown option"
_DETAIL_LIMIT = 300


# --------------------------------------------------------------------------------------------------------------
# Loading


@dataclass(frozen=True)
class FileReport:
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


@dataclass(frozen=True)
class Attempt(progress.Attempt):
    """One attempt from an accepted export: a `progress.Attempt` (fields as in the export format) plus the learner,
    its position in the file and its time as a number."""

    learner_id: str
    order: int  # position in its file
    timestamp: float = 0.0  # `time` as seconds since the epoch (fast to compare)


_learner_question = attrgetter("learner_id", "case_id", "question_id")
_time_then_order = attrgetter("timestamp", "order")


@dataclass(frozen=True)
class ClassData:
    """Everything accepted from a set of exports, and a report line for every file looked at."""

    reports: tuple[FileReport, ...]
    attempts: tuple[Attempt, ...]
    max_bytes: int = DEFAULT_MAX_BYTES

    @property
    def accepted(self) -> tuple[FileReport, ...]:
        return tuple(r for r in self.reports if r.accepted)

    @property
    def skipped(self) -> tuple[FileReport, ...]:
        return tuple(r for r in self.reports if not r.accepted)

    @property
    def learners(self) -> tuple[str, ...]:
        """Learner ids of the accepted files, in report order."""
        return tuple(r.learner_id for r in self.accepted if r.learner_id)

    def first_attempts(self) -> tuple[Attempt, ...]:
        """Each learner's first attempt at each (case, question): earliest time, then position in the file."""
        return tuple(progress.first_attempts(self.attempts, key=_learner_question, earliest=_time_then_order))


@dataclass
class _Candidate:
    name: str
    sha: str
    doc: dict[str, Any]
    learner_id: str
    exported_at: datetime
    index: int


def _short(text: str, limit: int = _DETAIL_LIMIT) -> str:
    return short(text, limit)


def _read_limited(path: Path, max_bytes: int) -> tuple[bytes | None, FileReport | None]:
    name = path.name
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
    near = difflib.get_close_matches(resolved.name, siblings, n=1, cutoff=0.6)
    if near:
        msg += f". Did you mean {str(parent / near[0])!r}?"
    elif not parent.is_dir():
        msg += f". The folder above it, {parent}, does not exist either"
    return msg


def _sources(folder_or_files: Any) -> list[tuple[str, Path | bytes]]:
    """Normalise the input into (display name, path-or-bytes) pairs."""
    if isinstance(folder_or_files, (str, os.PathLike)):
        p = Path(folder_or_files).expanduser()
        if p.is_dir():
            return [(f.name, f) for f in sorted(p.iterdir()) if not f.name.startswith(".") and not f.is_dir()]
        if p.exists():
            return [(p.name, p)]
        raise ExportFormatError(missing_folder_message(folder_or_files, "no such file or folder"))
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
    for index, (name, src) in enumerate(_sources(folder_or_files)):
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

    # One file per learner: the latest export wins (it holds everything the earlier one did).
    by_learner: dict[str, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_learner[c.learner_id].append(c)
    chosen: list[_Candidate] = []
    for group in by_learner.values():
        group.sort(key=lambda c: (-c.exported_at.timestamp(), c.name, c.index))
        winner = group[0]
        chosen.append(winner)
        for loser in group[1:]:
            reports[loser.index] = FileReport(
                loser.name,
                DUPLICATE_LEARNER,
                f"same learner_id as {winner.name}, which was exported later (or equally late) and is used instead",
                learner_id=loser.learner_id,
                n_attempts=len(loser.doc["attempts"]),
            )

    attempts: list[Attempt] = []
    seen_attempts: set[str] = set()
    for c in sorted(chosen, key=lambda c: c.index):
        new = 0
        times = c.doc["_times"]
        stamps: dict[str, float] = {}
        for order, a in enumerate(c.doc["attempts"]):
            if a["attempt_id"] in seen_attempts:
                continue
            seen_attempts.add(a["attempt_id"])
            new += 1
            ts = stamps.get(a["time"])
            if ts is None:
                ts = stamps[a["time"]] = times[a["time"]].timestamp()
            attempts.append(Attempt.from_dict(a, learner_id=c.learner_id, order=order, timestamp=ts))
        n = len(c.doc["attempts"])
        dupes = f", {n - new} repeated attempt ids ignored" if new != n else ""
        reports[c.index] = FileReport(
            c.name, ACCEPTED, f"{new} attempts{dupes}", learner_id=c.learner_id, n_attempts=n, n_new_attempts=new
        )
        c.doc = {}  # free memory early
    return ClassData(
        reports=tuple(reports[i] for i in sorted(reports)), attempts=tuple(attempts), max_bytes=max_bytes
    )


# --------------------------------------------------------------------------------------------------------------
# Tally


@dataclass(frozen=True)
class OptionCount:
    """How many learners chose one option on their first attempt (multiple choice: ticked it)."""

    option_id: str | None  # None for the "unknown option" bucket
    text: str  # the library's option text, or UNKNOWN_OPTION_LABEL
    count: int
    correct: bool = False
    acceptable: bool = False
    feedback: str = ""

    @property
    def known(self) -> bool:
        return self.option_id is not None


@dataclass(frozen=True)
class QuestionTally:
    """The class's answers to one question (first attempt per learner)."""

    case_id: str
    case_title: str
    question_id: str
    prompt: str
    question_type: str
    n_learners: int  # learners with at least one attempt at this question
    n_attempts: int  # every attempt, not only first ones
    n_first_correct: int
    options: tuple[OptionCount, ...]  # the order learners see (lettered A, B, C…), every option, zero counts too
    unknown: OptionCount  # first attempts naming an option the library does not have
    mechanisms: tuple[str, ...] = ()

    @property
    def pct_first_correct(self) -> float | None:
        """Percentage of learners whose first attempt was correct; None when nobody answered."""
        return 100.0 * self.n_first_correct / self.n_learners if self.n_learners else None

    @property
    def wrong_answers(self) -> tuple[OptionCount, ...]:
        """Options that are not correct and were chosen, most chosen first (ties: the order learners see)."""
        wrong = [o for o in self.options if not o.correct and o.count > 0]
        return tuple(sorted(wrong, key=lambda o: -o.count))

    @property
    def most_common_wrong(self) -> OptionCount | None:
        wrong = self.wrong_answers
        return wrong[0] if wrong else None


@dataclass(frozen=True)
class MechanismAccuracy(progress.Tally):
    """First-attempt accuracy (a `progress.Tally`) over every question of the cases tagged with one mechanism."""

    mechanism: str
    label: str


@dataclass(frozen=True)
class CalibrationBin(progress.Tally):
    """First attempts given with one confidence level (1-5), and how many were correct (a `progress.Tally`)."""

    confidence: int


@dataclass(frozen=True)
class ClassTally:
    """The whole class tally: per question, by mechanism, confidence calibration, and what was not recognised."""

    n_learners: int
    questions: tuple[QuestionTally, ...]
    mechanisms: tuple[MechanismAccuracy, ...]
    calibration: tuple[CalibrationBin, ...]
    unknown_questions: tuple[tuple[str, str, int], ...] = field(default=())  # (case_id, question_id, attempts)
    n_unrated: int = 0  # first attempts (on known questions) given without a confidence rating

    def question(self, case_id: str, question_id: str) -> QuestionTally | None:
        for q in self.questions:
            if q.case_id == case_id and q.question_id == question_id:
                return q
        return None


def sample_exports_folder() -> Path:
    """The bundled synthetic sample exports (data/sample-exports), for trying the class tally."""
    return data_dir() / "sample-exports"


class UnknownCaseError(MslbpError, KeyError):
    """No case or check set has this id. The message names the nearest id (`suggestion`) and every known id."""

    def __init__(self, case_id: str, known: Mapping[str, Any]):
        self.case_id = case_id
        self.known = tuple(known)
        self.suggestion = nearest_id(case_id, self.known)
        cases = [i for i, c in known.items() if getattr(c, "kind", "case") != "check"]
        checks = [i for i, c in known.items() if getattr(c, "kind", "case") == "check"]
        hint = f" Did you mean {self.suggestion!r}?" if self.suggestion else ""
        listing = f"Case ids: {', '.join(cases) or '(none)'}."
        if checks:
            listing += f" Check sets: {', '.join(checks)}."
        self.message = (f"There is no case or check set with the id {case_id!r}.{hint} {listing} (An id is the "
                        "case file's name in data/cases/ or data/checks/ without .yaml.)")
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.message


def nearest_id(typed: str, ids: Iterable[str]) -> str | None:
    """The known id closest to a mistyped one (difflib), or None when nothing is close."""
    ids = list(ids)
    clean = "-".join(str(typed).strip().lower().replace("_", "-").split())
    if clean in ids:
        return clean
    near = difflib.get_close_matches(clean, ids, n=1, cutoff=0.5)
    if near:
        return near[0]
    starts = [i for i in ids if clean and (i.startswith(clean) or clean in i)]
    return starts[0] if len(starts) == 1 else None


def find_case(case_id: str, library: Mapping[str, Any] | None = None) -> Any:
    """The case or check set with this id from `library` (default: the whole course), or `UnknownCaseError`."""
    lib = default_library() if library is None else library
    if isinstance(case_id, str) and case_id in lib:
        return lib[case_id]
    raise UnknownCaseError(str(case_id), lib)


def default_library() -> dict[str, Any]:
    """Every case and check of the course, by id (the library the tally counts against).

    Raises `CaseValidationError` if a case file is invalid (run `python -m mslbp_widgets validate`)."""
    from ..logic.cases import case_library, check_library
    from ..logic.cases.loading import case_files, cases_dir, checks_dir

    lib: dict[str, Any] = {}
    if cases_dir().is_dir() and case_files(cases_dir()):
        lib.update(case_library())
    if checks_dir().is_dir() and case_files(checks_dir()):  # an empty checks folder is not an error here
        lib.update(check_library())
    return lib


def _mechanism_labels() -> dict[str, str]:
    import yaml

    try:
        raw = yaml.safe_load((data_dir() / "mechanisms.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {k: str(v.get("label", k)) for k, v in raw.items() if isinstance(v, dict)}


def _is_correct(question: Any, selection: tuple[str, ...]) -> bool | None:
    """True/False from the library's answer key; None if the selection names an unknown option."""
    from ..logic.errors import SelectionError
    from ..logic.evaluate import evaluate

    known = {o.id for o in question.options}
    if not selection or any(s not in known for s in selection):
        return None
    try:
        return evaluate(question, selection).verdict == "correct"
    except SelectionError:  # e.g. two options on a single-choice question
        return None


def display_options(question: Any) -> tuple[Any, ...]:
    """A question's options in the order learners see them (`Question.display_options()`), lettered A, B, C…"""
    show = getattr(question, "display_options", None)
    return tuple(show()) if callable(show) else tuple(question.options)


def tally(
    data: ClassData, library: Mapping[str, Any] | None = None, include_unanswered: bool = False
) -> ClassTally:
    """Count the class's first attempts against the case library (default: every case and check).

    Questions appear in library order; with `include_unanswered` every question of the library appears, even
    with no answers (presenter mode uses this to show "no answers yet").
    """
    lib = default_library() if library is None else library
    first = data.first_attempts()
    all_count: Counter[tuple[str, str]] = Counter((a.case_id, a.question_id) for a in data.attempts)
    by_question: dict[tuple[str, str], list[Attempt]] = defaultdict(list)
    for a in first:
        by_question[(a.case_id, a.question_id)].append(a)

    known: list[Attempt] = []  # first attempts at questions the library has, for the mechanism and confidence tallies
    judged: dict[str, bool] = {}  # their attempt id -> correct by the library's answer key
    questions: list[QuestionTally] = []
    known_keys: set[tuple[str, str]] = set()
    for case in lib.values():
        for q in case.questions:
            key = (case.id, q.id)
            known_keys.add(key)
            answers = by_question.get(key, [])
            if not answers and not include_unanswered:
                continue
            counts: Counter[str] = Counter()
            n_unknown = 0
            n_correct = 0
            verdicts: dict[frozenset[str], bool | None] = {}  # the same answers recur: evaluate each once
            for a in answers:
                chosen = frozenset(a.selection)
                if chosen not in verdicts:
                    verdicts[chosen] = _is_correct(q, a.selection)
                ok = verdicts[chosen]
                if ok is None:
                    n_unknown += 1  # the whole answer goes to the "unknown option" bucket
                else:
                    counts.update(a.selection)
                n_correct += bool(ok)
                known.append(a)
                judged[a.attempt_id] = bool(ok)
            options = tuple(
                OptionCount(
                    option_id=o.id,
                    text=o.text,
                    count=counts.get(o.id, 0),
                    correct=bool(o.correct),
                    acceptable=bool(getattr(o, "acceptable", False)),
                    feedback=o.feedback or "",
                )
                for o in display_options(q)
            )
            questions.append(
                QuestionTally(
                    case_id=case.id,
                    case_title=case.title,
                    question_id=q.id,
                    prompt=q.prompt,
                    question_type=q.type,
                    n_learners=len(answers),
                    n_attempts=all_count.get(key, 0),
                    n_first_correct=n_correct,
                    options=options,
                    unknown=OptionCount(option_id=None, text=UNKNOWN_OPTION_LABEL, count=n_unknown),
                    mechanisms=tuple(case.mechanisms),
                )
            )
    unknown_q = tuple(
        (c, q, n) for (c, q), n in sorted(all_count.items()) if (c, q) not in known_keys
    )
    labels = _mechanism_labels()

    def correct(a: Attempt) -> bool:
        return judged[a.attempt_id]

    mechanisms_of_case = {c.id: c.mechanisms for c in lib.values()}
    by_mechanism = progress.tally_by_mechanism(known, mechanisms_of_case, correct=correct)
    mechanisms = tuple(
        MechanismAccuracy(by_mechanism[m].correct, by_mechanism[m].total, mechanism=m, label=labels.get(m, m))
        for m in (list(labels) + sorted(set(by_mechanism) - set(labels)))
        if m in by_mechanism
    )
    by_level = {c: progress.Tally(0, 0) for c in range(1, 6)}  # every level, answered or not
    by_level |= progress.tally_by_confidence(known, correct=correct)
    calibration = tuple(CalibrationBin(by_level[c].correct, by_level[c].total, confidence=c) for c in range(1, 6))
    n_unrated = sum(a.confidence is None for a in known)
    return ClassTally(
        n_learners=len(data.learners),
        questions=tuple(questions),
        mechanisms=mechanisms,
        calibration=calibration,
        unknown_questions=unknown_q,
        n_unrated=n_unrated,
    )


# --------------------------------------------------------------------------------------------------------------
# Synthetic exports (for demonstrations and the bundled data/sample-exports)

#: Cases used for the bundled sample exports.
SAMPLE_CASES = (
    "lhermitte-shock-on-neck-flexion",
    "burning-band-from-thoracic-cord-lesion",
    "pulling-back-pain-worse-on-waking",
    "lifting-strain-with-stable-ms",
)


def synthetic_exports(
    library: Mapping[str, Any], case_ids: Iterable[str] = SAMPLE_CASES, n_learners: int = 12, seed: int = 20261121
) -> list[dict[str, Any]]:
    """Invented learners' exports (format v1) answering `case_ids`, for trying the class tally before a class.

    Each synthetic learner has a random skill; a wrong single-choice answer favours one tempting wrong option, so
    the tally has a "most common wrong answer" to discuss; some questions are retried until correct. Verdicts come
    from `evaluate`. Deterministic for a given seed and library. Nothing here describes a real person.
    """
    import random

    from ..logic.evaluate import evaluate

    rng = random.Random(seed)
    cases = [library[c] for c in case_ids]

    def pick(q: Any, skill: float) -> list[str]:
        if q.type == "single":
            if rng.random() < skill:
                return [q.best[0].id]
            wrong = [o for o in q.options if not o.correct]
            return [rng.choices(wrong, [3] + [1] * (len(wrong) - 1))[0].id]
        sel = [o.id for o in q.options
               if rng.random() < ((0.6 + skill / 3) if o.correct else (0.3 * (1 - skill) + 0.05))]
        return sel or [q.best[0].id]

    docs = []
    for n in range(1, n_learners + 1):
        skill = rng.uniform(0.35, 0.85)
        attempts = []
        minute = 0
        for case in cases:
            for q in case.questions:
                for attempt_no in range(2):
                    selection = pick(q, skill) if attempt_no == 0 else [o.id for o in q.best]
                    confidence = rng.choice([None, 2, 3, 3, 4, 4, 5]) if attempt_no == 0 else None
                    r = evaluate(q, selection, confidence)
                    minute += rng.randint(1, 3)
                    attempts.append({
                        "attempt_id": f"{rng.getrandbits(128):032x}", "case_id": case.id, "question_id": q.id,
                        "selection": list(r.selection), "verdict": r.verdict, "score": r.score,
                        "confidence": confidence,
                        "time": f"2026-11-21T{10 + minute // 60:02d}:{minute % 60:02d}:00Z",
                    })
                    if r.verdict == "correct" or rng.random() < 0.5:
                        break
        docs.append({"format": export_format.FORMAT, "version": export_format.VERSION,
                     "learner_id": f"{rng.getrandbits(128):032x}",
                     "exported_at": f"2026-11-21T12:{n % 60:02d}:00Z", "attempts": attempts})
    return docs


def write_synthetic_exports(folder: str | os.PathLike[str], library: Mapping[str, Any] | None = None,
                            **kwargs: Any) -> list[Path]:
    """Write `synthetic_exports(...)` as `synthetic-learner-NN.json` files into `folder` (created if needed).

    This is how data/sample-exports was made: `write_synthetic_exports(sample_exports_folder())`.
    """
    lib = default_library() if library is None else library
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, doc in enumerate(synthetic_exports(lib, **kwargs), start=1):
        path = out / f"synthetic-learner-{n:02d}.json"
        path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


# --------------------------------------------------------------------------------------------------------------
# Summary table

SUMMARY_COLUMNS = (
    "case_id",
    "case_title",
    "question_id",
    "question",
    "n_learners",
    "n_attempts",
    "pct_correct_first_attempt",
    "most_common_wrong_answer",
    "most_common_wrong_answer_learners",
)


def lowest_first(questions: Iterable[QuestionTally]) -> list[QuestionTally]:
    """Questions sorted by % correct at the first attempt, lowest first (the ones to discuss); questions nobody
    answered go last; ties keep the case library's order."""
    qs = list(questions)
    return sorted(qs, key=lambda q: (q.pct_first_correct is None, q.pct_first_correct or 0.0))


def summary_rows(t: ClassTally, lowest_first_order: bool = True) -> list[dict[str, Any]]:
    """One row per question: case, question, learners, attempts, % correct at first attempt, top wrong answer.

    Rows are sorted by % correct at the first attempt, **lowest first** (unanswered questions last; ties in library
    order); `lowest_first_order=False` keeps the case library's order."""
    rows = []
    for q in (lowest_first(t.questions) if lowest_first_order else t.questions):
        wrong = q.most_common_wrong
        pct = q.pct_first_correct
        rows.append(
            {
                "case_id": q.case_id,
                "case_title": q.case_title,
                "question_id": q.question_id,
                "question": q.prompt,
                "n_learners": q.n_learners,
                "n_attempts": q.n_attempts,
                "pct_correct_first_attempt": "" if pct is None else round(pct, 1),
                "most_common_wrong_answer": wrong.text if wrong else "",
                "most_common_wrong_answer_learners": wrong.count if wrong else 0,
            }
        )
    return rows


def _csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a text cell starting with = + - @ (or tab/CR) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return value


def summary_csv(t: ClassTally) -> str:
    """The summary table as CSV text (UTF-8, a header row, one row per question, lowest % correct first)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in summary_rows(t):
        writer.writerow({k: _csv_safe(v) for k, v in row.items()})
    return buf.getvalue()
