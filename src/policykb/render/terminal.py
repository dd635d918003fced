"""Query results -> rich tables and trees for people, the coverage heat map among them.

Tables never split an id, a URL or a number: the listings of :mod:`policykb.render.layout`
keep ids and URLs whole (on a line of their own when longer than their cell), numbers sit in
columns as wide as their widest value, and the coverage heat map narrows itself (numbered
headers, codes for names, then several tables) rather than fold a header. Print them with
``crop=False`` so that an id wider than the console is not cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
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
from policykb.render.layout import Column, Listing, Piece, Row, id_pieces
from policykb.render.text import (
    WHOLE_FACTS,
    cite,
    doi_caveats,
    element_count,
    grade_mark,
    report_facts,
    short_id,
)

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


def _id(text: str) -> Text:
    """An id on a line of its own: never wrapped, never cut."""
    return Text(text, no_wrap=True, overflow="ignore")


def _marked(grade: str | None, text: str) -> Text:
    """``text``, preceded by its grade's mark unless it is listed (``[candidate]`` …)."""
    result = Text()
    mark = grade_mark(grade)
    if mark:
        result.append(mark, style="bold yellow" if grade == "candidate" else "yellow")
        result.append(" ")
    result.append(text)
    return result


# ---------------------------------------------------------------------------------------------
# Recommendations


#: The columns of a recommendations table: short id, countries, the text with its pieces.
_RECOMMENDATION_COLUMNS = (
    Column("#"),
    Column("to", max_width=11),
    Column("recommendation", wide=True),
)


def _source_piece(r: RecommendationRow) -> tuple[Piece, ...]:
    """Where in the source: a URL is kept whole, a chapter or section wraps like text."""
    where = cite(r.source)
    if not where:
        return ()
    return (Piece(Text(where, style="dim"), whole=where == r.source.url),)


def _recommendation_table(rows: Iterable[RecommendationRow], title: str | None) -> RenderableType:
    listing = Listing(
        _RECOMMENDATION_COLUMNS,
        [
            Row(
                (
                    Text(r.id.removeprefix(f"{r.report}/")),
                    Text(" ".join(r.countries)),
                    _marked(r.grade, r.text),
                ),
                id_pieces(r.concepts) + _source_piece(r),
            )
            for r in rows
        ],
    )
    if title is None:
        return listing
    heading = _id(title)
    heading.stylize("bold")
    return Group(heading, listing)


def _report_heading(r: RecommendationRow) -> RenderableType:
    """A group's heading: the report's title and year (wrapped), its id underneath (whole)."""
    year = f" ({r.report_year})" if r.report_year else ""
    ident = _id(r.report)
    ident.stylize("dim")
    return Group(Text(f"{r.report_title or r.report}{year}", style="bold"), ident)


def recommendations_table(rows: Sequence[RecommendationRow]) -> RenderableType:
    """One wrapped table per run of a report's recommendations, headed by the report's title,
    year and id: short id, countries, text with its concepts and source."""
    tables: list[RenderableType] = []
    for _, group in groupby(rows, key=lambda r: r.report):
        members = list(group)
        tables.append(
            Group(_report_heading(members[0]), _recommendation_table(members, None), Text(""))
        )
    return Group(*tables, _count_line(rows))


def _count_line(rows: Sequence[RecommendationRow]) -> Text:
    """``N recommendations (k candidates)``."""
    candidates = sum(1 for r in rows if r.grade == "candidate")
    summary = f"{len(rows)} recommendation{'s' if len(rows) != 1 else ''}"
    if candidates:
        summary += f" ({candidates} candidate{'s' if candidates != 1 else ''})"
    return Text(summary, style="dim")


# ---------------------------------------------------------------------------------------------
# Countries, frameworks, reports, stats


def countries_table(rows: Sequence[CountrySummary]) -> RenderableType:
    """Code, name, numbers of reports and recommendations."""
    table = _table("code", "country", "reports", "recommendations")
    for column in (table.columns[0], *table.columns[2:]):
        column.no_wrap = True
    for column in table.columns[2:]:
        column.justify = "right"
    for c in rows:
        table.add_row(c.code, Text(c.name), str(c.reports), str(c.recommendations))
    return table


def frameworks_table(rows: Sequence[FrameworkOutline]) -> RenderableType:
    """Each framework's title (id underneath) and its numbers of pillars and elements."""
    columns = (
        Column("framework", wide=True),
        Column("pillars", justify="right"),
        Column("elements", justify="right"),
    )
    return Listing(
        columns,
        [
            Row(
                (Text(f.title), Text(str(len(f.pillars))), Text(str(element_count(f)))),
                id_pieces([f.id]),
            )
            for f in rows
        ],
    )


def _concept(label: str, concept_id: str, notation: str | None, inferred: bool, style: str) -> Text:
    text = Text.assemble((f"{notation} " if notation else "", style), (label, style), " ")
    text.append(f"({concept_id})", style="dim")
    if inferred:
        text.append(" inferred", style="dim italic")
    return text


def framework_tree(f: FrameworkOutline) -> RenderableType:
    """The framework as a tree: pillars, then their elements, each with the source's numbering
    and its id in the framework; concepts that are our reading of the source say "inferred"."""
    tree = Tree(Text.assemble((f.title, "bold"), " ", (f.id, "dim")))
    if f.uses and not f.pillars:
        tree.add(Text(f"its dimensions are the concepts of {f.uses}", style="dim"))
    for p in f.pillars:
        branch = tree.add(_concept(p.label, p.id, p.notation, p.inferred, "bold"))
        for e in p.elements:
            branch.add(_concept(e.label, e.id, e.notation, e.inferred, ""))
    return tree


def _recs_count(r: ReportSummary) -> str:
    return f"{r.recommendations} ({r.candidates} cand.)" if r.candidates else str(r.recommendations)


def reports_table(rows: Sequence[ReportSummary]) -> RenderableType:
    """Year, countries, title (id underneath) and number of recommendations (candidates apart)."""
    columns = (
        Column("year"),
        Column("countries", max_width=11),
        Column("report", wide=True),
        Column("recs", justify="right"),
    )
    return Listing(
        columns,
        [
            Row(
                (
                    Text(str(r.year or "–")),
                    Text(" ".join(r.countries)),
                    Text(r.title),
                    Text(_recs_count(r)),
                ),
                id_pieces([r.id]),
            )
            for r in rows
        ],
    )


def _paragraph(text: str) -> RenderableType:
    """Prose wrapped at its spaces; a URL in it stays whole."""
    return Listing((Column("", wide=True),), [Row((Text(text),))], header=False, leading=0)


def _notes(title: str, notes: Sequence[str]) -> list[RenderableType]:
    """A heading and a bulleted list, wrapped under its bullets."""
    if not notes:
        return []
    listing = Listing(
        (Column("", justify="right"), Column("", wide=True)),
        [Row((Text("-", style="dim"), Text(note))) for note in notes],
        header=False,
        leading=0,
        gap=1,
    )
    return [Text(""), Text(title, style="bold"), listing]


def report_view(r: ReportDetail) -> RenderableType:
    """The report's facts (an unverified DOI flagged right under it), summary, gaps and notes,
    then its recommendations table."""
    rows = []
    for key, values, joiner in report_facts(r):
        if key in WHOLE_FACTS:
            rows.append(Row((Text(key, style="dim"), Text()), id_pieces(values, joiner)))
        else:
            rows.append(Row((Text(key, style="dim"), Text(joiner.join(values)))))
        if key == "doi":
            rows += [
                Row((Text(), Text(f"⚠ {caveat}", style="yellow"))) for caveat in doi_caveats(r)
            ]
    facts = Listing(
        (Column("key"), Column("value", wide=True)), rows, header=False, leading=0, gap=2
    )
    parts: list[RenderableType] = [Text(r.title, style="bold"), facts]
    if r.summary:
        parts += [Text(""), _paragraph(r.summary)]
    parts += _notes("Gaps (what the sources do not say)", r.gaps)
    parts += _notes("Notes", r.notes)
    parts.append(Text(""))
    if r.recommendations:  # under a plain heading: the title and id are at the top already
        recs = list(r.recommendations)
        parts += [Text("Recommendations", style="bold"), _recommendation_table(recs, None)]
        parts += [Text(""), _count_line(recs)]
    else:
        parts.append(Text("no recommendations recorded", style="dim"))
    return Group(*parts)


def stats_table(s: Stats) -> RenderableType:
    """Each kind of thing and how many there are."""
    table = _table("thing", "count")
    table.columns[1].justify = "right"
    table.columns[1].no_wrap = True
    for key, value in as_dict(s).items():
        table.add_row(key, str(value))
    return table


# ---------------------------------------------------------------------------------------------
# Search


def search_table(hits: Sequence[SearchHit]) -> RenderableType:
    """Score, kind, and a snippet of the best-matching field with the id underneath."""
    columns = (Column("score", justify="right"), Column("kind"), Column("match", wide=True))
    return Listing(
        columns,
        [
            Row(
                (Text(f"{h.score:g}"), Text(h.kind), _marked(h.grade, h.snippet)), id_pieces([h.id])
            )
            for h in hits
        ],
    )


# ---------------------------------------------------------------------------------------------
# Coverage


def heat_style(count: int, highest: int) -> str:
    """The cell style of ``count`` on a ramp up to ``highest`` (no style for zero)."""
    if count <= 0 or highest <= 0:
        return ""
    return HEAT[min(len(HEAT) - 1, (count * len(HEAT) - 1) // highest)]


def coverage_table(c: Coverage, width: int | None = None) -> RenderableType:
    """A heat map: countries down, concepts across, cells shaded by count (``·`` for none),
    with totals that count each recommendation once.

    Column headers are the concepts' ids when they fit in ``width`` (default: the console's),
    else the framework's notation (1.1) or numbers, with a legend of labels and ids; then
    country codes without names; then several tables of fewer columns. A header or a number
    is never split.
    """
    return _CoverageTable(c, width)


class _CoverageTable:
    """The coverage heat map, laid out when the console's width is known."""

    def __init__(self, coverage: Coverage, width: int | None) -> None:
        self.coverage = coverage
        self.width = width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        c = self.coverage
        width = self.width or options.max_width
        names = {row.country: f"{row.country} {iso.name(row.country)}" for row in c.rows}
        numbers = [str(n) for row in c.rows for n in (*row.counts, row.total)]
        numbers += [str(n) for n in (*c.totals, c.total)]
        digits = max(map(len, numbers), default=1)
        notations = c.notations if len(c.notations) == len(c.columns) else ()
        short = (
            [str(n) for n in notations]
            if notations and all(notations)
            else [str(i) for i in range(1, len(c.columns) + 1)]
        )
        total_row = "total"
        # layouts from the roomiest down: (headers, country labels, padding between columns)
        layouts = [
            ([short_id(q) for q in c.columns], names, 1),
            (short, names, 1),
            (short, names, 0),
            (short, {code: code for code in names}, 0),
        ]
        for headers, labels, pad in layouts:
            first = max([len("country"), len(total_row), *map(len, labels.values())])
            cells = [max(len(h), digits) for h in (*headers, "total")]
            if _table_width([first, *cells], pad) <= width:
                break
        numbered = headers is short
        room = width - _table_width([first, cells[-1]], pad)  # for the concept columns
        groups = _split(cells[:-1], room, pad)
        title = Text(f"Recommendations per country and {c.level} of {c.framework}", style="bold")
        yield title
        for n, columns in enumerate(groups):
            last = n == len(groups) - 1
            yield self._table(headers, labels, pad, columns, last)
        if numbered:
            yield self._legend(short)
        note = "· none" + ("; a pillar counts its elements too" if c.level == "pillar" else "")
        yield Text(note + "; totals count a recommendation once", style="dim")

    def _table(
        self,
        headers: Sequence[str],
        labels: dict[str, str],
        pad: int,
        columns: Sequence[int],
        last: bool,
    ) -> Table:
        c = self.coverage
        table = Table(
            box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, padding=(0, pad), expand=False
        )
        table.add_column("country", no_wrap=True)
        for i in columns:
            table.add_column(headers[i], justify="center", no_wrap=True)
        if last:
            table.add_column("total", justify="right", no_wrap=True)
        highest = max((n for row in c.rows for n in row.counts), default=0)
        for k, row in enumerate(c.rows):
            cells = [_count(row.counts[i], heat_style(row.counts[i], highest)) for i in columns]
            if last:
                cells.append(_count(row.total, "bold"))
            table.add_row(Text(labels[row.country]), *cells, end_section=k == len(c.rows) - 1)
        if c.rows and len(c.totals) == len(c.columns):
            cells = [_count(c.totals[i], "bold") for i in columns]
            if last:
                cells.append(_count(c.total, "bold"))
            table.add_row(Text("total", style="bold"), *cells)
        return table

    def _legend(self, short: Sequence[str]) -> RenderableType:
        c = self.coverage
        labels = c.labels if len(c.labels) == len(c.columns) else [""] * len(c.columns)
        rows = [
            Row((Text(s, style="dim"), Text.assemble(label, " ", (f"({short_id(q)})", "dim"))))
            for s, label, q in zip(short, labels, c.columns, strict=True)
        ]
        return Listing(
            (Column("", justify="right"), Column("", wide=True)), rows, header=False, leading=0
        )


def _count(n: int, style: str) -> Text:
    return Text(str(n) if n else "·", style=style or "dim")


def _table_width(widths: Sequence[int], pad: int) -> int:
    """The width of a coverage table whose columns are ``widths`` wide."""
    return 2 + sum(widths) + (2 * pad + 1) * (len(widths) - 1)


def _split(widths: Sequence[int], room: int, pad: int) -> list[list[int]]:
    """Column indexes in groups whose columns fit in ``room`` (each column and its gap)."""
    groups: list[list[int]] = [[]]
    used = 0
    for i, w in enumerate(widths):
        step = w + 2 * pad + 1
        if groups[-1] and used + step > room:
            groups.append([])
            used = 0
        groups[-1].append(i)
        used += step
    return groups


# ---------------------------------------------------------------------------------------------
# Related recommendations


def related_table(rows: Sequence[RelatedRecommendation]) -> RenderableType:
    """Score, countries, and the text with its id and the concepts that relate it."""
    columns = (
        Column("score", justify="right"),
        Column("to", max_width=11),
        Column("recommendation", wide=True),
    )
    return Listing(
        columns,
        [
            Row(
                (Text(str(r.score)), Text(" ".join(r.countries)), _marked(r.grade, r.text)),
                id_pieces([r.id])
                + _linked("shares", r.shared)
                + _linked("via crosswalk", r.mapped),
            )
            for r in rows
        ],
    )


def _linked(how: str, qids: Sequence[str]) -> tuple[Piece, ...]:
    """``how`` and the concepts, each kept whole: ``shares a/b, c/d``."""
    return tuple(
        Piece(Text(f"{how} {q}" if i == 0 else q, style="dim"), " · " if i == 0 else ", ")
        for i, q in enumerate(qids)
    )
