"""Notebooks are committed clean, follow the skeleton, and the course map links every one of them."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbstripout import strip_output

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


#: What `nbstripout` strips from metadata by default (its own list, as `nbstripout --verify` uses it).
STRIP_KEYS = ["metadata.signature", "metadata.widgets", "cell.metadata.collapsed", "cell.metadata.ExecuteTime",
              "cell.metadata.execution", "cell.metadata.heading_collapsed", "cell.metadata.hidden",
              "cell.metadata.scrolled"]


def unstripped(text: str) -> bool:
    """True when nbstripout would change this notebook (what `nbstripout --verify` reports), checked in-process."""
    nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    clean = strip_output(copy.deepcopy(nb), keep_output=False, keep_count=False, keep_id=False, extra_keys=STRIP_KEYS)
    return nbformat.writes(clean) != nbformat.writes(nb)


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stripped(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        assert not cell.get("outputs"), f"{path.name} cell {i} has outputs: strip it (see CONTRIBUTING.md)"
        assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"
    assert "widgets" not in nb.get("metadata", {}), f"{path.name} carries widget state"
    assert not unstripped(path.read_text(encoding="utf-8")), f"{path.name}: run nbstripout on it (CONTRIBUTING.md)"


@pytest.mark.parametrize("dirt", ["output", "cell-metadata", "random-id"])
def test_strip_check_catches_what_nbstripout_would_strip(dirt: str) -> None:
    """The check above can fail: an output, stripped metadata or a random cell id is rejected."""
    nb = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    assert not unstripped(json.dumps(nb, indent=1, ensure_ascii=False))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    if dirt == "output":
        code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["hi\n"]}]
    elif dirt == "cell-metadata":
        code["metadata"]["scrolled"] = True
    else:
        code["id"] = "3f9c2a1b-77aa"
    assert unstripped(json.dumps(nb, indent=1, ensure_ascii=False))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_only_from_the_package_root(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    imports = re.findall(r"^\s*(?:from|import)\s+(mslbp_widgets\S*)", code, flags=re.M)
    assert imports, f"{path.name} imports nothing from the course package"
    assert set(imports) == {"mslbp_widgets"}, f"{path.name} imports from {sorted(set(imports))}: use the root"


def test_root_import_check_can_fail() -> None:
    deep = "from mslbp_widgets.ui.case import check_understanding\n"
    assert re.findall(r"^\s*(?:from|import)\s+(mslbp_widgets\S*)", deep, flags=re.M) == ["mslbp_widgets.ui.case"]


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
    # The two commands, and the start command's last step alone (starting again the next day).
    assert len(blocks) == 3 and all(len(b.strip().splitlines()) == 1 for b in blocks)
    start, again, test = (b.strip() for b in blocks)
    assert "pip install -r requirements.txt" in start
    assert start.endswith("jupyter lab --notebook-dir=. --LabApp.app_settings_dir=jupyterlab-settings "
                          "notebooks/00_start_here.ipynb"), "Lab rooted at the course, with the course's settings"
    assert again == start.split("&&")[-1].strip()
    overrides = json.loads((ROOT / "jupyterlab-settings" / "overrides.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert test == "bash scripts/run-tests.sh" and (ROOT / "scripts" / "run-tests.sh").exists()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/run-tests.sh" in ci and "mktemp -d" in ci
