"""Two learners on one server (same OS account), in two browser contexts: answers stay private, and a reload in the
same browser brings back that learner's own progress; loading another learner's download asks first, and continuing
as that learner switches the browser (its reloads follow). Against one Voila server (each page its own kernel) and one
JupyterLab server (both browsers open the same notebook: one shared kernel).

The learner's identity is kept in the browser (localStorage ``mslbp-learner-id``) and told to the kernel by the
``LearnerIdentity`` widget; each learner has a file of their own in the server's learners folder.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import casepage as C
import labharness as H
import pytest

NOTEBOOK = "notebooks/07_case_scenarios.ipynb"
WAIT_S = 30
STORAGE_KEY = "mslbp-learner-id"
# Only this test reloads a Voila page: (regex, reason), as in labharness.VOILA_CONSOLE_ALLOW_LIST.
RELOAD_ALLOW_LIST = [(
    r"status of 403 \(Forbidden\) \[http://127\.0\.0\.1:\d+/voila/api/shutdown/",
    "when a page unloads (here: the reload), Voila's own page asks the server to shut its kernel down, and Voila "
    "0.5 refuses that request (403); the server culls the kernel anyway. Nothing of the course is involved",
)]


def new_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    return context


def progress_text(page) -> str:
    return C.norm(page.locator(".mslbp-progress-controls").first.inner_text())


def wait_progress(page, needle: str, what: str) -> str:
    """Wait until the bank's 'Your progress' area shows ``needle``; fail with what it shows."""
    deadline = time.monotonic() + WAIT_S
    text = ""
    while time.monotonic() < deadline:
        text = progress_text(page)
        if needle in text:
            return text
        page.wait_for_timeout(200)
    raise AssertionError(f"{what}: {needle!r} not shown within {WAIT_S} s; 'Your progress' shows:\n{text[:1500]}")


def download(page) -> dict:
    """The JSON file the browser saves when the learner presses 'Download my attempts (JSON)' (made by the kernel
    on that press); the saved file's name is then shown, as a link, in the button's live region."""
    controls = page.locator(".mslbp-progress-controls").first
    with page.expect_download(timeout=WAIT_S * 1000) as saved:
        controls.get_by_role("button", name="Download my attempts (JSON)", exact=True).click()
    name = saved.value.suggested_filename
    doc = json.loads(Path(saved.value.path()).read_text(encoding="utf-8"))
    assert name.startswith(f"mslbp-attempts-{doc['learner_id'][:8]}-") and name.endswith(".json"), name
    status = controls.locator(".mslbp-download-status").first
    assert status.get_attribute("aria-live") == "polite"
    assert status.locator(f"a[download='{name}']").count() == 1, status.inner_html()
    return doc


def answer_first_question(page, pick: str) -> tuple[C.CaseDriver, C.Choice]:
    """Answer the first question of the bank's first case: ``pick`` is "wrong" or "right"."""
    driver = C.CaseDriver(page)
    driver.advance_to_question()
    wrong, right = C.wrong_and_right(driver.question())
    choice = wrong if pick == "wrong" else right
    driver.answer_with_mouse(choice)
    return driver, choice


def check_private(pages, choices, learners_dir) -> list[str]:
    """Each page's download holds only its own attempt, under its own learner id (the one its browser keeps);
    the server keeps one file per learner. Returns the learner ids."""
    ids = []
    for i, (page, choice) in enumerate(zip(pages, choices, strict=True)):
        wait_progress(page, "1 question answered (1 try in all)", f"learner {i + 1}")
        doc = download(page)
        stored = page.evaluate(f"() => window.localStorage.getItem('{STORAGE_KEY}')")
        assert doc["learner_id"] == stored, f"learner {i + 1}: download id {doc['learner_id']} != browser's {stored}"
        got = [(a["question_id"], a["selection"]) for a in doc["attempts"]]
        assert got == [(choice.result.question_id, list(choice.option_ids))], f"learner {i + 1} downloads {got}"
        assert f"learner {stored[:8]}" in progress_text(page)
        ids.append(doc["learner_id"])
    assert ids[0] != ids[1], "two browsers got the same learner id"
    files = sorted(p.name for p in learners_dir.glob("*.json"))
    assert files == sorted(f"{i}.json" for i in ids), f"learner files on the server: {files}"
    for learner, choice in zip(ids, choices, strict=True):
        on_disk = json.loads((learners_dir / f"{learner}.json").read_text(encoding="utf-8"))
        assert on_disk["learner_id"] == learner
        assert [a["selection"] for a in on_disk["attempts"]] == [list(choice.option_ids)]
    return ids


def check_restored(page, learner_id: str, choice: C.Choice, what: str) -> None:
    """After a reload: the same learner, with exactly their own attempt."""
    wait_progress(page, "1 question answered (1 try in all)", what)
    doc = download(page)
    assert doc["learner_id"] == learner_id, f"{what}: learner {doc['learner_id']} instead of {learner_id}"
    assert [a["selection"] for a in doc["attempts"]] == [list(choice.option_ids)], f"{what}: {doc['attempts']}"
    position = C.norm(page.locator(".mslbp-case-bank").first.inner_text())
    assert "you have answered this case" in position, f"{what}: the bank does not mark the case answered"


def continue_as_other_learner(page, their_download: dict, ids: list[str], learners_dir, tmp) -> None:
    """Learner 2 loads learner 1's download: asked first, nothing merged; Continue switches this browser (its
    localStorage) to learner 1, and learner 2's file stays as it was."""
    upload = tmp / f"mslbp-attempts-{ids[0][:8]}.json"
    upload.write_text(json.dumps(their_download), encoding="utf-8")
    mine_before = (learners_dir / f"{ids[1]}.json").read_bytes()
    with page.expect_file_chooser() as chooser:
        page.locator(".mslbp-progress-controls .mslbp-upload-button").first.click()
    chooser.value.set_files(str(upload))
    wait_progress(page, f"is not yours: it holds the answers of learner {ids[0][:8]}: 1 attempt", "the offer")
    assert (learners_dir / f"{ids[1]}.json").read_bytes() == mine_before, "merged before the learner chose"
    page.get_by_role("button", name="Continue as that learner").click()
    wait_progress(page, f"You are now learner {ids[0][:8]}", "after Continue as that learner")
    assert page.evaluate(f"() => window.localStorage.getItem('{STORAGE_KEY}')") == ids[0]
    assert f"The answers of learner {ids[1][:8]} (1 attempt) stay saved as they were" in progress_text(page)
    assert (learners_dir / f"{ids[1]}.json").read_bytes() == mine_before


def open_voila(context, server):
    page = context.new_page()
    console = H.ConsoleLog(page, H.VOILA_CONSOLE_ALLOW_LIST + RELOAD_ALLOW_LIST)
    page.goto(server.base_url + "/", wait_until="domcontentloaded", timeout=H.RUN_ALL_TIMEOUT_S * 1000)
    page.locator(".mslbp-case").first.wait_for(state="visible", timeout=H.RUN_ALL_TIMEOUT_S * 1000)
    return page, console


@pytest.mark.browser
def test_two_learners_on_one_voila_server_keep_their_answers_private(browser, browser_tmp) -> None:
    server = H.start_voila(browser_tmp / "voila-privacy", H.REPO_ROOT / NOTEBOOK, progress="browser")
    contexts = [new_context(browser), new_context(browser)]
    try:
        opened = [open_voila(ctx, server) for ctx in contexts]
        pages = [p for p, _ in opened]
        for page in pages:
            text = wait_progress(page, "saved for you (learner", "before answering: the browser tells its learner")
            assert "0 questions answered" in text and "Connecting your progress" not in text
        choices = [answer_first_question(pages[0], "wrong")[1], answer_first_question(pages[1], "right")[1]]
        assert choices[0].option_ids != choices[1].option_ids
        ids = check_private(pages, choices, server.learners_dir)

        pages[0].reload(wait_until="domcontentloaded", timeout=H.RUN_ALL_TIMEOUT_S * 1000)
        pages[0].locator(".mslbp-case").first.wait_for(state="visible", timeout=H.RUN_ALL_TIMEOUT_S * 1000)
        check_restored(pages[0], ids[0], choices[0], "Voila, learner 1 after reloading")
        check_restored(pages[1], ids[1], choices[1], "Voila, learner 2 (not reloaded)")
        continue_as_other_learner(pages[1], download(pages[0]), ids, server.learners_dir, browser_tmp)
        pages[1].reload(wait_until="domcontentloaded", timeout=H.RUN_ALL_TIMEOUT_S * 1000)
        pages[1].locator(".mslbp-case").first.wait_for(state="visible", timeout=H.RUN_ALL_TIMEOUT_S * 1000)
        check_restored(pages[1], ids[0], choices[0], "Voila, browser 2 reloaded after continuing as learner 1")
        for i, (_, console) in enumerate(opened):
            assert not console.unexpected(), f"learner {i + 1}: console errors {console.unexpected()}"
        assert pages[0].locator(".jupyter-widgets-error-widget").count() == 0
    finally:
        for ctx in contexts:
            ctx.close()
        server.stop()


_JS_KERNEL_ID = "() => jupyterapp.shell.currentWidget.sessionContext.session.kernel.id"


@pytest.mark.browser
def test_two_learners_sharing_one_lab_kernel_keep_their_answers_private(browser, browser_tmp) -> None:
    server = H.start_lab(browser_tmp / "lab-privacy", progress="browser")
    contexts = [new_context(browser), new_context(browser)]
    try:
        pages, consoles = [], []
        for ctx in contexts:
            page = ctx.new_page()
            consoles.append(H.ConsoleLog(page))
            H.open_notebook(page, server, NOTEBOOK)
            H.run_all(page, NOTEBOOK)
            H.settle(page)
            pages.append(page)
        kernels = {page.evaluate(_JS_KERNEL_ID) for page in pages}
        assert len(kernels) == 1, f"the two browsers were meant to share one kernel, got {kernels}"
        choices = [answer_first_question(pages[0], "wrong")[1], answer_first_question(pages[1], "right")[1]]
        ids = check_private(pages, choices, server.learners_dir)

        pages[0].reload(wait_until="domcontentloaded")
        H.open_notebook(pages[0], server, NOTEBOOK)
        H.run_all(pages[0], NOTEBOOK)
        H.settle(pages[0])
        assert pages[0].evaluate(_JS_KERNEL_ID) in kernels, "the reload was meant to keep the shared kernel"
        check_restored(pages[0], ids[0], choices[0], "Lab, learner 1 after reloading and running the notebook")
        check_restored(pages[1], ids[1], choices[1], "Lab, learner 2 (not reloaded)")
        for i, console in enumerate(consoles):
            assert not console.unexpected(), f"learner {i + 1}: console errors {console.unexpected()}"
    finally:
        for ctx in contexts:
            ctx.close()
        server.stop()
