"""HTML/JS payloads for the no-script test, and a poisoned copy of the data folder carrying them in every text field.

Every payload that runs adds 1 to ``window.__mslbpXss`` (or opens a dialog): the page checks count executions, and
:func:`page_findings` also looks for live markup a payload could have planted (event-handler attributes,
``javascript:`` links, scripts). Nothing here is committed data: the copy is made in a temporary folder per run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

COUNTER = "__mslbpXss"
_BUMP = f"window.{COUNTER}=(window.{COUNTER}||0)+1"

#: One of each kind of trick: raw tags with handlers, a script, SVG, an auto-firing <details>, Markdown links and
#: images with javascript: or an attribute break-out, an iframe, an HTML entity-encoded handler.
PAYLOADS = (
    f'<img src=x onerror="{_BUMP}">',
    f"<script>{_BUMP}</script>",
    f'<svg onload="{_BUMP}"></svg>',
    f'<details open ontoggle="{_BUMP}"><summary>s</summary></details>',
    f"[link](javascript:{_BUMP})",
    f'![img](x" onerror="{_BUMP})',
    f"<iframe srcdoc=\"<script>parent.{COUNTER}=(parent.{COUNTER}||0)+1</script>\"></iframe>",
    "<img src=y onerror=alert(1)>",
)
PAYLOAD = " ".join(PAYLOADS)

#: Fields of the data files that hold text a learner or instructor reads (ids, enums, keys, dates, file names and
#: reference lists are constrained by the schemas and checked as such; a payload there is a validation error).
TEXT_FIELDS = {
    "action", "alt", "arm", "caption", "caveat", "checked", "citation", "description", "disclaimer",
    "escalation", "explanation", "facilitator_notes", "feedback", "hint", "instructions", "label", "landmark",
    "leg", "limits", "look_for", "next_step", "note", "problem", "prompt", "question", "reason", "region",
    "saddle", "section", "summary", "teaching_point", "text", "title", "topic", "trunk", "where", "why", "chain",
    "character",
}
#: Text columns of the CSV tables.
CSV_TEXT_COLUMNS = {"pain_type", "note", "finding", "population", "source_note"}


def _poison(value: object, key: str | None) -> object:
    if isinstance(value, dict):
        return {k: _poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, key) for v in value]
    if isinstance(value, str) and key in TEXT_FIELDS:
        return f"{value} {PAYLOAD}"
    return value


def poisoned_data(target: Path, source: Path) -> Path:
    """A copy of the data folder `source` at `target` with :data:`PAYLOAD` added to every text field of every YAML
    file (cases, checks, tool data, references, mechanisms, diagrams manifest) and every text column of the CSV
    tables. Comments are not kept (the copy is only read)."""
    shutil.copytree(source, target)
    for path in target.rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "references.yaml":
            data = {k: {f: (f"javascript:{_BUMP}" if f == "url" else f"{x} {PAYLOAD}") if isinstance(x, str) else x
                        for f, x in v.items()} for k, v in data.items()}  # every field; url is never shown
        else:
            data = _poison(data, None)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    for path in target.rglob("*.csv"):
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: f"{v} {PAYLOAD}" if k in CSV_TEXT_COLUMNS else v for k, v in row.items()})
        path.write_text(out.getvalue(), encoding="utf-8")
    return target


#: Loads every kind of data file the course reads (as the notebooks do), so a poisoned copy that breaks a schema
#: fails here with the file and field, not later as a blank page.
_CHECK = """
from mslbp_widgets.logic.cases import course_library
from mslbp_widgets.logic.references import load_references
from mslbp_widgets.logic.diagrams import load_diagrams
from mslbp_widgets.logic.datafiles import mechanism_labels
from mslbp_widgets.tools.features import load_features
from mslbp_widgets.tools.pathways import load_pathways
from mslbp_widgets.tools.red_flags import load_rules, load_imaging_findings
from mslbp_widgets.tools.epidemiology import get_prevalence
from mslbp_widgets.tools.sorting import get_exercise
for name in ("pain-sorter", "pain-sorter-pollmann", "treatment-matcher"):
    get_exercise(name)
print(len(course_library()), len(load_references()), len(load_diagrams()), len(mechanism_labels()),
      len(load_features().features), len(load_pathways()), len(load_rules().findings), len(load_imaging_findings()),
      len(get_prevalence("foley-2013-prevalence")))
"""


def check_loads(data_dir: Path, repo: Path) -> str:
    """Load every data file of the poisoned copy in a fresh Python; return what was loaded, or raise."""
    env = {**os.environ, "MSLBP_DATA_DIR": str(data_dir), "PYTHONPATH": str(repo)}
    r = subprocess.run([sys.executable, "-c", _CHECK], env=env, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise AssertionError(f"the poisoned data folder does not load:\n{r.stderr[-4000:]}")
    return r.stdout.strip()


def hostile_exports(folder: Path) -> dict[str, bytes]:
    """Learner exports for the class tally and the resume button: a valid export whose file name is a payload, an
    export with payloads in its keys and values, and a payload that is not JSON at all."""
    valid = {"format": "mslbp-attempts", "version": 1, "learner_id": "a" * 32, "exported_at": "2026-11-21T12:00:00Z",
             "attempts": [{"attempt_id": "b" * 32, "case_id": "lhermitte-shock-on-neck-flexion",
                           "question_id": "classification", "selection": ["lhermitte"], "verdict": "correct",
                           "score": 1.0, "confidence": 3, "time": "2026-11-21T11:00:00Z"}]}
    keyed = {**valid, "learner_id": "c" * 32, PAYLOADS[0]: PAYLOADS[2],
             "attempts": [{**valid["attempts"][0], "case_id": PAYLOADS[3], PAYLOADS[1]: 1}]}
    files = {
        f"{PAYLOADS[0].replace('/', '')}.json": json.dumps(valid).encode(),
        "keyed.json": json.dumps(keyed).encode(),
        "not-json.json": PAYLOAD.encode(),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, raw in files.items():
        (folder / name).write_bytes(raw)
    return files


_JS_FINDINGS = """
() => {
  const all = Array.from(document.querySelectorAll('*'));
  const handlers = all.filter(e => Array.from(e.attributes).some(a => a.name.startsWith('on')
                                                                  && a.value.includes('__mslbpXss'))).length;
  const jsLinks = document.querySelectorAll('a[href^="javascript:" i], iframe[srcdoc]').length;
  const scripts = Array.from(document.querySelectorAll('script')).filter(s => s.text.includes('__mslbpXss')).length;
  return {count: window.__mslbpXss || 0, handlers, jsLinks, scripts,
          text: document.body.innerText.split('__mslbpXss').length - 1};
}
"""


def page_findings(page) -> dict:
    """What the payloads did in `page`: executions (`count`), live handler attributes, javascript: links or
    iframes, live scripts; and `text`: how many payloads show as text (proof the page showed the poisoned data)."""
    return page.evaluate(_JS_FINDINGS)
