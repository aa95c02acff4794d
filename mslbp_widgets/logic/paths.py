"""Where the course finds its data and keeps a learner's progress. Both can be overridden by environment variables."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import MslbpError

#: Environment variable naming another data folder (same layout as the repository's `data/`).
DATA_DIR_ENV = "MSLBP_DATA_DIR"
#: Environment variable naming the learner's progress file (one file, one learner: tests, single-user setups).
PROGRESS_FILE_ENV = "MSLBP_PROGRESS_FILE"
#: Environment variable naming the folder of per-learner progress files (default ``~/.mslbp/learners``).
PROGRESS_DIR_ENV = "MSLBP_PROGRESS_DIR"
#: Set by JupyterHub in every single-user server: the account, which is one learner.
HUB_USER_ENV = "JUPYTERHUB_USER"
#: A file that marks a folder as the course's data folder.
_MARKER = Path("schema") / "case.schema.json"


def _is_data_dir(path: Path) -> bool:
    return (path / _MARKER).is_file()


def data_dir() -> Path:
    """The data folder.

    In order: `$MSLBP_DATA_DIR`; `data/` beside the package (an editable install, as in the README); the first
    `data/` found from the working folder upwards (a regular install, as Binder does after requirements.txt,
    with notebooks run from `notebooks/`).
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    beside = Path(__file__).resolve().parents[2] / "data"
    if _is_data_dir(beside):
        return beside
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _is_data_dir(folder / "data"):
            return folder / "data"
    raise MslbpError(
        "cannot find the course's data folder (data/schema/case.schema.json): run from inside the course folder, "
        f"or set {DATA_DIR_ENV} to its data/ folder"
    )


#: The bibliography of a data folder; with a `cases/`, `checks/` or `schema/` folder beside it, it marks the data
#: folder a case file belongs to (see :func:`data_dir_of`).
REFERENCES_FILE = "references.yaml"


def _holds_references(folder: Path) -> bool:
    return (folder / REFERENCES_FILE).is_file() and any((folder / sub).is_dir()
                                                        for sub in ("cases", "checks", "schema"))


def data_dir_of(path: Path | str) -> Path:
    """The data folder a case file (or a folder of them) belongs to: the nearest folder at or above it that holds
    a `references.yaml` beside a `cases/`, `checks/` or `schema/` folder (the course's `data/`, or a copy of it
    elsewhere, whose own references and pictures then count); the course's data folder (:func:`data_dir`) when
    none does. Relative to the working folder when inside it, as an author would type it."""
    start = Path(path).expanduser().absolute()
    if not start.is_dir():
        start = start.parent
    found = next((folder for folder in (start, *start.parents) if _holds_references(folder)), None)
    folder = found or data_dir().absolute()
    try:
        return folder.relative_to(Path.cwd().absolute())
    except ValueError:
        return folder


def progress_file() -> Path:
    """The one progress file of a single-file setup: `$MSLBP_PROGRESS_FILE` if set, else `~/.mslbp/attempts.json`
    (the account's file on a JupyterHub; on any other server, the file of the course's versions before per-learner
    files, kept readable and offered explicitly: see `logic.identity`)."""
    override = os.environ.get(PROGRESS_FILE_ENV)
    if override:
        return Path(override).expanduser()
    return Path.home() / ".mslbp" / "attempts.json"


def learners_dir() -> Path:
    """The folder of per-learner progress files (`<learner_id>.json`): `$MSLBP_PROGRESS_DIR`, else
    `~/.mslbp/learners`."""
    override = os.environ.get(PROGRESS_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path.home() / ".mslbp" / "learners"


#: Where a learner's progress goes (see `progress_mode`).
FILE_MODE, HUB_MODE, BROWSER_MODE = "file", "hub", "browser"


def progress_mode() -> str:
    """How the learner is known, in order: ``"file"`` when `$MSLBP_PROGRESS_FILE` is set (one file, one learner);
    ``"hub"`` on a JupyterHub (`$JUPYTERHUB_USER` set: the account is the learner, its file `progress_file()`);
    else ``"browser"``: each browser keeps its own random learner id and the kernel keeps one file per learner in
    `learners_dir()`, so learners sharing one server (same OS account) never share a file."""
    if os.environ.get(PROGRESS_FILE_ENV):
        return FILE_MODE
    if os.environ.get(HUB_USER_ENV):
        return HUB_MODE
    return BROWSER_MODE
