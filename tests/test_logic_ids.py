"""The id format of every data file (logic/ids.py)."""

from __future__ import annotations


def test_ids_reject_trailing_newlines() -> None:
    from mslbp_widgets.logic.ids import is_kebab

    assert is_kebab("central-neuropathic")
    for bad in ("spasticity\n", "Bad", "a--b", "-a", "a-", "", None, 3):
        assert not is_kebab(bad), bad
