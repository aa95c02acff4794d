"""nbgitpuller links for a JupyterHub (logic/hublinks.py): exact strings, URL-encoding, and clear errors."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from mslbp_widgets.logic.hublinks import (
    DEFAULT_REPO,
    GITHUB_REPO,
    HubLinkError,
    check_branch,
    course_notebooks,
    hub_base,
    markdown_table,
    notebook_links,
    pull_link,
    repo_target,
    resolve_notebook,
)

ROOT = Path(__file__).resolve().parent.parent
LAB_00 = ("https://hub.example.edu/hub/user-redirect/git-pull?"
          "repo=https%3A%2F%2Fgithub.com%2Fmslbp-course%2Fms-low-back-pain&branch=main&targetpath=ms-low-back-pain"
          "&urlpath=lab%2Ftree%2Fms-low-back-pain%2Fnotebooks%2F00_start_here.ipynb")


def test_default_link_opens_the_start_notebook_in_lab() -> None:
    assert pull_link("https://hub.example.edu") == LAB_00
    assert pull_link("https://hub.example.edu/") == LAB_00, "a trailing slash changes nothing"


def test_voila_link_opens_the_case_scenarios() -> None:
    assert pull_link("https://hub.example.edu", app="voila") == (
        "https://hub.example.edu/hub/user-redirect/git-pull?"
        "repo=https%3A%2F%2Fgithub.com%2Fmslbp-course%2Fms-low-back-pain&branch=main&targetpath=ms-low-back-pain"
        "&urlpath=voila%2Frender%2Fms-low-back-pain%2Fnotebooks%2F07_case_scenarios.ipynb")


def test_hub_under_a_path_a_fork_a_tag_and_a_named_notebook() -> None:
    link = pull_link("http://127.0.0.1:8000/jupyter/", repo="https://gitlab.example.org/team/ms-course.git",
                     branch="v0.2.0", notebook="03_how_ms_causes_back_pain.ipynb")
    assert link == (
        "http://127.0.0.1:8000/jupyter/hub/user-redirect/git-pull?"
        "repo=https%3A%2F%2Fgitlab.example.org%2Fteam%2Fms-course.git&branch=v0.2.0&targetpath=ms-course"
        "&urlpath=lab%2Ftree%2Fms-course%2Fnotebooks%2F03_how_ms_causes_back_pain.ipynb")


def test_every_query_value_is_percent_encoded_and_round_trips() -> None:
    link = pull_link("https://hub.example.edu", repo="file:///srv/course%20repo/ms-course", branch="term+1/fix")
    query = urlsplit(link).query
    assert " " not in link and "+" not in query.replace("%2B", "")
    assert query.startswith("repo=file%3A%2F%2F%2Fsrv%2Fcourse%2520repo%2Fms-course&branch=term%2B1%2Ffix&")
    assert parse_qs(query) == {
        "repo": ["file:///srv/course%20repo/ms-course"], "branch": ["term+1/fix"], "targetpath": ["ms-course"],
        "urlpath": ["lab/tree/ms-course/notebooks/00_start_here.ipynb"]}


def test_urlpath_names_the_folder_the_clone_goes_to() -> None:
    for repo, target in ((DEFAULT_REPO, "ms-low-back-pain"), (DEFAULT_REPO + ".git", "ms-low-back-pain"),
                         ("file:///srv/x/remote.git/", "remote")):
        q = parse_qs(urlsplit(pull_link("https://h.example", repo=repo)).query)
        assert q["targetpath"] == [target]
        assert q["urlpath"][0].startswith(f"lab/tree/{target}/notebooks/")


@pytest.mark.parametrize("hub, message", [
    ("", "is empty"),
    ("hub.example.edu", "did you mean https://hub.example.edu?"),
    ("ftp://hub.example.edu", "must start with https://"),
    ("https://", "no host name"),
    ("https://hub.example.edu/hub/login", "give https://hub.example.edu"),
    ("https://uni.edu/jupyter/user/alice/lab", "give https://uni.edu/jupyter"),
    ("https://hub.example.edu/?next=x", "'?' or '#'"),
    ("https://bob:secret@hub.example.edu", "user name or password"),
    ("https://hub.example.edu:99999", "port"),
    ("https://hub example.edu", "contains a space"),
])
def test_bad_hub_addresses_say_what_to_give(hub: str, message: str) -> None:
    with pytest.raises(HubLinkError, match="^--hub: ") as info:
        hub_base(hub)
    assert message in str(info.value)


@pytest.mark.parametrize("repo, message", [
    ("git@github.com:mslbp-course/ms-low-back-pain.git", "SSH address"),
    ("github.com/mslbp-course/ms-low-back-pain", "did you mean https://github.com/"),
    ("https://github.com/mslbp-course/ms-low-back-pain/tree/main", "without /tree/"),
    ("https://github.com/mslbp-course", "not a GitHub repository"),
    ("https://example.org/", "does not end in a repository name"),
    ("https://example.org/x?ref=1", "'?' or '#'"),
    ("", "is empty"),
])
def test_bad_repository_addresses_say_what_to_give(repo: str, message: str) -> None:
    with pytest.raises(HubLinkError, match="^--repo: ") as info:
        repo_target(repo)
    assert message in str(info.value)


@pytest.mark.parametrize("branch", ["", "-x", "a..b", "a b", "main/", "x.lock", "a;rm", "é"])
def test_bad_branch_names_are_refused(branch: str) -> None:
    with pytest.raises(HubLinkError, match="^--branch: "):
        check_branch(branch)


def test_notebook_by_number_name_or_path_and_unknown_ones_listed() -> None:
    names = course_notebooks()
    assert names[0] == "00_start_here.ipynb" and "07_case_scenarios.ipynb" in names
    for given in ("07", "07_case_scenarios", "07_case_scenarios.ipynb", "notebooks/07_case_scenarios.ipynb"):
        assert resolve_notebook(given, "lab", names) == "07_case_scenarios.ipynb"
    assert resolve_notebook(None, "lab", names) == "00_start_here.ipynb"
    assert resolve_notebook(None, "voila", names) == "07_case_scenarios.ipynb"
    with pytest.raises(HubLinkError, match=r"--notebook: '99' is not a notebook of the course; give one of: 00_"):
        resolve_notebook("99", "lab", names)


def test_markdown_table_has_a_row_and_two_links_per_notebook() -> None:
    rows = notebook_links("https://hub.example.edu")
    table = markdown_table(rows)
    lines = table.splitlines()
    assert lines[0] == "| Notebook | JupyterLab | Voila (no code shown) |"
    assert lines[1] == "|---|---|---|"
    assert len(lines) == 2 + len(course_notebooks())
    voila_00 = LAB_00.replace("urlpath=lab%2Ftree", "urlpath=voila%2Frender")
    title = "00 Multiple sclerosis and low back pain: start here"
    assert lines[2] == f"| {title} | [open]({LAB_00}) | [open]({voila_00}) |"
    assert lines[9].startswith("| 07 · Case scenarios | [open](")
    assert all(line.count("](https://hub.example.edu/hub/user-redirect/git-pull?") == 2 for line in lines[2:])


def test_table_text_from_a_notebook_is_escaped(tmp_path: Path) -> None:
    nb = tmp_path / "00_x.ipynb"
    nb.write_text('{"cells": [{"cell_type": "markdown", "source": ["# A | B [c](d) <b>"]}]}', encoding="utf-8")
    (tmp_path / "01_broken.ipynb").write_text("not json", encoding="utf-8")
    table = markdown_table(notebook_links("https://h.example", folder=tmp_path))
    assert "| 00 A \\| B \\[c\\](d) \\<b\\> | [open](" in table
    assert "| 01\\_broken.ipynb | [open](" in table, "a notebook that cannot be read is named by its file"


def test_the_readme_binder_links_use_the_same_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    owners = set(re.findall(r"mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/", readme))
    assert owners == {GITHUB_REPO}
    assert DEFAULT_REPO == f"https://github.com/{GITHUB_REPO}"


def test_the_lab_settings_note_names_the_file_and_place_binder_uses() -> None:
    """hub-link tells the admin the same file and folder the repository's postBuild uses on Binder."""
    from mslbp_widgets.logic.hublinks import LAB_SETTINGS_DIR, LAB_SETTINGS_FILE, lab_settings_note

    assert (ROOT / LAB_SETTINGS_FILE).is_file()
    post_build = (ROOT / "postBuild").read_text(encoding="utf-8")
    assert f"cp {LAB_SETTINGS_FILE} " in post_build
    assert LAB_SETTINGS_DIR.replace("{sys.prefix}", "${NB_PYTHON_PREFIX}") in post_build
    note = lab_settings_note()
    assert LAB_SETTINGS_FILE in note and f"{LAB_SETTINGS_DIR}/overrides.json" in note and "docs/hub.md" in note
