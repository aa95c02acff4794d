"""The package as an API (mslbp_widgets/__init__.py) and its layers: the root names every call a notebook makes,
loads lazily, and logic never imports widgets."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import mslbp_widgets

PACKAGE = Path(mslbp_widgets.__file__).resolve().parent

#: Which layers each layer may import from (besides itself). ui/ may import everything.
ALLOWED = {
    "logic": set(),
    "tools": {"logic"},
    "classroom": {"logic"},
    "charts": {"logic", "tools", "classroom"},
}
WIDGET_MODULES = ("ipywidgets", "IPython", "anywidget")


def test_every_public_name_resolves() -> None:
    assert set(mslbp_widgets.__all__) == set(mslbp_widgets._API) | {"EDUCATION_NOTICE", "__version__"}
    for name in mslbp_widgets._API:
        assert getattr(mslbp_widgets, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        mslbp_widgets.nope  # noqa: B018


def test_logic_from_the_root_pays_for_no_widgets_and_no_schema_wording() -> None:
    """Loading the valid course needs neither widgets nor jsonschema (which only words problems, slowly)."""
    code = ("import sys; from mslbp_widgets import evaluate, get_case, ProgressLog, load_exports, tally, summary_csv; "
            "get_case('lhermitte-shock-on-neck-flexion'); "
            "heavy = ('ipywidgets', 'plotly', 'IPython', 'anywidget', 'jsonschema'); "
            "print(sorted(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_importing_every_name_loads_no_library_before_it_is_needed() -> None:
    """A notebook's first cell (``from mslbp_widgets import ...``) costs about what ``import ipywidgets`` costs:
    plotly, PyYAML, mistune, the schema validators, filelock and multiprocessing load when first used
    (benchmarks/bench_imports.py measures the time)."""
    code = ("import sys, mslbp_widgets as m; [getattr(m, n) for n in m._API]; "
            "late = ('plotly', 'yaml', 'mistune', 'jsonschema', 'fastjsonschema', 'filelock', 'multiprocessing', "
            "'narwhals', 'concurrent.futures'); print(sorted(n for n in late if n in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def _imports(path: Path) -> list[tuple[str, int]]:
    """Absolute module names imported by a package file, with their line (relative imports resolved)."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[: len(parts) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
                if not node.module:  # from . import x
                    out += [(f"{name}.{a.name}", node.lineno) for a in node.names]
                    continue
            else:
                name = node.module or ""
            out.append((name, node.lineno))
    return out


def layer_violations(layer: str) -> list[str]:
    problems = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name, line in _imports(path):
            top = name.split(".")[0]
            where = f"{path.relative_to(PACKAGE)}:{line}"
            if top in WIDGET_MODULES:
                problems.append(f"{where} imports {name}: widgets belong in ui/")
            if top == "mslbp_widgets":
                sub = name.split(".")[1] if "." in name else ""
                if sub and sub != layer and sub not in ALLOWED[layer]:
                    problems.append(f"{where} imports {name}: {layer}/ may import only {sorted(ALLOWED[layer])}")
    return problems


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_import_downwards_only_and_never_widgets(layer: str) -> None:
    assert layer_violations(layer) == []


def test_plotly_is_built_only_in_charts_and_shown_only_in_ui() -> None:
    for layer in ("logic", "tools", "classroom"):
        for path in (PACKAGE / layer).rglob("*.py"):
            assert not [n for n, _ in _imports(path) if n.startswith("plotly")], path


def test_one_escaper_and_one_stylesheet() -> None:
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "text.py":
            assert "html.escape" not in text, f"{path.relative_to(PACKAGE)}: use logic.text.esc"
        assert "<style>" not in text or path.name == "render.py", f"{path.relative_to(PACKAGE)}: CSS goes in course.css"


def test_layer_check_can_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "mslbp_widgets"
    (fake / "logic").mkdir(parents=True)
    (fake / "logic" / "bad.py").write_text("import ipywidgets\nfrom ..ui import render\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert len(layer_violations("logic")) == 2


def test_every_file_the_package_reads_at_run_time_is_declared_as_package_data() -> None:
    """A regular install (Binder's `pip install .`, a hub image) ships only declared data files: every file under
    mslbp_widgets/ui/static must match a pattern of [tool.setuptools.package-data]."""
    import fnmatch
    import re

    root = Path(__file__).parents[1]
    section = (root / "pyproject.toml").read_text(encoding="utf-8").split("[tool.setuptools.package-data]", 1)[1]
    patterns = ast.literal_eval(re.search(r"^mslbp_widgets = (\[.*?\])$", section, re.M).group(1))
    static = sorted(p.relative_to(root / "mslbp_widgets").as_posix()
                    for p in (root / "mslbp_widgets" / "ui" / "static").iterdir())
    assert static and [p for p in static if not any(fnmatch.fnmatch(p, pat) for pat in patterns)] == []
