"""Attempt records and their statistics (logic/attempts.py): first tries, tallies, the learner summary."""

from __future__ import annotations

from helpers import valid_export_dict

from mslbp_widgets.logic.attempts import first_attempts, summarise, tally_by_confidence, tally_by_mechanism


def test_summaries_use_first_tries(log):
    log.add("case-a", "q1", ["x"], "incorrect", 0.0, 5)
    log.add("case-a", "q1", ["y"], "correct", 1.0, 5)  # second try: not counted
    log.add("case-a", "q2", ["y"], "correct", 1.0, 5)
    log.add("case-b", "q1", ["y"], "correct", 1.0, 2)
    log.add("case-x", "q1", ["y"], "partly-correct", 0.5, None)
    mechanisms = {"case-a": ["spasticity"], "case-b": ["spasticity", "mechanical"]}
    s = summarise(log.attempts(), mechanisms)
    assert (s.questions, s.correct_first_try, s.unrated) == (3, 2, 0)  # case-x is not in the library: left out
    assert {k: (t.correct, t.total) for k, t in s.by_mechanism.items()} == {"spasticity": (2, 3), "mechanical": (1, 1)}
    assert {k: (t.correct, t.total) for k, t in s.by_confidence.items()} == {2: (1, 1), 5: (1, 2)}
    assert tally_by_mechanism(first_attempts(log.attempts()), mechanisms)["unknown"].total == 1


def test_tallies_accept_export_dicts():
    attempts = valid_export_dict()["attempts"] * 2
    assert len(first_attempts(attempts)) == 1
    assert tally_by_confidence(attempts)[4].proportion == 1.0
    assert tally_by_mechanism(attempts, {"case-a": ["mixed"]})["mixed"].total == 2
