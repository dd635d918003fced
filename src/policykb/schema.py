"""The JSON Schema of each data file kind, and schema problems turned into issue codes.

The schemas ship in ``policykb/schemas/*.json``; ``policykb schema KIND`` prints them and
editors use them through a ``# yaml-language-server: $schema=…`` line. Checking takes two
steps: a compiled validator (fastjsonschema) answers "valid?" quickly for the common case,
and only a document that fails it is walked by jsonschema for every located error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from policykb import countries
from policykb.errors import did_you_mean

KINDS = ("framework", "report", "organisations", "mapping")

_PATTERN_CODES = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": (
        "bad-id",
        "is not a slug (lower-case letters and digits, hyphen-separated)",
    ),
    "^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$": (
        "unknown-reference",
        "is not a qualified concept id 'framework-id/concept-id'",
    ),
    "^[A-Z]{3}$": ("unknown-country", "is not an ISO 3166-1 alpha-3 country code"),
}


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One schema error, located by its JSON path in the document."""

    code: str
    message: str
    path: tuple[str | int, ...]
    key: bool = False  # locate at the key rather than the value
    hint: str | None = None


def schema_text(kind: str) -> str:
    """The JSON Schema of a data file kind, as published."""
    if kind not in KINDS:
        raise KeyError(kind)
    return resources.files("policykb").joinpath("schemas", f"{kind}.json").read_text("utf-8")


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a data file kind, parsed (a fresh copy the caller may change)."""
    result: dict[str, Any] = json.loads(schema_text(kind))
    return result


@cache
def _fast_validator(kind: str) -> Callable[[Any], Any]:
    import fastjsonschema

    validator: Callable[[Any], Any] = fastjsonschema.compile(schema(kind))
    return validator


@cache
def _full_validator(kind: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(kind))


def check(data: Any, kind: str) -> list[SchemaProblem]:
    """Every schema problem of ``data`` as a ``kind`` file; empty when it is valid."""
    import fastjsonschema

    try:
        _fast_validator(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return sorted(_problems(data, kind), key=lambda p: [str(s) for s in p.path])
    return []


def _problems(data: Any, kind: str) -> Iterator[SchemaProblem]:
    for error in _full_validator(kind).iter_errors(data):
        yield from _translate(error)


def _translate(error: Any) -> Iterator[SchemaProblem]:
    path = tuple(error.absolute_path)
    where = _name(path)
    kind, value = error.validator, error.instance
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        for extra in sorted(set(value) - set(known)):
            yield SchemaProblem(
                "unknown-field",
                f"unknown field '{extra}'{_in(where)}",
                (*path, extra),
                key=True,
                hint=did_you_mean(extra, known) or f"known fields: {', '.join(known)}",
            )
    elif kind == "required":
        missing = _missing(error)
        yield SchemaProblem(
            "missing-field", f"required field '{missing}' is missing{_in(where)}", path
        )
    elif kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        hint = f"quote it: '{value}'" if expected == "string" and _scalar(value) else None
        yield SchemaProblem(
            "wrong-type",
            f"{where} should be {_article(expected)}, not {_describe(value)}",
            path,
            hint=hint,
        )
    elif kind == "oneOf":
        yield SchemaProblem(
            "wrong-type",
            f"{where} should be a text or a mapping of language "
            f"to text ({{en: …, es: …}}), not {_describe(value)}",
            path,
        )
    elif kind == "pattern":
        yield _pattern_problem(error, path, where)
    elif kind == "enum":
        allowed = [str(v) for v in error.validator_value]
        yield SchemaProblem(
            "bad-value",
            f"{where} is '{value}', not one of {', '.join(allowed)}",
            path,
            hint=did_you_mean(str(value), allowed),
        )
    elif kind in ("minItems", "minLength", "minProperties"):
        yield SchemaProblem("empty-value", f"{where} must not be empty", path)
    else:
        yield SchemaProblem("bad-value", f"{where}: {error.message}", path)


def _missing(error: Any) -> str:
    match = re.match(r"'([^']+)' is a required property", error.message)
    return match.group(1) if match else error.message


def _pattern_problem(error: Any, path: tuple[str | int, ...], where: str) -> SchemaProblem:
    value = error.instance
    code, what = _PATTERN_CODES.get(error.validator_value, ("bad-format", ""))
    hint = None
    if code == "unknown-country":
        hint = countries.suggest(str(value))
    elif code == "bad-id":
        slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
        hint = f"try '{slug}'" if slug else None
    elif code == "unknown-reference":
        hint = "write it as framework-id/concept-id"
    if not what:
        field_name = next((p for p in reversed(path) if isinstance(p, str)), "value")
        what = f"is not a valid {field_name}"
    return SchemaProblem(code, f"{where} '{value}' {what}", path, hint=hint)


def _name(path: tuple[str | int, ...]) -> str:
    if not path:
        return "the document"
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _in(where: str) -> str:
    return "" if where == "the document" else f" in {where}"


def _scalar(value: Any) -> bool:
    return isinstance(value, bool | int | float)


def _describe(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _article(word: str) -> str:
    nouns = {
        "string": "a text",
        "integer": "a whole number",
        "array": "a list",
        "object": "a mapping",
        "boolean": "true or false",
        "number": "a number",
    }
    return " or ".join(nouns.get(w, w) for w in word.split(" or "))
