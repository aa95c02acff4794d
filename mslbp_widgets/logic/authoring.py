"""Authoring cases without Python: scaffold a new case file, and preview a case as a learner reads it.

`new_case(case_id)` writes `<folder>/<case_id>.yaml`: a case that already passes
`python -m mslbp_widgets validate`, with every piece of text a placeholder starting with "TODO" for the
instructor to replace (comments in the file say what each field is for). It never overwrites a file.

`preview_text(path)` renders a case file as plain text, in the order a learner meets it (summary, then each stage
with its question and options, then what happened next), without answers unless asked. `todo_fields(path)` lists
the placeholders still to fill in.

Command line (see `mslbp_widgets.__main__`), from the course folder, with the Python the README installs:

    .venv/bin/python -m mslbp_widgets new-case <id> [--folder data/cases] [--kind case|check]
    .venv/bin/python -m mslbp_widgets preview <case-file> [--answers]

Commands printed for the author (the scaffold's top comment, `new-case`'s "Next:" hint) use that same form and a
path relative to the course folder (`course_path`).
"""

from __future__ import annotations

import datetime as _dt
import re
import textwrap
from pathlib import Path
from typing import Any

from .cases.branching import MAX_PATHS, default_next, is_branch_point, paths, stage_label
from .cases.model import Case, Question, Table, instruction, status_words
from .cases.qtypes import QTYPES, preview_lines
from .errors import MslbpError, Problem
from .ids import is_kebab
from .paths import REFERENCES_FILE, data_dir, data_dir_of
from .text import visible
from .yamlfile import read_yaml, with_lines

#: Case ids: kebab-case (lower-case letters, digits, single hyphens; `ids.is_kebab`), at most 80 characters (the
#: schema's rule).
ID_MAX_LENGTH = 80
#: Every placeholder in a scaffolded file starts with this marker.
TODO = "TODO"
_WIDTH = 88
#: How the README runs the course's Python (from the course folder); on Binder it is plain `python`.
PYTHON = ".venv/bin/python"


class AuthoringError(MslbpError):
    """A scaffolding or preview request cannot be done (bad id, file exists, unreadable case)."""


def check_case_id(case_id: str) -> None:
    """Raise AuthoringError with what to fix if `case_id` is not a valid case id."""
    if not isinstance(case_id, str) or not case_id:
        raise AuthoringError("the case id is empty: give a kebab-case id, e.g. `burning-band-after-relapse`")
    if len(case_id) > ID_MAX_LENGTH:
        raise AuthoringError(f"the case id is {len(case_id)} characters long; the limit is {ID_MAX_LENGTH}")
    if not is_kebab(case_id):  # fullmatch: an id ending in a newline is refused
        suggestion = re.sub(r"[^a-z0-9]+", "-", case_id.lower()).strip("-")
        hint = f" (for example `{suggestion}`)" if is_kebab(suggestion) else ""
        raise AuthoringError(
            f"{case_id!r} is not a valid case id: use kebab-case, lower-case letters, digits and single hyphens"
            f"{hint}; the file will be named <id>.yaml"
        )


def default_folder(kind: str = "case") -> Path:
    """Where new files go by default: data/cases for cases, data/checks for check sets."""
    return data_dir() / ("checks" if kind == "check" else "cases")


def course_folder() -> Path:
    """The course folder (the one with README.md and data/): where the author runs the commands."""
    return data_dir().resolve().parent


def course_path(path: str | Path) -> str:
    """`path` as the author types it in the course folder: relative to it when inside it (forward slashes), else
    relative to the working folder when inside that, else absolute."""
    full = Path(path).expanduser().resolve()
    for base in (course_folder(), Path.cwd().resolve()):
        try:
            return full.relative_to(base).as_posix()
        except ValueError:
            continue
    return str(full)


def commands_for(path: str | Path) -> list[str]:
    """The validate and preview commands for a case file, in the README's `.venv/bin/python -m` form."""
    shown = course_path(path)
    if any(c.isspace() for c in shown):
        shown = f"'{shown}'"
    return [f"{PYTHON} -m mslbp_widgets validate {shown}", f"{PYTHON} -m mslbp_widgets preview {shown}"]


def next_steps_text(path: str | Path) -> str:
    """What `new-case` prints after creating `path`: the commands to run next, from the course folder."""
    lines = "\n".join(f"  {c}" for c in commands_for(path))
    return (f"Next: replace every TODO, then run, from the course folder ({course_folder()}):\n{lines}\n"
            f"(On Binder, type python instead of {PYTHON}.)")


def scaffold_text(case_id: str, kind: str = "case", today: _dt.date | None = None,
                  path: str | Path | None = None) -> str:
    """The YAML text of a new, valid case with TODO placeholders and comments explaining every field.

    `path`: where the file will be written (default: the course's data/cases or data/checks), named in the
    commands of the top comment."""
    check_case_id(case_id)
    if kind not in ("case", "check"):
        raise AuthoringError(f"kind must be 'case' or 'check', not {kind!r}")
    date = (today or _dt.date.today()).isoformat()
    target = path if path is not None else f"data/{'checks' if kind == 'check' else 'cases'}/{case_id}.yaml"
    validate, preview = commands_for(target) if path is not None else (
        f"{PYTHON} -m mslbp_widgets validate {target}", f"{PYTHON} -m mslbp_widgets preview {target}")
    return f"""\
# A new {kind} for the MS & low back pain course. Replace every TODO, then run from the course folder
# (the folder with README.md; on Binder type python instead of {PYTHON}):
#   {validate}
#   {preview}
# Field by field guide: docs/authoring-cases.md. A complete example: data/cases/lhermitte-shock-on-neck-flexion.yaml
id: {case_id}                  # must match the file name ({case_id}.yaml); unique across all cases and checks
kind: {kind}
title: "TODO: a short title a learner sees in the case bank"
synthetic: true                # every case is invented for teaching; this must stay true
last_reviewed: {date}       # date of your last clinical review, YYYY-MM-DD
tags:
  # TODO: the case's main scenario type, one id of data/scenarios.yaml (a check set may leave it out)
  scenario: mixed
  # TODO: choose one or more of: central-neuropathic, paroxysmal-neuropathic, spasticity, gait-posture,
  #       mechanical, radicular, referred-visceral, serious-structural, treatment-related, mixed
  mechanisms: [mixed]
  red_flag: false              # true if the case is about a red flag (serious cause needing urgent action)
  difficulty: introductory     # introductory | intermediate | advanced
summary: >
  TODO: the patient in two or three sentences (age, MS history, what they come with). Invented, not a real person.
facilitator_notes: >
  TODO: for instructors only, hidden from learners and shown in presenter mode: what to ask the room before
  revealing, the misconception you expect, and the point to land.
stages:
  - id: presentation
    title: Presentation
    text: |
      TODO: what the learner learns first about the patient (Markdown allowed).
    question:
      id: first-question
      prompt: "TODO: the question asked at this stage?"
      type: single               # single: exactly one option has correct: true
      options:
        - id: best-answer
          text: "TODO: the best answer"
          correct: true
          feedback: >
            TODO: why this is the best answer (shown when chosen and under "Why not the others?").
        - id: defensible-answer
          text: "TODO: a defensible but not best answer (delete `acceptable` if there is none)"
          correct: false
          acceptable: true       # partial credit; single-choice questions only
          feedback: >
            TODO: why it is reasonable but not the best.
        - id: wrong-answer
          text: "TODO: a tempting wrong answer (a common misconception)"
          correct: false
          feedback: >
            TODO: why it is wrong, in a way that teaches.
      findings:                  # optional: key findings and the options they support or argue against
        - text: "TODO: a finding from the stage text"
          supports: [best-answer]
          argues_against: [wrong-answer]
      teaching_point: >
        TODO: the one thing to take from this question.
      references: [nice-ng59]   # TODO: keys from data/references.yaml for this question
  - id: next
    title: What now?
    text: |
      TODO: what happens next, or new information.
    question:
      id: second-question
      prompt: "TODO: which steps are appropriate? Choose all that apply."
      type: multiple             # multiple: every option that should be ticked has correct: true
      options:
        - id: right-step
          text: "TODO: a step that should be ticked"
          correct: true
          feedback: >
            TODO: why it should be ticked.
        - id: wrong-step
          text: "TODO: a step that should not be ticked"
          correct: false
          feedback: >
            TODO: why not.
      teaching_point: >
        TODO: the one thing to take from this question.
next_step: >
  TODO: what happened to the patient; shown when the case ends.
teaching_point: >
  TODO: the one thing to remember from the whole case (optional: delete this field if not needed).
references: [nice-ng59]  # TODO: every source the case relies on, as keys from data/references.yaml
"""


def _ids_in(folders: list[Path]) -> dict[str, list[Path]]:
    """Ids used by the case files of these folders -> the files using them (each file under its name and its
    declared id; read leniently: a broken file counts under its name only)."""
    found: dict[str, list[Path]] = {}
    for folder in dict.fromkeys(folders):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".yaml", ".yml") or not path.is_file():
                continue
            raw, problems = read_yaml(path)
            ident = raw.get("id") if not problems and isinstance(raw, dict) else None
            for name in dict.fromkeys([path.stem, *([ident] if isinstance(ident, str) else [])]):
                found.setdefault(name, []).append(path)
    return found


def _existing_ids(folders: list[Path]) -> dict[str, Path]:
    """Ids already used by case files in these folders, each with the first file using it."""
    return {ident: files[0] for ident, files in _ids_in(folders).items()}


def _shown(path: Path) -> str:
    """A path as the author typed it: relative to the working folder when inside it."""
    try:
        return Path(path).absolute().relative_to(Path.cwd().absolute()).as_posix() or "."
    except ValueError:
        return str(path)


def data_folder_lines(paths: list[Path]) -> list[str]:
    """What `validate` prints first: the data folder each group of paths was checked against, and the
    references file read (`data_dir_of`). A path outside any data folder is checked against the course's, and
    the line says so."""
    groups: dict[Path, list[Path]] = {}
    for path in paths:
        groups.setdefault(data_dir_of(path), []).append(Path(path))
    lines = []
    for folder, members in groups.items():
        line = f"Data folder: {_shown(folder)} (references: {_shown(folder / REFERENCES_FILE)})"
        outside = [m for m in members if not m.absolute().is_relative_to(folder.absolute())]
        if outside:
            line += (f"; the course's, as {', '.join(_shown(m) for m in outside)} "
                     f"{'is' if len(outside) == 1 else 'are'} in no data folder")
        if len(groups) > 1:
            line += f", for {', '.join(_shown(m) for m in members)}"
        lines.append(line)
    return lines


def id_clashes(paths: list[Path]) -> list[Problem]:
    """A problem for each case file named on its own (not a folder) whose id is already used by another case file
    of its folder or of its data folder's `cases/` and `checks/`: the problem names both files. (Files validated
    together are checked against each other by `load_cases`.)"""
    named: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            named.update(p.resolve() for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        elif path.is_file():
            named.add(path.resolve())
    problems = []
    for path in (Path(p) for p in paths if Path(p).is_file()):
        raw, unreadable = read_yaml(path)
        if unreadable or not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            continue  # load_cases reports what is wrong with it
        folder = data_dir_of(path)
        for other in _ids_in([path.parent, folder / "cases", folder / "checks"]).get(raw["id"], []):
            if other.resolve() not in named:
                problems.append(Problem(str(path), "id", f"the id {raw['id']!r} is already used by {_shown(other)}: "
                                                         "ids must be unique across the course's cases and check "
                                                         "sets; choose another id (and name the file after it)"))
    return with_lines(problems)


def new_case(case_id: str, folder: str | Path | None = None, kind: str = "case") -> Path:
    """Write a scaffolded case file `<folder>/<case_id>.yaml` and return its path.

    Refuses (AuthoringError) to overwrite an existing file, to reuse an id already taken in the folder or in
    the course's case and check folders, and to use an id that is not kebab-case.
    """
    check_case_id(case_id)
    target_dir = Path(folder) if folder is not None else default_folder(kind)
    if target_dir.exists() and not target_dir.is_dir():
        raise AuthoringError(f"{target_dir} is a file, not a folder: give the folder to put the case in")
    path = target_dir / f"{case_id}.yaml"
    text = scaffold_text(case_id, kind=kind, path=path)
    if path.exists():
        raise AuthoringError(f"{path} already exists: refusing to overwrite it; choose another id or edit that file")
    taken = _existing_ids(list(dict.fromkeys([target_dir, default_folder("case"), default_folder("check")])))
    if case_id in taken:
        raise AuthoringError(f"the id {case_id!r} is already used by {taken[case_id]}: ids must be unique")
    target_dir.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as fh:  # "x": fail rather than overwrite, even in a race
            fh.write(text)
    except FileExistsError:
        raise AuthoringError(f"{path} already exists: refusing to overwrite it") from None
    except OSError as exc:
        raise AuthoringError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def todo_fields(path: str | Path) -> list[str]:
    """The fields of a case file whose text still contains a TODO placeholder (as field paths)."""
    raw, problems = read_yaml(path)
    if problems:
        raise AuthoringError(f"cannot read it as YAML: {problems[0]}")
    out: list[str] = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{where}.{k}" if where else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{where}[{i}]")
        elif isinstance(value, str) and TODO in value:
            out.append(where)

    walk(raw, "")
    return out


def _para(text: str, indent: str = "", hanging: str | None = None) -> str:
    """Wrap each paragraph of a (Markdown) text for a terminal, keeping list lines and blank lines.

    `indent` starts the first line; wrapped lines start with `hanging` (default: `indent`), so an option
    "  A. text" continues under its text, not under its letter."""
    rest = indent if hanging is None else hanging
    out = []
    for n, block in enumerate(text.strip().split("\n\n")):
        first = indent if n == 0 else rest
        lines = block.splitlines()
        if any(line.lstrip().startswith(("-", "*", "|", "#")) or re.match(r"\s*\d+\.", line) for line in lines):
            out.extend((first if i == 0 else rest) + line for i, line in enumerate(lines))
        else:
            out.append(textwrap.fill(" ".join(lines), _WIDTH, initial_indent=first, subsequent_indent=rest,
                                     break_on_hyphens=False))  # an id is never broken at its hyphens
        out.append("")
    return "\n".join(out).rstrip()


def _item(text: str) -> str:
    """One wrapped entry of a list ("  - text", continued under the text); a long word (a URL) is not cut."""
    return textwrap.fill(" ".join(text.split()), _WIDTH, initial_indent="  - ", subsequent_indent="    ",
                         break_on_hyphens=False, break_long_words=False)


def answer_mark(question_type: str, correct: bool, acceptable: bool) -> str:
    """The key's mark for an option in `preview --answers`: the status in the course's words, in brackets
    ("[Best answer]", "[Should be ticked]"…)."""
    return f"[{status_words(question_type, correct, acceptable)}]"


def table_text(table: Table, indent: str = "  ") -> list[str]:
    """A stage's table as plain-text lines: its caption, then the columns aligned (long cells are not cut)."""
    rows = [table.columns, *table.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(table.columns))]

    def line(cells: tuple[str, ...]) -> str:
        return (indent + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))).rstrip()

    return [f"{indent}Table: {table.caption}", line(table.columns),
            indent + "-+-".join("-" * w for w in widths), *(line(r) for r in table.rows)]


def findings_text(question: Question) -> list[str]:
    """A question's key findings for `preview --answers`: each finding with the letters of the options it supports
    and argues against, as learners see them lettered."""
    if not question.findings:
        return []
    letters = {o.id: letter for letter, o in question.lettered_options()}
    lines = ["Findings:"]
    for finding in question.findings:
        how = [f"{word} {', '.join(sorted(letters[i] for i in ids))}"
               for word, ids in (("supports", finding.supports), ("argues against", finding.argues_against)) if ids]
        said = f" ({'; '.join(how)})" if how else ""
        lines.append(_item(f"{finding.text}{said}"))
    return lines


def citations_text(keys: tuple[str, ...] | list[str], references: Path | None = None) -> list[str]:
    """"References:" and the full citation of every key (`references.cite`, from the references file
    `references`, default the data folder's), one wrapped entry each."""
    from .references import cite

    lines = ["References:"]
    for key in keys:
        try:
            text = cite(key, references)
        except (KeyError, MslbpError):
            text = f"{key} (not in {references or 'the course bibliography'})"
        lines.append(_item(text))
    return lines


def _stage_ref(case: Case, index: int | None) -> str:
    if index is None:
        return "the case ends"
    stage = case.stages[index]
    return f"{stage_label(stage)} [{stage.id}]"


def paths_text(case: Case) -> list[str]:
    """Every path through a branching case, one numbered line each: the stages in order, with the letters of the
    answers that lead from one to the next."""
    found = paths(case)
    head = f"Paths through the case ({len(found)}{'+' if len(found) >= MAX_PATHS else ''})"
    lines = [head, "-" * len(head)]
    for n, path in enumerate(found, start=1):
        parts = []
        for step in path:
            stage = case.stages[step.index]
            q = stage.question
            letters = {o.id: letter for letter, o in q.lettered_options()} if q is not None else {}
            parts.append(stage.title)
            if step.branch.target is not None or is_branch_point(case, step.index):
                how = " or ".join(letters[i] for i in step.branch.option_ids) if is_branch_point(
                    case, step.index) else ""
                parts.append(f"-{how}->" if how else "->")
        end = case.stages[path[-1].index]
        if not end.outcome:
            parts.append("(end)")
        lines.append(_para(f"{n}. {' '.join(parts)}", "  ", hanging="     "))
    return lines


def preview_text(path: str | Path, answers: bool = False) -> str:
    """The case as plain text, in the order a learner reads it; with `answers` also the key, feedback and notes.

    Options are lettered in the order learners (and presenter mode) show them, `Question.display_options()`.
    A stage's table is printed as aligned text, its picture as its text alternative and file. In a branching case
    each stage shows its id, each option where it leads, and every path through the case is listed at the end.
    With `answers`, each question also shows its key findings (the letters of the options each supports or argues
    against) and its references. References are full citations, from the references file of the case's data
    folder. Validates the file first: raises `CaseValidationError` (listing every problem) if it is invalid.
    """
    from .cases.loading import load_case_file

    case = load_case_file(path)
    references = (data_dir_of(path) / REFERENCES_FILE).absolute()
    ids = {s.id: i for i, s in enumerate(case.stages)}
    lines: list[str] = []
    rule = "=" * min(_WIDTH, max(20, len(case.title)))
    lines += [case.title, rule, f"Synthetic {case.kind} (invented for teaching) · {case.difficulty} · "
              f"last reviewed {case.last_reviewed}", "", _para(case.summary), ""]
    for n, stage in enumerate(case.stages, start=1):
        head = f"Stage {n}: {stage.title}"
        if case.branching:
            head += f" [{stage.id}]" + (" (an ending)" if stage.outcome else "")
        lines += [head, "-" * min(_WIDTH, len(head)), _para(stage.text), ""]
        if stage.table is not None:
            lines += [*table_text(stage.table), ""]
        if stage.image is not None:
            caption = f" Caption: {stage.image.caption}" if stage.image.caption else ""
            lines += [_para(f"[Picture, {stage.image.file}: {stage.image.alt}]{caption}", "  "), ""]
        q = stage.question
        then: list[str] = []  # in a branching case: where the stage leads when no option names a stage
        if case.branching and not stage.outcome and (q is None or any(not o.next_stage for o in q.options)):
            after = default_next(case, n - 1)
            then = [f"{'Then' if q is None else 'Other answers'}: -> {_stage_ref(case, after)}", ""]
        if q is None:
            lines += then
            continue
        if q.type in QTYPES:  # matching, ordering, numeric: their own lines (logic/cases/qtypes.py)
            lines += preview_lines(q, answers, _para)
            if answers and q.references:
                lines += citations_text(q.references, references)
            lines.append("")
            continue
        how = instruction(q.type, q.prompt)  # "" when the prompt already says it
        lines += [_para(f"Question: {q.prompt}{f' ({how})' if how else ''}"), ""]
        for letter, opt in q.lettered_options():
            mark = f"{answer_mark(q.type, opt.correct, opt.acceptable)} " if answers else ""
            lead = f" -> {_stage_ref(case, ids[opt.next_stage])}" if opt.next_stage else ""
            lines.append(_para(f"{letter}. {mark}{opt.text}{lead}", "  ", hanging=" " * len(f"  {letter}. ")))
            if answers:
                lines.append(_para(f"Feedback: {opt.feedback}", "     ", hanging=" " * len("     Feedback: ")))
        if answers:
            lines += ["", *findings_text(q), _para(f"Teaching point: {q.teaching_point}")]
            if q.references:
                lines += citations_text(q.references, references)
        lines.append("")
        lines += then
    lines += ["What happened next", "------------------", _para(case.next_step), ""]
    if case.teaching_point:
        lines += [_para(f"Take-home point: {case.teaching_point}"), ""]
    if answers and case.facilitator_notes:
        lines += ["Facilitator notes (instructors only)", "------------------------------------",
                  _para(case.facilitator_notes), ""]
    if case.branching:
        lines += [*paths_text(case), ""]
    lines += citations_text(case.references, references)
    return visible("\n".join(lines).rstrip() + "\n", keep="\n")  # no escape sequence reaches a terminal
