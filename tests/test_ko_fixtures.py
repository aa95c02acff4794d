"""Every `ko-*.yaml` fixture of every tool's data file fails with the message on its first line
(`# expect: <message>`), and the error names the file. One ko fixture per validation rule; the case files' ko
fixtures are checked in tests/test_cases_validation.py (they also name the field)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mslbp_widgets.logic.dermatomes import load_dermatomes
from mslbp_widgets.logic.diagrams import load_diagrams
from mslbp_widgets.logic.errors import DataValidationError
from mslbp_widgets.tools.features import load_features
from mslbp_widgets.tools.pathways import load_pathways
from mslbp_widgets.tools.screening import load_dn4
from mslbp_widgets.tools.sorting import load_exercise

FIXTURES = Path(__file__).parent / "fixtures"
LOADERS = {  # fixture folder -> (loader, the least number of ko fixtures it must have)
    "dermatomes": (load_dermatomes, 5),
    "diagrams": (load_diagrams, 7),
    "exercises": (load_exercise, 10),
    "features": (load_features, 10),
    "pathways": (load_pathways, 6),
    "screening": (load_dn4, 6),
}
CASES = [(folder, path) for folder in LOADERS for path in sorted((FIXTURES / folder).glob("ko-*.yaml"))]


@pytest.mark.parametrize("folder", sorted(LOADERS))
def test_each_tool_has_ko_fixtures(folder: str) -> None:
    assert sum(1 for f, _ in CASES if f == folder) >= LOADERS[folder][1]


@pytest.mark.parametrize(("folder", "path"), CASES, ids=[f"{f}/{p.name}" for f, p in CASES])
def test_every_ko_fixture_fails_with_its_expected_message(folder: str, path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: <message>'"
    expected = first.removeprefix("# expect: ")
    with pytest.raises(DataValidationError) as info:
        LOADERS[folder][0](path)
    assert expected in str(info.value)
    assert path.name in str(info.value), "the error names the file"
