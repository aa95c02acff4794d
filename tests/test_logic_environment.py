"""The start notebook's environment check: versions found, problems named with their fix, a widget that responds."""

from __future__ import annotations

from mslbp_widgets.logic.environment import problems, versions


def test_this_environment_has_everything() -> None:
    found = versions()
    assert found["python"] and found["ipywidgets"] and found["mslbp-widgets"]
    assert problems(found) == []


def test_missing_or_old_packages_are_named_with_the_fix() -> None:
    found = versions() | {"plotly": None, "ipywidgets": "7.8.1"}
    out = problems(found)
    assert any(p.startswith("plotly is not installed") and "requirements.txt" in p for p in out)
    assert any(p.startswith("ipywidgets 7.8.1 is older than 8.1") for p in out)


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
