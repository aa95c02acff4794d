"""No-script rule, in a real browser: an HTML/JS payload in every text field of every kind of data file (cases,
checks, tool data, references, mechanisms, diagrams manifest, CSV tables) and in learner exports (loaded by the
class tally and the resume button) runs 0 times in JupyterLab and in Voila.

The data come from a poisoned copy of the data folder (``MSLBP_DATA_DIR``, see payloads.py); every payload that
runs adds 1 to ``window.__mslbpXss`` or opens a dialog. Each page must also show the payloads as text (so the
poisoned data really reached it) and hold no live handler, ``javascript:`` link, iframe or script they planted.
The negative control renders one payload unescaped and must see it run: the check can fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import labharness as H
import payloads as P
import pytest

pytestmark = pytest.mark.browser

FIXTURE = "tests/browser/fixtures/payload_everything.ipynb"
NEGATIVE = "tests/browser/fixtures/ko_payload_unescaped.ipynb"
#: How long an upload (or a Voila page) may take to be answered on a busy machine.
UPLOAD_WAIT_S = 300
#: The course notebooks with an upload button, and its label.
UPLOADS = [("notebooks/07_case_scenarios.ipynb", "Load an earlier download to resume"),
           ("notebooks/08_instructor_guide.ipynb", "Upload learners' exports (.json)")]


@pytest.fixture(scope="module")
def poisoned(browser_tmp: Path) -> dict[str, Path]:
    """The poisoned data folder (checked to load, as the notebooks load it) and a folder of hostile exports."""
    data = P.poisoned_data(browser_tmp / "poisoned-data", H.REPO_ROOT / "data")
    P.check_loads(data, H.REPO_ROOT)
    exports = browser_tmp / "hostile-exports" / "exports"
    P.hostile_exports(exports)
    return {"data": data, "exports": exports}


def _watch_dialogs(page) -> list[str]:
    dialogs: list[str] = []

    def dismiss(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", dismiss)
    return dialogs


def _point_kernel_at(page, poisoned: dict[str, Path]) -> None:
    """Set the data folder and the exports folder in the notebook's fresh kernel, before any cell runs."""
    H.kernel_expression(page, f"__import__('os').environ.update(MSLBP_DATA_DIR={str(poisoned['data'])!r}, "
                              f"MSLBP_PAYLOAD_EXPORTS={str(poisoned['exports'])!r}) or 'ok'")


def _upload(page, label: str, files: list[Path]) -> None:
    """Press the upload button labelled `label` and choose `files` in the file dialog, as a user would."""
    pending = [str(f) for f in files]
    while pending:
        with page.expect_file_chooser(timeout=30_000) as chooser:
            page.get_by_role("button", name=label).first.click()
        batch = pending if chooser.value.is_multiple() else pending[:1]
        chooser.value.set_files(batch)
        pending = pending[len(batch):]
        page.wait_for_timeout(2000)


def _wait_for_report(page, where: str) -> None:
    """Wait until the page reports the last uploaded file (the kernel read the upload and answered)."""
    seen = "() => ['not-json.json', 'file(s) read'].some(t => document.body.innerText.includes(t))"
    try:
        page.wait_for_function(seen, timeout=UPLOAD_WAIT_S * 1000, polling=500)
        show = page.get_by_role("button", name="Show the list of files")  # the class tally's table is collapsed
        if show.count():
            show.first.click()
            page.wait_for_function("() => document.body.innerText.includes('not-json.json')", timeout=60_000,
                                   polling=500)
    except Exception as exc:  # playwright TimeoutError
        raise AssertionError(f"{where}: the uploads were not read within {UPLOAD_WAIT_S} s") from exc
    page.wait_for_timeout(1000)


def _assert_no_execution(page, dialogs: list[str], where: str, min_shown: int = 1) -> dict:
    found = P.page_findings(page)
    assert found["count"] == 0 and not dialogs, f"{where}: {found['count']} payload(s) ran, dialogs {dialogs}"
    live = {k: found[k] for k in ("handlers", "jsLinks", "scripts")}
    assert not any(live.values()), f"{where}: live markup planted by the data: {live}"
    assert found["text"] >= min_shown, f"{where}: the poisoned data did not reach the page ({found})"
    return found


def _run_in_lab(page, lab, notebook: str, poisoned: dict[str, Path]) -> None:
    H.open_notebook(page, lab, notebook)
    _point_kernel_at(page, poisoned)
    H.run_all(page, notebook)
    H.settle(page)
    errors = page.evaluate("window.__kernelErrors || []")
    assert not errors, f"{notebook}: errors while running on the poisoned data: {errors}"


def test_no_payload_runs_in_lab_from_any_kind_of_data(lab_page, lab, poisoned, screenshot_dir) -> None:
    """Every data kind on one page, every widget driven (answers, feedback, 'Why not the others?', tool results,
    presenter reveal and notes, class tally, resume uploads)."""
    dialogs = _watch_dialogs(lab_page)
    _run_in_lab(lab_page, lab, FIXTURE, poisoned)
    found = _assert_no_execution(lab_page, dialogs, FIXTURE, min_shown=200)
    lab_page.screenshot(path=str(screenshot_dir / "payloads-everything.png"), full_page=False)
    print(f"payload fixture in Lab: {found['text']} payload strings shown as text, 0 executions")


@pytest.mark.parametrize(("notebook", "button"), UPLOADS)
def test_no_payload_runs_in_the_course_notebooks_with_hostile_uploads(lab_page, lab, poisoned, notebook,
                                                                      button) -> None:
    dialogs = _watch_dialogs(lab_page)
    _run_in_lab(lab_page, lab, notebook, poisoned)
    _upload(lab_page, button, sorted(poisoned["exports"].iterdir()))
    _wait_for_report(lab_page, notebook)
    _assert_no_execution(lab_page, dialogs, f"{notebook} in Lab")


@pytest.mark.parametrize(("notebook", "button"), UPLOADS)
def test_no_payload_runs_in_voila(browser, browser_tmp, poisoned, notebook, button, monkeypatch) -> None:
    monkeypatch.setenv("MSLBP_DATA_DIR", str(poisoned["data"]))  # the Voila server's kernels inherit it
    server = H.start_voila(browser_tmp / f"voila-payloads-{Path(notebook).stem}", H.REPO_ROOT / notebook)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        dialogs = _watch_dialogs(page)
        page.goto(server.base_url + "/", wait_until="commit", timeout=UPLOAD_WAIT_S * 1000)
        page.get_by_role("button", name=button).first.wait_for(timeout=2 * H.RUN_ALL_TIMEOUT_S * 1000)
        page.wait_for_timeout(2000)
        _upload(page, button, sorted(poisoned["exports"].iterdir()))
        _wait_for_report(page, notebook)
        _assert_no_execution(page, dialogs, f"{notebook} in Voila")
    finally:
        context.close()
        server.stop()


def test_negative_control_an_unescaped_payload_is_seen_running(lab_page, lab, poisoned) -> None:
    dialogs = _watch_dialogs(lab_page)
    H.open_notebook(lab_page, lab, NEGATIVE)
    H.run_all(lab_page, NEGATIVE)
    H.settle(lab_page)
    lab_page.wait_for_function(f"() => (window.{P.COUNTER} || 0) > 0", timeout=20_000)
    with pytest.raises(AssertionError, match="payload\\(s\\) ran"):
        _assert_no_execution(lab_page, dialogs, NEGATIVE, min_shown=0)


def test_every_text_field_of_the_data_carries_a_payload(poisoned) -> None:
    """The poisoned copy leaves no text field clean: every YAML string under a text field, and every CSV text
    column, ends with the payload (so 0 executions above means 0 for every field)."""
    import yaml

    clean: list[str] = []

    def walk(node: object, key: object, where: str, every: bool) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k, f"{where}.{k}", every)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, key, f"{where}[{i}]", every)
        elif (isinstance(node, str) and (every or key in P.TEXT_FIELDS) and P.PAYLOAD not in node
              and not node.startswith("javascript:")):
            clean.append(where)

    for path in poisoned["data"].rglob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), None, path.name, path.name == "references.yaml")
    assert not clean, clean
    assert os.path.isdir(poisoned["exports"]) and len(list(poisoned["exports"].iterdir())) == 3
