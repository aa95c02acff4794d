"""What several test files share: the example case, export documents, and walking a widget tree."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from mslbp_widgets.logic.cases.model import Case, case_from_dict

REPO = Path(__file__).resolve().parent.parent
EXPORT_FIXTURES = REPO / "tests" / "fixtures" / "exports"
CASE_ID = "lhermitte-shock-on-neck-flexion"
CASE_FILE = REPO / "data" / "cases" / f"{CASE_ID}.yaml"


def case_dict() -> dict:
    """The example case's YAML as a mapping (a fresh copy each time, safe to change)."""
    return yaml.safe_load(CASE_FILE.read_text(encoding="utf-8"))


def example_library(mutate: Any = None) -> dict[str, Case]:
    """{CASE_ID: the example case}, optionally after ``mutate(mapping)`` changed its YAML."""
    data = case_dict()
    if mutate is not None:
        mutate(data)
    return {CASE_ID: case_from_dict(data, source=str(CASE_FILE))}


def export(learner: str, attempts: list[dict], exported_at: str = "2026-11-21T12:00:00Z") -> dict:
    """An export document (format version 1)."""
    return {"format": "mslbp-attempts", "version": 1, "learner_id": learner, "exported_at": exported_at,
            "attempts": attempts}


def attempt(n: int, question: str = "classification", selection: tuple[str, ...] = ("lhermitte",),
            verdict: str = "correct", confidence: int | None = 3, time: str = "2026-11-21T11:00:00Z") -> dict:
    """One attempt of an export document at the example case."""
    return {"attempt_id": f"{n:032x}", "case_id": CASE_ID, "question_id": question, "selection": list(selection),
            "verdict": verdict, "score": 1.0 if verdict == "correct" else 0.0, "confidence": confidence,
            "time": time}


def as_bytes(obj: object) -> bytes:
    return json.dumps(obj).encode()


def upload_entry(name: str, raw: bytes) -> dict:
    """One FileUpload value entry, as ipywidgets 8 stores it after a browser upload."""
    return {"name": name, "type": "application/json", "size": len(raw),
            "last_modified": dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc), "content": memoryview(raw)}


def walk(w: Any) -> Iterator[Any]:
    """A widget and every widget inside it."""
    yield w
    for child in getattr(w, "children", ()) or ():
        yield from walk(child)


def html_values(w: Any) -> list[str]:
    """The value of every HTML widget in a widget tree."""
    import ipywidgets as widgets

    return [c.value for c in walk(w) if isinstance(c, widgets.HTML)]


def figures(w: Any) -> list:
    """Every plotly figure shown in a widget tree (the figure of each FigureView)."""
    from mslbp_widgets.ui.figure_view import FigureView

    return [c.figure for c in walk(w) if isinstance(c, FigureView) and c.figure is not None]


def letter_of(library: dict, question_id: str, text_start: str) -> str:
    """The letter learners see for an option of the example case: its place in `Question.display_options()`."""
    q = library[CASE_ID].question(question_id)
    return next(letter for letter, o in q.lettered_options() if o.text.startswith(text_start))


#: What a hostile export fixture carries and no page may render as markup.
HOSTILE_MARKERS = ("<script", "<img", "<b>quiz", "<i>afternoon")


def assert_nothing_hostile_rendered(w: Any) -> None:
    """No HTML widget or figure in the tree carries a hostile fixture's markup unescaped."""
    for value in html_values(w):
        low = value.lower()
        for marker in HOSTILE_MARKERS:
            assert marker not in low, (marker, value[:300])
    for fig in figures(w):
        low = fig.to_json().lower()
        assert "<script" not in low and "<img" not in low


def example_dict(**changes: Any) -> dict:
    """The example case's YAML mapping with top-level fields replaced."""
    data = case_dict()
    data.update(changes)
    return data


def example_case(**changes: Any) -> Case:
    return case_from_dict(example_dict(**changes), source=str(CASE_FILE))


def variant(case_id: str, mechanisms: list[str], difficulty: str) -> Case:
    """A copy of the example case under another id, mechanisms and difficulty (for filters)."""
    data = example_dict(id=case_id, title=f"Case {case_id}")
    data["tags"] = {"mechanisms": mechanisms, "red_flag": False, "difficulty": difficulty}
    return case_from_dict(data)


def answer(view: Any, choice: str | tuple[str, ...] | list[str], confidence: int = 3) -> None:
    """Answer a stage as a learner would: choose (or tick), rate confidence, press Check answer."""
    if isinstance(choice, str):
        view.choice.value = choice
    else:
        for oid, box in view.checkboxes.items():
            box.value = oid in choice
    view.confidence.value = confidence
    view.check_button.click()


def visible_html(w: Any) -> str:
    """All HTML text under a widget (what a learner can read), tags removed."""
    import re

    return re.sub(r"<[^>]+>", " ", " ".join(html_values(w)))


def upload_value(name: str, content: bytes) -> tuple[dict, ...]:
    """A FileUpload value holding one file."""
    return (upload_entry(name, content),)


def valid_export_dict(n_attempts: int = 1) -> dict:
    """A small valid export document (`n_attempts` attempts, one by default), safe to change."""
    first = {"attempt_id": "fedcba9876543210fedcba9876543210", "case_id": "case-a", "question_id": "q",
             "selection": ["x"], "verdict": "correct", "score": 1.0, "confidence": 4, "time": "2026-11-21T11:58:03Z"}
    return {
        "format": "mslbp-attempts",
        "version": 1,
        "learner_id": "0123456789abcdef0123456789abcdef",
        "exported_at": "2026-11-21T12:00:00Z",
        "attempts": [first] + [{**first, "attempt_id": f"{n:032x}", "question_id": f"q{n}"}
                              for n in range(1, n_attempts)],
    }
