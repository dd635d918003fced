"""The queries: recommendations by filter, coverage, outlines, countries, reports and stats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from typing import Literal

from policykb import countries as iso
from policykb.errors import UsageError
from policykb.model import (
    Concept,
    ConceptKind,
    Framework,
    KnowledgeBase,
    MatchRelation,
    Report,
)
from policykb.query.index import Index, fold, index_of, record_of
from policykb.query.resolve import (
    country_code,
    resolve_concept,
    resolve_country,
    resolve_framework,
    resolve_report,
    resolve_report_id,
)
from policykb.query.results import (
    CountrySummary,
    Coverage,
    CoverageRow,
    ElementOutline,
    FrameworkOutline,
    PillarOutline,
    RecommendationRow,
    ReportDetail,
    ReportSummary,
    Stats,
)

Level = Literal["pillar", "element"]
DEFAULT_RELATIONS: tuple[MatchRelation, ...] = ("exact", "close")


# ---------------------------------------------------------------------------------------------
# Queries


def mapped_concepts(
    kb: KnowledgeBase, qids: Iterable[str], relations: Collection[str] = DEFAULT_RELATIONS
) -> frozenset[str]:
    """``qids`` and every concept the crosswalks link to them through ``relations``.

    Exact matches are followed transitively (``skos:exactMatch`` is transitive); every other
    relation counted is followed one step, in either direction, from the exact-match closure,
    and the concepts reached bring their own exact-match closures.
    """
    return _mapped(index_of(kb), qids, relations)


def _mapped(
    index: Index, qids: Iterable[str], relations: Collection[str] = DEFAULT_RELATIONS
) -> frozenset[str]:
    return follow_crosswalks(qids, relations, lambda qid: index.matches.get(qid, ()))


def follow_crosswalks(
    qids: Iterable[str],
    relations: Collection[str],
    linked: Callable[[str], Iterable[tuple[str, str]]],
) -> frozenset[str]:
    """The crosswalk rule: ``qids``, their exact-match closure, one step of every other counted
    relation from it, and those concepts' exact-match closures. ``linked(qid)`` gives a
    concept's ``(other, relation)`` pairs, either direction (from the index or the graph)."""

    def exact_closure(start: Iterable[str]) -> set[str]:
        seen = set(start)
        todo = list(seen)
        while todo:
            for other, relation in linked(todo.pop()):
                if relation == "exact" and "exact" in relations and other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen

    core = exact_closure(qids)
    step = {
        other
        for qid in core
        for other, relation in linked(qid)
        if relation != "exact" and relation in relations
    }
    return frozenset(core | exact_closure(step))


def _concept_targets(index: Index, concept: Concept, include_mapped: bool) -> frozenset[str]:
    """What a filter on ``concept`` matches: itself, a pillar's elements, and mapped concepts."""
    targets = {concept.qid, *index.children.get(concept.qid, ())}
    return _mapped(index, targets) if include_mapped else frozenset(targets)


def _names(values: Iterable[str] | str) -> list[str]:
    """A filter's values; a single string is one value, not a sequence of letters."""
    return [values] if isinstance(values, str) else list(values)


def _tied_to(index: Index, targets: Iterable[str]) -> set[int]:
    return {i for qid in targets for i in index.by_concept.get(qid, ())}


def recommendations(
    kb: KnowledgeBase,
    countries: Iterable[str] = (),
    frameworks: Iterable[str] = (),
    pillars: Iterable[str] = (),
    elements: Iterable[str] = (),
    reports: Iterable[str] = (),
    text: str | None = None,
    include_mapped: bool = False,
) -> list[RecommendationRow]:
    """Recommendations matching every filter given (AND); several values of one filter are OR.

    Countries, frameworks, concepts and reports may be named any way the resolvers accept.
    ``pillars`` match recommendations tied to the pillar or any of its elements; ``text``
    matches when every word appears in the text (any case, accents ignored);
    ``include_mapped`` also follows crosswalks (exact and close matches, see :mod:`policykb.query`).
    Results are in report order, then the report's own order.
    """
    index = index_of(kb)
    selected: set[int] | None = None

    def narrow(found: set[int]) -> None:
        nonlocal selected
        selected = found if selected is None else selected & found

    codes = [country_code(index, c) for c in _names(countries)]
    if codes:
        narrow({i for code in codes for i in index.by_country.get(code, ())})
    report_ids = [resolve_report_id(index, r) for r in _names(reports)]
    if report_ids:
        table = index.report_table()
        spans = [table[r][1] for r in report_ids]
        narrow(
            {i for s in spans for a, b in zip(s[::2], s[1::2], strict=True) for i in range(a, b)}
        )
    framework_ids = [resolve_framework(kb, f).id for f in _names(frameworks)]
    if framework_ids:
        targets = {q for q, c in index.concepts.items() if c.framework in framework_ids}
        narrow(_tied_to(index, _mapped(index, targets) if include_mapped else targets))
    levels: tuple[tuple[ConceptKind, Iterable[str]], ...] = (
        ("pillar", pillars),
        ("element", elements),
    )
    for level, names in levels:
        chosen = [resolve_concept(kb, n, level) for n in _names(names)]
        if chosen:
            narrow(
                _tied_to(
                    index, {t for c in chosen for t in _concept_targets(index, c, include_mapped)}
                )
            )
    if text is not None:
        words = fold(text).split()
        candidates = range(len(index)) if selected is None else sorted(selected)
        records = index.rows.records(candidates)
        narrow(
            {
                i
                for i, record in zip(candidates, records, strict=True)
                if all(w in fold(record[2]) for w in words)
            }
        )
    order = range(len(index)) if selected is None else sorted(selected)
    return index.make_rows(order)


def coverage(
    kb: KnowledgeBase,
    framework: str,
    level: str = "pillar",
    countries: Iterable[str] = (),
    include_mapped: bool = False,
) -> Coverage:
    """Country × pillar (or element) counts of recommendations for one framework.

    A cell counts what ``recommendations(kb, countries=[country], pillars=[column])`` (or
    ``elements=``) returns, so a pillar counts recommendations tied to it or its elements.
    Rows are the ``countries`` given, else every country a recommendation on the framework
    is addressed to, in code order.
    """
    if level not in ("pillar", "element"):
        raise UsageError(f"unknown level '{level}'", "use 'pillar' or 'element'")
    index = index_of(kb)
    chosen = resolve_framework(kb, framework)
    columns = [c for c in chosen.concepts() if c.kind == level]
    hits = [_tied_to(index, _concept_targets(index, c, include_mapped)) for c in columns]
    codes = [country_code(index, c) for c in _names(countries)]
    hit = sorted(set().union(*hits))
    addressed = {i: set(r[3]) for i, r in zip(hit, index.rows.records(hit), strict=True)}
    if not codes:
        codes = sorted({c for found in hits for i in found for c in addressed[i]})
    tallies = [Counter(c for i in found for c in addressed[i]) for found in hits]
    rows = tuple(
        CoverageRow(code, tuple(tally[code] for tally in tallies)) for code in dict.fromkeys(codes)
    )
    return Coverage(chosen.id, level, tuple(c.qid for c in columns), rows)


def _outline(framework: Framework) -> FrameworkOutline:
    return FrameworkOutline(
        framework.id,
        framework.title,
        tuple(
            PillarOutline(
                p.id, str(p.label), tuple(ElementOutline(e.id, str(e.label)) for e in p.elements)
            )
            for p in framework.pillars
        ),
    )


def frameworks(kb: KnowledgeBase) -> list[FrameworkOutline]:
    """Every framework as an outline of pillars and elements, by id."""
    return [_outline(f) for f in kb.frameworks]


def framework(kb: KnowledgeBase, text: str) -> FrameworkOutline:
    """One framework (named any way :func:`resolve_framework` accepts) as an outline."""
    return _outline(resolve_framework(kb, text))


def _report_countries(report: Report) -> set[str]:
    """The report's subject countries and every country its recommendations are addressed to."""
    return {*report.countries, *(c for rec in report.recommendations for c in rec.countries)}


def countries(kb: KnowledgeBase) -> list[CountrySummary]:
    """Every country a report is about or a recommendation is addressed to, by name."""
    index = index_of(kb)
    reports: dict[str, int] = {}
    for report in kb.reports:
        for code in _report_countries(report):
            reports[code] = reports.get(code, 0) + 1
    found = [
        CountrySummary(code, iso.name(code), n, len(index.by_country.get(code, ())))
        for code, n in reports.items()
    ]
    return sorted(found, key=lambda c: (fold(c.name), c.code))


def reports(
    kb: KnowledgeBase, countries: Iterable[str] = (), year: int | None = None
) -> list[ReportSummary]:
    """Reports, by id; filtered to those about (or addressing) any of ``countries`` and ``year``."""
    codes = {resolve_country(c) for c in _names(countries)}
    return [
        ReportSummary(
            r.id,
            r.title,
            r.type,
            r.year,
            r.publisher,
            r.countries,
            len(r.recommendations),
            sum(1 for rec in r.recommendations if rec.status == "candidate"),
        )
        for r in kb.reports
        if (not codes or codes & _report_countries(r)) and (year is None or r.year == year)
    ]


def report(kb: KnowledgeBase, text: str) -> ReportDetail:
    """One report (named any way :func:`resolve_report` accepts) with its recommendations."""
    index = index_of(kb)
    r = resolve_report(kb, text)
    return ReportDetail(
        r.id,
        r.title,
        r.type,
        r.year,
        r.publisher,
        r.series,
        r.doi,
        r.url,
        r.countries,
        r.compares,
        r.defines,
        r.applies,
        r.summary,
        tuple(index.row(*record_of(r.id, rec)) for rec in r.recommendations),
    )


def stats(kb: KnowledgeBase) -> Stats:
    """Counts of frameworks, concepts, reports, recommendations, countries, organisations, links."""
    concepts = list(kb.concepts())
    recs = [rec for _, rec in kb.recommendations()]
    return Stats(
        frameworks=len(kb.frameworks),
        pillars=sum(1 for c in concepts if c.kind == "pillar"),
        elements=sum(1 for c in concepts if c.kind == "element"),
        reports=len(kb.reports),
        recommendations=len(recs),
        candidates=sum(1 for rec in recs if rec.status == "candidate"),
        countries=len({c for r in kb.reports for c in _report_countries(r)}),
        organisations=len(kb.organisations),
        crosswalks=len(kb.crosswalks),
        matches=sum(len(c.matches) for c in kb.crosswalks),
    )
