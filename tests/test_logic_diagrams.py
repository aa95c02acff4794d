"""The teaching diagrams (logic/diagrams.py): the course's manifest loads, a copy loads from another folder, a
mistyped id names the nearest. Each bad manifest or file is a ko fixture in tests/fixtures/diagrams
(tests/test_ko_fixtures.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mslbp_widgets.logic.diagrams import get_diagram, load_diagrams
from mslbp_widgets.logic.errors import MslbpError
from mslbp_widgets.logic.paths import data_dir

SOURCE = data_dir() / "diagrams"


def test_the_course_has_its_diagrams_each_with_alt_text_and_sources() -> None:
    diagrams = load_diagrams()
    assert {"cord-and-column", "dermatomes-front", "dermatomes-back", "routes-ms-to-back-pain", "red-flag-pathway",
            "episode-time-courses"} <= set(diagrams)
    for d in diagrams.values():
        assert d.path.is_file() and d.svg().lstrip().startswith(("<svg", "<?xml"))
        assert len(d.alt.split()) >= 30 and d.caption and d.references


def _manifest(tmp_path: Path, change) -> Path:
    folder = tmp_path / "diagrams"
    folder.mkdir()
    shutil.copy(SOURCE / "cord-and-column.svg", folder / "cord-and-column.svg")
    raw = yaml.safe_load((SOURCE / "diagrams.yaml").read_text(encoding="utf-8"))
    raw["diagrams"] = [d for d in raw["diagrams"] if d["id"] == "cord-and-column"]
    change(raw, folder)
    path = folder / "diagrams.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def test_a_good_copy_loads(tmp_path: Path) -> None:
    path = _manifest(tmp_path, lambda raw, folder: None)
    assert list(load_diagrams(path)) == ["cord-and-column"]


def test_a_mistyped_id_names_the_nearest() -> None:
    with pytest.raises(MslbpError, match="Did you mean 'cord-and-column'"):
        get_diagram("cord-and-colum")
