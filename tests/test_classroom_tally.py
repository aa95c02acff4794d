"""The class tally (classroom/tally.py): first attempts, per-question distributions, correctness from the library."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CASE_ID, EXPORT_FIXTURES
from helpers import as_bytes as _bytes
from helpers import attempt as _attempt
from helpers import export as _export

from mslbp_widgets.classroom.exports import (
    load_exports,
)
from mslbp_widgets.classroom.tally import tally

FIXTURES = EXPORT_FIXTURES



def test_first_attempt_is_earliest_by_time_not_by_position(library: dict) -> None:
    data = load_exports(FIXTURES)
    first = {(a.learner_id, a.question_id): a for a in data.first_attempts()}
    c_learner = next(r.learner_id for r in data.reports if r.name == "03-ok-learner-c.json")
    assert first[(c_learner, "classification")].selection == ("disc",)


def test_tally_per_question_distribution(library: dict) -> None:
    t = tally(load_exports(FIXTURES), library)
    q = t.question(CASE_ID, "classification")
    assert q is not None
    counts = {o.option_id: o.count for o in q.options}
    # first attempts: a disc, b lhermitte, c disc (earliest), d an unknown option
    assert counts == {"lhermitte": 1, "continuous-central": 0, "disc": 2, "spasticity": 0}
    assert q.unknown.count == 1 and not q.unknown.known
    assert (q.n_learners, q.n_attempts, q.n_first_correct) == (4, 6, 1)
    assert q.pct_first_correct == pytest.approx(25.0)
    wrong = q.most_common_wrong
    assert wrong is not None and wrong.option_id == "disc" and wrong.count == 2
    assert wrong.feedback.startswith("Radicular pain follows one root")


def test_tally_multiple_choice_counts_ticks(library: dict) -> None:
    q = tally(load_exports(FIXTURES), library).question(CASE_ID, "next-step")
    assert q is not None
    counts = {o.option_id: o.count for o in q.options}
    assert counts == {"new-symptom": 2, "reassure-explain": 2, "drug-if-troublesome": 1, "lumbar-mri": 1,
                      "nsaid": 0}
    assert (q.n_learners, q.n_first_correct) == (3, 1)
    assert [o.option_id for o in q.wrong_answers] == ["lumbar-mri"]


def test_acceptable_answer_is_a_wrong_answer_flagged_acceptable(library: dict) -> None:
    q = tally(load_exports(FIXTURES), library).question(CASE_ID, "first-impression")
    assert q is not None
    assert (q.n_learners, q.n_first_correct) == (3, 2)
    wrong = q.most_common_wrong
    assert wrong is not None and wrong.option_id == "lifting" and wrong.acceptable


def test_correctness_comes_from_the_library_not_the_file(library: dict) -> None:
    lying = _export("c" * 32, [_attempt(1, selection=("disc",), verdict="correct")])
    t = tally(load_exports([("lie.json", _bytes(lying))]), library)
    q = t.question(CASE_ID, "classification")
    assert q is not None and q.n_first_correct == 0


def test_two_options_on_single_choice_counted_as_unknown(library: dict) -> None:
    doc = _export("d" * 32, [_attempt(1, selection=("disc", "lhermitte"))])
    q = tally(load_exports([("x.json", _bytes(doc))]), library).question(CASE_ID, "classification")
    assert q is not None and q.unknown.count == 1 and q.n_first_correct == 0


def test_unknown_cases_are_counted_apart(library: dict) -> None:
    t = tally(load_exports(FIXTURES), library)
    assert t.unknown_questions == (("no-such-case", "q1", 1),)
    assert all(q.case_id == CASE_ID for q in t.questions)


def test_accuracy_by_mechanism_and_calibration(library: dict) -> None:
    t = tally(load_exports(FIXTURES), library)
    assert t.n_learners == 4
    assert [(m.mechanism, m.total, m.correct) for m in t.mechanisms] == [("paroxysmal-neuropathic", 10, 4)]
    assert t.mechanisms[0].label.startswith("Paroxysmal")
    cal = {b.confidence: (b.total, b.correct) for b in t.calibration}
    assert cal == {1: (0, 0), 2: (2, 1), 3: (2, 0), 4: (2, 2), 5: (3, 1)}


def test_unanswered_questions_only_on_request(library: dict) -> None:
    empty = load_exports([])
    assert tally(empty, library).questions == ()
    t = tally(empty, library, include_unanswered=True)
    assert [q.question_id for q in t.questions] == ["first-impression", "classification", "next-step"]
    assert t.questions[0].pct_first_correct is None and t.questions[0].most_common_wrong is None


def test_a_real_progress_log_export_is_accepted_and_counted(tmp_path: Path, library: dict) -> None:
    """What the case bank's "Download my attempts (JSON)" produces (ProgressLog.export_json) is read as is."""
    from mslbp_widgets.logic.evaluate import evaluate
    from mslbp_widgets.logic.progress import ProgressLog

    log = ProgressLog(tmp_path / "attempts.json")
    q = library[CASE_ID].question("classification")
    log.record(CASE_ID, evaluate(q, "disc", 4))
    log.record(CASE_ID, evaluate(q, "lhermitte", 5))
    data = load_exports([("mslbp-attempts.json", log.export_json().encode("utf-8"))])
    assert data.reports[0].accepted, data.reports[0]
    t = tally(data, library)
    cq = t.question(CASE_ID, "classification")
    assert cq is not None and (cq.n_learners, cq.n_attempts, cq.n_first_correct) == (1, 2, 0)
    assert cq.most_common_wrong is not None and cq.most_common_wrong.option_id == "disc"


def test_how_many_took_each_branch_of_a_branching_case() -> None:
    from helpers import branching_case, branching_exports

    case = branching_case()
    t = tally(load_exports(branching_exports()), {case.id: case}, include_unanswered=True)
    decision = t.question(case.id, "decision")
    took = {b.target_stage_id: (b.count, b.option_ids) for b in decision.branches}
    # first answers only: learner a's later "admit" does not move them off the send-home branch
    assert took == {"sent-home": (2, ("send-home",)), "phone-review": (1, ("phone-review",)),
                    "admitted": (1, ("admit",))}
    assert [b.target_title for b in decision.branches] == ["Back the next morning", "The phone review", "On the ward"]
    ward = t.question(case.id, "tests")
    assert {b.target_stage_id: b.count for b in ward.branches} == {"recovered": 0, "scan-result": 1}
    assert t.question(case.id, "phone").branches[0].count == 0  # asked, nobody answered: zero counts listed
    assert t.question(CASE_ID, "classification") is None


def test_a_linear_case_has_no_branch_counts(library: dict) -> None:
    t = tally(load_exports(FIXTURES), library)
    assert all(q.branches == () for q in t.questions)
