"""Query results -> JSON, CSV and Markdown text for tools."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from policykb.model import Source
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


def _plain_marked(status: str | None, text: str) -> str:
    return f"{CANDIDATE} {text}" if status == "candidate" else text


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
    "status",
    "mapping",
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
    """One CSV row per recommendation, columns as the JSON keys; the source as a citation."""
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
                r.status,
                r.mapping,
            )
            for r in rows
        ),
    )


def recommendations_markdown(rows: Iterable[RecommendationRow]) -> str:
    """A Markdown table: id, countries, recommendation (candidates marked), concepts, source."""
    return to_markdown(
        ("id", "countries", "recommendation", "concepts", "source"),
        (
            (r.id, r.countries, _plain_marked(r.status, r.text), r.concepts, cite(r.source))
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


def report_facts(r: ReportDetail) -> list[tuple[str, str]]:
    facts = [
        ("id", r.id),
        ("type", r.type),
        ("year", str(r.year or "unknown")),
        ("publisher", r.publisher),
        ("series", r.series or ""),
        ("doi", r.doi or ""),
        ("url", r.url or ""),
        ("countries", " ".join(r.countries)),
        ("compares", " ".join(r.compares)),
        ("defines", ", ".join(r.defines)),
        ("applies", ", ".join(r.applies)),
    ]
    return [(k, v) for k, v in facts if v]


def report_markdown(r: ReportDetail) -> str:
    """A Markdown heading, facts list, summary and the recommendations table."""
    lines = [f"# {r.title}", ""]
    lines += [f"- **{k}**: {v}" for k, v in report_facts(r)]
    if r.summary:
        lines += ["", r.summary]
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


_SEARCH_COLUMNS = ("score", "kind", "id", "status", "title", "fields", "snippet")


def _search_values(h: SearchHit) -> tuple[Any, ...]:
    return (f"{h.score:g}", h.kind, h.id, h.status, h.title, h.fields, h.snippet)


def search_csv(hits: Iterable[SearchHit]) -> str:
    """CSV: score, kind, id, status, title, matched fields, snippet."""
    return to_csv(_SEARCH_COLUMNS, (_search_values(h) for h in hits))


def search_markdown(hits: Iterable[SearchHit]) -> str:
    """Markdown table: score, kind, id, match (candidates marked)."""
    return to_markdown(
        ("score", "kind", "id", "match"),
        ((f"{h.score:g}", h.kind, h.id, _plain_marked(h.status, h.snippet)) for h in hits),
    )


# ---------------------------------------------------------------------------------------------
# Coverage


def short_id(qid: str) -> str:
    return qid.split("/", 1)[1]


def coverage_csv(c: Coverage) -> str:
    """CSV: a country column, then one column per concept (qualified id)."""
    return to_csv(("country", *c.columns), ((row.country, *row.counts) for row in c.rows))


def coverage_markdown(c: Coverage) -> str:
    """Markdown table: country, then one column per concept id."""
    return to_markdown(
        ("country", *(short_id(q) for q in c.columns)),
        ((row.country, *row.counts) for row in c.rows),
    )


# ---------------------------------------------------------------------------------------------
# Related recommendations


_RELATED_COLUMNS = ("id", "report", "score", "shared", "mapped", "countries", "status", "text")


def _related_values(r: RelatedRecommendation) -> tuple[Any, ...]:
    return (r.id, r.report, r.score, r.shared, r.mapped, r.countries, r.status, r.text)


def related_csv(rows: Iterable[RelatedRecommendation]) -> str:
    """CSV: id, report, score, shared and mapped concepts, countries, status, text."""
    return to_csv(_RELATED_COLUMNS, (_related_values(r) for r in rows))


def related_markdown(rows: Iterable[RelatedRecommendation]) -> str:
    """Markdown table: score, id, recommendation (candidates marked), shared, via crosswalk."""
    return to_markdown(
        ("score", "id", "recommendation", "shared", "via crosswalk"),
        ((r.score, r.id, _plain_marked(r.status, r.text), r.shared, r.mapped) for r in rows),
    )
