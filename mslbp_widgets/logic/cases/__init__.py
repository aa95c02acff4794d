"""Teaching cases: the model, loading and validation. Plain Python, no widgets."""

from .loading import (
    CaseLibrary,
    case_library,
    check_library,
    get_case,
    load_case_file,
    load_case_folder,
    load_cases,
    reload,
)
from .model import Case, Finding, Option, Question, Stage

__all__ = [
    "Case", "CaseLibrary", "Finding", "Option", "Question", "Stage", "case_library", "check_library", "get_case",
    "load_case_file", "load_case_folder", "load_cases", "reload",
]
