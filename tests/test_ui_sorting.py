"""Sorting-exercise widget (mslbp_widgets.ui.sorting), driven headless through .value and .click()."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pytest

from mslbp_widgets.tools.sorting import load_exercise
from mslbp_widgets.ui.sorting import SortingExerciseWidget

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"


@pytest.fixture()
def widget():
    return SortingExerciseWidget(load_exercise(FIXTURES / "ok-minimal.yaml"))


def test_one_labelled_dropdown_per_item_and_text_buttons(widget):
    assert list(widget.dropdowns) == ["item-one", "item-two", "item-three"]
    for n, dd in enumerate(widget.dropdowns.values(), start=1):
        assert isinstance(dd, widgets.Dropdown)
        assert dd.description == f"Item {n} goes under:"
        assert dd.index == 0 and dd.label == "— choose a category —"  # placeholder shown, not blank
        assert [v for _label, v in dd.options] == ["", "box-a", "box-b", "box-c"]
    assert widget.placements() == {"item-one": None, "item-two": None, "item-three": None}
    assert widget.check_button.description == "Check my sorting"
    assert widget.show_button.description == "Show answers"
    assert widget.reset_button.description == "Reset"


def test_check_shows_words_per_item_and_score(widget):
    widget.dropdowns["item-one"].value = "box-a"
    widget.dropdowns["item-two"].value = "box-c"
    widget.dropdowns["item-three"].value = "box-a"
    widget.check_button.click()
    # the verdict is a sentence on its own line, naming the category, then the feedback
    assert "Correct: this belongs under “Box A”.</strong><br>One belongs in A." in widget.feedback["item-one"].value
    assert "Not quite: “Box C” is defensible, but not the best fit." in widget.feedback["item-two"].value
    assert "Incorrect.</strong><br>" in widget.feedback["item-three"].value
    assert "1 of 3 correct" in widget.summary.value
    assert widget.last_result is not None and widget.last_result.score == pytest.approx(0.5)


def test_teaching_point_only_once_everything_is_placed(widget):
    widget.check_button.click()
    assert "The teaching point." not in widget.summary.value
    assert "Not placed." in widget.feedback["item-one"].value
    for item_id, cat in {"item-one": "box-a", "item-two": "box-b", "item-three": "box-c"}.items():
        widget.dropdowns[item_id].value = cat
    widget.check_button.click()
    assert "3 of 3 correct" in widget.summary.value
    assert "The teaching point." in widget.summary.value


def test_show_answers_then_reset(widget):
    widget.show_button.click()
    assert {k: dd.value for k, dd in widget.dropdowns.items()} == {
        "item-one": "box-a", "item-two": "box-b", "item-three": "box-c"}
    assert "Answer: this belongs under “Box B”." in widget.feedback["item-two"].value
    assert "Two belongs in B." in widget.feedback["item-two"].value
    widget.reset_button.click()
    assert set(widget.placements().values()) == {None}
    # the lists show the placeholder again, not a blank box
    assert all(dd.index == 0 and dd.label == "— choose a category —" for dd in widget.dropdowns.values())
    assert all(fb.value == "" for fb in widget.feedback.values())
    assert widget.summary.value == ""


def test_text_is_escaped(tmp_path):
    src = (FIXTURES / "ok-minimal.yaml").read_text(encoding="utf-8").replace("text: First item",
                                                                            "text: First <b>item</b>")
    path = tmp_path / "ok-minimal.yaml"
    path.write_text(src, encoding="utf-8")
    w = SortingExerciseWidget(load_exercise(path))
    html_values = " ".join(c.value for c in w.children if isinstance(c, widgets.VBox) for c in c.children
                           if isinstance(c, widgets.HTML))
    assert "&lt;b&gt;item&lt;/b&gt;" in html_values
