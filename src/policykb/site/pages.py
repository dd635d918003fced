"""Each resource's page: its path, template, title, the context its template renders and the
schema.org description it embeds.

One function per page type builds a :class:`Page` from :class:`~policykb.site.context.SiteData`
(the home, search and list pages, and the order of them all, are in :mod:`.sitemap`). Diagrams
come from :mod:`policykb.render.svg`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from policykb.model import GRADES, Concept, Crosswalk, Framework, Organisation, Region, Report
from policykb.render.svg import coverage_svg, framework_svg, scores_svg
from policykb.site import paths, schemaorg
from policykb.site.context import GRADE_NOTES, Link, RecItem, SiteData, group_by

#: How many recommendations a framework page lists under each concept (the concept's own page
#: lists them all).
FRAMEWORK_LIST_LIMIT = 10


@dataclass(frozen=True, slots=True)
class Page:
    """One page: where it goes, what renders it, and what it describes."""

    path: str
    template: str
    title: str
    context: dict[str, Any]
    schema: dict[str, Any] | None = None  # schema.org JSON-LD; None for lists and search
    search: str | None = None  # its kind in the search index; None: not indexed
    rdf: bool = True  # whether index.ttl and index.jsonld are written beside it
    crumbs: tuple[Link, ...] = field(default=())


def framework(data: SiteData, f: Framework) -> Page:
    """A framework: diagram, pillars and elements with their recommendations, crosswalks."""
    path = paths.framework(f.id)
    root = paths.root_of(path)

    def href(qid: str) -> str | None:
        return root + paths.concept(qid) if qid in data.concepts else None

    concepts = [_concept_summary(data, c) for c in f.concepts()]
    crosswalks: dict[str, int] = {}
    for c in f.concepts():
        for _, crosswalk_id in data.matches.get(c.qid, ()):
            crosswalks[crosswalk_id] = crosswalks.get(crosswalk_id, 0) + 1
    cov = data.coverages.get(f.id)
    return Page(
        path,
        "framework.html",
        f.title,
        {
            "framework": f,
            "diagram": framework_svg(f, data.kb, href=href),
            "concepts": concepts,
            "limit": FRAMEWORK_LIST_LIMIT,
            "source": data.source(f.source),
            "defined_in": data.report_link(f.defined_in) if f.defined_in else None,
            "replaces": data.framework_link(f.replaces) if f.replaces else None,
            "replaced_by": [
                data.framework_link(o.id) for o in data.kb.frameworks if o.replaces == f.id
            ],
            "uses": data.framework_link(f.uses) if f.uses else None,
            "used_by": [data.framework_link(o.id) for o in data.kb.frameworks if o.uses == f.id],
            "reports": [(data.report_link(r.id), how) for r, how in data.using.get(f.id, ())],
            "crosswalks": [
                (Link(paths.crosswalk(cid), _crosswalk_title(data, cid)), n)
                for cid, n in sorted(crosswalks.items())
            ],
            "coverage": cov,
            "coverage_svg": (
                coverage_svg(cov, title=f"Recommendations per country and {f.pillar_term}")
                if cov
                else None
            ),
            "scores": [
                (Link(paths.scores(s.id), s.title), len(s.observations))
                for s in data.kb.scores
                if s.index == f.id
            ],
        },
        schemaorg.framework(data, f),
        search="framework",
        crumbs=(Link(paths.LISTS["frameworks"], "Frameworks"),),
    )


def _crosswalk_title(data: SiteData, crosswalk_id: str) -> str:
    found = next((c for c in data.kb.crosswalks if c.id == crosswalk_id), None)
    return found.title if found else crosswalk_id


def _concept_summary(data: SiteData, c: Concept) -> dict[str, Any]:
    direct = data.tied_to(c.qid)
    reached, _ = data.reached(c.qid)
    return {
        "concept": c,
        "node": c.node,
        "path": paths.concept(c.qid),
        "direct": direct,
        "reached": reached,
        "matches": data.match_links(c.qid),
        "source": data.source(c.node.source),
    }


def concept(data: SiteData, c: Concept) -> Page:
    """A pillar or element: definition, notation, source, matches, every recommendation."""
    f = data.frameworks[c.framework]
    summary = _concept_summary(data, c)
    pillar = data.concept_link(f"{c.framework}/{c.pillar}") if c.pillar else None
    elements = [data.concept_link(f"{c.framework}/{e.id}") for e in getattr(c.node, "elements", ())]
    term = f.pillar_term if c.kind == "pillar" else f.element_term
    crumbs = [Link(paths.LISTS["frameworks"], "Frameworks"), Link(paths.framework(f.id), f.title)]
    if pillar:
        crumbs.append(pillar)
    return Page(
        paths.concept(c.qid),
        "concept.html",
        str(c.label),
        {**summary, "framework": f, "term": term, "pillar": pillar, "elements": elements},
        schemaorg.concept(data, c),
        search="concept",
        crumbs=tuple(crumbs),
    )


def report(data: SiteData, r: Report, cite: Callable[[Report], dict[str, str]]) -> Page:
    """A report: facts, summary, gaps and caveats, contributors, its recommendations."""
    facts: list[tuple[str, list[Link] | str]] = [("Type", r.type.replace("-", " "))]
    facts.append(("Published", r.date or (str(r.year) if r.year else "unknown")))
    facts.append(("Publisher", [data.org_link(r.publisher)]))
    for label, value in (("Series", r.series), ("Number", r.number), ("ISBN", r.isbn)):
        if value:
            facts.append((label, value))
    if r.language:
        facts.append(("Language", r.language))
    if r.countries:
        facts.append(("About", data.country_links(r.countries)))
    if r.regions:
        facts.append(("Regions", [data.region_link(x) for x in r.regions]))
    if r.compares:
        facts.append(("Compares", data.country_links(r.compares)))
    if r.defines:
        facts.append(("Defines", [data.framework_link(x) for x in r.defines]))
    if r.applies:
        facts.append(("Applies", [data.framework_link(x) for x in r.applies]))
    items = [data.items[i] for i in _positions(data, r)]
    return Page(
        paths.report(r.id),
        "report.html",
        r.title,
        {
            "report": r,
            "facts": facts,
            "source": data.source(r.source),
            "recommendations": items,
            "grades": {g: sum(1 for i in items if i.grade == g) for g in GRADES},
            "adherents": [
                (data.country_links(a.countries), a.year, a.note, data.source(a.source))
                for a in r.adherents
            ],
            "scores": [
                Link(paths.scores(s.id), s.title) for s in data.kb.scores if s.report == r.id
            ],
            "citations": cite(r),
        },
        schemaorg.report(data, r),
        search="report",
        crumbs=(Link(paths.LISTS["reports"], "Reports"),),
    )


def _positions(data: SiteData, r: Report) -> range:
    start = data.report_start[r.id]
    return range(start, start + len(r.recommendations))


def recommendation(data: SiteData, item: RecItem) -> Page:
    """A recommendation: text, grade, countries, concepts, source, related ones."""
    r, rec = data.recs[item.position]
    related = [
        (
            data.items[other],
            [data.concept_link(q) for q in shared],
            [data.concept_link(q) for q in mapped],
        )
        for other, shared, mapped, _ in data.related.of(item.position)
    ]
    return Page(
        item.path,
        "recommendation.html",
        f"{rec.id}: {_short(rec.text)}",
        {
            "item": item,
            "rec": rec,
            "report": r,
            "report_link": data.report_link(r.id),
            "grade_note": GRADE_NOTES.get(rec.grade, ""),
            "countries": data.country_links(rec.countries),
            "regions": [data.region_link(x) for x in rec.regions],
            "concepts": [data.concept_link(q) for q in rec.concepts],
            "actors": [data.org_link(a) for a in rec.actors],
            "reported_by": (
                data.org_link(rec.reported_by)
                if rec.reported_by in data.organisations
                else rec.reported_by
            ),
            "source": data.source(rec.source),
            "related": related,
        },
        schemaorg.recommendation(data, r, rec),
        search="recommendation",
        crumbs=(Link(paths.LISTS["reports"], "Reports"), data.report_link(r.id)),
    )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def country(data: SiteData, code: str) -> Page:
    """A country: its recommendations by report and pillar, coverage, adherence and scores."""
    items = data.addressed_to(code)
    by_report = group_by(items, lambda i: (i.report,))
    pillar_of = data.index.pillar_of
    groups = []
    for report_id, recs in by_report.items():
        pillars = group_by(
            recs, lambda i: dict.fromkeys(pillar_of.get(q, q) for q in i.concepts) or ("",)
        )
        groups.append(
            (
                data.report_link(report_id),
                len(recs),
                [(data.concept_link(p) if p else None, rs) for p, rs in pillars.items()],
            )
        )
    regions = data.member_of.get(code, [])
    regional = sorted(
        {i for region in regions for i in data.by_region.get(region.id, ())}
        - {i.position for i in items}
    )
    scores = [
        (
            Link(paths.scores(set_id), rows[0].index_title + " " + rows[0].edition),
            rows,
            scores_svg(rows),
        )
        for set_id, rows in sorted(data.country_scores.get(code, {}).items())
    ]
    return Page(
        paths.country(code),
        "country.html",
        data.country_name(code),
        {
            "code": code,
            "alpha2": _alpha2(code),
            "name": data.country_name(code),
            "groups": groups,
            "count": len(items),
            "regions": [data.region_link(r.id) for r in regions],
            "regional": [data.items[i] for i in regional if not data.items[i].countries],
            "about": [data.report_link(r.id) for r in data.about.get(code, ())],
            "coverage": [
                (
                    data.framework_link(f.id),
                    cov,
                    coverage_svg(cov, title=f"{f.title}: recommendations per {f.pillar_term}"),
                )
                for f, cov in data.country_coverage(code)
            ],
            "adherence": [
                (data.report_link(a.instrument), a.year, a.note, data.source(a.source))
                for a in data.adherence.get(code, ())
            ],
            "scores": scores,
        },
        schemaorg.country(data, code),
        crumbs=(Link(paths.LISTS["countries"], "Countries"),),
    )


def _alpha2(code: str) -> str | None:
    from policykb import countries as iso

    return iso.alpha_2(code)


def organisation(data: SiteData, org: Organisation) -> Page:
    """An organisation: what it is, what it published, where it is named as an actor."""
    return Page(
        paths.organisation(org.id),
        "organisation.html",
        str(org.label),
        {
            "org": org,
            "parent": data.org_link(org.parent) if org.parent else None,
            "children": [data.org_link(o.id) for o in data.children.get(org.id, ())],
            "country": data.country_links([org.country]) if org.country else [],
            "source": data.source(org.source),
            "published": [data.report_link(r.id) for r in data.published.get(org.id, ())],
            "actor": [data.items[i] for i in data.by_actor.get(org.id, ())],
        },
        schemaorg.organisation(data, org),
        search="organisation",
        crumbs=(Link(paths.LISTS["organisations"], "Organisations"),),
    )


def region(data: SiteData, reg: Region) -> Page:
    """A region: its members and the recommendations addressed to it."""
    return Page(
        paths.region(reg.id),
        "region.html",
        str(reg.label),
        {
            "region": reg,
            "members": data.country_links(reg.members),
            "source": data.source(reg.source),
            "recommendations": [data.items[i] for i in data.by_region.get(reg.id, ())],
            "reports": [data.report_link(r.id) for r in data.kb.reports if reg.id in r.regions],
        },
        schemaorg.region(data, reg),
        crumbs=(Link(paths.LISTS["regions"], "Regions"),),
    )


def crosswalk(data: SiteData, cw: Crosswalk) -> Page:
    """A crosswalk: every match, each concept linked."""
    return Page(
        paths.crosswalk(cw.id),
        "crosswalk.html",
        cw.title,
        {
            "crosswalk": cw,
            "source": data.source(cw.source),
            "matches": [
                (
                    data.concept_link(m.source_concept),
                    m.relation,
                    data.concept_link(m.target_concept),
                    m.justification,
                )
                for m in cw.matches
            ],
        },
        schemaorg.crosswalk(data, cw),
        crumbs=(Link(paths.LISTS["crosswalks"], "Crosswalks"),),
    )


def score_set(data: SiteData, set_id: str) -> Page:
    """An index edition's scores: chart and table."""
    s = next(x for x in data.kb.scores if x.id == set_id)
    rows = data.scores.get(set_id, [])
    return Page(
        paths.scores(set_id),
        "scores.html",
        s.title,
        {
            "scores": s,
            "index": data.framework_link(s.index),
            "report": data.report_link(s.report) if s.report else None,
            "source": data.source(s.source),
            "rows": [
                (
                    row,
                    data.country_links([row.country])[0],
                    data.concept_link(row.dimension) if row.dimension else None,
                )
                for row in rows
            ],
            "chart": scores_svg(rows) if rows else None,
        },
        schemaorg.score_set(data, s),
        crumbs=(Link(paths.LISTS["scores"], "Index scores"),),
    )
