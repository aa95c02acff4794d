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


def test_the_check_names_the_course_files_version_and_flags_a_mismatch(tmp_path, monkeypatch) -> None:
    import shutil

    from mslbp_widgets.logic.paths import data_dir

    table = environment_check().children[0]
    assert "(written for course package 0.1.0)" in table.value
    copy = tmp_path / "data"
    shutil.copytree(data_dir() / "schema", copy / "schema")
    (copy / "course-version.yaml").write_text('package_version: "9.0.0"\n', encoding="utf-8")
    monkeypatch.setenv("MSLBP_DATA_DIR", str(copy))
    table = environment_check().children[0]
    assert "<strong>Problems:</strong>" in table.value
    assert "were written for course package 9.0.0, but this environment has 0.1.0" in table.value
