"""Feature checklist: which kind of back pain does each clinical finding point to?

Pure logic (no ipywidgets). The findings live in `data/features/features.yaml`; each names the mechanisms it
supports and argues against (ids from `data/mechanisms.yaml`), why, and its references. `assess(selection)` tallies
the ticked findings per mechanism. It is a teaching aid that makes the reasoning visible, not a diagnostic tool:
findings are not weighted by how strongly they discriminate.

Two rules the counts never override:

* A red-flag finding (one that supports `RED_FLAG_KIND`) comes first: the summary opens with the warning, the
  red-flag kind is pinned first in the tallies, and red-flag findings are listed first (`ordered_selected`).
* Findings that cannot both be true (a feature's `excludes`, read both ways, e.g. "DN4 4 or more" and "DN4
  below 4") cannot be ticked together: `assess` refuses such a selection and `FeatureSet.conflicts(id)` tells a
  display which ticks to remove when one is ticked.

How urgent the red flag is: each red-flag finding has the level the red-flag triage gives it alone
(`RED_FLAG_URGENCY`), and the file's `combinations` table raises the level when findings are ticked together (fever
or rigors with a new band or sensory level is an emergency, although each alone is "same day"). The most urgent
level wins. A finding's `escalation` sentence (what would make it an emergency) follows the warning while the level
is below an emergency. When a combination sets an emergency, the summary says the best-supported other kind "also has
support" rather than that it "fits the findings best": the unweighted tally must not pull attention from the warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ..logic.datafiles import (
    Checks,
    at,
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

#: The mechanism id whose support turns on the "red flag" warning in an assessment.
RED_FLAG_KIND = "serious-structural"
#: The words that mark a red-flag finding or kind wherever it is shown (never colour alone).
RED_FLAG_MARK = "RED FLAG"

#: The schema of the checklist file (data/schema/features.schema.json) and the name of the data in errors.
SCHEMA = "features"
WHAT = "feature checklist"


#: How soon each red-flag finding of the course checklist needs assessing: the level the red-flag triage tool
#: (data/red_flags/rules.yaml) gives the same finding, by that tool's level id. A red-flag finding not listed here
#: is treated as "soon".
RED_FLAG_URGENCY = {
    "new-sphincter-or-saddle": "emergency",  # cauda equina or cord compression, or an acute cord relapse
    "pulsatile-mass": "emergency",  # abdominal aortic aneurysm, possibly leaking or rupturing
    "sudden-severe-pain-vascular-risk": "emergency",  # a leaking aneurysm, even with no mass to feel
    "fever-chills-rigors": "same-day",  # infection; signs of sepsis make it an emergency (triage)
    "new-band-or-sensory-level": "same-day",  # relapse, cord compression, heart, pleura, gut, shingles
    "sudden-after-minor-fall": "same-day",  # minor trauma with a fracture risk factor: two fracture flags
    "severe-constant-night": "soon",
    "unexplained-weight-loss": "soon",
    "midline-point-tenderness": "soon",
}
#: The triage tool's words for each level: its label, and what the checklist's warning says is needed.
URGENCY_WORDS = {
    "emergency": ("Emergency: act now", "immediate (emergency) assessment"),
    "same-day": ("Urgent: same day", "a medical assessment today"),
    "soon": ("Soon: within days", "a prompt, targeted review within days"),
}
#: Red-flag findings that need emergency assessment.


def more_urgent(levels: Iterable[str]) -> str:
    """The most urgent of these level ids (`URGENCY_WORDS` order, most urgent first); "" for none."""
    order = list(URGENCY_WORDS)
    return min(levels, key=order.index, default="")


class FeatureGroup(Record):
    """A heading in the checklist (quality, triggers, examination...)."""

    id: str
    label: str


class Feature(Record):
    """One finding a learner can tick, and what it says about each kind of pain."""

    id: str
    group: str
    text: str
    supports: tuple[str, ...]
    argues_against: tuple[str, ...]
    explanation: str
    references: tuple[str, ...]
    excludes: tuple[str, ...] = ()
    escalation: str = ""  # a red flag's "what would make it an emergency", shown after a less urgent warning

    @property
    def red_flag(self) -> bool:
        """True when this finding supports a serious structural (red-flag) cause."""
        return RED_FLAG_KIND in self.supports


class Combination(Record):
    """Findings that, ticked together, need a more urgent assessment than any of them alone (a row of the file's
    `combinations` table), with the warning the learner reads: "RED FLAG: <text>. <why>: this needs ..."."""

    id: str
    all_of: tuple[str, ...]
    urgency: str
    text: str
    why: str
    references: tuple[str, ...]

    def fires(self, ticked: Iterable[str]) -> bool:
        """True when every finding of the combination is ticked."""
        return set(self.all_of) <= set(ticked)


class FeatureSet(Record):
    """The whole checklist: groups in display order, features in file order, the caveat, and mechanism labels."""

    groups: tuple[FeatureGroup, ...]
    features: tuple[Feature, ...]
    caveat: str
    source: str
    kind_labels: dict[str, str]
    combinations: tuple[Combination, ...] = ()

    def feature(self, feature_id: str) -> Feature:
        """The feature with this id; SelectionError naming the known ids if there is none."""
        for f in self.features:
            if f.id == feature_id:
                return f
        raise SelectionError(f"unknown finding {feature_id!r}; known findings: {[f.id for f in self.features]}")

    def in_group(self, group_id: str) -> tuple[Feature, ...]:
        """The features under one heading, in file order."""
        return tuple(f for f in self.features if f.group == group_id)

    def conflicts(self, feature_id: str) -> tuple[str, ...]:
        """The findings that cannot be ticked together with this one (its `excludes` and every finding that
        excludes it), in checklist order."""
        own = set(self.feature(feature_id).excludes)
        return tuple(f.id for f in self.features
                     if f.id != feature_id and (f.id in own or feature_id in f.excludes))

    @property
    def kinds(self) -> tuple[str, ...]:
        """Mechanism ids that any feature mentions, in the order of the mechanism vocabulary."""
        used = {k for f in self.features for k in (*f.supports, *f.argues_against)}
        return tuple(k for k in self.kind_labels if k in used)


class KindTally(Record):
    """How the ticked findings bear on one kind of pain."""

    kind: str
    label: str
    supporting: tuple[Feature, ...]
    against: tuple[Feature, ...]

    @property
    def red_flag(self) -> bool:
        """True for the red-flag kind when a ticked finding supports it (then it is pinned first)."""
        return self.kind == RED_FLAG_KIND and bool(self.supporting)

    @property
    def net(self) -> int:
        """Findings for minus findings against (unweighted)."""
        return len(self.supporting) - len(self.against)

    @property
    def description(self) -> str:
        """A short sentence, e.g. 'supported by 2 findings, argued against by 1'."""
        def n(count: int) -> str:
            return f"{count} finding" + ("" if count == 1 else "s")

        return f"supported by {n(len(self.supporting))}, argued against by {n(len(self.against))}"


class Assessment(Record):
    """The tally for a set of ticked findings."""

    selected: tuple[Feature, ...]
    tallies: tuple[KindTally, ...]  # every kind in the checklist, best fit first
    caveat: str
    combinations: tuple[Combination, ...] = ()  # the rows of the combinations table that the ticks fire

    def tally(self, kind: str) -> KindTally:
        """The tally for one mechanism id (KeyError if the checklist never mentions it)."""
        for t in self.tallies:
            if t.kind == kind:
                return t
        raise KeyError(f"the checklist has no kind {kind!r}")

    @property
    def leading(self) -> tuple[str, ...]:
        """The kind(s) with the highest net score, if that score is above zero; empty otherwise."""
        if not self.tallies:
            return ()
        top = max(t.net for t in self.tallies)
        if top <= 0:
            return ()
        return tuple(t.kind for t in self.tallies if t.net == top)

    @property
    def red_flag(self) -> bool:
        """True when a ticked finding supports a serious structural (red-flag) cause."""
        return any(f.red_flag for f in self.selected)

    @property
    def red_flag_findings(self) -> tuple[Feature, ...]:
        """The ticked red-flag findings, in checklist order."""
        return tuple(f for f in self.selected if f.red_flag)

    @property
    def ordered_selected(self) -> tuple[Feature, ...]:
        """The ticked findings for display: red-flag findings first, then the rest in checklist order."""
        return self.red_flag_findings + tuple(f for f in self.selected if not f.red_flag)

    @property
    def urgency(self) -> str:
        """The triage level id of the most urgent ticked red-flag finding (`RED_FLAG_URGENCY`) or fired
        combination, or "" if no red-flag finding is ticked."""
        if not self.red_flag:
            return ""
        levels = [RED_FLAG_URGENCY.get(f.id, "soon") for f in self.red_flag_findings]
        return more_urgent(levels + [c.urgency for c in self.combinations])

    @property
    def leading_combination(self) -> Combination | None:
        """The first fired combination that sets the level (its warning leads), or None."""
        return next((c for c in self.combinations if c.urgency == self.urgency), None) if self.red_flag else None

    @property
    def warning(self) -> str:
        """The red-flag warning that opens the summary, or "" when no red-flag finding is ticked."""
        if not self.red_flag:
            return ""
        label, speed = URGENCY_WORDS[self.urgency]
        combo = self.leading_combination
        if combo:
            text = (f"{RED_FLAG_MARK}: {combo.text}. {combo.why}: this needs {speed} (“{label}” in the red-flag "
                    "triage).")
            others = [f.text for f in self.red_flag_findings if f.id not in combo.all_of]
            if others:
                text += f" Also a red flag: {'; '.join(others)}."
            text += " No count of findings for another kind outweighs it."
        else:
            names = "; ".join(f.text for f in self.red_flag_findings)
            text = (f"{RED_FLAG_MARK}: {names}. This needs {speed} (“{label}” in the red-flag triage) for a "
                    "serious cause whatever else fits; no count of findings for another kind outweighs it.")
        if self.urgency != "emergency":
            text += "".join(f" {f.escalation}" for f in self.red_flag_findings if f.escalation)
        return text

    @property
    def summary(self) -> str:
        """What the learner reads first: the red-flag warning if any, then what fits best and other caveats."""
        if not self.selected:
            return "Tick the findings you have; the tally shows which kinds of pain they point towards."
        labels = {t.kind: t.label for t in self.tallies}
        lead = self.leading
        if self.red_flag:
            others = [t for t in self.tallies if t.kind != RED_FLAG_KIND]
            top = max((t.net for t in others), default=0)
            lead = tuple(t.kind for t in others if t.net == top) if top > 0 else ()
            if not lead:
                return self.warning
            prefix = self.warning + " Of the other kinds, "
            if self.urgency == "emergency" and self.leading_combination:
                # the tally is unweighted: "fits best" beside an emergency combination would pull attention away
                names = " and ".join(_mid(labels[k]) for k in lead)
                have = "has" if len(lead) == 1 else "have"
                text = f"{prefix}{names} also {have} support, but the red flag above decides what happens now."
            elif len(lead) == 1:
                text = f"{prefix}{_mid(labels[lead[0]])} fits the findings best."
            else:
                text = f"{prefix}{' and '.join(_mid(labels[k]) for k in lead)} fit equally well."
            if self._separate_support([t for t in others if t.net > 0]):
                text += " A person with MS can have more than one kind of pain at once."
            return text
        if not lead:
            text = "No kind of pain is favoured by these findings yet; look for a finding that separates them."
        elif len(lead) == 1:
            text = f"On these findings, {labels[lead[0]]} fits best."
        else:
            names = " and ".join(labels[k] for k in lead)
            text = f"{names} fit equally well; look for a finding that separates them."
        positive = [t for t in self.tallies if t.net > 0]
        if self._separate_support(positive):
            text += " More than one kind has support: a person with MS can have more than one kind of pain at once."
        return text

    def _separate_support(self, positive: list) -> bool:
        """True when two different ticked findings each support a different kind (one finding that fits two kinds
        says nothing about two kinds of pain at once)."""
        kinds = {t.kind for t in positive}
        backers = {f.id for f in self.selected if set(f.supports) & kinds}
        return len(kinds) > 1 and len(backers) > 1


def _mid(label: str) -> str:
    """A kind's label for the middle of a sentence ("Central neuropathic" -> "“central neuropathic”")."""
    text = label[:1].lower() + label[1:] if label[1:2].islower() else label
    return f"“{text}”"


def features_path() -> Path:
    """Where the checklist lives: `data/features/features.yaml` of the current data folder."""
    return data_dir() / "features" / "features.yaml"


def _cross_checks(kinds: set[str], refs: set[str]) -> Checks:
    def check(raw: dict, file: str) -> list[Problem]:
        problems = duplicate_ids(raw, "groups", file, "group") + duplicate_ids(raw, "features", file, "finding")
        group_ids = sorted({g.get("id") for g in raw["groups"]})
        feature_ids = {f.get("id") for f in raw["features"]}
        for i, f in enumerate(raw["features"]):
            if f.get("group") not in group_ids:
                problems.append(Problem(file, at(raw, "features", i, "group"),
                                        f"unknown group {f.get('group')!r}; use one of {group_ids}"))
            sup, against = f.get("supports", []), f.get("argues_against", [])
            for name, ids in (("supports", sup), ("argues_against", against)):
                problems += unknown_keys(raw, ids, ("features", i, name), kinds, file, "mechanism id",
                                         f"use one of {sorted(kinds)} (data/mechanisms.yaml)")
            if not sup and not against:
                problems.append(Problem(file, at(raw, "features", i, "supports"),
                                        "a finding must support or argue against at least one kind"))
            for k in sorted(set(sup) & set(against)):
                problems.append(Problem(file, at(raw, "features", i, "argues_against"),
                                        f"{k!r} is listed both as supported and argued against; keep one"))
            problems += unknown_references(raw, f.get("references", []), ("features", i, "references"), refs, file)
            excludes = f.get("excludes", [])
            problems += unknown_keys(raw, excludes, ("features", i, "excludes"), feature_ids, file, "finding id",
                                     "name another finding of this file")
            if f.get("id") in excludes:
                problems.append(Problem(file, at(raw, "features", i, "excludes"),
                                        "a finding cannot exclude itself; list the findings it cannot be ticked "
                                        "with"))
            if f.get("escalation") and RED_FLAG_KIND not in sup:
                problems.append(Problem(file, at(raw, "features", i, "escalation"),
                                        f"only a red-flag finding (one that supports {RED_FLAG_KIND!r}) shows an "
                                        "escalation; remove it or add the red-flag kind"))
        red = {f.get("id") for f in raw["features"] if RED_FLAG_KIND in (f.get("supports") or [])}
        problems += duplicate_ids(raw, "combinations", file, "combination")
        for i, c in enumerate(raw.get("combinations") or []):
            ids = c.get("all_of", [])
            problems += unknown_keys(raw, ids, ("combinations", i, "all_of"), feature_ids, file, "finding id",
                                     "name findings of this file")
            problems += unknown_references(raw, c.get("references", []), ("combinations", i, "references"), refs,
                                           file)
            if set(ids) <= feature_ids and not set(ids) & red:
                problems.append(Problem(file, at(raw, "combinations", i, "all_of"),
                                        f"a combination needs at least one red-flag finding (one that supports "
                                        f"{RED_FLAG_KIND!r}), or its warning never shows"))
        return problems

    return check


def load_features(path: Path | None = None) -> FeatureSet:
    """Load and validate a features file; DataValidationError lists every problem (file + field + fix)."""
    path = Path(path) if path else features_path()
    kinds = mechanism_labels()
    raw = load_yaml_file(path, SCHEMA, WHAT, _cross_checks(set(kinds), reference_keys()))
    groups = tuple(FeatureGroup(id=g["id"].strip(), label=g["label"].strip()) for g in raw["groups"])
    features = tuple(
        Feature(
            id=f["id"].strip(),
            group=f["group"].strip(),
            text=f["text"].strip(),
            supports=tuple(f.get("supports") or ()),
            argues_against=tuple(f.get("argues_against") or ()),
            explanation=" ".join(f["explanation"].split()),
            references=tuple(f["references"]),
            excludes=tuple(f.get("excludes") or ()),
            escalation=" ".join(f.get("escalation", "").split()),
        )
        for f in raw["features"]
    )
    combinations = tuple(
        Combination(
            id=c["id"].strip(),
            all_of=tuple(c["all_of"]),
            urgency=c["urgency"],
            text=" ".join(c["text"].split()),
            why=" ".join(c["why"].split()),
            references=tuple(c["references"]),
        )
        for c in raw.get("combinations") or []
    )
    return FeatureSet(
        groups=groups,
        features=features,
        caveat=" ".join(raw["caveat"].split()),
        source=str(path),
        kind_labels=kinds,
        combinations=combinations,
    )


@lru_cache(maxsize=4)
def _cached(path: str) -> FeatureSet:
    return load_features(Path(path))


def feature_set() -> FeatureSet:
    """The course's checklist (cached)."""
    return _cached(str(features_path()))


def assess(selection: Iterable[str], features: FeatureSet | None = None) -> Assessment:
    """Tally the ticked findings for every kind of pain, best fit first.

    `selection` is an iterable of feature ids (order and repeats do not matter). Unknown ids, and two findings
    that exclude each other (`FeatureSet.conflicts`), raise SelectionError. Ties keep the order of the mechanism
    vocabulary; when a red-flag finding is ticked, the red-flag kind is pinned first whatever the counts.
    """
    fs = features or feature_set()
    if isinstance(selection, str):
        selection = [selection]
    chosen_ids = set(selection)
    for fid in chosen_ids:
        fs.feature(fid)  # raises SelectionError for an unknown id
    selected = tuple(f for f in fs.features if f.id in chosen_ids)
    for f in selected:
        clash = [other for other in fs.conflicts(f.id) if other in chosen_ids]
        if clash:
            raise SelectionError(f"{f.id!r} cannot be ticked together with {clash}: they exclude each other "
                                 "(untick one)")
    tallies = []
    for kind in fs.kinds:
        tallies.append(
            KindTally(
                kind=kind,
                label=fs.kind_labels.get(kind, kind),
                supporting=tuple(f for f in selected if kind in f.supports),
                against=tuple(f for f in selected if kind in f.argues_against),
            )
        )
    order = {k: i for i, k in enumerate(fs.kinds)}
    tallies.sort(key=lambda t: (not t.red_flag, -t.net, -len(t.supporting), order[t.kind]))
    fired = tuple(c for c in fs.combinations if c.fires(chosen_ids))
    return Assessment(selected=selected, tallies=tuple(tallies), caveat=fs.caveat, combinations=fired)
