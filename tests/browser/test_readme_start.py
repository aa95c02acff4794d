"""The README's start command opens JupyterLab on the start notebook, rooted at the course folder, and the
notebook's widget responds."""

from __future__ import annotations

import re
import shlex

import labharness as H
import pytest

pytestmark = pytest.mark.browser


def readme_start_arguments() -> list[str]:
    """What the README's start command passes to `jupyter lab` (its last step)."""
    text = (H.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    start = re.findall(r"```bash\n(.*?)```", text, flags=re.S)[0].strip()
    last = shlex.split(start.split("&&")[-1])
    assert last[0].endswith("jupyter") and last[1] == "lab", f"the start command should end with jupyter lab: {start}"
    return last[2:]


def test_readme_start_command_opens_the_start_notebook_and_its_widget_works(browser_context, browser_tmp) -> None:
    args = readme_start_arguments()
    assert args[-1] == "notebooks/00_start_here.ipynb"
    # Run from the course folder with the README's own arguments (no root folder of the harness's).
    server = H.start_lab(browser_tmp / "readme-start", extra_args=tuple(args), set_root_dir=False)
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
