"""The dermatome explorer's logic (logic/dermatomes.py): the patterns of a cord sensory level and of one root, the
recoloured SVGs, and the map's checks (order, ids, groups present in the SVG files)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from mslbp_widgets.logic.dermatomes import HIGHLIGHT, LEVEL, MUTED, ROOT, dermatome_map, load_dermatomes
from mslbp_widgets.logic.errors import DataValidationError, MslbpError
from mslbp_widgets.logic.paths import data_dir

SOURCE = data_dir() / "diagrams"


def _fills(svg: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r'<g id="derm-(\w+)"[^>]*?\sfill="([^"]*)"', svg)}


def test_a_sensory_level_colours_that_root_and_every_root_below_it() -> None:
    m = dermatome_map()
    p = m.pattern(LEVEL, "T10")
    assert p.roots == ("T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4", "S5")
    assert "at or above the T10 cord segment" in p.explanation and "MS can cause this" in p.explanation
    assert m.pattern(LEVEL, "S5").roots == ("S5",)
    assert m.pattern(LEVEL, "C2").roots == m.order


def test_one_root_colours_only_that_root_and_points_away_from_ms() -> None:
    p = dermatome_map().pattern(ROOT, "L5")
    assert p.roots == ("L5",)
    assert "big toe" in p.explanation and "MS does not attack nerve roots" in p.explanation


def test_unknown_root_or_kind_is_named() -> None:
    with pytest.raises(MslbpError, match="'L6'.*C2, C3"):
        dermatome_map().pattern(LEVEL, "L6")
    with pytest.raises(MslbpError, match="'band'"):
        dermatome_map().pattern("band", "L5")


def test_recoloured_svg_highlights_exactly_the_chosen_roots_in_each_view() -> None:
    m = dermatome_map()
    roots = m.pattern(LEVEL, "L4").roots
    back = _fills(m.svg("back", m.shown_in("back", roots)))
    assert {r for r, fill in back.items() if fill == HIGHLIGHT} == {"L4", "L5", "S1", "S2", "S3", "S4", "S5"}
    assert all(fill == MUTED for r, fill in back.items() if r not in roots)
    front_shown = m.shown_in("front", roots)
    assert front_shown == ("L4", "L5", "S1")  # S2 to S5 are drawn from behind only
    front = _fills(m.svg("front", front_shown))
    assert {r for r, fill in front.items() if fill == HIGHLIGHT} == {"L4", "L5", "S1"}
    assert "<title" in m.svg("front", ()) and "T4" in m.svg("front", ())


def _copy(tmp_path: Path, change) -> Path:
    folder = tmp_path / "diagrams"
    shutil.copytree(SOURCE, folder)
    raw = yaml.safe_load((folder / "dermatomes.yaml").read_text(encoding="utf-8"))
    change(raw, folder)
    path = folder / "dermatomes.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def test_a_copy_of_the_map_loads() -> None:
    assert load_dermatomes(SOURCE / "dermatomes.yaml").order[0] == "C2"


@pytest.mark.parametrize(("change", "where", "words"), [
    (lambda raw, folder: raw["order"].reverse(), "order", "exactly as `roots`"),
    (lambda raw, folder: raw["roots"][3].update(id="derm-C9"), "roots[3].id", "must be derm-C5"),
    (lambda raw, folder: (folder / "dermatomes-back.svg").write_text(
        (folder / "dermatomes-back.svg").read_text(encoding="utf-8").replace('<g id="derm-S4"', '<g id="x-S4"'),
        encoding="utf-8"), "roots[27].views", "no group"),
    (lambda raw, folder: raw["files"].update(front="missing.svg"), "files.front", "no file"),
    (lambda raw, folder: raw["roots"][0].update(region="neck"), "roots[0] (derm-C2).region", "not allowed"),
])
def test_a_broken_map_names_the_file_and_field(tmp_path: Path, change, where: str, words: str) -> None:
    path = _copy(tmp_path, change)
    with pytest.raises(DataValidationError) as err:
        load_dermatomes(path)
    text = str(err.value)
    assert "dermatomes.yaml" in text and where in text and words in text
