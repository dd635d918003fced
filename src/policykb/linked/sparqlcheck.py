"""What is wrong with a SPARQL query the parser refused, said with its fix.

The SPARQL parser words two common mistakes as a list of character classes: a prefix that is
neither pre-bound nor declared (``foo:bar``), and a slash inside a prefixed name
(``kb:report/x``, which SPARQL reads as a property path). :func:`explain` finds them in the
query text (skipping strings, IRIs and comments) and returns a one-line message and hint,
located at line:column; it is only asked after the parser has failed, so it costs nothing on a
good query.
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
