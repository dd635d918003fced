"""What the queries return: frozen result dataclasses, and their JSON form."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from policykb.errors import UsageError
from policykb.model import Contributor, Source

# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True)
class RecommendationRow:
    """One recommendation as the queries return it (JSON keys of DESIGN §7, plus grade/mapping)."""

    id: str  # global id report/recommendation
    report: str
    text: str
    countries: tuple[str, ...]  # alpha-3
    concepts: tuple[str, ...]  # qualified ids
    pillars: tuple[str, ...]  # qualified ids of the concepts' pillars
    frameworks: tuple[str, ...]
    source: Source
    grade: str  # listed | summary | secondary | candidate
    mapping: str  # stated | inferred
    report_title: str = ""
    report_year: int | None = None  # None when the sources do not give it
    actors: tuple[str, ...] = ()  # organisation ids
    concept_labels: tuple[str, ...] = ()  # the label of each of ``concepts``, in their order


@dataclass(frozen=True, slots=True)
class CountrySummary:
    """A country with the numbers of reports about it and recommendations addressed to it."""

    code: str
    name: str
    reports: int
    recommendations: int


@dataclass(frozen=True, slots=True)
class ElementOutline:
    """An element of a framework outline."""

    id: str
    label: str
    notation: str | None = None  # the source's numbering (1.1), when it has one
    inferred: bool = False  # its wording or placement is our reading, not the source's


@dataclass(frozen=True, slots=True)
class PillarOutline:
    """A pillar of a framework outline, with its elements."""

    id: str
    label: str
    elements: tuple[ElementOutline, ...]
    notation: str | None = None
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class FrameworkOutline:
    """A framework as a tree of pillars and elements (ids unqualified inside the framework)."""

    id: str
    title: str
    pillars: tuple[PillarOutline, ...]
    pillar_term: str = "pillar"  # what the source calls its pillars (dimension, principle, …)
    element_term: str = "element"
    uses: str | None = None  # an index's: the framework whose concepts are its dimensions


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One country's counts, in the order of :attr:`Coverage.columns`."""

    country: str
    counts: tuple[int, ...]
    total: int = 0  # recommendations in any of the row's cells, each counted once


@dataclass(frozen=True, slots=True)
class Coverage:
    """Country × concept matrix of recommendation counts for one framework."""

    framework: str
    level: str  # pillar | element
    columns: tuple[str, ...]  # qualified concept ids
    rows: tuple[CoverageRow, ...]
    labels: tuple[str, ...] = ()  # the columns' labels
    notations: tuple[str | None, ...] = ()  # the columns' notations (1.1), when the source has them
    totals: tuple[int, ...] = ()  # per column: recommendations of any row, each counted once
    total: int = 0  # recommendations in any cell, each counted once


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """A report in a list: what it is, whom it is about and how many recommendations it makes."""

    id: str
    title: str
    type: str
    year: int | None
    publisher: str
    countries: tuple[str, ...]
    recommendations: int
    candidates: int  # how many of the recommendations are candidates


@dataclass(frozen=True, slots=True)
class ReportDetail:
    """One report with its recommendations."""

    id: str
    title: str
    type: str
    year: int | None
    publisher: str
    series: str | None
    doi: str | None
    url: str | None
    countries: tuple[str, ...]
    compares: tuple[str, ...]
    defines: tuple[str, ...]
    applies: tuple[str, ...]
    summary: str | None
    recommendations: tuple[RecommendationRow, ...]
    publisher_name: str | None = None  # the publisher's label in organisations
    contributors: tuple[Contributor, ...] = ()
    gaps: tuple[str, ...] = ()  # what the sources do not say (unverified facts among them)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A search result: what matched, how well, and a snippet of the best-matching field."""

    kind: str  # recommendation | report | framework | pillar | element | organisation | region
    id: str
    title: str
    score: float
    fields: tuple[str, ...]  # the fields that matched
    snippet: str
    grade: str | None  # listed | summary | secondary | candidate, for recommendations


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts of every kind of thing in the knowledge base."""

    frameworks: int
    pillars: int
    elements: int
    reports: int
    recommendations: int
    listed: int  # recommendations by grade (see policykb.model.GRADES)
    summary: int
    secondary: int
    candidates: int
    countries: int
    organisations: int
    crosswalks: int
    matches: int
    regions: int
    score_sets: int  # index editions with published scores
    scores: int  # observations: country x edition x dimension -> value
    adherence_statements: int


#: The orders :func:`sort_recommendations` knows: the report order (by report id, then each
#: report's own), the report's year (unknown last), the countries addressed (alpha-3)
RECOMMENDATION_SORTS = ("report", "year", "country")


def sort_recommendations(
    rows: Iterable[RecommendationRow], by: str = "report"
) -> list[RecommendationRow]:
    """``rows`` in the order ``by`` (one of :data:`RECOMMENDATION_SORTS`); ties keep the report
    order. Recommendations of an unknown year, or addressed to no country, come last."""
    found = list(rows)
    if by == "report":
        return found
    if by == "year":
        return sorted(found, key=lambda r: (r.report_year is None, r.report_year or 0))
    if by == "country":
        return sorted(found, key=lambda r: (not r.countries, sorted(r.countries)))
    raise UsageError(
        f"unknown order '{by}'", "sort by " + ", ".join(f"'{s}'" for s in RECOMMENDATION_SORTS)
    )


def as_dict(result: Any) -> Any:
    """The JSON form of a result or list of results: dataclasses as dicts, tuples as lists."""
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return {f.name: as_dict(getattr(result, f.name)) for f in dataclasses.fields(result)}
    if isinstance(result, list | tuple):
        return [as_dict(item) for item in result]
    if isinstance(result, dict):
        return {key: as_dict(value) for key, value in result.items()}
    return result
