"""Loading case files: YAML (safe loader only) -> validation -> Case objects. A folder loads whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from ..datafiles import character_problems
from ..errors import CaseValidationError, DataValidationError, MslbpError, Problem
from ..paths import REFERENCES_FILE, data_dir, data_dir_of
from ..references import load_references
from ..text import closest
from ..yamlfile import MAX_DATA_FILE_BYTES, read_yaml
from .model import Case, case_from_dict
from .validation import check_integrity, check_schema

#: Largest case file read, in bytes: a real case is a few kilobytes.
MAX_CASE_FILE_BYTES = MAX_DATA_FILE_BYTES


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
    problems += character_problems(raw, file)
    return (None if problems else raw), problems


#: From this many files on, a folder is read by a small pool of processes (one per core, at most 4): YAML node
#: construction is pure Python even with libyaml, so a second core halves the time of a large bank.
PARALLEL_FROM_FILES = 100


def read_all_case_data(files: list[Path]) -> list[tuple[dict | None, list[Problem]]]:
    """read_case_data for every file, in order; in parallel for large folders where processes can be forked."""
    import multiprocessing  # only here: a notebook that loads the course's few files never pays for it

    workers = min(os.cpu_count() or 1, 4)
    if len(files) >= PARALLEL_FROM_FILES and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        from concurrent.futures import ProcessPoolExecutor

        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                return list(pool.map(read_case_data, files, chunksize=max(1, len(files) // (workers * 4))))
        except (OSError, RuntimeError):  # no processes here (a sandbox, a browser kernel): read them one by one
            pass
    return [read_case_data(path) for path in files]


class UnknownCaseError(MslbpError, KeyError):
    """No case or check set has this id. The message names the nearest id (``suggestion``) and every known id.

    A ``KeyError`` too, so ``library[case_id]`` behaves like any mapping."""

    def __init__(self, case_id: str, known: Mapping[str, Case]):
        self.case_id = case_id
        self.known = tuple(known)
        self.suggestion = nearest_id(case_id, self.known)
        cases = [i for i, c in known.items() if c.kind != "check"]
        checks = [i for i, c in known.items() if c.kind == "check"]
        hint = f" Did you mean {self.suggestion!r}?" if self.suggestion else ""
        listing = f"Case ids: {', '.join(cases) or '(none)'}."
        if checks:
            listing += f" Check sets: {', '.join(checks)}."
        self.message = (f"There is no case or check set with the id {case_id!r}.{hint} {listing} (An id is the "
                        "case file's name in data/cases/ or data/checks/ without .yaml.)")
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.message


def nearest_id(typed: str, ids: Iterable[str]) -> str | None:
    """The known id closest to a mistyped one (difflib), or None when nothing is close."""
    ids = list(ids)
    clean = "-".join(str(typed).strip().lower().replace("_", "-").split())
    if clean in ids:
        return clean
    near = closest(clean, ids, cutoff=0.5)
    if near:
        return near
    starts = [i for i in ids if clean and (i.startswith(clean) or clean in i)]
    return starts[0] if len(starts) == 1 else None


class CaseLibrary(Mapping):
    """A read-only, ordered collection of cases by id (file-name order)."""

    def __init__(self, cases: Iterable[Case]):
        self._cases = {c.id: c for c in cases}

    def __getitem__(self, case_id: str) -> Case:
        try:
            return self._cases[case_id]
        except (KeyError, TypeError):
            raise UnknownCaseError(str(case_id), self._cases) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._cases)

    def __len__(self) -> int:
        return len(self._cases)

    def filter(self, mechanism: str | None = None, difficulty: str | None = None,
               red_flag: bool | None = None, scenario: str | None = None) -> list[Case]:
        """Cases matching every criterion given (None means any)."""
        return [
            c for c in self._cases.values()
            if (mechanism is None or mechanism in c.mechanisms)
            and (difficulty is None or c.difficulty == difficulty)
            and (red_flag is None or c.red_flag == red_flag)
            and (scenario is None or c.scenario == scenario)
        ]


def case_files(folder: Path) -> list[Path]:
    """The case files of a folder, sorted by name (*.yaml and *.yml)."""
    return sorted(p for p in Path(folder).iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_cases(paths: Iterable[Path | str], kind: str | None = None,
               reference_keys: Iterable[str] | None = None) -> CaseLibrary:
    """Load every case file named (files, or folders of files) together; all valid, or CaseValidationError.

    `kind` ('case' or 'check') requires every file to be of that kind. Ids must be unique across all files.
    Each file is checked against the data folder it belongs to (:func:`~mslbp_widgets.logic.paths.data_dir_of`):
    its `references.yaml` (unless `reference_keys` are given) and its pictures, so a copied data folder is
    checked against its own files, not the course's.
    """
    given = set(reference_keys) if reference_keys is not None else None
    known: dict[Path, set[str]] = {}
    folders: dict[Path, Path] = {}

    def keys_of(folder: Path) -> set[str]:
        if given is not None:
            return given
        if folder not in known:
            try:
                known[folder] = set(load_references(folder / REFERENCES_FILE))
            except DataValidationError as exc:
                raise CaseValidationError(exc.problems) from None
        return known[folder]

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
        if path.parent not in folders:  # one look-up per folder of files
            folders[path.parent] = data_dir_of(path)
        folder = folders[path.parent]
        integrity = check_integrity(data, str(path), keys_of(folder), root=folder)
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


def course_library() -> CaseLibrary:
    """Every case and check set of the course, by id (cases first). An empty or missing folder adds nothing; an
    invalid case file raises ``CaseValidationError`` (run ``python -m mslbp_widgets validate``)."""
    found: list[Case] = []
    for folder, load in ((cases_dir(), case_library), (checks_dir(), check_library)):
        if folder.is_dir() and case_files(folder):
            found += load().values()
    return CaseLibrary(found)


def get_case(case_id: str, library: Mapping[str, Case] | None = None) -> Case:
    """The case or check set with this id from ``library`` (default: the whole course): the one case lookup.

    A mistyped id raises :class:`UnknownCaseError`, whose message names the nearest id and every known id.
    """
    lib = course_library() if library is None else library
    if isinstance(case_id, str) and case_id in lib:
        return lib[case_id]
    raise UnknownCaseError(str(case_id), lib)


def reload() -> None:
    """Forget the cached libraries (after an instructor edits a case file)."""
    _library.cache_clear()
