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

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from policykb import countries as iso
from policykb.errors import AmbiguousError, NotFoundError, UsageError
from policykb.model import (
    Concept,
    ConceptKind,
    Crosswalk,
    Framework,
    KnowledgeBase,
    MatchRelation,
    Recommendation,
    Report,
    Source,
)

Level = Literal["pillar", "element"]
DEFAULT_RELATIONS: tuple[MatchRelation, ...] = ("exact", "close")


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


def _norm(text: str) -> str:
    """Folded, with hyphens/underscores as spaces and runs of spaces collapsed (ids ≈ labels)."""
    return " ".join(re.sub(r"[-_]", " ", fold(text)).split())


#: One recommendation as the index hands it out: report id, recommendation id, text,
#: countries, concepts, source, status, mapping
Record = tuple[str, str, str, tuple[str, ...], tuple[str, ...], Source, str, str]
#: report id -> (title and alternative titles, (start, stop) spans of its rows in the index)
ReportTable = dict[str, tuple[tuple[str, ...], tuple[int, ...]]]


def _record(report_id: str, rec: Recommendation) -> Record:
    """The :data:`Record` of a recommendation of the report ``report_id``."""
    return (
        report_id,
        rec.id,
        rec.text,
        rec.countries,
        rec.concepts,
        rec.source,
        rec.status,
        rec.mapping,
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
        return [_record(owners[i].id, recs[i]) for i in which]

    def report_table(self) -> ReportTable:
        table: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {}
        start = 0
        for r in self._reports:
            stop = start + len(r.recommendations)
            earlier = table.get(r.id)
            spans = (start, stop) if earlier is None else (*earlier[1], start, stop)
            table[r.id] = ((r.title, *r.alt_titles), spans)  # names: the last one wins
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
        status: str,
        mapping: str,
    ) -> RecommendationRow:
        """One query row; its pillars and frameworks are derived from its concepts."""
        pillar_of = self.pillar_of
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
            status=status,
            mapping=mapping,
        )


_cached: list[tuple[KnowledgeBase, Index]] = []  # the last knowledge base queried, its index


def _index(kb: KnowledgeBase) -> Index:
    """The index of ``kb``: its own when the load cache gave it one, else built (and kept)."""
    if _cached and _cached[0][0] is kb:
        return _cached[0][1]
    index = getattr(kb, "query_index", None)  # a knowledge base from the load cache has one
    if not isinstance(index, Index):
        index = Index.build(kb)
    _cached[:] = [(kb, index)]  # holds kb, so its id cannot be reused while it is cached
    return index


# ---------------------------------------------------------------------------------------------
# Resolvers


def _did_you_mean(text: str, choices: dict[str, str]) -> str | None:
    """``did you mean 'x'?`` from ``choices`` (normalised key -> what to suggest)."""
    close = difflib.get_close_matches(_norm(text), list(choices), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(choices[c] for c in close))
    if not suggestions:
        return None
    return "did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?"


def _pick(text: str, what: str, tiers: Iterable[list[str]], describe: dict[str, str]) -> str:
    """The single candidate of the first non-empty tier; ambiguous when that tier has several."""
    for tier in tiers:
        found = list(dict.fromkeys(tier))
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(f"{f} ({describe[f]})" for f in sorted(found)[:10])
            raise AmbiguousError(f"'{text}' matches several {what}", f"one of: {listed}")
    return ""


def resolve_country(text: str) -> str:
    """The alpha-3 code of a country given by name, alpha-2 or alpha-3 code, in any case."""
    return iso.resolve(text)


def _country_code(index: Index, text: str) -> str:
    """:func:`resolve_country`, taking an alpha-3 code the data uses as it is.

    The data's codes are valid ISO 3166-1 alpha-3 (the validator checks them), and such a code
    resolves to itself; not asking pycountry saves loading its database (about 50 ms) on the
    common ``recs -c CHL``.
    """
    code = text.strip().upper()
    if len(code) == 3 and code.isascii() and code in index.by_country:
        return code
    return resolve_country(text)


def resolve_concept(kb: KnowledgeBase, text: str, level: ConceptKind | None = None) -> Concept:
    """The concept named by a qualified ``fw/id``, a bare id or a label (any case and accents).

    Tries, in order: the id; a label (any language); an alternative label; a unique part of
    an id; a unique part of a label. The first step that finds anything decides: one match is
    the answer, several raise :class:`AmbiguousError`; none raises :class:`NotFoundError` with
    a "did you mean". ``fw/text`` looks only in framework ``fw``; ``level`` restricts the
    search to pillars or elements.
    """
    index = _index(kb)
    scope, wanted = None, _norm(text)
    if "/" in text:
        prefix, _, rest = text.partition("/")
        scope, wanted = fold(prefix.strip()), _norm(rest)
        if kb.framework(scope) is None:
            hint = _did_you_mean(prefix, {_norm(f.id): f.id for f in kb.frameworks})
            raise NotFoundError(f"'{text}': there is no framework '{prefix.strip()}'", hint)
    pool = [c for c in index.concepts.values() if scope is None or c.framework == scope]
    wanted_kind = [c for c in pool if level is None or c.kind == level]
    found = _find_concepts(wanted, wanted_kind)
    describe = {c.qid: f"{c.kind} '{c.label}'" for c in pool}
    if len(found) == 1:
        return index.concepts[found[0]]
    if found:
        raise AmbiguousError(
            f"'{text}' matches several {level or 'concept'}s",
            "one of: " + _listing(found, describe),
        )
    hint = None
    if level is not None:
        other: ConceptKind = "element" if level == "pillar" else "pillar"
        others = _find_concepts(wanted, [c for c in pool if c.kind == other])
        if len(others) == 1:
            hint = f"'{others[0]}' is {'an' if other == 'element' else 'a'} {other}"
        elif others:
            hint = f"it names {other}s: {_listing(others, describe)}"
    if hint is None:
        choices: dict[str, str] = {}
        for c in wanted_kind:
            for key in (c.id, c.qid, *c.label.texts()):
                choices.setdefault(_norm(key), c.qid)
        hint = _did_you_mean(wanted, choices)
    raise NotFoundError(f"unknown {level or 'concept'} '{text}'", hint)


def _listing(qids: list[str], describe: dict[str, str]) -> str:
    return ", ".join(f"{q} ({describe[q]})" for q in sorted(qids)[:10])


def _find_concepts(wanted: str, pool: list[Concept]) -> list[str]:
    """The qualified ids of the first resolution step that finds anything (see resolve_concept)."""

    def labels(c: Concept) -> list[str]:
        return [_norm(t) for t in c.label.texts()]

    def alt_labels(c: Concept) -> list[str]:
        return [_norm(t) for alt in c.node.alt_labels for t in alt.texts()]

    tiers = (
        [c.qid for c in pool if _norm(c.id) == wanted],
        [c.qid for c in pool if wanted in labels(c)],
        [c.qid for c in pool if wanted in alt_labels(c)],
        [c.qid for c in pool if wanted and wanted in _norm(c.id)],
        [c.qid for c in pool if wanted and any(wanted in label for label in labels(c))],
    )
    return next((list(dict.fromkeys(tier)) for tier in tiers if tier), [])


def _resolve_named(text: str, what: str, items: dict[str, list[str]]) -> str:
    """An id from ``items`` (id -> [title, alt titles]) by id, title or a unique part of either."""
    wanted = _norm(text)
    tiers = (
        [i for i in items if _norm(i) == wanted],
        [i for i, names in items.items() if wanted in [_norm(n) for n in names]],
        [i for i in items if wanted and wanted in _norm(i)],
        [i for i, names in items.items() if wanted and any(wanted in _norm(n) for n in names)],
    )
    describe = {i: names[0] if names else i for i, names in items.items()}
    found = _pick(text, f"{what}s", tiers, describe)
    if found:
        return found
    choices = {_norm(k): i for i, names in items.items() for k in (i, *names)}
    raise NotFoundError(f"unknown {what} '{text}'", _did_you_mean(text, choices))


def resolve_framework(kb: KnowledgeBase, text: str) -> Framework:
    """The framework named by its id, title or alternative title, or a unique part of one.

    Like :func:`resolve_concept`, the first step that finds anything decides: exact id, exact
    title, part of an id, part of a title.
    """
    items = {f.id: [f.title, *f.alt_titles] for f in kb.frameworks}
    found = kb.framework(_resolve_named(text, "framework", items))
    assert found is not None
    return found


def resolve_report(kb: KnowledgeBase, text: str) -> Report:
    """The report named by its id, title or alternative title, or a unique part of one."""
    found = kb.report(_resolve_report_id(_index(kb), text))
    assert found is not None
    return found


def _resolve_report_id(index: Index, text: str) -> str:
    items = {r: list(names) for r, (names, _) in index.report_table().items()}
    return _resolve_named(text, "report", items)


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
    return _mapped(_index(kb), qids, relations)


def _mapped(
    index: Index, qids: Iterable[str], relations: Collection[str] = DEFAULT_RELATIONS
) -> frozenset[str]:
    def exact_closure(start: Iterable[str]) -> set[str]:
        seen = set(start)
        todo = list(seen)
        while todo:
            for other, relation in index.matches.get(todo.pop(), ()):
                if relation == "exact" and "exact" in relations and other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen

    core = exact_closure(qids)
    step = {
        other
        for qid in core
        for other, relation in index.matches.get(qid, ())
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
    ``include_mapped`` also follows crosswalks (exact and close matches, see module docs).
    Results are in report order, then the report's own order.
    """
    index = _index(kb)
    selected: set[int] | None = None

    def narrow(found: set[int]) -> None:
        nonlocal selected
        selected = found if selected is None else selected & found

    codes = [_country_code(index, c) for c in _names(countries)]
    if codes:
        narrow({i for code in codes for i in index.by_country.get(code, ())})
    report_ids = [_resolve_report_id(index, r) for r in _names(reports)]
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
    index = _index(kb)
    chosen = resolve_framework(kb, framework)
    columns = [c for c in chosen.concepts() if c.kind == level]
    hits = [_tied_to(index, _concept_targets(index, c, include_mapped)) for c in columns]
    codes = [_country_code(index, c) for c in _names(countries)]
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
    index = _index(kb)
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
    index = _index(kb)
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
        tuple(index.row(*_record(r.id, rec)) for rec in r.recommendations),
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


# ---------------------------------------------------------------------------------------------
# Search

#: Field weights of :func:`search`: a word in a title or label counts more than one in a text.
FIELD_WEIGHTS = {
    "id": 2.0,
    "title": 3.0,
    "label": 3.0,
    "text": 1.0,
    "summary": 1.0,
    "definition": 1.0,
    "description": 1.0,
}
_WORD = re.compile(r"\w+")
_SNIPPET = 100


def _documents(kb: KnowledgeBase) -> Iterable[tuple[str, str, str, str | None, dict[str, str]]]:
    """(kind, id, title, status, {field: text}) for everything search looks at."""
    for framework in kb.frameworks:
        yield (
            "framework",
            framework.id,
            framework.title,
            None,
            {
                "id": framework.id,
                "title": " ".join((framework.title, *framework.alt_titles)),
                "description": framework.description or "",
            },
        )
    for c in kb.concepts():
        node = c.node
        labels = [*c.label.texts(), *(t for alt in node.alt_labels for t in alt.texts())]
        yield (
            c.kind,
            c.qid,
            str(c.label),
            None,
            {
                "id": c.id,
                "label": " · ".join(labels),
                "definition": " ".join(node.definition.texts()) if node.definition else "",
            },
        )
    for r in kb.reports:
        yield (
            "report",
            r.id,
            r.title,
            None,
            {"id": r.id, "title": " ".join((r.title, *r.alt_titles)), "summary": r.summary or ""},
        )
        for rec in r.recommendations:
            yield "recommendation", r.qid(rec), rec.text, rec.status, {"text": rec.text}


def _snippet(text: str, terms: list[str]) -> str:
    """Whole words of ``text``, about :data:`_SNIPPET` characters, around the first match."""
    text = " ".join(text.split())
    if len(text) <= _SNIPPET:
        return text
    words = text.split(" ")

    def matches(word: str) -> bool:
        return any(fold(w).startswith(t) for w in _WORD.findall(word) for t in terms)

    first = next((i for i, word in enumerate(words) if matches(word)), 0)
    start, end = first, first + 1
    while start > 0 and len(" ".join(words[start - 1 : first + 1])) <= _SNIPPET // 3:
        start -= 1
    while end < len(words) and len(" ".join(words[start : end + 1])) <= _SNIPPET:
        end += 1
    return ("…" if start else "") + " ".join(words[start:end]) + ("…" if end < len(words) else "")


def search(kb: KnowledgeBase, query: str, limit: int | None = None) -> list[SearchHit]:
    """Ranked full-text search over recommendations, reports, frameworks and concepts.

    Words are compared folded (any case, accents ignored: ``claveunica`` finds ClaveÚnica), and
    a query word matches any word that starts with it (``ident`` finds identity). A document
    must contain every query word. Its score is the sum, over query words and fields, of the
    field's weight (:data:`FIELD_WEIGHTS`: titles and labels 3, ids 2, texts 1) times the number
    of matching words. Ties go by kind and id. ``limit`` keeps the best ``limit`` hits.
    """
    terms = list(dict.fromkeys(_WORD.findall(fold(query))))
    if not terms:
        raise UsageError("the search query has no words")
    hits = []
    for kind, ident, title, status, fields in _documents(kb):
        folded = {name: fold(value) for name, value in fields.items()}
        whole = " ".join(folded.values())
        if not all(term in whole for term in terms):
            continue  # cheap test first: a word cannot start with a term the text lacks
        score, matched, found = 0.0, [], set()
        for name, value in folded.items():
            words = _WORD.findall(value)
            field_score = 0.0
            for term in terms:
                n = sum(1 for w in words if w.startswith(term))
                if n:
                    found.add(term)
                    field_score += FIELD_WEIGHTS[name] * n
            if field_score:
                score += field_score
                matched.append(name)
        if len(found) == len(terms):
            best = max(matched, key=lambda f: FIELD_WEIGHTS[f] if f != "id" else 0)
            text = fields[best] if best != "id" else title
            hits.append(
                SearchHit(kind, ident, title, score, tuple(matched), _snippet(text, terms), status)
            )
    kinds = ("recommendation", "report", "framework", "pillar", "element")
    hits.sort(key=lambda h: (-h.score, kinds.index(h.kind), h.id))
    return hits if limit is None else hits[:limit]
