"""The start notebook's environment check widget (ui/environment.py), headless."""

from __future__ import annotations

from mslbp_widgets.ui.environment import environment_check


def test_the_check_widget_responds_to_clicks() -> None:
    box = environment_check()
    table = box.children[0]
    button, reply = box.children[1].children
    assert "Everything the course needs is installed" in table.value
    assert reply.value == "Not clicked yet."
    button.click()
    assert reply.value == "Widgets work: you clicked 1 time."
    button.click()
    assert reply.value == "Widgets work: you clicked 2 times."
