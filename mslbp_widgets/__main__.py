"""Command line: `python -m mslbp_widgets <command>`.

  validate [PATH ...]   check case files or folders (default: data/cases and data/checks) against the data folder
                        they belong to (named first, with its references file); exit 0 if all valid, 1 with one
                        line per problem (file:line:column: field: what to fix) otherwise; a file named on its
                        own must not reuse an id of the course's cases; item-writing warnings and the bank's
                        figures are printed too (--strict: a warning fails as well)
  new-case ID           start a case file to fill in
  preview FILE          print a case as a learner reads it (--answers: with the key, feedback and notes)
  hub-link --hub URL    print the nbgitpuller link that opens the course on a JupyterHub, and a Markdown table of
                        links for every notebook ([--repo URL] [--branch B] [--open lab|voila] [--notebook NB];
                        see docs/hub.md)

Everything printed that comes from a file (case text, field names, paths) goes through `say`: control and format
characters are written as [U+XXXX], so a case file cannot clear the terminal, retitle its window or write its
clipboard with an escape sequence.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .logic.errors import CaseValidationError, DataValidationError
from .logic.text import visible


def say(text: object = "", file=None, end: str = "\n") -> None:
    """print() for text that may come from a file: nothing but line breaks acts on the terminal."""
    print(visible(text, keep="\n"), file=file, end=end)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate case files; print the data folder used, then one line per problem (file:line:column: field: what
    to fix). A file named on its own is also checked against the ids of its folder's and the course's cases."""
    from .logic.authoring import data_folder_lines, id_clashes
    from .logic.cases.loading import cases_dir, checks_dir, load_cases

    paths = [Path(p) for p in args.paths] or [cases_dir(), checks_dir()]
    for line in data_folder_lines(paths):
        print(line)
    problems = id_clashes(paths)
    try:
        library = load_cases(paths)
    except CaseValidationError as exc:
        problems = [*exc.problems, *problems]
    if problems:
        files = {p.file: n for n, p in reversed(list(enumerate(problems)))}  # files in order, each from top to bottom
        for problem in sorted(problems, key=lambda p: (files[p.file], p.line or 0)):
            say(problem)
        n = len(problems)
        say(f"{n} problem{'s' if n != 1 else ''} found; nothing was loaded.", file=sys.stderr)
        return 1
    from .logic.cases.items import bank_figures, item_warnings

    warnings = [w for case in library.values() for w in item_warnings(case)]
    for warning in warnings:
        say(f"warning: {warning}")
    kinds = [c.kind for c in library.values()]
    say(f"OK: {kinds.count('case')} case(s) and {kinds.count('check')} check set(s) are valid "
          f"({', '.join(str(p) for p in paths)}); {len(warnings)} item-writing warning(s).")
    say(bank_figures(library.values()))
    for line in coverage_lines(library, paths):
        say(line)
    return 1 if args.strict and warnings else 0


def coverage_lines(library, paths: list[Path]) -> list[str]:
    """The case bank's coverage by scenario type (logic/cases/coverage.py), read against the scenario types of
    the data folder of the first path; types short of their target are noted only when a folder was checked."""
    from .logic.cases.coverage import bank_coverage
    from .logic.datafiles import scenario_types
    from .logic.paths import data_dir_of

    if not any(c.kind == "case" for c in library.values()):
        return []
    file = data_dir_of(paths[0]) / "scenarios.yaml"
    if not file.is_file():
        file = None  # a copied data folder without its own list: the course's
    try:
        types = scenario_types(file)
    except DataValidationError as exc:
        return [f"Scenario types not counted: {exc}"]
    lines = bank_coverage(library.values(), types).lines()
    return lines if any(Path(p).is_dir() for p in paths) else lines[:1]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mslbp_widgets",
                                     description="Tools for the MS & low back pain course.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check case files (default: data/cases and data/checks)")
    p.add_argument("paths", nargs="*", help="case files or folders")
    p.add_argument("--strict", action="store_true", help="item-writing warnings fail too (exit 1)")
    p.set_defaults(func=cmd_validate)
    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


#: Other modules' subcommands: functions that take the subparsers object and add a parser with set_defaults(func=…).
EXTRA_COMMANDS: list = []



def cmd_new_case(args: argparse.Namespace) -> int:
    """Scaffold a valid case file with TODO placeholders (instructor subcommand; see docs/authoring-cases.md)."""
    from .logic.authoring import AuthoringError, new_case, next_steps_text

    try:
        path = new_case(args.id, folder=args.folder, kind=args.kind)
    except AuthoringError as exc:
        say(f"error: {exc}", file=sys.stderr)
        return 1
    say(f"Created {path}\n{next_steps_text(path)}")
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    """Print a case as a learner reads it (plain text), after validating it (instructor subcommand)."""
    from .logic.authoring import AuthoringError, preview_text, todo_fields

    if not Path(args.case_file).exists() and Path(args.case_file).name == args.case_file and "." not in args.case_file:
        from .logic.cases import UnknownCaseError, get_case  # a case or check id of the course, not a file

        try:
            args.case_file = get_case(args.case_file).source
        except UnknownCaseError as exc:
            say(f"error: {exc}", file=sys.stderr)
            return 1
    try:
        text = preview_text(args.case_file, answers=args.answers)
        todos = todo_fields(args.case_file)
    except CaseValidationError as exc:
        for problem in exc.problems:
            say(problem)
        say("The case is not valid yet: fix the problems above, then preview again.", file=sys.stderr)
        return 1
    except AuthoringError as exc:
        say(f"error: {exc}", file=sys.stderr)
        return 1
    say(text, end="")
    from .logic.cases import load_case_file
    from .logic.cases.items import item_warnings

    for warning in item_warnings(load_case_file(args.case_file)):
        say(f"warning: {warning}", file=sys.stderr)
    if todos:
        say(f"\nWarning: {len(todos)} field(s) still contain TODO: {', '.join(todos)}", file=sys.stderr)
    return 0


def _register_instructor_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new-case", help="create a new case file to fill in (never overwrites)")
    p.add_argument("id", help="the new case id, kebab-case, e.g. burning-band-after-relapse")
    p.add_argument("--folder", default=None, help="where to create it (default: data/cases, or data/checks)")
    p.add_argument("--kind", choices=("case", "check"), default="case", help="case (default) or check set")
    p.set_defaults(func=cmd_new_case)
    p = sub.add_parser("preview", help="print a case as a learner reads it (plain text)")
    p.add_argument("case_file", help="the case file (.yaml) to preview, or the id of one of the course's cases")
    p.add_argument("--answers", action="store_true", help="also show the answer key, feedback and facilitator notes")
    p.set_defaults(func=cmd_preview)


EXTRA_COMMANDS.append(_register_instructor_commands)


def cmd_hub_link(args: argparse.Namespace) -> int:
    """Print the nbgitpuller link for the course on a hub, then a Markdown table of every notebook's links."""
    from .logic.hublinks import (
        APP_LABEL,
        HubLinkError,
        course_notebooks,
        lab_settings_note,
        markdown_table,
        notebook_links,
        pull_link,
        resolve_notebook,
    )

    try:
        names = course_notebooks()
        notebook = resolve_notebook(args.notebook, args.open, names)
        link = pull_link(args.hub, args.repo, args.branch, args.open, notebook)
        rows = notebook_links(args.hub, args.repo, args.branch)
    except HubLinkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(link)
    print(f"\n(opens notebooks/{notebook} in {APP_LABEL[args.open]}; give learners this link)\n", file=sys.stderr)
    print(f"({lab_settings_note()})\n", file=sys.stderr)
    print()
    print(markdown_table(rows), end="")
    return 0


def _register_hub_commands(sub: argparse._SubParsersAction) -> None:
    from .logic.hublinks import APP_PATH, DEFAULT_BRANCH, DEFAULT_REPO

    p = sub.add_parser("hub-link", help="print the nbgitpuller link that opens the course on a JupyterHub")
    p.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    p.add_argument("--repo", default=DEFAULT_REPO, help=f"the course's git repository (default: {DEFAULT_REPO})")
    p.add_argument("--branch", default=DEFAULT_BRANCH, help=f"branch or tag to pull (default: {DEFAULT_BRANCH})")
    p.add_argument("--open", choices=tuple(APP_PATH), default="lab",
                   help="lab: JupyterLab on the start notebook (default); voila: the case scenarios as an app")
    p.add_argument("--notebook", default=None, help="the notebook to open instead, e.g. 07 or 07_case_scenarios.ipynb")
    p.set_defaults(func=cmd_hub_link)


EXTRA_COMMANDS.append(_register_hub_commands)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
