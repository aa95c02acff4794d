"""Drive the course's case widget (mslbp_widgets.ui.case.CaseScenario) in a browser page, Lab or Voila.

The expected texts come from the case engine itself: the case shown is identified by its title, and
``evaluate`` gives the verdict, feedback and findings that the page must show for a given choice.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from mslbp_widgets.logic.cases import Case, Question, case_library, check_library
from mslbp_widgets.logic.evaluate import Result, evaluate

FEEDBACK_TIMEOUT_MS = 30_000


def norm(text: str) -> str:
    """Collapse whitespace (YAML folded text and HTML line breaks differ only there)."""
    return re.sub(r"\s+", " ", str(text)).strip()


def find_case(title: str) -> Case:
    """The case or check set whose title is shown on the page."""
    wanted = norm(title)
    for library in (case_library(), check_library()):
        for case in library.values():
            if norm(case.title) == wanted:
                return case
    raise LookupError(f"no case or check titled {title!r} in data/cases or data/checks")


@dataclass
class Choice:
    """Options to tick (one for a single-choice question), and what the case engine says about them."""

    option_ids: tuple[str, ...]
    texts: tuple[str, ...]
    indices: tuple[int, ...]
    multiple: bool
    result: Result


def _choice(question: Question, chosen: list, confidence: int) -> Choice:
    options = list(question.display_options())  # positions on the page: the order learners see
    ids = tuple(o.id for o in chosen)
    return Choice(
        ids,
        tuple(o.text for o in chosen),
        tuple(options.index(o) for o in chosen),
        question.type == "multiple",
        evaluate(question, ids if question.type == "multiple" else ids[0], confidence),
    )


def wrong_and_right(question: Question, confidence: int = 3) -> tuple[Choice, Choice]:
    """A wrong answer (an option that is neither correct nor acceptable, if there is one) and the right one
    (the correct option, or every correct option of a multiple-choice question)."""
    options = list(question.options)
    wrong = [o for o in options if not o.correct and not o.acceptable] or [o for o in options if not o.correct]
    right = [o for o in options if o.correct]
    if question.type == "single":
        right = right[:1]
    return _choice(question, wrong[:1], confidence), _choice(question, right, confidence)


def expected_feedback(result: Result) -> list[str]:
    """Texts the feedback area must contain for ``result``: verdict, chosen options' feedback, findings."""
    texts = [f"{result.verdict_label}."]
    texts += [norm(fb.option.feedback) for fb in result.chosen]
    texts += [f"Supports your answer: {norm(f.text)}" for f in result.supporting]
    texts += [f"Argues against your answer: {norm(f.text)}" for f in result.against]
    texts.append(f"Teaching point: {norm(result.teaching_point)}")
    return texts


class CaseDriver:
    """One case widget on a page (the first ``.mslbp-case``), stage by stage."""

    def __init__(self, page, root_selector: str = ".mslbp-case", case: Case | None = None) -> None:
        """``case``: the case shown, when it is not in the course's libraries (a test fixture)."""
        self.page = page
        self.root = page.locator(root_selector).first
        self.root.wait_for(state="visible", timeout=FEEDBACK_TIMEOUT_MS)
        self.title = norm(self.root.locator("h3, h4").first.inner_text())
        self.case = find_case(self.title) if case is None else case
        assert norm(self.case.title) == self.title, f"the page shows {self.title!r}, not {self.case.title!r}"

    def stage(self):
        """The current (last revealed) stage."""
        return self.root.locator(".mslbp-stage").last

    def stage_count(self) -> int:
        return self.root.locator(".mslbp-stage").count()

    def question(self) -> Question:
        """The question of the current stage (from the case model)."""
        index = self.stage_count() - 1
        question = self.case.stages[index].question
        if question is None:
            raise LookupError(f"stage {index + 1} of {self.case.id} has no question")
        return question

    def advance_to_question(self) -> None:
        """Press "Next stage" while the current stage has no question (a stage that only tells the story)."""
        while self.case.stages[self.stage_count() - 1].question is None:
            count = self.stage_count()
            self.button("Next stage").click()
            deadline = time.monotonic() + FEEDBACK_TIMEOUT_MS / 1000
            while self.stage_count() == count and time.monotonic() < deadline:
                self.page.wait_for_timeout(100)
            if self.stage_count() == count:
                raise AssertionError(f"case {self.case.id}: 'Next stage' did not reveal stage {count + 1}")

    def stage_text(self) -> str:
        return norm(self.stage().inner_text())

    def button(self, label: str):
        return self.stage().get_by_role("button", name=label, exact=True)

    def radio(self, option_text: str):
        return self.stage().get_by_role("radio", name=norm(option_text), exact=True)

    def option_inputs(self, choice: Choice) -> list:
        """The radio buttons or checkboxes of ``choice``, in page order."""
        inputs = self.stage().locator("input[type=checkbox]" if choice.multiple else "input[type=radio]")
        return [inputs.nth(i) for i in choice.indices]

    def confidence_button(self, level: int):
        return self.stage().locator("button.widget-toggle-button").nth(level - 1)

    def wait_for_text(self, needle: str, timeout_ms: int = FEEDBACK_TIMEOUT_MS) -> None:
        """Wait until the current stage shows ``needle``; fail naming what it shows instead."""
        deadline = time.monotonic() + timeout_ms / 1000
        while time.monotonic() < deadline:
            if needle in self.stage_text():
                return
            self.page.wait_for_timeout(100)
        raise AssertionError(
            f"case {self.case.id}, stage {self.stage_count()}: {needle!r} did not appear within "
            f"{timeout_ms / 1000:.0f} s. The stage shows:\n{self.stage_text()[:3000]}"
        )

    def assert_shows(self, texts: list[str], what: str) -> None:
        shown = self.stage_text()
        missing = [t for t in texts if t not in shown]
        assert not missing, (
            f"case {self.case.id}, stage {self.stage_count()}, {what}: missing {missing!r}\n"
            f"The stage shows:\n{shown[:3000]}"
        )

    def answer_with_mouse(self, choice: Choice, confidence: int = 3) -> None:
        """Click the option, a confidence level, then "Check answer"; wait for the verdict."""
        for box in self.option_inputs(choice):
            box.click()
        self.confidence_button(confidence).click()
        self.button("Check answer").click()
        self.wait_for_text(f"{choice.result.verdict_label}.")


def read_attempts(progress_file: Path, case_id: str) -> list[dict]:
    """Attempts of ``case_id`` in a progress file (empty if the file does not exist yet)."""
    if not progress_file.exists():
        return []
    data = json.loads(progress_file.read_text(encoding="utf-8"))
    return [a for a in data.get("attempts", []) if a.get("case_id") == case_id]


_JS_ACTIVE = (
    "() => { const a = document.activeElement; if (!a) return '';"
    " return (a.tagName + ' ' + (a.getAttribute('type') || '') + ' ' + norm(a.innerText || a.parentElement.innerText"
    " || '')).slice(0, 120); function norm(t) { return String(t).replace(/\\s+/g, ' ').trim(); } }"
)


def active_element(page) -> str:
    """A short description of the focused element, for failure messages."""
    return page.evaluate(_JS_ACTIVE)


def tab_until(page, locator, what: str, max_tabs: int = 40) -> int:
    """Press Tab until ``locator`` has the keyboard focus; return the number of presses."""
    for presses in range(1, max_tabs + 1):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"{what} not reached with {max_tabs} Tab presses; focus is on {active_element(page)!r}")


def answer_with_keyboard(driver: CaseDriver, choice: Choice, confidence: int = 3) -> list[str]:
    """Answer the current stage's question with the keyboard only (Tab, Space, arrow keys, Enter), from focus just
    before the widget.

    A single-choice question's options are one radio group (one Tab stop): Tab reaches it, Space chooses the
    first option, ArrowDown moves to (and chooses) the next one, as in any radio group, also in JupyterLab's
    command mode (the group keeps Lab's shortcuts off the arrow keys). Checkboxes are one Tab stop each, ticked
    with Space. Returns the keys pressed, for the report.
    """
    page = driver.page
    keys: list[str] = []
    if not choice.multiple:
        (target,), (index,), (text,) = driver.option_inputs(choice), choice.indices, choice.texts
        first = driver.stage().locator("input[type=radio]").first
        keys += ["Tab"] * tab_until(page, first, "the group of options")
        if index == 0:
            page.keyboard.press("Space")
            keys.append("Space")
        for _ in range(index):
            page.keyboard.press("ArrowDown")
            keys.append("ArrowDown")
        if not target.is_checked():
            raise AssertionError(f"the keys did not choose option {index + 1} ({text!r}) (focus: "
                                 f"{active_element(page)!r})")
    for target, index, text in zip(driver.option_inputs(choice), choice.indices, choice.texts, strict=True):
        if not choice.multiple:
            break
        keys += ["Tab"] * tab_until(page, target, f"option {index + 1} ({text!r})")
        page.keyboard.press("Space")
        keys.append("Space")
        if not target.is_checked():
            raise AssertionError(f"Space on option {text!r} did not select it (focus: {active_element(page)!r})")
    level = driver.confidence_button(confidence)
    keys += ["Tab"] * tab_until(page, level, f"confidence button {confidence}")
    page.keyboard.press("Space")
    keys.append("Space")
    check = driver.button("Check answer")
    keys += ["Tab"] * tab_until(page, check, "the 'Check answer' button")
    page.keyboard.press("Enter")
    keys.append("Enter")
    driver.wait_for_text(f"{choice.result.verdict_label}.")
    return keys
