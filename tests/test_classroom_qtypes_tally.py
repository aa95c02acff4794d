"""The class tally of matching, ordering and numeric questions (classroom/qtypes_tally.py), and the whole headless
journey of the question-types fixture: the widget, the progress log, its export, re-import, the class tally, the
summary table, the charts and presenter mode; then the same for the case that uses every feature together
(ok-all-features: a branch, a table, a picture and each new type)."""

from __future__ import annotations

import json

import pytest
from helpers import QTYPES_RIGHT, all_features_case, answer, answer_qtype, html_values, qtypes_case

from mslbp_widgets.classroom.exports import load_exports
from mslbp_widgets.classroom.samples import synthetic_exports
from mslbp_widgets.classroom.summary import summary_csv, summary_rows
from mslbp_widgets.classroom.tally import tally
from mslbp_widgets.logic.progress import ProgressLog
from mslbp_widgets.ui.case import CaseScenario
from mslbp_widgets.ui.class_tally import ClassTallyView
from mslbp_widgets.ui.presenter import Presenter

CASE = qtypes_case()
LIBRARY = {CASE.id: CASE}
WRONG_MATCH = dict(QTYPES_RIGHT["match-findings"], **{"worse-lifting": "neuropathic"})
SWAPPED = ["examination", "history", "decide", "explain"]
#: Three learners' first answers (and the second learner's later, right tries).
LEARNERS = [
    {"match-findings": [QTYPES_RIGHT["match-findings"]], "dn4-score": [5],
     "visit-order": [QTYPES_RIGHT["visit-order"]]},
    {"match-findings": [WRONG_MATCH, QTYPES_RIGHT["match-findings"]], "dn4-score": [4, 5], "visit-order": [SWAPPED]},
    {"match-findings": [WRONG_MATCH], "dn4-score": ["7"], "visit-order": [SWAPPED]},
]


def play(log: ProgressLog, answers: dict) -> None:
    """One learner works through the fixture case in the case widget (every try recorded in ``log``)."""
    scenario = CaseScenario(CASE, log)
    for stage in CASE.stages:
        tries = answers[stage.question.id]
        for n, given in enumerate(tries):
            if n:
                scenario.current.retry_button.click()
            answer_qtype(scenario.current, given, confidence=3 + n)
        scenario.current.next_button.click()
    assert scenario.finished


@pytest.fixture(scope="module")
def exports_folder(tmp_path_factory) -> object:
    folder = tmp_path_factory.mktemp("exports")
    for n, answers in enumerate(LEARNERS):
        log = ProgressLog(tmp_path_factory.mktemp(f"home{n}") / "attempts.json")
        play(log, answers)
        (folder / f"learner-{n}.json").write_text(log.export_json(), encoding="utf-8")
    return folder


def test_exports_are_version_2_and_resume_in_a_new_log(exports_folder, tmp_path) -> None:
    raw = (exports_folder / "learner-1.json").read_text(encoding="utf-8")
    doc = json.loads(raw)
    assert doc["version"] == 2 and len(doc["attempts"]) == 5
    assert doc["attempts"][0]["answer"] == {"matching": WRONG_MATCH}
    assert doc["attempts"][2]["answer"] == {"numeric": 4}
    resumed = ProgressLog(tmp_path / "attempts.json")
    assert resumed.import_export(raw, "learner-1.json") == 5
    assert [(a.question_id, a.verdict) for a in resumed.attempts()] == [
        ("match-findings", "partly-correct"), ("match-findings", "correct"), ("dn4-score", "partly-correct"),
        ("dn4-score", "correct"), ("visit-order", "partly-correct")]


def test_tally_counts_first_attempts_per_type(exports_folder) -> None:
    data = load_exports(exports_folder)
    assert [r.reason for r in data.reports] == ["accepted"] * 3
    t = tally(data, LIBRARY)
    m, n, o = (t.question(CASE.id, q) for q in ("match-findings", "dn4-score", "visit-order"))
    assert (m.n_learners, m.n_attempts, m.n_first_correct) == (3, 4, 1)
    lifting = next(i for i in m.details.items if i.item_id == "worse-lifting")
    assert (lifting.n_right, lifting.n_answers, lifting.top_wrong) == (1, 3, ("Neuropathic pain", 2))
    assert m.most_common_wrong.text == "An ache in the lower back that is worse after lifting → Neuropathic pain"
    assert [(b.text, b.count) for b in n.details.bands] == [
        ("below the cut-off (0 to 3 points)", 0), ("4 points", 1), ("5 points", 1), ("6 to 10 points", 1)]
    assert n.details.median == 5 and n.n_first_correct == 1
    assert [p.n_right for p in o.details.positions] == [1, 1, 3, 3]
    assert o.details.orders[0][1] == 2 and o.details.most_common_wrong.count == 2
    assert o.details.mean_score == pytest.approx((1 + 5 / 6 + 5 / 6) / 3, abs=1e-3)
    assert [b.total for b in t.calibration] == [0, 0, 9, 0, 0]  # first tries only, all at confidence 3
    rows = {r["question_id"]: r for r in summary_rows(t)}
    assert rows["visit-order"]["most_common_wrong_answer"].startswith("Examine the patient → Take the history")
    assert "dn4-score" in summary_csv(t)


def test_an_answer_that_does_not_fit_is_unknown_never_correct(exports_folder) -> None:
    doc = json.loads((exports_folder / "learner-0.json").read_text(encoding="utf-8"))
    doc["learner_id"] = "f" * 32
    doc["attempts"][0]["answer"] = {"matching": {"burning-band": "visceral"}}  # a category the case does not have
    doc["attempts"][1]["answer"] = {"numeric": 11}  # outside the allowed values
    doc["attempts"][2].pop("answer")
    doc["attempts"][2]["selection"] = ["history"]  # a choice answer to an ordering question
    data = load_exports([("forged.json", json.dumps(doc).encode())])
    t = tally(data, LIBRARY)
    for q in t.questions:
        assert (q.n_learners, q.n_first_correct, q.unknown.count) == (1, 0, 1), q.question_id


def test_synthetic_exports_answer_the_new_types() -> None:
    docs = synthetic_exports(LIBRARY, case_ids=[CASE.id], n_learners=6)
    data = load_exports([(f"s{n}.json", json.dumps(d).encode()) for n, d in enumerate(docs)])
    assert len(data.accepted) == 6
    t = tally(data, LIBRARY)
    assert all(q.n_learners == 6 and q.unknown.count == 0 for q in t.questions)


def test_presenter_shows_each_type_and_its_class_tally(exports_folder) -> None:
    p = Presenter(CASE, exports=str(exports_folder), library=LIBRARY)
    for step, qid in ((1, "match-findings"), (2, "dn4-score"), (3, "visit-order")):
        p.go(step)
        q = CASE.question(qid)
        assert q.prompt in p.body.value and not p.reveal_button.disabled
        assert p.answer.value == ""
        p.reveal()
        assert "<h3>Answer</h3>" in p.answer.value and q.teaching_point in p.answer.value
        html = " ".join(html_values(p.tally_box))
        assert "3 learner(s), " in html and "Text alternative:" in html
    assert "Most common orders" in html


# ------------------------------------------------------------------------ every feature together (ok-all-features)

ALL = all_features_case()
#: Three learners' tries at the all-features case, by question id: two examine her (the matching, numeric and ordering
#: questions follow), one sends her home first (then tries again: the path still follows the first answer).
ALL_LEARNERS = [
    {"decision": ["examine"], "match-findings": [QTYPES_RIGHT["match-findings"]], "dn4-score": [5],
     "visit-order": [QTYPES_RIGHT["visit-order"]]},
    {"decision": ["examine"], "match-findings": [WRONG_MATCH, QTYPES_RIGHT["match-findings"]], "dn4-score": [4],
     "visit-order": [SWAPPED]},
    {"decision": ["send-home", "examine"]},
]


def play_path(log: ProgressLog, answers: dict) -> list[str]:
    """One learner follows the all-features case to an ending in the case widget; returns the stage ids seen."""
    scenario = CaseScenario(ALL, log)
    while not scenario.finished:
        view = scenario.current
        for n, given in enumerate(answers.get(view.question.id, []) if view.question else []):
            if n:
                view.retry_button.click()
            if view.question.type == "single":
                answer(view, given, confidence=3 + n)
            else:
                answer_qtype(view, given, confidence=3 + n)
        view.next_button.click()
    return scenario.path


@pytest.fixture(scope="module")
def all_features_exports(tmp_path_factory) -> object:
    """The three learners' exports, each re-imported into a fresh progress log and exported again from there."""
    folder = tmp_path_factory.mktemp("all-features-exports")
    for n, answers in enumerate(ALL_LEARNERS):
        log = ProgressLog(tmp_path_factory.mktemp(f"all-home{n}") / "attempts.json")
        path = play_path(log, answers)
        assert path[-1] == ("sent-home" if n == 2 else "treated"), path
        doc = json.loads(log.export_json())
        assert doc["version"] == 2 and [a["stage_id"] for a in doc["attempts"]][:1] == ["presentation"]
        again = ProgressLog(tmp_path_factory.mktemp(f"all-again{n}") / "attempts.json")
        assert again.import_export(log.export_json(), f"learner-{n}.json") == len(doc["attempts"])
        assert json.loads(again.export_json())["attempts"] == doc["attempts"]  # nothing lost on the way back in
        (folder / f"learner-{n}.json").write_text(again.export_json(), encoding="utf-8")
    return folder


def test_all_features_case_is_tallied_with_its_branches_and_new_types(all_features_exports) -> None:
    data = load_exports(all_features_exports)
    assert [r.reason for r in data.reports] == ["accepted"] * 3
    t = tally(data, {ALL.id: ALL})
    took = {b.target_stage_id: b.count for b in t.question(ALL.id, "decision").branches}
    assert took == {"findings": 2, "sent-home": 1}  # learner 3's "Try again" does not change their branch
    m, n, o = (t.question(ALL.id, q) for q in ("match-findings", "dn4-score", "visit-order"))
    assert [(q.n_learners, q.n_first_correct) for q in (m, n, o)] == [(2, 1), (2, 1), (2, 1)]
    assert m.most_common_wrong.text == "An ache in the lower back that is worse after lifting → Neuropathic pain"
    assert [(b.text, b.count) for b in n.details.bands if b.count] == [("4 points", 1), ("5 points", 1)]
    assert sorted(o.details.orders) == sorted([(tuple(s.text for s in ALL.question("visit-order").steps), 1),
                                               (tuple(ALL.question("visit-order").step(i).text for i in SWAPPED), 1)])
    view = ClassTallyView(str(all_features_exports), library={ALL.id: ALL}, questions_per_page=4)  # all on one page
    shown = " ".join(html_values(view))
    assert "Where the first answers led" in shown and "<strong>Back a week later</strong> (after " in shown
    assert "Items, hardest first" in shown and "Most common orders" in shown and "Values given" in shown


def test_presenter_follows_the_rooms_path_through_the_new_types(all_features_exports) -> None:
    p = Presenter(ALL, exports=str(all_features_exports), library={ALL.id: ALL})
    p.next_button.click()
    assert "<caption>Observations on arrival</caption>" in p.body.value
    assert "Preselected" in p.branch_message.value  # two of three examined her
    for qid in ("match-findings", "dn4-score", "visit-order"):
        p.next_button.click()
        assert p.question is not None and p.question.id == qid, p.position.value
        assert ("alt='A side view of the spine" in p.body.value) == (qid == "match-findings")  # the stage's picture
        p.reveal()
        assert ALL.question(qid).teaching_point in p.answer.value
        assert "2 learner(s), " in " ".join(html_values(p.tally_box))
    p.next_button.click()
    assert "She was treated for both kinds of pain." in p.body.value
    p.next_button.click()
    assert "What happened next" in p.body.value and p.next_button.disabled
    assert [ALL.stages[i].id for i in p.path] == ["presentation", "findings", "screening", "plan", "treated"]
