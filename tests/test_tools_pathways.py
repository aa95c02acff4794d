"""Pathway explorer logic (mslbp_widgets.tools.pathways): loading, validation, lookup, course content rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from mslbp_widgets.logic.errors import SelectionError
from mslbp_widgets.tools.pathways import ROUTES, get_pathway, load_pathways, pathways

FIXTURES = Path(__file__).parent / "fixtures" / "pathways"


def test_ok_fixture_loads():
    items = load_pathways(FIXTURES / "ok-minimal.yaml")
    assert list(items) == ["foot-drop", "disc"]
    assert items["disc"].mechanisms == ("mechanical", "radicular")
    assert items["foot-drop"].route_text == ROUTES["indirect"]


def test_course_pathways_cover_the_problems_the_notebook_teaches():
    ids = set(pathways())
    assert {"spasticity", "foot-drop", "numb-foot", "wheelchair-all-day", "cane-misuse", "cord-lesion",
            "cervical-lesion", "immobility-steroids", "disc-not-ms"} <= ids


def test_routes_are_right():
    assert get_pathway("cord-lesion").route == "direct"
    assert get_pathway("cervical-lesion").route == "direct"
    assert get_pathway("spasticity").route == "indirect"
    assert get_pathway("immobility-steroids").route == "bone"
    assert get_pathway("disc-not-ms").route == "none"


def test_lhermitte_pathway_says_brief_and_neck_flexion():
    p = get_pathway("cervical-lesion")
    assert "paroxysmal-neuropathic" in p.mechanisms
    assert "Seconds-long" in p.character and "neck" in p.character
    assert any("new" in s for s in p.look_for)


def test_unknown_pathway():
    with pytest.raises(SelectionError, match="unknown pathway 'nope'"):
        get_pathway("nope")


def test_cord_lesion_pain_is_not_driven_by_spinal_loading_but_touch_movement_and_heat_can_worsen_it():
    p = get_pathway("cord-lesion")
    assert "not changed by position" not in p.character
    assert "not driven by loading the spine" in p.character
    assert all(word in p.character for word in ("touch", "movement", "heat"))


def test_cord_lesion_pathway_says_a_new_band_or_level_is_not_assumed_to_be_ms():
    p = get_pathway("cord-lesion")
    new = next(s for s in p.look_for if "new sensory level" in s)
    for cause in ("relapse", "compression of the cord", "heart", "pleura", "gut", "shingles", "same day",
                  "emergency"):
        assert cause in new, cause
    assert ("Leg weakness that is getting worse, a bladder, bowel or saddle change, a fever or rigors, or a "
            "history of cancer make it an emergency") in " ".join(new.split())
