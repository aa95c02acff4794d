"""Fixtures shared by the tests in this folder (helpers.py holds the shared functions)."""

from __future__ import annotations

import pytest
from helpers import example_library


@pytest.fixture(scope="module")
def library() -> dict:
    """The example case (Lhermitte's sign) as a one-case library."""
    return example_library()


@pytest.fixture()
def log(tmp_path):
    """A learner's progress log in a fresh temporary file."""
    from mslbp_widgets.logic.progress import ProgressLog

    return ProgressLog(tmp_path / "attempts.json")


@pytest.fixture
def handin_folder(tmp_path, monkeypatch):
    """An empty hand-in folder named by MSLBP_HANDIN_DIR, outside any hub (no JUPYTERHUB_USER)."""
    from mslbp_widgets.logic.handin import HANDIN_DIR_ENV, HUB_USER_ENV

    path = tmp_path / "handin"
    path.mkdir()
    monkeypatch.setenv(HANDIN_DIR_ENV, str(path))
    monkeypatch.delenv(HUB_USER_ENV, raising=False)
    return path
