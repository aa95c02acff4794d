"""Headless tests of the pathway explorer widget."""

from __future__ import annotations

import pytest

from mslbp_widgets.logic.errors import SelectionError
from mslbp_widgets.tools.pathways import pathways
from mslbp_widgets.ui.pathways import pathway_explorer


def test_dropdown_lists_every_pathway_with_a_visible_label():
    w = pathway_explorer()
    assert w.chooser.description == "MS problem:"
    assert [v for _label, v in w.chooser.options] == list(pathways())
    assert w.chooser.value == "spasticity"
    assert "Stiffness, tugging, pulling" in w.detail.value


def test_choosing_shows_the_chain_and_examination():
    w = pathway_explorer()
    w.chooser.value = "foot-drop"
    html = w.detail.value
    assert "Foot drop" in html
    assert "circumduction" in html
    assert "<ol>" in html and "What to look for" in html
    assert "Route:</strong> Indirect" in html


def test_start_argument_and_route_in_words():
    w = pathway_explorer("disc-not-ms")
    assert w.chooser.value == "disc-not-ms"
    assert "Not caused by MS" in w.detail.value


def test_unknown_start_is_an_error():
    with pytest.raises(SelectionError):
        pathway_explorer("nope")
