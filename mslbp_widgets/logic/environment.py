"""What the course needs from the Python environment, and whether this one has it (used by the start notebook)."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

from .paths import DATA_DIR_ENV, data_dir
from .yamlfile import read_yaml

#: The version stamp of the course files: the package version they were written for (see docs/hub.md).
STAMP_FILE = "course-version.yaml"

#: Distribution name -> the oldest major.minor the course is tested with (requirements.txt pins the exact versions).
REQUIRED: dict[str, tuple[int, int]] = {
    "jupyterlab": (4, 0),
    "ipywidgets": (8, 1),
    "plotly": (6, 0),
    "anywidget": (0, 9),
    "msgspec": (0, 18),
    "pyyaml": (6, 0),
    "jsonschema": (4, 18),
    "mslbp-widgets": (0, 1),
}


def _major_minor(version: str) -> tuple[int, int]:
    parts = []
    for piece in version.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    while len(parts) < 2:
        parts.append(0)
    return parts[0], parts[1]


def versions() -> dict[str, str | None]:
    """Installed version of Python and of each package the course needs (None when missing)."""
    found: dict[str, str | None] = {"python": platform.python_version()}
    for name in REQUIRED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def problems(found: dict[str, str | None] | None = None) -> list[str]:
    """What is missing or too old, each with the command that fixes it; an empty list means all is well."""
    found = versions() if found is None else found
    out = []
    for name, minimum in REQUIRED.items():
        have = found.get(name)
        if have is None:
            out.append(f"{name} is not installed: run `pip install -r requirements.txt` from the course folder")
        elif _major_minor(have) < minimum:
            out.append(f"{name} {have} is older than {minimum[0]}.{minimum[1]}: run `pip install -r requirements.txt`")
    return out


def data_folder_warning(cwd: Path | None = None) -> str | None:
    """A warning when the course data the package reads is not the course folder you are working in.

    This happens with two copies of the course and one environment: the notebooks would show the other copy's
    cases. None when they agree, or when the working folder is not inside a course folder.
    """
    in_use = data_dir().resolve()
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "data"
        if (candidate / "schema" / "case.schema.json").is_file():
            if candidate.resolve() != in_use:
                return (f"the course reads its cases from {in_use}, but you are working in {folder}: edits to "
                        f"{candidate} will not show. Install this copy in its own environment (the README's "
                        f"commands, run in this folder) or set {DATA_DIR_ENV}={candidate}")
            return None
    return None


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int("".join(ch for ch in piece if ch.isdigit()) or 0) for piece in version.split("."))


def data_stamp(folder: Path | None = None) -> str | None:
    """The package version the course files in ``folder`` (default: the data folder in use) were written for, from
    ``course-version.yaml``; None when the stamp is missing or unreadable."""
    data, problems_found = read_yaml((folder or data_dir()) / STAMP_FILE, kind="version stamp")
    if problems_found or not isinstance(data, dict) or not isinstance(data.get("package_version"), str):
        return None
    return data["package_version"].strip() or None


def course_data_warning(found: dict[str, str | None] | None = None, folder: Path | None = None) -> str | None:
    """A warning when the installed package and the course files (cases, tables) are from different versions of the
    course, e.g. a hub image built at the start of term and course files pulled after an update. None when they
    agree, or when the package is not installed at all (:func:`problems` already says so). ``found`` is the result
    of :func:`versions` (read again when None)."""
    installed = (versions() if found is None else found).get("mslbp-widgets")
    if installed is None:
        return None
    folder = folder or data_dir()
    stamp = data_stamp(folder)
    if stamp == installed:
        return None
    fix_package = ("If you use a hub, tell whoever runs it that the image needs the course package of the same "
                   "version (docs/hub.md); on your own computer run `pip install -r requirements.txt` in the "
                   "course folder")
    if stamp is None:
        return (f"the course files in {folder} carry no version stamp ({STAMP_FILE}), so they are older than the "
                f"installed course package ({installed}), or not this course's files: update them (follow your "
                "course link again, or `git pull` in the course folder)")
    if _numbers(stamp) > _numbers(installed):
        return (f"the course files in {folder} were written for course package {stamp}, but this environment has "
                f"{installed}: some parts may not work. {fix_package}")
    return (f"the course files in {folder} are from course package {stamp}, older than the installed {installed}: "
            "update them (follow your course link again, or `git pull` in the course folder)")
