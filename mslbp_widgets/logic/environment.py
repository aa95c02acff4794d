"""What the course needs from the Python environment, and whether this one has it (used by the start notebook)."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

from .paths import DATA_DIR_ENV, data_dir

#: Distribution name -> the oldest major.minor the course is tested with (requirements.txt pins the exact versions).
REQUIRED: dict[str, tuple[int, int]] = {
    "jupyterlab": (4, 0),
    "ipywidgets": (8, 1),
    "plotly": (6, 0),
    "anywidget": (0, 9),
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
