"""Every form of a knowledge base's RDF, derived from the one mapping (:mod:`.mapping`).

- :func:`turtle` and :func:`write_turtle`: the mapping's statements themselves, pyoxigraph's
  own Turtle byte for byte (the export's fast path: no term object is made per triple);
- :func:`triples`: those statements parsed back by pyoxigraph, as plain tuples in document
  order (an IRI is a ``str``, a literal a :class:`Lit`): what JSON-LD and the reader use;
- :func:`to_rdf`: an rdflib ``Graph`` of the same triples (the public object model, and what
  pyshacl runs on);
- :func:`oxigraph_terms`, :func:`oxigraph_triples` and :func:`oxigraph_turtle`: plain triples
  back into pyoxigraph (SPARQL answers, tests' references).

Importing this module does not import rdflib: only :func:`to_rdf`, :func:`graph_of`,
:data:`PKB` and :data:`BIBO` do.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from policykb.gcpause import no_gc
from policykb.linked import iris, mapping
from policykb.linked.turtle import prefix_lines
from policykb.linked.vocab import (
    DEFAULT_BASE_IRI,
    PREFIXES,
    STRING,
    Lit,
    Term,
    Triple,
    check_base_iri,
)
from policykb.model import Dataset, KnowledgeBase

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "DEFAULT_BASE_IRI",
    "PREFIXES",
    "Lit",
    "Term",
    "Triple",
    "check_base_iri",
    "graph_of",
    "oxigraph_terms",
    "oxigraph_triples",
    "oxigraph_turtle",
    "plain_term",
    "to_rdf",
    "triples",
    "turtle",
    "write_turtle",
]


def __getattr__(name: str) -> Any:
    """``PKB`` and ``BIBO``: the closed rdflib namespaces of :mod:`.vocab` (importing rdflib)."""
    if name in ("PKB", "BIBO"):
        from policykb.linked import vocab

        return getattr(vocab, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def turtle(kb: KnowledgeBase, base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """The knowledge base as Turtle: the bytes pyoxigraph writes for its triples."""
    out = io.BytesIO()
    write_turtle(kb, out, base_iri)
    return out.getvalue()


def write_turtle(
    kb: KnowledgeBase, out: BinaryIO, base_iri: str = DEFAULT_BASE_IRI, jobs: int | None = None
) -> int:
    """Write :func:`turtle` of ``kb`` to the binary stream ``out``, piece by piece; bytes written.

    With ``jobs`` of 2 or more (by default: the CPUs this process may use), a knowledge base of
    at least :data:`.parallel.MIN_RECOMMENDATIONS` recommendations is written by two processes
    (:func:`.parallel.write_in_two`). The bytes are the same.
    """
    base = check_base_iri(base_iri)
    jobs = _jobs() if jobs is None else jobs
    if jobs >= 2 and sys.platform.startswith("linux") and threading.active_count() == 1:
        from policykb.linked import parallel

        counts = kb.recommendation_counts()
        if sum(counts) >= parallel.MIN_RECOMMENDATIONS:
            written = parallel.write_in_two(kb, out, base, counts)
            if written is not None:
                return written
    if kb.dataset == Dataset() and not (
        kb.frameworks or kb.reports or kb.organisations or kb.crosswalks or kb.regions or kb.scores
    ):
        return 0  # nothing to say, not even what the dataset is: no triples, not even prefixes
    if not iris.plain(kb, base):
        data = _canonical(kb, base)
        out.write(data)
        return len(data)
    writer = mapping.Statements(base, out)
    with no_gc():
        mapping.write_all(writer, kb)
    return writer.written


def _canonical(kb: KnowledgeBase, base: str) -> bytes:
    """The statements of a knowledge base :func:`.iris.plain` does not vouch for, as
    pyoxigraph writes them: parsed and serialised again (merging a repeated subject, writing
    IRIs under a prefix as prefixed names). An id that cannot be part of an IRI raises
    ValueError before anything is parsed."""
    from pyoxigraph import RdfFormat, parse, serialize

    iris.check_iris(kb, base)
    buffer = io.BytesIO()
    writer = mapping.Statements(base, buffer)
    mapping.write_head(writer, kb)
    mapping.write_reports(writer, kb.reports)
    mapping.write_tail(writer, kb, describe=False)
    # void:triples counts distinct triples: where ids repeat, two statements can say the same
    parsed = list(dict.fromkeys(parse(buffer.getvalue(), format=RdfFormat.TURTLE)))
    writer.triples, start = len(parsed), buffer.tell()
    writer.dataset(kb.dataset)
    description = prefix_lines() + buffer.getvalue()[start:]
    parsed += parse(description, format=RdfFormat.TURTLE)
    data = serialize(parsed, format=RdfFormat.TURTLE, prefixes=PREFIXES)
    assert isinstance(data, bytes)
    return data


def _jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def triples(kb: KnowledgeBase, base_iri: str = DEFAULT_BASE_IRI) -> list[Triple]:
    """Every triple of ``kb``, grouped by subject, in document order: same data, same list."""
    from pyoxigraph import RdfFormat, parse

    data = io.BytesIO()
    write_turtle(kb, data, base_iri, jobs=1)  # parsed whole just below: no second process
    with no_gc():
        return [
            (plain_term(t.subject), plain_term(t.predicate), plain_term(t.object))  # type: ignore[misc]
            for t in parse(data.getvalue(), format=RdfFormat.TURTLE)
        ]


def plain_term(term: Any) -> Term:
    """A pyoxigraph term as a plain one: an IRI's ``str`` (``_:id`` for a blank node), a Lit."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, NamedNode):
        return str(term.value)
    if isinstance(term, Literal):
        if term.language:
            return Lit(term.value, term.language)
        datatype = str(term.datatype.value)
        return Lit(term.value, None, None if datatype == STRING else datatype)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)  # an RDF-star triple term: shown as text


def graph_of(rows: Sequence[Triple]) -> Graph:
    """An rdflib Graph of plain triples, with the policykb prefixes bound."""
    from rdflib import BNode, Graph, Literal, URIRef

    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    iris: dict[str, URIRef | BNode] = {}
    literals: dict[Lit, Literal] = {}

    def iri(value: str) -> URIRef | BNode:
        found = iris.get(value)
        if found is None:
            found = iris[value] = BNode(value[2:]) if value.startswith("_:") else URIRef(value)
        return found

    def term(value: Term) -> URIRef | BNode | Literal:
        if not isinstance(value, Lit):
            return iri(value)
        found = literals.get(value)
        if found is None:
            datatype = URIRef(value.datatype) if value.datatype else None
            # normalize=False: keep the lexical form exactly as written
            found = literals[value] = Literal(
                value.value, lang=value.lang, datatype=datatype, normalize=False
            )
        return found

    graph.addN((iri(s), iri(p), term(o), graph) for s, p, o in rows)
    return graph


def to_rdf(kb: KnowledgeBase, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """The knowledge base as an rdflib Graph (DESIGN §6); :func:`policykb.from_rdf` inverts it."""
    return graph_of(triples(kb, base_iri))


def oxigraph_terms(rows: Iterable[Triple]) -> Iterator[tuple[Any, Any, Any]]:
    """Plain triples as tuples of pyoxigraph terms, each distinct term built once.

    A ``str`` starting with ``_:`` is a blank node (no IRI policykb mints starts so).
    """
    from pyoxigraph import BlankNode, Literal, NamedNode

    nodes: dict[str, Any] = {}
    literals: dict[Lit, Any] = {}

    def node(value: str) -> Any:
        found = nodes[value] = BlankNode(value[2:]) if value.startswith("_:") else NamedNode(value)
        return found

    for s, p, o in rows:
        subject = nodes.get(s) or node(s)
        predicate = nodes.get(p) or node(p)
        if isinstance(o, Lit):
            obj = literals.get(o)
            if obj is None:
                value, lang, datatype = o
                if lang is not None:
                    obj = Literal(value, language=lang)
                elif datatype is not None:
                    obj = Literal(value, datatype=nodes.get(datatype) or node(datatype))
                else:
                    obj = Literal(value)
                literals[o] = obj
        else:
            obj = nodes.get(o) or node(o)
        yield subject, predicate, obj


def oxigraph_triples(rows: Iterable[Triple]) -> Iterator[Any]:
    """Plain triples as pyoxigraph ``Triple`` values (what ``pyoxigraph.serialize`` takes)."""
    from pyoxigraph import Triple as OxTriple

    for s, p, o in oxigraph_terms(rows):
        yield OxTriple(s, p, o)


def oxigraph_turtle(rows: Iterable[Triple]) -> bytes:
    """Plain triples serialised as Turtle by pyoxigraph, with the policykb prefixes."""
    from pyoxigraph import RdfFormat, serialize

    data = serialize(oxigraph_triples(rows), format=RdfFormat.TURTLE, prefixes=PREFIXES)
    assert isinstance(data, bytes)
    return data
