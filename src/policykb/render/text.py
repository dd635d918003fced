"""Query results -> JSON, CSV and Markdown text for tools."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from policykb.model import Contributor, Source
from policykb.query import (
    CountrySummary,
    Coverage,
    FrameworkOutline,
    RecommendationRow,
    ReportDetail,
    ReportSummary,
    SearchHit,
    Stats,
    as_dict,
)

if TYPE_CHECKING:
    from policykb.query.graph import RelatedRecommendation  # imports networkx: only for typing

CANDIDATE = "[candidate]"


def grade_mark(grade: str | None) -> str:
    """The visible mark of a grade other than listed: ``[summary]``, ``[secondary]``,
    ``[candidate]``; empty for a listed recommendation (and for things without a grade)."""
    return "" if grade in (None, "listed") else f"[{grade}]"


# ---------------------------------------------------------------------------------------------
# Generic writers


def to_json(result: Any) -> str:
    """The JSON text of a result (what :func:`policykb.query.as_dict` gives), indented."""
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(map(str, value))
    return str(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text with a header row; list values joined with ``"; "``, ``None`` as empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def _md(value: Any) -> str:
    return _cell(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table (pipes escaped, lists joined with ``"; "``)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_md(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _plain_marked(grade: str | None, text: str) -> str:
    mark = grade_mark(grade)
    return f"{mark} {text}" if mark else text


# ---------------------------------------------------------------------------------------------
# Recommendations


RECOMMENDATION_COLUMNS = (
    "id",
    "report",
    "text",
    "countries",
    "concepts",
    "pillars",
    "frameworks",
    "source",
    "grade",
    "mapping",
    "report_title",
    "report_year",
    "actors",
    "concept_labels",
)


def cite(source: Source) -> str:
    """A short place in the source, without the report id (``3, p. 101``; ``Conclusions``)."""
    parts = [p for p in (source.chapter, source.section) if p]
    if source.page:
        parts.append(f"p. {source.page}")
    if not parts and source.url:
        parts.append(source.url)
    return ", ".join(parts)


def recommendations_csv(rows: Iterable[RecommendationRow]) -> str:
    """One CSV row per recommendation, columns as the JSON keys; the source as a citation.

    ``concept_labels`` holds the concepts' labels in the order of ``concepts`` (ids and labels
    apart, so either column can be split on ``"; "``).
    """
    return to_csv(
        RECOMMENDATION_COLUMNS,
        (
            (
                r.id,
                r.report,
                r.text,
                r.countries,
                r.concepts,
                r.pillars,
                r.frameworks,
                r.source.describe(),
                r.grade,
                r.mapping,
                r.report_title,
                r.report_year,
                r.actors,
                r.concept_labels,
            )
            for r in rows
        ),
    )


def labelled_concepts(r: RecommendationRow) -> list[str]:
    """Each concept of ``r`` as ``framework/id (Label)`` (the id alone when it has no label)."""
    labels = dict(zip(r.concepts, r.concept_labels, strict=False))
    return [f"{q} ({labels[q]})" if labels.get(q, q) != q else q for q in r.concepts]


def recommendations_markdown(rows: Iterable[RecommendationRow]) -> str:
    """A Markdown table: id, report title, year, countries, recommendation (candidates marked),
    concepts as ``framework/id (Label)``, actors, source."""
    return to_markdown(
        ("id", "report", "year", "countries", "recommendation", "concepts", "actors", "source"),
        (
            (
                r.id,
                r.report_title,
                r.report_year,
                r.countries,
                _plain_marked(r.grade, r.text),
                labelled_concepts(r),
                r.actors,
                cite(r.source),
            )
            for r in rows
        ),
    )


# ---------------------------------------------------------------------------------------------
# Countries, frameworks, reports, stats


def countries_csv(rows: Iterable[CountrySummary]) -> str:
    """CSV: code, name, reports, recommendations."""
    return to_csv(
        ("code", "name", "reports", "recommendations"),
        ((c.code, c.name, c.reports, c.recommendations) for c in rows),
    )


def countries_markdown(rows: Iterable[CountrySummary]) -> str:
    """Markdown table: code, name, reports, recommendations."""
    return to_markdown(
        ("code", "name", "reports", "recommendations"),
        ((c.code, c.name, c.reports, c.recommendations) for c in rows),
    )


def element_count(f: FrameworkOutline) -> int:
    return sum(len(p.elements) for p in f.pillars)


def frameworks_csv(rows: Iterable[FrameworkOutline]) -> str:
    """CSV: id, title, pillar ids, number of elements."""
    return to_csv(
        ("id", "title", "pillars", "elements"),
        ((f.id, f.title, [p.id for p in f.pillars], element_count(f)) for f in rows),
    )


def frameworks_markdown(rows: Iterable[FrameworkOutline]) -> str:
    """Markdown table: id, title, pillars, elements."""
    return to_markdown(
        ("id", "title", "pillars", "elements"),
        ((f.id, f.title, len(f.pillars), element_count(f)) for f in rows),
    )


def framework_csv(f: FrameworkOutline) -> str:
    """CSV, one row per element (a pillar without elements gets one row)."""
    rows: list[tuple[str, str, str, str | None, str | None]] = [
        (f.id, p.id, p.label, e.id, e.label) for p in f.pillars for e in p.elements
    ]
    rows += [(f.id, p.id, p.label, None, None) for p in f.pillars if not p.elements]
    order = {p.id: i for i, p in enumerate(f.pillars)}
    rows.sort(key=lambda r: order[r[1]])  # stable: elements keep their order
    return to_csv(("framework", "pillar", "pillar_label", "element", "element_label"), rows)


def framework_markdown(f: FrameworkOutline) -> str:
    """A Markdown heading and nested list of pillars and elements."""
    lines = [f"# {f.title} (`{f.id}`)", ""]
    for p in f.pillars:
        lines.append(f"- **{p.label}** (`{f.id}/{p.id}`)")
        lines += [f"  - {e.label} (`{f.id}/{e.id}`)" for e in p.elements]
    return "\n".join(lines) + "\n"


_REPORT_COLUMNS = (
    "id",
    "title",
    "type",
    "year",
    "publisher",
    "countries",
    "recommendations",
    "candidates",
)


def _report_values(r: ReportSummary) -> tuple[Any, ...]:
    return (
        r.id,
        r.title,
        r.type,
        r.year,
        r.publisher,
        r.countries,
        r.recommendations,
        r.candidates,
    )


def reports_csv(rows: Iterable[ReportSummary]) -> str:
    """CSV: id, title, type, year, publisher, countries, recommendations, candidates."""
    return to_csv(_REPORT_COLUMNS, (_report_values(r) for r in rows))


def reports_markdown(rows: Iterable[ReportSummary]) -> str:
    """Markdown table of the same columns as :func:`reports_csv`."""
    return to_markdown(_REPORT_COLUMNS, (_report_values(r) for r in rows))


#: Facts of :func:`report_facts` whose values are ids, codes or URLs (shown whole).
WHOLE_FACTS = frozenset({"id", "doi", "url", "countries", "compares", "defines", "applies"})
_DOI = re.compile(r"\b10\.\d{4,9}/[^\s,;()]+")


def _contributor(c: Contributor) -> str:
    about = ", ".join(p for p in (c.role, c.affiliation) if p)
    return f"{c.name} ({about})" if about else c.name


def report_facts(r: ReportDetail) -> list[tuple[str, tuple[str, ...], str]]:
    """The report's facts as ``(key, values, joiner)``, those without a value left out."""
    publisher = f"{r.publisher_name} ({r.publisher})" if r.publisher_name else r.publisher
    facts: list[tuple[str, tuple[str, ...], str]] = [
        ("id", (r.id,), ""),
        ("type", (r.type,), ""),
        ("year", (str(r.year or "unknown"),), ""),
        ("publisher", (publisher,), ""),
        ("contributors", tuple(_contributor(c) for c in r.contributors), "; "),
        ("series", (r.series,) if r.series else (), ""),
        ("doi", (r.doi,) if r.doi else (), ""),
        ("url", (r.url,) if r.url else (), ""),
        ("countries", r.countries, " "),
        ("compares", r.compares, " "),
        ("defines", r.defines, ", "),
        ("applies", r.applies, ", "),
    ]
    return [(k, v, j) for k, v, j in facts if v]


def doi_caveats(r: ReportDetail) -> tuple[str, ...]:
    """The gaps and notes that speak of the report's DOI (say it is unverified, inferred, …).

    A text counts when it holds the DOI itself, or the word DOI and no other DOI (a note citing
    another publication's DOI does not).
    """
    if not r.doi:
        return ()
    found = []
    for text in (*r.gaps, *r.notes):
        others = {d.rstrip(".") for d in _DOI.findall(text)} - {r.doi}
        if r.doi in text or (re.search(r"\bDOI\b", text, re.IGNORECASE) and not others):
            found.append(text)
    return tuple(found)


def report_markdown(r: ReportDetail) -> str:
    """A Markdown heading, facts list (the DOI's caveats under it), summary, gaps, notes and the
    recommendations table."""
    lines = [f"# {r.title}", ""]
    for key, values, joiner in report_facts(r):
        shown = [f"`{v}`" if key in ("id", "doi") else v for v in values]
        lines.append(f"- **{key}**: {(joiner or ' ').join(shown)}")
        if key == "doi":
            lines += [f"  - ⚠ {caveat}" for caveat in doi_caveats(r)]
    if r.summary:
        lines += ["", r.summary]
    for heading, notes in (("Gaps (what the sources do not say)", r.gaps), ("Notes", r.notes)):
        if notes:
            lines += ["", f"## {heading}", "", *(f"- {note}" for note in notes)]
    text = "\n".join(lines) + "\n"
    if r.recommendations:
        text += "\n" + recommendations_markdown(r.recommendations)
    return text


def stats_csv(s: Stats) -> str:
    """CSV with one header row of the kinds and one row of counts."""
    values = as_dict(s)
    return to_csv(list(values), [list(values.values())])


def stats_markdown(s: Stats) -> str:
    """Markdown table: thing, count."""
    return to_markdown(("thing", "count"), as_dict(s).items())


# ---------------------------------------------------------------------------------------------
# Search


_SEARCH_COLUMNS = ("score", "kind", "id", "grade", "title", "fields", "snippet")


def _search_values(h: SearchHit) -> tuple[Any, ...]:
    return (f"{h.score:g}", h.kind, h.id, h.grade, h.title, h.fields, h.snippet)


def search_csv(hits: Iterable[SearchHit]) -> str:
    """CSV: score, kind, id, grade, title, matched fields, snippet."""
    return to_csv(_SEARCH_COLUMNS, (_search_values(h) for h in hits))


def search_markdown(hits: Iterable[SearchHit]) -> str:
    """Markdown table: score, kind, id, match (candidates marked)."""
    return to_markdown(
        ("score", "kind", "id", "match"),
        ((f"{h.score:g}", h.kind, h.id, _plain_marked(h.grade, h.snippet)) for h in hits),
    )


# ---------------------------------------------------------------------------------------------
# Coverage


def short_id(qid: str) -> str:
    return qid.split("/", 1)[1]


def coverage_csv(c: Coverage) -> str:
    """CSV: a country column, one column per concept (qualified id), then the row's total."""
    return to_csv(
        ("country", *c.columns, "total"), ((row.country, *row.counts, row.total) for row in c.rows)
    )


def coverage_markdown(c: Coverage) -> str:
    """Markdown table: country, one column per concept (notation and id), total; a total row.

    Totals count each recommendation once, however many cells of its row or column it is in.
    """
    notations = c.notations if len(c.notations) == len(c.columns) else [None] * len(c.columns)
    headers = [
        f"{n} {short_id(q)}" if n else short_id(q)
        for n, q in zip(notations, c.columns, strict=True)
    ]
    rows: list[tuple[Any, ...]] = [(row.country, *row.counts, row.total) for row in c.rows]
    if c.rows and len(c.totals) == len(c.columns):
        rows.append(("total", *c.totals, c.total))
    return to_markdown(("country", *headers, "total"), rows)


# ---------------------------------------------------------------------------------------------
# Related recommendations


_RELATED_COLUMNS = ("id", "report", "score", "shared", "mapped", "countries", "grade", "text")


def _related_values(r: RelatedRecommendation) -> tuple[Any, ...]:
    return (r.id, r.report, r.score, r.shared, r.mapped, r.countries, r.grade, r.text)


def related_csv(rows: Iterable[RelatedRecommendation]) -> str:
    """CSV: id, report, score, shared and mapped concepts, countries, grade, text."""
    return to_csv(_RELATED_COLUMNS, (_related_values(r) for r in rows))


def related_markdown(rows: Iterable[RelatedRecommendation]) -> str:
    """Markdown table: score, id, recommendation (candidates marked), shared, via crosswalk."""
    return to_markdown(
        ("score", "id", "recommendation", "shared", "via crosswalk"),
        ((r.score, r.id, _plain_marked(r.grade, r.text), r.shared, r.mapped) for r in rows),
    )
