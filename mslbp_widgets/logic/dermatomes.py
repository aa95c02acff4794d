"""The dermatome explorer's logic: which roots a cord sensory level or a single root touches, and the two dermatome
diagrams (data/diagrams/dermatomes-front.svg, dermatomes-back.svg) recoloured to show them. Pure: no widgets.

The map (data/diagrams/dermatomes.yaml, schema ``dermatomes``) lists every root drawn, in order down the cord from C2
to S5, with a label; each root is one ``<g id="derm-<ROOT>" ...>`` group in the SVG files of its views, so
recolouring a root means changing that group's ``fill``. Loading checks what the schema cannot: the order and the
root list agree, and every root's group exists in each SVG named in its views.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .datafiles import load_yaml_file
from .errors import MslbpError, Problem
from .paths import data_dir

SCHEMA = "dermatomes"
WHAT = "dermatome map"
LEVEL = "level"
ROOT = "root"
#: Colours inside the diagrams, which keep their own light panel in light and dark themes.
HIGHLIGHT = "#f59e5b"
MUTED = "#eeeae4"


@dataclass(frozen=True)
class Pattern:
    """What one choice shows: the roots coloured, a title, and the teaching sentence under the diagrams."""

    kind: str
    root: str
    roots: tuple[str, ...]
    title: str
    explanation: str


@dataclass(frozen=True)
class DermatomeMap:
    """The roots in order (C2 to S5), their labels and views, and the two SVG files."""

    order: tuple[str, ...]
    labels: dict[str, str]
    views: dict[str, tuple[str, ...]]
    files: dict[str, Path]

    def pattern(self, kind: str, root: str) -> Pattern:
        """The roots changed by a cord sensory level at ``root`` (that root and every root below it) or by one
        ``root`` alone, with the sentence a student needs to tell the two apart."""
        if root not in self.labels:
            raise MslbpError(f"There is no dermatome {root!r} in the map; roots: {', '.join(self.order)}.")
        if kind == LEVEL:
            below = self.order[self.order.index(root):]
            last = below[-1]
            span = f"{root} to {last}" if len(below) > 1 else root
            return Pattern(kind, root, below, f"A cord sensory level at {root}: {span} coloured", (
                f"Feeling is changed from the {root} band downwards ({span}), usually on both sides: the pattern of a "
                f"spinal cord lesion at or above the {root} cord segment, with upper motor neurone signs below it. "
                "MS can cause this. A sensory level names a cord segment, not a vertebra: cord segments lie higher "
                "than the vertebrae of the same name, so the scan must include the cord above the level."))
        if kind == ROOT:
            return Pattern(kind, root, (root,), f"One root, {root}: its band alone coloured", (
                f"Feeling is changed in the {root} band alone ({self.labels[root].split(': ', 1)[-1]}), usually "
                "on one side (the diagrams colour both), often with weakness of the muscles that root supplies and "
                "a reduced reflex (lower motor neurone signs): a root problem such as a disc pressing on it. MS "
                "does not attack nerve roots, so this pattern points away from MS, even in someone who has it."))
        raise MslbpError(f"Unknown pattern kind {kind!r}: use {LEVEL!r} or {ROOT!r}.")

    def svg(self, view: str, roots: tuple[str, ...] | frozenset[str]) -> str:
        """The SVG of ``view`` ('front' or 'back') with ``roots`` in the highlight colour and every other root
        muted (its title and labels unchanged)."""
        text = self.files[view].read_text(encoding="utf-8")
        chosen = set(roots)

        def recolour(match: re.Match[str]) -> str:
            colour = HIGHLIGHT if match.group(2) in chosen else MUTED
            return re.sub(r'\sfill="[^"]*"', f' fill="{colour}"', match.group(0), count=1)

        return _GROUP.sub(recolour, text)

    def shown_in(self, view: str, roots: tuple[str, ...]) -> tuple[str, ...]:
        """The roots of ``roots`` drawn in ``view`` (S2 to S5 are drawn from behind only)."""
        return tuple(r for r in roots if view in self.views[r])


_GROUP = re.compile(r'<g id="derm-([CTLS][0-9]{1,2})"[^>]*data-root="([CTLS][0-9]{1,2})"[^>]*>')


def dermatomes_path() -> Path:
    """The map: `data/diagrams/dermatomes.yaml` of the current data folder."""
    return data_dir() / "diagrams" / "dermatomes.yaml"


def _checks(folder: Path):
    def check(raw: dict, file: str) -> list[Problem]:
        problems = []
        listed = [r["root"] for r in raw["roots"]]
        if list(raw["order"]) != listed:
            problems.append(Problem(file, "order", "the order must list the roots exactly as `roots` does, C2 to S5"))
        for i, r in enumerate(raw["roots"]):
            if r["id"] != f"derm-{r['root']}":
                problems.append(Problem(file, f"roots[{i}].id", f"must be derm-{r['root']}"))
            for view in r["views"]:
                name = raw["files"][view]
                svg = folder / name
                if not svg.is_file():
                    problems.append(Problem(file, f"files.{view}", f"no file {name!r} beside the map"))
                elif f'<g id="derm-{r["root"]}"' not in svg.read_text(encoding="utf-8", errors="replace"):
                    problems.append(Problem(file, f"roots[{i}].views",
                                            f"{name} has no group <g id=\"derm-{r['root']}\">"))
        return problems

    return check


def load_dermatomes(path: Path | str | None = None) -> DermatomeMap:
    """Load and check the dermatome map; DataValidationError lists every problem."""
    path = Path(path) if path else dermatomes_path()
    raw = load_yaml_file(path, SCHEMA, WHAT, _checks(path.parent))
    return DermatomeMap(tuple(raw["order"]), {r["root"]: r["label"] for r in raw["roots"]},
                        {r["root"]: tuple(r["views"]) for r in raw["roots"]},
                        {view: path.parent / name for view, name in raw["files"].items()})


@lru_cache(maxsize=4)
def _cached(path: str) -> DermatomeMap:
    return load_dermatomes(Path(path))


def dermatome_map() -> DermatomeMap:
    """The course's dermatome map (loaded once per data folder)."""
    return _cached(str(dermatomes_path()))


__all__ = ["HIGHLIGHT", "LEVEL", "MUTED", "ROOT", "DermatomeMap", "Pattern", "dermatome_map", "load_dermatomes"]
