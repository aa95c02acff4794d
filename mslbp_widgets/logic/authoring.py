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

from .cases.model import status_words
from .errors import MslbpError
from .ids import is_kebab
from .paths import data_dir
from .text import visible
from .yamlfile import read_yaml

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


def _existing_ids(folders: list[Path]) -> dict[str, Path]:
    """Ids already used by case files in these folders (read leniently: a broken file is ignored here)."""
    found: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".yaml", ".yml") or not path.is_file():
                continue
            found.setdefault(path.stem, path)
            raw, problems = read_yaml(path)
            if problems:
                continue
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                found.setdefault(raw["id"], path)
    return found


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
            out.append(textwrap.fill(" ".join(lines), _WIDTH, initial_indent=first, subsequent_indent=rest))
        out.append("")
    return "\n".join(out).rstrip()


def answer_mark(question_type: str, correct: bool, acceptable: bool) -> str:
    """The key's mark for an option in `preview --answers`: the status in the course's words, in brackets
    ("[Best answer]", "[Should be ticked]"…)."""
    return f"[{status_words(question_type, correct, acceptable)}]"


def preview_text(path: str | Path, answers: bool = False) -> str:
    """The case as plain text, in the order a learner reads it; with `answers` also the key, feedback and notes.

    Options are lettered in the order learners (and presenter mode) show them, `Question.display_options()`.
    Validates the file first: raises `CaseValidationError` (listing every problem) if it is invalid.
    """
    from .cases.loading import load_case_file

    case = load_case_file(path)
    lines: list[str] = []
    rule = "=" * min(_WIDTH, max(20, len(case.title)))
    lines += [case.title, rule, f"Synthetic {case.kind} (invented for teaching) · {case.difficulty} · "
              f"last reviewed {case.last_reviewed}", "", _para(case.summary), ""]
    for n, stage in enumerate(case.stages, start=1):
        lines += [f"Stage {n}: {stage.title}", "-" * min(_WIDTH, len(stage.title) + 9), _para(stage.text), ""]
        q = stage.question
        if q is None:
            continue
        how = "choose one" if q.type == "single" else "choose all that apply"
        lines += [_para(f"Question: {q.prompt} ({how})"), ""]
        for letter, opt in q.lettered_options():
            mark = f"{answer_mark(q.type, opt.correct, opt.acceptable)} " if answers else ""
            lines.append(_para(f"{letter}. {mark}{opt.text}", "  ", hanging=" " * len(f"  {letter}. ")))
            if answers:
                lines.append(_para(f"Feedback: {opt.feedback}", "     ", hanging=" " * len("     Feedback: ")))
        if answers:
            lines += ["", _para(f"Teaching point: {q.teaching_point}")]
            if q.references:
                lines.append(f"References: {', '.join(q.references)}")
        lines.append("")
    lines += ["What happened next", "------------------", _para(case.next_step), ""]
    if case.teaching_point:
        lines += [_para(f"Take-home point: {case.teaching_point}"), ""]
    if answers and case.facilitator_notes:
        lines += ["Facilitator notes (instructors only)", "------------------------------------",
                  _para(case.facilitator_notes), ""]
    lines.append(f"References: {', '.join(case.references)}")
    return visible("\n".join(lines).rstrip() + "\n", keep="\n")  # no escape sequence reaches a terminal
