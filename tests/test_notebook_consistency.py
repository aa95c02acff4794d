"""Facts and keyboard advice that must read the same in every notebook of the course (01-06)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
COURSE = sorted(p for p in NOTEBOOKS.glob("0[1-6]_*.ipynb"))


def _markdown(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", ["01_ms_pathophysiology.ipynb", "02_pain_in_ms.ipynb"])
def test_painful_tonic_spasm_duration_is_the_same_with_both_sources(name):
    # 01 said "up to about two minutes" (Matthews 1975) and 02 "30 seconds to 3 minutes" (AAN e-Pearl): one
    # wording, naming both sources, in both notebooks.
    text = _flat(_markdown(NOTEBOOKS / name))
    entries = [text[m.start():m.start() + 450] for m in re.finditer(re.escape("**Painful tonic spasms**"), text)]
    entry = next((e for e in entries if "minutes" in e), "")
    assert "typically seconds to about two minutes" in entry
    assert "Matthews' criterion for paroxysmal symptoms is 2 minutes or less" in entry
    assert "the AAN e-Pearl describes 30 seconds to 3 minutes" in entry
    assert "Brief (about 30 seconds to 3 minutes)" not in text


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.name)
def test_no_arrow_keys_on_a_closed_list_or_radio(path):
    # In JupyterLab the arrow keys on a closed drop-down or a radio group move the notebook's cell selection
    # (ipywidgets issue #3912). Any advice to use the arrow keys on a list must first open it (Space or Alt+Down).
    # Arrow keys on a focused slider do work (checked in JupyterLab 4.6.6 with Chromium).
    for sentence in re.split(r"(?<=[.)])\s", _flat(_markdown(path))):
        if "arrow key" not in sentence.lower() or "cell selection" in sentence:
            continue  # (a warning that the arrow keys move the cell selection is the advice itself)
        if re.search(r"drop-down|dropdown|\blist\b|radio", sentence, re.IGNORECASE):
            before = sentence[:sentence.lower().index("arrow key")]
            assert "Space" in before or "Alt+Down" in before, f"{path.name}: {sentence!r}"
