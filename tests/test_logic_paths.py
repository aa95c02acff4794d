"""Where the course finds its data (logic/paths.py): beside the package, or from the working folder."""

from __future__ import annotations


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


def test_progress_mode_and_learners_folder(tmp_path, monkeypatch) -> None:
    """One file when MSLBP_PROGRESS_FILE is set; the account's file on a JupyterHub; else one file per learner."""
    import mslbp_widgets.logic.paths as paths

    for name in (paths.PROGRESS_FILE_ENV, paths.HUB_USER_ENV, paths.PROGRESS_DIR_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.progress_mode() == paths.BROWSER_MODE
    assert paths.learners_dir() == tmp_path / ".mslbp" / "learners"
    assert paths.progress_file() == tmp_path / ".mslbp" / "attempts.json"
    monkeypatch.setenv(paths.PROGRESS_DIR_ENV, str(tmp_path / "room"))
    assert paths.learners_dir() == tmp_path / "room"
    monkeypatch.setenv(paths.HUB_USER_ENV, "ada")
    assert paths.progress_mode() == paths.HUB_MODE
    monkeypatch.setenv(paths.PROGRESS_FILE_ENV, str(tmp_path / "mine.json"))
    assert paths.progress_mode() == paths.FILE_MODE and paths.progress_file() == tmp_path / "mine.json"
