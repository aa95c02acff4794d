"""Where the course finds its data and keeps a learner's progress. Both can be overridden by environment variables."""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming another data folder (same layout as the repository's `data/`).
DATA_DIR_ENV = "MSLBP_DATA_DIR"
#: Environment variable naming the learner's progress file.
PROGRESS_FILE_ENV = "MSLBP_PROGRESS_FILE"


def data_dir() -> Path:
    """The data folder: `$MSLBP_DATA_DIR` if set, else `data/` beside the package (the repository's own)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(__file__).resolve().parent.parent / "data"


def progress_file() -> Path:
    """The learner's attempt log: `$MSLBP_PROGRESS_FILE` if set, else `~/.mslbp/attempts.json`."""
    override = os.environ.get(PROGRESS_FILE_ENV)
    if override:
        return Path(override).expanduser()
    return Path.home() / ".mslbp" / "attempts.json"
