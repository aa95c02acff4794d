"""The learner export format, version 2 (version 1 still read): one reader for every file that claims to be a
learner's attempts.

The format is defined by `data/schema/attempts-export.schema.json` (version 2: an attempt holds `selection` for a
choice question or `answer` for a matching, ordering or numeric one); version 1, choice questions only, by
`data/schema/attempts-export-v1.schema.json`, and files of that version are read as they are (every version-1
document is also a valid version-2 document but for its number). The progress log writes it, reads it back to
resume, and the instructor's class tally reads many learners' copies. Every such file is untrusted: it may be
cut short, hand-edited, another format, or hostile. `read_export` checks it in this order and stops at the first
kind of problem, raising `ExportFormatError` with a `kind` (below), the `field` and a plain-text `detail` that never
echoes long values from the file:

    not-json        not UTF-8 text, empty, or does not start like JSON (a CSV download, an HTML page)
    malformed-json  JSON that does not parse (truncated, NaN/Infinity, a key twice in one object)
    wrong-format    not an object, or `format` is not "mslbp-attempts"
    wrong-version   `version` is not 1 or 2
    schema-invalid  breaks the schema (the first problem's field is named), or a time is not a date-time

Valid files pass a compiled validator (fastjsonschema); only invalid ones go through jsonschema, which names the
field. Date-times are checked by parsing them (`parse_time`), the same way for every reader.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import datetime, timezone
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from .records import Record

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

from .attempts import Attempt, answer_text
from .errors import ExportFormatError
from .paths import data_dir
from .text import clean

FORMAT = "mslbp-attempts"
#: The version every export is written in.
VERSION = 2
#: The versions read, each with its own schema (`SCHEMA_FILES`).
READ_VERSIONS = (1, 2)
SCHEMA_FILES = {1: "attempts-export-v1.schema.json", 2: "attempts-export.schema.json"}
#: Columns of the CSV export, in order (the attempt fields of the JSON format; `answer` in the words of
#: `attempts.answer_text`, empty for choice questions; `stage_id` last, empty when unknown).
CSV_COLUMNS = ("attempt_id", "case_id", "question_id", "selection", "verdict", "score", "confidence", "time",
               "answer", "stage_id")

NOT_JSON = "not-json"
MALFORMED_JSON = "malformed-json"
WRONG_FORMAT = "wrong-format"
WRONG_VERSION = "wrong-version"
SCHEMA_INVALID = "schema-invalid"

_DETAIL_LIMIT = 300
#: Largest export :func:`parse_export` accepts (bytes); the schema caps attempts at 100,000.
MAX_EXPORT_BYTES = 50_000_000


def short(text: object, limit: int = _DETAIL_LIMIT) -> str:
    """Text on one line, cut to `limit` characters (for messages that may carry text from a file)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fail(source: str, kind: str, field: str, detail: str) -> ExportFormatError:
    # clean(): a key such as "\udc80" echoed in the detail could not be sent to the page (lone surrogates)
    source, field, detail = clean(source), clean(field), clean(detail)
    err = ExportFormatError(f"{source}: {field}: {detail}")
    err.source, err.kind, err.field, err.detail = source, kind, field, detail
    return err


@lru_cache(maxsize=2)
def schema(version: int = VERSION) -> dict[str, Any]:
    """The export schema of one version (default: the one written), from the course's data folder."""
    return json.loads((data_dir() / "schema" / SCHEMA_FILES[version]).read_text(encoding="utf-8"))


@lru_cache(maxsize=2)
def _precise(version: int = VERSION) -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # only when a message must be worded: it is slow to import

    Draft202012Validator.check_schema(schema(version))
    return Draft202012Validator(schema(version))  # no format checks here: times are checked by parse_time


@lru_cache(maxsize=2)
def _compiled(version: int = VERSION):
    import fastjsonschema  # here, when the first export is read

    draft07 = {**schema(version), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(draft07, formats={"date-time": lambda value: True})


#: At most this many schema errors are gathered to word a problem: a hostile file can hold a hundred thousand
#: broken attempts, and gathering every error took seconds and gigabytes.
MAX_SCHEMA_ERRORS = 20


def schema_errors(doc: Any, limit: int = MAX_SCHEMA_ERRORS) -> list:
    """The first schema errors in `doc` (at most `limit`, jsonschema errors in document order); empty for a valid
    document. A version-1 document is checked against the version-1 schema, anything else against the current."""
    version = 1 if isinstance(doc, dict) and doc.get("version") == 1 and doc.get("version") is not True else VERSION
    try:
        _compiled(version)(doc)
        return []
    except Exception:  # noqa: BLE001 - a JsonSchemaException, or data the compiled code did not expect
        pass
    first = list(islice(_precise(version).iter_errors(doc), limit))
    return sorted(first, key=lambda e: ([str(p) for p in e.absolute_path], e.validator))


def field_path(parts: Iterable[Any]) -> str:
    """`['attempts', 0, 'time']` -> `attempts[0].time`."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _schema_message(error: Any) -> str:
    """What is wrong, without echoing long learner-provided values."""
    v = error.validator
    if v == "required":
        return short(error.message, 120)
    if v == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in error.instance if k not in allowed) if isinstance(error.instance, dict) else []
        named = f" ({short(', '.join(extra), 60)})" if extra else ""
        return f"has a field the export format does not allow{named}"
    if v == "anyOf" and list(error.absolute_path)[-1:] == ["confidence"]:
        return "must be a whole number from 1 to 5, or null"
    if v == "oneOf" and isinstance(error.instance, dict):
        return ("must have either `selection` (a choice question) or `answer` (a matching, ordering or numeric "
                "question), one of them")
    if v == "pattern":
        return "has characters or a shape the export format does not allow"
    if v in ("type", "enum", "const", "minimum", "maximum", "minItems", "maxItems", "uniqueItems", "maxLength"):
        return f"breaks the export format's '{v}' rule ({short(json.dumps(error.schema.get(v)), 80)})"
    return f"breaks the export format's '{v}' rule"


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 date-time with a date and a time (a bare one is read as UTC); None if it is not one."""
    if not isinstance(value, str) or "T" not in value.upper():
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo is not None else t.replace(tzinfo=timezone.utc)


class _StrictJSONError(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _StrictJSONError(f"the key {short(repr(dup), 60)} appears twice in one object")
    return out


def _reject_constant(name: str) -> Any:
    raise _StrictJSONError(f"{name} is not allowed in an export")


def read_export(data: bytes | str, source: str) -> dict[str, Any]:
    """Decode and check one export; return the document, or raise ExportFormatError (with kind/field/detail)."""
    return check_document(_parse_json(data, source), source)


def _parse_json(data: bytes | str, source: str) -> Any:
    if isinstance(data, bytes | bytearray | memoryview):
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _fail(source, NOT_JSON, "(file)", "not a text file (not UTF-8), so not a JSON export") from None
    elif isinstance(data, str):
        text = data
    else:
        raise _fail(source, NOT_JSON, "(file)", f"expected text or bytes, got {type(data).__name__}")
    stripped = text.lstrip()
    if not stripped:
        raise _fail(source, NOT_JSON, "(file)", "the file is empty")
    if stripped[0] not in "{[":
        hint = " (this is the CSV download: load the JSON one)" if stripped.startswith("attempt_id,") else ""
        raise _fail(source, NOT_JSON, "(file)",
                    f"not JSON: a JSON export starts with '{{'{hint}; download the JSON export, not CSV or HTML")
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        end = " (the file looks cut short: truncated)" if cut else ""
        raise _fail(source, MALFORMED_JSON, "(file)",
                    f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}{end}") from None
    except _StrictJSONError as exc:
        raise _fail(source, MALFORMED_JSON, "(file)", short(f"malformed JSON: {exc}")) from None
    except (RecursionError, ValueError) as exc:  # absurd nesting, or a number with thousands of digits
        raise _fail(source, MALFORMED_JSON, "(file)", f"malformed JSON: {type(exc).__name__}") from None
    return doc


def check_document(doc: Any, source: str) -> dict[str, Any]:
    """The checks of :func:`read_export` after the JSON is parsed: format, version, schema, date-times."""
    if not isinstance(doc, dict):
        raise _fail(source, WRONG_FORMAT, "(top level)", "the top level is not an object, so this is not an export")
    if doc.get("format") != FORMAT:
        found = "missing" if "format" not in doc else short(json.dumps(doc.get("format"), ensure_ascii=True), 60)
        raise _fail(source, WRONG_FORMAT, "format", f"format is {found}; expected {FORMAT!r}")
    version = doc.get("version")
    if version not in READ_VERSIONS or isinstance(version, bool):
        found = "missing" if "version" not in doc else short(json.dumps(version, ensure_ascii=True), 60)
        readable = " and ".join(str(v) for v in READ_VERSIONS)
        raise _fail(source, WRONG_VERSION, "version",
                    f"version is {found}; this course reads export versions {readable}")
    cap = schema()["properties"]["attempts"]["maxItems"]
    if isinstance(doc.get("attempts"), list) and len(doc["attempts"]) > cap:  # before the schema: checking each of
        # a million attempts only to report that there are too many took tens of seconds
        raise _fail(source, SCHEMA_INVALID, "attempts", f"breaks the export format's 'maxItems' rule ({cap})")
    try:
        errors = schema_errors(doc)
    except RecursionError:  # deeply nested lists where ids belong: jsonschema recurses into them
        raise _fail(source, SCHEMA_INVALID, "(file)", "values are nested far too deeply for an export") from None
    if errors:
        more = (f" (and at least {len(errors) - 1} more problems)" if len(errors) >= MAX_SCHEMA_ERRORS
                else f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else "")
        first = errors[0]
        raise _fail(source, SCHEMA_INVALID, field_path(first.absolute_path), short(_schema_message(first) + more))
    if parse_time(doc["exported_at"]) is None:
        raise _fail(source, SCHEMA_INVALID, "exported_at", "not a date-time like 2026-11-21T12:00:00Z")
    for i, attempt in enumerate(doc["attempts"]):
        if parse_time(attempt["time"]) is None:
            raise _fail(source, SCHEMA_INVALID, f"attempts[{i}].time", "not a date-time like 2026-11-21T12:00:00Z")
    return doc


# --------------------------------------------------------------------------------------------- writing


def export_document(learner_id: str, attempts: Iterable[Attempt], exported_at: str) -> dict[str, Any]:
    """The export document (format version 2) for one learner's attempts: what the progress file holds, what a
    download gives, and what the sample exports are. The one place the document is built."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "learner_id": learner_id,
        "exported_at": exported_at,
        "attempts": [a.to_dict() for a in attempts],
    }


def attempts_csv(attempts: Iterable[Attempt]) -> str:
    """The attempts as CSV, one row per attempt (columns :data:`CSV_COLUMNS`, selection joined by ``;``, a missing
    confidence or stage id empty, the answer of a matching, ordering or numeric question in the answer column)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in attempts:
        writer.writerow([a.attempt_id, a.case_id, a.question_id, ";".join(a.selection), a.verdict, f"{a.score:g}",
                         "" if a.confidence is None else a.confidence, a.time, answer_text(a.answer), a.stage_id or ""])
    return buffer.getvalue()


def download_name(learner_id: str, extension: str, when: datetime | None = None) -> str:
    """The file name of a download, e.g. ``mslbp-attempts-3f9c2a1b-20261121-1158.json``.

    It carries the start of the anonymous learner id, so a class's downloads made in the same minute do not
    overwrite each other when an instructor collects them into one folder.
    """
    when = when or datetime.now(timezone.utc)
    return f"mslbp-attempts-{learner_id[:8]}-{when.strftime('%Y%m%d-%H%M')}.{extension}"


# --------------------------------------------------------------------------------------------- reading as attempts


class Export(Record):
    """A parsed, validated export: the anonymous learner id, when it was written, and the attempts."""

    learner_id: str
    exported_at: str
    attempts: tuple[Attempt, ...]


def parse_export(data: str | bytes, source_name: str) -> Export:
    """Read one export (the text or bytes of a download) as attempts, after the checks of :func:`read_export`.

    The input is untrusted: size-capped, then checked by :func:`read_export`, whose :class:`ExportFormatError`
    message starts with ``source_name`` and names the field, e.g.
    ``"my-attempts.json: version: version is 3; this course reads export versions 1 and 2"``.
    """
    if isinstance(data, str | bytes | bytearray | memoryview) and len(data) > MAX_EXPORT_BYTES:
        raise _fail(source_name, NOT_JSON, "(file)", f"larger than {MAX_EXPORT_BYTES:,} bytes; not an export")
    doc = read_export(data, source_name)
    return Export(doc["learner_id"], doc["exported_at"], tuple(Attempt.from_dict(a) for a in doc["attempts"]))


#: At most this many set-aside attempts get a worded problem (the others: "breaks the export format").
_WORDED_BAD_ATTEMPTS = 20


class BadAttempt(Record):
    """An attempt that breaks the format, set aside: its position in the file, what is wrong, the record itself."""

    index: int
    problem: str
    record: Any


def salvage_export(data: bytes | str, source: str) -> tuple[Export, tuple[BadAttempt, ...]]:
    """Read an export whose only problems are in some of its attempts: (the export with the good attempts, the bad
    ones). Raises the :func:`read_export` error when the file is broken elsewhere (not JSON, another format, a bad
    learner id) or has no good attempt at all: then there is nothing to salvage."""
    try:
        return parse_export(data, source), ()
    except ExportFormatError as exc:
        first = exc
        if exc.kind != SCHEMA_INVALID or len(data) > MAX_EXPORT_BYTES:
            raise
    doc = _parse_json(data, source)
    attempts = doc.get("attempts") if isinstance(doc, dict) else None
    if not isinstance(attempts, list):
        raise first
    try:
        check_document({**doc, "attempts": []}, source)
    except ExportFormatError:
        raise first from None
    good: list[Attempt] = []
    bad: list[BadAttempt] = []
    compiled = _compiled(1 if doc.get("version") == 1 and doc.get("version") is not True else VERSION)
    for i, record in enumerate(attempts):
        one = {**doc, "attempts": [record]}
        try:
            compiled(one)
            ok = parse_time(record["time"]) is not None
        except Exception:  # noqa: BLE001 - the compiled validator's error, or a record of an unexpected shape
            ok = False
        if ok:
            good.append(Attempt.from_dict(record))
            continue
        problem = "breaks the export format"
        if len(bad) < _WORDED_BAD_ATTEMPTS:
            try:
                check_document(one, source)
            except ExportFormatError as err:
                problem = f"{err.field.replace('attempts[0]', f'attempts[{i}]')}: {err.detail}"
        bad.append(BadAttempt(i, problem, record))
    if not good:
        raise first
    return Export(doc["learner_id"], doc["exported_at"], tuple(good)), tuple(bad)
