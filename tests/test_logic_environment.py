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


def test_the_data_stamp_the_package_and_pyproject_agree() -> None:
    import tomllib

    import mslbp_widgets
    from mslbp_widgets.logic.environment import course_data_warning, data_stamp
    from mslbp_widgets.logic.paths import data_dir

    pyproject = tomllib.loads((data_dir().parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert data_stamp() == mslbp_widgets.__version__ == pyproject["project"]["version"], \
        "change data/course-version.yaml, mslbp_widgets.__version__ and pyproject.toml's version together"
    assert course_data_warning() is None
    assert course_data_warning({"mslbp-widgets": None}) is None, "not installed: problems() already says so"


def test_course_files_of_another_version_are_flagged(tmp_path) -> None:
    from mslbp_widgets.logic.environment import STAMP_FILE, course_data_warning, data_stamp

    assert data_stamp(tmp_path) is None
    missing = course_data_warning({"mslbp-widgets": "0.1.0"}, tmp_path)
    assert missing and f"carry no version stamp ({STAMP_FILE})" in missing and str(tmp_path) in missing
    (tmp_path / STAMP_FILE).write_text('package_version: "0.3.0"\n', encoding="utf-8")
    newer_data = course_data_warning({"mslbp-widgets": "0.2.9"}, tmp_path)
    assert newer_data.startswith(f"the course files in {tmp_path} were written for course package 0.3.0, but this "
                                 "environment has 0.2.9")
    assert "docs/hub.md" in newer_data
    older_data = course_data_warning({"mslbp-widgets": "0.10.0"}, tmp_path)
    assert "older than the installed 0.10.0" in older_data and "follow your course link again" in older_data
    assert course_data_warning({"mslbp-widgets": "0.3.0"}, tmp_path) is None
    (tmp_path / STAMP_FILE).write_text("package_version: [1, 2]\n", encoding="utf-8")
    assert data_stamp(tmp_path) is None
