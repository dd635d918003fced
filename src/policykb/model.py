"""The knowledge base as frozen values: frameworks, reports, recommendations, organisations.

No I/O happens here. The loader builds these from YAML, the RDF reader builds them from a graph,
and everything else reads them. Collections are tuples so that every value is hashable and two
knowledge bases compare equal exactly when they hold the same facts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

ConceptKind = Literal["pillar", "element"]
MappingStatus = Literal["stated", "inferred"]
RecommendationGrade = Literal["listed", "summary", "secondary", "candidate"]
MatchRelation = Literal["exact", "close", "related", "broad", "narrow"]

REPORT_TYPES = (
    "report",
    "review",
    "working-paper",
    "policy-paper",
    "blog-post",
    "standard",
    "legal-instrument",
    "declaration",
    "index",
)
#: How directly the source states a recommendation, most direct first: an item of its own
#: list, a summary statement of its own, a report of it by another publisher, a candidate
#: drawn from its assessment text.
GRADES: tuple[RecommendationGrade, ...] = ("listed", "summary", "secondary", "candidate")
MATCH_RELATIONS: tuple[MatchRelation, ...] = ("exact", "close", "related", "broad", "narrow")


def canonical_language(tag: str) -> str:
    """A language tag in the case RFC 5646 recommends: ``pt-BR``, ``zh-Hant``, ``en``."""
    parts = tag.lower().split("-")
    out = [parts[0]]
    after_singleton = False
    for part in parts[1:]:
        if len(part) == 1:
            after_singleton = True
        elif not after_singleton and len(part) == 2 and part.isalpha():
            part = part.upper()
        elif not after_singleton and len(part) == 4 and part.isalpha():
            part = part.title()
        out.append(part)
    return "-".join(out)


@dataclass(frozen=True, slots=True)
class LangText:
    """A text with translations: ``(language, text)`` pairs, English first when present."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, text: str, **translations: str) -> LangText:
        """Build from an English text and keyword translations (``es="…"``)."""
        return cls((("en", text), *sorted(translations.items())))

    def get(self, lang: str = "en") -> str | None:
        """The text in ``lang``, or ``None``."""
        for code, text in self.values:
            if code == lang:
                return text
        return None

    def __str__(self) -> str:
        return self.get("en") or (self.values[0][1] if self.values else "")

    def texts(self) -> tuple[str, ...]:
        """Every language's text, for search and label checks."""
        return tuple(text for _, text in self.values)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from: a report (by id) and a place in it, and/or a URL."""

    report: str | None = None
    chapter: str | None = None
    section: str | None = None
    page: str | None = None
    url: str | None = None
    note: str | None = None

    def describe(self) -> str:
        """A one-line human citation, e.g. ``chile-digital-identity, Assessment, p. 14``."""
        parts = [self.report, self.chapter, self.section]
        text = ", ".join(p for p in parts if p)
        if self.page:
            text += f"{', ' if text else ''}p. {self.page}"
        if self.url:
            text += f"{' — ' if text else ''}{self.url}"
        return text


@dataclass(frozen=True, slots=True)
class Element:
    """The lower level of a framework (an element, sub-dimension, principle, …)."""

    id: str
    label: LangText
    definition: LangText | None = None
    notation: str | None = None
    alt_labels: tuple[LangText, ...] = ()
    source: Source | None = None
    inferred: bool = (
        False  # its wording or placement is our reading, not the source's (notes say why)
    )
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Pillar:
    """The upper level of a framework (a pillar, dimension, part, …) and its elements in order."""

    id: str
    label: LangText
    definition: LangText | None = None
    notation: str | None = None
    alt_labels: tuple[LangText, ...] = ()
    source: Source | None = None
    inferred: bool = False
    notes: tuple[str, ...] = ()
    elements: tuple[Element, ...] = ()


@dataclass(frozen=True, slots=True)
class Framework:
    """A concept scheme defined by a report: pillars, each with elements, in the source's order.

    A framework can be a later ``version`` of another that it ``replaces`` (both stay
    queryable), and an index can ``use`` another framework's concepts as its dimensions
    instead of pillars of its own.
    """

    id: str
    title: str
    source: Source
    defined_in: str | None = None
    pillar_term: str = "pillar"
    element_term: str = "element"
    description: str | None = None
    alt_titles: tuple[str, ...] = ()
    pillars: tuple[Pillar, ...] = ()
    notes: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    version: str | None = None
    replaces: str | None = None  # the framework id of the earlier version
    uses: str | None = None  # the framework whose concepts are this one's dimensions

    def concepts(self) -> Iterator[Concept]:
        """Every pillar and element as a flat :class:`Concept`, in source order."""
        for pillar in self.pillars:
            yield Concept(self.id, pillar.id, "pillar", pillar.label, None, pillar)
            for element in pillar.elements:
                yield Concept(self.id, element.id, "element", element.label, pillar.id, element)


@dataclass(frozen=True, slots=True)
class Concept:
    """A pillar or element seen from outside its framework, addressed as ``framework/id``."""

    framework: str
    id: str
    kind: ConceptKind
    label: LangText
    pillar: str | None  # the enclosing pillar's id, for elements
    node: Pillar | Element = field(compare=False, repr=False)

    @property
    def qid(self) -> str:
        """The qualified id ``framework/concept``."""
        return f"{self.framework}/{self.id}"


@dataclass(frozen=True, slots=True)
class Contributor:
    """A person or team credited by a report."""

    name: str
    role: str = "author"
    affiliation: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One recommendation of a report, addressed to countries and tied to framework concepts."""

    id: str
    text: str
    countries: tuple[str, ...]  # ISO 3166-1 alpha-3
    concepts: tuple[str, ...]  # qualified concept ids
    source: Source
    mapping: MappingStatus = "inferred"
    grade: RecommendationGrade = "listed"
    actors: tuple[str, ...] = ()  # organisation ids
    area: str | None = None  # the heading the source files it under
    notes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # region ids, for a regional review that names no country
    reported_by: str | None = None  # the publisher that reported it (grade "secondary")


@dataclass(frozen=True, slots=True)
class Adherence:
    """One source's statement of which countries adhere to a legal instrument.

    Sources disagree (lists of different dates); each statement is kept as its source says.
    """

    countries: tuple[str, ...]  # alpha-3
    source: Source
    year: int | None = None  # the year of adherence, when the source gives it
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """A publication: report, review, working paper, policy paper, blog post or standard."""

    id: str
    title: str
    type: str
    publisher: str
    source: Source
    year: int | None = None  # None when the sources do not give it (see gaps)
    date: str | None = None
    series: str | None = None
    number: str | None = None
    doi: str | None = None
    isbn: str | None = None
    url: str | None = None
    language: str = "en"
    alt_titles: tuple[str, ...] = ()
    contributors: tuple[Contributor, ...] = ()
    countries: tuple[str, ...] = ()
    compares: tuple[str, ...] = ()
    defines: tuple[str, ...] = ()
    applies: tuple[str, ...] = ()
    summary: str | None = None
    recommendations: tuple[Recommendation, ...] = ()
    gaps: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    adherents: tuple[Adherence, ...] = ()  # for legal instruments

    def qid(self, recommendation: Recommendation) -> str:
        """The global id ``report/recommendation`` of one of this report's recommendations."""
        return f"{self.id}/{recommendation.id}"


@dataclass(frozen=True, slots=True)
class Organisation:
    """A publisher or an actor named by a recommendation."""

    id: str
    label: LangText
    acronym: str | None = None
    country: str | None = None  # alpha-3; None for international bodies
    parent: str | None = None  # organisation id
    url: str | None = None
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class Region:
    """A group of countries a regional review addresses (MENA, Latin America and the Caribbean)."""

    id: str
    label: LangText
    members: tuple[str, ...] = ()  # alpha-3, only the countries a source names
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class Observation:
    """One published score: a country's value on an index edition, overall or on one dimension."""

    country: str  # alpha-3
    value: float
    dimension: str | None = None  # a qualified concept id; None for the composite score
    source: Source | None = None  # when it differs from its score set's
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ScoreSet:
    """The scores of one index edition (one file in ``data/scores/``)."""

    id: str
    title: str
    index: str  # the index's framework id
    edition: str
    source: Source
    scale: str | None = None
    report: str | None = None  # the report that publishes the scores
    observations: tuple[Observation, ...] = ()
    notes: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """A crosswalk link between two concepts of different frameworks."""

    source_concept: str  # qualified id
    target_concept: str  # qualified id
    relation: MatchRelation
    justification: str


@dataclass(frozen=True, slots=True)
class Crosswalk:
    """A set of concept-to-concept links between frameworks (one file in ``data/mappings/``)."""

    id: str
    title: str
    matches: tuple[Match, ...]
    source: Source | None = None
    description: str | None = None


#: The title of a data directory that does not describe itself (it has no ``dataset.yaml``).
DEFAULT_DATASET_TITLE = "policykb knowledge base"


@dataclass(frozen=True, slots=True)
class Dataset:
    """What a data directory says of itself (``dataset.yaml``): the title, version, issue date,
    licence and publisher that every RDF export's dataset description carries.

    Every field is the maintainers' to set, never the clock's, so exports stay byte for byte the
    same. A data directory without the file gets this default: a title and nothing else.
    """

    title: str = DEFAULT_DATASET_TITLE
    description: str | None = None
    version: str | None = None
    issued: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    licence: str | None = None  # the licence's IRI
    rights: str | None = None  # a rights statement, e.g. who owns the titles quoted
    publisher: str | None = None  # a name
    publisher_url: str | None = None
    homepage: str | None = None
    sparql_endpoint: str | None = None  # where the data can be queried, when it is published


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Everything loaded: frameworks, reports with their recommendations, organisations,
    crosswalks, regions and index scores, and the data's description of itself.

    Each collection is sorted by id so that equal data gives equal knowledge bases, whatever
    order the files were read in.
    """

    frameworks: tuple[Framework, ...] = ()
    reports: tuple[Report, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    crosswalks: tuple[Crosswalk, ...] = ()
    regions: tuple[Region, ...] = ()
    scores: tuple[ScoreSet, ...] = ()
    dataset: Dataset = Dataset()

    def framework(self, framework_id: str) -> Framework | None:
        """The framework with this id, or ``None``."""
        return next((f for f in self.frameworks if f.id == framework_id), None)

    def report(self, report_id: str) -> Report | None:
        """The report with this id, or ``None``."""
        return next((r for r in self.reports if r.id == report_id), None)

    def organisation(self, organisation_id: str) -> Organisation | None:
        """The organisation with this id, or ``None``."""
        return next((o for o in self.organisations if o.id == organisation_id), None)

    def concepts(self) -> Iterator[Concept]:
        """Every concept of every framework."""
        for framework in self.frameworks:
            yield from framework.concepts()

    def recommendations(self) -> Iterator[tuple[Report, Recommendation]]:
        """Every recommendation with the report that makes it."""
        for report in self.reports:
            for recommendation in report.recommendations:
                yield report, recommendation

    def recommendation_counts(self) -> tuple[int, ...]:
        """How many recommendations each report makes, in the order of ``reports``.

        A knowledge base that reads its reports on first use (the load cache's) answers
        without reading them.
        """
        return tuple(len(report.recommendations) for report in self.reports)

    def reports_between(self, start: int, stop: int) -> tuple[Report, ...]:
        """``reports[start:stop]``; one that reads its reports on first use reads only those."""
        return self.reports[start:stop]
