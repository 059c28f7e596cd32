"""Structural validation with the published JSON Schema, in plain English."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from audit_app.domain.load_errors import Reporter, did_you_mean
from audit_app.domain.yaml_lines import YamlPath

SCHEMA_NAME = "questionnaire.schema.json"

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys and values",
    "null": "empty",
}
_LANGUAGE_NAMES = {"pl": "Polish", "en": "English"}
_ID_RULE = "use only lowercase letters a-z, digits, '-' and '_', starting with a letter or digit"
_PATTERN_HINTS = {
    "^[a-z0-9][a-z0-9_-]*$": f"is not a valid id; {_ID_RULE} (e.g. 'q01')",
    "^[a-z0-9][a-z0-9-]*$": (
        "is not a valid questionnaire id; use only lowercase letters a-z, digits and '-' "
        "(e.g. 'library-crm-audit')"
    ),
    "^[0-9]+(\\.[0-9]+){0,2}$": (
        'is not a valid version; use numbers separated by dots, e.g. "1.0.0"'
    ),
}
_BOOLEAN_WORDS = "yes/no/true/false/on/off"
# `{pl: Tak, za opłatą, en: ...}`: YAML reads the part after the comma as a key without value.
_COMMA_IN_TEXT = (
    "unknown key '{key}': a comma inside a one-line text {{pl: ..., en: ...}} ends the text; "
    'put the text in quotes, e.g. {{pl: "..., {key}", en: ...}}'
)


def schema_path() -> Path:
    """Where the JSON Schema lives: the source tree, or the installed package data."""
    here = Path(__file__).resolve()
    candidates = [
        here.parents[2] / "questionnaires" / "schema" / SCHEMA_NAME,
        here.parents[1] / "_data" / "questionnaires" / "schema" / SCHEMA_NAME,
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"questionnaire schema not found; looked in: {candidates}")


@cache
def questionnaire_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(questionnaire_schema())


def _actual(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a yes/no value)"
    if isinstance(value, str):
        return f"text ('{value}')"
    if isinstance(value, int):
        return f"the whole number {value}"
    if isinstance(value, float):
        return f"the number {value:g}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys and values"
    return type(value).__name__  # pragma: no cover - YAML gives only the types above


def _one_of(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def check_schema(data: Any, reporter: Reporter) -> None:
    """Report every schema violation in `data` with a line and an actionable message."""
    skipped = [p.path for p in reporter.doc.problems if p.path]
    for error in _validator().iter_errors(data):
        path: YamlPath = tuple(error.absolute_path)
        if any(path[: len(s)] == s for s in skipped):
            continue  # already reported while reading the YAML
        if "allOf" in error.absolute_schema_path:
            continue  # a rule of meaning: semantic_check reports it with a better message
        for where, message in _translate(error, path, reporter):
            reporter.add(where, message)


def _translate(
    error: ValidationError, path: YamlPath, reporter: Reporter
) -> list[tuple[YamlPath, str]]:
    kind: Any = error.validator
    value: Any = error.validator_value
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if "propertyNames" in error.relative_schema_path:
        return [((*path, str(instance)), _property_name_message(error, instance))]
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        results = []
        for key in instance:
            if key not in allowed:
                if schema.get("title") == "Text" and instance[key] is None:
                    message = _COMMA_IN_TEXT.format(key=key)
                elif schema.get("title") == "Text":
                    message = f"unknown key '{key}'; a text has exactly two keys: pl and en"
                else:
                    message = (
                        f"unknown key '{key}'{did_you_mean(key, allowed)}; "
                        f"allowed keys here are: {', '.join(allowed)}"
                    )
                results.append(((*path, key), message))
        return results
    if kind == "required" and isinstance(instance, dict):
        results = []
        for key in value:
            if key in instance:
                continue
            if schema.get("title") == "Text":
                language = _LANGUAGE_NAMES.get(key, key)
                message = f"missing '{key}' translation; add '{key}: ...' with the {language} text"
            else:
                described = schema.get("properties", {}).get(key, {}).get("description", "")
                described = re.split(r"(?<!e\.g)\. ", described)[0].rstrip(".")
                if described[:1].isupper() and not described[1:2].isupper():
                    described = described[0].lower() + described[1:]
                hint = f" ({described})" if described else ""
                message = f"missing required key '{key}'{hint}; add it"
            results.append((path, message))
        return results
    if kind == "type":
        return [(path, _type_message(value, instance, schema, path, reporter))]
    if kind == "enum":
        allowed = [_value_text(v) for v in value]
        message = (
            f"'{_value_text(instance)}' is not allowed{did_you_mean(str(instance), allowed)}; "
            f"use one of: {', '.join(allowed)}"
        )
        if isinstance(instance, bool):
            message += f" (unquoted {_BOOLEAN_WORDS} are read as true/false)"
        return [(path, message)]
    if kind == "const":
        return [
            (
                path,
                f"must be {_value_text(value)}, not {_value_text(instance)}; "
                f"write {_value_text(value)}",
            )
        ]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "greater than",
            "exclusiveMaximum": "less than",
        }[kind]
        example = ", such as 1" if kind == "exclusiveMinimum" and value == 0 else ""
        return [
            (
                path,
                f"must be {bound} {value}, but it is {_value_text(instance)}; "
                f"change it to a number {bound} {value}{example}",
            )
        ]
    if kind == "pattern":
        hint = _PATTERN_HINTS.get(
            value, f"does not have the expected form ({schema.get('description', value)})"
        )
        return [(path, f"'{instance}' {hint}")]
    if kind == "maxLength" and isinstance(instance, str):
        return [
            (
                path,
                f"is {len(instance)} characters long; shorten it to at most {value} "
                "(the full wording belongs in the text)",
            )
        ]
    if kind == "minItems":
        return [(path, "the list is empty; add at least one item")]
    if kind == "uniqueItems" and isinstance(instance, list):
        repeated = sorted({_value_text(v) for i, v in enumerate(instance) if v in instance[:i]})
        return [
            (
                path,
                f"lists {', '.join(repr(r) for r in repeated)} more than once; remove the repeats",
            )
        ]
    return [(path, f"{error.message}; compare with the example in docs/questionnaire-format.md")]


def _property_name_message(error: ValidationError, name: Any) -> str:
    if error.validator == "pattern":
        return f"'{name}' is not a valid id; {_ID_RULE}"
    return f"'{name}' cannot be used as a key here; {_ID_RULE}"


def _type_message(
    expected: Any, instance: Any, schema: dict[str, Any], path: YamlPath, reporter: Reporter
) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    wanted = _one_of([_TYPE_NAMES.get(n, n) for n in names])
    raw = reporter.doc.raw.get(path)
    if schema.get("title") == "Text":
        if instance is None:
            return "is empty; write the text in both languages, e.g. {pl: ..., en: ...}"
        return 'must give the text in both languages as pl and en, e.g. {pl: Tak, en: "Yes"}'
    if not path:
        return (
            "the file must hold keys such as schema, id, title and sections, "
            f"not {_actual(instance)}; start from docs/examples/example-questionnaire.yaml"
        )
    if instance is None:
        return f"is empty; write {wanted} after the ':'"
    message = f"must be {wanted}, not {_actual(instance)}"
    if isinstance(instance, bool) and ("string" in names or "integer" in names):
        quoted = raw if raw is not None else _value_text(instance)
        return (
            f"{message}; YAML reads unquoted {_BOOLEAN_WORDS} as true/false, "
            f'so put the value in quotes: "{quoted}"'
        )
    if "string" in names and isinstance(instance, int | float) and raw is not None:
        return f'{message}; put it in quotes so it is read as text: "{raw}"'
    if "array" in names and not isinstance(instance, list | dict):
        return f"{message}; write a list, e.g. [a, b], or one '- item' per line"
    if "number" in names and isinstance(instance, str):
        return f"{message}; write a number without quotes or units, e.g. 1 or 2.5"
    if "object" in names and not isinstance(instance, dict):
        return f"{message}; write 'key: value' lines indented under it"
    return f"{message}; write {wanted}"
