"""The JSON Schema of each data file kind, and schema problems turned into issue codes.

The schemas ship in ``policykb/schemas/*.json``; ``policykb schema KIND`` prints them and
editors use them through a ``# yaml-language-server: $schema=…`` line. One library checks them:
jsonschema-rs (Rust). A document first gets a quick "is it valid?"; only one that fails it is
walked for every error, each located by its instance path and translated into an issue code and
message here. The validator of a kind is built once per process, the first time a file of that
kind is checked, and jsonschema_rs is imported only then (commands that do not validate never
load it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from policykb import countries
from policykb.errors import did_you_mean

KINDS = ("framework", "report", "organisations", "mapping", "regions", "scores", "dataset")

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
def _validator(kind: str) -> Any:
    """The compiled validator of a kind (built on first use, then kept for the process)."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(_schema(kind))


@cache
def _schema(kind: str) -> dict[str, Any]:
    """The parsed schema of a kind, shared read-only by the validator and the translation."""
    return schema(kind)


def check(data: Any, kind: str) -> list[SchemaProblem]:
    """Every schema problem of ``data`` as a ``kind`` file; empty when it is valid."""
    validator = _validator(kind)
    if validator.is_valid(data):
        return []
    return sorted(_problems(data, kind), key=lambda p: [str(s) for s in p.path])


def _problems(data: Any, kind: str) -> Iterator[SchemaProblem]:
    root = _schema(kind)
    for error in _validator(kind).iter_errors(data):
        yield from _translate(_Error.of(error, data, root))


@dataclass(frozen=True, slots=True)
class _Error:
    """What the translation needs of one jsonschema_rs error, in jsonschema's terms.

    ``schema`` is the (sub)schema holding the failed keyword ``validator``, whose value is
    ``validator_value`` as the schema writes it (jsonschema_rs's error kind sorts a list of
    types, for one); ``instance`` is the failing value, taken from the document itself
    (jsonschema_rs hands back a copy in which an infinite float, YAML's 1e999, became None).
    """

    path: tuple[str | int, ...]
    validator: str
    validator_value: Any
    schema: dict[str, Any]
    instance: Any
    message: str
    extras: tuple[str, ...] = ()  # additionalProperties: the unexpected fields
    missing: str = ""  # required: the missing field

    @classmethod
    def of(cls, error: Any, data: Any, root: dict[str, Any]) -> _Error:
        path = tuple(error.instance_path)
        instance = data
        for step in path:
            instance = instance[step]
        *where, keyword = error.schema_path  # the keyword's place in the schema, $refs followed
        schema: Any = root
        for step in where:
            schema = schema[step]
        details = error.kind.as_dict()
        return cls(
            path=path,
            validator=str(keyword),
            validator_value=schema[keyword],
            schema=schema,
            instance=instance,
            message=str(error.message),
            extras=tuple(details.get("unexpected", ())),
            missing=str(details.get("property", "")),
        )


#: Unknown fields of one mapping for which a close known field is looked for.
_CLOSE_MATCHES = 100


def _translate(error: _Error) -> Iterator[SchemaProblem]:
    path = error.path
    where = _name(path)
    kind, value = error.validator, error.instance
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        listed = f"known fields: {', '.join(known)}"
        for number, extra in enumerate(sorted(error.extras)):
            # a close match is looked for among the first few only: over a mapping of 100,000
            # unknown keys difflib alone would take minutes
            close = did_you_mean(extra, known) if number < _CLOSE_MATCHES else None
            yield SchemaProblem(
                "unknown-field",
                f"unknown field '{extra}'{_in(where)}",
                (*path, extra),
                key=True,
                hint=close or listed,
            )
    elif kind == "required":
        missing = error.missing
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
        yield SchemaProblem("bad-value", f"{where}: {_message(error)}", path)


def _message(error: _Error) -> str:
    """The message of a keyword without wording of its own: minimum and maximum in the words
    jsonschema used (Python's repr of the numbers), jsonschema_rs's message for any other."""
    value, limit = error.instance, error.validator_value
    if error.validator == "minimum":
        return f"{value!r} is less than the minimum of {limit!r}"
    if error.validator == "maximum":
        return f"{value!r} is greater than the maximum of {limit!r}"
    return error.message


def _pattern_problem(error: _Error, path: tuple[str | int, ...], where: str) -> SchemaProblem:
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
