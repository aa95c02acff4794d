"""The class summary table: one row per question, lowest % correct at the first attempt first, as rows or CSV
(spreadsheet formulas neutralised)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from typing import Any

from .tally import ClassTally, QuestionTally

SUMMARY_COLUMNS = (
    "case_id",
    "case_title",
    "question_id",
    "question",
    "n_learners",
    "n_attempts",
    "pct_correct_first_attempt",
    "most_common_wrong_answer",
    "most_common_wrong_answer_learners",
)


def lowest_first(questions: Iterable[QuestionTally]) -> list[QuestionTally]:
    """Questions sorted by % correct at the first attempt, lowest first (the ones to discuss); questions nobody
    answered go last; ties keep the case library's order."""
    qs = list(questions)
    return sorted(qs, key=lambda q: (q.pct_first_correct is None, q.pct_first_correct or 0.0))


def summary_rows(t: ClassTally, lowest_first_order: bool = True) -> list[dict[str, Any]]:
    """One row per question: case, question, learners, attempts, % correct at first attempt, top wrong answer.

    Rows are sorted by % correct at the first attempt, **lowest first** (unanswered questions last; ties in library
    order); `lowest_first_order=False` keeps the case library's order."""
    rows = []
    for q in (lowest_first(t.questions) if lowest_first_order else t.questions):
        wrong = q.most_common_wrong
        pct = q.pct_first_correct
        rows.append(
            {
                "case_id": q.case_id,
                "case_title": q.case_title,
                "question_id": q.question_id,
                "question": q.prompt,
                "n_learners": q.n_learners,
                "n_attempts": q.n_attempts,
                "pct_correct_first_attempt": "" if pct is None else round(pct, 1),
                "most_common_wrong_answer": wrong.text if wrong else "",
                "most_common_wrong_answer_learners": wrong.count if wrong else 0,
            }
        )
    return rows


def _csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a text cell starting with = + - @ (or tab/CR) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return value


def summary_csv(t: ClassTally) -> str:
    """The summary table as CSV text (UTF-8, a header row, one row per question, lowest % correct first)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in summary_rows(t):
        writer.writerow({k: _csv_safe(v) for k, v in row.items()})
    return buf.getvalue()
