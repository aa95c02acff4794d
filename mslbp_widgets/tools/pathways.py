"""Pathway explorer: from an MS problem to back pain, step by step.

Pure logic (no ipywidgets). The pathways live in `data/features/pathways.yaml`: each starts from an MS problem
(spasticity, foot drop, a cord lesion...) and gives the chain of events to back pain, what the pain feels like,
where it is felt, what to look for on examination, whether the route is direct, indirect, through bone, or not
caused by MS at all, and its references.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import DataValidationError, Problem, SelectionError
from ..paths import data_dir
from ._yaml_tables import (
    KEBAB,
    check_unknown_fields,
    id_list,
    mechanism_ids,
    read_yaml_mapping,
    reference_keys,
    require_text,
)

#: How an MS problem reaches the back, with the sentence shown to learners.
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
_PATHWAY_FIELDS = {"id", "problem", "route", "mechanisms", "chain", "character", "where", "look_for", "references"}


@dataclass(frozen=True)
class Pathway:
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


def _text_list(entry: dict, name: str, file: str, where: str, problems: list[Problem]) -> tuple[str, ...]:
    value = entry.get(name)
    if not isinstance(value, list) or not value or not all(isinstance(x, str) and x.strip() for x in value):
        problems.append(Problem(file, f"{where}.{name}", "must be a non-empty list of sentences"))
        return ()
    return tuple(" ".join(x.split()) for x in value)


def validate_pathways(raw: dict, file: str, kinds: set[str], refs: set[str]) -> list[Problem]:
    """Every problem in a parsed pathways file (fields, ids, routes, mechanism ids, reference keys)."""
    problems: list[Problem] = []
    check_unknown_fields(raw, {"pathways"}, file, "(top level)", problems)
    items = raw.get("pathways")
    if not isinstance(items, list) or not items:
        return problems + [Problem(file, "pathways", "must be a non-empty list of pathways")]
    seen: set[str] = set()
    for i, p in enumerate(items):
        where = f"pathways[{i}]"
        if not isinstance(p, dict):
            problems.append(Problem(file, where, "must be a mapping (id, problem, route, chain, ...)"))
            continue
        pid = require_text(p, "id", file, where, problems)
        if pid:
            where = f"pathways[{i}] ({pid})"
            if not KEBAB.match(pid):
                problems.append(Problem(file, f"{where}.id", "ids are kebab-case, e.g. foot-drop"))
            if pid in seen:
                problems.append(Problem(file, f"{where}.id", f"duplicate pathway id {pid!r}"))
            seen.add(pid)
        check_unknown_fields(p, _PATHWAY_FIELDS, file, where, problems)
        for name in ("problem", "character", "where"):
            require_text(p, name, file, where, problems)
        route = p.get("route")
        if route not in ROUTES:
            problems.append(Problem(file, f"{where}.route", f"must be one of {sorted(ROUTES)}"))
        id_list(p, "mechanisms", file, where, problems, kinds, "mechanism id", required=True)
        _text_list(p, "chain", file, where, problems)
        _text_list(p, "look_for", file, where, problems)
        id_list(p, "references", file, where, problems, refs, "reference key", required=True,
                fix="add it to data/references.yaml or correct the key")
    return problems


def load_pathways(path: Path | None = None) -> dict[str, Pathway]:
    """Load and validate the pathways (id -> Pathway, in file order); DataValidationError lists every problem."""
    path = Path(path) if path else pathways_path()
    raw = read_yaml_mapping(path, "pathway explorer data")
    problems = validate_pathways(raw, str(path), set(mechanism_ids()), reference_keys())
    if problems:
        raise DataValidationError(problems, "pathway explorer data")
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
