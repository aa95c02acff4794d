"""Synthetic exports (classroom/samples.py): valid, deterministic, and the bundled ones current."""

from __future__ import annotations

from pathlib import Path

from helpers import CASE_ID
from helpers import as_bytes as _bytes

from mslbp_widgets.classroom import samples as aggregate_samples
from mslbp_widgets.classroom.exports import (
    load_exports,
)
from mslbp_widgets.classroom.tally import tally
from mslbp_widgets.logic import export_format


def test_bundled_sample_exports_are_all_accepted_and_current() -> None:
    """data/sample-exports (synthetic, for the instructor notebook) must match today's case bank.
    If this fails after a case was edited, regenerate them:
    python -c "from mslbp_widgets.classroom.tally import *; write_synthetic_exports(sample_exports_folder())"."""
    data = load_exports(aggregate_samples.sample_exports_folder())
    assert len(data.reports) >= 10
    assert all(r.accepted for r in data.reports), [r for r in data.reports if not r.accepted]
    assert all(r.name.startswith("synthetic-learner-") for r in data.reports)
    t = tally(data)
    assert t.unknown_questions == ()
    assert all(q.unknown.count == 0 for q in t.questions)
    assert {q.case_id for q in t.questions} == set(aggregate_samples.SAMPLE_CASES)


def test_synthetic_exports_are_valid_and_deterministic(library: dict) -> None:
    docs = aggregate_samples.synthetic_exports(library, case_ids=[CASE_ID], n_learners=5, seed=7)
    again = aggregate_samples.synthetic_exports(library, case_ids=[CASE_ID], n_learners=5, seed=7)
    assert docs == again and len(docs) == 5
    for doc in docs:
        assert export_format.schema_errors(doc) == []
    data = load_exports([(f"{i}.json", _bytes(d)) for i, d in enumerate(docs)])
    assert len(data.accepted) == 5
    t = tally(data, library)
    assert all(q.n_learners == 5 for q in t.questions)


def test_write_synthetic_exports(tmp_path: Path, library: dict) -> None:
    paths = aggregate_samples.write_synthetic_exports(tmp_path / "new", library, case_ids=[CASE_ID], n_learners=3)
    assert [p.name for p in paths] == [f"synthetic-learner-0{i}.json" for i in (1, 2, 3)]
    assert len(load_exports(tmp_path / "new").accepted) == 3


def test_synthetic_learners_of_a_branching_case_answer_only_the_questions_on_their_path() -> None:
    from helpers import branching_case

    from mslbp_widgets.logic.cases.branching import next_index

    case = branching_case()
    docs = aggregate_samples.synthetic_exports({case.id: case}, case_ids=[case.id], n_learners=8, seed=3)
    paths = set()
    for doc in docs:
        assert export_format.schema_errors(doc) == []
        firsts: dict[str, dict] = {}
        for a in doc["attempts"]:
            firsts.setdefault(a["question_id"], a)
        index, path = 0, []
        while index is not None:  # the path the learner's first answers take
            stage = case.stages[index]
            path.append(stage.id)
            a = firsts.get(stage.question.id) if stage.question else None
            assert stage.question is None or a is not None, (stage.id, "a question on the path was not answered")
            index = next_index(case, index, (a or {}).get("selection", ()))
        assert [a["stage_id"] for a in firsts.values()] == [s for s in path if case.stage(s).question is not None]
        paths.add(tuple(path))
    assert len(paths) >= 2  # the learners do not all take the same way
