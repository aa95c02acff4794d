"""Session fixtures for the real-browser tests: one JupyterLab server, one Chromium, a repo-state guard.

The Lab server runs from the repository root with every bit of Jupyter state in a temporary folder,
and is stopped by its own PID whatever happens (fixture finaliser, and atexit for interrupts).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import labharness as H  # noqa: E402

# The fixture notebooks are inputs for the negative controls, never tests of their own (nbval must not
# collect them: some fail on purpose).
collect_ignore_glob = ["fixtures/*"]

# Files Jupyter writes when it is NOT isolated; none may appear in the repository during the run.
JUPYTER_ARTEFACTS = (".ipynb_checkpoints", ".virtual_documents", ".jupyter", "Untitled")


def _porcelain() -> dict[str, str]:
    """`git status --porcelain` entries of the repo: path -> status code + content hash."""
    out = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=H.REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    entries: dict[str, str] = {}
    for line in out.splitlines():
        code, path = line[:2], line[3:]
        full = H.REPO_ROOT / path
        digest = hashlib.sha256(full.read_bytes()).hexdigest()[:16] if full.is_file() else "-"
        entries[path] = f"{code} {digest}"
    return entries


def _artefacts() -> set[str]:
    """Jupyter state files/folders inside the repo (also the git-ignored ones such as checkpoints)."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(H.REPO_ROOT):
        dirnames[:] = [d for d in dirnames if d not in (".git", ".venv", "node_modules")]
        for name in dirnames + filenames:
            if name.startswith(JUPYTER_ARTEFACTS):
                found.add(str(Path(dirpath, name).relative_to(H.REPO_ROOT)))
    return found


class RepoSnapshot:
    """The repository's state before any server started, to compare with the state after the run."""

    def __init__(self) -> None:
        self.status = _porcelain()
        self.artefacts = _artefacts()

    def changes(self) -> list[str]:
        """Entries that are new or changed since the snapshot (entries that vanished were committed)."""
        now = _porcelain()
        changed = [f"{now[p]}  {p}" for p in sorted(now) if self.status.get(p) != now[p]]
        changed += [f"new Jupyter artefact  {p}" for p in sorted(_artefacts() - self.artefacts)]
        return changed


@pytest.fixture(scope="session")
def repo_snapshot() -> RepoSnapshot:
    """State of the working tree before the browser tests start any server."""
    return RepoSnapshot()


_SESSION_TMP: list[Path] = []


@pytest.fixture(scope="session")
def browser_tmp() -> Path:
    """A temporary folder (outside the repo) for the session: server homes, logs and screenshots."""
    path = Path(tempfile.mkdtemp(prefix="mslbp-browser-"))
    _SESSION_TMP.append(path)
    print(f"\nbrowser tests: temporary folder {path} (screenshots in {path / 'screenshots'})")
    return path


def pytest_terminal_summary(terminalreporter) -> None:
    """Say where the screenshots and server logs of the browser tests are."""
    for path in _SESSION_TMP:
        terminalreporter.write_line(f"browser tests: screenshots in {path / 'screenshots'}, server logs under {path}")


@pytest.fixture(scope="session")
def screenshot_dir(browser_tmp: Path) -> Path:
    """Where a screenshot of every notebook is written, for humans."""
    path = browser_tmp / "screenshots"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def lab(repo_snapshot: RepoSnapshot, browser_tmp: Path):
    """One JupyterLab server for the whole session (free loopback port, random token, isolated state)."""
    server = H.start_lab(browser_tmp / "lab")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session."""
    with H.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def browser_context(browser):
    """One browser context (shared HTTP cache keeps Lab's assets loaded once)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    yield context
    context.close()


@pytest.fixture
def lab_page(browser_context, lab):
    """A fresh page for one test; its kernels are shut down afterwards."""
    page = browser_context.new_page()
    try:
        yield page
    finally:
        page.close()
        H.shutdown_kernels(lab)


@pytest.fixture(scope="session")
def notebook_reports(browser_context, lab, screenshot_dir):
    """``get(notebook) -> NotebookReport``: each notebook is opened, run and checked once per session (in a page of
    its own, kernels shut down after), and every test that needs the report (renders, widget state) shares it."""
    done: dict[str, H.NotebookReport] = {}

    def get(notebook: str) -> H.NotebookReport:
        if notebook not in done:
            page = browser_context.new_page()
            try:
                done[notebook] = H.check_notebook(page, lab, notebook, screenshot_dir)
            finally:
                page.close()
                H.shutdown_kernels(lab)
        return done[notebook]

    return get


def pytest_collection_modifyitems(config, items):
    """Run the repository-untouched check after every other test of the session."""
    last = [i for i in items if i.name == "test_run_left_repository_untouched"]
    others = [i for i in items if i.name != "test_run_left_repository_untouched"]
    items[:] = others + last
