"""Item-writing checks (logic/cases/items.py): each rule warns with the file, question and option, and the bank
figures count what a test-wise learner would exploit."""

from __future__ import annotations

import pytest

from mslbp_widgets.logic.cases.items import bank_figures, item_warnings
from mslbp_widgets.logic.cases.model import Case, Option, Question, Stage
from mslbp_widgets.logic.records import replace


def make_case(prompt: str, texts: list[str], correct: int = 0, kind: str = "single") -> Case:
    options = tuple(Option(f"o{i}", t, correct=(i == correct) if kind == "single" else i <= correct, feedback="f")
                    for i, t in enumerate(texts))
    q = Question("q1", prompt, kind, options, teaching_point="t")
    return Case("c", "T", True, "2026-12-06", ("mechanical",), False, "introductory", "s",
                (Stage("s1", "Stage", "text", q),), "next", ("foley-2013",), source="data/cases/c.yaml")


BALANCED = ["Check the temperature first", "Order a lumbar MRI today", "Start relapse steroids now",
            "Refer for walking review"]


def messages(case: Case) -> list[str]:
    return [str(w) for w in item_warnings(case)]


def test_a_balanced_question_has_no_warning() -> None:
    assert messages(make_case("What should be checked first?", BALANCED)) == []


@pytest.mark.parametrize(
    ("prompt", "texts", "expected"),
    [
        ("What first?", ["Check her temperature and her urine, looking for an infection as the trigger"] + BALANCED[1:],
         "data/cases/c.yaml: stages[0].question (q1).options[0] (o0): the best answer"),
        ("What first?", ["Fever", *BALANCED[1:]], "options of very unequal length"),
        ("What first?", [*BALANCED[:3], "All of the above"], "all / none of the above"),
        ("What first?", [BALANCED[0], "Always order a lumbar MRI", *BALANCED[2:]],
         "absolute word(s) only a distractor"),
        ("Which is not a red flag?", BALANCED, "negative stem ('not')"),
    ],
    ids=["best-much-longer", "unequal", "all-of-the-above", "absolute-word", "negative-stem"],
)
def test_each_rule_warns_with_file_question_and_option(prompt: str, texts: list[str], expected: str) -> None:
    found = messages(make_case(prompt, texts))
    assert any(expected in m for m in found), found


def test_a_bold_not_is_allowed() -> None:
    assert messages(make_case("Which is **NOT** a red flag?", BALANCED)) == []


def test_bank_figures_count_the_longest_best_answers() -> None:
    longest = make_case("Q?", ["The best answer is the longest one here", "Short wrong one", "Other wrong one"])
    shortest = make_case("Q?", ["Best", "A longer wrong answer", "Another wrong one"])
    multiple = replace(make_case("Q?", BALANCED, correct=1, kind="multiple"), id="m")
    figures = bank_figures([longest, shortest, multiple])
    assert (figures.single_choice, figures.best_is_longest) == (2, 1)
    assert figures.longest_share == 0.5 and not figures.within_targets()
    assert "1 of 2 single-choice questions (50%" in str(figures)


def test_item_checks_run_on_a_branching_case() -> None:
    import copy

    from helpers import BRANCHING_FILE, branching_dict

    from mslbp_widgets.logic.cases.model import case_from_dict

    data = branching_dict()
    assert item_warnings(case_from_dict(copy.deepcopy(data), source=str(BRANCHING_FILE))) == []
    # A give-away on a question of a stage reached only through a branch is still found, named by its place in the
    # file (branching does not change the field paths) and its question id.
    data["stages"][4]["question"]["options"][1]["text"] = "Always reassure and review tomorrow"
    data["stages"][4]["question"]["options"][0]["next_stage"] = "admitted"
    case = case_from_dict(data, source=str(BRANCHING_FILE))
    (warning,) = item_warnings(case)
    assert warning.field == "stages[4].question (phone).options[1] (reassure)"
    assert "absolute word(s) only a distractor carries (always)" in warning.message
    assert bank_figures([case]).single_choice == 2


def test_new_question_types_get_their_own_notes_not_the_option_rules() -> None:
    """Matching, ordering and numeric questions have no options: no option-length rule runs (nothing crashes on
    the empty options), their own notes do, and the negative stem is checked for every type."""
    from helpers import qtypes_case

    case = qtypes_case()
    assert item_warnings(case) == []
    m = case.question("match-findings")
    one_kind = replace(m, prompt="Which finding is NOT neuropathic?",
                                   items=tuple(replace(i, category="mechanical") for i in m.items))
    stages = tuple(replace(s, question=one_kind) if s.question is m else s for s in case.stages)
    found = messages(replace(case, stages=stages))
    assert len(found) == 2
    assert "stages[0].question (match-findings).items: every item belongs to the same category" in found[0]
    assert "stages[0].question (match-findings).prompt: negative stem ('NOT')" in found[1]
    assert bank_figures([case]).single_choice == 0  # the bank figures count single choice only
