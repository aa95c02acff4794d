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


def _svg_text(svg: str, pattern: str) -> str:
    import html
    import re

    return " ".join(html.unescape(re.search(pattern, svg, re.S).group(1)).split())


def test_each_svg_desc_is_its_alt() -> None:
    for d in load_diagrams().values():
        assert _svg_text(d.svg(), r"<desc[^>]*>(.*?)</desc>") == d.alt, d.id


def _box_text(svg: str, group: str) -> str:
    """The words of one <g id=...> of an SVG, tspans joined."""
    import re

    body = svg[svg.index(f'<g id="{group}"'):]
    body = body[:body.index("</g>")]
    return " ".join(" ".join(re.findall(r">([^<>]+)<", body)).split())


def test_third_clinical_review_wording_of_the_diagrams() -> None:
    cord = get_diagram("cord-and-column")
    scan = "the right scan for a compressed root, and the right emergency scan for suspected cauda equina syndrome"
    assert scan in cord.alt and scan in cord.caption and scan in _box_text(cord.svg(), "cc-callout-cauda")
    assert "emergency scan for a compressed root" not in cord.alt + cord.caption + cord.svg()
    assert "Vertebrae are labelled at intervals from C1 to L5" in cord.alt
    assert ("Orange nerve roots leave the cord at every level, each through a foramen marked by a dot; below the "
            "conus they run down the canal as the cauda equina") in cord.alt
    routes = get_diagram("routes-ms-to-back-pain")
    clue = ("burning, tingling or a tight band, in a band or below a sensory level, not eased by rest or a change of "
            "position; or brief electric shocks on bending the neck")
    assert f"Clues to route 1: {clue}." in routes.alt
    assert _box_text(routes.svg(), "clues-direct") == f"Clues: route 1 {clue[0].upper()}{clue[1:]}."
    back = get_diagram("dermatomes-back")
    assert ("S1 the lower back of the calf and the heel (S1 also supplies the sole and outer foot, which are not "
            "visible from behind)") in back.alt
    assert "S1: heel, sole, outer foot" not in back.svg() and "S1: lower back of the calf and heel" in back.svg()
    front = get_diagram("dermatomes-front").svg()
    assert "also the heel (see the back view) and the sole" in front and "also the sole and heel" not in front
