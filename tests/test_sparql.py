"""SPARQL over the knowledge base on a pyoxigraph store: prefixes, result forms and errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from policykb.datafiles.loader import load
from policykb.errors import UsageError
from policykb.linked.rdf import triples
from policykb.linked.sparql import (
    SparqlResult,
    query,
    results_csv,
    results_json,
    run,
    short,
    store,
)
from policykb.linked.vocab import COUNTRY_NS, Lit
from policykb.model import KnowledgeBase

FIXTURE = Path(__file__).parent / "data" / "rdf" / "kb"
BASE = "https://w3id.org/policykb/"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The fixture knowledge base."""
    return load(FIXTURE)


def test_store_holds_exactly_the_triples(kb: KnowledgeBase) -> None:
    """The pyoxigraph store holds as many triples as the core makes (no duplicates, none lost)."""
    assert len(store(kb)) == len(set(triples(kb)))


def test_select_with_prebound_prefixes(kb: KnowledgeBase) -> None:
    """A SELECT using skos:, dcterms:, pkb: and country: without PREFIX lines answers in order."""
    result = query(
        kb,
        """
        SELECT DISTINCT ?rec ?text WHERE {
          ?rec a pkb:PolicyRecommendation ; rdf:value ?text ; dcterms:spatial country:PAN ;
               dcterms:subject/skos:inScheme ?scheme .
          ?scheme dcterms:title "Alpha framework" .
        } ORDER BY ?rec""",
    )
    assert result.kind == "select"
    assert result.variables == ("rec", "text")
    assert result.rows == (
        (BASE + "report/alpha-report/recommendation/r00", Lit("Publish open data.")),
        (BASE + "report/alpha-report/recommendation/r01", Lit("Set up a digital agency.")),
    )


def test_unbound_variables_are_none(kb: KnowledgeBase) -> None:
    """An OPTIONAL that does not match leaves the variable as None."""
    result = query(
        kb,
        "SELECT ?rec ?area WHERE { ?rec a pkb:PolicyRecommendation "
        "OPTIONAL { ?rec pkb:area ?area } } ORDER BY ?rec",
    )
    areas = dict(result.rows)
    assert areas[BASE + "report/alpha-report/recommendation/r01"] == Lit("Governance")
    assert areas[BASE + "report/beta-post/recommendation/only"] is None


def test_ask(kb: KnowledgeBase) -> None:
    """ASK answers a boolean."""
    assert query(kb, "ASK { ?c a pkb:Pillar ; skos:prefLabel 'Trust'@en }").boolean is True
    assert query(kb, "ASK { ?c a pkb:Pillar ; skos:prefLabel 'Nope'@en }").boolean is False


def test_construct_gives_triples(kb: KnowledgeBase) -> None:
    """CONSTRUCT answers with plain triples."""
    result = query(kb, "CONSTRUCT { ?s skos:exactMatch ?o } WHERE { ?s skos:exactMatch ?o }")
    assert result.kind == "graph"
    assert result.triples == (
        (
            BASE + "framework/alpha/openness",
            "http://www.w3.org/2004/02/skos/core#exactMatch",
            BASE + "framework/beta/users",
        ),
    )


def test_malformed_query_names_the_position(kb: KnowledgeBase) -> None:
    """A syntax error raises UsageError carrying the parser's line:column."""
    with pytest.raises(UsageError) as caught:
        query(kb, "SELECT ?x WHERE {\n  ?x ?y }")
    assert "malformed SPARQL query" in caught.value.message
    assert "2:" in caught.value.message


def test_unknown_prefix_is_a_usage_error(kb: KnowledgeBase) -> None:
    """A prefix that is not pre-bound nor declared is a malformed query."""
    with pytest.raises(UsageError, match="malformed"):
        query(kb, "SELECT * WHERE { ?s nope:p ?o }")


def test_results_json_is_the_w3c_format(kb: KnowledgeBase) -> None:
    """JSON output is SPARQL 1.1 Query Results JSON: head.vars and typed bindings."""
    result = query(
        kb,
        "SELECT ?o ?label ?n WHERE { ?o skos:prefLabel ?label ; pkb:acronym ?a "
        "FILTER(lang(?label) = 'es') BIND(1 AS ?n) }",
    )
    document = json.loads(results_json(result))
    assert document["head"] == {"vars": ["o", "label", "n"]}
    (binding,) = document["results"]["bindings"]
    assert binding["o"] == {"type": "uri", "value": BASE + "org/agency"}
    assert binding["label"] == {"type": "literal", "value": "Agencia Digital", "xml:lang": "es"}
    assert binding["n"] == {
        "type": "literal",
        "value": "1",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }


def test_results_json_of_ask(kb: KnowledgeBase) -> None:
    """An ASK answer in JSON is {head: {}, boolean}."""
    assert json.loads(results_json(query(kb, "ASK {}"))) == {"head": {}, "boolean": True}


def test_results_csv_is_the_w3c_format(kb: KnowledgeBase) -> None:
    """CSV output has the variables as header, full IRIs and lexical forms, CRLF line ends."""
    result = query(
        kb,
        f"SELECT ?c ?code WHERE {{ ?c skos:notation ?code "
        f"FILTER(?c = <{COUNTRY_NS}CHL>) }} ORDER BY ?code",
    )
    text = results_csv(result)
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [
        ["c", "code"],
        [COUNTRY_NS + "CHL", "CHL"],
        [COUNTRY_NS + "CHL", "CL"],
    ]


def test_graph_results_are_not_tabular() -> None:
    """CONSTRUCT answers cannot be written as SPARQL results JSON or CSV."""
    result = SparqlResult("graph", triples=())
    with pytest.raises(UsageError):
        results_json(result)
    with pytest.raises(UsageError):
        results_csv(result)


def test_short_names_for_tables() -> None:
    """Tables show IRIs with prefixes (kb: for data), literals as their text, blanks as _:id."""
    assert short("https://w3id.org/policykb/ontology#Pillar") == "pkb:Pillar"
    assert short(BASE + "report/x") == "kb:report/x"
    assert short("http://example.org/x") == "<http://example.org/x>"
    assert short(Lit("hola", "es")) == "hola"
    assert short("_:b1") == "_:b1"
    assert short(None) == ""


def test_run_reuses_a_store(kb: KnowledgeBase) -> None:
    """A store built once answers several queries."""
    built = store(kb)
    first = run(built, "SELECT (COUNT(*) AS ?n) WHERE { ?r a pkb:Publication }")
    second = run(built, "SELECT (COUNT(*) AS ?n) WHERE { ?f a pkb:Framework }")
    integer = "http://www.w3.org/2001/XMLSchema#integer"
    assert (first.rows[0][0], second.rows[0][0]) == (
        Lit("3", None, integer),
        Lit("2", None, integer),
    )
