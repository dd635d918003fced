"""What the knowledge base says about one country beyond recommendations: the legal
instruments it adheres to, the index scores published for it, and a country profile that puts
them beside its recommendations.

Adherence statements are shown as each source gives them: two sources that disagree give two
rows, never one reconciled answer. Scores are observations (country × index edition ×
dimension → value); the composite score of an edition has no dimension.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from policykb import countries as iso
from policykb.model import GRADES, KnowledgeBase, Source
from policykb.query.index import fold
from policykb.query.resolve import resolve_concept, resolve_country, resolve_framework


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One published score: a country's value on one index edition, overall or on a dimension."""

    scores: str  # the score set's id
    index: str  # the index's framework id
    index_title: str
    edition: str
    country: str  # alpha-3
    country_name: str
    dimension: str | None  # a qualified concept id; None for the composite score
    dimension_label: str | None
    value: float
    scale: str | None
    source: Source
    note: str | None


@dataclass(frozen=True, slots=True)
class AdherenceRow:
    """One source's statement that a country adheres to a legal instrument."""

    instrument: str  # the report id of the instrument
    title: str
    country: str
    year: int | None  # the year of adherence, when the source gives it
    listed_with: tuple[str, ...]  # the other countries the same statement names
    source: Source
    note: str | None


@dataclass(frozen=True, slots=True)
class ReportCount:
    """How many recommendations one report makes to a country, by grade."""

    report: str
    title: str
    year: int | None
    grades: dict[str, int]  # grade -> count, in GRADES order, only grades present
    total: int


@dataclass(frozen=True, slots=True)
class Provision:
    """A concept of a framework defined by an instrument the country adheres to."""

    instrument: str
    framework: str
    concept: str  # qualified id
    notation: str | None
    label: str


@dataclass(frozen=True, slots=True)
class CountryProfile:
    """A country: its recommendations by report and grade, regions, adherence and scores."""

    code: str
    name: str
    regions: tuple[str, ...]  # region ids the data names it a member of
    recommendations: tuple[ReportCount, ...]
    regional_recommendations: int  # addressed to a region it is a member of, naming no country
    adherence: tuple[AdherenceRow, ...]
    scores: tuple[ScoreRow, ...]
    provisions: tuple[Provision, ...]  # empty unless asked for


def adherence(kb: KnowledgeBase, countries: Iterable[str] = ()) -> list[AdherenceRow]:
    """Every adherence statement, one row per country it names; filtered to ``countries``."""
    codes = {resolve_country(c) for c in countries}
    return [
        AdherenceRow(
            report.id,
            report.title,
            code,
            statement.year,
            tuple(c for c in statement.countries if c != code),
            statement.source,
            statement.note,
        )
        for report in kb.reports
        for statement in report.adherents
        for code in statement.countries
        if not codes or code in codes
    ]


def scores(
    kb: KnowledgeBase,
    countries: Iterable[str] = (),
    indices: Iterable[str] = (),
    editions: Iterable[str] = (),
    dimensions: Iterable[str] = (),
    composite: bool = False,
) -> list[ScoreRow]:
    """Published index scores matching every filter given (AND; values of one filter: OR).

    ``indices`` are frameworks named any way :func:`resolve_framework` accepts;
    ``dimensions`` concepts as :func:`resolve_concept` accepts them (a pillar also matches
    its elements); ``composite`` keeps only overall scores. Rows come in score-set order
    (by id), then the file's order.
    """
    codes = {resolve_country(c) for c in countries}
    index_ids = {resolve_framework(kb, i).id for i in indices}
    wanted_editions = {fold(e) for e in editions}
    every = list(kb.concepts())
    concepts: set[str] = set()
    for name in dimensions:
        concept = resolve_concept(kb, name)
        concepts.add(concept.qid)  # a pillar brings its elements
        concepts.update(
            c.qid for c in every if c.framework == concept.framework and c.pillar == concept.id
        )
    labels = {c.qid: str(c.label) for c in every}
    rows = []
    for score_set in kb.scores:
        if index_ids and score_set.index not in index_ids:
            continue
        if wanted_editions and fold(score_set.edition) not in wanted_editions:
            continue
        framework = kb.framework(score_set.index)
        title = framework.title if framework else score_set.index
        for obs in score_set.observations:
            if codes and obs.country not in codes:
                continue
            if composite and obs.dimension is not None:
                continue
            if concepts and obs.dimension not in concepts:
                continue
            rows.append(
                ScoreRow(
                    score_set.id,
                    score_set.index,
                    title,
                    score_set.edition,
                    obs.country,
                    iso.name(obs.country),
                    obs.dimension,
                    None if obs.dimension is None else labels.get(obs.dimension),
                    obs.value,
                    score_set.scale,
                    obs.source or score_set.source,
                    obs.note,
                )
            )
    return rows


def provisions(kb: KnowledgeBase, country: str) -> list[Provision]:
    """The concepts of frameworks defined by the instruments ``country`` adheres to.

    An OECD Council Recommendation is addressed to its adherents: its provisions apply to
    each of them, whether or not a review repeats them as recommendations.
    """
    code = resolve_country(country)
    found: list[Provision] = []
    seen: set[str] = set()
    for row in adherence(kb, [code]):
        if row.instrument in seen:
            continue
        seen.add(row.instrument)
        report = kb.report(row.instrument)
        for framework_id in report.defines if report else ():
            framework = kb.framework(framework_id)
            for concept in framework.concepts() if framework else ():
                found.append(
                    Provision(
                        row.instrument,
                        framework_id,
                        concept.qid,
                        concept.node.notation,
                        str(concept.label),
                    )
                )
    return found


def country_profile(
    kb: KnowledgeBase, country: str, with_provisions: bool = False
) -> CountryProfile:
    """One country (named any way :func:`resolve_country` accepts) and what the data holds on
    it: recommendations per report and grade, regions, adherence, scores (and provisions)."""
    code = resolve_country(country)
    regions = tuple(r.id for r in kb.regions if code in r.members)
    counts: list[ReportCount] = []
    regional = 0
    for report in kb.reports:
        grades: dict[str, int] = {}
        for rec in report.recommendations:
            if code in rec.countries:
                grades[rec.grade] = grades.get(rec.grade, 0) + 1
            elif not rec.countries and set(rec.regions) & set(regions):
                regional += 1
        if grades:
            ordered: dict[str, int] = {g: grades[g] for g in GRADES if g in grades}
            counts.append(
                ReportCount(report.id, report.title, report.year, ordered, sum(grades.values()))
            )
    return CountryProfile(
        code,
        iso.name(code),
        regions,
        tuple(counts),
        regional,
        tuple(adherence(kb, [code])),
        tuple(scores(kb, [code])),
        tuple(provisions(kb, code)) if with_provisions else (),
    )
