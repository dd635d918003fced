"""Knowledge base -> RDF on the vocabulary of DESIGN §6: the one place triples are made.

:func:`triples` builds every triple of a knowledge base once, as plain tuples of strings
(an IRI is a ``str``, a literal a :class:`Lit`), grouped by subject and in a fixed order, so
the same knowledge base always gives the same list. :func:`to_rdf` feeds that list to an
rdflib ``Graph`` (the public object model, and what pyshacl runs on); the export and SPARQL
paths feed it to pyoxigraph, which serialises and queries far faster than rdflib.

No blank nodes: nodes that belong to one item (its citation, contributors, alternative
labels, crosswalk matches, the cells of ordered lists) get fragment IRIs under the item's IRI
(``…/report/x#source``, ``…#contributor-1``, ``…#countryList-1``), so every export is stable
byte for byte and every node can be named in a query. Lists keep their order and repeats:
the plain triples (``dcterms:spatial``, ``skos:note`` …) say what is there, and an ``rdf:List``
under the matching ``pkb:…List`` property, written when a list has two or more members, says
in what order.
"""

# ruff: noqa: N815  (RDF property names are camelCase, as in rdflib's own SKOS and DCTERMS)
from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from rdflib.namespace import (
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
    Namespace,
)
from rdflib.term import URIRef

from policykb import countries
from policykb.errors import UsageError
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


class PKB(DefinedNamespace):
    """The policykb ontology (``ontology/ontology.ttl`` gives each term a label and comment)."""

    _NS = Namespace("https://w3id.org/policykb/ontology#")
    _fail = True

    # classes
    Framework: URIRef
    Pillar: URIRef
    Element: URIRef
    Publication: URIRef
    Report: URIRef
    Review: URIRef
    WorkingPaper: URIRef
    PolicyPaper: URIRef
    BlogPost: URIRef
    Standard: URIRef
    PolicyRecommendation: URIRef
    Citation: URIRef
    Contributor: URIRef
    AlternativeLabel: URIRef
    Crosswalk: URIRef
    ConceptMatch: URIRef
    MappingStatus: URIRef
    RecommendationStatus: URIRef
    # individuals
    Stated: URIRef
    Inferred: URIRef
    Listed: URIRef
    Candidate: URIRef
    # properties
    position: URIRef
    citation: URIRef
    pillarTerm: URIRef
    elementTerm: URIRef
    alternativeLabel: URIRef
    series: URIRef
    defines: URIRef
    applies: URIRef
    compares: URIRef
    actor: URIRef
    mapping: URIRef
    status: URIRef
    area: URIRef
    gap: URIRef
    acronym: URIRef
    role: URIRef
    affiliation: URIRef
    matchSource: URIRef
    matchTarget: URIRef
    matchRelation: URIRef
    justification: URIRef
    # the ordered forms of multi-valued properties
    alternativeTitleList: URIRef
    noteList: URIRef
    gapList: URIRef
    countryList: URIRef
    comparesList: URIRef
    definesList: URIRef
    appliesList: URIRef
    conceptList: URIRef
    actorList: URIRef


class BIBO(DefinedNamespace):
    """The terms of the Bibliographic Ontology that policykb uses (rdflib does not ship BIBO)."""

    _NS = Namespace("http://purl.org/ontology/bibo/")
    _fail = True

    Document: URIRef
    Report: URIRef
    Standard: URIRef
    doi: URIRef
    isbn: URIRef
    number: URIRef
    chapter: URIRef
    section: URIRef
    pages: URIRef


#: Prefixes bound in every serialisation and pre-bound in ``policykb sparql``.
PREFIXES: dict[str, str] = {
    "pkb": str(PKB._NS),
    "skos": str(SKOS._NS),
    "dcterms": str(DCTERMS._NS),
    "schema": str(SDO._NS),
    "bibo": str(BIBO._NS),
    "prov": str(PROV._NS),
    "org": str(ORG._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "xsd": str(XSD._NS),
    "owl": str(OWL._NS),
    "sh": str(SH._NS),
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

# Plain ``str`` copies of the terms the writer uses: rdflib's URIRef never equals a str, and a
# plain str is what the fast paths hand to pyoxigraph.
A = str(RDF.type)
FIRST, REST, NIL, VALUE = str(RDF.first), str(RDF.rest), str(RDF.nil), str(RDF.value)
IDENTIFIER, TITLE, ALTERNATIVE = (
    str(DCTERMS.identifier),
    str(DCTERMS.title),
    str(DCTERMS.alternative),
)
DESCRIPTION, ABSTRACT, SOURCE = str(DCTERMS.description), str(DCTERMS.abstract), str(DCTERMS.source)
PUBLISHER, ISSUED, LANGUAGE = str(DCTERMS.publisher), str(DCTERMS.issued), str(DCTERMS.language)
SPATIAL, SUBJECT, IS_PART_OF = str(DCTERMS.spatial), str(DCTERMS.subject), str(DCTERMS.isPartOf)
CONTRIBUTOR, DC_TYPE, LOCATION = str(DCTERMS.contributor), str(DCTERMS.type), str(DCTERMS.Location)
CONCEPT_SCHEME, CONCEPT = str(SKOS.ConceptScheme), str(SKOS.Concept)
HAS_TOP_CONCEPT, TOP_CONCEPT_OF = str(SKOS.hasTopConcept), str(SKOS.topConceptOf)
IN_SCHEME, BROADER, NARROWER = str(SKOS.inScheme), str(SKOS.broader), str(SKOS.narrower)
PREF_LABEL, ALT_LABEL, DEFINITION = str(SKOS.prefLabel), str(SKOS.altLabel), str(SKOS.definition)
NOTATION, NOTE = str(SKOS.notation), str(SKOS.note)
DERIVED_FROM = str(PROV.wasDerivedFrom)
FORMAL_ORGANIZATION, SUB_ORGANIZATION_OF = str(ORG.FormalOrganization), str(ORG.subOrganizationOf)
URL, NAME, DATE_PUBLISHED = str(SDO.url), str(SDO.name), str(SDO.datePublished)
DOI, ISBN, NUMBER = str(BIBO.doi), str(BIBO.isbn), str(BIBO.number)
CHAPTER, SECTION, PAGES = str(BIBO.chapter), str(BIBO.section), str(BIBO.pages)
INTEGER, ANY_URI, XSD_LANGUAGE = str(XSD.integer), str(XSD.anyURI), str(XSD.language)
STRING = str(XSD.string)
G_YEAR, G_YEAR_MONTH, XSD_DATE = str(XSD.gYear), str(XSD.gYearMonth), str(XSD.date)

#: A report's ``type`` -> its classes: the policykb class first, then schema.org and BIBO.
REPORT_CLASSES: dict[str, tuple[str, ...]] = {
    "report": (str(PKB.Report), str(SDO.Report), str(BIBO.Report)),
    "review": (str(PKB.Review), str(SDO.Report), str(BIBO.Report)),
    "working-paper": (str(PKB.WorkingPaper), str(SDO.Report), str(BIBO.Report)),
    "policy-paper": (str(PKB.PolicyPaper), str(SDO.Report), str(BIBO.Report)),
    "blog-post": (str(PKB.BlogPost), str(SDO.BlogPosting), str(BIBO.Document)),
    "standard": (str(PKB.Standard), str(SDO.CreativeWork), str(BIBO.Standard)),
}
#: A crosswalk relation -> its SKOS mapping property.
MATCH_PROPERTIES: dict[str, str] = {
    "exact": str(SKOS.exactMatch),
    "close": str(SKOS.closeMatch),
    "related": str(SKOS.relatedMatch),
    "broad": str(SKOS.broadMatch),
    "narrow": str(SKOS.narrowMatch),
}
MAPPING_VALUES: dict[str, str] = {"stated": str(PKB.Stated), "inferred": str(PKB.Inferred)}
STATUS_VALUES: dict[str, str] = {"recommendation": str(PKB.Listed), "candidate": str(PKB.Candidate)}

#: Plain-str IRIs of every pkb: term, by local name.
P: dict[str, str] = {name: str(PKB[name]) for name in PKB.__annotations__}

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
    from rdflib import BNode, Graph, Literal

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


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects that hold no cycles.

    Hundreds of thousands of tuples would otherwise trigger full collections that scan them all
    again and again; the data holds no reference cycles, so nothing is lost by waiting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
