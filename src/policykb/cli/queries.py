"""Analyst commands: recommendations, countries, coverage, frameworks, reports, search, stats.

Each command parses its options, calls one function of :mod:`policykb.query` (``related``:
:mod:`policykb.query.graph`), and renders the result with :mod:`policykb.render`. ``--format json``
prints the library result serialised, nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Sized
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from policykb.cli.app import app, knowledge_base, lazy_module, out, say

if TYPE_CHECKING:
    from rich.console import RenderableType

    from policykb import query, render
else:
    query = lazy_module("policykb.query")
    render = lazy_module("policykb.render")

T = TypeVar("T")


class OutputFormat(StrEnum):
    """Output formats of the query commands."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class Level(StrEnum):
    """The level of a framework that ``coverage`` counts by."""

    pillar = "pillar"
    element = "element"


FORMAT_HELP = "table (for people), json, csv (for spreadsheets) or markdown."


def _format_option() -> Any:
    return typer.Option(OutputFormat.table, "--format", "-F", help=FORMAT_HELP)


def _country_option() -> Any:
    return typer.Option(
        None,
        "--country",
        "-c",
        show_default=False,
        help="Country: name, alpha-2 or alpha-3 code, any case. Repeat for any of several.",
    )


def _emit(
    result: T,
    output_format: OutputFormat,
    table: Callable[[T], RenderableType],
    csv: Callable[[T], str],
    markdown: Callable[[T], str],
    empty: str | None = None,
) -> None:
    """Print ``result`` in ``output_format``; an empty table prints ``empty`` on stderr instead."""
    if output_format is OutputFormat.json:
        typer.echo(render.to_json(result), nl=False)
    elif output_format is OutputFormat.csv:
        typer.echo(csv(result), nl=False)
    elif output_format is OutputFormat.markdown:
        typer.echo(markdown(result), nl=False)
    elif empty is not None and isinstance(result, Sized) and len(result) == 0:
        say(empty)
    else:
        out().print(table(result))


def recommendations(
    ctx: typer.Context,
    country: list[str] | None = _country_option(),
    framework: list[str] | None = typer.Option(
        None,
        "--framework",
        "-f",
        show_default=False,
        help="Framework: id, title or a unique part of one. Repeatable.",
    ),
    pillar: list[str] | None = typer.Option(
        None,
        "--pillar",
        "-p",
        show_default=False,
        help="Pillar: qualified fw/id, bare id or label when unambiguous; includes its "
        "elements. Repeatable.",
    ),
    element: list[str] | None = typer.Option(
        None,
        "--element",
        "-e",
        show_default=False,
        help="Element: qualified fw/id, bare id or label when unambiguous. Repeatable.",
    ),
    report: list[str] | None = typer.Option(
        None,
        "--report",
        "-r",
        show_default=False,
        help="Report: id, title or a unique part of one. Repeatable.",
    ),
    text: str | None = typer.Option(
        None,
        "--text",
        "-t",
        show_default=False,
        help="Words that must all appear in the text (any case, accents ignored).",
    ),
    include_mapped: bool = typer.Option(
        False,
        "--include-mapped",
        help="Also match concepts linked by a crosswalk (exact "
        "matches transitively, close matches one step).",
    ),
    output_format: OutputFormat = _format_option(),
) -> None:
    r"""List recommendations filtered by country, concept, framework, report or text.

    Filters combine with AND; a repeated filter (two --country) means any of
    them. Candidate recommendations (drawn from assessment text rather than the
    report's own list) are marked \[candidate]. Alias: recs.

    Examples:

      policykb recs --country Chile --pillar trust

      policykb recs -c PAN -c CL -f data-driven-public-sector --format csv

      policykb recs --text claveunica --format json
    """
    rows = query.recommendations(
        knowledge_base(ctx),
        countries=country or (),
        frameworks=framework or (),
        pillars=pillar or (),
        elements=element or (),
        reports=report or (),
        text=text,
        include_mapped=include_mapped,
    )
    _emit(
        rows,
        output_format,
        render.recommendations_table,
        render.recommendations_csv,
        render.recommendations_markdown,
        empty="no recommendations match",
    )


app.command("recommendations")(recommendations)
app.command("recs", hidden=True)(recommendations)


@app.command("countries")
def countries_command(ctx: typer.Context, output_format: OutputFormat = _format_option()) -> None:
    """List the countries reports are about, with their numbers of reports and recommendations.

    A report counts for a country when the country is one of its subjects or
    one of its recommendations is addressed to it; comparison countries do not.

    Examples:

      policykb countries

      policykb countries --format csv > countries.csv
    """
    _emit(
        query.countries(knowledge_base(ctx)),
        output_format,
        render.countries_table,
        render.countries_csv,
        render.countries_markdown,
        empty="no countries",
    )


@app.command("coverage")
def coverage_command(
    ctx: typer.Context,
    framework: str = typer.Option(
        ...,
        "--framework",
        "-f",
        show_default=False,
        help="Framework: id, title or a unique part of one.",
    ),
    level: Level = typer.Option(Level.pillar, "--level", "-l", help="Count by pillar or element."),
    country: list[str] | None = _country_option(),
    include_mapped: bool = typer.Option(
        False,
        "--include-mapped",
        help="Also count recommendations on concepts linked by a "
        "crosswalk (exact and close matches).",
    ),
    output_format: OutputFormat = _format_option(),
) -> None:
    """Show a country × pillar (or element) matrix of recommendation counts for a framework.

    A cell counts what 'policykb recs --country C --pillar P' lists, so a
    pillar counts recommendations tied to it or to any of its elements.
    Candidates count too. On a terminal the cells are shaded by count.

    Examples:

      policykb coverage --framework data-driven-public-sector

      policykb coverage -f digital-identity-framework --level element -c CL
    """
    console = out()
    result = query.coverage(
        knowledge_base(ctx), framework, level.value, country or (), include_mapped
    )
    _emit(
        result,
        output_format,
        lambda c: render.coverage_table(c, console.width),
        render.coverage_csv,
        render.coverage_markdown,
    )


@app.command("frameworks")
def frameworks_command(ctx: typer.Context, output_format: OutputFormat = _format_option()) -> None:
    """List the frameworks with their numbers of pillars and elements.

    JSON gives every framework's full outline of pillars and elements.

    Examples:

      policykb frameworks

      policykb frameworks --format json
    """
    _emit(
        query.frameworks(knowledge_base(ctx)),
        output_format,
        render.frameworks_table,
        render.frameworks_csv,
        render.frameworks_markdown,
        empty="no frameworks",
    )


@app.command("framework")
def framework_command(
    ctx: typer.Context,
    framework_id: str = typer.Argument(
        ..., metavar="ID", help="Framework: id, title or a unique part of one."
    ),
    output_format: OutputFormat = _format_option(),
) -> None:
    """Show one framework as a tree of its pillars and their elements.

    Examples:

      policykb framework data-driven-public-sector

      policykb framework "digital identity" --format markdown
    """
    _emit(
        query.framework(knowledge_base(ctx), framework_id),
        output_format,
        render.framework_tree,
        render.framework_csv,
        render.framework_markdown,
    )


@app.command("reports")
def reports_command(
    ctx: typer.Context,
    country: list[str] | None = _country_option(),
    year: int | None = typer.Option(
        None, "--year", "-y", show_default=False, help="Only reports published this year."
    ),
    output_format: OutputFormat = _format_option(),
) -> None:
    """List reports, optionally those about a country or published in a year.

    Examples:

      policykb reports

      policykb reports --country Panama --year 2019 --format markdown
    """
    rows = query.reports(knowledge_base(ctx), countries=country or (), year=year)
    _emit(
        rows,
        output_format,
        render.reports_table,
        render.reports_csv,
        render.reports_markdown,
        empty="no reports match",
    )


@app.command("report")
def report_command(
    ctx: typer.Context,
    report_id: str = typer.Argument(
        ..., metavar="ID", help="Report: id, title or a unique part of one."
    ),
    output_format: OutputFormat = _format_option(),
) -> None:
    """Show one report: its facts, summary and recommendations.

    CSV gives the report's recommendations, one per row.

    Examples:

      policykb report chile-digital-identity

      policykb report panama --format json
    """
    _emit(
        query.report(knowledge_base(ctx), report_id),
        output_format,
        render.report_view,
        lambda r: render.recommendations_csv(r.recommendations),
        render.report_markdown,
    )


@app.command("search")
def search_command(
    ctx: typer.Context,
    words: list[str] = typer.Argument(..., metavar="QUERY", help="Words to look for."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="Show at most this many hits."),
    output_format: OutputFormat = _format_option(),
) -> None:
    """Search recommendations, reports, frameworks and concepts, best matches first.

    Case and accents are ignored, a word matches the words it starts, and
    every word must appear. Score: each matching word counts 3 in a title or
    label, 2 in an id, 1 in a text, summary or definition.

    Examples:

      policykb search claveunica

      policykb search data steward --limit 5 --format csv
    """
    hits = query.search(knowledge_base(ctx), " ".join(words), limit=limit)
    _emit(
        hits,
        output_format,
        render.search_table,
        render.search_csv,
        render.search_markdown,
        empty="nothing matches",
    )


@app.command("stats")
def stats_command(ctx: typer.Context, output_format: OutputFormat = _format_option()) -> None:
    """Count every kind of thing in the knowledge base.

    Examples:

      policykb stats

      policykb stats --format json
    """
    _emit(
        query.stats(knowledge_base(ctx)),
        output_format,
        render.stats_table,
        render.stats_csv,
        render.stats_markdown,
    )


@app.command("related")
def related_command(
    ctx: typer.Context,
    rec_id: str = typer.Argument(
        ..., metavar="ID", help="A recommendation's global id, report/recommendation."
    ),
    no_mapped: bool = typer.Option(
        False, "--no-mapped", help="Count shared concepts only, not crosswalk links."
    ),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="Show at most this many."),
    output_format: OutputFormat = _format_option(),
) -> None:
    """List recommendations related to one through the concepts they share, best first.

    Score: 2 for each concept both are tied to, 1 for each concept linked to
    one of its concepts by a crosswalk (exact or close match).

    Examples:

      policykb related chile-digital-identity/chl-di-01

      policykb related chile-digital-identity/chl-di-05 -n 5 -F csv
    """
    from policykb.query.graph import related_recommendations

    rows = related_recommendations(
        knowledge_base(ctx), rec_id, include_mapped=not no_mapped, limit=limit
    )
    _emit(
        rows,
        output_format,
        render.related_table,
        render.related_csv,
        render.related_markdown,
        empty="no related recommendations",
    )
