"""Validating the course's YAML data files: one JSON Schema per kind of file, one wording of problems, the shared
cross-reference checks, and the mechanism vocabulary.

Every YAML file the package reads (cases, checks, diagrams and the tables behind the clinical tools) goes:

1. through :func:`mslbp_widgets.logic.yamlfile.read_yaml` (size, UTF-8, nesting and aliases checked before it is
   composed; the safe loader keeps dates as text, so the result is plain JSON-like data);
2. checked against `data/schema/<schema_name>.schema.json` (draft 2020-12; a compiled fastjsonschema answers the
   common "valid" case quickly, jsonschema words the problems);
3. optionally checked by the caller's own rules, the ones a schema cannot express (cross-references, unique ids).

Every problem is a `Problem(file, field path, message that says what to fix)`, and all of them are reported at
once in one `DataValidationError`. No ipywidgets here.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .records import Record

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

from .errors import DataValidationError, Problem
from .paths import data_dir
from .text import closest, forbidden_characters, visible
from .yamlfile import read_yaml

#: Largest data file read, in bytes: a real case or table is a few kilobytes.

#: Where each kind of file is documented for authors (default: its schema, whose descriptions document each field).
GUIDES = {"case": "docs/authoring-cases.md"}

#: Keywords whose meaning is the same in draft-07 (what fastjsonschema compiles) and draft 2020-12. A schema that
#: uses any other keyword (prefixItems, dependentRequired, unevaluatedProperties, minContains...) is only checked by
#: jsonschema, so the fast path can never accept what the precise validator rejects.
_FAST_SAFE_KEYWORDS = {
    "$schema", "$id", "$ref", "$defs", "$comment", "title", "description", "default", "examples",
    "type", "enum", "const", "properties", "required", "additionalProperties", "patternProperties",
    "items", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minProperties", "maxProperties",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "propertyNames",
}

Checks = Callable[[Any, str], list[Problem]]


# ------------------------------------------------------------------------------------------------ wording


def normalise(value: Any) -> Any:
    """Turn YAML-only values into JSON ones: dates become ISO strings, mapping keys become strings."""
    if isinstance(value, Mapping):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    return value


_NO_DATA = object()


def field_path(parts: Iterable[Any], data: Any = _NO_DATA) -> str:
    """`['stages', 1, 'question', 'options', 0, 'feedback']` -> `stages[1].question.options[0].feedback`.

    Given the document (`data`), a list entry that has a text `id` is also named by it, so an author can find it:
    `['features', 2, 'group']` -> `features[2] (burning).group`.
    """
    out = ""
    node = data
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
            node = node[p] if isinstance(node, list) and 0 <= p < len(node) else None
            ident = node.get("id") if isinstance(node, dict) else None
            if isinstance(ident, str) and ident.strip() and len(ident) <= 80 and "\n" not in ident:
                out += f" ({ident})"
        else:
            out += ("." if out else "") + str(p)
            node = node.get(p) if isinstance(node, dict) else None
    return out or "(top level)"


def schema_message(err: Any, guide: str = GUIDES["case"], data: Any = _NO_DATA) -> tuple[str, str]:
    """A (field, message) pair an author can act on, from one jsonschema error.

    `guide` is where the format is documented (named when a required field is missing); `data`, if given, lets
    the field path name list entries by their id (see `field_path`).
    """
    where = list(err.absolute_path)

    def at(parts: list[Any]) -> str:
        return field_path(parts, data)

    kind = err.validator
    if kind == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return at(where + [missing]), f"missing required field: add it (see {guide})"
    if kind == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        extra = sorted(set(err.instance) - set(allowed)) if isinstance(err.instance, dict) else []
        names = ", ".join(extra) or "?"
        return at(where), f"unknown field(s) {names}: check the spelling; allowed here: {', '.join(allowed)}"
    if kind == "const" and where == ["synthetic"]:
        return "synthetic", "must be `true`: every case in this course is synthetic (invented for teaching)"
    if kind == "enum":
        allowed = ", ".join(str(v) for v in err.validator_value)
        return at(where), f"{err.instance!r} is not allowed; use one of: {allowed}"
    if kind == "pattern":
        if err.validator_value.startswith("^[a-z0-9]+"):
            return at(where), (
                f"{err.instance!r} is not a valid id: use kebab-case (lower-case letters, digits and single "
                "hyphens), e.g. `lhermitte-shock-on-neck-flexion`"
            )
        if "[0-9]{4}" in err.validator_value:
            return at(where), f"{err.instance!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-21"
        return at(where), "must not be empty: write some text"
    if kind == "type":
        expected = err.validator_value
        names = {"string": "text", "array": "a list", "object": "a mapping (key: value lines)",
                 "boolean": "true or false", "integer": "a whole number", "number": "a number"}
        want = " or ".join(names.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        if err.instance is None:
            return at(where), f"is empty: write {want} after the colon, or remove the line if it is optional"
        found = {"str": "text", "bool": "true/false", "int": "a number", "float": "a number", "list": "a list",
                 "dict": "a mapping"}.get(type(err.instance).__name__, type(err.instance).__name__)
        return at(where), f"must be {want}, not {found}"
    if kind == "minItems":
        return at(where), f"needs at least {err.validator_value} item(s)"
    if kind == "maxItems":
        return at(where), f"has too many items (at most {err.validator_value})"
    if kind == "uniqueItems":
        return at(where), "lists the same item twice: remove the repeat"
    if kind == "minLength":
        return at(where), "must not be empty: write some text"
    if kind == "maxLength":
        return at(where), f"is too long (at most {err.validator_value} characters)"
    if kind == "minimum":
        return at(where), f"is {err.instance!r}: it must be at least {err.validator_value}"
    if kind == "maximum":
        return at(where), f"is {err.instance!r}: it must be at most {err.validator_value}"
    return at(where), err.message


# ------------------------------------------------------------------------------------------------ schemas


def schema_path(schema_name: str) -> Path:
    """`data/schema/<schema_name>.schema.json` in the current data folder."""
    return data_dir() / "schema" / f"{schema_name}.schema.json"


@lru_cache(maxsize=16)
def load_schema(schema_name: str) -> dict[str, Any]:
    """The JSON Schema `data/schema/<schema_name>.schema.json`, parsed (cached)."""
    return json.loads(schema_path(schema_name).read_text(encoding="utf-8"))


@lru_cache(maxsize=16)
def schema_validator(schema_name: str) -> Draft202012Validator:
    """The precise (jsonschema, draft 2020-12) validator for one schema; the schema itself is checked first.
    jsonschema is imported only here, when a problem must be worded: importing it costs far more than validating."""
    from jsonschema import Draft202012Validator

    schema = load_schema(schema_name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _keywords(node: Any, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            out.add(key)
            if key in ("properties", "$defs", "patternProperties"):
                for sub in value.values():
                    _keywords(sub, out)
            elif key not in ("enum", "const", "default", "examples", "required"):
                _keywords(value, out)
    elif isinstance(node, list):
        for item in node:
            _keywords(item, out)
    return out


@lru_cache(maxsize=16)
def _fast_validator(schema_name: str) -> Callable[[Any], Any] | None:
    """The same schema compiled by fastjsonschema (draft-07 semantics), or None if it uses a keyword whose meaning
    differs between the drafts. It only answers valid/invalid, quickly; jsonschema words the problems."""
    schema = dict(load_schema(schema_name))
    if not _keywords(schema, set()) <= _FAST_SAFE_KEYWORDS:
        return None
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    import fastjsonschema  # here, when the first file of this kind is checked

    return fastjsonschema.compile(schema)


def is_valid_fast(data: Any, schema_name: str) -> bool:
    """True when the compiled schema accepts the data (False on any doubt: the precise validator then decides)."""
    validate = _fast_validator(schema_name)
    if validate is None:
        return False
    try:
        validate(data)
    except Exception:  # noqa: BLE001 - JsonSchemaException, or odd YAML data the compiled code did not expect
        return False
    return True


def schema_problems(data: Any, schema_name: str, file: str, name_ids: bool = False) -> list[Problem]:
    """Problems found by the schema, one per error (repeats dropped), in document order (none for valid data).

    `name_ids` names list entries by their `id` in field paths (`features[2] (burning).group`).
    """
    if is_valid_fast(data, schema_name):
        return []
    data = normalise(data)
    guide = GUIDES.get(schema_name, f"data/schema/{schema_name}.schema.json")
    doc = data if name_ids else _NO_DATA
    errors = sorted(schema_validator(schema_name).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    found = []
    for err in errors:
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            found += [Problem(file, *pair) for pair in unknown_fields(err, schema_name, doc)]
        else:
            found.append(Problem(file, *schema_message(err, guide, doc)))
    # dict.fromkeys: two keywords can say the same thing (an empty text fails both minLength and pattern)
    return list(dict.fromkeys(found))


#: Names of schema definitions in messages, where the definition's key alone would mislead.
_DEF_NAMES = {"question": "single or multiple choice question"}


def _article(name: str) -> str:
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def _either(phrases: list[str]) -> str:
    return phrases[0] if len(phrases) == 1 else f"{', '.join(phrases[:-1])} or {phrases[-1]}"


@lru_cache(maxsize=16)
def field_places(schema_name: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Every kind of mapping the schema describes, as (where it is, its fields): "at the top level", "on a stage"
    (a `$defs` entry, named after its key), "under `tags`" (a mapping inside another one), "on an entry of
    `groups`". For saying where a misplaced field goes."""
    places: list[tuple[str, frozenset[str]]] = []

    def walk(node: Any, name: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, name)
            return
        if not isinstance(node, dict):
            return
        if isinstance(node.get("properties"), dict):
            places.append((name, frozenset(node["properties"])))
            for key, sub in node["properties"].items():
                walk(sub, f"under `{key}`")
        walk(node.get("items"), name.replace("under ", "on an entry of ", 1))
        for key in ("additionalProperties", "anyOf", "oneOf", "allOf", "then", "else"):
            walk(node.get(key), name)
        for key, sub in (node.get("$defs") or {}).items():
            walk(sub, "on " + _article(_DEF_NAMES.get(key, key.replace("_", " ").replace("-", " "))))

    walk(load_schema(schema_name), "at the top level")
    return tuple(places)


def unknown_fields(err: Any, schema_name: str, data: Any = _NO_DATA) -> list[tuple[str, str]]:
    """(field, message) for each field that an `additionalProperties` error found where it is not allowed.

    A field the format has elsewhere says where it goes (`image` on an option: "`image` goes on a stage, not on
    an option: move it there"); a misspelt field names the allowed field closest to it (`nxt_stage`: "unknown
    field: did you mean `next_stage`?"); otherwise the fields allowed here are listed."""
    here = frozenset(err.schema.get("properties", {}))
    allowed = ", ".join(sorted(here))
    places = field_places(schema_name)
    here_name = next((name for name, fields in places if fields == here), "here")
    where = list(err.absolute_path)
    out = []
    for key in sorted(set(err.instance) - here, key=str):
        key = str(key)
        elsewhere = list(dict.fromkeys(name for name, fields in places if key in fields and fields != here))
        close = closest(key, sorted(here))
        if elsewhere and here_name.endswith("question") and all(e.endswith("question") for e in elsewhere):
            to = [e.replace("on ", "to ", 1) for e in elsewhere]
            message = (f"`{key}` belongs {_either(to)}, not {here_name.replace('on ', 'to ', 1)}: remove it, or "
                       "change the question's `type`")
        elif elsewhere:
            message = f"`{key}` goes {_either(elsewhere)}, not {here_name}: move it there"
        elif close:
            message = f"unknown field: did you mean `{close}`? (allowed here: {allowed})"
        else:
            message = f"unknown field: check the spelling; allowed here: {allowed}"
        out.append((field_path([*where, key], data), message))
    return out


def character_problems(data: Any, file: str) -> list[Problem]:
    """A problem for every text (or field name) holding a control character (ESC starts terminal escape sequences;
    a bell, a backspace…) or a bidirectional override: invisible on the page, acting on a terminal, and never
    needed in course text. Tab and line breaks are fine. The characters are named as [U+XXXX]."""
    problems: list[Problem] = []

    def walk(node: Any, parts: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and (bad := forbidden_characters(key)):
                    problems.append(Problem(file, visible(field_path(parts, data)),
                                            f"a field name holds control characters ({', '.join(bad)}): "
                                            "retype it"))
                walk(value, (*parts, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*parts, i))
        elif isinstance(node, str) and (bad := forbidden_characters(node)):
            problems.append(Problem(file, visible(field_path(parts, data)),
                                    f"holds control characters ({', '.join(bad)}), which do nothing on the page and "
                                    "can act on a terminal: delete them (an escape sequence such as \\e[2J or "
                                    "\\x1b in double quotes writes one)"))

    walk(data, ())
    return problems


# ------------------------------------------------------------------------------------------------ one entry point


def validate_data(data: Any, schema_name: str, file: str, what: str, checks: Checks | None = None) -> Any:
    """Check parsed data against its schema and then `checks(data, file)`; return the data or raise.

    `checks` holds the rules a schema cannot express (unique ids, cross-references). They run on schema-valid
    data; when the schema already found problems they still run, best effort, so that an author sees as much as
    possible at once (a check that trips over the malformed part adds nothing). DataValidationError lists every
    problem found.
    """
    if data is None:
        raise DataValidationError([Problem(file, "", "the file is empty: write the data in it")], what)
    try:
        problems = schema_problems(data, schema_name, file, name_ids=True)
    except RecursionError:
        raise DataValidationError([Problem(file, "", "the file is nested too deeply")], what) from None
    problems += [p for p in character_problems(data, file) if p not in problems]
    if checks is not None:
        if not problems:
            problems = checks(data, file)
        else:
            try:
                extra = checks(data, file)
            except Exception:  # noqa: BLE001 - the schema problems already explain the malformed data
                extra = []
            problems += [p for p in extra if p not in problems]
    if problems:
        raise DataValidationError(problems, what)
    return data


def load_yaml_file(path: Path | str, schema_name: str, what: str, checks: Checks | None = None) -> Any:
    """Read a YAML data file, validate it against `data/schema/<schema_name>.schema.json` and `checks`.

    Returns the parsed data (JSON-like: dates stay text). Raises DataValidationError (`what` names the kind of
    data in its first line) listing every problem as Problem(file, field path, what to fix).
    """
    data, problems = read_yaml(path)
    if problems:
        raise DataValidationError(problems, what)
    return validate_data(data, schema_name, str(path), what, checks)


# ------------------------------------------------------------------------------------------------ cross-references


def at(data: Any, *parts: Any) -> str:
    """The field path of `parts` in `data`, naming list entries by their id (for problems found by `checks`)."""
    return field_path(parts, data)


def unknown_keys(data: Any, keys: Iterable[str], parts: tuple[Any, ...], known: set[str], file: str,
                 what: str, fix: str) -> list[Problem]:
    """A problem for every key not in `known`: `unknown <what> 'x': <fix>`, at `parts[i]` of `data`."""
    return [Problem(file, at(data, *parts, i), f"unknown {what} {key!r}: {fix}")
            for i, key in enumerate(keys) if key not in known]


def unknown_references(data: Any, keys: Iterable[str], parts: tuple[Any, ...], known: set[str],
                       file: str) -> list[Problem]:
    """A problem for every reference key missing from data/references.yaml."""
    return unknown_keys(data, keys, parts, known, file, "reference key",
                        "add it to data/references.yaml or fix the spelling")


def duplicate_ids(data: Any, section: str, file: str, what: str) -> list[Problem]:
    """A problem for every entry of `data[section]` whose `id` was already used by an earlier entry."""
    seen: set[str] = set()
    problems = []
    for i, entry in enumerate(data.get(section) or []):
        ident = entry.get("id") if isinstance(entry, dict) else None
        if ident in seen:
            problems.append(Problem(file, at(data, section, i, "id"),
                                    f"duplicate {what} id {ident!r}: ids must be unique; rename one"))
        elif isinstance(ident, str):
            seen.add(ident)
    return problems


def reference_keys() -> set[str]:
    """Every citation key in `data/references.yaml`."""
    from .references import load_references

    return set(load_references())


def read_mapping(path: Path) -> tuple[dict, list[Problem]]:
    """A YAML file that must hold a mapping at the top (a vocabulary): the mapping, or the problems found."""
    raw, problems = read_yaml(path)
    if not problems and not isinstance(raw, dict):
        problems = [Problem(str(path), "", "the file must hold a mapping (key: value) at the top")]
    return (raw if isinstance(raw, dict) and not problems else {}), problems


def mechanism_labels(path: Path | str | None = None) -> dict[str, str]:
    """The mechanism vocabulary, the one reader of ``data/mechanisms.yaml`` (or ``path``): mechanism id ->
    learner-facing label, in the file's order. Raises DataValidationError naming the file and field when it is
    missing, not a mapping, or an entry has no label."""
    path = Path(path) if path else data_dir() / "mechanisms.yaml"
    raw, problems = read_mapping(path)
    out: dict[str, str] = {}
    for key, entry in raw.items():
        label = entry.get("label") if isinstance(entry, dict) else None
        if not isinstance(label, str) or not label.strip():
            problems.append(Problem(str(path), f"{key}.label", "write the learner-facing label of this mechanism"))
        else:
            out[str(key)] = label.strip()
    if problems:
        raise DataValidationError(problems, "mechanism vocabulary")
    return out


class ScenarioType(Record):
    """One scenario type of the case bank (``data/scenarios.yaml``): what a case is mainly about."""

    id: str
    label: str
    description: str
    target: int


def scenario_types(path: Path | str | None = None) -> dict[str, ScenarioType]:
    """The scenario types, the one reader of ``data/scenarios.yaml`` (or ``path``): id -> ScenarioType, in the
    file's order. Raises DataValidationError naming the file and field when an entry lacks its label or
    description, or its target is not a whole number of at least 1."""
    path = Path(path) if path else data_dir() / "scenarios.yaml"
    raw, problems = read_mapping(path)
    out: dict[str, ScenarioType] = {}
    for key, entry in raw.items():
        entry = entry if isinstance(entry, dict) else {}
        bad = [f for f in ("label", "description") if not isinstance(entry.get(f), str) or not entry[f].strip()]
        for f in bad:
            problems.append(Problem(str(path), f"{key}.{f}", f"write the {f} of this scenario type"))
        target = entry.get("target", 1)
        if isinstance(target, bool) or not isinstance(target, int) or target < 1:
            problems.append(Problem(str(path), f"{key}.target",
                                    "the number of cases aimed for: a whole number of at least 1"))
        elif not bad:
            out[str(key)] = ScenarioType(str(key), entry["label"].strip(), " ".join(entry["description"].split()),
                                         target)
    if problems:
        raise DataValidationError(problems, "scenario types")
    return out
