"""Binder works from the repository alone, checked offline (no Docker): the pinned Python, and an environment
made like Binder's (its base packages first, then requirements.txt) that passes `pip check` and has the widget,
plotly and anywidget front-end extensions enabled and OK."""

from __future__ import annotations

import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "jupyterlab-plotly", "anywidget"]
#: conda package names in repo2docker's lock file -> pip names (None: a conda-only meta package, skipped)
CONDA_TO_PIP = {"jupyterhub-base": "jupyterhub", "jupyterhub-singleuser": None}
BASE_PACKAGES = re.compile(r"jupyter|notebook|ipy|widgetsnbextension|tornado|traitlets|certipy")


def repo2docker_debug() -> str:
    r = subprocess.run([str(BIN / "repo2docker"), "--no-build", "--debug", str(ROOT)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout + r.stderr


def binder_base_packages(python: str = "3.11") -> list[str]:
    """Binder's own Jupyter packages, as pinned in repo2docker's conda lock for this Python, as pip requirements."""
    import repo2docker

    lock = Path(repo2docker.__file__).parent / "buildpacks" / "conda" / f"environment.py-{python}-linux-64.lock"
    pins = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        m = re.search(r"/(?:noarch|linux-64)/([^/]+)-([^-]+)-[^-]+\.(?:conda|tar\.bz2)#", line)
        if not m or not BASE_PACKAGES.search(m.group(1)):
            continue
        name = CONDA_TO_PIP.get(m.group(1), m.group(1))
        if name:
            pins.append(f"{name}=={m.group(2)}")
    return pins


def test_runtime_pins_python_311() -> None:
    assert (ROOT / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"
    out = repo2docker_debug()
    assert "Building conda environment for python=3.11" in out
    assert 'pip install --no-cache-dir -r "requirements.txt"' in out, "Binder installs the root requirements.txt"


def test_no_other_binder_config_hides_requirements() -> None:
    for name in ("environment.yml", "binder", ".binder", "Pipfile", "start"):
        assert not (ROOT / name).exists(), f"{name} would make Binder ignore requirements.txt or add a start step"


def test_binder_starts_lab_with_the_course_settings(tmp_path: Path) -> None:
    """The README starts Lab with --LabApp.app_settings_dir=jupyterlab-settings (no news pop-up, no update checks);
    a Binder link cannot pass options, so the root postBuild (run by repo2docker after requirements.txt) copies the
    same overrides.json into {sys.prefix}/share/jupyter/lab/settings, the default app_settings_dir of JupyterLab,
    whose pop-up asks only while fetchNews is "none". Checked by running the script into a stand-in prefix."""
    import json
    import os
    import shutil

    from jupyterlab.commands import get_app_dir
    from jupyterlab_server.settings_utils import _get_overrides

    script = ROOT / "postBuild"
    assert script.read_text(encoding="utf-8").startswith("#!/bin/bash\n") and "set -euo pipefail" in script.read_text()
    out = repo2docker_debug()
    assert out.index('pip install --no-cache-dir -r "requirements.txt"') < out.index("RUN ./postBuild"), \
        "repo2docker runs postBuild after installing requirements.txt"
    assert "ENV NB_PYTHON_PREFIX=" in out
    if "JUPYTERLAB_DIR" not in os.environ:  # the LabApp default the script writes to
        assert Path(get_app_dir()) == Path(sys.prefix) / "share" / "jupyter" / "lab"

    repo, prefix = tmp_path / "repo", tmp_path / "prefix"
    shutil.copytree(ROOT / "jupyterlab-settings", repo / "jupyterlab-settings")
    shutil.copy(script, repo / "postBuild")
    r = subprocess.run(["bash", "postBuild"], cwd=repo, capture_output=True, text=True, timeout=60,
                       env={**os.environ, "NB_PYTHON_PREFIX": str(prefix)})
    assert r.returncode == 0, r.stderr
    settings = prefix / "share" / "jupyter" / "lab" / "settings"
    assert (settings / "overrides.json").read_bytes() == (ROOT / "jupyterlab-settings" / "overrides.json").read_bytes()
    overrides, error = _get_overrides(str(settings))  # as JupyterLab's settings handler reads them
    assert not error
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    assert json.loads((settings / "overrides.json").read_text()) == overrides


def requirement_lines(name: str) -> list[str]:
    """The requirement lines of a requirements file (comments and blank lines left out)."""
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]


def test_requirements_pin_jupyterlab_and_notebook_together() -> None:
    pins = dict(line.split("==") for line in requirement_lines("requirements-hub.txt"))
    for name in ("jupyterlab", "notebook", "ipywidgets", "plotly", "anywidget", "pyyaml", "jsonschema", "voila",
                 "nbgitpuller"):
        assert name in pins, f"requirements-hub.txt must pin {name} exactly"
    assert requirement_lines("requirements.txt") == ["-r requirements-hub.txt", "-e ."], \
        "requirements.txt = the hub pins + the course package in place (Binder, the README)"


def test_hub_requirements_can_be_installed_from_a_url() -> None:
    """Only exact `name==version` pins: no -e, no -r, no local path, nothing that needs the repository on disk."""
    lines = requirement_lines("requirements-hub.txt")
    bad = [ln for ln in lines if not re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][A-Za-z0-9.+!-]*", ln)]
    assert lines and bad == [], f"requirements-hub.txt has lines a hub cannot install from a URL: {bad}"


@pytest.mark.slow
def test_hub_requirements_resolve_when_read_from_a_url(tmp_path: Path) -> None:
    """pip reads requirements-hub.txt over HTTP (a local server standing in for raw.githubusercontent.com) and
    resolves exactly the pinned versions."""
    import functools
    import http.server
    import json
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/requirements-hub.txt"
        report = tmp_path / "report.json"
        r = subprocess.run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
                            "--dry-run", "--no-deps", "--ignore-installed", "--report", str(report), "-r", url],
                           capture_output=True, text=True, timeout=600)
    finally:
        server.shutdown()
        server.server_close()
    assert r.returncode == 0, r.stderr[-3000:]
    resolved = {i["metadata"]["name"].lower(): i["metadata"]["version"]
                for i in json.loads(report.read_text())["install"]}
    pins = {name.lower(): v for name, v in (ln.split("==") for ln in requirement_lines("requirements-hub.txt"))}
    assert resolved == pins


def test_base_package_list_is_read_from_repo2docker() -> None:
    pins = binder_base_packages()
    names = {p.split("==")[0] for p in pins}
    assert {"jupyterlab", "notebook", "jupyter_server", "ipywidgets", "jupyterhub"} <= names


@pytest.mark.slow
def test_binder_like_environment_is_consistent(tmp_path: Path) -> None:
    env = tmp_path / "binder-env"
    venv.EnvBuilder(with_pip=True).create(env)
    py = str(env / "bin" / "python")

    def pip(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([py, "-m", "pip", "--disable-pip-version-check", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=900)

    base = pip("install", "--quiet", *binder_base_packages())
    assert base.returncode == 0, base.stderr[-3000:]
    ours = pip("install", "--quiet", "-r", "requirements.txt")
    assert ours.returncode == 0, ours.stderr[-3000:]
    # repo2docker then installs the repository itself, non-editable, over the editable install
    regular = pip("install", "--quiet", ".")
    assert regular.returncode == 0, regular.stderr[-3000:]
    check = pip("check")
    assert check.returncode == 0, f"pip check after Binder's base + requirements.txt:\n{check.stdout}{check.stderr}"

    r = subprocess.run([str(env / "bin" / "jupyter"), "labextension", "list"], capture_output=True, text=True,
                       timeout=300)
    # it prints to stderr, in colour, and exits 0 even when an extension is broken
    listing = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout + r.stderr)
    for ext in EXTENSIONS:
        lines = [ln for ln in listing.splitlines() if ln.strip().startswith(ext + " ")]
        assert lines, f"{ext} is not listed:\n{listing}"
        parts = lines[0].split()
        assert parts[2:4] == ["enabled", "OK"], f"{ext} is not enabled and OK: {lines[0].strip()}"
    smoke = ("import mslbp_widgets.ui.environment, plotly.graph_objects as go; go.FigureWidget(); "
             "from mslbp_widgets.ui.render import stylesheet; assert 'mslbp' in stylesheet()")
    imp = subprocess.run([py, "-c", smoke], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert imp.returncode == 0, imp.stderr[-2000:]
    # notebooks run from notebooks/: the regular install still finds the course's data and cases there
    find = "from mslbp_widgets.logic.cases import case_library; print(len(case_library()))"
    found = subprocess.run([py, "-c", find], cwd=ROOT / "notebooks", capture_output=True, text=True, timeout=300)
    assert found.returncode == 0 and int(found.stdout) >= 1, found.stderr[-2000:]
