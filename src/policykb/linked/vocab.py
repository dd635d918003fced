"""The RDF vocabulary of policykb: namespaces, prefixes, terms, and the IRIs data items get.

Plain strings, so that exporting does not import rdflib; :data:`PKB` and :data:`BIBO` are closed
rdflib namespaces made on first use (tests/test_rdf.py checks every term here against rdflib's
closed namespaces, so a typo fails loudly). A literal is a :class:`Lit`, an IRI a ``str``.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from policykb.errors import UsageError
from policykb.linked import DEFAULT_BASE_IRI as DEFAULT_BASE_IRI  # re-exported: data IRIs

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
QB_NS = "http://purl.org/linked-data/cube#"
SDMX_DIMENSION_NS = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_MEASURE_NS = "http://purl.org/linked-data/sdmx/2009/measure#"
DCAT_NS = "http://www.w3.org/ns/dcat#"
VOID_NS = "http://rdfs.org/ns/void#"
FOAF_NS = "http://xmlns.com/foaf/0.1/"

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
    "LegalInstrument",
    "Declaration",
    "IndexPublication",
    "PolicyRecommendation",
    "Citation",
    "Contributor",
    "AlternativeLabel",
    "Crosswalk",
    "ConceptMatch",
    "MappingStatus",
    "RecommendationGrade",
    "Adherence",
    "Region",
    "ScoreStructure",
    # individuals
    "Stated",
    "Inferred",
    "Listed",
    "Summary",
    "Secondary",
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
    "grade",
    "reportedBy",
    "area",
    "gap",
    "acronym",
    "role",
    "affiliation",
    "matchSource",
    "matchTarget",
    "matchRelation",
    "justification",
    "inferred",
    "usesConceptsOf",
    "region",
    "member",
    "adherence",
    "adherent",
    "year",
    "index",
    "edition",
    "scale",
    "scoredConcept",
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
    "regionList",
    "memberList",
    "adherentList",
)
#: The terms of the Bibliographic Ontology that policykb uses (rdflib does not ship BIBO).
BIBO_TERMS: tuple[str, ...] = (
    "Document",
    "Report",
    "Standard",
    "LegalDocument",
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
    "qb": QB_NS,
    "sdmx-dimension": SDMX_DIMENSION_NS,
    "sdmx-measure": SDMX_MEASURE_NS,
    "dcat": DCAT_NS,
    "void": VOID_NS,
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
BOOLEAN, DECIMAL = XSD_NS + "boolean", XSD_NS + "decimal"
REPLACES, IS_REPLACED_BY = DCTERMS_NS + "replaces", DCTERMS_NS + "isReplacedBy"
VERSION_INFO = OWL_NS + "versionInfo"
QB_DATASET, QB_OBSERVATION = QB_NS + "DataSet", QB_NS + "Observation"
QB_STRUCTURE, QB_DATASET_OF = QB_NS + "structure", QB_NS + "dataSet"
REF_AREA, OBS_VALUE = SDMX_DIMENSION_NS + "refArea", SDMX_MEASURE_NS + "obsValue"
# The dataset description (DCAT and VoID) every export ends with.
DCAT_DATASET, DCAT_DISTRIBUTION = DCAT_NS + "Dataset", DCAT_NS + "Distribution"
DISTRIBUTION, MEDIA_TYPE, LANDING_PAGE = (
    DCAT_NS + "distribution",
    DCAT_NS + "mediaType",
    DCAT_NS + "landingPage",
)
VOID_DATASET, TRIPLES, VOCABULARY = VOID_NS + "Dataset", VOID_NS + "triples", VOID_NS + "vocabulary"
URI_SPACE, SPARQL_ENDPOINT = VOID_NS + "uriSpace", VOID_NS + "sparqlEndpoint"
LICENSE, RIGHTS, FORMAT = DCTERMS_NS + "license", DCTERMS_NS + "rights", DCTERMS_NS + "format"
RIGHTS_STATEMENT, LABEL = DCTERMS_NS + "RightsStatement", RDFS_NS + "label"
AGENT, FOAF_NAME, HOMEPAGE = FOAF_NS + "Agent", FOAF_NS + "name", FOAF_NS + "homepage"
MEDIA_TYPES_NS = "https://www.iana.org/assignments/media-types/"
FILE_TYPE_NS = "http://publications.europa.eu/resource/authority/file-type/"

#: A report's ``type`` -> its classes: the policykb class first, then schema.org and BIBO.
REPORT_CLASSES: dict[str, tuple[str, ...]] = {
    "report": (P["Report"], SDO_NS + "Report", BIBO_NS + "Report"),
    "review": (P["Review"], SDO_NS + "Report", BIBO_NS + "Report"),
    "working-paper": (P["WorkingPaper"], SDO_NS + "Report", BIBO_NS + "Report"),
    "policy-paper": (P["PolicyPaper"], SDO_NS + "Report", BIBO_NS + "Report"),
    "blog-post": (P["BlogPost"], SDO_NS + "BlogPosting", BIBO_NS + "Document"),
    "standard": (P["Standard"], SDO_NS + "CreativeWork", BIBO_NS + "Standard"),
    "legal-instrument": (P["LegalInstrument"], SDO_NS + "Legislation", BIBO_NS + "LegalDocument"),
    "declaration": (P["Declaration"], SDO_NS + "CreativeWork", BIBO_NS + "Document"),
    "index": (P["IndexPublication"], SDO_NS + "Report", BIBO_NS + "Report"),
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
GRADE_VALUES: dict[str, str] = {
    "listed": P["Listed"],
    "summary": P["Summary"],
    "secondary": P["Secondary"],
    "candidate": P["Candidate"],
}

#: An export format -> its distribution in the dataset description: a title, its IANA media type
#: and its EU file type (GraphML is XML: it has no registered media type of its own).
DISTRIBUTIONS: dict[str, tuple[str, str, str]] = {
    "turtle": ("Turtle", "text/turtle", "RDF_TURTLE"),
    "jsonld": ("JSON-LD", "application/ld+json", "JSON_LD"),
    "ntriples": ("N-Triples", "application/n-triples", "RDF_N_TRIPLES"),
    "rdfxml": ("RDF/XML", "application/rdf+xml", "RDF_XML"),
    "graphml": ("GraphML, the knowledge graph for network tools", "application/xml", "XML"),
    "csv": ("CSV, the recommendations one per row", "text/csv", "CSV"),
}
#: The vocabularies the export uses (``void:vocabulary``), named as ontologies name themselves
#: (a hash namespace without its ``#``: the pkb: ontology is https://w3id.org/policykb/ontology):
#: every prefix's but RDF's own, SHACL's (only the shapes use it) and the country authority's
#: (data, not a vocabulary), and FOAF (the publisher's class and name; not a prefix, so that
#: ``policykb sparql`` binds only what the data is written in).
VOCABULARIES: tuple[str, ...] = (
    *(
        ns.removesuffix("#")
        for prefix, ns in PREFIXES.items()
        if prefix not in ("rdf", "rdfs", "xsd", "sh", "country")
    ),
    FOAF_NS,
)

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
