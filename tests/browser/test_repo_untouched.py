"""The browser run writes nothing into the repository (no checkpoints, autosave, workspaces, settings)."""

from __future__ import annotations

import json
import os
import re

import labharness as H
import pytest

# jupyter_server logs every write through its contents API at INFO level with these words.
CONTENTS_WRITE_RE = re.compile(r"Saving file at|Creating new|Copying .* to|Uploading file|Renaming|Deleting")


def _has_outputs(path) -> bool:
    """True if a notebook holds outputs or execution counts (what a Lab save after running would write)."""
    try:
        nb = json.loads((H.REPO_ROOT / path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return any(c.get("outputs") or c.get("execution_count") for c in nb.get("cells", []))


@pytest.mark.browser
def test_run_left_repository_untouched(repo_snapshot, lab) -> None:
    """Three views of "nothing written": the Lab server's own log of contents writes, Jupyter artefacts
    (checkpoints, virtual documents, Untitled files; git-ignored ones too) and `git status --porcelain`
    with content hashes, before against after. conftest.py moves this test to the end of the session.

    In a working tree shared with people editing at the same time, MSLBP_SHARED_WORKTREE=1 narrows the
    git comparison to notebooks that now carry outputs (a Lab save); CI runs the full comparison.
    """
    writes = [line for line in H.read_log(lab).splitlines() if CONTENTS_WRITE_RE.search(line)]
    assert not writes, "JupyterLab wrote through its contents API:\n" + "\n".join(writes)
    changes = repo_snapshot.changes()
    if os.environ.get("MSLBP_SHARED_WORKTREE"):
        changes = [
            c for c in changes if "Jupyter artefact" in c or (c.endswith(".ipynb") and _has_outputs(c.split()[-1]))
        ]
    assert not changes, "the browser run changed the repository:\n" + "\n".join(changes)


@pytest.mark.browser
def test_contents_write_check_sees_a_save(browser, browser_tmp) -> None:
    """Negative control for the check above: a Lab rooted in a temporary folder saves a notebook on command,
    and the log line the check looks for appears."""
    root = browser_tmp / "save-control"
    root.mkdir()
    (root / "scratch.ipynb").write_text(
        (H.REPO_ROOT / "tests/browser/fixtures/ko_raises.ipynb").read_text(encoding="utf-8"), encoding="utf-8"
    )
    server = H.start_lab(browser_tmp / "save-control-lab", root_dir=root)
    page = browser.new_page()
    try:
        H.open_notebook(page, server, "scratch.ipynb")
        page.evaluate("() => jupyterapp.commands.execute('docmanager:save')")
        page.wait_for_function("() => !jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)
        log = H.read_log(server)
    finally:
        page.close()
        server.stop()
    assert any(CONTENTS_WRITE_RE.search(line) for line in log.splitlines()), log[-2000:]
