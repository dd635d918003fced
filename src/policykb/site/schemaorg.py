"""The schema.org description each page embeds as JSON-LD (``<script type="application/ld+json">``).

Search engines and link previews read schema.org, not the pages' own RDF (which is SKOS, DCTERMS,
BIBO and the policykb ontology, in ``index.ttl`` and ``index.jsonld`` beside each page). Every
description names the resource by the same IRI the RDF export mints.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from policykb import countries as iso
from policykb.linked.vocab import COUNTRY_NS
from policykb.model import (
    Concept,
    Crosswalk,
    Framework,
    Organisation,
    Recommendation,
    Region,
    ScoreSet,
)
from policykb.model import Report as ReportModel

if TYPE_CHECKING:
    from policykb.site.context import SiteData

CONTEXT = "https://schema.org"
_REPORT_TYPES = {
    "blog-post": "BlogPosting",
    "legal-instrument": "Legislation",
    "standard": "CreativeWork",
    "declaration": "CreativeWork",
}


def script(description: dict[str, Any]) -> str:
    """The JSON text to put inside the page's script element (``</`` escaped)."""
    text = json.dumps(description, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("</", "<\\/")


def _node(kind: str, iri: str, name: str, **fields: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"@context": CONTEXT, "@type": kind, "@id": iri, "name": name}
    node.update({k: v for k, v in fields.items() if v not in (None, "", [], ())})
    return node


def _country(code: str) -> dict[str, str]:
    return {"@type": "Country", "@id": COUNTRY_NS + code, "name": iso.name(code)}


def _org(data: SiteData, oid: str) -> dict[str, str]:
    org = data.organisations.get(oid)
    return {
        "@type": "Organization",
        "@id": f"{data.base}org/{oid}",
        "name": str(org.label) if org else oid,
    }


def dataset(data: SiteData) -> dict[str, Any]:
    """The knowledge base as a schema:Dataset."""
    d = data.kb.dataset
    return _node(
        "Dataset",
        f"{data.base}dataset",
        d.title,
        description=d.description,
        version=d.version,
        datePublished=d.issued,
        license=d.licence,
        publisher={"@type": "Organization", "name": d.publisher} if d.publisher else None,
    )


def framework(data: SiteData, f: Framework) -> dict[str, Any]:
    """A framework as a schema:DefinedTermSet."""
    return _node(
        "DefinedTermSet",
        f"{data.base}framework/{f.id}",
        f.title,
        identifier=f.id,
        description=f.description,
        alternateName=list(f.alt_titles),
        version=f.version,
    )


def concept(data: SiteData, c: Concept) -> dict[str, Any]:
    """A pillar or element as a schema:DefinedTerm."""
    definition = c.node.definition
    return _node(
        "DefinedTerm",
        f"{data.base}framework/{c.qid}",
        str(c.label),
        termCode=c.node.notation,
        description=str(definition) if definition else None,
        inDefinedTermSet=f"{data.base}framework/{c.framework}",
    )


def report(data: SiteData, r: ReportModel) -> dict[str, Any]:
    """A report as a schema:Report (BlogPosting, Legislation, CreativeWork)."""
    return _node(
        _REPORT_TYPES.get(r.type, "Report"),
        f"{data.base}report/{r.id}",
        r.title,
        datePublished=r.date or (str(r.year) if r.year else None),
        publisher=_org(data, r.publisher),
        author=[{"@type": "Person", "name": c.name} for c in r.contributors if c.role == "author"],
        contributor=[
            {"@type": "Person", "name": c.name} for c in r.contributors if c.role != "author"
        ],
        abstract=r.summary,
        url=r.url,
        identifier=f"https://doi.org/{r.doi}" if r.doi else None,
        isbn=r.isbn,
        inLanguage=r.language,
        spatialCoverage=[_country(c) for c in r.countries],
        alternateName=list(r.alt_titles),
    )


def recommendation(data: SiteData, r: ReportModel, rec: Recommendation) -> dict[str, Any]:
    """A recommendation as a schema:CreativeWork, part of its report."""
    return _node(
        "CreativeWork",
        f"{data.base}report/{r.id}/recommendation/{rec.id}",
        rec.id,
        text=rec.text,
        isPartOf={"@type": "Report", "@id": f"{data.base}report/{r.id}", "name": r.title},
        spatialCoverage=[_country(c) for c in rec.countries],
        about=[
            {
                "@type": "DefinedTerm",
                "@id": f"{data.base}framework/{q}",
                "name": str(data.concepts[q].label),
            }
            for q in rec.concepts
            if q in data.concepts
        ],
        mentions=[_org(data, a) for a in rec.actors],
    )


def country(data: SiteData, code: str) -> dict[str, Any]:
    """A country as a schema:Country under its EU authority IRI."""
    return _node("Country", COUNTRY_NS + code, iso.name(code), identifier=code)


def organisation(data: SiteData, org: Organisation) -> dict[str, Any]:
    """An organisation as a schema:Organization."""
    return _node(
        "Organization",
        f"{data.base}org/{org.id}",
        str(org.label),
        alternateName=org.acronym,
        url=org.url,
        parentOrganization=_org(data, org.parent) if org.parent else None,
        location=_country(org.country) if org.country else None,
    )


def region(data: SiteData, reg: Region) -> dict[str, Any]:
    """A region as a schema:Place containing its member countries."""
    return _node(
        "Place",
        f"{data.base}region/{reg.id}",
        str(reg.label),
        containsPlace=[_country(c) for c in reg.members],
    )


def crosswalk(data: SiteData, cw: Crosswalk) -> dict[str, Any]:
    """A crosswalk as a schema:CreativeWork."""
    return _node(
        "CreativeWork",
        f"{data.base}crosswalk/{cw.id}",
        cw.title,
        description=cw.description,
    )


def score_set(data: SiteData, s: ScoreSet) -> dict[str, Any]:
    """An index edition's scores as a schema:Dataset."""
    return _node(
        "Dataset",
        f"{data.base}scores/{s.id}",
        s.title,
        version=s.edition,
        isBasedOn=f"{data.base}report/{s.report}" if s.report else None,
        spatialCoverage=[_country(c) for c in sorted({o.country for o in s.observations})],
    )
