"""The teaching diagrams (logic/diagrams.py): the course's manifest loads; each bad manifest or file is a named
problem (file and field)."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from mslbp_widgets.logic.diagrams import get_diagram, load_diagrams
from mslbp_widgets.logic.errors import DataValidationError, MslbpError
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


def _script(raw: dict, folder: Path) -> None:
    svg = folder / "cord-and-column.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace("</svg>", "<script>alert(1)</script></svg>"),
                   encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw, folder: raw["diagrams"][0]["references"].append("nobody-2099"),
         "diagrams[0] (cord-and-column).references[7]: unknown reference key 'nobody-2099'"),
        (lambda raw, folder: raw["diagrams"][0].update(file="missing.svg"),
         "diagrams[0] (cord-and-column).file: no file 'missing.svg' beside the manifest"),
        (lambda raw, folder: raw["diagrams"][0].update(file="../secrets.svg"), "diagrams[0] (cord-and-column).file"),
        (lambda raw, folder: raw["diagrams"][0].pop("alt"),
         "diagrams[0] (cord-and-column).alt: missing required field"),
        (lambda raw, folder: raw["diagrams"].append(copy.deepcopy(raw["diagrams"][0])),
         "diagrams[1] (cord-and-column)"),
        (_script, "has a script, an event handler, a foreignObject or a link outside the file"),
    ],
    ids=["unknown-reference", "missing-file", "path-outside", "no-alt", "duplicate-id", "script-in-svg"],
)
def test_bad_manifests_and_files_are_named_problems(tmp_path: Path, change, message: str) -> None:
    path = _manifest(tmp_path, change)
    with pytest.raises(DataValidationError) as info:
        load_diagrams(path)
    assert str(path) in str(info.value) and message in str(info.value), str(info.value)


def test_a_good_copy_loads(tmp_path: Path) -> None:
    path = _manifest(tmp_path, lambda raw, folder: None)
    assert list(load_diagrams(path)) == ["cord-and-column"]


def test_a_mistyped_id_names_the_nearest() -> None:
    with pytest.raises(MslbpError, match="Did you mean 'cord-and-column'"):
        get_diagram("cord-and-colum")
