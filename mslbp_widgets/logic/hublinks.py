"""Links that open the course on a JupyterHub through nbgitpuller (plain logic; the command line is
``python -m mslbp_widgets hub-link``, see docs/hub.md).

A link has the form nbgitpuller documents::

    https://HUB/hub/user-redirect/git-pull?repo=…&branch=…&targetpath=…&urlpath=…

``user-redirect`` sends each learner to their own server (starting it if needed); nbgitpuller clones the course
into ``<home>/<targetpath>`` the first time and merges updates afterwards (a learner's own edits win), then opens
``urlpath``, which is relative to the server's root and therefore includes the clone's folder:
``lab/tree/<targetpath>/notebooks/<notebook>`` (JupyterLab) or ``voila/render/<targetpath>/notebooks/<notebook>``
(Voila, no code shown). ``targetpath`` is always given, so the folder named in ``urlpath`` is the folder the clone
goes to. Every query value is percent-encoded (``/`` as ``%2F``, ``:`` as ``%3A``, a space as ``%20``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from .errors import MslbpError
from .paths import data_dir
from .records import Record

#: The course's GitHub owner/repository: the one place it is written in the package (the README's Binder links
#: carry the same; tests/test_logic_hublinks.py checks that they agree). Forks change it here.
GITHUB_REPO = "mslbp-course/ms-low-back-pain"
DEFAULT_REPO = f"https://github.com/{GITHUB_REPO}"
DEFAULT_BRANCH = "main"
#: The notebook each app opens when none is named: the start notebook in JupyterLab, the case scenarios in Voila.
DEFAULT_NOTEBOOK = {"lab": "00_start_here.ipynb", "voila": "07_case_scenarios.ipynb"}
#: The app -> the server path that opens a notebook in it (after the clone's folder is prepended).
APP_PATH = {"lab": "lab/tree", "voila": "voila/render"}
APP_LABEL = {"lab": "JupyterLab", "voila": "Voila (no code shown)"}

#: The course's JupyterLab defaults (no pop-up asking about Jupyter news, no update checks): the file, and where
#: JupyterLab reads the defaults of an environment (its default app_settings_dir). Binder and a repo2docker image get
#: it from the repository's postBuild; any other hub image needs it copied there (docs/hub.md, section 2).
LAB_SETTINGS_FILE = "jupyterlab-settings/overrides.json"
LAB_SETTINGS_DIR = "{sys.prefix}/share/jupyter/lab/settings"


def lab_settings_note() -> str:
    """What a hub admin does so that JupyterLab opens without the Jupyter news pop-up (printed by ``hub-link``)."""
    return (f"JupyterLab asks learners about Jupyter news until the environment's defaults say not to: copy the "
            f"course's {LAB_SETTINGS_FILE} to {LAB_SETTINGS_DIR}/overrides.json in the learners' environment "
            "(an image built with repo2docker from the repository has it already); --LabApp.news_url=None does not "
            "remove the question. See docs/hub.md, section 2.")


_BRANCH = re.compile(r"(?!-)(?!.*\.\.)(?!.*//)(?!.*@\{)[A-Za-z0-9._/+-]+")
_REPO_SCHEMES = ("https", "http", "file")


class HubLinkError(MslbpError, ValueError):
    """An argument of a hub link is not usable (the message says which and how to fix it)."""


class NotebookLink(Record):
    """One notebook of the course and its links (one per app)."""

    name: str
    title: str
    links: dict[str, str]


def hub_base(hub: str) -> str:
    """The hub's address checked and without a trailing slash, e.g. ``https://hub.example.edu``.

    Raises HubLinkError for anything that is not the base address of a hub: no http(s) scheme, no host, a query or
    fragment, a user name or password in it, or a page of the hub (``…/hub/…``, ``…/user/…``) instead of its base.
    """
    text = str(hub).strip()
    if not text:
        raise HubLinkError("--hub: the hub's address is empty; give it as https://hub.example.edu")
    if any(ch.isspace() for ch in text):
        raise HubLinkError(f"--hub: {text!r} contains a space; give the hub's address, e.g. https://hub.example.edu")
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http"):
        guess = f" (did you mean https://{text}?)" if "://" not in text else ""
        raise HubLinkError(f"--hub: {text!r} must start with https:// (or http://){guess}")
    if not parts.hostname:
        raise HubLinkError(f"--hub: {text!r} has no host name; give it as https://hub.example.edu")
    if parts.username or parts.password:
        raise HubLinkError(f"--hub: {text!r} contains a user name or password; give the address without it")
    if parts.query or parts.fragment:
        raise HubLinkError(f"--hub: {text!r} has a '?' or '#' part; give only the hub's base address")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError:
        raise HubLinkError(f"--hub: {text!r} has a port that is not a number from 0 to 65535") from None
    path = parts.path.rstrip("/")
    segments = path.split("/")
    for page in ("hub", "user"):
        if page in segments:
            base = f"{parts.scheme}://{parts.netloc}" + "/".join(segments[: segments.index(page)])
            raise HubLinkError(f"--hub: {text!r} is a page of the hub, not its base address: give {base}")
    return f"{parts.scheme}://{parts.netloc}{path}"


def repo_target(repo: str) -> tuple[str, str]:
    """(the repository's address as given, without a trailing slash; the folder nbgitpuller clones it into).

    Accepts https:// (GitHub, GitLab, any git host that serves https), http:// and file:// (a repository on the hub
    server's own disk). Raises HubLinkError for an SSH address (``git@host:owner/repo``: learners' servers have no
    SSH key), a GitHub page inside a repository (``…/tree/main``), a query or fragment, or no repository name.
    """
    text = str(repo).strip()
    if not text:
        raise HubLinkError(f"--repo: the repository's address is empty; give it as {DEFAULT_REPO}")
    if re.match(r"^[\w.-]+@[\w.-]+:", text) or text.startswith("ssh://"):
        raise HubLinkError(f"--repo: {text!r} is an SSH address; learners' servers pull over https, so give the "
                           "https address (e.g. https://github.com/OWNER/REPO)")
    if any(ch.isspace() for ch in text):
        raise HubLinkError(f"--repo: {text!r} contains a space")
    parts = urlsplit(text)
    if parts.scheme not in _REPO_SCHEMES:
        guess = f" (did you mean https://{text}?)" if "://" not in text else ""
        raise HubLinkError(f"--repo: {text!r} must start with https:// (or http://, file://){guess}")
    if parts.scheme != "file" and not parts.hostname:
        raise HubLinkError(f"--repo: {text!r} has no host name")
    if parts.query or parts.fragment:
        raise HubLinkError(f"--repo: {text!r} has a '?' or '#' part; give the repository's address alone")
    path = parts.path.rstrip("/")
    segments = [s for s in path.split("/") if s]
    if (parts.hostname or "").lower() in ("github.com", "www.github.com") and len(segments) != 2:
        raise HubLinkError(f"--repo: {text!r} is not a GitHub repository's address: give "
                           "https://github.com/OWNER/REPO (without /tree/…, /blob/… or anything after the name)")
    name = segments[-1] if segments else ""
    name = name[:-4] if name.endswith(".git") else name
    if not name or name.startswith(".") or not re.fullmatch(r"[A-Za-z0-9._-]+", name):
        raise HubLinkError(f"--repo: {text!r} does not end in a repository name such as ms-low-back-pain")
    return text.rstrip("/"), name


def check_branch(branch: str) -> str:
    """The branch (or tag) name, checked: letters, digits and ``. _ / + -``; not starting with '-', no '..'."""
    text = str(branch).strip()
    if not _BRANCH.fullmatch(text) or text.endswith(("/", ".", ".lock")):
        raise HubLinkError(f"--branch: {text!r} is not a branch name (e.g. main, or a tag such as v0.1.0)")
    return text


def check_app(app: str) -> str:
    if app not in APP_PATH:
        raise HubLinkError(f"--open: {app!r} is not one of {', '.join(APP_PATH)}")
    return app


def notebooks_folder() -> Path:
    """The course's notebooks/ folder (beside its data folder)."""
    return data_dir().parent / "notebooks"


def course_notebooks(folder: Path | None = None) -> list[str]:
    """File names of the course's notebooks, in order (``00_start_here.ipynb`` …)."""
    folder = notebooks_folder() if folder is None else folder
    return sorted(p.name for p in folder.glob("[0-9]*.ipynb"))


def resolve_notebook(notebook: str | None, app: str, names: list[str]) -> str:
    """The notebook file a link opens: ``--notebook`` given as ``07``, ``07_case_scenarios``,
    ``07_case_scenarios.ipynb`` or ``notebooks/07_case_scenarios.ipynb``; the app's default when None."""
    if notebook is None:
        return DEFAULT_NOTEBOOK[app]
    text = str(notebook).strip()
    text = text[len("notebooks/"):] if text.startswith("notebooks/") else text
    if text in names:
        return text
    matches = [n for n in names if n == text + ".ipynb" or n.split("_", 1)[0] == text]
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(names) or "(none found)"
    raise HubLinkError(f"--notebook: {notebook!r} is not a notebook of the course; give one of: {listed} "
                       "(or just its number, e.g. 07)")


def pull_link(hub: str, repo: str = DEFAULT_REPO, branch: str = DEFAULT_BRANCH, app: str = "lab",
              notebook: str | None = None) -> str:
    """The nbgitpuller link that clones (or updates) the course on ``hub`` and opens ``notebook`` in ``app``.

    ``notebook`` is a file name in notebooks/ (None: the app's default, :data:`DEFAULT_NOTEBOOK`); it is not
    checked against the folder here (:func:`resolve_notebook` does that for the command line).
    """
    base = hub_base(hub)
    repo_url, target = repo_target(repo)
    app = check_app(app)
    name = DEFAULT_NOTEBOOK[app] if notebook is None else notebook
    query = urlencode([
        ("repo", repo_url),
        ("branch", check_branch(branch)),
        ("targetpath", target),
        ("urlpath", f"{APP_PATH[app]}/{target}/notebooks/{name}"),
    ], quote_via=quote, safe="")
    return f"{base}/hub/user-redirect/git-pull?{query}"


def notebook_title(path: Path) -> str:
    """The first Markdown heading of a notebook (without '#'), or its file name when it has none."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return path.name
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            for line in text.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip() or path.name
    return path.name


def notebook_links(hub: str, repo: str = DEFAULT_REPO, branch: str = DEFAULT_BRANCH,
                   folder: Path | None = None) -> list[NotebookLink]:
    """Every notebook of the course with its JupyterLab and Voila links."""
    folder = notebooks_folder() if folder is None else folder
    return [NotebookLink(name, notebook_title(folder / name),
                         {app: pull_link(hub, repo, branch, app, name) for app in APP_PATH})
            for name in course_notebooks(folder)]


def _md_text(text: str) -> str:
    """Text safe inside a Markdown table cell and link label."""
    return re.sub(r"([\\|\[\]*_`<>])", r"\\\1", " ".join(text.split()))


def markdown_table(rows: list[NotebookLink]) -> str:
    """A Markdown table (for a course page or an LMS): one row per notebook, a link per app."""
    head = "| Notebook | " + " | ".join(APP_LABEL[a] for a in APP_PATH) + " |"
    rule = "|---|" + "---|" * len(APP_PATH)
    lines = [head, rule]
    for row in rows:
        number = row.name.split("_", 1)[0]
        label = row.title if row.title.startswith(number) else f"{number} {row.title}"
        cells = " | ".join(f"[open]({row.links[a]})" for a in APP_PATH)
        lines.append(f"| {_md_text(label)} | {cells} |")
    return "\n".join(lines) + "\n"
