"""Drive JupyterLab and Voila in headless Chromium: servers, browser, and the notebook checker.

Plain functions and small classes, used by the browser tests (``tests/browser/``) and by
``benchmarks/bench_click_feedback.py``. Nothing here writes into the repository: every server gets
its own temporary home for configuration, data, runtime files, IPython profile, user settings,
workspaces, checkpoints and the learner progress file.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("MSLBP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Generous limits for a loaded 2-core CI machine; every wait fails with a message, none hangs.
SERVER_START_TIMEOUT_S = 90
KERNEL_READY_TIMEOUT_S = 60
RUN_ALL_TIMEOUT_S = 180
WIDGET_SETTLE_TIMEOUT_S = 30
SETTLE_QUIET_S = 1.0

# Browser console messages of type "error" that are expected and harmless in JupyterLab: (regex, reason).
# Empty on purpose: running every notebook of the course logs no console error at all (checked 2026-11).
CONSOLE_ALLOW_LIST: list[tuple[str, str]] = []

# Extra allowed console errors on Voila pages only. Each entry: (regex, reason).
VOILA_CONSOLE_ALLOW_LIST: list[tuple[str, str]] = [
    (
        r"Failed to load resource: net::ERR_\w+ \[https://cdn\.jsdelivr\.net/npm/@fortawesome/",
        "Voila's page links Font Awesome from a CDN; on an offline machine (CI here) it cannot load. The "
        "course never relies on icons: every control has a text label",
    ),
    (
        r'shared module is not a function.*"shareKey":"@jupyterlab/docregistry"',
        "Voila 0.5 loads every installed JupyterLab extension; @jupyter-notebook/lab-extension (from the "
        "pinned notebook 7 package, needed by Binder) asks for @jupyterlab/docregistry, which Voila's page "
        "does not share. Nothing of the course uses it; the widgets and figures are checked separately",
    ),
]

# Plain-text representations of widgets: seen when the widget manager did not render an output.
WIDGET_FALLBACK_RE = re.compile(
    r"\b(VBox|HBox|Box|GridBox|Output|Tab|Accordion|Stack|Button|Label|HTML|HTMLMath|Dropdown|"
    r"RadioButtons|Checkbox|ToggleButtons|SelectMultiple|IntSlider|FloatSlider|Textarea|Text|"
    r"FigureWidget)\((children|value|description|options|outputs|layout|style|\{|\))"
)


class HarnessError(RuntimeError):
    """A server or the browser did not reach the expected state in time (message says which and why)."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------------


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def isolated_env(home: Path, progress: str = "file") -> dict[str, str]:
    """Environment for a Jupyter process whose state all lives under ``home`` (a temporary folder).

    ``progress="file"``: one progress file (``MSLBP_PROGRESS_FILE``, ``ServerProcess.progress_file``).
    ``progress="browser"``: a shared server as a room uses it: one file per learner (browser identity) in
    ``home/progress/learners`` (``ServerProcess.learners_dir``), and ``HOME`` in ``home`` too.
    """
    env = dict(os.environ)
    for name in ("config", "data", "runtime", "ipython"):
        (home / name).mkdir(parents=True, exist_ok=True)
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        IPYTHONDIR=str(home / "ipython"),
        MSLBP_PROGRESS_FILE=str(home / "progress" / "attempts.json"),
        PYTHONDONTWRITEBYTECODE="1",
        JUPYTER_PLATFORM_DIRS="1",
    )
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTERHUB_USER", None)
    (home / "progress").mkdir(exist_ok=True)
    if progress == "browser":
        del env["MSLBP_PROGRESS_FILE"]
        env.update(MSLBP_PROGRESS_DIR=str(home / "progress" / "learners"), HOME=str(home / "user-home"))
        (home / "user-home").mkdir(exist_ok=True)
    return env


def write_lab_settings(settings_dir: Path, quiet_news: bool = True) -> None:
    """User settings for the Lab under test: no autosave, no virtual windowing, and (``quiet_news``) no news or
    update checks."""
    _write_json(
        settings_dir / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings",
        {"autosave": False},
    )
    _write_json(
        settings_dir / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
        {"windowingMode": "none"},
    )
    if quiet_news:
        _write_json(
            settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
            {"fetchNews": "false", "checkForUpdates": False},
        )


@dataclass
class ServerProcess:
    """A Jupyter server (Lab or Voila) started by this harness, stopped by its own PID."""

    name: str
    process: subprocess.Popen
    port: int
    home: Path
    log_path: Path
    token: str = ""
    _stopped: bool = field(default=False, repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def progress_file(self) -> Path:
        return self.home / "progress" / "attempts.json"

    @property
    def learners_dir(self) -> Path:
        """The per-learner progress files of a server started with ``progress="browser"``."""
        return self.home / "progress" / "learners"

    def log_tail(self, chars: int = 3000) -> str:
        """Last part of the server's combined stdout/stderr, for failure messages."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop the server: SIGTERM to its PID (it shuts its kernels down), then SIGKILL to whatever of it and
        its own child processes (kernels run in sessions of their own) is still alive."""
        if self._stopped:
            return
        self._stopped = True
        pid = self.process.pid
        children = _descendants(pid)
        if self.process.poll() is None:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        # The server was started in a new session, so its process group id is its own PID: this reaches
        # the server and any kernel it left behind, and nothing else.
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for child, started in children.items():
            if _start_time(child) == started:  # the same process, not a reused PID
                try:
                    os.kill(child, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


def _start_time(pid: int) -> str | None:
    """Start time of a process (field 22 of /proc/<pid>/stat), to tell a process from a reused PID."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _descendants(pid: int) -> dict[int, str]:
    """PIDs (with start times) of every descendant of ``pid``, read from /proc (Linux; empty elsewhere)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in found:
                started = _start_time(child)
                if started is not None:
                    found[child] = started
                    frontier.append(child)
    return found


def _start(name: str, cmd: list[str], home: Path, port: int, env: dict[str, str], cwd: Path) -> ServerProcess:
    log_path = home / f"{name}.log"
    log = open(log_path, "wb")  # noqa: SIM115 - kept open for the life of the process
    proc = subprocess.Popen(
        cmd,
        cwd=str(cwd),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    server = ServerProcess(name=name, process=proc, port=port, home=home, log_path=log_path)
    atexit.register(server.stop)
    return server


def _wait_http(server: ServerProcess, path: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    last = ""
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise HarnessError(
                f"{server.name} exited with code {server.process.returncode} before it was ready.\n"
                f"Log:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(server.base_url + path, timeout=5) as resp:
                if resp.status == 200:
                    return
                last = f"HTTP {resp.status}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.3)
    raise HarnessError(
        f"{server.name} not ready on {server.base_url}{path} after {timeout_s:.0f} s (last: {last}).\n"
        f"Log:\n{server.log_tail()}"
    )


def start_lab(home: Path, root_dir: Path = REPO_ROOT, extra_args: tuple[str, ...] = (),
              set_root_dir: bool = True, progress: str = "file", quiet_news: bool = True) -> ServerProcess:
    """Start JupyterLab on a free loopback port with a random token and fully isolated state.

    Served from ``root_dir`` (the repository root) so ``notebooks/...`` paths work. Checkpoints,
    workspaces, user settings and LSP virtual documents go under ``home``; autosave is off. With
    ``quiet_news=False`` the user settings leave the news question to JupyterLab's defaults (to test
    whatever the command line sets instead).
    """
    home.mkdir(parents=True, exist_ok=True)
    env = isolated_env(home, progress)
    settings = home / "user-settings"
    write_lab_settings(settings, quiet_news=quiet_news)
    port = free_port()
    token = secrets.token_hex(24)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        *([f"--ServerApp.root_dir={root_dir}"] if set_root_dir else []),
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",
        f"--LanguageServerManager.virtual_documents_dir={home / 'virtual_documents'}",
        "--LanguageServerManager.autodetect=False",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        *extra_args,
    ]
    server = _start("jupyterlab", cmd, home, port, env, root_dir)  # root_dir is also the working folder
    server.token = token
    try:
        _wait_http(server, f"/api/status?token={token}", SERVER_START_TIMEOUT_S)
    except BaseException:
        server.stop()
        raise
    return server


def open_voila_page(context, server: ServerProcess, ready: str = ".mslbp-case"):
    """Open a Voila server's page in a browser context and wait until ``ready`` shows: (page, its ConsoleLog). If it
    never shows, fail with what the page and the server's log say."""
    page = context.new_page()
    console = ConsoleLog(page, VOILA_CONSOLE_ALLOW_LIST)
    page.goto(server.base_url + "/", wait_until="domcontentloaded", timeout=RUN_ALL_TIMEOUT_S * 1000)
    try:
        page.locator(ready).first.wait_for(state="visible", timeout=RUN_ALL_TIMEOUT_S * 1000)
    except Exception as exc:
        raise AssertionError(f"no {ready} within {RUN_ALL_TIMEOUT_S} s: {page.inner_text('body')[:2000]}\n"
                             f"{server.log_tail()}") from exc
    return page, console


def start_voila(home: Path, notebook: Path, root_dir: Path = REPO_ROOT, progress: str = "file",
                env_extra: dict[str, str] | None = None, extra_args: tuple[str, ...] = ()) -> ServerProcess:
    """Serve one notebook with Voila on a free loopback port (student view: code stripped). ``progress``: see
    :func:`isolated_env`; ``env_extra``: more environment for the server and its kernels (e.g. ``MSLBP_DATA_DIR``
    for a fixture data folder); ``extra_args`` are added to the command (e.g. Voila options a benchmark compares)."""
    home.mkdir(parents=True, exist_ok=True)
    env = isolated_env(home, progress)
    env.update(env_extra or {})
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "voila",
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        *extra_args,
        str(notebook.relative_to(root_dir)),
    ]
    server = _start("voila", cmd, home, port, env, root_dir)
    try:
        _wait_http(server, "/voila/static/favicon.ico", SERVER_START_TIMEOUT_S)
    except HarnessError:
        # Older or newer Voila may not serve that asset; fall back to the root page.
        if server.process.poll() is not None:
            server.stop()
            raise
        _wait_http(server, "/", SERVER_START_TIMEOUT_S)
    except BaseException:
        server.stop()
        raise
    return server


def read_log(server: ServerProcess) -> str:
    """The whole log of a server started here."""
    return server.log_path.read_text(encoding="utf-8", errors="replace")


def api(server: ServerProcess, method: str, path: str, body: dict | None = None) -> object:
    """Call the Jupyter REST API of ``server`` with its token."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        server.base_url + path,
        data=data,
        method=method,
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        raw = resp.read()
    return json.loads(raw) if raw else None


def shutdown_kernels(server: ServerProcess) -> None:
    """Shut down every kernel of the Lab server (between notebooks, to keep two cores free)."""
    try:
        for kernel in api(server, "GET", "/api/kernels") or []:
            try:
                api(server, "DELETE", f"/api/kernels/{kernel['id']}")
            except urllib.error.URLError:
                pass
    except (urllib.error.URLError, OSError):
        pass


# --------------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------------


@contextmanager
def chromium(headless: bool = True) -> Iterator[object]:
    """Yield a Playwright Chromium browser (Debian chromium; a fresh profile per launch)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise HarnessError(f"Chromium not found at {CHROMIUM} (set MSLBP_CHROMIUM to its path)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=headless)
        try:
            yield browser
        finally:
            browser.close()


class ConsoleLog:
    """Collect browser console errors and uncaught page errors of one page."""

    def __init__(self, page, extra_allowed: list[tuple[str, str]] | None = None) -> None:
        self.errors: list[str] = []
        self.allowed = CONSOLE_ALLOW_LIST + list(extra_allowed or [])
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def _on_console(self, msg) -> None:
        if msg.type == "error":
            location = msg.location or {}
            url = location.get("url", "")
            self.errors.append(f"{msg.text} [{url}]" if url else msg.text)

    def unexpected(self) -> list[str]:
        """Errors that match no entry of the allow-list."""
        return [e for e in self.errors if not any(re.search(rx, e, re.S) for rx, _ in self.allowed)]


# JavaScript run in the page: find the open notebook panel and its kernel.
_JS_PANEL = """
() => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  const w = app.shell.currentWidget;
  if (!w || !w.content || !w.sessionContext || !w.content.model) return null;
  return w;
}
"""

_JS_KERNEL_READY = (
    "() => { const w = (" + _JS_PANEL + ")(); if (!w) return false;"
    " const s = w.sessionContext; const k = s.session && s.session.kernel;"
    " return !!(k && w.context.isReady && k.connectionStatus === 'connected'"
    " && (k.status === 'idle' || k.status === 'busy')); }"
)

#: What only a copy of plotly.js contains: the header of plotly.min.js, and an error message of its source (found in
#: the bundle a go.FigureWidget ships as its ``_esm`` state).
PLOTLY_JS_SIGNATURE = r"plotly\.js v\d|No argument passed to Plotly\.register"

# Kernel messages are watched from the moment the notebook opens: errors (for the checker), and the widget state
# the kernel sends (comm_open and comm_msg on iopub: JSON data plus binary buffers), counted per comm, with a flag
# for a copy of plotly.js in any of it.
_JS_INSTALL_LISTENER = (
    "() => { const w = (" + _JS_PANEL + ")();"
    " window.__kernelErrors = window.__kernelErrors || [];"
    " window.__widgetState = window.__widgetState || {bytes: 0, messages: 0, largest: 0, largestName: '',"
    "  perComm: {}, names: {}, plotlyJs: []};"
    " const sig = new RegExp(" + json.dumps(PLOTLY_JS_SIGNATURE) + ");"
    " const countComm = (msg) => { const ws = window.__widgetState; const c = msg.content || {};"
    "  const text = JSON.stringify(c.data || {}); let n = text.length;"
    "  for (const b of (msg.buffers || [])) { n += (b && b.byteLength) || 0; }"
    "  ws.bytes += n; ws.messages += 1; ws.perComm[c.comm_id] = (ws.perComm[c.comm_id] || 0) + n;"
    "  const state = (c.data && c.data.state) || {};"
    "  if (state._model_name) ws.names[c.comm_id] = state._model_name;"
    "  const name = ws.names[c.comm_id] || c.target_name || '';"
    "  if (n > ws.largest) { ws.largest = n; ws.largestName = name; }"
    "  if (sig.test(text)) ws.plotlyJs.push(name || c.comm_id); };"
    " const hook = (kernel) => { if (!kernel || kernel.__mslbpHooked) return; kernel.__mslbpHooked = true;"
    "  kernel.iopubMessage.connect((_, msg) => { const t = msg.header.msg_type;"
    "   if (t === 'comm_open' || t === 'comm_msg') countComm(msg);"
    "   if (t === 'error') {"
    "   window.__kernelErrors.push({ename: msg.content.ename, evalue: msg.content.evalue,"
    "    parent: (msg.parent_header && msg.parent_header.msg_type) || '',"
    "    parent_id: (msg.parent_header && msg.parent_header.msg_id) || ''}); } }); };"
    " hook(w.sessionContext.session.kernel);"
    " w.sessionContext.kernelChanged.connect((_, c) => hook(c.newValue)); return true; }"
)

_JS_RUN_ALL = (
    "async (timeoutMs) => { const app = window.jupyterapp;"
    " await app.commands.execute('notebook:clear-all-cell-outputs');"
    " const run = app.commands.execute('notebook:run-all-cells');"
    " const timer = new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), timeoutMs));"
    " try { await Promise.race([run, timer]); return 'done'; } catch (e) { return String(e); } }"
)

# Per cell: model outputs (type, mime types, error name/value, widget model ids) and what the DOM shows.
_JS_COLLECT = (
    "() => { const w = (" + _JS_PANEL + ")(); const out = [];"
    " const cells = w.content.model.cells;"
    " for (let i = 0; i < cells.length; i++) {"
    "  const cell = cells.get(i); const view = w.content.widgets[i];"
    "  const rec = {index: i, type: cell.type, outputs: [], dom: null, execCount: null, running: false};"
    "  if (cell.type === 'code') {"
    "   rec.execCount = cell.executionCount;"
    "   const outs = cell.outputs;"
    "   for (let j = 0; j < outs.length; j++) { const o = outs.get(j).toJSON();"
    "    const data = o.data || {}; const wv = data['application/vnd.jupyter.widget-view+json'];"
    "    rec.outputs.push({output_type: o.output_type, mimes: Object.keys(data), ename: o.ename || '',"
    "     evalue: o.evalue || '', name: o.name || '', text: (o.text || '').slice(0, 500),"
    "     plain: String(data['text/plain'] || '').slice(0, 200), model_id: wv ? wv.model_id : null}); }"
    "   const node = view.node; const area = node.querySelector('.jp-OutputArea');"
    "   const outputNodes = area ? Array.from(area.querySelectorAll(':scope > .jp-OutputArea-child')) : [];"
    "   rec.dom = {"
    "    text: area ? area.innerText.slice(0, 20000) : '',"
    "    rendered: outputNodes.map(n => { const o = n.querySelector(':scope > .jp-OutputArea-output');"
    "       if (!o) return 'nothing'; const m = o.querySelector('[data-mime-type]');"
    "       if (m && !o.querySelector('.jupyter-widgets, .js-plotly-plot')) return m.getAttribute('data-mime-type');"
    "       if (o.querySelector('.jupyter-widgets-error-widget')) return 'error-widget';"
    "       if (o.querySelector('.jupyter-widgets, .js-plotly-plot')) return 'widget';"
    "       return o.children.length ? 'other' : 'nothing'; }),"
    "    errorWidgets: area ? Array.from(area.querySelectorAll('.jupyter-widgets-error-widget'))"
    "       .map(e => e.innerText.slice(0, 300)) : [],"
    "    plotlyDivs: area ? area.querySelectorAll('.js-plotly-plot').length : 0,"
    "    plotlyDrawn: area ? Array.from(area.querySelectorAll('.js-plotly-plot'))"
    "       .filter(p => p.querySelector('svg.main-svg')).length : 0,"
    "   };"
    "  }"
    "  out.push(rec); }"
    " return out; }"
)

_JS_LOADING_LEFT = (
    "() => { const w = (" + _JS_PANEL + ")(); if (!w) return -1;"
    " const t = Array.from(w.content.node.querySelectorAll('.jp-OutputArea')).map(a => a.innerText).join(' ');"
    " return (t.match(/Loading widgets?/g) || []).length; }"
)

# Kernel-side count of plotly FigureWidgets displayed in each widget output (walks children and
# Output-widget outputs), via user_expressions so the notebook itself is not touched.
_PY_FIGURE_COUNT = (
    "(lambda ids: (lambda W, walk: __import__('json').dumps({i: walk(walk, W.widgets.get(i), W) for i in ids}))("
    "__import__('ipywidgets').Widget,"
    " lambda self, w, W: 0 if w is None else ("
    "  (1 if any(c.__name__ == 'BaseFigureWidget' for c in type(w).__mro__) else 0)"
    "  + sum(self(self, c, W) for c in (getattr(w, 'children', None) or ()))"
    "  + sum(self(self, W.widgets.get(((o.get('data') or {}).get('application/vnd.jupyter.widget-view+json')"
    "    or {}).get('model_id')), W) + (1 if 'application/vnd.plotly.v1+json' in (o.get('data') or {}) else 0)"
    "    for o in (getattr(w, 'outputs', None) or ()) if isinstance(o, dict)))))"
)

_JS_KERNEL_EXPR = (
    "async (expr) => { const w = (" + _JS_PANEL + ")(); const k = w.sessionContext.session.kernel;"
    " const fut = k.requestExecute({code: '', silent: true, store_history: false,"
    "   user_expressions: {r: expr}});"
    " const timer = new Promise((_, rej) => setTimeout(() => rej(new Error('no reply in 60 s')), 60000));"
    " let reply; try { reply = await Promise.race([fut.done, timer]); } catch (e) { return {error: String(e)}; }"
    " const r = reply.content.user_expressions.r;"
    " if (r.status !== 'ok') return {error: r.ename + ': ' + r.evalue};"
    " return {value: r.data['text/plain']}; }"
)


@dataclass
class WidgetState:
    """Widget state the kernel sent to the page while a notebook was open (comm_open and comm_msg on iopub)."""

    bytes: int = 0
    messages: int = 0
    comms: int = 0
    largest: int = 0
    largest_name: str = ""
    plotly_js: list[str] = field(default_factory=list)  # models (or comm ids) whose state holds plotly.js

    @classmethod
    def from_page(cls, page) -> WidgetState:
        """Read the counters the kernel-message listener keeps in the page."""
        ws = page.evaluate("() => window.__widgetState || null") or {}
        return cls(bytes=int(ws.get("bytes", 0)), messages=int(ws.get("messages", 0)),
                   comms=len(ws.get("perComm", {})), largest=int(ws.get("largest", 0)),
                   largest_name=str(ws.get("largestName", "")), plotly_js=list(ws.get("plotlyJs", [])))


#: Most widget state (bytes the kernel sends as comm messages) one notebook may cause: a go.FigureWidget alone sends
#: about 5 MB of plotly.js; the course's notebooks send tens of kilobytes.
WIDGET_STATE_BUDGET_BYTES = 2_000_000


def widget_state_problems(state: WidgetState | None, budget: int = WIDGET_STATE_BUDGET_BYTES) -> list[str]:
    """What is wrong with a notebook's widget state: over the budget, or a copy of plotly.js in it. Pure function."""
    if state is None or state.messages == 0:
        return ["no widget state was seen: the kernel-message listener did not run"]
    problems = []
    if state.bytes > budget:
        problems.append(f"widget state {state.bytes:,} bytes in {state.messages} comm messages, over the budget "
                        f"of {budget:,} (largest message {state.largest:,} bytes, {state.largest_name or '?'})")
    if state.plotly_js:
        problems.append(f"a copy of plotly.js in the widget state of {', '.join(sorted(set(state.plotly_js)))}: "
                        "show charts through the plotly mimetype (FigureView), never go.FigureWidget")
    return problems


@dataclass
class NotebookReport:
    """What the checker found for one notebook. ``problems`` is empty when the notebook is clean."""

    notebook: str
    problems: list[str] = field(default_factory=list)
    cells: list[dict] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    kernel_errors: list[dict] = field(default_factory=list)
    screenshot: Path | None = None
    expected_figures: int = 0
    drawn_figures: int = 0
    seconds: float = 0.0
    widget_state: WidgetState | None = None

    def summary(self) -> str:
        """A failure message: notebook, then each problem (cell index and what was wrong)."""
        head = f"{self.notebook}: {len(self.problems)} problem(s)"
        if self.screenshot:
            head += f" (screenshot: {self.screenshot})"
        return head + "\n" + "\n".join(f"  - {p}" for p in self.problems)


def lab_url(server: ServerProcess, notebook: str) -> str:
    """URL that opens ``notebook`` (path relative to the repo root) in a brand-new workspace."""
    workspace = "t" + uuid.uuid4().hex[:12]
    return f"{server.base_url}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={server.token}"


def open_notebook(page, server: ServerProcess, notebook: str) -> None:
    """Open ``notebook`` in a fresh workspace and wait until its kernel is connected."""
    page.goto(lab_url(server, notebook), wait_until="domcontentloaded", timeout=KERNEL_READY_TIMEOUT_S * 1000)
    try:
        page.wait_for_function(_JS_KERNEL_READY, timeout=KERNEL_READY_TIMEOUT_S * 1000, polling=250)
    except Exception as exc:  # playwright TimeoutError
        raise HarnessError(
            f"{notebook}: JupyterLab did not open the notebook with a connected kernel within "
            f"{KERNEL_READY_TIMEOUT_S} s ({type(exc).__name__}).\nServer log:\n{server.log_tail()}"
        ) from exc
    page.evaluate(_JS_INSTALL_LISTENER)


# Where a run-all stands: the kernel's status, and each code cell's execution count ('*' while it runs or waits).
_JS_RUN_STATE = (
    "() => { const w = (" + _JS_PANEL + ")(); if (!w) return 'no notebook panel';"
    " const k = w.sessionContext.session && w.sessionContext.session.kernel;"
    " const cells = []; for (let i = 0; i < w.content.model.cells.length; i++) {"
    "  const c = w.content.model.cells.get(i); if (c.type !== 'code') continue;"
    "  const busy = c.executionState === 'running'; cells.push(`${i}:${busy ? '*' : c.executionCount}`); }"
    " return `kernel ${k ? k.status : 'none'}; cells ${cells.join(' ')}`; }"
)


def run_all(page, notebook: str, timeout_s: float = RUN_ALL_TIMEOUT_S) -> None:
    """Clear all outputs and run all cells; return when execution has finished. On a timeout the error says where
    the run stood (the kernel's status, each code cell's execution count, '*' for one running or waiting)."""
    result = page.evaluate(_JS_RUN_ALL, int(timeout_s * 1000))
    if result != "done":
        try:
            where = page.evaluate(_JS_RUN_STATE)
        except Exception as exc:  # a page that no longer answers says so too
            where = f"the page did not answer ({type(exc).__name__})"
        raise HarnessError(f"{notebook}: run-all did not finish within {timeout_s:.0f} s ({result}; {where})")


def settle(page, timeout_s: float = WIDGET_SETTLE_TIMEOUT_S) -> None:
    """Wait until no 'Loading widget' text is left (or the timeout passes), then a short quiet time."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.evaluate(_JS_LOADING_LEFT) == 0:
            break
        page.wait_for_timeout(250)
    page.wait_for_timeout(int(SETTLE_QUIET_S * 1000))


def kernel_expression(page, expr: str) -> str:
    """Evaluate a Python expression in the notebook's kernel (not as a cell); return its text repr."""
    res = page.evaluate(_JS_KERNEL_EXPR, expr)
    if "error" in res:
        raise HarnessError(f"kernel expression failed: {res['error']}")
    return res["value"]


def _parse_py_str(value: str) -> str:
    import ast

    return ast.literal_eval(value)


def analyse(
    notebook: str,
    cells: list[dict],
    figure_widgets: dict[str, int],
    console: list[str],
    kernel_errors: list[dict],
    loading_left: int,
) -> tuple[list[str], int, int]:
    """Turn collected facts into problems. Pure function: the core of the checker.

    Returns (problems, expected plotly figures, drawn plotly figures).
    """
    problems: list[str] = []
    expected_total = drawn_total = 0
    execute_parent_errors = 0
    errored = False
    for cell in cells:
        if cell["type"] != "code":
            continue
        i = cell["index"]
        if cell.get("execCount") is None and not errored:
            problems.append(f"cell {i}: not executed by run-all (no execution count)")
        errored = errored or any(o["output_type"] == "error" for o in cell["outputs"])
        for out in cell["outputs"]:
            if out["output_type"] == "error":
                execute_parent_errors += 1
                problems.append(f"cell {i}: error output {out['ename']}: {out['evalue']}")
        dom = cell["dom"] or {}
        expected = 0
        for j, out in enumerate(cell["outputs"]):
            if "application/vnd.plotly.v1+json" in out["mimes"]:
                expected += 1
            if out["model_id"]:
                expected += figure_widgets.get(out["model_id"], 0)
                rendered = dom.get("rendered", [])
                shown = rendered[j] if j < len(rendered) else "nothing"
                if shown not in ("widget", "error-widget"):  # error widgets are reported below
                    problems.append(
                        f"cell {i}: widget output {j} not rendered as a widget "
                        f"(shown as {shown}: {out['plain'][:80]!r})"
                    )
        for text in dom.get("errorWidgets", []):
            problems.append(f"cell {i}: widget failed to render (error box shown: {text.strip()[:200]!r})")
        text = dom.get("text", "")
        match = WIDGET_FALLBACK_RE.search(text)
        if match:
            start = max(0, match.start() - 20)
            problems.append(f"cell {i}: plain-text widget fallback in output: {text[start : match.end() + 40]!r}")
        if "Loading widget" in text:
            problems.append(f"cell {i}: 'Loading widget' still shown after the settle time")
        drawn = dom.get("plotlyDrawn", 0)
        if drawn < expected:
            problems.append(f"cell {i}: {expected} plotly figure(s) expected, {drawn} drawn")
        expected_total += expected
        drawn_total += drawn
    if loading_left > 0 and not any("Loading widget" in p for p in problems):
        problems.append(f"notebook: {loading_left} 'Loading widget' placeholder(s) left after the settle time")
    for err in kernel_errors:
        if err.get("parent") != "execute_request":
            problems.append(
                f"kernel error outside a cell run (from a {err.get('parent') or 'unknown'} message, "
                f"e.g. a widget callback): {err['ename']}: {err['evalue']}"
            )
    n_exec_errors = sum(1 for e in kernel_errors if e.get("parent") == "execute_request")
    if n_exec_errors > execute_parent_errors:
        problems.append(
            f"kernel reported {n_exec_errors} error(s) during the run, the notebook model shows {execute_parent_errors}"
        )
    for msg in console:
        problems.append(f"browser console error: {msg[:300]}")
    return problems, expected_total, drawn_total


def screenshot_notebook(page, path: Path) -> None:
    """Screenshot the whole open notebook: the viewport is stretched to its height for the shot."""
    size = page.viewport_size or {"width": 1280, "height": 900}
    height = page.evaluate(
        "() => { const w = jupyterapp.shell.currentWidget; if (!w || !w.content) return 0;"
        " const outer = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;"
        " outer.scrollTop = 0; return Math.max(outer.scrollHeight, w.content.node.scrollHeight); }"
    )
    tall = min(max(size["height"], int(height) + 200), 12000)
    page.set_viewport_size({"width": size["width"], "height": tall})
    try:
        page.wait_for_timeout(300)
        page.screenshot(path=str(path), timeout=30_000)
    finally:
        page.set_viewport_size(size)


def check_notebook(
    page,
    server: ServerProcess,
    notebook: str,
    screenshot_dir: Path | None = None,
    interact: Callable[[object], None] | None = None,
) -> NotebookReport:
    """Open ``notebook`` in Lab, clear outputs, run all, settle, and report everything that is wrong.

    ``interact(page)`` (optional) runs after the notebook has run, for checks that need a click.
    Returns a report; ``report.problems`` is empty for a clean notebook.
    """
    t0 = time.monotonic()
    report = NotebookReport(notebook=notebook)
    console = ConsoleLog(page)
    open_notebook(page, server, notebook)
    run_all(page, notebook)
    settle(page)
    if interact is not None:
        interact(page)
        settle(page)
    cells = page.evaluate(_JS_COLLECT)
    model_ids = [o["model_id"] for c in cells for o in c["outputs"] if o["model_id"]]
    try:
        raw = kernel_expression(page, f"{_PY_FIGURE_COUNT}({json.dumps(model_ids)})") if model_ids else "'{}'"
        figure_widgets = json.loads(_parse_py_str(raw))
    except HarnessError as exc:
        figure_widgets = {}
        report.problems.append(f"could not count FigureWidgets in the kernel: {exc}")
    kernel_errors = page.evaluate("() => window.__kernelErrors || []")
    report.widget_state = WidgetState.from_page(page)
    loading_left = page.evaluate(_JS_LOADING_LEFT)
    report.cells = cells
    report.console_errors = console.unexpected()
    report.kernel_errors = kernel_errors
    problems, report.expected_figures, report.drawn_figures = analyse(
        notebook, cells, figure_widgets, report.console_errors, kernel_errors, loading_left
    )
    report.problems.extend(problems)
    if screenshot_dir is not None:
        screenshot_dir.mkdir(parents=True, exist_ok=True)
        shot = screenshot_dir / (re.sub(r"[^A-Za-z0-9_.-]", "_", notebook) + ".png")
        try:
            screenshot_notebook(page, shot)
            report.screenshot = shot
        except Exception as exc:  # a screenshot is for humans; a failed one must not hide the result
            print(f"screenshot of {notebook} failed: {exc}")
    report.seconds = time.monotonic() - t0
    return report


def temp_home(prefix: str) -> Path:
    """A new temporary folder outside the repository."""
    return Path(tempfile.mkdtemp(prefix=prefix))
