"""The package's own exceptions. Every error a learner or instructor can cause is one of these, with a message
that names the file and the field and says what to fix."""

from __future__ import annotations

from .records import PartlyComparedRecord


class MslbpError(Exception):
    """Base class for every error this package raises on purpose."""


class Problem(PartlyComparedRecord):
    """One thing wrong with a data file: where (file, field path, and the line and column in the file when known)
    and what to fix. Printed as ``file:line:column: field: message``, the form editors and terminals turn into a
    link. The line is found only when a problem is reported (:func:`mslbp_widgets.logic.yamlfile.with_lines`), and
    is not part of a problem's identity (two problems with the same file, field and message are the same problem).
    """

    file: str
    field: str
    message: str
    line: int | None = None
    column: int | None = None

    _not_compared = ("line", "column")

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"


class DataValidationError(MslbpError):
    """A data file (case, check, reference list, table) is invalid. Lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem], what: str = "data"):
        from .yamlfile import with_lines  # the problems' lines, found now that there are problems

        self.problems = with_lines(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(f"{len(self.problems)} {noun} in the {what}:\n{lines}")


class CaseValidationError(DataValidationError):
    """One or more case files are invalid; nothing from the folder was loaded."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems, what="case files")


class SelectionError(MslbpError, ValueError):
    """A selection does not fit the question (no option chosen, an unknown option, two options for single choice)."""


class ProgressFileError(MslbpError):
    """The progress file cannot be read or written (for example, the folder is not writable)."""


class ExportFormatError(MslbpError):
    """A learner export file does not match the documented export format."""


class OtherLearnerError(MslbpError):
    """A download belongs to another learner than the progress log it was loaded into. Two learners' attempts are
    never merged into one log: the learner chooses to continue as that learner, or nothing changes."""

    def __init__(self, source: str, file_learner_id: str, log_learner_id: str):
        self.source = source
        self.file_learner_id = file_learner_id
        self.log_learner_id = log_learner_id
        super().__init__(
            f"{source} holds the answers of learner {file_learner_id[:8]}, not of learner {log_learner_id[:8]}: "
            "two learners' answers are never merged. Continue as that learner to load it."
        )
