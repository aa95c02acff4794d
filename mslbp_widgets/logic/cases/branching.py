"""Branching cases: where a learner's decision leads, every path through a case, and the checks that every path
is sound. Plain Python, no widgets.

The rules (docs/authoring-cases.md, *Branching*):

* a stage is followed by the stage its question's chosen option names (`next_stage` on the option), else by the
  stage it names itself (`next_stage` on the stage), else by the next stage in the file; the last stage in the
  file, and every stage marked `outcome: true`, end the case;
* on a multiple-choice question the first option **in the file's order** that is ticked and names a
  `next_stage` decides;
* the learner's **first** checked answer at a stage is the decision the case follows (the widget, the export and
  the class tally agree on it): "Try again" still teaches, but the patient's course does not change.

Validation (:func:`check_branching`, on a schema-valid case mapping) proves what an author cannot see by reading
the file: every `next_stage` names a stage of the case, an outcome stage asks nothing and leads nowhere, every
stage can be reached from the first one, and no path loops (so every path ends). A check set
(`kind: check`) does not branch.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import Problem
from ..records import Record
from ..text import closest
from .model import Case, Stage

#: At most this many paths are listed (preview, tests): a case with more is far too large to teach with.
MAX_PATHS = 500


# ------------------------------------------------------------------------------------------------ following a case


def _index(case: Case) -> dict[str, int]:
    return {s.id: i for i, s in reversed(list(enumerate(case.stages)))}


def default_next(case: Case, index: int) -> int | None:
    """The stage after stage `index` when no option decides: its own `next_stage`, else the next one in the file;
    None when the case ends there (an outcome stage, or the last stage)."""
    stage = case.stages[index]
    if stage.outcome:
        return None
    if stage.next_stage:
        return _index(case)[stage.next_stage]
    return index + 1 if index + 1 < len(case.stages) else None


def next_index(case: Case, index: int, selection: Iterable[str] = ()) -> int | None:
    """The stage a learner goes to after stage `index` having chosen `selection` (option ids); None: the case
    ends. On a multiple-choice question the first ticked option, in the file's order, that names a `next_stage`
    decides."""
    stage = case.stages[index]
    chosen = set(selection)
    if stage.question is not None and chosen and not stage.outcome:
        for option in stage.question.options:
            if option.id in chosen and option.next_stage:
                return _index(case)[option.next_stage]
    return default_next(case, index)


class Branch(Record):
    """One way on from a stage: the stage it leads to (None: the case ends) and the options that lead there, in the
    order learners see them (empty for a stage without a question)."""

    target: int | None
    option_ids: tuple[str, ...] = ()


def branches(case: Case, index: int) -> tuple[Branch, ...]:
    """Every way on from stage `index`, in the order learners see the options that lead there (one branch for a
    stage that does not branch; also for a matching, ordering or numeric question, which has no options to branch
    on)."""
    stage = case.stages[index]
    q = stage.question
    if q is None or stage.outcome or not q.options:
        return (Branch(default_next(case, index)),)
    targets: dict[int | None, list[str]] = {}
    default = default_next(case, index)
    for option in q.display_options():
        if option.next_stage:
            target = _index(case)[option.next_stage]
        else:
            target = default
        targets.setdefault(target, []).append(option.id)
    return tuple(Branch(t, tuple(ids)) for t, ids in targets.items())


def is_branch_point(case: Case, index: int) -> bool:
    """True when the learner's answer at stage `index` changes where the case goes."""
    return len(branches(case, index)) > 1


def can_end_here(case: Case, index: int) -> bool:
    """True when some answer at stage `index` ends the case (its button then says "Finish the case")."""
    return any(b.target is None for b in branches(case, index))


class Step(Record):
    """One stage of a path and the branch taken from it (at the last stage, a branch whose target is None)."""

    index: int
    branch: Branch


def paths(case: Case, limit: int = MAX_PATHS) -> list[tuple[Step, ...]]:
    """Every path from the first stage to an ending, depth first in the order learners see the options (at most
    `limit`). A linear case has one path. Needs a valid case: no loops."""
    found: list[tuple[Step, ...]] = []

    def walk(index: int, so_far: tuple[Step, ...]) -> None:
        if len(found) >= limit:
            return
        for branch in branches(case, index):
            step = (*so_far, Step(index, branch))
            if branch.target is None:
                found.append(step)
            else:
                walk(branch.target, step)
            if len(found) >= limit:
                return

    walk(0, ())
    return found


def endings(case: Case, index: int) -> list[int]:
    """The stages where a path from stage `index` can end (in the order met), `index` itself if it ends."""
    out: list[int] = []
    seen: set[int] = set()

    def walk(i: int) -> None:
        if i in seen:
            return
        seen.add(i)
        for b in branches(case, i):
            if b.target is None:
                if i not in out:
                    out.append(i)
            else:
                walk(b.target)

    walk(index)
    return out


def choice_words(case: Case, index: int, branch: Branch, person: str = "you", letters: bool = True) -> str:
    """The choice that takes `branch` from stage `index`, in plain text, e.g. "you had chosen “B. Send home”" or
    "you had ticked “C. Imaging of the kidneys”" (for "If … "). `person`: "you" or "the room"; `letters`: name the
    options with the letters of presenter mode and preview (the learner's widget shows none)."""
    q = case.stages[index].question
    if q is None or not branch.option_ids:
        return f"{person} had gone on"
    names = {o.id: f"{letter}. {o.text}" if letters else o.text for letter, o in q.lettered_options()}
    named = [f"“{names[i]}”" for i in branch.option_ids]
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]
    if q.type == "single":
        return f"{person} had chosen {listed}"
    leads = [o for o in q.options if o.id in branch.option_ids and o.next_stage]
    if leads:
        return f"{person} had ticked {listed}" + (" (first in the file's order)" if len(leads) > 1 else "")
    return f"{person} had ticked only among {listed}"


def stage_label(stage: Stage) -> str:
    """How a stage is named in messages and lists: its title, and "(an ending)" for an outcome stage."""
    return f"{stage.title} (an ending)" if stage.outcome else stage.title


# ------------------------------------------------------------------------------------------------ validation


def _suggest(name: str, known: list[str]) -> str:
    near = closest(name, known)
    hint = f"did you mean {near!r}? " if near else ""
    return f"{hint}stage ids of this case: {', '.join(known)}"


def check_branching(data: dict, file: str) -> list[Problem]:
    """Problems with the branching of a schema-valid case mapping: targets, outcome stages, reachability, loops."""
    problems: list[Problem] = []

    def add(where: str, message: str) -> None:
        problems.append(Problem(file, where, message))

    stages = data["stages"]
    ids = list(dict.fromkeys(s["id"] for s in stages))
    index = {s["id"]: i for i, s in reversed(list(enumerate(stages)))}
    uses = [(f"stages[{i}].next_stage", s["next_stage"]) for i, s in enumerate(stages) if "next_stage" in s]
    uses += [(f"stages[{i}].question.options[{j}].next_stage", o["next_stage"])
             for i, s in enumerate(stages) for j, o in enumerate((s.get("question") or {}).get("options", []))
             if "next_stage" in o]
    branching = bool(uses) or any(s.get("outcome") for s in stages)
    if not branching:
        return problems
    if data.get("kind", "case") == "check":
        add("stages", "a check set (`kind: check`) does not branch: remove `next_stage` and `outcome`, or make it "
                      "a case (`kind: case`)")
        return problems
    for where, target in uses:
        if target not in index:
            add(where, f"no stage {target!r} in this case: {_suggest(target, ids)}")
    for i, s in enumerate(stages):
        if s.get("outcome"):
            if s.get("question") is not None:
                add(f"stages[{i}].question", f"stage {s['id']!r} is an outcome (it ends the case), so it asks no "
                                             "question: move the question to a stage before it, or remove "
                                             "`outcome: true`")
            if "next_stage" in s:
                add(f"stages[{i}].next_stage", f"stage {s['id']!r} is an outcome (it ends the case), so it leads "
                                               "nowhere: remove `next_stage`, or remove `outcome: true`")
    if problems:
        return problems  # reachability and loops are judged on a well-formed graph

    # The graph: stage index -> [(next index, the field that makes the edge)].
    edges: dict[int, list[tuple[int, str]]] = {}
    for i, s in enumerate(stages):
        out: list[tuple[int, str]] = []
        if not s.get("outcome"):
            if "next_stage" in s:
                default: tuple[int, str] | None = (index[s["next_stage"]], f"stages[{i}].next_stage")
            elif i + 1 < len(stages):
                default = (i + 1, f"stages[{i}]")
            else:
                default = None
            options = (s.get("question") or {}).get("options", [])
            for j, o in enumerate(options):
                if "next_stage" in o:
                    out.append((index[o["next_stage"]], f"stages[{i}].question.options[{j}].next_stage"))
            if default is not None and (not options or any("next_stage" not in o for o in options)):
                out.append(default)
        edges[i] = out

    seen = {0}
    frontier = [0]
    while frontier:
        for j, _ in edges[frontier.pop()]:
            if j not in seen:
                seen.add(j)
                frontier.append(j)
    for i, s in enumerate(stages):
        if i not in seen:
            add(f"stages[{i}].id", f"stage {s['id']!r} cannot be reached from the first stage: no option or "
                                   "`next_stage` leads to it, and the stage before it ends the case or goes "
                                   f"elsewhere; add `next_stage: {s['id']}` where the case should go to it, or "
                                   "remove the stage")

    # Loops: a depth-first search from the first stage; an edge back to a stage on the current path closes one.
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    path: list[int] = []
    reported: set[frozenset[int]] = set()

    def visit(i: int) -> None:
        state[i] = 1
        path.append(i)
        for j, where in edges[i]:
            if state.get(j) == 1:
                loop = path[path.index(j):] + [j]
                key = frozenset(loop)
                if key not in reported:
                    reported.add(key)
                    names = " → ".join(stages[k]["id"] for k in loop)
                    why = "" if where.endswith("next_stage") else (
                        f" (stage {stages[i]['id']!r} names no `next_stage`, so it goes on to the next stage in the "
                        "file)")
                    add(where, f"the stages loop ({names}){why}: a learner could go round for ever, so this path "
                               "never ends; point `next_stage` at a later stage, or end the path with an "
                               "`outcome: true` stage")
            elif j not in state:
                visit(j)
        path.pop()
        state[i] = 2

    visit(0)
    return problems


__all__ = ["MAX_PATHS", "Branch", "Step", "branches", "can_end_here", "check_branching", "choice_words",
           "default_next", "endings",
           "is_branch_point", "next_index", "paths", "stage_label"]
