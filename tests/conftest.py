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
