"""Command line: `python -m mslbp_widgets <command>`.

  validate [PATH ...]   check case files or folders (default: data/cases and data/checks); exit 0 if all valid,
                        1 with one line per problem otherwise; item-writing warnings and the bank's figures are
                        printed too (--strict: a warning fails as well)
  new-case ID           start a case file to fill in
  preview FILE          print a case as a learner reads it (--answers: with the key, feedback and notes)

Everything printed that comes from a file (case text, field names, paths) goes through `say`: control and format
characters are written as [U+XXXX], so a case file cannot clear the terminal, retitle its window or write its
clipboard with an escape sequence.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .logic.errors import CaseValidationError
from .logic.text import visible


def say(text: object = "", file=None, end: str = "\n") -> None:
    """print() for text that may come from a file: nothing but line breaks acts on the terminal."""
    print(visible(text, keep="\n"), file=file, end=end)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate case files; print one line per problem (file: field: what to fix)."""
    from .logic.cases.loading import cases_dir, checks_dir, load_cases

    paths = [Path(p) for p in args.paths] or [cases_dir(), checks_dir()]
    try:
        library = load_cases(paths)
    except CaseValidationError as exc:
        for problem in exc.problems:
            say(problem)
        n = len(exc.problems)
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
    return 1 if args.strict and warnings else 0


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
    p.add_argument("case_file", help="the case file (.yaml) to preview")
    p.add_argument("--answers", action="store_true", help="also show the answer key, feedback and facilitator notes")
    p.set_defaults(func=cmd_preview)


EXTRA_COMMANDS.append(_register_instructor_commands)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
