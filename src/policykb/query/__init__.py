"""Analyst queries: filters, aggregates and resolvers over the model -> plain frozen results.

Everything here works on an :class:`Index` (postings of recommendations by country and by
concept, concepts, crosswalk links), never on the networkx graph: ``import networkx`` alone
costs more than a query (DESIGN §5), and ``policykb recs`` must start fast. The index is built
once per knowledge base, or comes with it from the load cache (:mod:`policykb.cache`), which
then reads only the recommendations a query returns. The results are frozen dataclasses;
``dataclasses.asdict`` (or :func:`as_dict`) gives the JSON form of DESIGN §7.

Filters combine with AND; the values of one filter are alternatives (OR). A pillar filter
matches recommendations tied to the pillar or to any of its elements. With
``include_mapped=True`` a filter on concept Y also matches recommendations tied to a concept X
that a crosswalk links to Y (see :func:`mapped_concepts`): exact matches are followed
transitively (``skos:exactMatch`` is transitive) and close matches one step (``skos:closeMatch``
is not); related, broad and narrow matches do not count unless asked for.
"""

from policykb.query.fulltext import FIELD_WEIGHTS, KINDS, search, search_suggestions
from policykb.query.index import Index, ModelRows, Record, ReportTable, Rows, fold
from policykb.query.queries import (
    DEFAULT_RELATIONS,
    Level,
    countries,
    coverage,
    framework,
    frameworks,
    mapped_concepts,
    recommendations,
    report,
    reports,
    stats,
)
from policykb.query.resolve import (
    resolution_notes,
    resolve_concept,
    resolve_country,
    resolve_framework,
    resolve_organisation,
    resolve_recommendation_id,
    resolve_region,
    resolve_report,
)
from policykb.query.results import (
    RECOMMENDATION_SORTS,
    CountrySummary,
    Coverage,
    CoverageRow,
    ElementOutline,
    FrameworkOutline,
    PillarOutline,
    RecommendationRow,
    ReportDetail,
    ReportSummary,
    SearchHit,
    Stats,
    as_dict,
    sort_recommendations,
)

__all__ = [
    "DEFAULT_RELATIONS",
    "FIELD_WEIGHTS",
    "KINDS",
    "RECOMMENDATION_SORTS",
    "CountrySummary",
    "Coverage",
    "CoverageRow",
    "ElementOutline",
    "FrameworkOutline",
    "Index",
    "Level",
    "ModelRows",
    "PillarOutline",
    "RecommendationRow",
    "Record",
    "ReportDetail",
    "ReportSummary",
    "ReportTable",
    "Rows",
    "SearchHit",
    "Stats",
    "as_dict",
    "countries",
    "coverage",
    "fold",
    "framework",
    "frameworks",
    "mapped_concepts",
    "recommendations",
    "report",
    "reports",
    "resolution_notes",
    "resolve_concept",
    "resolve_country",
    "resolve_framework",
    "resolve_organisation",
    "resolve_recommendation_id",
    "resolve_region",
    "resolve_report",
    "search",
    "search_suggestions",
    "sort_recommendations",
    "stats",
]
