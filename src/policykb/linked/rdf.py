"""Knowledge base -> RDF on the vocabulary of DESIGN §6: the one place triples are made.

:func:`triples` builds every triple of a knowledge base once, as plain tuples of strings
(an IRI is a ``str``, a literal a :class:`Lit`), grouped by subject and in a fixed order, so
the same knowledge base always gives the same list. :func:`to_rdf` feeds that list to an
rdflib ``Graph`` (the public object model, and what pyshacl runs on); the SPARQL path feeds it
to pyoxigraph, which queries far faster than rdflib. :func:`turtle` writes the Turtle text of
the same triples directly (the export's fast path: see "Turtle, written directly" below).
Importing this module does not import rdflib: only :func:`to_rdf`, :data:`PKB` and
:data:`BIBO` do.

No blank nodes: nodes that belong to one item (its citation, contributors, alternative
labels, crosswalk matches, the cells of ordered lists) get fragment IRIs under the item's IRI
(``…/report/x#source``, ``…#contributor-1``, ``…#countryList-1``), so every export is stable
byte for byte and every node can be named in a query. Lists keep their order and repeats:
the plain triples (``dcterms:spatial``, ``skos:note`` …) say what is there, and an ``rdf:List``
under the matching ``pkb:…List`` property, written when a list has two or more members, says
in what order.
"""

from __future__ import annotations

import io
import os
import re
import signal
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import cache
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, NoReturn

from policykb import countries
from policykb.errors import UsageError
from policykb.gcpause import no_gc
from policykb.model import (
    Crosswalk,
    Element,
    Framework,
    KnowledgeBase,
    LangText,
    Organisation,
    Pillar,
    Recommendation,
    Report,
    Source,
)

if TYPE_CHECKING:
    from rdflib import Graph

DEFAULT_BASE_IRI = "https://w3id.org/policykb/"
COUNTRY_NS = "http://publications.europa.eu/resource/authority/country/"

# The namespaces, as plain strings: importing this module (and so exporting) does not import
# rdflib. tests/test_rdf.py checks every term below against rdflib's closed namespaces.
PKB_NS = "https://w3id.org/policykb/ontology#"
BIBO_NS = "http://purl.org/ontology/bibo/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS_NS = "http://purl.org/dc/terms/"
SDO_NS = "https://schema.org/"
PROV_NS = "http://www.w3.org/ns/prov#"
ORG_NS = "http://www.w3.org/ns/org#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
SH_NS = "http://www.w3.org/ns/shacl#"

#: The terms of the policykb ontology (``ontology/ontology.ttl`` gives each a label and comment);
#: the closed rdflib namespace :data:`PKB` is made from this list.
PKB_TERMS: tuple[str, ...] = (
    # classes
    "Framework",
    "Pillar",
    "Element",
    "Publication",
    "Report",
    "Review",
    "WorkingPaper",
    "PolicyPaper",
    "BlogPost",
    "Standard",
    "PolicyRecommendation",
    "Citation",
    "Contributor",
    "AlternativeLabel",
    "Crosswalk",
    "ConceptMatch",
    "MappingStatus",
    "RecommendationStatus",
    # individuals
    "Stated",
    "Inferred",
    "Listed",
    "Candidate",
    # properties
    "position",
    "citation",
    "pillarTerm",
    "elementTerm",
    "alternativeLabel",
    "series",
    "defines",
    "applies",
    "compares",
    "actor",
    "mapping",
    "status",
    "area",
    "gap",
    "acronym",
    "role",
    "affiliation",
    "matchSource",
    "matchTarget",
    "matchRelation",
    "justification",
    # the ordered forms of multi-valued properties
    "alternativeTitleList",
    "noteList",
    "gapList",
    "countryList",
    "comparesList",
    "definesList",
    "appliesList",
    "conceptList",
    "actorList",
)
#: The terms of the Bibliographic Ontology that policykb uses (rdflib does not ship BIBO).
BIBO_TERMS: tuple[str, ...] = (
    "Document",
    "Report",
    "Standard",
    "doi",
    "isbn",
    "number",
    "chapter",
    "section",
    "pages",
)


def __getattr__(name: str) -> Any:
    """``PKB`` and ``BIBO``: closed rdflib namespaces, built (importing rdflib) on first use."""
    if name not in ("PKB", "BIBO"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import types

    from rdflib.namespace import DefinedNamespace, Namespace
    from rdflib.term import URIRef

    def namespace(name: str, iri: str, terms: tuple[str, ...], doc: str) -> Any:
        body = {
            "__doc__": doc,
            "__module__": __name__,
            "__annotations__": dict.fromkeys(terms, URIRef),
            "_NS": Namespace(iri),
            "_fail": True,
        }
        return types.new_class(name, (DefinedNamespace,), exec_body=lambda ns: ns.update(body))

    made = {
        "PKB": namespace("PKB", PKB_NS, PKB_TERMS, "The policykb ontology."),
        "BIBO": namespace("BIBO", BIBO_NS, BIBO_TERMS, "The BIBO terms policykb uses."),
    }
    globals().update(made)
    return made[name]


#: Prefixes bound in every serialisation and pre-bound in ``policykb sparql``.
PREFIXES: dict[str, str] = {
    "pkb": PKB_NS,
    "skos": SKOS_NS,
    "dcterms": DCTERMS_NS,
    "schema": SDO_NS,
    "bibo": BIBO_NS,
    "prov": PROV_NS,
    "org": ORG_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "xsd": XSD_NS,
    "owl": OWL_NS,
    "sh": SH_NS,
    "country": COUNTRY_NS,
}


class Lit(NamedTuple):
    """An RDF literal: a lexical form, a language tag or a datatype IRI (neither: xsd:string)."""

    value: str
    lang: str | None = None
    datatype: str | None = None


#: An RDF term of :func:`triples`: a ``str`` is an IRI, a :class:`Lit` a literal.
Term = str | Lit
Triple = tuple[str, str, Term]

#: Plain-str IRIs of every pkb: term, by local name.
P: dict[str, str] = {name: PKB_NS + name for name in PKB_TERMS}

A = RDF_NS + "type"
FIRST, REST, NIL, VALUE = RDF_NS + "first", RDF_NS + "rest", RDF_NS + "nil", RDF_NS + "value"
IDENTIFIER, TITLE, ALTERNATIVE = (
    DCTERMS_NS + "identifier",
    DCTERMS_NS + "title",
    DCTERMS_NS + "alternative",
)
DESCRIPTION, ABSTRACT, SOURCE = (
    DCTERMS_NS + "description",
    DCTERMS_NS + "abstract",
    DCTERMS_NS + "source",
)
PUBLISHER, ISSUED, LANGUAGE = (
    DCTERMS_NS + "publisher",
    DCTERMS_NS + "issued",
    DCTERMS_NS + "language",
)
SPATIAL, SUBJECT, IS_PART_OF = (
    DCTERMS_NS + "spatial",
    DCTERMS_NS + "subject",
    DCTERMS_NS + "isPartOf",
)
CONTRIBUTOR, DC_TYPE, LOCATION = (
    DCTERMS_NS + "contributor",
    DCTERMS_NS + "type",
    DCTERMS_NS + "Location",
)
CONCEPT_SCHEME, CONCEPT = SKOS_NS + "ConceptScheme", SKOS_NS + "Concept"
HAS_TOP_CONCEPT, TOP_CONCEPT_OF = SKOS_NS + "hasTopConcept", SKOS_NS + "topConceptOf"
IN_SCHEME, BROADER, NARROWER = SKOS_NS + "inScheme", SKOS_NS + "broader", SKOS_NS + "narrower"
PREF_LABEL, ALT_LABEL, DEFINITION = (
    SKOS_NS + "prefLabel",
    SKOS_NS + "altLabel",
    SKOS_NS + "definition",
)
NOTATION, NOTE = SKOS_NS + "notation", SKOS_NS + "note"
DERIVED_FROM = PROV_NS + "wasDerivedFrom"
FORMAL_ORGANIZATION, SUB_ORGANIZATION_OF = (
    ORG_NS + "FormalOrganization",
    ORG_NS + "subOrganizationOf",
)
URL, NAME, DATE_PUBLISHED = SDO_NS + "url", SDO_NS + "name", SDO_NS + "datePublished"
DOI, ISBN, NUMBER = BIBO_NS + "doi", BIBO_NS + "isbn", BIBO_NS + "number"
CHAPTER, SECTION, PAGES = BIBO_NS + "chapter", BIBO_NS + "section", BIBO_NS + "pages"
INTEGER, ANY_URI, XSD_LANGUAGE = XSD_NS + "integer", XSD_NS + "anyURI", XSD_NS + "language"
STRING = XSD_NS + "string"
G_YEAR, G_YEAR_MONTH, XSD_DATE = XSD_NS + "gYear", XSD_NS + "gYearMonth", XSD_NS + "date"

#: A report's ``type`` -> its classes: the policykb class first, then schema.org and BIBO.
REPORT_CLASSES: dict[str, tuple[str, ...]] = {
    "report": (P["Report"], SDO_NS + "Report", BIBO_NS + "Report"),
    "review": (P["Review"], SDO_NS + "Report", BIBO_NS + "Report"),
    "working-paper": (P["WorkingPaper"], SDO_NS + "Report", BIBO_NS + "Report"),
    "policy-paper": (P["PolicyPaper"], SDO_NS + "Report", BIBO_NS + "Report"),
    "blog-post": (P["BlogPost"], SDO_NS + "BlogPosting", BIBO_NS + "Document"),
    "standard": (P["Standard"], SDO_NS + "CreativeWork", BIBO_NS + "Standard"),
}
#: A crosswalk relation -> its SKOS mapping property.
MATCH_PROPERTIES: dict[str, str] = {
    "exact": SKOS_NS + "exactMatch",
    "close": SKOS_NS + "closeMatch",
    "related": SKOS_NS + "relatedMatch",
    "broad": SKOS_NS + "broadMatch",
    "narrow": SKOS_NS + "narrowMatch",
}
MAPPING_VALUES: dict[str, str] = {"stated": P["Stated"], "inferred": P["Inferred"]}
STATUS_VALUES: dict[str, str] = {"recommendation": P["Listed"], "candidate": P["Candidate"]}

_BASE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`#?]+/$")


def check_base_iri(base_iri: str) -> str:
    """The base IRI data IRIs are minted under, ending in ``/``; raises UsageError when unusable."""
    base = base_iri if base_iri.endswith("/") else base_iri + "/"
    if not _BASE_IRI.match(base):
        raise UsageError(
            f"'{base_iri}' cannot be a base IRI",
            f"give an http(s) IRI without query or fragment, such as {DEFAULT_BASE_IRI}",
        )
    return base


def concept_iri(base: str, qualified_id: str) -> str:
    """The IRI of concept ``framework/concept`` under ``base``."""
    framework_id, _, concept_id = qualified_id.partition("/")
    return f"{base}framework/{framework_id}/{concept_id}"


def _integer(value: int) -> Lit:
    return Lit(str(value), None, INTEGER)


def _url(value: str) -> Lit:
    # schema.org's URL is a text type: a typed literal keeps any URL exactly, valid IRI or not
    return Lit(value, None, ANY_URI)


def _date(value: str) -> Lit:
    """A report's date typed by its form (xsd:date, xsd:gYearMonth, xsd:gYear), else a string."""
    if re.fullmatch(r"[0-9]{4}", value):
        return Lit(value, None, G_YEAR)
    if re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value):
        return Lit(value, None, G_YEAR_MONTH)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            date.fromisoformat(value)
        except ValueError:
            return Lit(value)
        return Lit(value, None, XSD_DATE)
    return Lit(value)


def _texts(text: LangText) -> list[Lit]:
    # RDF language tags are case-insensitive; lower case is how Oxigraph writes them
    return [Lit(value, lang.lower()) for lang, value in text.values]


class _Writer:
    """Collects the triples of a knowledge base; ``later`` holds an item's dependent nodes."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.out: list[Triple] = []
        self.later: list[Triple] = []
        self.countries: set[str] = set()
        self.matches: set[tuple[str, str, str]] = set()

    def flush(self) -> None:
        self.out += self.later
        self.later = []

    def values(self, s: str, direct: str, ordered: str, values: Sequence[Term]) -> None:
        """``s direct v`` for each value, and when there are two or more, the ordered list."""
        add = self.out.append
        for value in dict.fromkeys(values):
            add((s, direct, value))
        if len(values) < 2:
            return
        later = self.later.append
        name = ordered.rpartition("#")[2]
        cells = [f"{s}#{name}-{i}" for i in range(1, len(values) + 1)]
        add((s, ordered, cells[0]))
        for i, value in enumerate(values):
            later((cells[i], FIRST, value))
            later((cells[i], REST, cells[i + 1] if i + 1 < len(values) else NIL))

    def country_values(self, s: str, direct: str, ordered: str, codes: Sequence[str]) -> None:
        self.countries.update(codes)
        self.values(s, direct, ordered, [COUNTRY_NS + code for code in codes])

    def citation(self, s: str, source: Source | None) -> None:
        if source is None:
            return
        node = s + "#source"
        self.out.append((s, P["citation"], node))
        if source.report is not None:
            self.out.append((s, DERIVED_FROM, f"{self.base}report/{source.report}"))
        later = self.later.append
        later((node, A, P["Citation"]))
        if source.report is not None:
            later((node, SOURCE, f"{self.base}report/{source.report}"))
        for prop, value in (
            (CHAPTER, source.chapter),
            (SECTION, source.section),
            (PAGES, source.page),
            (NOTE, source.note),
        ):
            if value is not None:
                later((node, prop, Lit(value)))
        if source.url is not None:
            later((node, URL, _url(source.url)))

    def framework(self, framework: Framework) -> None:
        s = f"{self.base}framework/{framework.id}"
        add = self.out.append
        add((s, A, CONCEPT_SCHEME))
        add((s, A, P["Framework"]))
        add((s, IDENTIFIER, Lit(framework.id)))
        add((s, TITLE, Lit(framework.title)))
        self.values(
            s, ALTERNATIVE, P["alternativeTitleList"], [Lit(t) for t in framework.alt_titles]
        )
        if framework.defined_in is not None:
            add((s, SOURCE, f"{self.base}report/{framework.defined_in}"))
        add((s, P["pillarTerm"], Lit(framework.pillar_term)))
        add((s, P["elementTerm"], Lit(framework.element_term)))
        if framework.description is not None:
            add((s, DESCRIPTION, Lit(framework.description)))
        for pillar in framework.pillars:
            add((s, HAS_TOP_CONCEPT, f"{s}/{pillar.id}"))
        self.values(s, NOTE, P["noteList"], [Lit(n) for n in framework.notes])
        self.citation(s, framework.source)
        self.flush()
        for position, pillar in enumerate(framework.pillars, 1):
            self.concept(s, framework.id, pillar, position, None)

    def concept(
        self,
        scheme: str,
        framework_id: str,
        node: Pillar | Element,
        position: int,
        pillar: str | None,
    ) -> None:
        s = f"{scheme}/{node.id}"
        add = self.out.append
        add((s, A, CONCEPT))
        add((s, A, P["Pillar"] if pillar is None else P["Element"]))
        add((s, IDENTIFIER, Lit(f"{framework_id}/{node.id}")))
        add((s, IN_SCHEME, scheme))
        add((s, TOP_CONCEPT_OF, scheme) if pillar is None else (s, BROADER, pillar))
        add((s, P["position"], _integer(position)))
        for literal in _texts(node.label):
            add((s, PREF_LABEL, literal))
        if node.definition is not None:
            for literal in _texts(node.definition):
                add((s, DEFINITION, literal))
        if node.notation is not None:
            add((s, NOTATION, Lit(node.notation)))
        for literal in dict.fromkeys(lit for alt in node.alt_labels for lit in _texts(alt)):
            add((s, ALT_LABEL, literal))
        later = self.later.append
        for i, alt in enumerate(node.alt_labels, 1):
            label = f"{s}#alt-label-{i}"
            add((s, P["alternativeLabel"], label))
            later((label, A, P["AlternativeLabel"]))
            later((label, P["position"], _integer(i)))
            for literal in _texts(alt):
                later((label, VALUE, literal))
        self.citation(s, node.source)
        if isinstance(node, Pillar):
            for element in node.elements:
                add((s, NARROWER, f"{scheme}/{element.id}"))
        self.flush()
        if isinstance(node, Pillar):
            for i, element in enumerate(node.elements, 1):
                self.concept(scheme, framework_id, element, i, s)

    def organisation(self, organisation: Organisation) -> None:
        s = f"{self.base}org/{organisation.id}"
        add = self.out.append
        add((s, A, FORMAL_ORGANIZATION))
        add((s, IDENTIFIER, Lit(organisation.id)))
        for literal in _texts(organisation.label):
            add((s, PREF_LABEL, literal))
        if organisation.acronym is not None:
            add((s, P["acronym"], Lit(organisation.acronym)))
            add((s, ALT_LABEL, Lit(organisation.acronym)))
        if organisation.country is not None:
            self.countries.add(organisation.country)
            add((s, SPATIAL, COUNTRY_NS + organisation.country))
        if organisation.parent is not None:
            add((s, SUB_ORGANIZATION_OF, f"{self.base}org/{organisation.parent}"))
        if organisation.url is not None:
            add((s, URL, _url(organisation.url)))
        self.citation(s, organisation.source)
        self.flush()

    def report(self, report: Report) -> None:
        s = f"{self.base}report/{report.id}"
        add = self.out.append
        add((s, A, P["Publication"]))
        for cls in REPORT_CLASSES.get(report.type, ()):
            add((s, A, cls))
        if report.type not in REPORT_CLASSES:
            add((s, DC_TYPE, Lit(report.type)))
        add((s, IDENTIFIER, Lit(report.id)))
        add((s, TITLE, Lit(report.title)))
        self.values(s, ALTERNATIVE, P["alternativeTitleList"], [Lit(t) for t in report.alt_titles])
        add((s, PUBLISHER, f"{self.base}org/{report.publisher}"))
        if report.year is not None:
            add((s, ISSUED, Lit(f"{report.year:04d}", None, G_YEAR)))
        if report.date is not None:
            add((s, DATE_PUBLISHED, _date(report.date)))
        if report.series is not None:
            add((s, P["series"], Lit(report.series)))
        for prop, value in ((NUMBER, report.number), (DOI, report.doi), (ISBN, report.isbn)):
            if value is not None:
                add((s, prop, Lit(value)))
        if report.url is not None:
            add((s, URL, _url(report.url)))
        add((s, LANGUAGE, Lit(report.language, None, XSD_LANGUAGE)))
        later = self.later.append
        for i, contributor in enumerate(report.contributors, 1):
            node = f"{s}#contributor-{i}"
            add((s, CONTRIBUTOR, node))
            later((node, A, P["Contributor"]))
            later((node, P["position"], _integer(i)))
            later((node, NAME, Lit(contributor.name)))
            later((node, P["role"], Lit(contributor.role)))
            if contributor.affiliation is not None:
                later((node, P["affiliation"], Lit(contributor.affiliation)))
            if contributor.note is not None:
                later((node, NOTE, Lit(contributor.note)))
        self.country_values(s, SPATIAL, P["countryList"], report.countries)
        self.country_values(s, P["compares"], P["comparesList"], report.compares)
        for direct, ordered, ids in (
            ("defines", "definesList", report.defines),
            ("applies", "appliesList", report.applies),
        ):
            self.values(s, P[direct], P[ordered], [f"{self.base}framework/{f}" for f in ids])
        if report.summary is not None:
            add((s, ABSTRACT, Lit(report.summary)))
        self.values(s, P["gap"], P["gapList"], [Lit(g) for g in report.gaps])
        self.values(s, NOTE, P["noteList"], [Lit(n) for n in report.notes])
        self.citation(s, report.source)
        self.flush()
        for position, recommendation in enumerate(report.recommendations, 1):
            self.recommendation(s, report.id, recommendation, position)

    def recommendation(
        self, report: str, report_id: str, rec: Recommendation, position: int
    ) -> None:
        s = f"{report}/recommendation/{rec.id}"
        add = self.out.append
        add((s, A, P["PolicyRecommendation"]))
        add((s, IDENTIFIER, Lit(f"{report_id}/{rec.id}")))
        add((s, IS_PART_OF, report))
        add((s, P["position"], _integer(position)))
        add((s, VALUE, Lit(rec.text)))
        self.values(s, SUBJECT, P["conceptList"], [concept_iri(self.base, c) for c in rec.concepts])
        self.country_values(s, SPATIAL, P["countryList"], rec.countries)
        self.values(s, P["actor"], P["actorList"], [f"{self.base}org/{a}" for a in rec.actors])
        add((s, P["mapping"], MAPPING_VALUES.get(rec.mapping) or Lit(rec.mapping)))
        add((s, P["status"], STATUS_VALUES.get(rec.status) or Lit(rec.status)))
        if rec.area is not None:
            add((s, P["area"], Lit(rec.area)))
        self.values(s, NOTE, P["noteList"], [Lit(n) for n in rec.notes])
        self.citation(s, rec.source)
        self.flush()

    def crosswalk(self, crosswalk: Crosswalk) -> None:
        s = f"{self.base}crosswalk/{crosswalk.id}"
        add = self.out.append
        add((s, A, P["Crosswalk"]))
        add((s, IDENTIFIER, Lit(crosswalk.id)))
        add((s, TITLE, Lit(crosswalk.title)))
        if crosswalk.description is not None:
            add((s, DESCRIPTION, Lit(crosswalk.description)))
        self.citation(s, crosswalk.source)
        self.flush()
        for i, match in enumerate(crosswalk.matches, 1):
            node = f"{s}#match-{i}"
            source = concept_iri(self.base, match.source_concept)
            target = concept_iri(self.base, match.target_concept)
            relation = MATCH_PROPERTIES[match.relation]
            add((node, A, P["ConceptMatch"]))
            add((node, IS_PART_OF, s))
            add((node, P["position"], _integer(i)))
            add((node, P["matchSource"], source))
            add((node, P["matchTarget"], target))
            add((node, P["matchRelation"], relation))
            add((node, P["justification"], Lit(match.justification)))
            if (source, relation, target) not in self.matches:
                self.matches.add((source, relation, target))
                add((source, relation, target))

    def country_nodes(self) -> None:
        add = self.out.append
        for code in sorted(self.countries):
            s = COUNTRY_NS + code
            add((s, A, LOCATION))
            alpha_2 = countries.alpha_2(code) if re.fullmatch("[A-Z]{3}", code) else None
            if alpha_2 is not None:
                add((s, PREF_LABEL, Lit(countries.name(code), "en")))
                add((s, NOTATION, Lit(alpha_2)))
            add((s, NOTATION, Lit(code)))


def triples(kb: KnowledgeBase, base_iri: str = DEFAULT_BASE_IRI) -> list[Triple]:
    """Every triple of ``kb``, grouped by subject, in a fixed order: same data, same list."""
    writer = _Writer(check_base_iri(base_iri))
    for framework in kb.frameworks:
        writer.framework(framework)
    for organisation in kb.organisations:
        writer.organisation(organisation)
    for report in kb.reports:
        writer.report(report)
    for crosswalk in kb.crosswalks:
        writer.crosswalk(crosswalk)
    writer.country_nodes()
    return writer.out


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


# ---------------------------------------------------------------------------------------------
# Turtle, written directly
#
# pyoxigraph serialises fast, but turning half a million Python tuples into pyoxigraph terms
# first costs four times the serialisation itself. So :func:`turtle` writes the Turtle text of
# :func:`triples` straight from the knowledge base: the same triples in the same order, spelt
# byte for byte as pyoxigraph's serialiser spells them (Oxigraph's ``oxttl``): a subject's
# triples form one statement, consecutive objects of one predicate are joined by `` , ``,
# predicates by `` ;`` and a newline and a tab, ``rdf:type`` is ``a``, an IRI under a prefix
# whose local name can be written is ``prefix:local``, an ``xsd:integer`` is bare, and a string
# escapes exactly what Oxigraph escapes. :class:`_TurtleWriter` mirrors :class:`_Writer` method
# for method; tests/test_export.py checks the two give identical bytes, and
# :func:`turtle` falls back to serialising :func:`triples` with pyoxigraph for any knowledge
# base whose IRIs the direct writer does not vouch for (see :func:`_plain`).

#: What Oxigraph escapes in a string literal: C0 controls, DEL, U+FFFE/U+FFFF, quote, backslash.
_ESCAPES: dict[int, str] = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)}
_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"})
_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\"})


def _quoted(value: str) -> str:
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


def _local_name(value: str) -> str | None:
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


def _iri(iri: str) -> str:
    """An IRI in Turtle: ``prefix:local`` under one of :data:`PREFIXES` when it can be, else <…>.

    No two of the prefixes' namespaces start alike, so at most one can match: the order in
    which Oxigraph tries them does not matter.
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if not local:
                return f"{prefix}:"
            escaped = _local_name(local)
            if escaped is not None:
                return f"{prefix}:{escaped}"
    return f"<{iri}>"


def _is_turtle_number(value: str, datatype: str) -> bool:
    """Whether Oxigraph writes a ``datatype`` literal bare (``1``, ``true``, ``1.5``, ``1e3``)."""
    if datatype == XSD_NS + "boolean":
        return value in ("true", "false")
    pattern = {
        INTEGER: r"[+-]?[0-9]+",
        XSD_NS + "decimal": r"[+-]?[0-9]*\.[0-9]+",
        XSD_NS + "double": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+",
    }.get(datatype)
    return pattern is not None and re.fullmatch(pattern, value, re.ASCII) is not None


def _literal(literal: Lit) -> str:
    """A :class:`Lit` in Turtle (its language tag already normalised)."""
    value, lang, datatype = literal
    if lang is not None:
        return f"{_quoted(value)}@{lang}"
    if datatype is None or datatype == STRING:
        return _quoted(value)
    if _is_turtle_number(value, datatype):
        return value
    return f"{_quoted(value)}^^{_iri(datatype)}"


# Turtle spellings of the vocabulary's terms, and the pieces statements are made of.
_SEP = " ;\n\t"  # between the predicates of one subject
_T = {iri: _iri(iri) for iri in (*P.values(), *MATCH_PROPERTIES.values())}
_TYPE = "a"
_FIRST, _REST, _NIL, _VALUE = _iri(FIRST), _iri(REST), _iri(NIL), _iri(VALUE)
_IDENTIFIER, _TITLE, _ALTERNATIVE = _iri(IDENTIFIER), _iri(TITLE), _iri(ALTERNATIVE)
_DESCRIPTION, _ABSTRACT, _SOURCE = _iri(DESCRIPTION), _iri(ABSTRACT), _iri(SOURCE)
_PUBLISHER, _ISSUED, _LANGUAGE = _iri(PUBLISHER), _iri(ISSUED), _iri(LANGUAGE)
_SPATIAL, _SUBJECT, _IS_PART_OF = _iri(SPATIAL), _iri(SUBJECT), _iri(IS_PART_OF)
_CONTRIBUTOR, _DC_TYPE = _iri(CONTRIBUTOR), _iri(DC_TYPE)
_HAS_TOP_CONCEPT, _TOP_CONCEPT_OF = _iri(HAS_TOP_CONCEPT), _iri(TOP_CONCEPT_OF)
_IN_SCHEME, _BROADER, _NARROWER = _iri(IN_SCHEME), _iri(BROADER), _iri(NARROWER)
_PREF_LABEL, _ALT_LABEL, _DEFINITION = _iri(PREF_LABEL), _iri(ALT_LABEL), _iri(DEFINITION)
_NOTATION, _NOTE = _iri(NOTATION), _iri(NOTE)
_DERIVED_FROM, _SUB_ORGANIZATION_OF = _iri(DERIVED_FROM), _iri(SUB_ORGANIZATION_OF)
_URL, _NAME, _DATE_PUBLISHED = _iri(URL), _iri(NAME), _iri(DATE_PUBLISHED)
_DOI, _ISBN, _NUMBER = _iri(DOI), _iri(ISBN), _iri(NUMBER)
_CHAPTER, _SECTION, _PAGES = _iri(CHAPTER), _iri(SECTION), _iri(PAGES)
_POSITION, _CITATION, _ACTOR = _T[P["position"]], _T[P["citation"]], _T[P["actor"]]
_ANY_URI = "^^" + _iri(ANY_URI)
_G_YEAR = "^^" + _iri(G_YEAR)
_XSD_LANGUAGE = "^^" + _iri(XSD_LANGUAGE)
_A_CITATION = f"{_TYPE} {_T[P['Citation']]}"
_A_FRAMEWORK = f"{_TYPE} {_iri(CONCEPT_SCHEME)} , {_T[P['Framework']]}"
_A_PILLAR = f"{_TYPE} {_iri(CONCEPT)} , {_T[P['Pillar']]}"
_A_ELEMENT = f"{_TYPE} {_iri(CONCEPT)} , {_T[P['Element']]}"
_A_ORGANISATION = f"{_TYPE} {_iri(FORMAL_ORGANIZATION)}"
_A_LOCATION = f"{_TYPE} {_iri(LOCATION)}"
_A_PUBLICATION = f"{_TYPE} {_T[P['Publication']]}"
_A_REPORT = {
    kind: " , ".join([_A_PUBLICATION, *map(_iri, classes)])
    for kind, classes in REPORT_CLASSES.items()
}
_A_RECOMMENDATION = f"{_TYPE} {_T[P['PolicyRecommendation']]}"
_A_CONTRIBUTOR = f"{_TYPE} {_T[P['Contributor']]}"
_A_ALTERNATIVE_LABEL = f"{_TYPE} {_T[P['AlternativeLabel']]}"
_A_CROSSWALK = f"{_TYPE} {_T[P['Crosswalk']]}"
_A_CONCEPT_MATCH = f"{_TYPE} {_T[P['ConceptMatch']]}"
_MAPPING = {value: _iri(iri) for value, iri in MAPPING_VALUES.items()}
_STATUS = {value: _iri(iri) for value, iri in STATUS_VALUES.items()}
_REC_HEAD = f"{_A_RECOMMENDATION}{_SEP}{_IDENTIFIER} "
_AREA = _T[P["area"]]


def _rec_tail(mapping: str, status: str) -> str:
    """A recommendation's ``pkb:mapping`` and ``pkb:status`` parts (an unknown value: a literal)."""
    spelt_mapping = _MAPPING.get(mapping) or _quoted(mapping)
    spelt_status = _STATUS.get(status) or _quoted(status)
    return f"{_SEP}{_T[P['mapping']]} {spelt_mapping}{_SEP}{_T[P['status']]} {spelt_status}"


#: :func:`_rec_tail` of each pair of known values, made once
_REC_TAILS = {(m, st): _rec_tail(m, st) for m in MAPPING_VALUES for st in STATUS_VALUES}


class _TurtleWriter:
    """Writes the Turtle statements of :class:`_Writer`'s triples, in the same order.

    Each method mirrors the :class:`_Writer` method of the same name: ``po`` collects the
    ``predicate objects`` parts of the subject's statement (a run of triples with one predicate
    is one part, its objects joined by `` , ``), ``later`` the statements of the item's
    dependent nodes. Data IRIs are written ``<…>``: :func:`turtle` makes sure no prefix applies.
    """

    def __init__(self, base: str, out: BinaryIO) -> None:
        from pyoxigraph import Literal as OxLiteral

        self.base = base
        self.out = out
        self.written = 0  # bytes written to ``out``
        self.chunks: list[str] = []
        self.later: list[str] = []
        self.countries: set[str] = set()
        self.matches: set[tuple[str, str, str]] = set()
        self.country_iris: dict[str, str] = {}
        self.quoted: dict[str, str] = {}  # the literals that repeat (areas, citations, URLs)
        self.langs: dict[str, str] = {}
        self._ox_literal = OxLiteral

    # -- terms

    def country(self, code: str) -> str:
        found = self.country_iris.get(code)
        if found is None:
            found = self.country_iris[code] = _iri(COUNTRY_NS + code)
        return found

    def repeated(self, value: str) -> str:
        found = self.quoted.get(value)
        if found is None:
            found = self.quoted[value] = _quoted(value)
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
            out.append(_quoted(value) + tag)
        return out

    # -- statements

    def statement(self, subject: str, po: list[str]) -> None:
        """``<subject> po ; po … .`` followed by the item's dependent nodes."""
        self.emit(f"<{subject}> {_SEP.join(po)} .\n")

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
        self.write(b"".join([chunk.encode() for chunk in self.chunks]))
        self.chunks = []

    def write(self, data: bytes) -> None:
        self.out.write(data)
        self.written += len(data)

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
        unique = " , ".join(dict.fromkeys(values))
        return f"{direct} {unique}{_SEP}{_T[P[name]]} {cell}1>"

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

    def citation(self, po: list[str], s: str, source: Source | None) -> None:
        if source is not None:
            head, node = self.citation_parts(s, source)
            po.append(head)
            self.later.append(node)

    def citation_parts(self, s: str, source: Source) -> tuple[str, str]:
        """The subject's ``pkb:citation …`` part, and the statement of its citation node."""
        node = f"<{s}#source>"
        if source.report is not None:
            report = f"<{self.base}report/{source.report}>"
            head = f"{_CITATION} {node}{_SEP}{_DERIVED_FROM} {report}"
            cites = f"{_SEP}{_SOURCE} {report}"
        else:
            head, cites = f"{_CITATION} {node}", ""
        # each optional part on its own, then the statement in one f-string
        quoted, repeated = self.quoted.get, self.repeated
        chapter = section = page = note = url = ""
        if (value := source.chapter) is not None:
            chapter = f"{_SEP}{_CHAPTER} {quoted(value) or repeated(value)}"
        if (value := source.section) is not None:
            section = f"{_SEP}{_SECTION} {quoted(value) or repeated(value)}"
        if (value := source.page) is not None:
            page = f"{_SEP}{_PAGES} {_quoted(value)}"
        if (value := source.note) is not None:
            note = f"{_SEP}{_NOTE} {quoted(value) or repeated(value)}"
        if (value := source.url) is not None:
            url = f"{_SEP}{_URL} {quoted(value) or repeated(value)}{_ANY_URI}"
        return head, f"{node} {_A_CITATION}{cites}{chapter}{section}{page}{note}{url} .\n"

    def framework(self, framework: Framework) -> None:
        s = f"{self.base}framework/{framework.id}"
        po = [
            _A_FRAMEWORK,
            f"{_IDENTIFIER} {_quoted(framework.id)}",
            f"{_TITLE} {_quoted(framework.title)}",
        ]
        alt_titles = [_quoted(t) for t in framework.alt_titles]
        self.values(po, s, _ALTERNATIVE, "alternativeTitleList", alt_titles)
        if framework.defined_in is not None:
            po.append(f"{_SOURCE} <{self.base}report/{framework.defined_in}>")
        po.append(f"{_T[P['pillarTerm']]} {_quoted(framework.pillar_term)}")
        po.append(f"{_T[P['elementTerm']]} {_quoted(framework.element_term)}")
        if framework.description is not None:
            po.append(f"{_DESCRIPTION} {_quoted(framework.description)}")
        if framework.pillars:
            tops = " , ".join(f"<{s}/{pillar.id}>" for pillar in framework.pillars)
            po.append(f"{_HAS_TOP_CONCEPT} {tops}")
        self.values(po, s, _NOTE, "noteList", [_quoted(n) for n in framework.notes])
        self.citation(po, s, framework.source)
        self.statement(s, po)
        for position, pillar in enumerate(framework.pillars, 1):
            self.concept(s, framework.id, pillar, position, None)

    def concept(
        self,
        scheme: str,
        framework_id: str,
        node: Pillar | Element,
        position: int,
        pillar: str | None,
    ) -> None:
        s = f"{scheme}/{node.id}"
        po = [
            _A_PILLAR if pillar is None else _A_ELEMENT,
            f"{_IDENTIFIER} {_quoted(f'{framework_id}/{node.id}')}",
            f"{_IN_SCHEME} <{scheme}>",
            f"{_TOP_CONCEPT_OF} <{scheme}>" if pillar is None else f"{_BROADER} <{pillar}>",
            f"{_POSITION} {position}",
        ]
        labels = self.texts(node.label)
        if labels:
            po.append(f"{_PREF_LABEL} {' , '.join(labels)}")
        if node.definition is not None:
            definitions = self.texts(node.definition)
            if definitions:
                po.append(f"{_DEFINITION} {' , '.join(definitions)}")
        if node.notation is not None:
            po.append(f"{_NOTATION} {_quoted(node.notation)}")
        alt_texts = [self.texts(alt) for alt in node.alt_labels]
        alt_labels = dict.fromkeys(text for texts in alt_texts for text in texts)
        if alt_labels:
            po.append(f"{_ALT_LABEL} {' , '.join(alt_labels)}")
        if node.alt_labels:
            nodes = [f"<{s}#alt-label-{i}>" for i in range(1, len(node.alt_labels) + 1)]
            po.append(f"{_T[P['alternativeLabel']]} {' , '.join(nodes)}")
            for i, (label, texts) in enumerate(zip(nodes, alt_texts, strict=True), 1):
                parts = [_A_ALTERNATIVE_LABEL, f"{_POSITION} {i}"]
                if texts:
                    parts.append(f"{_VALUE} {' , '.join(texts)}")
                self.later.append(f"{label} {_SEP.join(parts)} .\n")
        self.citation(po, s, node.source)
        if isinstance(node, Pillar) and node.elements:
            narrower = " , ".join(f"<{scheme}/{element.id}>" for element in node.elements)
            po.append(f"{_NARROWER} {narrower}")
        self.statement(s, po)
        if isinstance(node, Pillar):
            for i, element in enumerate(node.elements, 1):
                self.concept(scheme, framework_id, element, i, s)

    def organisation(self, organisation: Organisation) -> None:
        s = f"{self.base}org/{organisation.id}"
        po = [_A_ORGANISATION, f"{_IDENTIFIER} {_quoted(organisation.id)}"]
        labels = self.texts(organisation.label)
        if labels:
            po.append(f"{_PREF_LABEL} {' , '.join(labels)}")
        if organisation.acronym is not None:
            acronym = _quoted(organisation.acronym)
            po.append(f"{_T[P['acronym']]} {acronym}")
            po.append(f"{_ALT_LABEL} {acronym}")
        if organisation.country is not None:
            self.countries.add(organisation.country)
            po.append(f"{_SPATIAL} {self.country(organisation.country)}")
        if organisation.parent is not None:
            po.append(f"{_SUB_ORGANIZATION_OF} <{self.base}org/{organisation.parent}>")
        if organisation.url is not None:
            po.append(f"{_URL} {_quoted(organisation.url)}{_ANY_URI}")
        self.citation(po, s, organisation.source)
        self.statement(s, po)

    def report(self, report: Report) -> None:
        base = self.base
        s = f"{base}report/{report.id}"
        types = _A_REPORT.get(report.type)
        po = [_A_PUBLICATION if types is None else types]
        if types is None:
            po.append(f"{_DC_TYPE} {_quoted(report.type)}")
        po.append(f"{_IDENTIFIER} {_quoted(report.id)}")
        po.append(f"{_TITLE} {_quoted(report.title)}")
        alt_titles = [_quoted(t) for t in report.alt_titles]
        self.values(po, s, _ALTERNATIVE, "alternativeTitleList", alt_titles)
        po.append(f"{_PUBLISHER} <{base}org/{report.publisher}>")
        if report.year is not None:
            po.append(f"{_ISSUED} {_quoted(f'{report.year:04d}')}{_G_YEAR}")
        if report.date is not None:
            po.append(f"{_DATE_PUBLISHED} {_literal(_date(report.date))}")
        if report.series is not None:
            po.append(f"{_T[P['series']]} {self.repeated(report.series)}")
        for prop, value in ((_NUMBER, report.number), (_DOI, report.doi), (_ISBN, report.isbn)):
            if value is not None:
                po.append(f"{prop} {_quoted(value)}")
        if report.url is not None:
            po.append(f"{_URL} {_quoted(report.url)}{_ANY_URI}")
        po.append(f"{_LANGUAGE} {_quoted(report.language)}{_XSD_LANGUAGE}")
        if report.contributors:
            nodes = [f"<{s}#contributor-{i}>" for i in range(1, len(report.contributors) + 1)]
            po.append(f"{_CONTRIBUTOR} {' , '.join(nodes)}")
            later = self.later.append
            for i, (node, contributor) in enumerate(
                zip(nodes, report.contributors, strict=True), 1
            ):
                parts = [
                    _A_CONTRIBUTOR,
                    f"{_POSITION} {i}",
                    f"{_NAME} {_quoted(contributor.name)}",
                    f"{_T[P['role']]} {self.repeated(contributor.role)}",
                ]
                if contributor.affiliation is not None:
                    parts.append(f"{_T[P['affiliation']]} {_quoted(contributor.affiliation)}")
                if contributor.note is not None:
                    parts.append(f"{_NOTE} {_quoted(contributor.note)}")
                later(f"{node} {_SEP.join(parts)} .\n")
        self.country_values(po, s, _SPATIAL, "countryList", report.countries)
        self.country_values(po, s, _T[P["compares"]], "comparesList", report.compares)
        for direct, ordered, ids in (
            ("defines", "definesList", report.defines),
            ("applies", "appliesList", report.applies),
        ):
            frameworks = [f"<{base}framework/{f}>" for f in ids]
            self.values(po, s, _T[P[direct]], ordered, frameworks)
        if report.summary is not None:
            po.append(f"{_ABSTRACT} {_quoted(report.summary)}")
        self.values(po, s, _T[P["gap"]], "gapList", [_quoted(g) for g in report.gaps])
        self.values(po, s, _NOTE, "noteList", [_quoted(n) for n in report.notes])
        self.citation(po, s, report.source)
        self.statement(s, po)
        for position, recommendation in enumerate(report.recommendations, 1):
            self.recommendation(s, report.id, recommendation, position)
        self.drain()

    def recommendation(
        self, report: str, report_id: str, rec: Recommendation, position: int
    ) -> None:
        # The hot path (tens of thousands of calls): each optional part is made on its own,
        # and the statement is one f-string, so its text is copied once; the common case (one
        # concept, country or actor) makes no list and no call.
        base = self.base
        s = f"{report}/recommendation/{rec.id}"
        concepts = rec.concepts
        if len(concepts) == 1:
            subject = f"{_SEP}{_SUBJECT} <{base}framework/{concepts[0]}>"  # = concept_iri
        elif concepts:
            iris = [f"<{base}framework/{c}>" for c in concepts]
            subject = _SEP + self.part(s, _SUBJECT, "conceptList", iris)
        else:
            subject = ""
        codes = rec.countries
        if len(codes) == 1:
            self.countries.add(codes[0])
            iri = self.country_iris.get(codes[0]) or self.country(codes[0])
            spatial = f"{_SEP}{_SPATIAL} {iri}"
        elif codes:
            spatial = _SEP + self.part(s, _SPATIAL, "countryList", self.country_list(codes))
        else:
            spatial = ""
        actors = rec.actors
        if len(actors) == 1:
            actor = f"{_SEP}{_ACTOR} <{base}org/{actors[0]}>"
        elif actors:
            iris = [f"<{base}org/{a}>" for a in actors]
            actor = _SEP + self.part(s, _ACTOR, "actorList", iris)
        else:
            actor = ""
        tail = _REC_TAILS.get((rec.mapping, rec.status)) or _rec_tail(rec.mapping, rec.status)
        area = rec.area
        if area is not None:
            tail += f"{_SEP}{_AREA} {self.quoted.get(area) or self.repeated(area)}"
        if rec.notes:
            tail += _SEP + self.part(s, _NOTE, "noteList", [_quoted(n) for n in rec.notes])
        if rec.source is not None:
            head, node = self.citation_parts(s, rec.source)
            tail += f"{_SEP}{head}"
            self.later.append(node)
        # ids are plain (see _plain): the identifier needs no escaping, nor any IRI
        self.emit(
            f'<{s}> {_REC_HEAD}"{report_id}/{rec.id}"{_SEP}{_IS_PART_OF} <{report}>{_SEP}'
            f"{_POSITION} {position}{_SEP}{_VALUE} {_quoted(rec.text)}"
            f"{subject}{spatial}{actor}{tail} .\n"
        )

    def crosswalk(self, crosswalk: Crosswalk) -> None:
        base = self.base
        s = f"{base}crosswalk/{crosswalk.id}"
        po = [
            _A_CROSSWALK,
            f"{_IDENTIFIER} {_quoted(crosswalk.id)}",
            f"{_TITLE} {_quoted(crosswalk.title)}",
        ]
        if crosswalk.description is not None:
            po.append(f"{_DESCRIPTION} {_quoted(crosswalk.description)}")
        self.citation(po, s, crosswalk.source)
        self.statement(s, po)
        add = self.chunks.append
        for i, match in enumerate(crosswalk.matches, 1):
            source = concept_iri(base, match.source_concept)
            target = concept_iri(base, match.target_concept)
            relation = MATCH_PROPERTIES[match.relation]
            add(
                f"<{s}#match-{i}> {_A_CONCEPT_MATCH}{_SEP}{_IS_PART_OF} <{s}>{_SEP}"
                f"{_POSITION} {i}{_SEP}{_T[P['matchSource']]} <{source}>{_SEP}"
                f"{_T[P['matchTarget']]} <{target}>{_SEP}"
                f"{_T[P['matchRelation']]} {_T[relation]}{_SEP}"
                f"{_T[P['justification']]} {_quoted(match.justification)} .\n"
            )
            if (source, relation, target) not in self.matches:
                self.matches.add((source, relation, target))
                add(f"<{source}> {_T[relation]} <{target}> .\n")

    def country_nodes(self) -> None:
        for code in sorted(self.countries):
            po = [_A_LOCATION]
            alpha_2 = countries.alpha_2(code) if re.fullmatch("[A-Z]{3}", code) else None
            if alpha_2 is not None:
                po.append(f"{_PREF_LABEL} {_quoted(countries.name(code))}@en")
                po.append(f"{_NOTATION} {_quoted(alpha_2)} , {_quoted(code)}")
            else:
                po.append(f"{_NOTATION} {_quoted(code)}")
            self.chunks.append(f"{self.country(code)} {_SEP.join(po)} .\n")


#: An id the direct Turtle writer puts in an IRI unchecked; any other sends the knowledge base
#: through pyoxigraph, which checks every IRI. (The loader's ids are lower-case slugs.)
_PLAIN_IDS = re.compile(r"[A-Za-z0-9_-]+(?:\n[A-Za-z0-9_-]+)*")
_PLAIN_QIDS = re.compile(r"[A-Za-z0-9_-]+/[A-Za-z0-9_-]+(?:\n[A-Za-z0-9_-]+/[A-Za-z0-9_-]+)*")


def _plain(kb: KnowledgeBase, base: str, reports: Sequence[Report] | None = None) -> bool:
    """Whether :class:`_TurtleWriter` writes ``kb`` exactly as pyoxigraph serialises its triples.

    It does when every id that goes into an IRI is a plain slug (so every IRI is valid as it
    stands), ids are unique where they name a node (so no two statements share a subject and
    pyoxigraph would never merge them), and no prefix's namespace overlaps the data IRIs (so
    they are all written ``<…>``). ``reports`` checks those reports in place of ``kb.reports``
    (a part of them: the rest of ``kb`` is checked whole).
    """
    if reports is None:
        reports = kb.reports
    roots = [f"{base}{kind}/" for kind in ("framework", "report", "org", "crosswalk")]
    namespaces = PREFIXES.values()
    if any(r.startswith(ns) or ns.startswith(r) for r in roots for ns in namespaces):
        return False
    try:
        from pyoxigraph import NamedNode

        NamedNode(roots[0])  # the base as pyoxigraph checks it
    except ValueError:
        return False
    ids: list[str] = []
    qids: list[str] = []
    sources: list[Source | None] = []
    for framework in kb.frameworks:
        ids.append(framework.id)
        concepts = list(framework.concepts())
        if len({c.id for c in concepts}) != len(concepts):
            return False
        ids += [c.id for c in concepts]
        if framework.defined_in is not None:
            ids.append(framework.defined_in)
        sources.append(framework.source)
        sources += [c.node.source for c in concepts]
    for organisation in kb.organisations:
        ids.append(organisation.id)
        ids += [c for c in (organisation.country, organisation.parent) if c is not None]
        sources.append(organisation.source)
    for report in reports:
        ids += (report.id, report.publisher)
        ids += chain(report.countries, report.compares, report.defines, report.applies)
        sources.append(report.source)
        rec_ids = [rec.id for rec in report.recommendations]
        if len(set(rec_ids)) != len(rec_ids):
            return False
        ids += rec_ids
    for crosswalk in kb.crosswalks:
        ids.append(crosswalk.id)
        sources.append(crosswalk.source)
        qids += chain.from_iterable((m.source_concept, m.target_concept) for m in crosswalk.matches)
    # what recommendations refer to, distinct (C-level loops: there are tens of thousands)
    recs = list(chain.from_iterable(map(attrgetter("recommendations"), reports)))
    ids += set(chain.from_iterable(map(attrgetter("countries"), recs)))
    ids += set(chain.from_iterable(map(attrgetter("actors"), recs)))
    qids += set(chain.from_iterable(map(attrgetter("concepts"), recs)))
    sources += map(attrgetter("source"), recs)
    cited = set(map(attrgetter("report"), filter(None, sources)))
    cited.discard(None)
    ids += cited
    for items in (kb.frameworks, kb.organisations, reports, kb.crosswalks):
        if len({item.id for item in items}) != len(items):
            return False
    return (not ids or _PLAIN_IDS.fullmatch("\n".join(ids)) is not None) and (
        not qids or _PLAIN_QIDS.fullmatch("\n".join(qids)) is not None
    )


@cache
def _turtle_prefixes() -> bytes:
    """The ``@prefix`` lines pyoxigraph starts a Turtle document with (in its own order)."""
    from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

    node = NamedNode("urn:x")
    text = serialize([Triple(node, node, Literal(""))], format=RdfFormat.TURTLE, prefixes=PREFIXES)
    assert isinstance(text, bytes)
    return b"".join(line for line in text.splitlines(True) if line.startswith(b"@prefix "))


def oxigraph_turtle(rows: Iterable[Triple]) -> bytes:
    """Plain triples serialised as Turtle by pyoxigraph, with the policykb prefixes."""
    from pyoxigraph import RdfFormat, serialize

    data = serialize(oxigraph_triples(rows), format=RdfFormat.TURTLE, prefixes=PREFIXES)
    assert isinstance(data, bytes)
    return data


def turtle(kb: KnowledgeBase, base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """The knowledge base as Turtle: exactly ``oxigraph_turtle(triples(kb, base_iri))``, faster."""
    out = io.BytesIO()
    write_turtle(kb, out, base_iri)
    return out.getvalue()


#: Fewer recommendations than this are written in one process: forking would cost more than
#: it saves (about 20 ms against about 15 µs a recommendation).
PARALLEL_MIN_RECOMMENDATIONS = 4000


def write_turtle(
    kb: KnowledgeBase, out: BinaryIO, base_iri: str = DEFAULT_BASE_IRI, jobs: int | None = None
) -> int:
    """Write :func:`turtle` of ``kb`` to the binary stream ``out``, piece by piece; bytes written.

    With ``jobs`` of 2 or more (by default: the CPUs this process may use), a knowledge base of
    at least :data:`PARALLEL_MIN_RECOMMENDATIONS` recommendations is written by two processes
    (see :func:`_write_in_two`). The bytes are the same.
    """
    base = check_base_iri(base_iri)
    jobs = _jobs() if jobs is None else jobs
    if jobs >= 2 and sys.platform.startswith("linux") and threading.active_count() == 1:
        counts = kb.recommendation_counts()
        if sum(counts) >= PARALLEL_MIN_RECOMMENDATIONS:
            written = _write_in_two(kb, out, base, counts)
            if written is not None:
                return written
    if not _plain(kb, base):
        data = oxigraph_turtle(triples(kb, base))
        out.write(data)
        return len(data)
    if not (kb.frameworks or kb.reports or kb.organisations or kb.crosswalks):
        return 0  # no triples: pyoxigraph writes nothing, not even the prefixes
    writer = _TurtleWriter(base, out)
    with no_gc():
        _write_head(writer, kb)
        for report in kb.reports:
            writer.report(report)
        _write_tail(writer, kb)
    return writer.written


def _write_head(writer: _TurtleWriter, kb: KnowledgeBase) -> None:
    """The prefixes, then the frameworks and organisations: what comes before the reports."""
    writer.write(_turtle_prefixes())
    for framework in kb.frameworks:
        writer.framework(framework)
    for organisation in kb.organisations:
        writer.organisation(organisation)
    writer.drain()


def _write_tail(writer: _TurtleWriter, kb: KnowledgeBase) -> None:
    """The crosswalks, then a node for each country named: what comes after the reports."""
    for crosswalk in kb.crosswalks:
        writer.crosswalk(crosswalk)
    writer.country_nodes()
    writer.drain()


def _jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _write_in_two(kb: KnowledgeBase, out: BinaryIO, base: str, counts: Sequence[int]) -> int | None:
    """Write ``kb`` as Turtle with a forked child writing the second half of the reports.

    Each process reads only its own half of the reports (``kb.reports_between``: a cached
    knowledge base reads just those rows) and checks it with :func:`_plain`; the child sends
    its verdict and its report ids through a pipe, then writes its Turtle to an unnamed
    temporary file, followed by the countries it named and two lengths. The parent writes
    nothing until both halves are known to be plain and their report ids disjoint, then writes
    the head, its half, the child's bytes and the tail. ``None`` (nothing written) when the
    knowledge base is not plain: the caller takes the serial path, which hands it to pyoxigraph.
    A child that dies or leaves a garbled file only makes the parent write that half itself.

    Forking happens only on Linux with no other thread running (a lock held by another thread
    would stay held in the child).
    """
    split, running, total = 0, 0, sum(counts)
    while split < len(counts) and running * 2 < total:  # halves of equal recommendations
        running += counts[split]
        split += 1
    verdict_in, verdict_out = os.pipe()
    with tempfile.TemporaryFile() as spill:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            try:  # the child must never return into the parent's code below
                os.close(verdict_in)
                _child_reports(kb, base, split, len(counts), spill, verdict_out)
            finally:
                os._exit(1)
        os.close(verdict_out)
        writer = _TurtleWriter(base, out)
        try:
            with no_gc():
                mine = kb.reports_between(0, split)
                ids = {report.id for report in mine}
                plain = len(ids) == len(mine) and _plain(kb, base, mine)
                theirs = _read_verdict(verdict_in)  # the child checks its half meanwhile
                if not plain or theirs is None or not ids.isdisjoint(theirs):
                    os.kill(pid, signal.SIGKILL)
                    return None
                _write_head(writer, kb)
                for report in mine:
                    writer.report(report)
        finally:
            os.close(verdict_in)
            _, status = os.waitpid(pid, 0)
        with no_gc():
            if status != 0 or not _copy_child_reports(spill, writer):
                for report in kb.reports_between(split, len(counts)):
                    writer.report(report)
            _write_tail(writer, kb)
    return writer.written


def _read_verdict(fd: int) -> set[str] | None:
    """The child's report ids when it found its half plain; ``None`` otherwise (or if it died)."""
    with os.fdopen(fd, "rb", closefd=False) as pipe:
        message = pipe.read()
    if not message.startswith(b"+"):
        return None
    return set(message[1:].decode().split("\n")) - {""}


def _child_reports(
    kb: KnowledgeBase, base: str, start: int, stop: int, spill: BinaryIO, verdict: int
) -> NoReturn:
    """In the forked child: reports ``start`` to ``stop`` as Turtle into ``spill``; never returns.

    First the verdict goes to the pipe ``verdict``: ``+`` and the report ids, one per line, when
    the half is plain, ``-`` when not. ``spill`` ends with the countries named (one per line)
    and two 8-byte lengths, of the Turtle and of the countries. ``os._exit`` leaves the parent's
    buffers and handlers alone.
    """
    status = 1
    try:
        reports = kb.reports_between(start, stop)
        ids = [report.id for report in reports]
        plain = len(set(ids)) == len(ids) and _plain(kb, base, reports)
        with os.fdopen(verdict, "wb") as pipe:
            pipe.write(b"+" + "\n".join(ids).encode() if plain else b"-")
        if plain:
            child = _TurtleWriter(base, spill)
            for report in reports:
                child.report(report)
            child.drain()
            size = spill.tell()
            named = "\n".join(sorted(child.countries)).encode()
            spill.write(named + size.to_bytes(8, "big") + len(named).to_bytes(8, "big"))
            spill.flush()
        status = 0
    finally:
        os._exit(status)


def _copy_child_reports(spill: BinaryIO, writer: _TurtleWriter) -> bool:
    """Append the child's Turtle to ``writer`` and take its countries.

    False, with nothing written, when the file does not end as the child ends it.
    """
    end = spill.seek(0, os.SEEK_END)
    if end < 16:
        return False
    spill.seek(end - 16)
    tail = spill.read(16)
    size, named = int.from_bytes(tail[:8], "big"), int.from_bytes(tail[8:], "big")
    if size + named + 16 != end:
        return False
    spill.seek(size)
    countries = spill.read(named).decode()
    writer.drain()
    if not _send(spill, writer, size):
        _copy(spill, writer, size)
    writer.countries.update(countries.split("\n") if countries else ())
    return True


def _ended_early(missing: int) -> OSError:
    """The error for a spill file that shrank under us: a broken export must not look whole."""
    return OSError(f"the temporary file of the export ended {missing:,} bytes early")


def _copy(spill: BinaryIO, writer: _TurtleWriter, size: int) -> None:
    """Copy the first ``size`` bytes of ``spill`` to the writer through Python."""
    spill.seek(0)
    left = size
    while left:
        block = spill.read(min(left, 1 << 20))
        if not block:
            raise _ended_early(left)
        writer.write(block)
        left -= len(block)


def _send(spill: BinaryIO, writer: _TurtleWriter, size: int) -> bool:
    """Copy the first ``size`` bytes of ``spill`` to the writer's stream inside the kernel.

    ``os.sendfile`` moves the bytes from file to file (or pipe) without bringing them into
    Python. False, with nothing written, when the stream has no file descriptor or the kernel
    refuses the first call: the caller then uses :func:`_copy`.
    """
    out = writer.out
    try:
        out_fd = out.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False
    out.flush()  # the statements written so far go before the child's
    sent = 0
    while sent < size:
        try:
            n = os.sendfile(out_fd, spill.fileno(), sent, size - sent)
        except OSError:
            if sent == 0:
                return False
            raise
        if n == 0:
            raise _ended_early(size - sent)
        sent += n
    writer.written += size
    return True
