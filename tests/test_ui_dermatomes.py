"""The dermatome explorer widget (ui/dermatomes.py), headless: choices redraw the diagrams, the explanation and the
text alternatives; nothing is redrawn when nothing changed."""

from __future__ import annotations

import base64
import re

from mslbp_widgets import dermatome_explorer
from mslbp_widgets.logic.dermatomes import HIGHLIGHT


def _images(html: str) -> list[str]:
    return [base64.b64decode(d).decode("utf-8") for d in re.findall(r"base64,([A-Za-z0-9+/=]+)", html)]


def test_level_then_root_changes_the_coloured_bands_and_the_words() -> None:
    w = dermatome_explorer()
    assert w.pattern.kind == "level" and w.pattern.root == "T10"
    assert "A sensory level at T10" in w.view.value and "aria-live='polite'" in w.view.value
    front, back = _images(w.view.value)
    assert front.count(f'fill="{HIGHLIGHT}"') == 9 and back.count(f'fill="{HIGHLIGHT}"') == 13  # T10-S1 / T10-S5
    w.kind.value = "root"
    w.root.value = "L5"
    assert "One root, L5" in w.view.value and "not the nerve roots outside it" in w.view.value
    front, back = _images(w.view.value)
    assert front.count(f'fill="{HIGHLIGHT}"') == 1 and back.count(f'fill="{HIGHLIGHT}"') == 1
    assert "alt='Front view of the dermatome diagram with the chosen roots coloured: L5.'" in w.view.value


def test_a_root_drawn_only_from_behind_says_so_in_the_front_view() -> None:
    w = dermatome_explorer("root", "S3")
    assert "Front view: none (these roots are drawn in the back view)" in w.view.value


def test_a_level_reaching_the_saddle_says_which_roots_the_front_view_leaves_out() -> None:
    w = dermatome_explorer("level", "L4")
    assert "Front view: L4, L5, S1 (S2, S3, S4, S5 are drawn in the back view)" in w.view.value


def test_an_unchanged_choice_is_not_redrawn() -> None:
    w = dermatome_explorer()
    w.view.value = "sentinel"
    w.redraw()
    assert w.view.value == "sentinel"


def test_full_text_descriptions_and_sources_are_there() -> None:
    w = dermatome_explorer()
    rest = w.children[-1].value
    assert "Text description of the diagrams" in rest and "trigeminal" in rest
    assert "Sources for these diagrams and notes" in rest and "Kirshblum" in rest
