"""Prevalence tables (data/epidemiology) and their chart (mslbp_widgets.tools.epidemiology)."""

from __future__ import annotations

import pytest

from mslbp_widgets.logic.errors import DataValidationError
from mslbp_widgets.tools.epidemiology import get_prevalence, load_prevalence

HEADER = "pain_type,prevalence_pct,ci_low_pct,ci_high_pct,source_key,note\n"


def test_foley_table_has_the_published_figures_with_cis():
    rows = {r.pain_type: r for r in get_prevalence("foley-2013-prevalence")}
    expected = {
        "Any pain (overall)": (63, 55, 70), "Headache": (43, 33, 52), "Neuropathic extremity pain": (26, 7, 53),
        "Back pain": (20, 13, 28), "Painful Lhermitte's sign": (16, 10, 25), "Painful spasms": (15, 8.5, 23),
        "Trigeminal neuralgia": (3.8, 2, 6),
    }
    assert {k: (r.prevalence_pct, r.ci_low_pct, r.ci_high_pct) for k, r in rows.items()} == expected
    assert all(r.source_key == "foley-2013" for r in rows.values())
    assert "not low back pain" in rows["Back pain"].note
    assert rows["Back pain"].label == "20% (95% CI 13–28%)"


def test_table_names_are_kebab_case():
    with pytest.raises(DataValidationError, match="not a kebab-case"):
        get_prevalence("../secrets")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "columns must be exactly"),
        ("pain,pct\n", "columns must be exactly"),
        (HEADER, "has a header but no data rows"),
        (HEADER + "Back pain,twenty,13,28,foley-2013,\n", "line 2.prevalence_pct: 'twenty' is not a number"),
        (HEADER + "Back pain,20,21,28,foley-2013,\n", "line 2.prevalence_pct: must lie within its confidence"),
        (HEADER + "Back pain,120,13,128,foley-2013,\n", "is not a percentage between 0 and 100"),
        (HEADER + "Back pain,20,13,28,nobody-2000,\n", "line 2.source_key: 'nobody-2000' is not a key"),
        (HEADER + "Back pain,20,13,28,foley-2013,a, b\n", "line 2: has 7 cells; expected 6"),
        (HEADER + "Back pain,20,13,28,foley-2013,\nBack pain,20,13,28,foley-2013,\n", "line 3.pain_type"),
    ],
    ids=["empty", "bad-header", "no-rows", "not-number", "outside-ci", "over-100", "unknown-source",
         "unquoted-comma", "duplicate"],
)
def test_bad_tables_fail_with_file_line_and_column(tmp_path, body, message):
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_prevalence(path)
    assert message in str(info.value)
    assert "bad.csv" in str(info.value)


def test_missing_table_and_bad_name():
    with pytest.raises(DataValidationError, match="file not found"):
        get_prevalence("no-such-table")
