"""The class summary table (classroom/summary.py): lowest % correct first, CSV without formulas."""

from __future__ import annotations

import copy
import csv
import io

from helpers import CASE_ID, EXPORT_FIXTURES
from helpers import as_bytes as _bytes
from helpers import attempt as _attempt
from helpers import case_dict as _case_dict
from helpers import export as _export

from mslbp_widgets.classroom import summary as aggregate_summary
from mslbp_widgets.classroom.exports import (
    load_exports,
)
from mslbp_widgets.classroom.summary import summary_csv, summary_rows
from mslbp_widgets.classroom.tally import tally
from mslbp_widgets.logic.cases.model import case_from_dict

FIXTURES = EXPORT_FIXTURES



def test_summary_csv_round_trips(library: dict) -> None:
    t = tally(load_exports(FIXTURES), library)
    rows = list(csv.DictReader(io.StringIO(summary_csv(t))))
    assert tuple(rows[0]) == aggregate_summary.SUMMARY_COLUMNS
    by_q = {r["question_id"]: r for r in rows}
    assert by_q["classification"]["n_learners"] == "4"
    assert by_q["classification"]["n_attempts"] == "6"
    assert by_q["classification"]["pct_correct_first_attempt"] == "25.0"
    assert by_q["classification"]["most_common_wrong_answer"] == "Disc herniation with sciatica"
    assert by_q["classification"]["case_id"] == CASE_ID
    assert len(summary_rows(t)) == 3


def test_summary_csv_neutralises_formulas() -> None:
    d = _case_dict()
    d = copy.deepcopy(d)
    d["stages"][1]["question"]["options"][2]["text"] = "=HYPERLINK(\"http://x\")"
    lib = {CASE_ID: case_from_dict(d)}
    doc = _export("e" * 32, [_attempt(1, selection=("disc",), verdict="incorrect")])
    text = summary_csv(tally(load_exports([("x.json", _bytes(doc))]), lib))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["most_common_wrong_answer"] == "'=HYPERLINK(\"http://x\")"


def test_summary_rows_lowest_first_attempt_accuracy_first(library: dict) -> None:
    t = tally(load_exports(FIXTURES), library, include_unanswered=True)
    pcts = [r["pct_correct_first_attempt"] for r in summary_rows(t)]
    answered = [p for p in pcts if p != ""]
    assert answered == sorted(answered) and answered[0] < answered[-1]
    assert pcts[len(answered):] == [""] * (len(pcts) - len(answered))  # unanswered questions last
    in_library_order = [r["question_id"] for r in summary_rows(t, lowest_first_order=False)]
    assert in_library_order == [q.question_id for q in t.questions]
    csv_rows = list(csv.DictReader(io.StringIO(summary_csv(t))))
    assert [r["question_id"] for r in csv_rows] == [r["question_id"] for r in summary_rows(t)]
