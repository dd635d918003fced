"""What is wrong with a SPARQL query the parser refused, said with its fix; what is refused.

The SPARQL parser words two common mistakes as a list of character classes: a prefix that is
neither pre-bound nor declared (``foo:bar``), and a slash inside a prefixed name
(``kb:report/x``, which SPARQL reads as a property path). :func:`explain` finds them in the
query text (skipping strings, IRIs and comments) and returns a one-line message and hint,
located at line:column; it is only asked after the parser has failed, so it costs nothing on a
good query.

:func:`refusal` is asked before a query runs (issue #16.6, #16.8): a ``SERVICE`` call (the
engine would fetch from any URL the query names) and brackets or operators deeper or longer than
any real query needs (the engine's recursive parser and evaluator overflow their stack on a few
thousand, killing the process).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

_LOCAL_CHAR = r"(?:[\w:-]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<bnode>_:[\w.-]*)
    | (?P<lang>@[A-Za-z][\w-]*)
    | (?P<pname>(?P<prefix>[^\W\d_](?:[\w.-]*[\w-])?)?:
                (?P<local>(?:LOCAL(?:(?:LOCAL|\.)*LOCAL)?)?))
    | (?P<word>\w+)
    | (?P<other>.)
    """.replace("LOCAL", _LOCAL_CHAR),
    re.VERBOSE | re.DOTALL,
)
_DECLARATION = re.compile(
    r"\bPREFIX\s+([^\W\d_](?:[\w.-]*[\w-])?)?:\s*<([^<>\"{}|^`\\\x00-\x20]*)>", re.IGNORECASE
)
# the path segments a slug-like prefixed name runs on into: /chl-di-05 (not /skos:inScheme)
_SEGMENTS = re.compile(r"(?:/[\w%-]+(?:\.[\w%-]+)*(?![\w.%-]*:))+")

#: The IRIs of a few vocabularies people reach for, to declare when they are not pre-bound.
WELL_KNOWN: dict[str, str] = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "qb": "http://purl.org/linked-data/cube#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "void": "http://rdfs.org/ns/void#",
}
#: Usual short names of bound prefixes, suggested before the nearest spelling (``dct`` is
#: DCMI's own abbreviation of dcterms, though ``dcat`` is spelt closer).
ALIASES: dict[str, str] = {"dct": "dcterms", "sdo": "schema"}
# the first segment of a data IRI: someone writing pkb:report/… meant a data IRI, not the ontology
_DATA_KINDS = ("report", "framework", "org", "crosswalk")


@dataclass(frozen=True, slots=True)
class Explanation:
    """A mistake in a query: the message (located at line:column) and the fix."""

    message: str
    hint: str
    line: int
    column: int


#: How deep brackets ( { [ may nest, and how many operators a query may hold. Oxigraph's
#: recursive parser and evaluator overflowed an 8 MB stack at about 3,000 nested braces or
#: 5,000 nested parentheses, and at about 10,000 chained operators (``1+1+…``, ``&&``,
#: ``UNION``, ``!``); real queries stay far below both.
MAX_DEPTH = 100
MAX_OPERATORS = 2000
_OPENING, _CLOSING = "({[", ")}]"
_OPERATORS = frozenset("!&|+-*/^<>=")
_OPERATOR_WORDS = frozenset({"UNION", "MINUS", "OPTIONAL", "SERVICE"})
# SERVICE followed by what its grammar requires (SILENT, an IRI or a variable), with spaces and
# comments between, anywhere in the text: a tokenizer can be misled about where strings, IRIs
# and comments are (`<` is also less-than), a plain search cannot. Not after ? $ (a variable)
# or : - (a prefixed name); a comment must end its line (so that the search stays linear).
_SERVICE = re.compile(
    r"(?<![?$:-])\bSERVICE\b(?:\s|#[^\n\r]*[\n\r])*(?:SILENT\b|[<?$])", re.IGNORECASE
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True, slots=True)
class _Name:
    prefix: str
    local: str
    start: int
    end: int


def _names(text: str) -> Iterator[tuple[_Name, bool]]:
    """Each prefixed name of ``text`` and whether it is a declaration (``PREFIX x:``)."""
    declaring = False
    for match in _TOKEN.finditer(text):
        if match.group("pname") is not None:
            name = _Name(match.group("prefix") or "", match.group("local"), *match.span())
            yield name, declaring
            declaring = False
        elif match.group("word") is not None:
            declaring = match.group().upper() == "PREFIX"
        elif match.group("comment") is None and not match.group().isspace():
            declaring = False


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _unknown_prefix(name: _Name, bound: Mapping[str, str]) -> tuple[str, str]:
    shown = f"{name.prefix}:"
    alias = ALIASES.get(name.prefix, "")
    if alias in bound:
        close = [alias]
    else:
        close = difflib.get_close_matches(name.prefix, list(bound), n=1, cutoff=0.6)
    declare = f"PREFIX {shown} <{WELL_KNOWN.get(name.prefix, '…')}>"
    hint = f"declare it with {declare}, or use one of: {', '.join(bound)}"
    if close:
        hint = f"did you mean '{close[0]}:'? or {hint}"
    return f"unknown prefix '{shown}'", hint


def _slash(name: _Name, path: str, bound: Mapping[str, str], base: str) -> tuple[str, str]:
    local = re.sub(r"\\(.)", r"\1", name.local) + path
    iri = bound[name.prefix] + local
    prefix, note = name.prefix, ""
    if bound[name.prefix] != base and local.split("/", 1)[0] in _DATA_KINDS:
        prefix = next((p for p, ns in bound.items() if ns == base), name.prefix)
        iri, note = base + local, f"; data IRIs are under {prefix}:, {name.prefix}: is the ontology"
    escaped = local.replace("/", "\\/")
    return (
        f"a prefixed name cannot contain '/': {name.prefix}:{name.local}{path}",
        f"write the full IRI <{iri}> or escape the slash, {prefix}:{escaped}{note}",
    )


def explain(
    text: str, bound: Mapping[str, str], base: str, error_at: tuple[int, int] | None = None
) -> Explanation | None:
    """The first unknown prefix or slash in a prefixed name of ``text``, with its fix.

    ``bound`` maps the pre-bound prefixes to their IRIs; ``base`` is the data base IRI (the
    ``kb:`` namespace). A mistake after ``error_at`` (the parser's line and column) is not
    what the parser stumbled on, so it is not offered.
    """
    known = {**bound, **{m.group(1) or "": m.group(2) for m in _DECLARATION.finditer(text)}}
    for name, declaration in _names(text):
        if declaration:
            known.setdefault(name.prefix, "")  # declared with a relative IRI: known, no more
            continue
        where = _position(text, name.start)
        if error_at is not None and where > error_at:
            return None
        if name.prefix not in known:
            message, hint = _unknown_prefix(name, bound)
            return Explanation(message, hint, *where)
        path = _SEGMENTS.match(text, name.end)
        if path and known[name.prefix] and path.group() != "/a":
            message, hint = _slash(name, path.group(), known, base)
            return Explanation(message, hint, *where)
    return None


def _unescaped(text: str) -> str:
    """``text`` with SPARQL's ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced by their character.

    The SPARQL 1.1 grammar applies them to the whole query before parsing (Oxigraph does only
    in strings and IRIs); a check that must not be evaded looks at both forms.
    """

    def char(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        return chr(code) if code <= 0x10FFFF else match[0]

    return _CODEPOINT.sub(char, text)


def service_call(text: str) -> Explanation | None:
    """Where ``text`` calls ``SERVICE`` (a federated query over the network), if it may.

    Conservative: the word followed by what SERVICE needs, wherever it stands, so a string that
    reads like one is refused too (``--allow-service`` lets it through).
    """
    for candidate in (text, _unescaped(text)):
        found = _SERVICE.search(candidate)
        if found:
            line, column = _position(candidate, found.start())
            return Explanation(
                "the query calls SERVICE, which would fetch from another SPARQL endpoint over "
                "the network",
                "policykb queries only its own data unless --allow-service is given; "
                "allow_service=True in Python",
                line,
                column,
            )
    return None


def too_complex(text: str) -> Explanation | None:
    """Where ``text`` nests brackets deeper than :data:`MAX_DEPTH`, or where its operators pass
    :data:`MAX_OPERATORS`, skipping strings, IRIs and comments; ``None`` for a query within both.
    """
    depth = operators = 0
    for match in _TOKEN.finditer(_unescaped(text)):
        kind = match.lastgroup
        token = match.group()
        if kind == "other":
            if token in _OPENING:
                depth += 1
                if depth > MAX_DEPTH:
                    return _limit(text, match.start(), f"brackets nest more than {MAX_DEPTH} deep")
            elif token in _CLOSING:
                depth = max(0, depth - 1)
            elif token in _OPERATORS:
                operators += 1
        elif kind == "word" and token.upper() in _OPERATOR_WORDS:
            operators += 1
        if operators > MAX_OPERATORS:
            return _limit(
                text, match.start(), f"the query holds more than {MAX_OPERATORS:,} operators"
            )
    return None


def _limit(text: str, offset: int, message: str) -> Explanation:
    line, column = _position(_unescaped(text), offset)
    return Explanation(
        message,
        "no real query needs as many; the query engine would overflow its stack",
        line,
        column,
    )


def refusal(text: str, allow_service: bool = False) -> Explanation | None:
    """Why ``text`` must not be run, if it must not: a SERVICE call (unless ``allow_service``),
    or brackets or operators beyond the limits above."""
    return (None if allow_service else service_call(text)) or too_complex(text)
