"""The case bank's coverage (logic/cases/coverage.py): cases by scenario type and difficulty, richer formats."""

from __future__ import annotations

from helpers import branching_case, variant

from mslbp_widgets.logic.cases.coverage import bank_coverage
from mslbp_widgets.logic.datafiles import ScenarioType

TYPES = {
    "mixed": ScenarioType("mixed", "Mixed pain", "Several mechanisms.", 2),
    "relapse": ScenarioType("relapse", "A true relapse", "New inflammation.", 1),
    "tonic-spasms": ScenarioType("tonic-spasms", "Painful tonic spasms", "Brief posturing.", 1),
}


def test_counts_by_type_and_difficulty_and_notes_the_types_short_of_target() -> None:
    cases = [variant("a", ["mixed"], "introductory"), variant("b", ["mixed"], "advanced"),
             variant("c", ["mixed"], "advanced", scenario="relapse"),
             variant("d", ["mixed"], "advanced", scenario="heat-uhthoff")]  # a type not in TYPES
    cov = bank_coverage(cases, TYPES)
    assert [(t.type.id, t.by_difficulty, t.met) for t in cov.types] == [
        ("mixed", (1, 0, 1), True), ("relapse", (0, 0, 1), True), ("tonic-spasms", (0, 0, 0), False)]
    assert cov.cases == 4 and cov.covered == 2 and cov.untyped == ("d",)
    assert cov.difficulty == {"introductory": 1, "advanced": 3}
    assert [t.type.id for t in cov.short] == ["tonic-spasms"]
    first, *notes = cov.lines()
    assert first.startswith("Case bank: 4 case(s); 2 of 3 scenario types covered; 1 introductory, 0 intermediate, "
                            "3 advanced; 0 branching, 0 with a table or picture, 0 with a matching")
    assert notes == ["note: scenario type 'tonic-spasms' (Painful tonic spasms) has 0 case(s); the course aims for 1.",
                     "note: case(s) without a known scenario type: d"]


def test_check_sets_are_left_out_and_formats_are_counted() -> None:
    from helpers import all_features_case, example_case

    cases = [branching_case(), all_features_case(), example_case(id="plain"), example_case(id="a-check", kind="check")]
    cov = bank_coverage(cases, TYPES)
    assert cov.cases == 3 and cov.branching == 2 and cov.with_media == 2 and cov.with_new_types == 1


def test_the_table_has_a_row_per_type_and_a_total_row() -> None:
    cov = bank_coverage([variant("a", ["mixed"], "introductory"), variant("b", ["mixed"], "intermediate")], TYPES)
    table = cov.table()
    assert table.columns == ("Kind of case", "Cases", "Levels")
    both = "1 introductory, 1 intermediate"
    assert table.rows == (("Mixed pain", "2", both), ("A true relapse", "0", "none yet"),
                          ("Painful tonic spasms", "0", "none yet"), ("All cases", "2", both))
    assert table.caption.startswith("The case bank: 2 synthetic cases of 1 kind. 0 branch on your decisions")


def test_minutes_grow_with_the_text_and_the_questions_and_span_a_branching_cases_paths() -> None:
    from helpers import example_case

    from mslbp_widgets.logic.cases.coverage import READING_WPM, minutes

    short = example_case()
    low, high = minutes(short)
    assert low == high >= 1
    longer = example_case(summary=short.summary + " word" * (READING_WPM * 3))
    assert minutes(longer)[0] == low + 3
    low, high = minutes(branching_case())
    assert low < high  # its paths differ in length
