"""The browser run writes nothing into the repository (no checkpoints, autosave, workspaces, settings)."""

from __future__ import annotations

import os

import pytest


@pytest.mark.browser
def test_run_left_repository_untouched(repo_snapshot) -> None:
    """Compares `git status --porcelain` (with content hashes) and Jupyter artefacts before and after.

    conftest.py moves this test to the end of the session. In a working tree shared with people editing
    at the same time, set MSLBP_SHARED_WORKTREE=1 to look only at what Jupyter writes (notebook files and
    Jupyter state folders); CI runs the full comparison.
    """
    changes = repo_snapshot.changes()
    if os.environ.get("MSLBP_SHARED_WORKTREE"):
        changes = [c for c in changes if c.endswith(".ipynb") or "Jupyter artefact" in c]
    assert not changes, "the browser run changed the repository:\n" + "\n".join(changes)
