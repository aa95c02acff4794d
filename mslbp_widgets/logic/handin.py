"""Hand-in: a learner's export written, with one click, into a folder the instructor set up (plain logic; the
button is ``ui/handin.py``, the set-up is in docs/hub.md).

The folder
    ``$MSLBP_HANDIN_DIR``. On a JupyterHub the administrator sets it for every learner's server in the hub's
    configuration (``c.Spawner.environment``, or ``singleuser.extraEnv`` in Zero to JupyterHub), and it names a
    shared volume. It must exist: the course never creates it.

The file
    ``<account>--<learner id>.json`` on a hub (``$JUPYTERHUB_USER``, the account the hub logged in, made safe for
    a file name), ``<learner id>.json`` elsewhere. The learner id is the one of the learner's own progress log at
    the moment of the click (``log.learner_id``); nothing the learner types ever becomes part of a path. Handing in
    again replaces that same file, so the class tally (which reads the folder) counts the latest hand-in; another
    learner's file has another name and is never touched.

How it is written
    The content is :func:`export_format.export_document` (the one builder of the export format). It goes to a
    hidden temporary file in the folder (created exclusively, so never through a planted link), is flushed and
    fsynced, made readable by the folder's group (mode 0640), and renamed over the learner's file
    (``os.replace``: atomic; the instructor's tally never sees half a file, and a link planted at the learner's
    name is replaced, never followed). A name that already exists as a link or as anything but a regular file is
    refused.

What this cannot prevent
    Where every learner's server runs as the same operating-system account (one Voila or Lab server for a room,
    or Zero to JupyterHub's default single user id), code a learner runs (a cell, a terminal) can write anything
    in the folder, including a file under another learner's name. Only per-learner accounts (The Littlest
    JupyterHub) and a sticky, write-only folder stop that; docs/hub.md says how. The tally therefore treats
    hand-ins as untrusted input, exactly like uploaded exports.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from pathlib import Path

from .attempts import utc_now
from .errors import MslbpError
from .export_format import export_document
from .records import Record

#: Environment variable naming the hand-in folder (set by the instructor or the hub's configuration).
HANDIN_DIR_ENV = "MSLBP_HANDIN_DIR"
#: Environment variable JupyterHub sets in every learner's server: the account's name.
HUB_USER_ENV = "JUPYTERHUB_USER"
#: Permissions of a handed-in file: the learner may rewrite it, the folder's group (the instructors) may read it.
FILE_MODE = 0o640

_LEARNER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


class HandInError(MslbpError):
    """The answers could not be handed in (the message says why and what to do instead)."""


class HandIn(Record):
    """A completed hand-in: the file written, how many attempts it holds, and whether it replaced an earlier one."""

    path: Path
    n_attempts: int
    replaced: bool
    time: str


def handin_dir() -> Path | None:
    """The hand-in folder named by ``$MSLBP_HANDIN_DIR``, or None when it is not set (or empty)."""
    value = os.environ.get(HANDIN_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None


def safe_account(account: str) -> str:
    """A hub account name as part of a file name: letters, digits, ``.``, ``_`` and ``-`` kept, anything else
    (``@``, ``/``, spaces, other scripts) written as ``_``; never hidden (no leading dot); at most 64 characters."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", account).lstrip(".")[:64]
    return safe or "_"


def handin_name(learner_id: str, account: str | None = None) -> str:
    """The file name of a learner's hand-in: ``<account>--<learner id>.json`` on a hub, ``<learner id>.json``
    elsewhere. Raises HandInError for a learner id that is not a plain id (it never comes from typed input)."""
    if not isinstance(learner_id, str) or not _LEARNER_ID.fullmatch(learner_id):
        raise HandInError("your progress has no usable learner id, so it cannot be handed in: use 'Download my "
                          "attempts (JSON)' and send the file to your instructor")
    if account:
        return f"{safe_account(account)}--{learner_id}.json"
    return f"{learner_id}.json"


def no_folder_message() -> str:
    """What to tell a learner when no hand-in folder is set up (plain text)."""
    return ("This server has no hand-in folder, so your answers cannot be handed in from here. To hand them in: "
            "use 'Download my attempts (JSON)' above, keep the file, and send it to your instructor the way they "
            "asked (for example, upload it to the course page or attach it to an email). "
            f"Instructors: set the environment variable {HANDIN_DIR_ENV} to a shared folder (see docs/hub.md).")


def _check_folder(folder: Path) -> None:
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        raise HandInError(f"the hand-in folder {folder} does not exist. Tell your instructor; meanwhile use "
                          "'Download my attempts (JSON)' to keep your answers") from None
    except OSError as exc:
        raise HandInError(f"the hand-in folder {folder} cannot be reached ({exc.strerror or exc}). Tell your "
                          "instructor; meanwhile use 'Download my attempts (JSON)' to keep your answers") from None
    if not stat.S_ISDIR(st.st_mode):
        raise HandInError(f"the hand-in folder {folder} is not a folder. Tell your instructor; meanwhile use "
                          "'Download my attempts (JSON)' to keep your answers")


def hand_in(log, folder: Path | str | None = None, account: str | None = None) -> HandIn:
    """Write the learner's export (``log``: their ProgressLog, read at this moment) to the hand-in folder.

    ``folder`` defaults to :func:`handin_dir` and ``account`` to ``$JUPYTERHUB_USER``. Returns a :class:`HandIn`;
    raises HandInError, with what to do instead, when there is no folder, nothing to hand in, the name is taken by
    a link or something that is not a file, or the folder cannot be written.
    """
    target_dir = handin_dir() if folder is None else Path(folder).expanduser()
    if target_dir is None:
        raise HandInError(no_folder_message())
    account = os.environ.get(HUB_USER_ENV) if account is None else account
    learner_id = log.learner_id  # the id at the moment of the click, from the learner's own log
    attempts = log.attempts()
    if not attempts:
        raise HandInError("you have not answered any question yet, so there is nothing to hand in: answer the "
                          "questions your instructor set, then hand in")
    name = handin_name(learner_id, account)
    _check_folder(target_dir)
    target = target_dir / name
    try:
        existing = os.lstat(target)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise HandInError(f"{target} cannot be checked ({exc.strerror or exc})") from None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        what = "a link" if stat.S_ISLNK(existing.st_mode) else "not a regular file"
        raise HandInError(f"{target} is {what}, so it was not replaced and nothing was handed in. Tell your "
                          "instructor; meanwhile use 'Download my attempts (JSON)' to keep your answers")
    when = utc_now()
    payload = (json.dumps(export_document(learner_id, attempts, when), indent=1, ensure_ascii=False) + "\n")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target_dir, prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, FILE_MODE)
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise HandInError(f"your answers could not be written to the hand-in folder {target_dir} "
                          f"({exc.strerror or exc}). Tell your instructor; meanwhile use 'Download my attempts "
                          "(JSON)' to keep your answers") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return HandIn(target, len(attempts), existing is not None, when)
