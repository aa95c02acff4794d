"""Pathway explorer: from an MS problem to back pain, step by step.

Pure logic (no ipywidgets). The pathways live in `data/features/pathways.yaml`: each starts from an MS problem
(spasticity, foot drop, a cord lesion...) and gives the chain of events to back pain, what the pain feels like,
where it is felt, what to look for on examination, whether the route is direct, indirect, through bone, or not
caused by MS at all, and its references.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..logic.datafiles import (
    Checks,
    duplicate_ids,
    load_yaml_file,
    mechanism_labels,
    reference_keys,
    unknown_keys,
    unknown_references,
)
from ..logic.errors import Problem, SelectionError
from ..logic.paths import data_dir
from ..logic.records import Record

#: The schema of the pathways file (data/schema/pathways.schema.json) and the name of the data in errors.
SCHEMA = "pathways"
WHAT = "pathway explorer data"
#: How an MS problem reaches the back, with the sentence shown to learners (the schema's `route` enum lists the same).
ROUTES: dict[str, str] = {
    "direct": "Direct: the MS lesion itself produces the pain (neuropathic).",
    "indirect": (
        "Indirect: MS changes how the body moves, sits or holds itself, and muscles and joints of the back hurt."
    ),
    "bone": "Indirect, through bone: MS raises the risk of osteoporosis and fracture; it does not erode bone itself.",
    "none": (
        "Not caused by MS: MS does not damage discs, joints or vertebrae, though a person with MS can have these too."
    ),
}


class Pathway(Record):
    """One chain from an MS problem to back pain."""

    id: str
    problem: str
    route: str
    mechanisms: tuple[str, ...]
    chain: tuple[str, ...]
    character: str
    where: str
    look_for: tuple[str, ...]
    references: tuple[str, ...]

    @property
    def route_text(self) -> str:
        """The learner-facing sentence for this pathway's route."""
        return ROUTES[self.route]


def pathways_path() -> Path:
    """Where the pathways live: `data/features/pathways.yaml` of the current data folder."""
    return data_dir() / "features" / "pathways.yaml"


def _cross_checks(kinds: set[str], refs: set[str]) -> Checks:
    def check(raw: dict, file: str) -> list[Problem]:
        problems = duplicate_ids(raw, "pathways", file, "pathway")
        for i, p in enumerate(raw["pathways"]):
            problems += unknown_keys(raw, p.get("mechanisms", []), ("pathways", i, "mechanisms"), kinds, file,
                                     "mechanism id", f"use one of {sorted(kinds)} (data/mechanisms.yaml)")
            problems += unknown_references(raw, p.get("references", []), ("pathways", i, "references"), refs, file)
        return problems

    return check


def load_pathways(path: Path | None = None) -> dict[str, Pathway]:
    """Load and validate the pathways (id -> Pathway, in file order); DataValidationError lists every problem."""
    path = Path(path) if path else pathways_path()
    raw = load_yaml_file(path, SCHEMA, WHAT, _cross_checks(set(mechanism_labels()), reference_keys()))
    out: dict[str, Pathway] = {}
    for p in raw["pathways"]:
        out[p["id"]] = Pathway(
            id=p["id"],
            problem=" ".join(p["problem"].split()),
            route=p["route"],
            mechanisms=tuple(p["mechanisms"]),
            chain=tuple(" ".join(x.split()) for x in p["chain"]),
            character=" ".join(p["character"].split()),
            where=" ".join(p["where"].split()),
            look_for=tuple(" ".join(x.split()) for x in p["look_for"]),
            references=tuple(p["references"]),
        )
    return out


@lru_cache(maxsize=4)
def _cached(path: str) -> dict[str, Pathway]:
    return load_pathways(Path(path))


def pathways() -> dict[str, Pathway]:
    """The course's pathways (cached), id -> Pathway in file order."""
    return dict(_cached(str(pathways_path())))


def get_pathway(pathway_id: str) -> Pathway:
    """One pathway by id; SelectionError naming the known ids if there is none."""
    known = pathways()
    if pathway_id not in known:
        raise SelectionError(f"unknown pathway {pathway_id!r}; known pathways: {list(known)}")
    return known[pathway_id]
