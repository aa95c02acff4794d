"""What the benchmarks share: the machine's load, the JSON result file, the course notebooks and their imports,
and floor notebooks (plain ipywidgets and plotly doing the same amount of showing) written to a temporary folder.

Not a benchmark itself. Every benchmark prints its figures with the load average (other work on the machine
inflates the seconds, much less the ratios, because the two sides of a ratio run interleaved in one run) and
writes a JSON result to ``benchmarks/results/<name>.json`` (or ``--json PATH``).
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
IMPORT_LINE = re.compile(r"^from mslbp_widgets import (.+)$", re.M)


def load_average() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages (NaN where the system has none)."""
    return os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3


def machine() -> dict:
    """Where and when the figures were measured."""
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in load_average()],
    }


def load_line(label: str = "load average") -> str:
    one, five, fifteen = load_average()
    return f"{label}: {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min) on {os.cpu_count()} CPU(s)"


def write_result(name: str, result: dict, path: str | os.PathLike[str] | None = None) -> Path:
    """Write ``result`` (plus the machine and the load at the end) as JSON; return the file written."""
    out = Path(path) if path else RESULTS / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = {"benchmark": name, **result, "machine": machine()}
    out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return out


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs)


def course_notebooks() -> list[Path]:
    """The course's notebooks, in order."""
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def code_cells(notebook: Path) -> list[str]:
    """The source of every code cell of a notebook."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells if c["cell_type"] == "code"]


def notebook_imports(notebook: Path) -> list[str]:
    """The names a notebook imports from mslbp_widgets (every ``from mslbp_widgets import ...`` line), in order."""
    names: list[str] = []
    for src in code_cells(notebook):
        for match in IMPORT_LINE.finditer(src):
            names += [n.strip() for n in match.group(1).split(",") if n.strip() not in names]
    return list(dict.fromkeys(names))


def floor_notebook(path: Path, cells_n: int, widgets_n: int, top_charts: int, widget_charts: int) -> Path:
    """Write a floor notebook: only ipywidgets and plotly, ``cells_n`` code cells that together create ``widgets_n``
    widget models (Labels in VBoxes, topped up to the count in the kernel) and show ``top_charts`` plain go.Figure
    bar charts as cell outputs and ``widget_charts`` inside ipywidgets.Output widgets."""
    import nbformat

    cells = ["import ipywidgets as w\nimport plotly.graph_objects as go\nfrom IPython.display import display"]
    rest = max(1, cells_n - 1)
    fig = "go.Figure(go.Bar(x=['a', 'b', 'c'], y=[1, 3, 2]))"

    def share(total: int, i: int) -> int:
        return total // rest + (1 if i < total % rest else 0)

    for i in range(rest):
        lines = [f"display({fig})"] * share(top_charts, i)
        lines += [f"o = w.Output()\nwith o:\n    display({fig})\ndisplay(o)"] * share(widget_charts, i)
        target = round(widgets_n * (i + 1) / rest)  # widget models in the kernel after this cell
        lines.append(f"labels = []\nwhile len(w.Widget.widgets) + 2 < {target}:  # the VBox and its layout\n"
                     "    labels.append(w.Label(value=f'label {len(labels)}'))\n"
                     "display(w.VBox(labels)) if labels else None")
        cells.append("\n".join(lines))
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i}"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


#: Appended to a copy of a notebook to count, in its kernel, what it showed: widget models, and plotly charts as cell
#: outputs and inside Output widgets.
_COUNT_CELL = """
import json as _j, ipywidgets as _w
_M = 'application/vnd.plotly.v1+json'
_in_widgets = sum(1 for _x in list(_w.Widget.widgets.values()) for _o in (getattr(_x, 'outputs', None) or ())
                  if isinstance(_o, dict) and _M in (_o.get('data') or {}))
_figure_widgets = sum(1 for _x in list(_w.Widget.widgets.values()) if type(_x).__name__ == 'FigureWidget')
_n = {'widgets': len(_w.Widget.widgets), 'charts_in_widgets': _in_widgets + _figure_widgets}
print('MSLBP-COUNT ' + _j.dumps(_n))
"""


def count_shown(notebook: Path, cwd: Path | None = None, timeout_s: int = 300) -> dict:
    """Run a copy of ``notebook`` (nbclient, a fresh kernel) and count what it showed: code cells, widget models,
    plotly charts as cell outputs (``top_charts``) and inside widgets (``widget_charts``)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_COUNT_CELL))
    NotebookClient(nb, timeout=timeout_s, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd or notebook.parent)}}).execute()
    top = sum(1 for c in nb.cells[:-1] if c.cell_type == "code" for o in c.get("outputs", [])
              if "application/vnd.plotly.v1+json" in o.get("data", {}))
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    counts = json.loads(text.split("MSLBP-COUNT ", 1)[1].splitlines()[0])
    return {"cells": sum(1 for c in nb.cells[:-1] if c.cell_type == "code"), "widgets": counts["widgets"],
            "top_charts": top, "widget_charts": counts["charts_in_widgets"]}


def ensure_importable() -> None:
    """Kernels and child processes started by a benchmark import this checkout's package, from compiled bytecode
    as any used checkout or installed copy does (the libraries it is compared with have theirs): the package is
    compiled once here (``__pycache__`` folders, ignored by git), even where PYTHONDONTWRITEBYTECODE is set."""
    import compileall

    compileall.compile_dir(str(ROOT / "mslbp_widgets"), quiet=1)
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def seed_attempts(path: Path, n: int = 300, skip_cases: Sequence[str] = (), seed: int = 12) -> Path:
    """Write a progress file holding ``n`` attempts at the course's case questions (random choices, evaluated by
    the case engine; about one in three a second try), none at the cases in ``skip_cases``. Only questions with
    options are drawn (matching, ordering and numeric questions have none)."""
    import random

    from mslbp_widgets.logic.cases import case_library
    from mslbp_widgets.logic.evaluate import evaluate
    from mslbp_widgets.logic.progress import ProgressLog

    rng = random.Random(seed)
    questions = [(c.id, q) for c in case_library().values() if c.id not in skip_cases for q in c.questions
                 if q.options]
    log = ProgressLog.in_memory(path, "benchmark seed")
    for _ in range(n):
        case_id, q = rng.choice(questions)
        ids = [o.id for o in q.options]
        pick = rng.sample(ids, rng.randint(1, len(ids))) if q.type == "multiple" else rng.choice(ids)
        log.record(case_id, evaluate(q, pick, rng.randint(1, 5)))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(log.export_json(), encoding="utf-8")
    return path
