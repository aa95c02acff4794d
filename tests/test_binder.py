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
    for name in ("environment.yml", "binder", ".binder", "Pipfile", "postBuild"):
        assert not (ROOT / name).exists(), f"{name} would make Binder ignore requirements.txt or add a build step"


def test_requirements_pin_jupyterlab_and_notebook_together() -> None:
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", (ROOT / "requirements.txt").read_text(), flags=re.M))
    for name in ("jupyterlab", "notebook", "ipywidgets", "plotly", "anywidget", "pyyaml", "jsonschema", "voila"):
        assert name in pins, f"requirements.txt must pin {name} exactly"
    assert "-e ." in (ROOT / "requirements.txt").read_text()


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
    smoke = "import mslbp_widgets.ui.environment, plotly.graph_objects as go; go.FigureWidget()"
    imp = subprocess.run([py, "-c", smoke], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert imp.returncode == 0, imp.stderr[-2000:]
    # notebooks run from notebooks/: the regular install still finds the course's data and cases there
    find = "from mslbp_widgets.logic.cases import case_library; print(len(case_library()))"
    found = subprocess.run([py, "-c", find], cwd=ROOT / "notebooks", capture_output=True, text=True, timeout=300)
    assert found.returncode == 0 and int(found.stdout) >= 1, found.stderr[-2000:]
