"""Every resource limit in one place (logic/limits.py): each is enforced with the message the table states, the
table in docs/architecture.md is the one the module makes, and the server configuration holds the same number."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from helpers import REPO
from helpers import as_bytes as _bytes
from helpers import attempt as _attempt
from helpers import export as _export

from mslbp_widgets.classroom.exports import load_exports
from mslbp_widgets.logic import limits
from mslbp_widgets.logic.errors import ExportFormatError
from mslbp_widgets.logic.export_format import parse_export, read_export, schema
from mslbp_widgets.logic.yamlfile import read_yaml

MESSAGES = {lim.name: lim.message for lim in limits.LIMITS}


def test_the_architecture_doc_holds_the_limits_table() -> None:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert limits.limits_table() in text, "regenerate the table with mslbp_widgets.logic.limits.limits_table()"


def test_the_export_schema_caps_attempts_at_the_stated_limit() -> None:
    assert schema()["properties"]["attempts"]["maxItems"] == limits.MAX_ATTEMPTS_PER_EXPORT


def test_yaml_limits_give_their_messages(tmp_path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * (limits.MAX_YAML_DEPTH + 1) + "]" * (limits.MAX_YAML_DEPTH + 1), encoding="utf-8")
    assert MESSAGES["MAX_YAML_DEPTH"] in str(read_yaml(deep)[1][0])
    alias = tmp_path / "alias.yaml"
    alias.write_text("a: &name [1]\nb: *name\n", encoding="utf-8")
    assert MESSAGES["MAX_YAML_ALIASES"] in str(read_yaml(alias)[1][0])
    big = tmp_path / "big.yaml"
    big.write_text("#" * (limits.MAX_DATA_FILE_BYTES + 1), encoding="utf-8")
    size = f"{limits.MAX_DATA_FILE_BYTES + 1:,}"
    assert MESSAGES["MAX_DATA_FILE_BYTES"].replace("N", size) in str(read_yaml(big)[1][0])


def test_export_limits_give_their_messages() -> None:
    with pytest.raises(ExportFormatError, match=MESSAGES["MAX_EXPORT_BYTES"]):
        parse_export(b" " * (limits.MAX_EXPORT_BYTES + 1), "huge.json")
    too_many = _export("a" * 32, [_attempt(1)] * (limits.MAX_ATTEMPTS_PER_EXPORT + 1))
    with pytest.raises(ExportFormatError) as info:
        read_export(_bytes(too_many), "many.json")
    assert MESSAGES["MAX_ATTEMPTS_PER_EXPORT"] in str(info.value)
    broken = _export("a" * 32, [{}] * (limits.MAX_SCHEMA_ERRORS * 3))
    with pytest.raises(ExportFormatError) as info:
        read_export(_bytes(broken), "broken.json")
    assert MESSAGES["MAX_SCHEMA_ERRORS"] in str(info.value)


def test_the_tally_file_limit_gives_its_message() -> None:
    (report,) = load_exports([("big.json", b" " * (limits.TALLY_FILE_MAX_BYTES + 1))]).reports
    assert report.reason == "too-large" and MESSAGES["TALLY_FILE_MAX_BYTES"] in report.detail


def test_the_upload_note_states_both_upload_limits() -> None:
    note = limits.upload_note()
    assert MESSAGES["UPLOAD_LIMIT_BYTES"] in note and MESSAGES["COURSE_SERVER_UPLOAD_BYTES"] in note


@pytest.mark.parametrize(("file", "app"), [("voila.json", "Voila"), ("jupyter_server_config.json", "ServerApp")])
def test_the_course_server_configuration_holds_the_stated_limit(file: str, app: str) -> None:
    config = json.loads((REPO / file).read_text(encoding="utf-8"))
    assert config[app] == {"tornado_settings": {"websocket_max_message_size": limits.COURSE_SERVER_UPLOAD_BYTES}}


_PROBE = """
import json
from jupyter_server.serverapp import ServerApp
from voila.app import Voila
server = ServerApp()
server.load_config_file()
voila = Voila()
voila.load_config_file("voila", path=voila.config_file_paths)
print(json.dumps([dict(server.config.get("ServerApp", {}).get("tornado_settings", {})),
                  dict(voila.config.get("Voila", {}).get("tornado_settings", {}))]))
"""


@pytest.mark.parametrize("config_path", [None, "."])
def test_which_server_reads_the_course_configuration_from_the_course_folder(tmp_path, config_path) -> None:
    """Measured, not assumed: Voila started in the course folder (as the README runs it) reads voila.json there;
    JupyterLab reads jupyter_server_config.json from the course folder only with JUPYTER_CONFIG_PATH=. (jupyter_core
    does not search the working folder), so its limit stays at tornado's 10 MB otherwise."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_NO_CONFIG="")
    if config_path:
        env["JUPYTER_CONFIG_PATH"] = config_path
    r = subprocess.run([sys.executable, "-c", _PROBE], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-1000:]
    server, voila = json.loads(r.stdout.strip().splitlines()[-1])
    wanted = {"websocket_max_message_size": limits.COURSE_SERVER_UPLOAD_BYTES}
    assert voila == wanted
    assert server == (wanted if config_path else {})


def test_the_threat_model_names_tests_that_exist() -> None:
    import re

    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    model = text[text.index("## Threat model"):]
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", model))
    files = set(re.findall(r"`((?:browser/)?test_[a-z0-9_]+\.py)`", model))
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "tests").rglob("test_*.py"))
    assert named and files
    assert not [n for n in named if f"def {n}(" not in sources]
    assert not [f for f in files if not (REPO / "tests" / f).is_file()]
