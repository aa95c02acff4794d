"""Hypothesis fuzzing of the case loader: whatever the input, it loads or raises CaseValidationError — nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mslbp_widgets.logic.cases import load_case_file
from mslbp_widgets.logic.errors import CaseValidationError

FIXTURES = Path(__file__).parent / "fixtures" / "cases"
BASE = yaml.safe_load((FIXTURES / "ok-minimal.yaml").read_text(encoding="utf-8"))
REFS = {"foley-2013", "truini-2013"}

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                    st.dates())
json_like = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                         max_leaves=20)


def load_text(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzz.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        try:
            load_case_file(path, reference_keys=REFS)
        except CaseValidationError as exc:
            assert exc.problems and all(p.message for p in exc.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    load_text(data)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    load_text(text)


@settings(max_examples=200, deadline=None)
@given(json_like)
def test_random_yaml_documents(doc) -> None:
    load_text(yaml.safe_dump(doc))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


ALL_PATHS = [p for p in _paths(BASE) if p]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ALL_PATHS), json_like)
def test_one_field_replaced_by_anything(path, value) -> None:
    """A valid case with any one field replaced by arbitrary data still only ever raises the package's error."""
    import copy

    doc = copy.deepcopy(BASE)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    doc["id"] = "fuzz"
    load_text(yaml.safe_dump(doc))


def _jsonschema_says_valid(doc) -> bool:
    from mslbp_widgets.logic.cases.validation import _validator, normalise

    return not list(_validator().iter_errors(normalise(doc)))


def test_fast_and_precise_validators_agree_on_every_fixture() -> None:
    from mslbp_widgets.logic.cases.validation import is_valid_fast
    from mslbp_widgets.logic.datafiles import DataLoader as CaseLoader

    for path in sorted(FIXTURES.glob("*.yaml")):
        if path.name == "ko-yaml-syntax.yaml":
            continue
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=CaseLoader)
        if isinstance(doc, dict):
            assert is_valid_fast(doc) == _jsonschema_says_valid(doc), path.name


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ALL_PATHS), json_like)
def test_fast_and_precise_validators_agree_on_mutations(path, value) -> None:
    import copy

    from mslbp_widgets.logic.cases.validation import is_valid_fast

    doc = copy.deepcopy(BASE)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    from mslbp_widgets.logic.datafiles import DataLoader as CaseLoader

    doc = yaml.load(yaml.safe_dump(doc), Loader=CaseLoader)
    assert is_valid_fast(doc) == _jsonschema_says_valid(doc)
