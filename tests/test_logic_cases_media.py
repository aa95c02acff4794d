"""Tables and pictures in a case's stages (logic/cases/media.py): the checks `validate` runs and the picture's
bytes. Checks that need a file of their own (too large, an unsafe SVG, a PNG that is not one) run on a copy of
the data folder; the others have ko fixtures (tests/fixtures/cases/ko-table-*, ko-image-*)."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from helpers import REPO, branching_dict

from mslbp_widgets.logic.cases import load_case_file
from mslbp_widgets.logic.cases.media import (
    MAX_IMAGE_BYTES,
    ImageError,
    check_media,
    image_data_uri,
    image_problem,
)
from mslbp_widgets.logic.cases.model import Image
from mslbp_widgets.logic.errors import CaseValidationError
from mslbp_widgets.logic.paths import DATA_DIR_ENV

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
UNSAFE_SVG = REPO / "tests" / "fixtures" / "diagrams" / "ko-script.svg"


@pytest.fixture()
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the course's data folder, used as the data folder ($MSLBP_DATA_DIR), with an images/ folder."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    (data / "images").mkdir(exist_ok=True)
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    return data


def with_image(tmp_path: Path, file: str) -> Path:
    """The branching test case, its picture replaced by `file`, written to a case file."""
    import yaml

    data = branching_dict()
    data["stages"][3]["image"]["file"] = file
    path = tmp_path / "ok-branching.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_course_diagram_can_be_a_stage_picture() -> None:
    assert image_problem("diagrams/cord-and-column.svg") is None
    uri = image_data_uri(Image("diagrams/cord-and-column.svg", "alt"))
    assert uri.startswith("data:image/svg+xml;base64,")
    assert b"<svg" in base64.b64decode(uri.split(",", 1)[1])


@pytest.mark.parametrize("file", ["../references.yaml", "/etc/passwd", "images/My Picture.png", "images/x.gif",
                                  "cases/x.svg", "images/../cases/x.svg", "images/x.svg\n"])
def test_only_pictures_in_images_or_diagrams_are_allowed(file: str) -> None:
    assert "is not a picture of the course" in image_problem(file)


def test_a_png_in_images_is_shown_as_a_data_uri(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "images" / "posture.png").write_bytes(PNG)
    assert load_case_file(with_image(tmp_path, "images/posture.png")).stages[3].image.file == "images/posture.png"
    uri = image_data_uri(Image("images/posture.png", "alt"))
    assert uri == "data:image/png;base64," + base64.b64encode(PNG).decode()


def test_a_picture_over_the_size_limit_is_refused(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "images" / "huge.png").write_bytes(PNG + b"\x00" * MAX_IMAGE_BYTES)
    with pytest.raises(CaseValidationError) as info:
        load_case_file(with_image(tmp_path, "images/huge.png"))
    (problem,) = info.value.problems
    assert problem.field == "stages[3].image.file"
    assert f"over the limit of {MAX_IMAGE_BYTES:,}" in problem.message
    with pytest.raises(ImageError, match="over the limit"):
        image_data_uri(Image("images/huge.png", "alt"))


def test_an_svg_with_a_script_is_refused_by_the_diagrams_check(data_copy: Path, tmp_path: Path) -> None:
    shutil.copy(UNSAFE_SVG, data_copy / "images" / "unsafe.svg")
    with pytest.raises(CaseValidationError) as info:
        load_case_file(with_image(tmp_path, "images/unsafe.svg"))
    assert "has a script, an event handler, a foreignObject or a link outside the file" in str(info.value)
    with pytest.raises(ImageError):
        image_data_uri(Image("images/unsafe.svg", "alt"))


def test_a_file_whose_content_does_not_match_its_name_is_refused(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "images" / "fake.png").write_text("<svg></svg>", encoding="utf-8")
    (data_copy / "images" / "text.svg").write_text("just text", encoding="utf-8")
    assert image_problem("images/fake.png") == ("images/fake.png is not a PNG picture (its content does not match "
                                                "its name)")
    assert image_problem("images/text.svg") == "images/text.svg is not an SVG drawing"


def test_a_picture_removed_after_validation_cannot_be_shown(data_copy: Path) -> None:
    with pytest.raises(ImageError, match="no file images/gone.svg in the data folder"):
        image_data_uri(Image("images/gone.svg", "alt"))


def test_every_table_row_has_one_cell_per_column() -> None:
    data = branching_dict()
    assert check_media(data, "x.yaml") == []
    data["stages"][0]["table"]["rows"][1].append("extra")
    (problem,) = check_media(data, "x.yaml")
    assert (problem.field, problem.message) == (
        "stages[0].table.rows[1]",
        'this row has 4 cell(s) but the table has 3 column(s): give every row one cell per column (an empty cell is '
        'written "")')
