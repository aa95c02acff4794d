"""evaluate(): verdicts, scores, feedback for every option, findings for and against the choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from mslbp_widgets.logic.cases import load_case_file
from mslbp_widgets.logic.errors import SelectionError
from mslbp_widgets.logic.evaluate import evaluate

FIXTURES = Path(__file__).parent / "fixtures" / "cases"


@pytest.fixture(scope="module")
def single():
    return load_case_file(FIXTURES / "ok-minimal.yaml").question("q1")


@pytest.fixture(scope="module")
def multiple():
    return load_case_file(FIXTURES / "ok-multiple.yaml").question("q-multi")


def test_best_answer_is_correct(single) -> None:
    r = evaluate(single, "a", confidence=4)
    assert (r.verdict, r.score, r.verdict_label, r.confidence) == ("correct", 1.0, "Correct", 4)
    assert [fb.option.id for fb in r.chosen] == ["a"]
    assert r.chosen[0].option.feedback == "A is best because of F1."
    assert [f.text for f in r.supporting] == ["Finding one"] and r.against == ()


def test_acceptable_answer_gets_partial_credit(single) -> None:
    r = evaluate(single, ["b"])
    assert (r.verdict, r.score, r.verdict_label) == ("partly-correct", 0.5, "Partly correct")
    assert r.chosen[0].label == "Acceptable, but not the best"
    assert [o.id for o in r.best] == ["a"], "the result says which answer is best, and its feedback says why"


def test_wrong_answer_shows_findings_against_it(single) -> None:
    r = evaluate(single, "c")
    assert (r.verdict, r.score, r.verdict_label) == ("incorrect", 0.0, "Not correct")
    assert [f.text for f in r.against] == ["Finding one"] and r.supporting == ()
    assert r.teaching_point == "The teaching point."


def test_every_option_has_its_status_for_why_not_the_others(single) -> None:
    r = evaluate(single, "c")
    assert [(fb.option.id, fb.status, fb.label) for fb in r.all_options] == [
        ("a", "correct", "Best answer"),
        ("b", "acceptable", "Acceptable, but not the best"),
        ("c", "incorrect", "Not correct"),
    ]


@pytest.mark.parametrize(
    ("selection", "verdict", "score", "missed"),
    [
        (["a", "b"], "correct", 1.0, []),
        (["b", "a"], "correct", 1.0, []),
        (["a"], "partly-correct", 0.6667, ["b"]),  # 2 of 3 options judged right
        (["a", "b", "c"], "partly-correct", 0.6667, []),
        (["a", "c"], "partly-correct", 0.3333, ["b"]),  # some right, some not: partly, as the words say
        (["c"], "incorrect", 0.0, ["a", "b"]),  # nothing that should be ticked was ticked
    ],
)
def test_multiple_choice_scoring(multiple, selection, verdict, score, missed) -> None:
    r = evaluate(multiple, selection)
    assert (r.verdict, r.score) == (verdict, score)
    assert [o.id for o in r.missed] == missed
    assert r.selection == tuple(o for o in ("a", "b", "c") if o in selection), "selection kept in option order"
    assert {fb.label for fb in r.all_options} == {"Should be ticked", "Should not be ticked"}


def test_multiple_choice_score_in_words(multiple) -> None:
    r = evaluate(multiple, ["a", "c"])
    assert r.score_words == ("You ticked 1 of the 2 options that should be ticked, and 1 that should not be: "
                             "1 of 3 options judged right.")
    assert evaluate(multiple, ["a", "b"]).score_words.endswith("3 of 3 options judged right.")


@pytest.mark.parametrize(
    ("selection", "message"),
    [([], "choose an option"), ("", "choose an option"), ("zzz", "has no option 'zzz'"),
     (["a", "c"], "single choice: choose one option")],
)
def test_bad_selections_raise_selection_error(single, selection, message) -> None:
    with pytest.raises(SelectionError, match=message):
        evaluate(single, selection)


@pytest.mark.parametrize("confidence", [0, 6, 2.5, True, "3"])
def test_confidence_must_be_1_to_5(single, confidence) -> None:
    with pytest.raises(SelectionError, match="confidence"):
        evaluate(single, "a", confidence=confidence)


def test_display_order_is_a_stable_shuffle_unless_turned_off() -> None:
    from mslbp_widgets.logic.records import replace

    q = load_case_file(FIXTURES / "ok-multiple.yaml").question("q-multi")
    wide = replace(q, options=tuple(replace(q.options[0], id=f"o{i}") for i in range(8)))
    shown = wide.display_options()
    assert sorted(o.id for o in shown) == sorted(o.id for o in wide.options), "a permutation of the options"
    assert shown == wide.display_options(), "the same order every time (and on every machine: seeded by ids)"
    assert [o.id for o in shown] != [o.id for o in wide.options], "eight options are not left in file order"
    assert replace(wide, shuffle=False).display_options() == wide.options


def test_the_course_does_not_give_away_the_answer_by_position() -> None:
    from mslbp_widgets.logic.cases import case_library, check_library

    singles = [q for lib in (case_library(), check_library()) for c in lib.values() for q in c.questions
               if q.type == "single"]
    first = sum(q.display_options()[0].correct for q in singles)
    assert len(singles) >= 20
    assert first / len(singles) < 0.5, f"the best answer is shown first in {first} of {len(singles)} questions"


def test_a_finding_for_one_ticked_option_and_against_another_is_mixed(multiple) -> None:
    from mslbp_widgets.logic.cases.model import Finding
    from mslbp_widgets.logic.records import replace

    q = replace(multiple, findings=(Finding("F-both", supports=("a",), argues_against=("c",)),
                                                Finding("F-pro", supports=("b",))))
    r = evaluate(q, ["a", "b", "c"])
    assert [f.text for f in r.mixed] == ["F-both"]
    assert [f.text for f in r.supporting] == ["F-pro"] and r.against == ()
    r = evaluate(q, ["c"])
    assert [f.text for f in r.against] == ["F-both"] and r.mixed == ()


def test_options_come_back_in_display_order(single) -> None:
    r = evaluate(single, "c")
    assert [fb.option.id for fb in r.all_options] == [o.id for o in single.display_options()]


def test_set_score_counts_first_tries_and_names_what_to_revisit(multiple) -> None:
    from mslbp_widgets.logic.cases.model import Stage
    from mslbp_widgets.logic.evaluate import set_score

    stages = [Stage("s1", "1. Ticks", "text", multiple), Stage("s2", "2. Unanswered", "text", multiple),
              Stage("intro", "Intro", "text")]
    score = set_score(stages[:1], {multiple.id: evaluate(multiple, ["a", "b"])})
    assert (score.right, score.total, score.revisit, str(score)) == (1, 1, (), "1 of 1 right at the first try")
    wrong_first = set_score(stages, {multiple.id: evaluate(multiple, ["a"])})
    assert (wrong_first.right, wrong_first.total) == (0, 2)
    assert wrong_first.revisit == (f"1. Ticks: {multiple.prompt}", f"2. Unanswered: {multiple.prompt}")
