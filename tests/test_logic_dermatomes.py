"""The dermatome explorer's logic (logic/dermatomes.py): the patterns of a cord sensory level and of one root and the
recoloured SVGs. Each broken map is a ko fixture in tests/fixtures/dermatomes (tests/test_ko_fixtures.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mslbp_widgets.logic.dermatomes import HIGHLIGHT, LEVEL, MUTED, ROOT, dermatome_map, load_dermatomes
from mslbp_widgets.logic.errors import MslbpError
from mslbp_widgets.logic.paths import data_dir

SOURCE = data_dir() / "diagrams"
FIXTURES = Path(__file__).parent / "fixtures" / "dermatomes"  # each broken map is a ko fixture there


def _fills(svg: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r'<g id="derm-(\w+)"[^>]*?\sfill="([^"]*)"', svg)}


def test_a_sensory_level_colours_that_root_and_every_root_below_it() -> None:
    m = dermatome_map()
    p = m.pattern(LEVEL, "T10")
    assert p.roots == ("T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4", "S5")
    assert "at or above the T10 cord segment" in p.explanation and "MS can cause a level" in p.explanation
    assert "red flag" in p.explanation and "cervical and thoracic spine" in p.explanation
    assert m.pattern(LEVEL, "S5").roots == ("S5",)
    assert m.pattern(LEVEL, "C2").roots == m.order


def test_one_root_colours_only_that_root_and_points_away_from_ms() -> None:
    m = dermatome_map()
    p = m.pattern(ROOT, "L5")
    assert p.roots == ("L5",)
    assert "big toe" in p.explanation and "not the nerve roots outside it" in p.explanation
    assert "none that is tested routinely" in p.explanation  # L5 has no routine reflex
    assert "a reduced ankle reflex" in m.pattern(ROOT, "S1").explanation


def test_saddle_and_low_levels_are_emergencies_and_trunk_bands_have_other_causes() -> None:
    m = dermatome_map()
    for kind, root in ((LEVEL, "L2"), (LEVEL, "S3"), (ROOT, "S4"), (ROOT, "S2")):
        text = m.pattern(kind, root).explanation
        assert "emergency" in text and "lumbosacral spine" in text and "cauda equina" in text, (kind, root)
    assert "MS can cause such a lesion" in m.pattern(LEVEL, "L2").explanation  # the lumbar cord and conus
    assert "shingles" in m.pattern(ROOT, "T10").explanation and "disc" in m.pattern(ROOT, "T10").explanation
    assert "(skin round the anus)" in m.pattern(ROOT, "S4").explanation  # no nested brackets


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


def test_a_copy_of_the_map_loads_from_its_own_folder() -> None:
    assert load_dermatomes(SOURCE / "dermatomes.yaml").order[0] == "C2"
    small = load_dermatomes(FIXTURES / "ok-minimal.yaml")
    assert small.order == ("C2", "C3") and small.files["front"] == FIXTURES / "front.svg"
    assert small.shown_in("back", ("C2", "C3")) == ("C2",)
