"""Query results -> rich tables and trees for people, and JSON, CSV and Markdown text for tools.

Terminal renderables are built from :class:`rich.text.Text`, never from markup strings, so
data such as ``[candidate]`` or ``[1]`` prints as written. CSV has a header row, one row per
item and lists joined with ``"; "``; Markdown is GitHub-flavoured. Candidate recommendations
are marked in every form: ``[candidate]`` before the text in tables and Markdown, the
``status`` column in CSV and JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from policykb import countries as iso
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
#: Background ramp of the coverage heat map, lightest to darkest (a colour-blind-safe blue scale).
HEAT = ("black on #deebf7", "black on #9ecae1", "white on #4292c6", "bold white on #08519c")


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


def _table(*columns: str, title: str | None = None, **options: Any) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        title=title,
        title_justify="left",
        title_style="bold",
        header_style="bold",
        pad_edge=False,
        **options,
    )
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _marked(status: str | None, text: str) -> Text:
    """``text``, preceded by a visible ``[candidate]`` when it is a candidate recommendation."""
    result = Text()
    if status == "candidate":
        result.append(CANDIDATE, style="bold yellow")
        result.append(" ")
    result.append(text)
    return result


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


def _recommendation_table(rows: Iterable[RecommendationRow], title: str | None) -> Table:
    table = _table(title=title, leading=1)
    table.add_column("#", no_wrap=True)
    table.add_column("to", max_width=11)
    table.add_column("recommendation", ratio=1, overflow="fold")
    for r in rows:
        cell = _marked(r.status, r.text)
        cell.append("\n")
        cell.append(" · ".join(r.concepts), style="dim")
        where = cite(r.source)
        if where:
            cell.append(f" · {where}", style="dim")
        table.add_row(r.id.removeprefix(f"{r.report}/"), " ".join(r.countries), cell)
    return table


def recommendations_table(rows: Sequence[RecommendationRow]) -> RenderableType:
    """One wrapped table per report: short id, countries, text with its concepts and source."""
    tables = [
        _recommendation_table(list(group), report)
        for report, group in groupby(rows, key=lambda r: r.report)
    ]
    candidates = sum(1 for r in rows if r.status == "candidate")
    summary = f"{len(rows)} recommendation{'s' if len(rows) != 1 else ''}"
    if candidates:
        summary += f" ({candidates} candidate{'s' if candidates != 1 else ''})"
    return Group(*tables, Text(summary, style="dim"))


# ---------------------------------------------------------------------------------------------
# Countries, frameworks, reports, stats


def countries_table(rows: Sequence[CountrySummary]) -> RenderableType:
    """Code, name, numbers of reports and recommendations."""
    table = _table("code", "country", "reports", "recommendations")
    for column in table.columns[2:]:
        column.justify = "right"
    for c in rows:
        table.add_row(c.code, Text(c.name), str(c.reports), str(c.recommendations))
    return table


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


def _element_count(f: FrameworkOutline) -> int:
    return sum(len(p.elements) for p in f.pillars)


def frameworks_table(rows: Sequence[FrameworkOutline]) -> RenderableType:
    """Each framework's title (id underneath) and its numbers of pillars and elements."""
    table = _table("framework", "pillars", "elements", leading=1)
    table.columns[0].ratio = 1
    for column in table.columns[1:]:
        column.justify = "right"
    for f in rows:
        cell = Text(f.title)
        cell.append(f"\n{f.id}", style="dim")
        table.add_row(cell, str(len(f.pillars)), str(_element_count(f)))
    return table


def frameworks_csv(rows: Iterable[FrameworkOutline]) -> str:
    """CSV: id, title, pillar ids, number of elements."""
    return to_csv(
        ("id", "title", "pillars", "elements"),
        ((f.id, f.title, [p.id for p in f.pillars], _element_count(f)) for f in rows),
    )


def frameworks_markdown(rows: Iterable[FrameworkOutline]) -> str:
    """Markdown table: id, title, pillars, elements."""
    return to_markdown(
        ("id", "title", "pillars", "elements"),
        ((f.id, f.title, len(f.pillars), _element_count(f)) for f in rows),
    )


def framework_tree(f: FrameworkOutline) -> RenderableType:
    """The framework as a tree: pillars, then their elements, each with its id in the framework."""
    tree = Tree(Text.assemble((f.title, "bold"), " ", (f.id, "dim")))
    for p in f.pillars:
        branch = tree.add(Text.assemble((p.label, "bold"), " ", (f"({p.id})", "dim")))
        for e in p.elements:
            branch.add(Text.assemble(e.label, " ", (f"({e.id})", "dim")))
    return tree


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


def _recs_count(r: ReportSummary) -> str:
    return f"{r.recommendations} ({r.candidates} cand.)" if r.candidates else str(r.recommendations)


def reports_table(rows: Sequence[ReportSummary]) -> RenderableType:
    """Year, countries, title (id underneath) and number of recommendations (candidates apart)."""
    table = _table("year", "countries", "report", "recs", leading=1)
    table.columns[1].max_width = 11
    table.columns[2].ratio = 1
    table.columns[3].justify = "right"
    table.columns[3].no_wrap = True
    for r in rows:
        cell = Text(r.title)
        cell.append(f"\n{r.id}", style="dim")
        table.add_row(str(r.year or "–"), " ".join(r.countries), cell, _recs_count(r))
    return table


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


def _report_facts(r: ReportDetail) -> list[tuple[str, str]]:
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


def report_view(r: ReportDetail) -> RenderableType:
    """The report's facts and summary, then its recommendations table."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column(overflow="fold")
    for key, value in _report_facts(r):
        facts.add_row(key, Text(value))
    parts: list[RenderableType] = [Text(r.title, style="bold"), facts]
    if r.summary:
        parts += [Text(""), Text(r.summary)]
    parts.append(Text(""))
    if r.recommendations:
        parts.append(recommendations_table(r.recommendations))
    else:
        parts.append(Text("no recommendations recorded", style="dim"))
    return Group(*parts)


def report_markdown(r: ReportDetail) -> str:
    """A Markdown heading, facts list, summary and the recommendations table."""
    lines = [f"# {r.title}", ""]
    lines += [f"- **{k}**: {v}" for k, v in _report_facts(r)]
    if r.summary:
        lines += ["", r.summary]
    text = "\n".join(lines) + "\n"
    if r.recommendations:
        text += "\n" + recommendations_markdown(r.recommendations)
    return text


def stats_table(s: Stats) -> RenderableType:
    """Each kind of thing and how many there are."""
    table = _table("thing", "count")
    table.columns[1].justify = "right"
    for key, value in as_dict(s).items():
        table.add_row(key, str(value))
    return table


def stats_csv(s: Stats) -> str:
    """CSV with one header row of the kinds and one row of counts."""
    values = as_dict(s)
    return to_csv(list(values), [list(values.values())])


def stats_markdown(s: Stats) -> str:
    """Markdown table: thing, count."""
    return to_markdown(("thing", "count"), as_dict(s).items())


# ---------------------------------------------------------------------------------------------
# Search


def search_table(hits: Sequence[SearchHit]) -> RenderableType:
    """Score, kind, and a snippet of the best-matching field with the id underneath."""
    table = _table("score", "kind", "match", leading=1)
    table.columns[0].justify = "right"
    table.columns[2].ratio = 1
    for h in hits:
        cell = _marked(h.status, h.snippet)
        cell.append(f"\n{h.id}", style="dim")
        table.add_row(f"{h.score:g}", h.kind, cell)
    return table


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


def _short(qid: str) -> str:
    return qid.split("/", 1)[1]


def heat_style(count: int, highest: int) -> str:
    """The cell style of ``count`` on a ramp up to ``highest`` (no style for zero)."""
    if count <= 0 or highest <= 0:
        return ""
    return HEAT[min(len(HEAT) - 1, (count * len(HEAT) - 1) // highest)]


def coverage_table(c: Coverage, width: int = 80) -> RenderableType:
    """A heat map: countries down, concepts across, cells shaded by count (``·`` for none).

    Column headers are the concepts' ids when they fit in ``width``, else numbers with a
    legend underneath.
    """
    names = {row.country: iso.name(row.country) for row in c.rows}
    first = max([len("country"), *(len(f"{k} {v}") for k, v in names.items())])
    short = [_short(q) for q in c.columns]
    numbered = first + sum(len(s) + 3 for s in short) > width
    headers = [str(i) for i in range(1, len(short) + 1)] if numbered else short
    title = Text(f"Recommendations per country and {c.level} of {c.framework}", style="bold")
    table = _table()
    note = Text(
        "· none" + ("; a pillar counts its elements too" if c.level == "pillar" else ""),
        style="dim",
    )
    table.add_column("country", no_wrap=True)
    for header in headers:
        table.add_column(header, justify="center", overflow="fold")
    highest = max((n for row in c.rows for n in row.counts), default=0)
    for row in c.rows:
        cells = [
            Text(str(n) if n else "·", style=heat_style(n, highest) or "dim", justify="center")
            for n in row.counts
        ]
        table.add_row(Text(f"{row.country} {names[row.country]}"), *cells)
    if not numbered:
        return Group(title, table, note)
    legend = Text(
        "\n".join(f"{i:>3}  {_short(q)}" for i, q in enumerate(c.columns, start=1)), style="dim"
    )
    return Group(title, table, legend, note)


def coverage_csv(c: Coverage) -> str:
    """CSV: a country column, then one column per concept (qualified id)."""
    return to_csv(("country", *c.columns), ((row.country, *row.counts) for row in c.rows))


def coverage_markdown(c: Coverage) -> str:
    """Markdown table: country, then one column per concept id."""
    return to_markdown(
        ("country", *(_short(q) for q in c.columns)), ((row.country, *row.counts) for row in c.rows)
    )


# ---------------------------------------------------------------------------------------------
# Related recommendations


def related_table(rows: Sequence[RelatedRecommendation]) -> RenderableType:
    """Score, countries, and the text with its id and the concepts that relate it."""
    table = _table("score", "to", "recommendation", leading=1)
    table.columns[0].justify = "right"
    table.columns[1].max_width = 11
    table.columns[2].ratio = 1
    for r in rows:
        cell = _marked(r.status, r.text)
        cell.append(f"\n{r.id}", style="dim")
        cell.append(" · shares " + ", ".join(r.shared) if r.shared else "", style="dim")
        cell.append(" · via crosswalk " + ", ".join(r.mapped) if r.mapped else "", style="dim")
        table.add_row(str(r.score), " ".join(r.countries), cell)
    return table


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
