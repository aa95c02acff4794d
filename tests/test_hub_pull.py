"""The course pulled by nbgitpuller, as a hub link does it, from a ``file://`` clone of this repository (offline,
the way nbgitpuller's own tests build remotes): the pulled course finds its own data with the package installed
the way a hub image installs it (regular, not in place), runs its start notebook, a learner's edit survives a
re-pull of an updated course, a deleted notebook comes back as the author's current version, and the learner's
progress file is untouched.

The remote and the install are made by tests/helpers.py (``course_remote``, ``install_package``), shared with
tests/browser/test_hub.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from helpers import GIT_ENV, author_commits, course_remote, install_package
from nbclient import NotebookClient

from mslbp_widgets.logic.hublinks import repo_target

pytestmark = pytest.mark.slow

CHECK_CELL = """\
import json, mslbp_widgets
from mslbp_widgets.logic.paths import data_dir
from mslbp_widgets.logic.environment import course_data_warning, data_folder_warning, problems
from mslbp_widgets.logic.progress import ProgressLog
log = ProgressLog()
log.add("lhermitte-shock-on-neck-flexion", "classification", "lhermitte", "correct", 1.0, 4)
mslbp_widgets.CaseBank()  # the case scenarios' widget: every case file and the package's own CSS are there
print("CHECK " + json.dumps({"data": str(data_dir()), "package": mslbp_widgets.__file__, "problems": problems(),
      "warnings": [w for w in (data_folder_warning(), course_data_warning()) if w], "progress": str(log.path)}))
"""


def pull(repo_url: str, home: Path) -> Path:
    """What the hub link's git-pull does in the learner's server: clone into <home>/<targetpath>, or update it."""
    from nbgitpuller.pull import GitPuller

    _, target = repo_target(repo_url)
    clone = home / target
    env_before = dict(os.environ)
    os.environ.update(GIT_ENV)
    try:
        for _line in GitPuller(repo_url, str(clone), branch="main", depth=1).pull():
            pass
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    return clone


def kernel_env(home: Path, site: Path) -> dict[str, str]:
    """A learner's kernel: its own home, the package from ``site`` only, progress in the default place."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MSLBP_", "JUPYTER", "PYTHONPATH"))}
    env.update(HOME=str(home), PYTHONPATH=str(site), IPYTHONDIR=str(home / ".ipython"),
               JUPYTER_CONFIG_DIR=str(home / ".jupyter"), JUPYTER_DATA_DIR=str(home / ".local/share/jupyter"),
               JUPYTER_RUNTIME_DIR=str(home / ".local/share/jupyter/runtime"), PYTHONDONTWRITEBYTECODE="1")
    return env


def run_start_notebook(clone: Path, env: dict[str, str]) -> dict:
    """Run notebooks/00_start_here.ipynb of the pulled course (nbclient), plus a check cell; return its report."""
    path = clone / "notebooks" / "00_start_here.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(CHECK_CELL))
    client = NotebookClient(nb, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=env)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == [], errors
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    line = next(ln for ln in text.splitlines() if ln.startswith("CHECK "))
    return json.loads(line[len("CHECK "):])


def test_pulled_course_runs_and_a_learners_edit_survives_a_repull(tmp_path: Path) -> None:
    author, repo_url = course_remote(tmp_path)
    site = install_package(author, tmp_path / "image-site-packages")
    home = tmp_path / "home" / "learner"
    home.mkdir(parents=True)

    clone = pull(repo_url, home)
    assert clone == home / "ms-low-back-pain" and (clone / "notebooks" / "00_start_here.ipynb").is_file()
    report = run_start_notebook(clone, kernel_env(home, site))
    assert Path(report["package"]).is_relative_to(site), "the package comes from the image, not the clone"
    assert report["data"] == str(clone / "data"), "the pulled course finds its own data"
    assert report["problems"] == [] and report["warnings"] == []
    progress = Path(report["progress"])
    assert progress == home / ".mslbp" / "attempts.json" and not progress.is_relative_to(clone)
    progress_before = progress.read_bytes()

    # The learner edits a cell of the start notebook and deletes the case scenarios notebook.
    mine = clone / "notebooks" / "00_start_here.ipynb"
    nb = nbformat.read(mine, as_version=4)
    setup = next(c for c in nb.cells if c.source.startswith("---\n## Check your set-up"))
    setup.source = setup.source.replace("Run the next cell.", "Run the next cell. MY NOTE: ask about DN4.")
    nbformat.write(nb, mine)
    (clone / "notebooks" / "07_case_scenarios.ipynb").unlink()

    # Mid-term, the author changes the same sentence, another notebook and a case, and adds a file.
    theirs = author / "notebooks" / "00_start_here.ipynb"
    theirs.write_text(theirs.read_text(encoding="utf-8").replace("Run the next cell.", "Run the cell below."),
                      encoding="utf-8")
    nb07 = author / "notebooks" / "07_case_scenarios.ipynb"
    nb07.write_text(nb07.read_text(encoding="utf-8").replace("# 07 · Case scenarios", "# 07 · Case scenarios (v2)"),
                    encoding="utf-8")
    (author / "docs" / "errata.md").write_text("# Errata\n\nFixed mid-term.\n", encoding="utf-8")
    author_commits(author, "Mid-term fixes")

    pull(repo_url, home)
    mine_after = mine.read_text(encoding="utf-8")
    assert "MY NOTE: ask about DN4." in mine_after, "the learner's edit of a cell wins"
    assert "Run the cell below." not in mine_after
    nbformat.validate(nbformat.read(mine, as_version=4))
    restored = (clone / "notebooks" / "07_case_scenarios.ipynb").read_text(encoding="utf-8")
    assert "# 07 · Case scenarios (v2)" in restored, "a deleted notebook comes back as the author's current version"
    assert (clone / "docs" / "errata.md").is_file(), "new files of the course arrive"
    assert progress.read_bytes() == progress_before, "the learner's progress is untouched by the pull"

    # The course still runs after the update, and the learner's answers are still there.
    report = run_start_notebook(clone, kernel_env(home, site))
    assert report["problems"] == [] and report["warnings"] == []
    assert json.loads(progress.read_text(encoding="utf-8"))["attempts"][0]["selection"] == ["lhermitte"]
    assert len(json.loads(progress.read_text(encoding="utf-8"))["attempts"]) == 2


def test_course_files_newer_than_the_image_are_flagged_after_a_pull(tmp_path: Path) -> None:
    author, repo_url = course_remote(tmp_path)
    site = install_package(author, tmp_path / "image-site-packages")  # the image, built at the start of term
    stamp = author / "data" / "course-version.yaml"
    stamp.write_text(stamp.read_text(encoding="utf-8").replace('package_version: "0.1.0"',
                                                               'package_version: "0.2.0"'), encoding="utf-8")
    author_commits(author, "Course files for package 0.2.0")
    home = tmp_path / "home" / "learner"
    home.mkdir(parents=True)
    clone = pull(repo_url, home)
    report = run_start_notebook(clone, kernel_env(home, site))
    assert report["warnings"] == [
        f"the course files in {clone / 'data'} were written for course package 0.2.0, but this environment has "
        "0.1.0: some parts may not work. If you use a hub, tell whoever runs it that the image needs the course "
        "package of the same version (docs/hub.md); on your own computer run `pip install -r requirements.txt` in "
        "the course folder"]
