"""The shipped case bank as a course: every case runs to every one of its endings (headless, as a learner clicks),
and the bank covers what a three-session course needs (the targets of data/scenarios.yaml and the course's spread
of difficulty and formats)."""

from __future__ import annotations

import html
import re

import pytest
from helpers import walk_path

from mslbp_widgets.logic.cases import case_library
from mslbp_widgets.logic.cases.branching import paths
from mslbp_widgets.logic.cases.coverage import bank_coverage
from mslbp_widgets.logic.datafiles import scenario_types
from mslbp_widgets.logic.progress import ProgressLog
from mslbp_widgets.ui.case import CaseScenario

CASES = case_library()


@pytest.mark.parametrize("case_id", list(CASES))
def test_every_case_runs_to_every_ending(case_id: str, tmp_path) -> None:
    case = CASES[case_id]
    all_paths = paths(case)
    endings = {case.stages[p[-1].index].id for p in all_paths}
    outcomes = {s.id for s in case.stages if s.outcome}
    assert endings == (outcomes or {case.stages[-1].id}), "every ending is reached by some path"
    for n, path in enumerate(all_paths):
        log = ProgressLog(tmp_path / f"path-{n}.json")
        scenario = CaseScenario(case, log)
        walk_path(scenario, path)
        assert scenario.finished and scenario.path == [case.stages[s.index].id for s in path]
        assert "What happened next" in scenario.end.value
        assert html.escape(case.next_step.split("\n")[0][:40]) in scenario.end.value
        asked = [case.stages[s.index] for s in path if case.stages[s.index].question is not None]
        assert [a.question_id for a in log.attempts()] == [s.question.id for s in asked]


COURSE = bank_coverage(CASES.values(), scenario_types())


def test_the_bank_holds_at_least_36_cases_with_every_scenario_type_at_its_target() -> None:
    assert COURSE.cases >= 36 and not COURSE.untyped
    assert COURSE.covered == 21
    short = [(t.type.id, t.cases, t.type.target) for t in COURSE.short]
    assert short == []
    assert [t.type.target for t in COURSE.types[:12]] == [2] * 12  # the first twelve types twice


def test_the_bank_spreads_over_levels_and_formats() -> None:
    assert all(COURSE.difficulty.get(d, 0) >= 8 for d in ("introductory", "intermediate", "advanced")), COURSE
    assert COURSE.branching >= 8 and COURSE.with_media >= 6 and COURSE.with_new_types >= 6, COURSE


RELAPSE = re.compile(r"\brelapse\b", re.IGNORECASE)
NOT_RELAPSE = re.compile(r"pseudo|not (a )?relapse|mimic", re.IGNORECASE)


def test_a_relapse_is_the_right_answer_in_at_least_two_cases() -> None:
    """So learners do not learn never to diagnose one: a single-choice question whose best answer names a relapse."""
    def says_relapse(case) -> bool:
        return any(q.type == "single" and RELAPSE.search(q.best[0].text) and not NOT_RELAPSE.search(q.best[0].text)
                   for q in case.questions)

    cases = [c.id for c in CASES.values() if says_relapse(c)]
    assert len(cases) >= 2, cases
    assert all(CASES[c].scenario in ("relapse", "lhermitte", "central-neuropathic") for c in cases), cases


@pytest.mark.parametrize("case_id", list(CASES))
def test_presenter_mode_steps_through_every_case_and_reveals_each_key(case_id: str) -> None:
    from mslbp_widgets.ui.presenter import Presenter

    case = CASES[case_id]
    p = Presenter(case, library=CASES)
    revealed = 0
    for _ in range(2 * len(case.stages) + 2):  # the room's default way on, stage by stage, to the end
        stage = case.stages[p.path[p.step - 1]] if 0 < p.step <= len(p.path) else None
        if stage is not None and stage.question is not None:
            assert p.answer.value == "" and not p.reveal_button.disabled
            p.reveal_button.click()
            assert p.revealed and "Teaching point" in p.answer.value, stage.id
            revealed += 1
        if p.branch_choice.layout.display != "none" and p.branch_choice.value is None:
            p.branch_choice.value = p.branch_choice.options[-1][1]  # the room picks a way on: the last one offered
        if p.next_button.disabled:
            break
        p.next_button.click()
    assert p.next_button.disabled and revealed >= 1
    assert "What happened next" in p.body.value


@pytest.mark.parametrize("case_id", list(CASES))
def test_each_case_takes_five_to_ten_minutes(case_id: str) -> None:
    """The whole case (its longest path) takes 5 to 10 minutes; an unsafe decision may end a branching case sooner."""
    from mslbp_widgets.logic.cases.coverage import minutes

    low, high = minutes(CASES[case_id])
    assert 5 <= high <= 10 and low >= (2 if CASES[case_id].branching else 5), (low, high)
