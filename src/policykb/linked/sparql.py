"""SPARQL over the knowledge base, on a pyoxigraph in-memory store (not rdflib's query engine).

:func:`query` loads the Turtle of :mod:`policykb.linked.mapping` into a store, with the shipped
ontology beside it (so ``pkb:PolicyRecommendation rdfs:label ?l`` answers) unless asked not to,
runs the query with the common prefixes pre-bound, and returns a plain :class:`SparqlResult`.
A query the parser refuses for an unknown prefix or a slash in a prefixed name is explained
with its fix (:mod:`policykb.linked.sparqlcheck`). ``--format
json`` is the W3C SPARQL 1.1 Query Results JSON format and ``--format csv`` the W3C SPARQL 1.1
CSV format, so other SPARQL tools read them as they would a store's answer.

Before a query runs, one that calls ``SERVICE`` (the engine would fetch from the network) is
refused unless allowed, and so is one nested or chained deeper than the engine's stack bears
(:func:`policykb.linked.sparqlcheck.refusal`). Given a time or memory limit, the query runs in a
child process that is killed at the limit or on Ctrl-C (:mod:`policykb.linked.isolate`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from policykb.errors import UsageError
from policykb.linked import check_timeout as check_timeout  # re-exported: the CLI checks first
from policykb.linked.rdf import oxigraph_terms, plain_term, turtle
from policykb.linked.vocab import DEFAULT_BASE_IRI, PREFIXES, Lit, Term, Triple, check_base_iri
from policykb.model import KnowledgeBase

ResultKind = Literal["select", "ask", "graph"]


@dataclass(frozen=True, slots=True)
class SparqlResult:
    """A query's answer: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).

    Values are plain terms: a ``str`` is an IRI (``_:id`` a blank node), a :class:`Lit` a
    literal, ``None`` an unbound variable.
    """

    kind: ResultKind
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[Triple, ...] = ()


def store(kb: KnowledgeBase, base_iri: str = DEFAULT_BASE_IRI, ontology: bool = False) -> Any:
    """An in-memory pyoxigraph Store holding the knowledge base's triples (default graph).

    The triples go in as the Turtle export (:func:`policykb.linked.rdf.turtle`, the same triples),
    which pyoxigraph parses in Rust: several times faster than building a pyoxigraph term per
    triple in Python. ``ontology`` adds the shipped ontology's triples to the same graph.
    """
    from pyoxigraph import RdfFormat, Store

    result = Store()
    result.load(turtle(kb, base_iri), format=RdfFormat.TURTLE)
    if ontology:
        from policykb.linked.ontology import turtle as ontology_turtle

        result.load(ontology_turtle(["ontology"]), format=RdfFormat.TURTLE)
    return result


def _plain(term: Any) -> Term | None:
    return None if term is None else plain_term(term)


def run(oxigraph_store: Any, text: str, base_iri: str = DEFAULT_BASE_IRI) -> SparqlResult:
    """Run one SPARQL query on a pyoxigraph store; a malformed query raises UsageError."""
    from pyoxigraph import QueryBoolean, QuerySolutions

    prefixes = {"kb": check_base_iri(base_iri), **PREFIXES}
    try:
        answer = oxigraph_store.query(text, prefixes=prefixes)
        if isinstance(answer, QueryBoolean):
            return SparqlResult("ask", boolean=bool(answer))
        if isinstance(answer, QuerySolutions):
            variables = tuple(v.value for v in answer.variables)
            rows = tuple(tuple(_plain(solution[v]) for v in variables) for solution in answer)
            return SparqlResult("select", variables=variables, rows=rows)
        graph = []
        for triple in answer:
            s, p, o = _plain(triple.subject), _plain(triple.predicate), _plain(triple.object)
            assert isinstance(s, str) and isinstance(p, str) and o is not None
            graph.append((s, p, o))
        return SparqlResult("graph", triples=tuple(graph))
    except SyntaxError as exc:
        raise _malformed(text, " ".join(str(exc).split()), prefixes) from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise UsageError(f"the SPARQL query failed: {exc}") from None


def _malformed(text: str, message: str, prefixes: dict[str, str]) -> UsageError:
    """The error for a query the parser refused: its mistake explained, else the parser's words."""
    from policykb.linked.sparqlcheck import explain

    found = re.search(r"\bat (\d+):(\d+)", message)
    error_at = (int(found[1]), int(found[2])) if found else None
    mistake = explain(text, prefixes, prefixes["kb"], error_at)
    if mistake is None:
        return UsageError(
            f"malformed SPARQL query: {message}", "the position is line:column in the query text"
        )
    return UsageError(
        f"malformed SPARQL query at {mistake.line}:{mistake.column}: {mistake.message}",
        mistake.hint,
    )


def check(text: str, allow_service: bool = False) -> None:
    """Raise UsageError for a query that must not run: SERVICE (unless ``allow_service``), or
    brackets or operators beyond :mod:`policykb.linked.sparqlcheck`'s limits."""
    from policykb.linked.sparqlcheck import refusal

    found = refusal(text, allow_service)
    if found is not None:
        raise UsageError(
            f"refused SPARQL query at {found.line}:{found.column}: {found.message}", found.hint
        )


def query(
    kb: KnowledgeBase,
    text: str,
    base_iri: str = DEFAULT_BASE_IRI,
    ontology: bool = True,
    *,
    allow_service: bool = False,
    timeout: float | None = None,
    memory_mb: int | None = None,
) -> SparqlResult:
    """Run a SPARQL query over the knowledge base and, unless ``ontology`` is false, the ontology.

    The prefixes of :data:`PREFIXES` and ``kb:`` (the data base IRI) are pre-bound. A query
    calling ``SERVICE`` is refused (UsageError, before anything runs) unless ``allow_service``.
    With ``timeout`` (seconds) or ``memory_mb`` the query runs in a child process, stopped at
    either limit (:class:`policykb.linked.isolate.TimeLimitError`, ``ResourceError``) or on
    Ctrl-C; the store is loaded before the clock starts.
    """
    check(text, allow_service)
    if timeout is not None:
        check_timeout(timeout)
    if timeout is None and memory_mb is None:
        return run(store(kb, base_iri, ontology), text, base_iri)
    from policykb.linked import isolate

    return isolate.call(
        lambda: store(kb, base_iri, ontology),
        lambda loaded: run(loaded, text, base_iri),
        timeout,
        None if memory_mb is None else memory_mb * 2**20,
        "the SPARQL query",
    )


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, Lit):
        value: dict[str, str] = {"type": "literal", "value": term.value}
        if term.lang is not None:
            value["xml:lang"] = term.lang
        elif term.datatype is not None:
            value["datatype"] = term.datatype
        return value
    if term.startswith("_:"):
        return {"type": "bnode", "value": term[2:]}
    return {"type": "uri", "value": term}


def results_json(result: SparqlResult) -> str:
    """SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/)."""
    if result.kind == "graph":
        raise UsageError(
            "CONSTRUCT and DESCRIBE answer with a graph, not results",
            "use --format table for Turtle",
        )
    document: dict[str, Any]
    if result.kind == "ask":
        document = {"head": {}, "boolean": result.boolean}
    else:
        document = {
            "head": {"vars": list(result.variables)},
            "results": {
                "bindings": [
                    {
                        var: _json_term(value)
                        for var, value in zip(result.variables, row, strict=True)
                        if value is not None
                    }
                    for row in result.rows
                ]
            },
        }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def results_csv(result: SparqlResult) -> str:
    """SPARQL 1.1 Query Results CSV (https://www.w3.org/TR/sparql11-results-csv-tsv/)."""
    if result.kind == "graph":
        raise UsageError(
            "CONSTRUCT and DESCRIBE answer with a graph, not results",
            "use --format table for Turtle",
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # the W3C format's line ends
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if v is None else v.value if isinstance(v, Lit) else v for v in row])
    return buffer.getvalue()


def short(term: Term | None, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """A value as people read it in a table: ``pkb:Pillar``, ``kb:report/x``, a literal's text."""
    if term is None:
        return ""
    if isinstance(term, Lit):
        return term.value
    if term.startswith("_:"):
        return term
    namespaces = [("kb", check_base_iri(base_iri)), *PREFIXES.items()]
    best = max(
        (ns for ns in namespaces if term.startswith(ns[1])), key=lambda ns: len(ns[1]), default=None
    )
    return f"{best[0]}:{term[len(best[1]) :]}" if best else f"<{term}>"


def graph_turtle(result: SparqlResult) -> bytes:
    """The triples of a CONSTRUCT or DESCRIBE answer as Turtle."""
    from pyoxigraph import RdfFormat, Triple, serialize

    data = serialize(
        (Triple(*t) for t in oxigraph_terms(result.triples)),
        format=RdfFormat.TURTLE,
        prefixes=PREFIXES,
    )
    assert isinstance(data, bytes)
    return data
