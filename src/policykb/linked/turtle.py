"""How a term is spelt in Turtle, byte for byte as Oxigraph's serialiser spells it.

:mod:`policykb.linked.mapping` writes the knowledge base's statements as Turtle text, and the
export promises pyoxigraph's own bytes (tests parse the export and re-serialise it with
pyoxigraph: the bytes must not change). So this module copies Oxigraph's (``oxttl``) choices:
``rdf:type`` is ``a``; an IRI under one of the prefixes whose local name can be written is
``prefix:local``; an ``xsd:integer``, ``xsd:decimal``, ``xsd:double`` or ``xsd:boolean`` in
canonical form is bare; and a string escapes exactly what Oxigraph escapes.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from policykb.linked.vocab import (
    G_YEAR,
    G_YEAR_MONTH,
    INTEGER,
    PREFIXES,
    STRING,
    XSD_DATE,
    XSD_NS,
    Lit,
)

#: What Oxigraph escapes in a string literal: C0 controls, DEL, U+FFFE/U+FFFF, quote, backslash.
_ESCAPES: dict[int, str] = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)}
_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"})
_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\"})


def quoted(value: str) -> str:
    """A string as a Turtle string literal, escaped as Oxigraph escapes it."""
    # isprintable() is False for every character _ESCAPES holds but the quote and backslash,
    # and is three times as fast as a regular expression: the rest go through translate().
    if '"' not in value and "\\" not in value and value.isprintable():
        return f'"{value}"'
    return f'"{value.translate(_ESCAPES)}"'


def _pn_chars_base(c: str) -> bool:
    # [163s] PN_CHARS_BASE
    o = ord(c)
    return (
        ("A" <= c <= "Z")
        or ("a" <= c <= "z")
        or 0xC0 <= o <= 0xD6
        or 0xD8 <= o <= 0xF6
        or 0xF8 <= o <= 0x2FF
        or 0x370 <= o <= 0x37D
        or 0x37F <= o <= 0x1FFF
        or 0x200C <= o <= 0x200D
        or 0x2070 <= o <= 0x218F
        or 0x2C00 <= o <= 0x2FEF
        or 0x3001 <= o <= 0xD7FF
        or 0xF900 <= o <= 0xFDCF
        or 0xFDF0 <= o <= 0xFFFD
        or 0x10000 <= o <= 0xEFFFF
    )


def _pn_chars(c: str) -> bool:
    # [166s] PN_CHARS, with PN_CHARS_U = PN_CHARS_BASE | '_'
    o = ord(c)
    return (
        _pn_chars_base(c)
        or c in "_-0123456789\u00b7"
        or 0x300 <= o <= 0x36F
        or 0x203F <= o <= 0x2040
    )


#: Characters a local name may carry escaped with a backslash (PN_LOCAL_ESC).
_LOCAL_ESCAPABLE = frozenset("_~.-!$&'()*+,;=/?#@%")


def local_name(value: str) -> str | None:
    """``value`` as a Turtle local name (PN_LOCAL) as Oxigraph escapes it; None if it can't be."""
    out = []
    for i, c in enumerate(value):
        if (
            (c in "_:0123456789" or _pn_chars_base(c))
            if i == 0
            else (_pn_chars(c) or c == ":" or (c == "." and i < len(value) - 1))
        ):
            out.append(c)
        elif c in _LOCAL_ESCAPABLE:
            out.append("\\" + c)
        else:
            return None
    return "".join(out) if out else None


def iri(value: str) -> str:
    """An IRI in Turtle: ``prefix:local`` under one of :data:`PREFIXES` when it can be, else <…>.

    No two of the prefixes' namespaces start alike, so at most one can match: the order in
    which Oxigraph tries them does not matter.
    """
    for prefix, namespace in PREFIXES.items():
        if value.startswith(namespace):
            local = value[len(namespace) :]
            if not local:
                return f"{prefix}:"
            escaped = local_name(local)
            if escaped is not None:
                return f"{prefix}:{escaped}"
    return f"<{value}>"


def is_turtle_number(value: str, datatype: str) -> bool:
    """Whether Oxigraph writes a ``datatype`` literal bare (``1``, ``true``, ``1.5``, ``1e3``)."""
    if datatype == XSD_NS + "boolean":
        return value in ("true", "false")
    pattern = {
        INTEGER: r"[+-]?[0-9]+",
        XSD_NS + "decimal": r"[+-]?[0-9]*\.[0-9]+",
        XSD_NS + "double": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+",
    }.get(datatype)
    return pattern is not None and re.fullmatch(pattern, value, re.ASCII) is not None


def literal(term: Lit) -> str:
    """A :class:`Lit` in Turtle (its language tag already normalised)."""
    value, lang, datatype = term
    if lang is not None:
        return f"{quoted(value)}@{lang}"
    if datatype is None or datatype == STRING:
        return quoted(value)
    if is_turtle_number(value, datatype):
        return value
    return f"{quoted(value)}^^{iri(datatype)}"


@cache
def prefix_lines() -> bytes:
    """The ``@prefix`` lines pyoxigraph starts a Turtle document with (in its own order)."""
    from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

    node = NamedNode("urn:x")
    text = serialize([Triple(node, node, Literal(""))], format=RdfFormat.TURTLE, prefixes=PREFIXES)
    assert isinstance(text, bytes)
    return b"".join(line for line in text.splitlines(True) if line.startswith(b"@prefix "))


def date_literal(value: str) -> str:
    """A date as written, typed by its form (xsd:date, gYearMonth, gYear) or a string."""
    datatype = None
    if re.fullmatch(r"[0-9]{4}", value):
        datatype = G_YEAR
    elif re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value):
        datatype = G_YEAR_MONTH
    elif re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            date.fromisoformat(value)
            datatype = XSD_DATE
        except ValueError:
            pass  # not a date on the calendar: kept as a plain string
    return literal(Lit(value, None, datatype))
