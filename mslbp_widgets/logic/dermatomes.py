"""The dermatome explorer's logic: which roots a cord sensory level or a single root touches, and the two dermatome
diagrams (data/diagrams/dermatomes-front.svg, dermatomes-back.svg) recoloured to show them. Pure: no widgets.

The map (data/diagrams/dermatomes.yaml, schema ``dermatomes``) lists every root drawn, in order down the cord from C2
to S5, with a label; each root is one ``<g id="derm-<ROOT>" ...>`` group in the SVG files of its views, so
recolouring a root means changing that group's ``fill``. Loading checks what the schema cannot: the order and the
root list agree, and every root's group exists in each SVG named in its views.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .datafiles import load_yaml_file
from .errors import MslbpError, Problem
from .paths import data_dir
from .records import Record

SCHEMA = "dermatomes"
WHAT = "dermatome map"
LEVEL = "level"
ROOT = "root"
#: Colours inside the diagrams, which keep their own light panel in light and dark themes.
HIGHLIGHT = "#f59e5b"
#: Roots of the saddle, of the high neck (no disc at C2, no routine reflex), and of the trunk's bands (a one-sided
#: band there has other common causes than a disc).
SADDLE = ("S3", "S4", "S5")
HIGH_NECK = ("C2", "C3", "C4")
TRUNK = ("T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12")
MUTED = "#eeeae4"


class Pattern(Record):
    """What one choice shows: the roots coloured, a title, and the teaching sentence under the diagrams."""

    kind: str
    root: str
    roots: tuple[str, ...]
    title: str
    explanation: str


class DermatomeMap(Record):
    """The roots in order (C2 to S5), their labels and views, and the two SVG files."""

    order: tuple[str, ...]
    labels: dict[str, str]
    views: dict[str, tuple[str, ...]]
    files: dict[str, Path]
    regions: dict[str, str]
    reflexes: dict[str, str]

    def pattern(self, kind: str, root: str) -> Pattern:
        """The roots changed by a cord sensory level at ``root`` (that root and every root below it) or by one
        ``root`` alone, with what a student needs to tell them apart and when the pattern is an emergency."""
        if root not in self.labels:
            raise MslbpError(f"There is no dermatome {root!r} in the map; roots: {', '.join(self.order)}.")
        if kind == LEVEL:
            below = self.order[self.order.index(root):]
            span = f"{root} to {below[-1]}" if len(below) > 1 else root
            return Pattern(kind, root, below, f"A sensory level at {root}: {span} coloured", self._level(root))
        if kind == ROOT:
            return Pattern(kind, root, (root,), f"One root, {root}: its band alone coloured", self._root(root))
        raise MslbpError(f"Unknown pattern kind {kind!r}: use {LEVEL!r} or {ROOT!r}.")

    def _where(self, root: str) -> str:
        return self.labels[root].split(": ", 1)[-1].removesuffix(" (saddle)")

    def _level(self, root: str) -> str:
        if root in SADDLE:
            return (f"New or worsening numbness in the saddle on both sides (from {root} down) is a sign of cauda "
                    "equina syndrome or of a lesion at the end of the cord (the conus): an emergency whatever the "
                    "cause, even in someone with MS. It needs emergency MRI of the lumbosacral spine, including the "
                    "conus.")
        if self.regions[root] in ("lumbar", "sacral"):
            return (f"Feeling is changed from the {root} band downwards on both sides, and the pattern takes in the "
                    "saddle. It can come from a spinal cord lesion: the lumbar and sacral cord segments lie behind "
                    "about the T10 to L1 vertebrae and end in the conus at about the L1 to L2 vertebrae, and a lesion "
                    "anywhere higher in the cord, even in the neck, can also cause a level here. MS can cause such a "
                    "lesion, with upper motor neuron signs, or near the conus a mix of upper and lower motor neuron "
                    "signs. Or it can come from many roots of the cauda equina pressed on at once, which is not MS, "
                    "with reduced or absent reflexes of the roots involved (the ankle jerks, and the knee jerks too "
                    "when the L3 and L4 roots are caught). If new, it is an emergency whatever the cause, even in "
                    "someone with MS: emergency MRI of the lumbosacral spine including the conus, and of the cervical "
                    "and thoracic spine too, because a cord lesion well above can cause a level here and soon after a "
                    "sudden lesion the reflexes can be reduced rather than brisk, so missing upper motor neuron signs "
                    "do not rule it out.")
        limbs = "limbs" if self.regions[root] == "cervical" else "legs"
        cervical = self.regions[root] == "cervical"
        neck = (" A level in the neck can weaken the arms as well as the legs, and a lesion at or above C5 can weaken "
                "breathing (the diaphragm's nerve comes from C3 to C5), so check breathing too." if cervical else "")
        where = ("The lesion can lie anywhere from this cord segment up to where the cord meets the brain, so the MRI "
                 "covers the whole cervical cord up to the skull (in practice the cervical and thoracic spine, often "
                 "the whole spine)." if cervical else
                 "The lesion can lie anywhere above the level, even in the neck, and cord segments lie higher than "
                 "the vertebrae of the same name, so the MRI covers the whole cord above the level: at least the "
                 "cervical and thoracic spine, often the whole spine.")
        return (f"Feeling is changed from the {root} band downwards: the pattern of a spinal cord lesion at or above "
                f"the {root} cord segment, often with upper motor neuron signs below it (brisk reflexes, extensor "
                "plantars; after a sudden severe lesion the reflexes can at first be reduced). MS cord lesions are "
                "usually partial, so the change is often patchy or mainly on one side; a complete level on both "
                f"sides with weak {limbs} makes compression or another cause more likely.{neck} MS can cause a level, "
                "but so can compression of the cord by a tumour, an abscess, a disc or a fracture: a new sensory "
                "level is a red flag that needs assessment the same day and MRI without delay, even in someone with "
                f"MS; with new weakness or a bladder or bowel change it is an emergency. {where}")

    def _root(self, root: str) -> str:
        where = f"Feeling is changed in part or all of the {root} band ({self._where(root)})"
        if self.regions[root] == "sacral" and root != "S1":
            return (f"{where}. New or worsening numbness round the anus, in the saddle or the genitals, even on one "
                    "side, or a new bladder, bowel or sexual change, is a warning of cauda equina syndrome: an "
                    "emergency needing emergency MRI of the lumbosacral spine, even in someone with MS. MS does not "
                    "attack the roots of the cauda equina, but a lesion at the end of the cord (the conus) can cause "
                    "the same signs.")
        if root in TRUNK:
            return (f"{where}, usually on one side (the diagrams colour both). A one-sided band of pain on the trunk "
                    "is more often shingles (the pain can come days before the rash) than a disc; a collapsed vertebra "
                    "or a tumour pressing on the root, and heart, lung and gut causes, can also feel like a band. In "
                    "someone with MS a band can also come from a new cord lesion (the 'MS hug'), so a new band needs "
                    "assessment, not a label.")
        not_ms = ("MS attacks the brain and spinal cord, not the nerve roots outside it, so this pattern points away "
                  "from MS, even in someone who has it. Rarely, an MS lesion in the cord where a root enters it can "
                  "mimic a root problem (for the leg roots, that entry point lies in the lower end of the cord, behind "
                  "about the T10 to L1 vertebrae); a root problem in the canal below the end of the cord, at about "
                  "the L1 to L2 vertebrae, cannot be MS.")
        if root in HIGH_NECK:
            return (f"{where}, usually on one side (the diagrams colour both). A root problem this high is uncommon "
                    "(at C2 there is no disc; causes include arthritis of the top two neck joints and shingles); "
                    f"weakness is hard to detect and no routine tendon reflex tests these roots. {not_ms}")
        reflex = self.reflexes.get(root)
        signs = (f"a reduced {reflex} reflex" if reflex else "no change in the routine tendon reflexes (this root "
                 "has none that is tested routinely)")
        return (f"{where}, usually on one side (the diagrams colour both), often with weakness of the muscles that "
                f"root supplies and {signs}: lower motor neuron signs of a root problem, such as a disc pressing on "
                f"it. {not_ms}")

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
                        {view: path.parent / name for view, name in raw["files"].items()},
                        {r["root"]: r["region"] for r in raw["roots"]},
                        {r["root"]: r["reflex"] for r in raw["roots"] if "reflex" in r})


@lru_cache(maxsize=4)
def _cached(path: str) -> DermatomeMap:
    return load_dermatomes(Path(path))


def dermatome_map() -> DermatomeMap:
    """The course's dermatome map (loaded once per data folder)."""
    return _cached(str(dermatomes_path()))


__all__ = ["HIGHLIGHT", "LEVEL", "MUTED", "ROOT", "DermatomeMap", "Pattern", "dermatome_map", "load_dermatomes"]
