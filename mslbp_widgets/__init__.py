"""mslbp_widgets: the package behind the MS & low back pain teaching notebooks. This module is its API.

Notebooks import only from here, e.g. ``from mslbp_widgets import CaseBank, check_understanding``. Names load on
first use (PEP 562), so ``from mslbp_widgets import evaluate`` never imports ipywidgets or plotly.

Layers (see docs/architecture.md): ``logic/`` (cases, evaluation, attempts, the learner's progress, the export
format, references, data files), ``tools/`` (pure clinical tools), ``charts/`` (plotly figure builders),
``classroom/`` (the class tally from learners' exports) — none of them imports ipywidgets — and ``ui/``
(rendering: the widgets, which only render results and wire callbacks).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

EDUCATION_NOTICE = (
    "This course is for education only. It is not medical advice and must not be used to diagnose or treat "
    "anyone. Every patient in it is synthetic (invented for teaching)."
)

#: Public name -> module that defines it (relative to this package).
_API: dict[str, str] = {
    # widgets for notebooks (ui/: rendering)
    "CaseBank": ".ui.bank",
    "CaseScenario": ".ui.case",
    "check_understanding": ".ui.case",
    "show_case": ".ui.case",
    "ProgressControls": ".ui.progress_controls",
    "presenter": ".ui.presenter",
    "facilitator_notes": ".ui.presenter",
    "class_tally": ".ui.class_tally",
    "conduction_explorer": ".ui.conduction",
    "feature_checklist": ".ui.features",
    "pathway_explorer": ".ui.pathways",
    "dn4_scorer": ".ui.screening",
    "red_flag_triage": ".ui.red_flags",
    "sorting_exercise": ".ui.sorting",
    "environment_check": ".ui.environment",
    "show_references": ".ui.display",
    "show_prevalence": ".ui.display",
    "show_imaging_findings": ".ui.display",
    "show_diagram": ".ui.display",
    "show_case_counts": ".ui.display",
    "dermatome_explorer": ".ui.dermatomes",
    # logic (no widgets)
    "Case": ".logic.cases",
    "CaseLibrary": ".logic.cases",
    "UnknownCaseError": ".logic.cases",
    "get_case": ".logic.cases",
    "case_library": ".logic.cases",
    "check_library": ".logic.cases",
    "course_library": ".logic.cases",
    "load_case_file": ".logic.cases",
    "load_case_folder": ".logic.cases",
    "reload": ".logic.cases",
    "evaluate": ".logic.evaluate",
    "Result": ".logic.evaluate",
    "Attempt": ".logic.attempts",
    "ProgressLog": ".logic.progress",
    "read_export": ".logic.export_format",
    "cite": ".logic.references",
    "MslbpError": ".logic.errors",
    "CaseValidationError": ".logic.errors",
    "DataValidationError": ".logic.errors",
    # classroom (no widgets)
    "load_exports": ".classroom",
    "tally": ".classroom",
    "summary_csv": ".classroom",
    "sample_exports_folder": ".classroom",
    "synthetic_exports": ".classroom",
}

__all__ = [
    "EDUCATION_NOTICE", "__version__", "CaseBank", "CaseScenario", "check_understanding", "show_case",
    "ProgressControls", "presenter", "facilitator_notes", "class_tally", "conduction_explorer", "feature_checklist",
    "pathway_explorer", "dn4_scorer", "red_flag_triage", "sorting_exercise", "environment_check", "show_references",
    "show_prevalence", "show_imaging_findings", "show_diagram", "show_case_counts", "dermatome_explorer", "Case",
    "CaseLibrary",
    "UnknownCaseError", "get_case", "case_library", "check_library", "course_library", "load_case_file",
    "load_case_folder", "reload", "evaluate", "Result", "Attempt", "ProgressLog", "read_export", "cite",
    "MslbpError", "CaseValidationError", "DataValidationError", "load_exports", "tally", "summary_csv",
    "sample_exports_folder", "synthetic_exports",
]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'mslbp_widgets' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # for editors and type checkers: the same names, imported eagerly
    from .classroom import load_exports, sample_exports_folder, summary_csv, synthetic_exports, tally
    from .logic.attempts import Attempt
    from .logic.cases import (
        Case,
        CaseLibrary,
        UnknownCaseError,
        case_library,
        check_library,
        course_library,
        get_case,
        load_case_file,
        load_case_folder,
        reload,
    )
    from .logic.errors import CaseValidationError, DataValidationError, MslbpError
    from .logic.evaluate import Result, evaluate
    from .logic.export_format import read_export
    from .logic.progress import ProgressLog
    from .logic.references import cite
    from .ui.bank import CaseBank
    from .ui.case import CaseScenario, check_understanding, show_case
    from .ui.class_tally import class_tally
    from .ui.conduction import conduction_explorer
    from .ui.dermatomes import dermatome_explorer
    from .ui.display import show_case_counts, show_diagram, show_imaging_findings, show_prevalence, show_references
    from .ui.environment import environment_check
    from .ui.features import feature_checklist
    from .ui.pathways import pathway_explorer
    from .ui.presenter import facilitator_notes, presenter
    from .ui.progress_controls import ProgressControls
    from .ui.red_flags import red_flag_triage
    from .ui.screening import dn4_scorer
    from .ui.sorting import sorting_exercise
