"""The bibliography (logic/references.py): keys load, citations render escaped, a bad file names its field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mslbp_widgets.logic.errors import DataValidationError
from mslbp_widgets.logic.paths import data_dir
from mslbp_widgets.logic.references import cite, load_references
from mslbp_widgets.ui.render import citations_html

DATA = data_dir()
DOSE = re.compile(r"\b\d+(\.\d+)?\s?(mg|mcg|µg|microgram|g/day|ml/h|units?)\b", re.IGNORECASE)
CHECKS = ["check-05-red-flags", "check-06-management"]


def test_references_load_and_render() -> None:
    refs = load_references()
    assert "foley-2013" in refs and "Foley PL" in cite("foley-2013")
    assert "lay source" in cite("verywell-ms-lbp")
    assert citations_html(["foley-2013", "truini-2013"]).startswith("<ol class='mslbp-references'><li>Foley PL")
    assert "Barbanti" in cite("truini-2013"), "the seed's 'Barbant P' is corrected"
    with pytest.raises(KeyError, match="unknown reference key 'nobody'"):
        cite("nobody")


def test_reference_html_is_escaped(tmp_path: Path) -> None:
    html = citations_html(["oconnor-2008"])
    assert "O&#x27;Connor" in html and "<script" not in html


@pytest.mark.parametrize(
    ("text", "message"),
    [("- a list\n", "must be a mapping"), ("Bad Key:\n  citation: x\n  topic: y\n", "kebab-case"),
     ("k:\n  citation: ''\n  topic: y\n", "k.citation: required text"),
     ("k:\n  citation: x\n  topic: y\n  colour: red\n", "k.colour: unknown field"), ("k: [1\n", "not valid YAML"),
     ('k:\n  citation: "Title\\e]0;pwned\\a"\n  topic: y\n',
      "k.citation: holds control characters ([U+001B], [U+0007])")],
)
def test_bad_reference_files_name_the_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "references.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match=re.escape(message)) as info:
        load_references(path)
    assert str(path) in str(info.value)
