"""The classroom: reading a class's exported attempts (untrusted input), tallying them against the case library,
the summary table, and synthetic exports for practice. Plain Python, no widgets."""

from .exports import ClassAttempt, ClassData, FileReport, load_exports
from .samples import sample_exports_folder, synthetic_exports, write_synthetic_exports
from .summary import summary_csv, summary_rows
from .tally import ClassTally, QuestionTally, tally

__all__ = [
    "ClassAttempt", "ClassData", "ClassTally", "FileReport", "QuestionTally", "load_exports", "sample_exports_folder",
    "summary_csv", "summary_rows", "synthetic_exports", "tally", "write_synthetic_exports",
]
