"""The start notebook's environment check: versions found, problems named with their fix, a widget that responds."""

from __future__ import annotations

from mslbp_widgets.environment import problems, versions
from mslbp_widgets.ui.environment import environment_check


def test_this_environment_has_everything() -> None:
    found = versions()
    assert found["python"] and found["ipywidgets"] and found["mslbp-widgets"]
    assert problems(found) == []


def test_missing_or_old_packages_are_named_with_the_fix() -> None:
    found = versions() | {"plotly": None, "ipywidgets": "7.8.1"}
    out = problems(found)
    assert any(p.startswith("plotly is not installed") and "requirements.txt" in p for p in out)
    assert any(p.startswith("ipywidgets 7.8.1 is older than 8.1") for p in out)


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
