"""The RDF vocabulary of DESIGN §6: what to_rdf says about each kind of thing, and the ontology."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef, namespace
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS

from policykb.datafiles.loader import load
from policykb.errors import UsageError
from policykb.linked.export import shipped_file
from policykb.linked.rdf import to_rdf, triples
from policykb.linked.vocab import BIBO, COUNTRY_NS, PKB, P, check_base_iri
from policykb.model import KnowledgeBase

FIXTURE = Path(__file__).parent / "data" / "rdf" / "kb"
BASE = "https://w3id.org/policykb/"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The fixture knowledge base."""
    return load(FIXTURE)


@pytest.fixture(scope="module")
def graph(kb: KnowledgeBase) -> Graph:
    """The fixture as an rdflib graph."""
    return to_rdf(kb)


def iri(path: str) -> URIRef:
    """A data IRI under the default base."""
    return URIRef(BASE + path)


def test_framework_is_a_concept_scheme(graph: Graph) -> None:
    """A framework is a skos:ConceptScheme with its title, source report and top concepts."""
    fw = iri("framework/alpha")
    assert (fw, RDF.type, SKOS.ConceptScheme) in graph
    assert (fw, RDF.type, PKB.Framework) in graph
    assert (fw, DCTERMS.title, Literal("Alpha framework")) in graph
    assert (fw, DCTERMS.source, iri("report/alpha-report")) in graph
    assert set(graph.objects(fw, SKOS.hasTopConcept)) == {
        iri("framework/alpha/governance"),
        iri("framework/alpha/trust"),
    }


def test_pillars_and_elements_are_skos_concepts(graph: Graph) -> None:
    """Pillars are top concepts, elements are broader-linked to them, with labels by language."""
    pillar, element = iri("framework/alpha/governance"), iri("framework/alpha/rules")
    assert {PKB.Pillar, SKOS.Concept} <= set(graph.objects(pillar, RDF.type))
    assert {PKB.Element, SKOS.Concept} <= set(graph.objects(element, RDF.type))
    assert (pillar, SKOS.topConceptOf, iri("framework/alpha")) in graph
    assert (element, SKOS.broader, pillar) in graph
    assert (pillar, SKOS.narrower, element) in graph
    assert (element, SKOS.inScheme, iri("framework/alpha")) in graph
    assert (pillar, SKOS.prefLabel, Literal("Gobernanza", lang="es")) in graph
    assert (pillar, SKOS.definition, Literal("Who decides.", lang="en")) in graph
    assert (pillar, SKOS.altLabel, Literal("Dirección", lang="es")) in graph


def test_notation_is_only_the_sources_numbering_and_position_is_the_order(graph: Graph) -> None:
    """skos:notation appears only where the source numbers a concept; pkb:position gives order."""
    assert (iri("framework/alpha/trust"), SKOS.notation, Literal("2")) in graph
    assert graph.value(iri("framework/alpha/rules"), SKOS.notation) is None
    positions = {
        s: int(o)
        for s, o in graph.subject_objects(PKB.position)
        if (s, SKOS.broader, iri("framework/alpha/trust")) in graph
    }
    assert positions == {
        iri("framework/alpha/privacy"): 1,
        iri("framework/alpha/openness"): 2,
    }
    assert graph.value(iri("framework/alpha/trust"), PKB.position) == Literal(2)


def test_report_vocabulary(graph: Graph) -> None:
    """A report is a schema:Report and bibo:Report with year, date, publisher, DOI, countries."""
    report = iri("report/alpha-report")
    assert {PKB.Publication, PKB.Review, namespace.SDO.Report, BIBO.Report} <= set(
        graph.objects(report, RDF.type)
    )
    assert (report, DCTERMS.issued, Literal("2020", datatype=namespace.XSD.gYear)) in graph
    assert (
        report,
        namespace.SDO.datePublished,
        Literal("2020-06-15", datatype=namespace.XSD.date),
    ) in graph
    assert (report, DCTERMS.publisher, iri("org/publisher")) in graph
    assert (report, BIBO.doi, Literal("10.1787/alpha-en")) in graph
    assert set(graph.objects(report, DCTERMS.spatial)) == {
        URIRef(COUNTRY_NS + "PAN"),
        URIRef(COUNTRY_NS + "CHL"),
    }
    assert (report, PKB.defines, iri("framework/alpha")) in graph


def test_blog_post_gets_its_own_classes(graph: Graph) -> None:
    """A blog post is a pkb:BlogPost and schema:BlogPosting, not a report."""
    post = iri("report/beta-post")
    types = set(graph.objects(post, RDF.type))
    assert {PKB.Publication, PKB.BlogPost, namespace.SDO.BlogPosting} <= types
    assert namespace.SDO.Report not in types
    assert (
        post,
        namespace.SDO.datePublished,
        Literal("2021-03", datatype=namespace.XSD.gYearMonth),
    ) in graph


def test_recommendation_vocabulary(graph: Graph) -> None:
    """A recommendation is part of and derived from its report, with text, concepts, countries."""
    rec = iri("report/alpha-report/recommendation/r01")
    report = iri("report/alpha-report")
    assert (rec, RDF.type, PKB.PolicyRecommendation) in graph
    assert (rec, DCTERMS.isPartOf, report) in graph
    assert (rec, PROV.wasDerivedFrom, report) in graph
    assert (rec, RDF.value, Literal("Set up a digital agency.")) in graph
    assert (rec, DCTERMS.subject, iri("framework/alpha/vision")) in graph
    assert (rec, DCTERMS.spatial, URIRef(COUNTRY_NS + "CHL")) in graph
    assert (rec, PKB.actor, iri("org/agency")) in graph
    assert (rec, PKB.mapping, PKB.Stated) in graph
    assert (rec, PKB.grade, PKB.Listed) in graph
    assert (iri("report/alpha-report/recommendation/r02"), PKB.grade, PKB.Candidate) in graph


def test_ordered_lists_are_rdf_lists(graph: Graph) -> None:
    """Two or more countries also come as an rdf:List in the source's order, repeats kept."""
    report = iri("report/alpha-report")
    head = graph.value(report, PKB.comparesList)
    assert head is not None
    assert [str(c) for c in graph.items(head)] == [COUNTRY_NS + c for c in ("NOR", "AUT", "NOR")]
    assert graph.value(iri("report/beta-post"), PKB.countryList) is None  # a single country


def test_countries_use_the_eu_authority(graph: Graph) -> None:
    """Countries are EU authority IRIs with a label and their alpha-2 and alpha-3 notations."""
    chile = URIRef(COUNTRY_NS + "CHL")
    assert (chile, RDF.type, DCTERMS.Location) in graph
    assert (chile, SKOS.prefLabel, Literal("Chile", lang="en")) in graph
    assert set(graph.objects(chile, SKOS.notation)) == {Literal("CL"), Literal("CHL")}


def test_organisation_vocabulary(graph: Graph) -> None:
    """An organisation is an org:FormalOrganization with labels, acronym, parent and country."""
    agency = iri("org/agency")
    assert (agency, RDF.type, ORG.FormalOrganization) in graph
    assert (agency, SKOS.prefLabel, Literal("Agência Digital", lang="pt-br")) in graph
    assert (agency, PKB.acronym, Literal("DA")) in graph
    assert (agency, SKOS.altLabel, Literal("DA")) in graph
    assert (agency, ORG.subOrganizationOf, iri("org/ministry")) in graph
    assert (
        agency,
        namespace.SDO.url,
        Literal("https://example.org/agency", datatype=namespace.XSD.anyURI),
    ) in graph


@pytest.mark.parametrize(
    ("source", "relation", "target"),
    [
        ("alpha/privacy", SKOS.closeMatch, "beta/control"),
        ("alpha/vision", SKOS.relatedMatch, "beta/needs"),
        ("alpha/trust", SKOS.narrowMatch, "beta/control"),
        ("alpha/governance", SKOS.broadMatch, "beta/users"),
        ("alpha/openness", SKOS.exactMatch, "beta/users"),
    ],
)
def test_crosswalk_matches_are_direct_and_reified(
    graph: Graph, source: str, relation: URIRef, target: str
) -> None:
    """Each crosswalk match is a SKOS mapping triple plus a pkb:ConceptMatch with justification."""
    s, o = iri(f"framework/{source}"), iri(f"framework/{target}")
    assert (s, relation, o) in graph
    matches = [
        m
        for m in graph.subjects(PKB.matchSource, s)
        if (m, PKB.matchTarget, o) in graph and (m, PKB.matchRelation, relation) in graph
    ]
    assert len(matches) == 1
    assert (matches[0], DCTERMS.isPartOf, iri("crosswalk/alpha-to-beta")) in graph
    assert graph.value(matches[0], PKB.justification) is not None


def test_citation_keeps_every_source_field(graph: Graph) -> None:
    """A source becomes a pkb:Citation node with report, chapter, section, pages, URL and note."""
    citation = graph.value(iri("framework/alpha"), PKB.citation)
    assert citation == iri("framework/alpha#source")
    assert (citation, DCTERMS.source, iri("report/alpha-report")) in graph
    assert (citation, BIBO.chapter, Literal("2 The framework")) in graph
    assert (citation, BIBO.section, Literal("2.1")) in graph
    assert (citation, BIBO.pages, Literal("12-13")) in graph


def test_no_blank_nodes(graph: Graph) -> None:
    """Every node has an IRI, so exports are stable and every node can be queried by name."""
    assert not [t for t in graph if any(isinstance(term, BNode) for term in t)]


def test_triples_are_deterministic(kb: KnowledgeBase) -> None:
    """The same knowledge base gives the same triples in the same order."""
    assert triples(kb) == triples(load(FIXTURE))


def test_base_iri_is_checked() -> None:
    """A base IRI without a trailing slash gets one; one that is not http(s) is a usage error."""
    assert check_base_iri("https://example.org/kb") == "https://example.org/kb/"
    with pytest.raises(UsageError):
        check_base_iri("not an iri")
    with pytest.raises(UsageError):
        check_base_iri("https://example.org/kb#")


def test_closed_namespaces_reject_typos() -> None:
    """A misspelt term of our own or of a standard vocabulary fails at once."""
    with pytest.raises(AttributeError):
        _ = PKB.Pilar
    with pytest.raises(AttributeError):
        _ = BIBO.dio
    with pytest.raises(AttributeError):
        _ = SKOS.prefLable


def ontology() -> Graph:
    """The shipped ontology."""
    return Graph().parse(data=shipped_file("ontology.ttl"), format="turtle")


def test_ontology_declares_every_pkb_term_with_label_and_comment() -> None:
    """Each term of the PKB namespace is declared in ontology.ttl with a label and a comment."""
    onto = ontology()
    for name in P:
        term = PKB[name]
        assert (term, RDF.type, None) in onto, name
        assert onto.value(term, RDFS.label) is not None, name
        assert onto.value(term, RDFS.comment) is not None, name
    for individual in ("Stated", "Inferred", "Listed", "Candidate"):
        assert (PKB[individual], RDF.type, OWL.NamedIndividual) in onto


def test_ontology_declares_nothing_the_namespace_lacks() -> None:
    """Every pkb: term the ontology declares exists in the closed PKB namespace (no stale terms)."""
    onto = ontology()
    declared = {str(s) for s in onto.subjects(RDF.type, None) if str(s).startswith(str(PKB._NS))}
    for term in declared:
        assert PKB[term.removeprefix(str(PKB._NS))] == URIRef(term)


def test_every_pkb_term_the_export_uses_is_declared(graph: Graph) -> None:
    """No pkb: class or property appears in an export without a declaration in the ontology."""
    onto = ontology()
    used = {
        t
        for triple in graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(str(PKB._NS))
    }
    assert used
    assert all((t, RDF.type, None) in onto for t in used)


def test_every_vocabulary_constant_is_a_declared_term() -> None:
    """The plain-string IRIs the writer uses are terms of their closed rdflib namespaces.

    policykb.linked.rdf spells them out so that exporting does not import rdflib; this keeps the
    typo
    check rdflib's closed namespaces gave (a misspelt term would silently mint a new IRI).
    """
    from policykb.linked import vocab as rdf

    closed = [DCTERMS, ORG, PROV, RDF, namespace.SDO, SKOS, namespace.XSD, rdf.PKB, BIBO]
    closed += [namespace.DCAT, namespace.VOID, namespace.FOAF, RDFS, OWL]  # the description's
    constants = {
        name: value
        for name, value in vars(rdf).items()
        if name.isupper() and isinstance(value, str) and value.startswith("http")
    }
    iris = {*constants.values(), *P.values(), *rdf.MATCH_PROPERTIES.values()}
    iris |= {iri for classes in rdf.REPORT_CLASSES.values() for iri in classes}
    checked = 0
    for iri in iris:
        for ns in closed:
            if iri.startswith(str(ns._NS)) and iri != str(ns._NS):
                assert URIRef(iri) in ns, iri
                checked += 1
    assert checked >= 60
    assert {str(ns._NS) for ns in closed} >= {rdf.PKB_NS, rdf.BIBO_NS, rdf.SKOS_NS, rdf.DCTERMS_NS}
    assert rdf.PREFIXES["schema"] == str(namespace.SDO._NS)
    assert rdf.PREFIXES["owl"] == str(OWL._NS) and rdf.PREFIXES["rdfs"] == str(RDFS._NS)
    assert rdf.PREFIXES["sh"] == str(namespace.SH._NS) and rdf.PREFIXES["org"] == str(ORG._NS)


def test_pkb_namespace_is_made_from_the_term_list() -> None:
    """PKB is a closed rdflib namespace holding exactly PKB_TERMS, and P maps each to its IRI."""
    from policykb.linked import vocab as rdf

    assert list(PKB.__annotations__) == list(rdf.PKB_TERMS) == list(P)
    assert all(PKB[name] == URIRef(iri) for name, iri in P.items())
    assert str(PKB) == rdf.PKB_NS and isinstance(PKB.Framework, URIRef)
    assert list(BIBO.__annotations__) == list(rdf.BIBO_TERMS)
    with pytest.raises(AttributeError):
        _ = rdf.NoSuchThing  # type: ignore[attr-defined]


def test_importing_the_rdf_module_does_not_import_rdflib() -> None:
    """rdflib (~0.1 s to import) is loaded only for to_rdf, PKB and BIBO, not to export."""
    script = (
        "import sys, policykb.linked.rdf as r, policykb.linked.export; "
        "assert 'rdflib' not in sys.modules; "
        "r.PKB.Framework; assert 'rdflib' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
