"""The queries: recommendations by filter, coverage, outlines, countries, reports and stats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from typing import Literal

from policykb import countries as iso
from policykb.errors import UsageError
from policykb.model import (
    GRADES,
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
    resolve_organisation,
    resolve_region,
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
    sort_recommendations,
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


def _in_spans(spans: Iterable[tuple[int, ...]]) -> set[int]:
    """The positions in reports' ``(start, stop, …)`` spans (see ReportTable)."""
    return {i for s in spans for a, b in zip(s[::2], s[1::2], strict=True) for i in range(a, b)}


def recommendations(
    kb: KnowledgeBase,
    countries: Iterable[str] = (),
    frameworks: Iterable[str] = (),
    pillars: Iterable[str] = (),
    elements: Iterable[str] = (),
    reports: Iterable[str] = (),
    text: str | None = None,
    include_mapped: bool = False,
    actors: Iterable[str] = (),
    years: Iterable[int] = (),
    since: int | None = None,
    sort: str = "report",
    grades: Iterable[str] = (),
    regions: Iterable[str] = (),
) -> list[RecommendationRow]:
    """Recommendations matching every filter given (AND); several values of one filter are OR.

    Countries, frameworks, concepts, reports and organisations (``actors``) may be named any
    way the resolvers accept. ``pillars`` match recommendations tied to the pillar or any of
    its elements; ``text`` matches when every word appears in the text (any case, accents
    ignored); ``include_mapped`` also follows crosswalks (exact and close matches, see
    :mod:`policykb.query`). ``years`` and ``since`` are the report's year (a report of unknown
    year matches neither). ``grades`` keeps recommendations of those grades (listed, summary,
    secondary, candidate); ``regions`` those addressed to a region (by id or label). Results
    are in report order, then the report's own order, unless
    ``sort`` says otherwise (see :func:`~policykb.query.results.sort_recommendations`).
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
        narrow(_in_spans(table[r][1] for r in report_ids))
    wanted_years = set(years)
    if wanted_years or since is not None:
        narrow(
            _in_spans(
                spans
                for _, spans, year in index.report_table().values()
                if year is not None
                and (not wanted_years or year in wanted_years)
                and (since is None or year >= since)
            )
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
    actor_ids = {resolve_organisation(kb, a).id for a in _names(actors)}
    if actor_ids:
        candidates = range(len(index)) if selected is None else sorted(selected)
        records = index.rows.records(candidates)
        narrow(
            {i for i, record in zip(candidates, records, strict=True) if actor_ids & {*record[8]}}
        )
    wanted_grades = {_grade(g) for g in _names(grades)}
    if wanted_grades:
        candidates = range(len(index)) if selected is None else sorted(selected)
        records = index.rows.records(candidates)
        narrow({i for i, r in zip(candidates, records, strict=True) if r[6] in wanted_grades})
    region_ids = {resolve_region(kb, r) for r in _names(regions)}
    if region_ids:
        addressed = {
            (report.id, rec.id)
            for report, rec in kb.recommendations()
            if region_ids & {*rec.regions}
        }
        candidates = range(len(index)) if selected is None else sorted(selected)
        records = index.rows.records(candidates)
        narrow({i for i, r in zip(candidates, records, strict=True) if (r[0], r[1]) in addressed})
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
    return sort_recommendations(index.make_rows(order), sort)


def _grade(text: str) -> str:
    """A grade named in any case; a usage error lists the grades."""
    found = fold(text).strip()
    if found not in GRADES:
        raise UsageError(
            f"unknown grade '{text}'", "grades are " + ", ".join(GRADES) + " (most direct first)"
        )
    return found


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
    is addressed to, in code order. Totals count each recommendation once, however many of
    the row's (or column's) cells it is in. A framework without concepts of ``level`` (one of
    a single level, or an index that uses another framework's) raises :class:`UsageError`.
    """
    if level not in ("pillar", "element"):
        raise UsageError(f"unknown level '{level}'", "use 'pillar' or 'element'")
    index = index_of(kb)
    chosen = resolve_framework(kb, framework)
    columns = [c for c in chosen.concepts() if c.kind == level]
    if not columns:
        raise _no_columns(chosen, level)
    hits = [_tied_to(index, _concept_targets(index, c, include_mapped)) for c in columns]
    codes = [country_code(index, c) for c in _names(countries)]
    hit = sorted(set().union(*hits))
    addressed = {i: set(r[3]) for i, r in zip(hit, index.rows.records(hit), strict=True)}
    if not codes:
        codes = sorted({c for found in hits for i in found for c in addressed[i]})
    tallies = [Counter(c for i in found for c in addressed[i]) for found in hits]
    rows = tuple(
        CoverageRow(
            code,
            tuple(tally[code] for tally in tallies),
            sum(1 for i in hit if code in addressed[i]),
        )
        for code in dict.fromkeys(codes)
    )
    shown = set(codes)
    return Coverage(
        chosen.id,
        level,
        tuple(c.qid for c in columns),
        rows,
        tuple(str(c.label) for c in columns),
        tuple(c.node.notation for c in columns),
        tuple(sum(1 for i in found if addressed[i] & shown) for found in hits),
        sum(1 for i in hit if addressed[i] & shown),
    )


def _no_columns(framework: Framework, level: str) -> UsageError:
    """Why ``framework`` has nothing to count by at ``level``, and what to count by instead."""
    if framework.uses and not framework.pillars:
        return UsageError(
            f"{framework.id} has no {level}s of its own: its dimensions are the concepts of "
            f"{framework.uses}",
            f"count by those: --framework {framework.uses}",
        )
    if level == "element" and framework.pillars:
        return UsageError(
            f"{framework.id} has one level ({framework.pillar_term}), no elements to count by",
            "count by pillar: --level pillar",
        )
    return UsageError(f"{framework.id} has no {level}s to count by")


def _outline(framework: Framework) -> FrameworkOutline:
    return FrameworkOutline(
        framework.id,
        framework.title,
        tuple(
            PillarOutline(
                p.id,
                str(p.label),
                tuple(
                    ElementOutline(e.id, str(e.label), e.notation, e.inferred) for e in p.elements
                ),
                p.notation,
                p.inferred,
            )
            for p in framework.pillars
        ),
        framework.pillar_term,
        framework.element_term,
        framework.uses,
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
            sum(1 for rec in r.recommendations if rec.grade == "candidate"),
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
        str(publisher.label) if (publisher := kb.organisation(r.publisher)) else None,
        r.contributors,
        r.gaps,
        r.notes,
    )


def stats(kb: KnowledgeBase) -> Stats:
    """Counts of frameworks, concepts, reports, recommendations, countries, organisations, links."""
    concepts = list(kb.concepts())
    recs = [rec for _, rec in kb.recommendations()]
    grades = Counter(rec.grade for rec in recs)
    return Stats(
        frameworks=len(kb.frameworks),
        pillars=sum(1 for c in concepts if c.kind == "pillar"),
        elements=sum(1 for c in concepts if c.kind == "element"),
        reports=len(kb.reports),
        recommendations=len(recs),
        listed=grades["listed"],
        summary=grades["summary"],
        secondary=grades["secondary"],
        candidates=grades["candidate"],
        countries=len({c for r in kb.reports for c in _report_countries(r)}),
        organisations=len(kb.organisations),
        crosswalks=len(kb.crosswalks),
        matches=sum(len(c.matches) for c in kb.crosswalks),
        regions=len(kb.regions),
        score_sets=len(kb.scores),
        scores=sum(len(s.observations) for s in kb.scores),
        adherence_statements=sum(len(r.adherents) for r in kb.reports),
    )
