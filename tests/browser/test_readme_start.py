"""The README's start command opens JupyterLab on the start notebook, rooted at the course folder, without the
Jupyter news pop-up and without the notebook marked unsaved, and the notebook's widget responds. The README's
Windows and next-day commands are the same command."""

from __future__ import annotations

import re
import shlex

import labharness as H
import pytest

NEWS_QUESTION = "Would you like to get notified about official Jupyter news?"
JS_DIRTY = (
    "() => { const w = jupyterapp.shell.currentWidget; const tab = document.querySelector("
    "'.lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current');"
    " return {model: w.context.model.dirty, tab: !!(tab && tab.classList.contains('jp-mod-dirty'))}; }"
)


def readme_blocks(language: str) -> list[str]:
    text = (H.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    return [b.strip() for b in re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)]


def test_windows_and_next_day_commands_match_the_start_command() -> None:
    """The README's other forms of the start command pass JupyterLab the same arguments."""
    start = readme_blocks("bash")[0].split("&&")[-1].strip()
    bat = readme_blocks("bat")
    assert bat[0].split("&&")[-1].strip() == start.replace(".venv/bin/", ".venv\\Scripts\\")
    assert readme_blocks("bash")[1] == start, "the next-day command is the start command's last step"
    assert bat[1] == start.replace(".venv/bin/", ".venv\\Scripts\\")
    assert "requirements-dev.txt" in bat[2] and "pytest" in bat[2]


def readme_start_arguments() -> list[str]:
    """What the README's start command passes to `jupyter lab` (its last step)."""
    text = (H.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    start = re.findall(r"```bash\n(.*?)```", text, flags=re.S)[0].strip()
    last = shlex.split(start.split("&&")[-1])
    assert last[0].endswith("jupyter") and last[1] == "lab", f"the start command should end with jupyter lab: {start}"
    return last[2:]


@pytest.mark.browser
def test_readme_start_command_opens_the_start_notebook_and_its_widget_works(browser_context, browser_tmp) -> None:
    args = readme_start_arguments()
    assert args[-1] == "notebooks/00_start_here.ipynb"
    # Run from the course folder with the README's own arguments (no root folder of the harness's), and with
    # JupyterLab's own default for the news question (the harness's user settings leave it alone here).
    server = H.start_lab(browser_tmp / "readme-start", extra_args=tuple(args), set_root_dir=False,
                         quiet_news=False)
    page = browser_context.new_page()
    try:
        # Where `jupyter lab` sends the browser: the redirect file it writes for the file it was given.
        opened = list((browser_tmp / "readme-start" / "runtime").glob("jpserver-file-to-run-*-open.html"))
        assert opened, f"jupyter lab wrote no page to open the start notebook:\n{server.log_tail()}"
        url = re.search(r'href="([^"]+)"', opened[0].read_text(encoding="utf-8")).group(1)
        assert "/lab/tree/notebooks/00_start_here.ipynb" in url, url
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_function(H._JS_KERNEL_READY, timeout=H.KERNEL_READY_TIMEOUT_S * 1000, polling=250)
        path = page.evaluate("() => jupyterapp.shell.currentWidget.context.path")
        assert path == "notebooks/00_start_here.ipynb", "Lab's root is the course folder, so docs/ links work"
        page.wait_for_timeout(3000)  # the news question, if any, comes once Lab is restored; metadata on connect
        dirty = page.evaluate(JS_DIRTY)
        assert dirty == {"model": False, "tab": False}, (
            f"the notebook is marked unsaved right after opening ({dirty}): its kernelspec or language_info differ "
            "from what this kernel reports (JupyterLab writes them into the notebook on connect)")
        body = page.inner_text("body")
        assert NEWS_QUESTION not in body, "the Jupyter news pop-up is shown"
        news = page.evaluate("async () => (await jupyterapp.serviceManager.settings.fetch("
                             "'@jupyterlab/apputils-extension:notification')).schema.properties.fetchNews.default")
        assert news == "false", f"the README's settings overrides were not applied (fetchNews default {news!r})"
        H.run_all(page, "00_start_here.ipynb")
        H.settle(page)
        assert page.get_by_text("Not clicked yet.").is_visible()
        page.get_by_role("button", name="Test the widgets").click()
        page.get_by_text("Widgets work: you clicked 1 time.").wait_for(timeout=20_000)
        assert page.get_by_text("Everything the course needs is installed.").is_visible()
    finally:
        page.close()
        H.shutdown_kernels(server)
        server.stop()
