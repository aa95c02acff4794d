"""Tables and pictures in a case's stages: their checks and the picture's bytes. Plain Python, no widgets.

A stage may show one table (`table: {caption, columns, rows}`, plain text cells) and one picture
(`image: {file, alt, caption}`) under its text. A picture is a file of the course's own data folder, under
`images/` or `diagrams/` (SVG preferred; PNG and JPEG accepted), at most :data:`MAX_IMAGE_BYTES`, with a text
alternative. An SVG passes the course's SVG safety check (:func:`mslbp_widgets.logic.diagrams.svg_problem`: no
script, event handler, foreignObject or outside link) and is shown as an image (``<img>`` with a ``data:`` URI), where
a browser runs nothing; a raster file must really be a PNG or JPEG. `validate` runs these checks
(:func:`check_media`); :func:`image_data_uri` runs them again when the picture is shown, so a file changed since
cannot slip through.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from ..errors import MslbpError, Problem
from ..paths import data_dir
from .model import Image

#: Largest picture shown in a case, in bytes (the diagrams' limit).
MAX_IMAGE_BYTES = 1_000_000
#: Where a case's picture may come from, inside the data folder, and its name.
IMAGE_PATH = re.compile(r"(images|diagrams)/[a-z0-9]+(-[a-z0-9]+)*\.(svg|png|jpg|jpeg)")  # fullmatch
MIME = {"svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}
_MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff"}


class ImageError(MslbpError):
    """A case's picture cannot be shown (missing, too large, not the kind of file its name says, an unsafe SVG)."""


def image_path(file: str, root: Path | None = None) -> Path:
    """Where a picture named in a case lives: `<data folder>/<file>`."""
    return (root if root is not None else data_dir()) / file


def _extension(file: str) -> str:
    return file.rsplit(".", 1)[-1].lower()


def image_problem(file: str, root: Path | None = None) -> str | None:
    """Why the picture `file` (a path inside the data folder) cannot be shown, or None when it can."""
    if not isinstance(file, str) or not IMAGE_PATH.fullmatch(file):
        return (f"{file!r} is not a picture of the course: write a path inside the data folder, "
                "images/<name>.svg (or .png, .jpg) or diagrams/<name>.svg, with a kebab-case name (SVG preferred)")
    path = image_path(file, root)
    folder = path.parent
    if not path.is_file():
        return f"no file {file} in the data folder ({folder}): add it there, or fix the path"
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return f"{file} is {size:,} bytes, over the limit of {MAX_IMAGE_BYTES:,}: make it smaller (SVG preferred)"
    ext = _extension(file)
    if ext == "svg":
        from ..diagrams import svg_problem  # the one SVG safety check (imported here: diagrams imports cases)

        return svg_problem(path.read_text(encoding="utf-8", errors="replace"), file)
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head.startswith(_MAGIC[ext]):
        return f"{file} is not a {ext.upper()} picture (its content does not match its name)"
    return None


def image_data_uri(image: Image, root: Path | None = None) -> str:
    """The picture as a ``data:`` URI for an ``<img>``, after the same checks as `validate`; ImageError if it
    cannot be shown."""
    problem = image_problem(image.file, root)
    if problem:
        raise ImageError(problem)
    data = image_path(image.file, root).read_bytes()
    return f"data:{MIME[_extension(image.file)]};base64,{base64.b64encode(data).decode('ascii')}"


def check_media(data: dict, file: str, root: Path | None = None) -> list[Problem]:
    """Problems with the tables and pictures of a schema-valid case mapping: every row of a table has one cell per
    column; every picture exists in the data folder, is small enough and safe to show."""
    problems: list[Problem] = []
    for i, stage in enumerate(data["stages"]):
        table = stage.get("table")
        if table is not None:
            n = len(table["columns"])
            for r, row in enumerate(table["rows"]):
                if len(row) != n:
                    problems.append(Problem(file, f"stages[{i}].table.rows[{r}]",
                                            f"this row has {len(row)} cell(s) but the table has {n} column(s): "
                                            'give every row one cell per column (an empty cell is written "")'))
        image = stage.get("image")
        if image is not None:
            problem = image_problem(image["file"], root)
            if problem:
                problems.append(Problem(file, f"stages[{i}].image.file", problem))
    return problems


__all__ = ["IMAGE_PATH", "MAX_IMAGE_BYTES", "ImageError", "check_media", "image_data_uri", "image_path",
           "image_problem"]
