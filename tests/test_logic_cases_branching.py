"""Branching cases (logic/cases/branching.py): where an answer leads, every path, and the checks that every path
is sound. The ko fixtures (tests/fixtures/cases/ko-branch-*, ko-outcome-*, ko-check-branches) are run by
test_logic_cases_validation.py; here the rules' finer points."""

from __future__ import annotations

import copy

import pytest
from helpers import branching_case, branching_dict, qtypes_case

from mslbp_widgets.logic.cases import case_library, check_library
from mslbp_widgets.logic.cases.branching import (
    Branch,
    branches,
    can_end_here,
    check_branching,
    choice_words,
    endings,
    is_branch_point,
    next_index,
    paths,
)
from mslbp_widgets.logic.cases.model import case_from_dict

CASE = branching_case()
IDX = {s.id: i for i, s in enumerate(CASE.stages)}


def ids(path) -> list[str]:
    return [CASE.stages[step.index].id for step in path]


def test_single_choice_options_lead_where_they_say_or_to_the_stage_default() -> None:
    first = IDX["presentation"]
    assert next_index(CASE, first, ["admit"]) == IDX["admitted"]
    assert next_index(CASE, first, ["send-home"]) == IDX["sent-home"]
    assert next_index(CASE, first, ["phone-review"]) == IDX["phone-review"]  # no next_stage: the stage's default


def test_multiple_choice_the_first_ticked_option_that_names_a_stage_decides() -> None:
    ward = IDX["admitted"]
    assert next_index(CASE, ward, ["culture", "scan"]) == IDX["scan-result"]
    assert next_index(CASE, ward, ["culture", "wait"]) == IDX["recovered"]  # falls through to the next in the file
    data = branching_dict()
    data["stages"][1]["question"]["options"][0]["next_stage"] = "sent-home"  # culture now leads elsewhere too
    case = case_from_dict(data)
    assert next_index(case, ward, ["scan", "culture"]) == IDX["sent-home"]  # culture comes first in the file
    assert next_index(case, ward, ["scan"]) == IDX["scan-result"]


def test_outcome_stages_and_the_last_stage_end_the_case() -> None:
    assert next_index(CASE, IDX["recovered"]) is None
    assert next_index(CASE, IDX["sent-home"]) is None
    assert next_index(CASE, IDX["scan-result"]) == IDX["recovered"]  # its own next_stage
    assert can_end_here(CASE, IDX["recovered"]) and not can_end_here(CASE, IDX["presentation"])


def test_branches_group_options_in_the_order_learners_see_them() -> None:
    first = IDX["presentation"]
    ways = branches(CASE, first)
    assert [w.target for w in ways] == [IDX["sent-home"], IDX["phone-review"], IDX["admitted"]]
    shown = [o.id for o in CASE.stages[first].question.display_options()]
    assert [w.option_ids[0] for w in ways] == shown
    ward = branches(CASE, IDX["admitted"])
    assert {w.target: w.option_ids for w in ward} == {IDX["recovered"]: ("culture", "wait"),
                                                     IDX["scan-result"]: ("scan",)}
    assert is_branch_point(CASE, first) and not is_branch_point(CASE, IDX["scan-result"])


def test_every_path_from_the_start_to_an_ending() -> None:
    found = [ids(p) for p in paths(CASE)]
    assert len(found) == 6
    assert ["presentation", "sent-home"] in found
    assert ["presentation", "admitted", "scan-result", "recovered"] in found
    assert ["presentation", "phone-review", "admitted", "recovered"] in found
    assert ["presentation", "phone-review", "sent-home"] in found
    assert {p[-1] for p in found} == {"recovered", "sent-home"}
    assert all(p[-1].branch.target is None for p in paths(CASE))
    assert len(paths(CASE, limit=2)) == 2


def test_endings_reachable_from_a_stage() -> None:
    assert [CASE.stages[i].id for i in endings(CASE, IDX["phone-review"])] == ["recovered", "sent-home"]
    assert endings(CASE, IDX["sent-home"]) == [IDX["sent-home"]]


def test_choice_words_name_the_options_with_their_letters() -> None:
    first = IDX["presentation"]
    home = next(b for b in branches(CASE, first) if b.target == IDX["sent-home"])
    assert choice_words(CASE, first, home) == "you had chosen “A. Send home with advice to drink more”"
    ward = IDX["admitted"]
    default = next(b for b in branches(CASE, ward) if b.target == IDX["recovered"])
    assert choice_words(CASE, ward, default, "the room").startswith("the room had ticked only among “A. ")


#: The shipped cases whose path depends on the learner's decisions (issue 14 deliver 6); every other case and check
#: set is linear.
BRANCHING_CASES = {"flank-pain-and-fever-with-self-catheterisation", "new-retention-on-a-background-of-urgency",
                   "sudden-midline-pain-after-steroid-courses", "new-retention-weeks-after-a-new-night-time-tablet"}


def test_linear_cases_do_not_branch_and_have_one_path() -> None:
    everything = [*case_library().values(), *check_library().values()]
    assert {c.id for c in everything if c.branching} == BRANCHING_CASES
    for case in everything:
        if case.id in BRANCHING_CASES:
            assert len(paths(case)) >= 2, case.id
            continue
        assert len(paths(case)) == 1
        assert [s.index for s in paths(case)[0]] == list(range(len(case.stages)))


def test_a_matching_ordering_or_numeric_stage_goes_on_to_the_next_stage_and_the_last_one_ends() -> None:
    # These questions have no options: their stage follows its default, like a stage without a question (before,
    # they had no way on at all, so a case with one had no path and its last stage could not end the case).
    case = qtypes_case()
    last = len(case.stages) - 1
    assert [branches(case, i) for i in range(len(case.stages))] == [
        *(((Branch(i + 1),)) for i in range(last)), (Branch(None),)]
    assert can_end_here(case, last) and not is_branch_point(case, last)
    assert [s.index for s in paths(case)[0]] == list(range(len(case.stages))) and len(paths(case)) == 1


def problems_of(data: dict) -> list[str]:
    return [f"{p.field}: {p.message}" for p in check_branching(data, "x.yaml")]


def test_a_stage_that_points_at_itself_is_a_loop() -> None:
    data = branching_dict()
    data["stages"][3]["next_stage"] = "scan-result"
    assert problems_of(data) == [
        "stages[3].next_stage: the stages loop (scan-result → scan-result): a learner could go round for ever, so "
        "this path never ends; point `next_stage` at a later stage, or end the path with an `outcome: true` stage"]


def test_an_unknown_stage_target_on_a_stage_suggests_the_nearest_id() -> None:
    data = branching_dict()
    data["stages"][3]["next_stage"] = "recoverd"
    (message,) = problems_of(data)
    assert message.startswith("stages[3].next_stage: no stage 'recoverd' in this case: did you mean 'recovered'?")
    assert "stage ids of this case: presentation, admitted, recovered" in message


def test_a_loop_through_the_default_of_the_file_order_names_the_stage() -> None:
    data = branching_dict()
    data["stages"][2]["outcome"] = False  # recovered now falls through to scan-result, which leads back to it
    (message,) = problems_of(data)
    assert message.startswith("stages[2]: the stages loop (scan-result → recovered → scan-result) (stage "
                              "'recovered' names no `next_stage`, so it goes on to the next stage in the file)")


def test_one_loop_is_reported_once_and_every_problem_at_once() -> None:
    data = branching_dict()
    data["stages"][3]["next_stage"] = "admitted"  # scan-result -> admitted -> (scan) scan-result
    assert len(problems_of(data)) == 1
    data = branching_dict()
    data["stages"][0]["question"]["options"][0]["next_stage"] = "nowhere"
    data["stages"][4]["question"]["options"][1]["next_stage"] = "nowhere-else"
    assert len(problems_of(data)) == 2


def test_without_next_stage_or_outcome_there_is_nothing_to_check() -> None:
    data = branching_dict()
    for stage in data["stages"]:
        stage.pop("next_stage", None)
        stage.pop("outcome", None)
        for o in (stage.get("question") or {}).get("options", []):
            o.pop("next_stage", None)
    assert problems_of(data) == []
    assert not case_from_dict(data).branching


@pytest.mark.parametrize("kind", ["check"])
def test_a_check_set_does_not_branch(kind: str) -> None:
    data = copy.deepcopy(branching_dict())
    data["kind"] = kind
    assert problems_of(data) == ["stages: a check set (`kind: check`) does not branch: remove `next_stage` and "
                                 "`outcome`, or make it a case (`kind: case`)"]
