"""Loading case files: YAML (safe loader only) -> validation -> Case objects. A folder loads whole or not at all."""

from __future__ import annotations

import difflib
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

from ..datafiles import MAX_DATA_FILE_BYTES, DataLoader, read_yaml
from ..errors import CaseValidationError, DataValidationError, Problem
from ..paths import data_dir
from ..references import load_references
from .model import Case, case_from_dict
from .validation import check_integrity, check_schema

#: Largest case file read, in bytes: a real case is a few kilobytes.
MAX_CASE_FILE_BYTES = MAX_DATA_FILE_BYTES

#: The safe YAML loader that keeps dates as text (shared with every data file: see mslbp_widgets.datafiles).
CaseLoader = DataLoader


def read_case_data(path: Path) -> tuple[dict | None, list[Problem]]:
    """Read one file into a validated-by-schema mapping, or return the problems that stop it."""
    file = str(path)
    raw, problems = read_yaml(path, MAX_CASE_FILE_BYTES, kind="case file")
    if problems:
        return None, problems
    if raw is None:
        return None, [Problem(file, "", "the file is empty: start from `python -m mslbp_widgets new-case`")]
    if not isinstance(raw, dict):
        return None, [Problem(file, "", f"must be a mapping of fields (id:, title:, ...), not a "
                                        f"{type(raw).__name__}")]
    try:
        problems = check_schema(raw, file)
    except RecursionError:
        return None, [Problem(file, "", "the file is nested too deeply to be a case")]
    return (None if problems else raw), problems


#: From this many files on, a folder is read by a small pool of processes (one per core, at most 4): YAML node
#: construction is pure Python even with libyaml, so a second core halves the time of a large bank.
PARALLEL_FROM_FILES = 100


def read_all_case_data(files: list[Path]) -> list[tuple[dict | None, list[Problem]]]:
    """read_case_data for every file, in order; in parallel for large folders where processes can be forked."""
    workers = min(os.cpu_count() or 1, 4)
    if len(files) >= PARALLEL_FROM_FILES and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                return list(pool.map(read_case_data, files, chunksize=max(1, len(files) // (workers * 4))))
        except (OSError, RuntimeError):  # no processes here (a sandbox, a browser kernel): read them one by one
            pass
    return [read_case_data(path) for path in files]


def unknown_id_message(case_id: str, known: list[str]) -> str:
    """"no case with id …", with the nearest known id when there is one (a typo), and the known ids."""
    close = difflib.get_close_matches(str(case_id), known, n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return f"no case with id {case_id!r}.{hint} Known ids: {', '.join(known) or 'none'}"


class CaseLibrary(Mapping):
    """A read-only, ordered collection of cases by id (file-name order)."""

    def __init__(self, cases: Iterable[Case]):
        self._cases = {c.id: c for c in cases}

    def __getitem__(self, case_id: str) -> Case:
        try:
            return self._cases[case_id]
        except KeyError:
            raise KeyError(unknown_id_message(case_id, list(self._cases))) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._cases)

    def __len__(self) -> int:
        return len(self._cases)

    def filter(self, mechanism: str | None = None, difficulty: str | None = None,
               red_flag: bool | None = None) -> list[Case]:
        """Cases matching every criterion given (None means any)."""
        return [
            c for c in self._cases.values()
            if (mechanism is None or mechanism in c.mechanisms)
            and (difficulty is None or c.difficulty == difficulty)
            and (red_flag is None or c.red_flag == red_flag)
        ]


def case_files(folder: Path) -> list[Path]:
    """The case files of a folder, sorted by name (*.yaml and *.yml)."""
    return sorted(p for p in Path(folder).iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _reference_keys(reference_keys: Iterable[str] | None) -> set[str]:
    if reference_keys is not None:
        return set(reference_keys)
    return set(load_references())


def load_cases(paths: Iterable[Path | str], kind: str | None = None,
               reference_keys: Iterable[str] | None = None) -> CaseLibrary:
    """Load every case file named (files, or folders of files) together; all valid, or CaseValidationError.

    `kind` ('case' or 'check') requires every file to be of that kind. Ids must be unique across all files.
    """
    try:
        keys = _reference_keys(reference_keys)
    except DataValidationError as exc:
        raise CaseValidationError(exc.problems) from None
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = case_files(p)
            if not found:
                problems.append(Problem(str(p), "", "no case files (*.yaml) in this folder"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(p), "", "no such file or folder"))
    cases: list[Case] = []
    first_seen: dict[str, str] = {}
    for path, (data, file_problems) in zip(files, read_all_case_data(files), strict=True):
        problems.extend(file_problems)
        if data is None:
            continue
        integrity = check_integrity(data, str(path), keys)
        if kind is not None and data.get("kind", "case") != kind:
            integrity.append(Problem(str(path), "kind", f"this folder holds `kind: {kind}` files, but this file is "
                                                        f"`kind: {data.get('kind', 'case')}`: move it or fix `kind`"))
        if data["id"] in first_seen:
            integrity.append(Problem(str(path), "id", f"id {data['id']!r} is already used by "
                                                      f"{first_seen[data['id']]}: ids must be unique"))
        else:
            first_seen[data["id"]] = str(path)
        problems.extend(integrity)
        if not integrity:
            cases.append(case_from_dict(data, source=str(path)))
    if problems:
        raise CaseValidationError(problems)
    return CaseLibrary(cases)


def load_case_folder(folder: Path | str, kind: str | None = None,
                     reference_keys: Iterable[str] | None = None) -> CaseLibrary:
    """Load one folder of case files (see load_cases)."""
    return load_cases([folder], kind=kind, reference_keys=reference_keys)


def load_case_file(path: Path | str, reference_keys: Iterable[str] | None = None) -> Case:
    """Load and validate one case file."""
    library = load_cases([path], reference_keys=reference_keys)
    return next(iter(library.values()))


def cases_dir() -> Path:
    return data_dir() / "cases"


def checks_dir() -> Path:
    return data_dir() / "checks"


@lru_cache(maxsize=8)
def _library(folder: str, kind: str) -> CaseLibrary:
    return load_case_folder(folder, kind=kind)


def case_library() -> CaseLibrary:
    """The case bank (data/cases), loaded once per session."""
    return _library(str(cases_dir()), "case")


def check_library() -> CaseLibrary:
    """The check-your-understanding sets (data/checks), loaded once per session."""
    return _library(str(checks_dir()), "check")


def get_case(case_id: str) -> Case:
    """A case or check set by id, from data/cases or data/checks."""
    cases = case_library()
    if case_id in cases:
        return cases[case_id]
    checks = check_library()
    if case_id in checks:
        return checks[case_id]
    raise KeyError(unknown_id_message(case_id, [*cases, *checks]))


def reload() -> None:
    """Forget the cached libraries (after an instructor edits a case file)."""
    _library.cache_clear()
