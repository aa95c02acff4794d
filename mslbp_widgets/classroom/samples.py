"""Synthetic learners' exports, for trying the class tally before a class (and the bundled data/sample-exports).
Nothing here describes a real person."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..logic.attempts import Attempt, answer_json
from ..logic.cases import course_library
from ..logic.cases.branching import next_index
from ..logic.cases.qtypes import QTYPES
from ..logic.evaluate import evaluate
from ..logic.export_format import export_document
from ..logic.paths import data_dir
from .qtypes_tally import sample_answer


def sample_exports_folder() -> Path:
    """The bundled synthetic sample exports (data/sample-exports), for trying the class tally."""
    return data_dir() / "sample-exports"


#: Cases used for the bundled sample exports: the first session's three cases and its live case (see the instructor
#: guide's three-session plan), then one case of each richer format: a branching relapse, a numeric question and a
#: branching emergency with an ordering question.
SAMPLE_CASES = (
    "lhermitte-shock-on-neck-flexion",
    "burning-band-from-thoracic-cord-lesion",
    "lifting-strain-with-stable-ms",
    "three-pains-in-one-back",
    "pulling-back-pain-worse-on-waking",
    "tight-band-round-the-ribs-and-heavy-legs",
    "aching-shoulder-and-back-with-a-borrowed-stick",
    "saddle-numbness-put-down-to-ms",
)


def synthetic_exports(
    library: Mapping[str, Any], case_ids: Iterable[str] = SAMPLE_CASES, n_learners: int = 12, seed: int = 20261121
) -> list[dict[str, Any]]:
    """Invented learners' exports (the current format) answering `case_ids`, for trying the class tally before a class.

    Each synthetic learner has a random skill; a wrong single-choice answer favours one tempting wrong option, so
    the tally has a "most common wrong answer" to discuss; some questions are retried until correct. Verdicts come
    from `evaluate`. In a branching case each learner answers the questions on the path their first answer at
    each decision takes, as in the course (each attempt names its stage). Deterministic for a given seed and
    library. Nothing here describes a real person.
    """

    rng = random.Random(seed)
    cases = [library[c] for c in case_ids]

    def pick(q: Any, skill: float) -> Any:
        if q.type in QTYPES:  # matching, ordering, numeric: classroom/qtypes_tally.sample_answer
            return sample_answer(q, skill, rng)
        if q.type == "single":
            if rng.random() < skill:
                return [q.best[0].id]
            wrong = [o for o in q.options if not o.correct]
            return [rng.choices(wrong, [3] + [1] * (len(wrong) - 1))[0].id]
        sel = [o.id for o in q.options
               if rng.random() < ((0.6 + skill / 3) if o.correct else (0.3 * (1 - skill) + 0.05))]
        return sel or [q.best[0].id]

    docs = []
    for n in range(1, n_learners + 1):
        skill = rng.uniform(0.35, 0.85)
        attempts = []
        minute = 0
        for case in cases:
            index: int | None = 0
            while index is not None:  # the learner's own path: a branching case follows their first answer
                stage = case.stages[index]
                q = stage.question
                if q is None:
                    index = next_index(case, index)
                    continue
                first: Any = None
                for attempt_no in range(2):
                    selection = pick(q, skill) if attempt_no == 0 else (
                        sample_answer(q, 1.0, rng) if q.type in QTYPES else [o.id for o in q.best])
                    confidence = rng.choice([None, 2, 3, 3, 4, 4, 5]) if attempt_no == 0 else None
                    r = evaluate(q, selection, confidence)
                    first = r if first is None else first
                    minute += rng.randint(1, 3)
                    attempts.append({
                        "attempt_id": f"{rng.getrandbits(128):032x}", "case_id": case.id, "question_id": q.id,
                        "stage_id": stage.id,
                        **({"selection": list(r.selection)} if r.answer is None else {"answer": answer_json(r.answer)}),
                        "verdict": r.verdict, "score": r.score,
                        "confidence": confidence,
                        "time": f"2026-11-21T{10 + minute // 60:02d}:{minute % 60:02d}:00Z",
                    })
                    if r.verdict == "correct" or rng.random() < 0.5:
                        break
                index = next_index(case, index, first.selection if first.answer is None else ())
        docs.append(export_document(f"{rng.getrandbits(128):032x}", [Attempt.from_dict(a) for a in attempts],
                                    f"2026-11-21T12:{n % 60:02d}:00Z"))
    return docs


def write_synthetic_exports(folder: str | os.PathLike[str], library: Mapping[str, Any] | None = None,
                            **kwargs: Any) -> list[Path]:
    """Write `synthetic_exports(...)` as `synthetic-learner-NN.json` files into `folder` (created if needed).

    This is how data/sample-exports was made: `write_synthetic_exports(sample_exports_folder())`.
    """
    lib = course_library() if library is None else library
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, doc in enumerate(synthetic_exports(lib, **kwargs), start=1):
        path = out / f"synthetic-learner-{n:02d}.json"
        path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
