"""Every resource limit of the course in one place, with the message each limit gives when it is reached.

Hostile or oversized input (a case file nested 30,000 deep, an alias bomb, an export of 100,000 empty attempts, an
upload larger than the server takes) must end in a named rejection, never a crash, a hang or silence. The constants
live here or are re-exported from the module that enforces them; :data:`LIMITS` lists them with their messages, and
the table in docs/architecture.md is checked against it (tests/test_logic_limits.py).
"""

from __future__ import annotations

from .export_format import MAX_EXPORT_BYTES, MAX_SCHEMA_ERRORS
from .records import Record
from .yamlfile import MAX_DATA_FILE_BYTES, MAX_YAML_DEPTH

#: YAML aliases (``*name``) allowed in a data file: none (a few hundred bytes of aliases expand into gigabytes).
MAX_YAML_ALIASES = 0
#: Attempts in one export (the export schema's ``maxItems``; tests check the two agree).
MAX_ATTEMPTS_PER_EXPORT = 100_000
#: Largest file the class tally reads from a folder or an upload (checked before the file is read).
TALLY_FILE_MAX_BYTES = 2 * 1024 * 1024
#: What any Jupyter server accepts in one websocket message, so in one upload (all files of one upload travel in
#: one message): tornado's default. A larger upload is dropped by the server, and the widget never hears of it.
UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024
#: The websocket message limit set where the course configures its own server: ``voila.json`` at the course root
#: (Voila reads config from the folder it starts in) and ``jupyter_server_config.json`` beside it (JupyterLab
#: reads it only when started with ``JUPYTER_CONFIG_PATH=.``). Tests check both files hold this number.
COURSE_SERVER_UPLOAD_BYTES = 64 * 1024 * 1024


def size_words(n: int) -> str:
    """2097152 -> '2 MB', 10485760 -> '10 MB'; other sizes in bytes (MB here means MiB, as the server counts)."""
    mb = n / (1024 * 1024)
    return f"{mb:g} MB" if mb >= 1 and mb == round(mb, 1) else f"{n:,} bytes"


def upload_note() -> str:
    """The sentence shown beside every upload button (plain text)."""
    return (f"Uploads: up to {size_words(UPLOAD_LIMIT_BYTES)} at a time on a standard Jupyter server (the course's "
            f"own Voila app takes {size_words(COURSE_SERVER_UPLOAD_BYTES)}). The server drops a larger upload "
            "without any message: if nothing happens after you choose files, that is why.")


class Limit(Record):
    """One resource limit: what it bounds, its value, where it is enforced, and the words its message carries."""

    name: str
    value: int
    unit: str
    applies_to: str
    message: str


LIMITS: tuple[Limit, ...] = (
    Limit("MAX_YAML_DEPTH", MAX_YAML_DEPTH, "levels", "every YAML data file (cases, checks, tool data, references)",
          f"nested more than {MAX_YAML_DEPTH} levels deep; a course data file needs far fewer"),
    Limit("MAX_YAML_ALIASES", MAX_YAML_ALIASES, "aliases", "every YAML data file",
          "uses a YAML alias (*name); write the value out in full instead"),
    Limit("MAX_DATA_FILE_BYTES", MAX_DATA_FILE_BYTES, "bytes", "every YAML data file",
          f"file is N bytes; a data file may be at most {MAX_DATA_FILE_BYTES:,} bytes"),
    Limit("MAX_EXPORT_BYTES", MAX_EXPORT_BYTES, "bytes", "a learner's progress file and resume upload",
          f"larger than {MAX_EXPORT_BYTES:,} bytes; not an export"),
    Limit("MAX_ATTEMPTS_PER_EXPORT", MAX_ATTEMPTS_PER_EXPORT, "attempts", "every export (schema maxItems)",
          "breaks the export format's 'maxItems' rule (100000)"),
    Limit("MAX_SCHEMA_ERRORS", MAX_SCHEMA_ERRORS, "errors", "wording an invalid export (errors gathered)",
          f"(and at least {MAX_SCHEMA_ERRORS - 1} more problems)"),
    Limit("TALLY_FILE_MAX_BYTES", TALLY_FILE_MAX_BYTES, "bytes", "each file of the class tally (folder or upload)",
          f"over the limit of {TALLY_FILE_MAX_BYTES:,} bytes per file"),
    Limit("UPLOAD_LIMIT_BYTES", UPLOAD_LIMIT_BYTES, "bytes", "one upload (resume button, class tally upload)",
          f"Uploads: up to {size_words(UPLOAD_LIMIT_BYTES)} at a time"),
    Limit("COURSE_SERVER_UPLOAD_BYTES", COURSE_SERVER_UPLOAD_BYTES, "bytes",
          "websocket messages where the course configures the server (voila.json, jupyter_server_config.json)",
          f"the course's own Voila app takes {size_words(COURSE_SERVER_UPLOAD_BYTES)}"),
)


def limits_table() -> str:
    """The limits as a Markdown table (docs/architecture.md holds exactly this)."""
    rows = ["| Limit | Value | Applies to | The message says |", "|---|---|---|---|"]
    rows += [f"| `{lim.name}` | {lim.value:,} {lim.unit} | {lim.applies_to} | {lim.message} |" for lim in LIMITS]
    return "\n".join(rows)
