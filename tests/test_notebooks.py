"""Notebooks are committed clean, follow the skeleton, and the course map links every one of them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stripped(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        assert not cell.get("outputs"), f"{path.name} cell {i} has outputs: strip it (see CONTRIBUTING.md)"
        assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"
    assert "widgets" not in nb.get("metadata", {}), f"{path.name} carries widget state"
    r = subprocess.run([sys.executable, "-m", "nbstripout", "--verify", str(path)], capture_output=True, text=True)
    assert r.returncode == 0, f"nbstripout --verify: {r.stdout}{r.stderr}"


def test_nbstripout_verify_catches_outputs(tmp_path: Path) -> None:
    """The check above can fail: a notebook with an output is rejected."""
    nb = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["hi\n"]}]
    code["execution_count"] = 1
    dirty = tmp_path / "dirty.ipynb"
    dirty.write_text(json.dumps(nb), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "nbstripout", "--verify", str(dirty)], capture_output=True, text=True)
    assert r.returncode == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_are_short(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            source = "".join(cell["source"]).splitlines()
            lines = [ln for ln in source if ln.strip() and not ln.lstrip().startswith("#")]
            assert len(lines) <= 4, f"{path.name} cell {i} has {len(lines)} lines: move the logic into the package"


@pytest.mark.parametrize("document", ["README.md", "notebooks/00_start_here.ipynb"])
def test_course_map_links_every_notebook(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    base = (ROOT / document).parent
    links = [ln for ln in re.findall(r"\]\(([^)#]+\.ipynb)\)", text) if not ln.startswith("http")]
    linked = {(base / link).resolve() for link in links}
    for nb in NOTEBOOKS:
        assert nb.resolve() in linked, f"{document} does not link {nb.name}"
    for link in links:
        assert (base / link).exists(), f"{document} links a missing notebook: {link}"


def test_readme_has_exactly_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 2 and all(len(b.strip().splitlines()) == 1 for b in blocks)
    start, test = (b.strip() for b in blocks)
    assert "pip install -r requirements.txt" in start
    assert start.endswith("jupyter lab --notebook-dir=. notebooks/00_start_here.ipynb"), "Lab rooted at the course"
    assert test == "bash scripts/run-tests.sh" and (ROOT / "scripts" / "run-tests.sh").exists()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/run-tests.sh" in ci and "mktemp -d" in ci
