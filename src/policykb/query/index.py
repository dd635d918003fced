"""The per-knowledge-base query index: folded text, concepts, crosswalk links and postings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from policykb.model import (
    Concept,
    Crosswalk,
    Framework,
    KnowledgeBase,
    Recommendation,
    Report,
    Source,
)
from policykb.query.results import RecommendationRow

# ---------------------------------------------------------------------------------------------
# Text folding and the per-knowledge-base index


#: The combining-mark blocks NFKD separates accents into (a regex is much faster than a loop)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``: NFKD, combining marks dropped, casefolded.

    The marks dropped are those of the combining diacritical blocks (U+0300–036F and its
    supplements), which is what NFKD splits accented Latin, Greek and Cyrillic letters into.
    """
    if text.isascii():  # the common case, and NFKD leaves ASCII alone
        return text.casefold()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


def norm(text: str) -> str:
    """Folded, with hyphens/underscores as spaces and runs of spaces collapsed (ids ≈ labels)."""
    return " ".join(re.sub(r"[-_]", " ", fold(text)).split())


#: One recommendation as the index hands it out: report id, recommendation id, text,
#: countries, concepts, source, grade, mapping, actors
Record = tuple[str, str, str, tuple[str, ...], tuple[str, ...], Source, str, str, tuple[str, ...]]
#: report id -> (title and alternative titles, (start, stop) spans of its rows in the index,
#: the report's year)
ReportTable = dict[str, tuple[tuple[str, ...], tuple[int, ...], int | None]]


def record_of(report_id: str, rec: Recommendation) -> Record:
    """The :data:`Record` of a recommendation of the report ``report_id``."""
    return (
        report_id,
        rec.id,
        rec.text,
        rec.countries,
        rec.concepts,
        rec.source,
        rec.grade,
        rec.mapping,
        rec.actors,
    )


class Rows(Protocol):
    """Where an :class:`Index` gets its recommendations from: the model, or a cache file."""

    def __len__(self) -> int:
        """How many recommendations there are."""

    def records(self, which: Sequence[int]) -> list[Record]:
        """The records of the recommendations at the positions ``which``, in that order."""

    def report_table(self) -> ReportTable:
        """Each report's names and the positions of its recommendations."""


class ModelRows:
    """:class:`Rows` read straight off a knowledge base's reports."""

    __slots__ = ("_owners", "_recs", "_reports")

    def __init__(self, reports: Iterable[Report]) -> None:
        self._reports = tuple(reports)
        # two flat lists rather than a list of pairs: no object per recommendation
        self._recs = [rec for r in self._reports for rec in r.recommendations]
        self._owners = [r for r in self._reports for _ in r.recommendations]

    def __len__(self) -> int:
        return len(self._recs)

    def records(self, which: Sequence[int]) -> list[Record]:
        recs, owners = self._recs, self._owners
        return [record_of(owners[i].id, recs[i]) for i in which]

    def report_table(self) -> ReportTable:
        table: ReportTable = {}
        start = 0
        for r in self._reports:
            stop = start + len(r.recommendations)
            earlier = table.get(r.id)
            spans = (start, stop) if earlier is None else (*earlier[1], start, stop)
            table[r.id] = ((r.title, *r.alt_titles), spans, r.year)  # the last one wins
            start = stop
        return table


class Index:
    """What queries look things up in: concepts, crosswalk links and postings of recommendations.

    Recommendations are numbered in report order, then each report's own order; the postings
    map a country or a concept to the ascending numbers of the recommendations addressed to it
    or tied to it. :meth:`build` makes one from a knowledge base with plain dict work (no
    method calls per recommendation); the load cache stores the postings and reads the records
    of only the recommendations a query returns (see :mod:`policykb.cache`).
    """

    __slots__ = (
        "_report_table",
        "by_concept",
        "by_country",
        "children",
        "concepts",
        "matches",
        "pillar_of",
        "rows",
    )

    def __init__(
        self,
        frameworks: Iterable[Framework],
        crosswalks: Iterable[Crosswalk],
        by_country: Mapping[str, Sequence[int]],
        by_concept: Mapping[str, Sequence[int]],
        rows: Rows,
    ) -> None:
        self.concepts: dict[str, Concept] = {}
        self.pillar_of: dict[str, str] = {}  # concept qid -> its pillar's qid (a pillar's own)
        children: dict[str, list[str]] = {}
        for f in frameworks:
            for c in f.concepts():
                qid = f"{c.framework}/{c.id}"
                self.concepts[qid] = c
                if c.kind == "pillar":
                    self.pillar_of[qid] = qid
                else:
                    pillar = f"{c.framework}/{c.pillar}"
                    self.pillar_of[qid] = pillar
                    children.setdefault(pillar, []).append(qid)
        self.children = {k: tuple(v) for k, v in children.items()}
        self.matches: dict[str, list[tuple[str, str]]] = {}  # qid -> [(other, relation)]
        for crosswalk in crosswalks:
            for m in crosswalk.matches:
                self.matches.setdefault(m.source_concept, []).append((m.target_concept, m.relation))
                self.matches.setdefault(m.target_concept, []).append((m.source_concept, m.relation))
        self.by_country = by_country
        self.by_concept = by_concept
        self.rows = rows
        self._report_table: ReportTable | None = None

    @classmethod
    def build(cls, kb: KnowledgeBase) -> Index:
        """The index of ``kb``."""
        by_country: dict[str, list[int]] = {}
        by_concept: dict[str, list[int]] = {}
        i = 0
        for report in kb.reports:
            for rec in report.recommendations:
                # positions grow, so a value repeated within one recommendation is the last one
                for code in rec.countries:
                    found = by_country.get(code)
                    if found is None:
                        by_country[code] = [i]
                    elif found[-1] != i:
                        found.append(i)
                for qid in rec.concepts:
                    found = by_concept.get(qid)
                    if found is None:
                        by_concept[qid] = [i]
                    elif found[-1] != i:
                        found.append(i)
                i += 1
        return cls(
            kb.frameworks,
            kb.crosswalks,
            by_country,
            by_concept,
            ModelRows(kb.reports),
        )

    def __len__(self) -> int:
        return len(self.rows)

    def report_table(self) -> ReportTable:
        """Each report's names and the positions of its recommendations (read once)."""
        if self._report_table is None:
            self._report_table = self.rows.report_table()
        return self._report_table

    def make_rows(self, which: Sequence[int]) -> list[RecommendationRow]:
        """The query rows of the recommendations at the positions ``which``."""
        return [self.row(*record) for record in self.rows.records(which)]

    def row(
        self,
        report: str,
        rec_id: str,
        text: str,
        countries: tuple[str, ...],
        concepts: tuple[str, ...],
        source: Source,
        grade: str,
        mapping: str,
        actors: tuple[str, ...],
    ) -> RecommendationRow:
        """One query row; its pillars and frameworks are derived from its concepts, its
        report's title and year from the report table."""
        pillar_of = self.pillar_of
        concepts_by_qid = self.concepts
        names, _, year = self.report_table().get(report, ((report,), (), None))
        pillars: dict[str, None] = {}
        frameworks: dict[str, None] = {}
        for qid in concepts:
            frameworks[qid.split("/", 1)[0]] = None
            pillar = pillar_of.get(qid)
            if pillar is not None:
                pillars[pillar] = None
        return RecommendationRow(
            id=f"{report}/{rec_id}",
            report=report,
            text=text,
            countries=countries,
            concepts=concepts,
            pillars=tuple(pillars),
            frameworks=tuple(frameworks),
            source=source,
            grade=grade,
            mapping=mapping,
            report_title=names[0],
            report_year=year,
            actors=actors,
            concept_labels=tuple(
                str(concepts_by_qid[q].label) if q in concepts_by_qid else q for q in concepts
            ),
        )


_cached: list[tuple[KnowledgeBase, Index]] = []  # the last knowledge base queried, its index


def index_of(kb: KnowledgeBase) -> Index:
    """The index of ``kb``: its own when the load cache gave it one, else built (and kept)."""
    if _cached and _cached[0][0] is kb:
        return _cached[0][1]
    index = getattr(kb, "query_index", None)  # a knowledge base from the load cache has one
    if not isinstance(index, Index):
        index = Index.build(kb)
    _cached[:] = [(kb, index)]  # holds kb, so its id cannot be reused while it is cached
    return index
