"""What the pages are made of: the knowledge base looked up once, in time linear in its size.

:class:`SiteData` holds every lookup a page needs (recommendations by concept, country,
organisation and region; reports by publisher and country; crosswalk links; coverage per
framework; adherence and scores per country) so that building a page never scans the corpus.
Each recommendation becomes one small :class:`RecItem`, shared by every page that lists it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from policykb import countries as iso
from policykb.errors import UsageError
from policykb.model import (
    Concept,
    Framework,
    KnowledgeBase,
    Match,
    Organisation,
    Recommendation,
    Region,
    Report,
    Source,
)
from policykb.query import Coverage, coverage
from policykb.query.index import index_of
from policykb.query.indicators import AdherenceRow, ScoreRow, adherence, scores
from policykb.query.queries import follow_crosswalks
from policykb.site import paths
from policykb.site.related import RELATIONS, Related

#: What each grade means, for the pages (most direct first).
GRADE_NOTES = {
    "listed": "an item of the source's own list of recommendations",
    "summary": "advice the source states in its summary, foreword or key findings",
    "secondary": "reported by another publisher than the one that made it",
    "candidate": "drawn from the source's assessment text, not stated as a recommendation",
}


@dataclass(frozen=True, slots=True)
class RecItem:
    """A recommendation as lists show it."""

    position: int
    qid: str
    path: str
    report: str
    report_title: str
    year: int | None
    text: str
    grade: str
    countries: tuple[str, ...]
    concepts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A link to a page: where, and what it says."""

    path: str
    text: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class MatchLink:
    """A crosswalk match seen from one of its concepts."""

    relation: str
    other: Link
    crosswalk: Link
    justification: str


class SiteData:
    """The knowledge base and every lookup of it that the pages use."""

    def __init__(self, kb: KnowledgeBase, base: str) -> None:
        self.kb = kb
        self.base = base
        self.index = index_of(kb)
        self.frameworks = {f.id: f for f in kb.frameworks}
        self.reports = {r.id: r for r in kb.reports}
        self.organisations = {o.id: o for o in kb.organisations}
        self.regions = {r.id: r for r in kb.regions}
        self.concepts: dict[str, Concept] = {c.qid: c for c in kb.concepts()}
        self.recs: list[tuple[Report, Recommendation]] = list(kb.recommendations())
        self.items = [self._item(i, r, rec) for i, (r, rec) in enumerate(self.recs)]
        self.report_start: dict[str, int] = {}
        start = 0
        for report in kb.reports:
            self.report_start[report.id] = start
            start += len(report.recommendations)
        self.by_actor: dict[str, list[int]] = {}
        self.by_region: dict[str, list[int]] = {}
        for i, (_, rec) in enumerate(self.recs):
            for actor in rec.actors:
                self.by_actor.setdefault(actor, []).append(i)
            for region in rec.regions:
                self.by_region.setdefault(region, []).append(i)
        self.published: dict[str, list[Report]] = {}
        self.about: dict[str, list[Report]] = {}
        self.using: dict[str, list[tuple[Report, str]]] = {}  # framework -> (report, how)
        for report in kb.reports:
            self.published.setdefault(report.publisher, []).append(report)
            for code in report.countries:
                self.about.setdefault(code, []).append(report)
            for fid in report.defines:
                self.using.setdefault(fid, []).append((report, "defines"))
            for fid in report.applies:
                self.using.setdefault(fid, []).append((report, "applies"))
        self.matches: dict[str, list[tuple[Match, str]]] = {}  # qid -> (match, crosswalk id)
        for crosswalk in kb.crosswalks:
            for m in crosswalk.matches:
                self.matches.setdefault(m.source_concept, []).append((m, crosswalk.id))
                self.matches.setdefault(m.target_concept, []).append((m, crosswalk.id))
        self.children: dict[str, list[Organisation]] = {}
        for org in kb.organisations:
            if org.parent:
                self.children.setdefault(org.parent, []).append(org)

    def _item(self, position: int, report: Report, rec: Recommendation) -> RecItem:
        return RecItem(
            position,
            f"{report.id}/{rec.id}",
            paths.recommendation(report.id, rec.id),
            report.id,
            report.title,
            report.year,
            rec.text,
            rec.grade,
            rec.countries,
            rec.concepts,
        )

    # ---- recommendations ---------------------------------------------------------------

    @cached_property
    def related(self) -> Related:
        """Related recommendations of each recommendation."""
        return Related(self.index, [i.qid for i in self.items], [i.concepts for i in self.items])

    def tied_to(self, qid: str) -> list[RecItem]:
        """The recommendations tied to concept ``qid`` itself."""
        return [self.items[i] for i in self.index.by_concept.get(qid, ())]

    def reached(self, qid: str) -> tuple[list[RecItem], frozenset[str]]:
        """The recommendations tied to concepts a crosswalk links to ``qid`` (exact matches
        transitively, close matches one step) and not to ``qid`` itself; those concepts."""
        matches = self.index.matches
        others = follow_crosswalks([qid], RELATIONS, lambda q: matches.get(q, ())) - {qid}
        own = set(self.index.by_concept.get(qid, ()))
        found = sorted({i for o in others for i in self.index.by_concept.get(o, ())} - own)
        return [self.items[i] for i in found], others

    def addressed_to(self, code: str) -> list[RecItem]:
        """The recommendations addressed to country ``code``."""
        return [self.items[i] for i in self.index.by_country.get(code, ())]

    # ---- countries, coverage and indicators ---------------------------------------------

    @cached_property
    def countries(self) -> list[str]:
        """Every country a report is about, compares or addresses, a region holds, an
        instrument is adhered to by, a score is published for or an organisation is in
        (alpha-3, sorted): each country the RDF export describes."""
        codes = set(self.index.by_country)
        for report in self.kb.reports:
            codes.update(report.countries, report.compares)
            for statement in report.adherents:
                codes.update(statement.countries)
        for region in self.kb.regions:
            codes.update(region.members)
        for score_set in self.kb.scores:
            codes.update(o.country for o in score_set.observations)
        codes.update(o.country for o in self.kb.organisations if o.country)
        return sorted(codes)

    def country_name(self, code: str) -> str:
        """The country's English name."""
        return iso.name(code)

    def country_links(self, codes: Iterable[str]) -> list[Link]:
        """Links to the pages of ``codes``."""
        return [Link(paths.country(c), iso.name(c), c) for c in codes]

    @cached_property
    def coverages(self) -> dict[str, Coverage]:
        """Each framework with pillars and recommendations: its country × pillar coverage."""
        found = {}
        for framework in self.kb.frameworks:
            if not framework.pillars:
                continue
            try:
                result = coverage(self.kb, framework.id)
            except UsageError:
                continue
            if result.rows:
                found[framework.id] = result
        return found

    def country_coverage(self, code: str) -> list[tuple[Framework, Coverage]]:
        """One row of each framework's coverage: the country's counts, where it has any."""
        found = []
        for fid, cov in self.coverages.items():
            for row in cov.rows:
                if row.country == code and row.total:
                    found.append(
                        (
                            self.frameworks[fid],
                            Coverage(
                                cov.framework,
                                cov.level,
                                cov.columns,
                                (row,),
                                cov.labels,
                                cov.notations,
                                row.counts,
                                row.total,
                            ),
                        )
                    )
        return found

    @cached_property
    def adherence(self) -> dict[str, list[AdherenceRow]]:
        """Adherence statements by country."""
        found: dict[str, list[AdherenceRow]] = {}
        for row in adherence(self.kb):
            found.setdefault(row.country, []).append(row)
        return found

    @cached_property
    def scores(self) -> dict[str, list[ScoreRow]]:
        """Score rows by score set id."""
        found: dict[str, list[ScoreRow]] = {}
        for row in scores(self.kb):
            found.setdefault(row.scores, []).append(row)
        return found

    @cached_property
    def country_scores(self) -> dict[str, dict[str, list[ScoreRow]]]:
        """Score rows by country, then score set id."""
        found: dict[str, dict[str, list[ScoreRow]]] = {}
        for set_id, rows in self.scores.items():
            for row in rows:
                found.setdefault(row.country, {}).setdefault(set_id, []).append(row)
        return found

    @cached_property
    def member_of(self) -> dict[str, list[Region]]:
        """Regions by member country."""
        found: dict[str, list[Region]] = {}
        for region in self.kb.regions:
            for code in region.members:
                found.setdefault(code, []).append(region)
        return found

    # ---- links --------------------------------------------------------------------------

    def concept_link(self, qid: str) -> Link:
        """A link to a concept's page, its label and framework as the note."""
        concept = self.concepts.get(qid)
        label = str(concept.label) if concept else qid
        notation = concept.node.notation if concept else None
        shown = f"{notation} {label}" if notation else label
        return Link(paths.concept(qid), shown, qid.partition("/")[0])

    def framework_link(self, fid: str) -> Link:
        """A link to a framework's page."""
        framework = self.frameworks.get(fid)
        return Link(paths.framework(fid), framework.title if framework else fid, fid)

    def report_link(self, rid: str) -> Link:
        """A link to a report's page."""
        report = self.reports.get(rid)
        year = f" ({report.year})" if report and report.year else ""
        return Link(paths.report(rid), (report.title if report else rid) + year, rid)

    def org_link(self, oid: str) -> Link:
        """A link to an organisation's page."""
        org = self.organisations.get(oid)
        label = str(org.label) if org else oid
        acronym = org.acronym if org and org.acronym and org.acronym != label else ""
        return Link(paths.organisation(oid), label, acronym)

    def region_link(self, region_id: str) -> Link:
        """A link to a region's page."""
        region = self.regions.get(region_id)
        return Link(paths.region(region_id), str(region.label) if region else region_id)

    def match_links(self, qid: str) -> list[MatchLink]:
        """The crosswalk matches of concept ``qid``, as seen from it."""
        found = []
        for m, crosswalk_id in self.matches.get(qid, ()):
            other = m.target_concept if m.source_concept == qid else m.source_concept
            relation = m.relation if m.source_concept == qid else _INVERSE[m.relation]
            found.append(
                MatchLink(
                    relation,
                    self.concept_link(other),
                    Link(paths.crosswalk(crosswalk_id), crosswalk_id),
                    m.justification,
                )
            )
        return found

    def source(self, source: Source | None) -> dict[str, object] | None:
        """A source as the templates show it: its report linked, the place, the URL."""
        if source is None:
            return None
        place = [p for p in (source.chapter, source.section) if p]
        if source.page:
            place.append(f"p. {source.page}")
        report = self.report_link(source.report) if source.report in self.reports else None
        return {
            "report": report,
            "report_id": source.report if report is None else None,
            "place": ", ".join(place),
            "url": source.url,
            "note": source.note,
        }


#: A match relation read from its target's side.
_INVERSE = {
    "exact": "exact",
    "close": "close",
    "related": "related",
    "broad": "narrow",
    "narrow": "broad",
}


def group_by(
    items: Sequence[RecItem], key: Callable[[RecItem], Iterable[str]]
) -> dict[str, list[RecItem]]:
    """``items`` grouped under each of their keys, groups in first-seen order."""
    found: dict[str, list[RecItem]] = {}
    for item in items:
        for k in key(item):
            found.setdefault(k, []).append(item)
    return found
