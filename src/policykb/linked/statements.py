"""The machinery of writing Turtle statements: parts, ordered lists, repeated terms, output.

:class:`StatementWriter` knows how statements are put together and written, nothing of what
they say: that is :mod:`policykb.linked.mapping`, whose :class:`~.mapping.Statements` extends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from policykb.linked import vocab
from policykb.linked.turtle import iri, quoted
from policykb.model import LangText

#: Between the ``predicate objects`` parts of one subject's statement.
SEP = " ;\n\t"
#: ``pkb:`` terms as written, by local name.
PKB = {name: iri(vocab.PKB_NS + name) for name in vocab.PKB_TERMS}
_FIRST, _REST, _NIL = iri(vocab.FIRST), iri(vocab.REST), iri(vocab.NIL)


class StatementWriter:
    """Writes Turtle statements to a binary stream, piece by piece.

    A statement is ``<subject> part ; part … .``, each part a predicate and its objects (joined
    by `` , ``); the statements of an item's dependent nodes wait in ``later`` and follow it.
    Statements collect in ``chunks`` until :meth:`drain` encodes and writes them. Data IRIs are
    written ``<…>`` (:func:`.iris.plain` makes sure no prefix applies).

    ``triples`` counts the triples written, for the dataset description's ``void:triples``:
    :meth:`drain` counts one per line (each part ends a line: a literal's newlines are
    escaped), and :meth:`objects` each further object of a part. So objects are joined only by
    :meth:`objects` (a `` , `` inside a literal is text, not a separator: counting the text could
    not tell them apart); tests/test_dataset.py checks the count against a parse.
    """

    def __init__(self, base: str, out: BinaryIO) -> None:
        from pyoxigraph import Literal as OxLiteral

        self.base = base
        self.out = out
        self.written = 0  # bytes written to ``out``
        self.triples = 0  # triples written to ``out`` (see the class docstring)
        self.chunks: list[str] = []
        self.later: list[str] = []
        self.countries: set[str] = set()
        self.matches: set[tuple[str, str, str]] = set()
        self.replaced_by: dict[str, list[str]] = {}  # framework id -> the ids of its later versions
        self.country_iris: dict[str, str] = {}
        self.spelt: dict[str, str] = {}  # the literals that repeat (areas, citations, URLs)
        self.langs: dict[str, str] = {}
        self._ox_literal = OxLiteral

    # -- terms

    def country(self, code: str) -> str:
        found = self.country_iris.get(code)
        if found is None:
            found = self.country_iris[code] = iri(vocab.COUNTRY_NS + code)
        return found

    def repeated(self, value: str) -> str:
        found = self.spelt.get(value)
        if found is None:
            found = self.spelt[value] = quoted(value)
        return found

    def texts(self, text: LangText) -> list[str]:
        """A text's translations as language-tagged literals (tags normalised by pyoxigraph)."""
        langs = self.langs
        out = []
        for lang, value in text.values:
            tag = langs.get(lang)
            if tag is None:
                # pyoxigraph checks the tag (raising on a malformed one) and normalises its case
                tag = langs[lang] = f"@{self._ox_literal('', language=lang.lower()).language}"
            out.append(quoted(value) + tag)
        return out

    # -- statements

    def statement(self, subject: str, po: list[str]) -> None:
        """``<subject> po ; po … .`` followed by the item's dependent nodes."""
        self.emit(f"<{subject}> {SEP.join(po)} .\n")

    def emit(self, text: str) -> None:
        """A whole statement, followed by the statements of the item's dependent nodes."""
        self.chunks.append(text)
        if self.later:
            self.chunks += self.later
            self.later = []

    def drain(self) -> None:
        """Write out the statements so far (the text never exists whole, only in pieces).

        Each statement is encoded on its own: joined first, one non-ASCII character would make
        the whole report's text a wider string, slower to build and to encode.
        """
        data = b"".join([chunk.encode() for chunk in self.chunks])
        self.triples += data.count(b"\n")  # a line per part
        self.write(data)
        self.chunks = []

    def write(self, data: bytes) -> None:
        self.out.write(data)
        self.written += len(data)

    def objects(self, values: Sequence[str]) -> str:
        """Two or more objects of one part, ``a , b , c``, counted (the first one is the line)."""
        self.triples += len(values) - 1
        return " , ".join(values)

    def values(self, po: list[str], s: str, direct: str, name: str, values: list[str]) -> None:
        """``s direct v`` for each value, and when there are two or more, the ordered list.

        ``direct`` is the predicate as written, ``name`` the local name of the pkb: list property.
        """
        if values:
            po.append(self.part(s, direct, name, values))

    def part(self, s: str, direct: str, name: str, values: list[str]) -> str:
        """:meth:`values` of one or more values, as one part (a list's cells go ``later``)."""
        if len(values) == 1:
            return f"{direct} {values[0]}"
        cell = f"<{s}#{name}-"  # the list's cells are <s#name-1>, <s#name-2> …
        cells = ""  # a loop, not a comprehension: lists are short, and a comprehension is a call
        for i, value in enumerate(values[:-1], 1):
            cells += f"{cell}{i}> {_FIRST} {value} ;\n\t{_REST} {cell}{i + 1}> .\n"
        self.later.append(
            f"{cells}{cell}{len(values)}> {_FIRST} {values[-1]} ;\n\t{_REST} {_NIL} .\n"
        )
        unique = self.objects(list(dict.fromkeys(values)))
        return f"{direct} {unique}{SEP}{PKB[name]} {cell}1>"

    def country_values(
        self, po: list[str], s: str, direct: str, name: str, codes: Sequence[str]
    ) -> None:
        if codes:
            self.values(po, s, direct, name, self.country_list(codes))

    def country_list(self, codes: Sequence[str]) -> list[str]:
        """The countries' IRIs as written, each noted for its node in :meth:`country_nodes`."""
        self.countries.update(codes)
        iris = self.country_iris
        return [iris.get(c) or self.country(c) for c in codes]
