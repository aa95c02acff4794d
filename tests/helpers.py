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
#: The branching test case: a decision with three ways on, a multiple-choice detour, two endings, a table, a picture.
BRANCHING_FILE = REPO / "tests" / "fixtures" / "cases" / "ok-branching.yaml"


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


def branching_dict() -> dict:
    """The branching test case's YAML as a mapping (a fresh copy each time, safe to change)."""
    return yaml.safe_load(BRANCHING_FILE.read_text(encoding="utf-8"))


def branching_case() -> Case:
    """The branching test case (tests/fixtures/cases/ok-branching.yaml), validated."""
    from mslbp_widgets.logic.cases import load_case_file

    return load_case_file(BRANCHING_FILE)


def branching_exports() -> dict[str, bytes]:
    """Four learners' exports at the branching test case ({file name: bytes}). First answers at `decision`:
    send-home, send-home, admit, phone-review; learner 1 then tried again with admit (a later attempt, not counted
    for the branch). At `tests` (on the ward): learner 3 ticked culture and scan."""
    def one(n: int, question: str, selection: tuple[str, ...], time: str, stage: str) -> dict:
        return {"attempt_id": f"{n:032x}", "case_id": "ok-branching", "question_id": question,
                "selection": list(selection), "verdict": "incorrect", "score": 0.0, "confidence": 3, "time": time,
                "stage_id": stage}

    learners = {
        "a.json": [one(1, "decision", ("send-home",), "2026-12-01T10:00:00Z", "presentation"),
                   one(2, "decision", ("admit",), "2026-12-01T10:01:00Z", "presentation")],
        "b.json": [one(3, "decision", ("send-home",), "2026-12-01T10:00:00Z", "presentation")],
        "c.json": [one(4, "decision", ("admit",), "2026-12-01T10:00:00Z", "presentation"),
                   one(5, "tests", ("culture", "scan"), "2026-12-01T10:02:00Z", "admitted")],
        "d.json": [one(6, "decision", ("phone-review",), "2026-12-01T10:00:00Z", "presentation")],
    }
    return {name: as_bytes(export(f"{i + 1:032x}", attempts)) for i, (name, attempts) in enumerate(learners.items())}


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
    """The HTML of every HTML widget in a widget tree (also live regions, and a question group's label)."""
    import ipywidgets as widgets

    from mslbp_widgets.ui.accessible import ChoiceGroup, LiveHTML

    return [c.label_html if isinstance(c, ChoiceGroup) else c.value for c in walk(w)
            if isinstance(c, (widgets.HTML, LiveHTML, ChoiceGroup))]


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


def variant(case_id: str, mechanisms: list[str], difficulty: str, scenario: str = "mixed") -> Case:
    """A copy of the example case under another id, mechanisms, difficulty and scenario type (for filters)."""
    data = example_dict(id=case_id, title=f"Case {case_id}")
    data["tags"] = {**data["tags"], "mechanisms": mechanisms, "red_flag": False, "difficulty": difficulty,
                    "scenario": scenario}
    return case_from_dict(data)


def answer(view: Any, choice: str | tuple[str, ...] | list[str], confidence: int = 3) -> None:
    """Answer a stage as a learner would: choose (or tick), rate confidence, press Check answer."""
    view.choices.value = choice if isinstance(choice, str) else list(choice)
    view.confidence.value = confidence
    view.check_button.click()


def press_download(button: Any) -> tuple[dict, bytes]:
    """Press a DownloadButton as its front end does (the message the browser sends) and return what the kernel
    sends back: the message ({"do": "save", "name", "mime"} or {"do": "failed", "message"}) and the file's bytes."""
    sent: list[tuple[dict, list]] = []
    button.send = lambda content, buffers=None: sent.append((content, list(buffers or [])))
    try:
        button._handle_custom_msg({"do": "download"}, [])
    finally:
        del button.send
    assert len(sent) == 1, sent
    content, buffers = sent[0]
    return content, b"".join(bytes(b) for b in buffers)


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


QTYPES_CASE_FILE = REPO / "tests" / "fixtures" / "cases" / "ok-question-types.yaml"
#: The right answers of the question-types fixture (matching, numeric, ordering), by question id.
QTYPES_RIGHT: dict[str, Any] = {
    "match-findings": {"burning-band": "neuropathic", "worse-lifting": "mechanical",
                       "neck-flexion-shock": "neuropathic", "stiff-after-sitting": "mechanical"},
    "dn4-score": 5,
    "visit-order": ["history", "examination", "decide", "explain"],
}


def qtypes_case() -> Case:
    """The synthetic fixture case with one matching, one numeric and one ordering question."""
    from mslbp_widgets.logic.cases import load_case_file

    return load_case_file(QTYPES_CASE_FILE)


def range_question() -> Any:
    """A synthetic numeric question whose accepted range is several values wide (79 to 81 cm), with a close band on
    each side (78, 82) and a labelled wrong band below, an unlabelled one above: the fixture's DN4 range is one
    value."""
    from mslbp_widgets.logic.cases.qtypes import qtype_from_dict

    return qtype_from_dict({
        "id": "stick-length", "prompt": "How long should the stick be?", "type": "numeric", "unit": "cm",
        "teaching_point": "Fit the stick to the wrist crease.", "min": 60, "max": 110,
        "bands": [{"from": 60, "to": 77, "label": "too short", "feedback": "Measure her in her shoes."},
                  {"from": 78, "to": 78, "acceptable": True, "feedback": "Nearly: use the shoe measurement."},
                  {"from": 79, "to": 81, "correct": True, "feedback": "Her wrist crease in her shoes."},
                  {"from": 82, "to": 82, "acceptable": True, "feedback": "Nearly: a little long."},
                  {"from": 83, "to": 110, "feedback": "Her elbow would bend too much."}]})


#: The case that uses every feature together: a table, a picture, a decision with two endings, and a matching, a
#: numeric and an ordering question (the same question ids as the question-types fixture, so QTYPES_RIGHT holds).
ALL_FEATURES_FILE = REPO / "tests" / "fixtures" / "cases" / "ok-all-features.yaml"


def all_features_case() -> Case:
    """The synthetic fixture case with branching, a table, a picture and each new question type."""
    from mslbp_widgets.logic.cases import load_case_file

    return load_case_file(ALL_FEATURES_FILE)


def answer_qtype(view: Any, answer: Any, confidence: int | None = 3) -> None:
    """Answer a matching, ordering or numeric stage as a learner would: set the controls, rate confidence, Check.

    Ordering is done with the Move up / Move down buttons only (a bubble sort towards ``answer``)."""
    from mslbp_widgets.ui.qtypes import MatchingInput, NumericInput, OrderingInput

    box = view.answer_input
    if isinstance(box, MatchingInput):
        for item, radio in box.radios.items():
            radio.value = answer.get(item) or None
    elif isinstance(box, NumericInput):
        box.text.value = str(answer)
    elif isinstance(box, OrderingInput):
        target = list(answer)
        for _ in range(len(target) ** 2):
            i = next((i for i in range(len(target) - 1)
                      if target.index(box.order[i]) > target.index(box.order[i + 1])), None)
            if i is None:
                break
            box.down[i].click()
    if confidence is not None:
        view.confidence.value = confidence
    view.check_button.click()


# --------------------------------------------------------------------------------------------- the course as a remote
# (tests/test_hub_pull.py and tests/browser/test_hub.py: nbgitpuller pulls from a file:// clone of this repository)

#: Git identity and configuration for the author's commits in tests (no global or system git configuration read).
GIT_ENV = {"GIT_AUTHOR_NAME": "Course author", "GIT_AUTHOR_EMAIL": "author@example.org",
           "GIT_COMMITTER_NAME": "Course author", "GIT_COMMITTER_EMAIL": "author@example.org",
           "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}


def git(*args: str, cwd: Path) -> str:
    import os
    import subprocess

    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def course_remote(tmp: Path) -> tuple[Path, str]:
    """(the author's working copy, the ``file://`` address of a bare remote ``ms-low-back-pain.git``) holding this
    repository's files as they are now (tracked and new files, not ignored ones), on branch main."""
    import shutil

    author = tmp / "author"
    files = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO).split("\0")
    for rel in filter(None, files):
        src = REPO / rel
        if src.is_file() and not src.is_symlink():
            (author / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, author / rel)
    git("init", "-q", "-b", "main", cwd=author)
    git("add", "-A", cwd=author)
    git("commit", "-q", "-m", "The course", cwd=author)
    bare = tmp / "remote" / "ms-low-back-pain.git"
    bare.parent.mkdir(parents=True)
    git("clone", "-q", "--bare", str(author), str(bare), cwd=tmp)
    git("remote", "add", "origin", str(bare), cwd=author)
    return author, bare.as_uri()


def author_commits(author: Path, message: str) -> None:
    """Commit everything in the author's copy and push it to the remote."""
    git("add", "-A", cwd=author)
    git("commit", "-q", "-m", message, cwd=author)
    git("push", "-q", "origin", "main", cwd=author)


def install_package(source: Path, target: Path) -> Path:
    """Install the course package from ``source`` into ``target`` as a hub image does (a regular install, not in
    place; no dependencies: the test's environment has them). Returns ``target``, for PYTHONPATH."""
    import shutil
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                        "--target", str(target), str(source)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    if (source / "build").is_dir():
        shutil.rmtree(source / "build")
    return target


def right_answer(q: Any) -> Any:
    """The right answer to a matching, ordering or numeric question, as a learner gives it (answer_qtype)."""
    import random

    from mslbp_widgets.classroom.qtypes_tally import sample_answer

    return sample_answer(q, 1.0, random.Random(0))


def walk_path(scenario: Any, path: Any) -> None:
    """Answer each stage of `path` (branching.paths) with the options that take its branch (a matching, numeric or
    ordering question: its right answer); press Next/Finish."""
    case = scenario.case
    for step in path:
        view = scenario.current
        assert view.stage.id == case.stages[step.index].id
        q = view.question
        if q is not None and q.type in ("matching", "numeric", "ordering"):
            answer_qtype(view, right_answer(q))
            assert view.result is not None and view.result.verdict == "correct", (q.id, view.message.value)
        elif q is not None:
            chosen = step.branch.option_ids[:1] if q.type == "single" else step.branch.option_ids
            answer(view, chosen[0] if q.type == "single" else tuple(chosen))
            assert "Not checked" not in view.message.value
        expected = "Finish the case" if step.branch.target is None else "Next stage"
        assert view.next_button.description == expected, (view.stage.id, view.next_button.description)
        view.next_button.click()
