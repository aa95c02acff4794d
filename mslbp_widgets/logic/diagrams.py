"""The course's teaching diagrams (data/diagrams/diagrams.yaml and the SVG files beside it). Pure: no widgets.

Each diagram has a caption, a full text alternative and its published sources. Loading checks what the schema
cannot: unique ids, references that resolve, and that every file exists beside the manifest, is at most
:data:`MAX_SVG_BYTES` and is a plain SVG (no script, no ``foreignObject``, no link to another site). The notebooks
show a diagram as an image (``ui.display.show_diagram``), where a browser runs no script anyway.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .cases.loading import nearest_id
from .datafiles import Checks, duplicate_ids, load_yaml_file, reference_keys, unknown_references
from .errors import DataValidationError, MslbpError, Problem
from .paths import data_dir
from .records import Record

SCHEMA = "diagrams"
WHAT = "teaching diagrams"
MAX_SVG_BYTES = 1_000_000
_UNSAFE_SVG = re.compile(r"<script|<foreignobject|\son\w+\s*=|(?:href|src)\s*=\s*[\"'](?!#)", re.IGNORECASE)


def svg_problem(text: str, name: str) -> str | None:
    """Why an SVG file's text may not be shown (not an SVG; a script, an event handler, a foreignObject or a link
    outside the file), or None when it is a plain drawing. The one SVG safety check (diagrams and case images)."""
    if "<svg" not in text:
        return f"{name} is not an SVG drawing"
    if _UNSAFE_SVG.search(text):
        return f"{name} has a script, an event handler, a foreignObject or a link outside the file: remove it"
    return None


class Diagram(Record):
    """One diagram: its SVG file, title, caption, text alternative and sources."""

    id: str
    path: Path
    title: str
    caption: str
    alt: str
    references: tuple[str, ...]
    reviewed: str

    def svg(self) -> str:
        """The SVG text."""
        return self.path.read_text(encoding="utf-8")


def diagrams_path() -> Path:
    """The manifest: `data/diagrams/diagrams.yaml` of the current data folder."""
    return data_dir() / "diagrams" / "diagrams.yaml"


def _cross_checks(folder: Path, refs: set[str]) -> Checks:
    def check(raw: dict, file: str) -> list[Problem]:
        problems = duplicate_ids(raw, "diagrams", file, "diagram")
        for i, d in enumerate(raw["diagrams"]):
            problems += unknown_references(raw, d["references"], ("diagrams", i, "references"), refs, file)
            svg = folder / d["file"]
            where = f"diagrams[{i}] ({d['id']}).file"
            if not svg.is_file():
                problems.append(Problem(file, where, f"no file {d['file']!r} beside the manifest"))
            elif svg.stat().st_size > MAX_SVG_BYTES:
                problems.append(Problem(file, where, f"{d['file']} is larger than {MAX_SVG_BYTES:,} bytes"))
            else:
                problem = svg_problem(svg.read_text(encoding="utf-8", errors="replace"), d["file"])
                if problem:
                    problems.append(Problem(file, where, problem))
        return problems

    return check


def load_diagrams(path: Path | str | None = None) -> dict[str, Diagram]:
    """Load and check the manifest (id -> Diagram, in file order); DataValidationError lists every problem."""
    path = Path(path) if path else diagrams_path()
    raw = load_yaml_file(path, SCHEMA, WHAT, _cross_checks(path.parent, reference_keys()))
    return {d["id"]: Diagram(d["id"], path.parent / d["file"], " ".join(d["title"].split()),
                             " ".join(d["caption"].split()), " ".join(d["alt"].split()), tuple(d["references"]),
                             d["reviewed"]) for d in raw["diagrams"]}


@lru_cache(maxsize=4)
def _cached(path: str) -> dict[str, Diagram]:
    return load_diagrams(Path(path))


def get_diagram(diagram_id: str) -> Diagram:
    """One diagram of the course by id; a mistyped id names the nearest one and every id."""
    known = _cached(str(diagrams_path()))
    if diagram_id in known:
        return known[diagram_id]
    near = nearest_id(diagram_id, known)
    hint = f" Did you mean {near!r}?" if near else ""
    raise MslbpError(f"There is no diagram with the id {diagram_id!r}.{hint} Diagram ids: {', '.join(known)}.")


__all__ = ["MAX_SVG_BYTES", "DataValidationError", "Diagram", "get_diagram", "load_diagrams", "svg_problem"]
