"""The start notebook's environment check: versions found, problems named with their fix, a widget that responds."""

from __future__ import annotations

from mslbp_widgets.logic.environment import problems, versions
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


def test_data_dir_is_found_from_the_working_folder_when_not_beside_the_package(tmp_path, monkeypatch) -> None:
    import mslbp_widgets.logic.paths as paths
    from mslbp_widgets.logic.errors import MslbpError

    course = tmp_path / "course"
    (course / "data" / "schema").mkdir(parents=True)
    (course / "data" / "schema" / "case.schema.json").write_text("{}")
    (course / "notebooks").mkdir()
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(paths, "__file__", str(tmp_path / "site-packages" / "mslbp_widgets" / "paths.py"))
    monkeypatch.chdir(course / "notebooks")
    assert paths.data_dir() == (course / "data").resolve()
    monkeypatch.chdir(tmp_path)
    try:
        paths.data_dir()
    except MslbpError as exc:
        assert "MSLBP_DATA_DIR" in str(exc)
    else:
        raise AssertionError("a missing data folder must raise a clear error")
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(course / "data"))
    assert paths.data_dir() == course / "data"


def test_ids_reject_trailing_newlines() -> None:
    from mslbp_widgets.logic.ids import is_kebab

    assert is_kebab("central-neuropathic")
    for bad in ("spasticity\n", "Bad", "a--b", "-a", "a-", "", None, 3):
        assert not is_kebab(bad), bad


def test_a_second_copy_of_the_course_is_flagged(tmp_path, monkeypatch) -> None:
    from mslbp_widgets.logic.environment import data_folder_warning
    from mslbp_widgets.logic.paths import data_dir

    assert data_folder_warning(data_dir().parent / "notebooks") is None, "the course's own folder agrees"
    assert data_folder_warning(tmp_path) is None, "outside any course folder: nothing to say"
    copy = tmp_path / "course-copy"
    (copy / "data" / "schema").mkdir(parents=True)
    (copy / "data" / "schema" / "case.schema.json").write_text("{}")
    (copy / "notebooks").mkdir()
    warning = data_folder_warning(copy / "notebooks")
    assert warning and str(copy) in warning and "MSLBP_DATA_DIR" in warning
