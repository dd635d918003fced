"""Query results -> rich tables and trees for people, the coverage heat map among them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from policykb import countries as iso
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
from policykb.render.text import CANDIDATE, cite, element_count, report_facts, short_id

if TYPE_CHECKING:
    from policykb.query.graph import RelatedRecommendation  # imports networkx: only for typing

#: Background ramp of the coverage heat map, lightest to darkest (a colour-blind-safe blue scale).
HEAT = ("black on #deebf7", "black on #9ecae1", "white on #4292c6", "bold white on #08519c")


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


# ---------------------------------------------------------------------------------------------
# Recommendations


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


def frameworks_table(rows: Sequence[FrameworkOutline]) -> RenderableType:
    """Each framework's title (id underneath) and its numbers of pillars and elements."""
    table = _table("framework", "pillars", "elements", leading=1)
    table.columns[0].ratio = 1
    for column in table.columns[1:]:
        column.justify = "right"
    for f in rows:
        cell = Text(f.title)
        cell.append(f"\n{f.id}", style="dim")
        table.add_row(cell, str(len(f.pillars)), str(element_count(f)))
    return table


def framework_tree(f: FrameworkOutline) -> RenderableType:
    """The framework as a tree: pillars, then their elements, each with its id in the framework."""
    tree = Tree(Text.assemble((f.title, "bold"), " ", (f.id, "dim")))
    for p in f.pillars:
        branch = tree.add(Text.assemble((p.label, "bold"), " ", (f"({p.id})", "dim")))
        for e in p.elements:
            branch.add(Text.assemble(e.label, " ", (f"({e.id})", "dim")))
    return tree


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


def report_view(r: ReportDetail) -> RenderableType:
    """The report's facts and summary, then its recommendations table."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column(overflow="fold")
    for key, value in report_facts(r):
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


def stats_table(s: Stats) -> RenderableType:
    """Each kind of thing and how many there are."""
    table = _table("thing", "count")
    table.columns[1].justify = "right"
    for key, value in as_dict(s).items():
        table.add_row(key, str(value))
    return table


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


# ---------------------------------------------------------------------------------------------
# Coverage


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
    short = [short_id(q) for q in c.columns]
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
        "\n".join(f"{i:>3}  {short_id(q)}" for i, q in enumerate(c.columns, start=1)), style="dim"
    )
    return Group(title, table, legend, note)


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
