"""Teaching cases: the model, loading, validation and the one lookup by id. Plain Python, no widgets."""

from .loading import (
    CaseLibrary,
    UnknownCaseError,
    case_library,
    check_library,
    course_library,
    get_case,
    load_case_file,
    load_case_folder,
    load_cases,
    nearest_id,
    reload,
)
from .model import Case, Finding, Option, Question, Stage

__all__ = [
    "Case", "CaseLibrary", "Finding", "Option", "Question", "Stage", "UnknownCaseError", "case_library",
    "check_library", "course_library", "get_case", "load_case_file", "load_case_folder", "load_cases", "nearest_id",
    "reload",
]
