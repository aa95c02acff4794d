"""A real JupyterHub on this machine: two learners log in, follow the generated hub link, land in JupyterLab on
the course, answer a case each in notebook 07 and hand in; the instructor's class tally over the hand-in folder
counts exactly two learners, each with their own answers.

The hub uses the dummy authenticator and the simple local spawner (every learner's server is a process of this
machine with its own home under the test's temporary folder), configurable-http-proxy from npm, and the course
pulled by nbgitpuller from a ``file://`` clone of this repository, with the package installed as a hub image has
it (a regular install, on PYTHONPATH). Hub, proxy, learners' servers and kernels are stopped by PID; all state is
in a temporary folder. The time to land via the link and one learner's memory are printed and written to
``hub-figures.json`` in that folder (docs/hub.md quotes them).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import casepage as C
import labharness as H
import pytest
from helpers import course_remote, install_package

from mslbp_widgets.classroom.exports import load_exports
from mslbp_widgets.logic.hublinks import notebook_links, pull_link

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHP_VERSION = "5.3.0"
LEARNERS = ("learner-a", "learner-b")
LAND_TIMEOUT_S = 240
HANDED_IN = "✓ Handed in:"


def proxy_command(tmp: Path) -> str:
    """configurable-http-proxy: $MSLBP_CHP (scripts/run-tests.sh installs it there), one on PATH, or one installed
    now with npm into the temporary folder (never into the repository)."""
    found = os.environ.get("MSLBP_CHP") or shutil.which("configurable-http-proxy")
    if found:
        return found
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("configurable-http-proxy is missing and npm is not installed: install Node.js and npm, or set "
                    "MSLBP_CHP to a configurable-http-proxy executable")
    prefix = tmp / "chp"
    r = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--silent",
                        f"configurable-http-proxy@{CHP_VERSION}"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"npm install configurable-http-proxy failed:\n{r.stderr[-3000:]}"
    return str(prefix / "node_modules" / ".bin" / "configurable-http-proxy")


@dataclass
class Hub:
    server: H.ServerProcess
    homes: Path
    handin: Path
    repo_url: str

    @property
    def url(self) -> str:
        return self.server.base_url


def write_config(tmp: Path, site: Path, handin: Path, homes: Path, chp: str, ports: tuple[int, int, int]) -> Path:
    public, hub_port, api = ports
    singleuser = Path(sys.executable).parent / "jupyterhub-singleuser"
    config = tmp / "jupyterhub_config.py"
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(site),  # the course package as a hub image has it: a regular install
        "MSLBP_HANDIN_DIR": str(handin),  # the hand-in folder, set for every learner by the hub's configuration
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
    }
    config.write_text(f"""\
c = get_config()  # noqa
c.JupyterHub.bind_url = "http://127.0.0.1:{public}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.auth_token = {secrets.token_hex(24)!r}
c.ConfigurableHTTPProxy.pid_file = {str(tmp / "proxy.pid")!r}
c.JupyterHub.pid_file = {str(tmp / "jupyterhub.pid")!r}
c.JupyterHub.db_url = "sqlite:///{tmp / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(tmp / "jupyterhub_cookie_secret")!r}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {set(LEARNERS)!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes / "{username}")!r}
c.Spawner.cmd = [{str(singleuser)!r}]
c.Spawner.args = ["--ServerApp.allow_root=True", "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
                  "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                  "--LanguageServerManager.autodetect=False"]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {environment!r}
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
""", encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def hub(browser_tmp: Path, repo_snapshot) -> Hub:
    tmp = browser_tmp / "hub"
    tmp.mkdir()
    author, repo_url = course_remote(tmp / "course")
    site = install_package(author, tmp / "image-site-packages")
    handin = tmp / "handin"
    handin.mkdir()
    homes = tmp / "homes"
    for name in LEARNERS:  # each learner's Lab: no autosave, no virtual windowing, no news (as the harness's Lab)
        H.write_lab_settings(homes / name / ".jupyter" / "lab" / "user-settings")
    ports = (H.free_port(), H.free_port(), H.free_port())
    config = write_config(tmp, site, handin, homes, proxy_command(tmp), ports)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MSLBP_", "JUPYTER"))}
    cmd = [sys.executable, "-m", "jupyterhub", "-f", str(config)]
    server = H._start("jupyterhub", cmd, tmp, ports[0], env, tmp)
    try:
        H._wait_http(server, "/hub/health", H.SERVER_START_TIMEOUT_S)
        yield Hub(server, homes, handin, repo_url)
    finally:
        server.stop()


def log_in(page, name: str) -> None:
    """The hub's login form (the dummy authenticator takes any password)."""
    page.locator("#username_input").wait_for(timeout=60_000)
    page.fill("#username_input", name)
    page.fill("#password_input", "any password")
    page.click("#login_submit")


def wait_for_lab_notebook(page, path: str, timeout_s: float = LAND_TIMEOUT_S) -> None:
    """Wait until Lab shows ``path`` (relative to the learner's home) with a connected kernel."""
    js = ("(p) => { const w = (" + H._JS_PANEL + ")(); if (!w || w.context.path !== p) return false;"
          " const k = w.sessionContext.session && w.sessionContext.session.kernel;"
          " return !!(k && w.context.isReady && k.connectionStatus === 'connected'"
          " && (k.status === 'idle' || k.status === 'busy')); }")
    page.wait_for_function(js, arg=path, timeout=timeout_s * 1000, polling=250)


def land(page, path: str, timeout_s: float = LAND_TIMEOUT_S) -> dict[str, float]:
    """Follow the redirects of a hub link until Lab shows ``path`` with a connected kernel; return when each step
    was first seen (``pull``: nbgitpuller's page, the server is up; ``lab``: Lab is loading)."""
    js = ("(p) => { const w = (" + H._JS_PANEL + ")(); if (!w || w.context.path !== p) return false;"
          " const k = w.sessionContext.session && w.sessionContext.session.kernel;"
          " return !!(k && w.context.isReady && k.connectionStatus === 'connected'"
          " && (k.status === 'idle' || k.status === 'busy')); }")
    seen: dict[str, float] = {}
    deadline = time.monotonic() + timeout_s
    while True:
        now = time.monotonic()
        url = page.url
        if "/git-pull" in url:
            seen.setdefault("pull", now)
        if "/lab/tree/" in url:
            seen.setdefault("lab", now)
            try:
                if page.evaluate(js, path):
                    return seen
            except Exception:  # noqa: BLE001 - the page navigated while being asked: ask again
                pass
        if now > deadline:
            raise AssertionError(f"Lab did not show {path} with a ready kernel within {timeout_s:.0f} s (at {url})")
        page.wait_for_timeout(100)


def singleuser_memory(hub_pid: int, user: str) -> dict[str, float]:
    """Memory (MiB) of one learner's single-user server and its kernels: resident (RSS) and proportional (PSS,
    shared pages split between the processes sharing them)."""

    def rollup(pid: int) -> dict[str, int]:
        out = {}
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            key, value = line.split(":", 1)
            out[key] = int(value.split()[0])
        return out

    server = None
    for pid in H._descendants(hub_pid):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if f"JUPYTERHUB_USER={user}".encode() in environ and b"jupyterhub-singleuser" in cmdline:
            server = pid
    assert server is not None, f"no single-user server of {user} found among the hub's processes"
    kernels = [pid for pid in H._descendants(server) if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    server_mem = rollup(server)
    kernel_mem = [rollup(k) for k in kernels]
    mib = 1024
    return {
        "server_rss_mib": round(server_mem["Rss"] / mib, 1),
        "server_pss_mib": round(server_mem["Pss"] / mib, 1),
        "kernels": len(kernels),
        "each_kernel_rss_mib": [round(k["Rss"] / mib, 1) for k in kernel_mem],
        "kernels_rss_mib": round(sum(k["Rss"] for k in kernel_mem) / mib, 1),
        "kernels_pss_mib": round(sum(k["Pss"] for k in kernel_mem) / mib, 1),
        "total_rss_mib": round((server_mem["Rss"] + sum(k["Rss"] for k in kernel_mem)) / mib, 1),
        "total_pss_mib": round((server_mem["Pss"] + sum(k["Pss"] for k in kernel_mem)) / mib, 1),
    }


def learner_session(browser, hub: Hub, name: str, choose: str, screenshots: Path) -> dict:
    """One learner, in a browser context of their own: link -> login -> Lab on 00; the 07 link; answer the first
    question (``choose``: 'wrong' or 'right'); hand in. Returns what happened, with the time to land."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        link = pull_link(hub.url, repo=hub.repo_url)
        t0 = time.monotonic()
        page.goto(link, wait_until="domcontentloaded")
        log_in(page, name)
        t_login = time.monotonic()
        seen = land(page, "ms-low-back-pain/notebooks/00_start_here.ipynb")
        landed_s = time.monotonic() - t0
        pull, lab = seen.get("pull"), seen.get("lab")
        phases = {"login_page_s": round(t_login - t0, 1),
                  "spawn_s": round(pull - t_login, 1) if pull else None,
                  "pull_s": round(lab - pull, 1) if pull and lab else None,
                  "lab_and_kernel_s": round(t0 + landed_s - lab, 1) if lab else None}
        assert f"/user/{name}/lab/tree/ms-low-back-pain/notebooks/00_start_here.ipynb" in page.url, page.url

        cases_link = next(row.links["lab"] for row in notebook_links(hub.url, repo=hub.repo_url)
                          if row.name == "07_case_scenarios.ipynb")
        t1 = time.monotonic()
        page.goto(cases_link, wait_until="domcontentloaded")
        wait_for_lab_notebook(page, "ms-low-back-pain/notebooks/07_case_scenarios.ipynb")
        second_s = time.monotonic() - t1
        # Lab restored 00 from the learner's workspace too: click into 07, as a learner does, so that "Run all"
        # acts on it (Lab's notebook commands act on the notebook that last had the focus).
        page.locator(".jp-NotebookPanel:visible .jp-Cell").first.click()
        page.wait_for_function("() => document.activeElement && document.activeElement.closest('.jp-NotebookPanel')"
                               " && document.activeElement.closest('.jp-NotebookPanel').id"
                               " === jupyterapp.shell.currentWidget.id", timeout=10_000)
        H.run_all(page, "07_case_scenarios.ipynb")
        H.settle(page)
        driver = C.CaseDriver(page)
        driver.advance_to_question()
        question = driver.question()
        wrong, right = C.wrong_and_right(question)
        choice = wrong if choose == "wrong" else right
        driver.answer_with_mouse(choice)

        page.get_by_role("button", name="Hand in my answers").click()
        status = page.locator(".mslbp-handin").get_by_text(HANDED_IN)
        status.wait_for(timeout=30_000)
        page.locator(".mslbp-handin").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / f"hub-{name}-handed-in.png"))
        return {"landed_s": landed_s, "phases": phases, "second_link_s": second_s, "case": driver.case.id,
                "question": question.id, "selection": list(choice.option_ids),
                "status": page.locator(".mslbp-handin").inner_text()}
    except BaseException:
        page.screenshot(path=str(screenshots / f"hub-{name}-failed.png"), full_page=True)
        raise
    finally:
        context.close()


def test_two_learners_follow_the_link_answer_hand_in_and_the_tally_counts_both(browser, hub: Hub,
                                                                               screenshot_dir: Path) -> None:
    done = {}
    figures: dict[str, object] = {}
    for name, choose in zip(LEARNERS, ("wrong", "right"), strict=True):
        done[name] = learner_session(browser, hub, name, choose, screenshot_dir)
        if name == LEARNERS[0]:
            figures["memory_one_learner"] = singleuser_memory(hub.server.pid, name)

    # Each learner's progress stayed in their own home, under their own learner id.
    ids = {}
    for name in LEARNERS:
        progress = json.loads((hub.homes / name / ".mslbp" / "attempts.json").read_text(encoding="utf-8"))
        ids[name] = progress["learner_id"]
        assert [a["selection"] for a in progress["attempts"]] == [done[name]["selection"]]
    assert ids[LEARNERS[0]] != ids[LEARNERS[1]]

    # The instructor's tally over the hand-in folder: exactly two learners, each with their own answer.
    files = sorted(p.name for p in hub.handin.iterdir())
    assert files == sorted(f"{name}--{ids[name]}.json" for name in LEARNERS), files
    data = load_exports(hub.handin)
    assert sorted(data.learners) == sorted(ids.values()) and data.skipped == ()
    for name in LEARNERS:
        mine = [a for a in data.attempts if a.learner_id == ids[name]]
        assert [(a.case_id, a.question_id, list(a.selection)) for a in mine] == [
            (done[name]["case"], done[name]["question"], done[name]["selection"])]
        assert f"{name}--{ids[name]}.json" in " ".join(done[name]["status"].split())

    figures["time_to_land_s"] = {name: round(done[name]["landed_s"], 1) for name in LEARNERS}
    figures["time_to_land_phases"] = {name: done[name]["phases"] for name in LEARNERS}
    figures["second_link_s"] = {name: round(done[name]["second_link_s"], 1) for name in LEARNERS}
    (hub.server.home / "hub-figures.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(f"\nhub figures: {json.dumps(figures)}")
