"""Command line: `python -m mslbp_widgets <command>`.

  validate [PATH ...]   check case files or folders (default: data/cases and data/checks); exit 0 if all valid,
                        1 with one line per problem otherwise
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import CaseValidationError


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate case files; print one line per problem (file: field: what to fix)."""
    from .cases.loading import cases_dir, checks_dir, load_cases

    paths = [Path(p) for p in args.paths] or [cases_dir(), checks_dir()]
    try:
        library = load_cases(paths)
    except CaseValidationError as exc:
        for problem in exc.problems:
            print(problem)
        n = len(exc.problems)
        print(f"{n} problem{'s' if n != 1 else ''} found; nothing was loaded.", file=sys.stderr)
        return 1
    kinds = [c.kind for c in library.values()]
    print(f"OK: {kinds.count('case')} case(s) and {kinds.count('check')} check set(s) are valid "
          f"({', '.join(str(p) for p in paths)}).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mslbp_widgets",
                                     description="Tools for the MS & low back pain course.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check case files (default: data/cases and data/checks)")
    p.add_argument("paths", nargs="*", help="case files or folders")
    p.set_defaults(func=cmd_validate)
    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


#: Other modules' subcommands: functions that take the subparsers object and add a parser with set_defaults(func=…).
EXTRA_COMMANDS: list = []


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
