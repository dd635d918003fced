"""What the queries return: frozen result dataclasses, and their JSON form."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from policykb.model import Source

# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True)
class RecommendationRow:
    """One recommendation as the queries return it (JSON keys of DESIGN §7, plus status/mapping)."""

    id: str  # global id report/recommendation
    report: str
    text: str
    countries: tuple[str, ...]  # alpha-3
    concepts: tuple[str, ...]  # qualified ids
    pillars: tuple[str, ...]  # qualified ids of the concepts' pillars
    frameworks: tuple[str, ...]
    source: Source
    status: str  # recommendation | candidate
    mapping: str  # stated | inferred


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


@dataclass(frozen=True, slots=True)
class PillarOutline:
    """A pillar of a framework outline, with its elements."""

    id: str
    label: str
    elements: tuple[ElementOutline, ...]


@dataclass(frozen=True, slots=True)
class FrameworkOutline:
    """A framework as a tree of pillars and elements (ids unqualified inside the framework)."""

    id: str
    title: str
    pillars: tuple[PillarOutline, ...]


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One country's counts, in the order of :attr:`Coverage.columns`."""

    country: str
    counts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Coverage:
    """Country × concept matrix of recommendation counts for one framework."""

    framework: str
    level: str  # pillar | element
    columns: tuple[str, ...]  # qualified concept ids
    rows: tuple[CoverageRow, ...]


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


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A search result: what matched, how well, and a snippet of the best-matching field."""

    kind: str  # recommendation | report | framework | pillar | element
    id: str
    title: str
    score: float
    fields: tuple[str, ...]  # the fields that matched
    snippet: str
    status: str | None  # recommendation | candidate, for recommendations


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts of every kind of thing in the knowledge base."""

    frameworks: int
    pillars: int
    elements: int
    reports: int
    recommendations: int
    candidates: int
    countries: int
    organisations: int
    crosswalks: int
    matches: int


def as_dict(result: Any) -> Any:
    """The JSON form of a result or list of results: dataclasses as dicts, tuples as lists."""
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return {f.name: as_dict(getattr(result, f.name)) for f in dataclasses.fields(result)}
    if isinstance(result, list | tuple):
        return [as_dict(item) for item in result]
    if isinstance(result, dict):
        return {key: as_dict(value) for key, value in result.items()}
    return result
