"""Analyst commands: recommendations, countries, coverage, frameworks, framework, reports,
report and stats (``search`` and ``related``: :mod:`policykb.cli.explore`; ``country`` and
``scores``: :mod:`policykb.cli.indicators`).

Each command parses its options, calls one function of :mod:`policykb.query`, and renders the
result with :mod:`policykb.render` through :func:`policykb.cli.common.emit`. ``--format json``
prints the library result serialised, nothing more.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from policykb.cli.app import app, knowledge_base, lazy_module
from policykb.cli.common import (
    OutputFormat,
    country_option,
    emit,
    format_option,
    with_notes,
)
from policykb.cli.output import SUFFIXES, output_option, write_output
from policykb.cli.output import output_format as chosen_format

if TYPE_CHECKING:
    from policykb import query, render
else:
    query = lazy_module("policykb.query")
    render = lazy_module("policykb.render")


class FrameworkFormat(StrEnum):
    """Output formats of ``framework``: the query formats and two diagram languages."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    mermaid = "mermaid"
    dot = "dot"
    svg = "svg"


#: ``framework``'s suffixes: the query commands' and the diagrams'.
FRAMEWORK_SUFFIXES = {**SUFFIXES, ".mmd": "mermaid", ".dot": "dot", ".gv": "dot", ".svg": "svg"}


class Grade(StrEnum):
    """The grades of a recommendation (``policykb.model.GRADES``), most direct first."""

    listed = "listed"
    summary = "summary"
    secondary = "secondary"
    candidate = "candidate"


class Level(StrEnum):
    """The level of a framework that ``coverage`` counts by."""

    pillar = "pillar"
    element = "element"


class RecsOrder(StrEnum):
    """The orders of ``recommendations`` (``policykb.query.RECOMMENDATION_SORTS``)."""

    report = "report"
    year = "year"
    country = "country"


@with_notes
def recommendations(
    ctx: typer.Context,
    country: list[str] | None = country_option(),
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
    actor: list[str] | None = typer.Option(
        None,
        "--actor",
        "-a",
        show_default=False,
        help="Organisation named as an actor: id, acronym or name (any language), or a unique "
        "part of one. Repeatable.",
    ),
    year: list[int] | None = typer.Option(
        None,
        "--year",
        "-y",
        show_default=False,
        help="The report's year. Repeatable.",
    ),
    since: int | None = typer.Option(
        None, "--since", show_default=False, help="Reports of this year or later."
    ),
    sort: RecsOrder = typer.Option(
        RecsOrder.report,
        "--sort",
        help="Order: report (by report id, then the report's own order), year (the report's, "
        "oldest first, unknown last) or country (the codes addressed).",
    ),
    grade: list[Grade] | None = typer.Option(
        None,
        "--grade",
        "-g",
        show_default=False,
        help="How directly the source states it: listed (an item of its own list), summary "
        "(its own statement elsewhere), secondary (reported by another publisher) or candidate "
        "(drawn from assessment text). Repeatable.",
    ),
    region: list[str] | None = typer.Option(
        None,
        "--region",
        show_default=False,
        help="Region (id or name) a regional review addresses, for items that name no "
        "country. Repeatable.",
    ),
    output_format: OutputFormat | None = format_option(),
    output: Path | None = output_option(),
) -> None:
    r"""List recommendations filtered by country, concept, framework, report, actor, year or text.

    Filters combine with AND; a repeated filter (two --country) means any of
    them. A name matched by only a part of it is said on stderr ("note: 'chil'
    matched country CHL ..."). Every recommendation has a grade: listed,
    summary, secondary or candidate (--grade filters on it); candidates (drawn
    from assessment text rather than the report's own list) are marked
    \[candidate], summary and secondary items likewise. Tables are
    headed by each report's title and year; JSON and CSV also carry the report's
    title and year, the actors and the concepts' labels. Alias: recs.

    Examples:

      policykb recs --country Chile --pillar trust

      policykb recs --actor SRCeI --format csv

      policykb recs --since 2020 --sort year -c Chile

      policykb recs -c PAN -c CL -f data-driven-public-sector --format csv

      policykb recs --text claveunica --format json

      policykb recs -c Chile -o chile.csv

      policykb recs -c Sweden --grade listed --grade summary

      policykb recs --region mena
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
        actors=actor or (),
        years=year or (),
        since=since,
        sort=sort.value,
        grades=[g.value for g in grade or ()],
        regions=region or (),
    )
    emit(
        rows,
        output_format,
        render.recommendations_table,
        render.recommendations_csv,
        render.recommendations_markdown,
        empty="no recommendations match",
        output=output,
    )


app.command("recommendations")(recommendations)
app.command("recs", hidden=True)(recommendations)


@app.command("countries")
def countries_command(
    ctx: typer.Context,
    output_format: OutputFormat | None = format_option(),
    output: Path | None = output_option(),
) -> None:
    """List the countries reports are about, with their numbers of reports and recommendations.

    A report counts for a country when the country is one of its subjects or
    one of its recommendations is addressed to it; comparison countries do not.

    Examples:

      policykb countries

      policykb countries -o countries.csv
    """
    emit(
        query.countries(knowledge_base(ctx)),
        output_format,
        render.countries_table,
        render.countries_csv,
        render.countries_markdown,
        empty="no countries",
        output=output,
    )


@app.command("coverage")
@with_notes
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
    country: list[str] | None = country_option(),
    include_mapped: bool = typer.Option(
        False,
        "--include-mapped",
        help="Also count recommendations on concepts linked by a "
        "crosswalk (exact and close matches).",
    ),
    output_format: OutputFormat | None = format_option(),
    output: Path | None = output_option(),
) -> None:
    """Show a country × pillar (or element) matrix of recommendation counts for a framework.

    A cell counts what 'policykb recs --country C --pillar P' lists, so a
    pillar counts recommendations tied to it or to any of its elements.
    Candidates count too. Totals count each recommendation once. Columns are
    headed by the framework's own notation (1.1) or numbers when the ids do
    not fit, with a legend. On a terminal the cells are shaded by count. A
    framework of one level has no elements: --level element says so (exit 2).

    Examples:

      policykb coverage --framework data-driven-public-sector

      policykb coverage -f digital-identity-framework --level element -c CL

      policykb coverage -f digital-identity-framework -o coverage.md
    """
    result = query.coverage(
        knowledge_base(ctx), framework, level.value, country or (), include_mapped
    )
    emit(
        result,
        output_format,
        render.coverage_table,
        render.coverage_csv,
        render.coverage_markdown,
        output=output,
    )


@app.command("frameworks")
def frameworks_command(
    ctx: typer.Context,
    output_format: OutputFormat | None = format_option(),
    output: Path | None = output_option(),
) -> None:
    """List the frameworks with their numbers of pillars and elements.

    JSON gives every framework's full outline of pillars and elements.

    Examples:

      policykb frameworks

      policykb frameworks --format json
    """
    emit(
        query.frameworks(knowledge_base(ctx)),
        output_format,
        render.frameworks_table,
        render.frameworks_csv,
        render.frameworks_markdown,
        empty="no frameworks",
        output=output,
    )


@app.command("framework")
@with_notes
def framework_command(
    ctx: typer.Context,
    framework_id: str = typer.Argument(
        ..., metavar="ID", help="Framework: id, title or a unique part of one."
    ),
    output_format: FrameworkFormat | None = typer.Option(
        None,
        "--format",
        "-F",
        show_default=False,
        help="table (a tree), json, csv, markdown, or a diagram: mermaid (paste it into "
        "Markdown), dot (Graphviz) or svg (a picture). Default: the one --output's suffix "
        "names (.mmd, .dot, .svg too), else table.",
    ),
    output: Path | None = output_option(),
) -> None:
    """Show one framework as a tree of its pillars and their elements, or draw it.

    --format mermaid draws it as a Mermaid flowchart to paste into Markdown
    (in a ```mermaid block), --format dot as Graphviz: each pillar a box
    holding its elements in the source's order, with the source's numbering.
    --format svg draws a picture in the source's style (columns, a ring of
    dimensions, or a grid). An index that uses another framework's dimensions
    draws those.

    Examples:

      policykb framework data-driven-public-sector

      policykb framework "DI assessment framework" --format markdown

      policykb framework digital-identity-framework --format mermaid

      policykb framework data-driven-public-sector -o ddps.dot
    """
    kb = knowledge_base(ctx)
    outline = query.framework(kb, framework_id)
    chosen = chosen_format(output_format, output, FRAMEWORK_SUFFIXES)
    if chosen == FrameworkFormat.svg:
        from policykb.render.svg import framework_svg

        write_output(framework_svg(query.resolve_framework(kb, framework_id), kb), output)
        return
    if chosen in (FrameworkFormat.mermaid, FrameworkFormat.dot):
        used = query.framework(kb, outline.uses) if outline.uses else None
        write_output(render.framework_diagram(outline, chosen, used), output)
        return
    emit(
        outline,
        OutputFormat(chosen),
        render.framework_tree,
        render.framework_csv,
        render.framework_markdown,
        output=output,
    )


@app.command("reports")
@with_notes
def reports_command(
    ctx: typer.Context,
    country: list[str] | None = country_option(),
    year: int | None = typer.Option(
        None, "--year", "-y", show_default=False, help="Only reports published this year."
    ),
    output_format: OutputFormat | None = format_option(),
    output: Path | None = output_option(),
) -> None:
    """List reports, optionally those about a country or published in a year.

    Examples:

      policykb reports

      policykb reports --country Panama --year 2019 --format markdown
    """
    rows = query.reports(knowledge_base(ctx), countries=country or (), year=year)
    emit(
        rows,
        output_format,
        render.reports_table,
        render.reports_csv,
        render.reports_markdown,
        empty="no reports match",
        output=output,
    )


@app.command("report")
@with_notes
def report_command(
    ctx: typer.Context,
    report_id: str = typer.Argument(
        ..., metavar="ID", help="Report: id, title or a unique part of one."
    ),
    output_format: OutputFormat | None = format_option(),
    output: Path | None = output_option(),
) -> None:
    """Show one report: its facts, summary and recommendations.

    CSV gives the report's recommendations, one per row.

    Examples:

      policykb report chile-digital-identity

      policykb report panama --format json
    """
    emit(
        query.report(knowledge_base(ctx), report_id),
        output_format,
        render.report_view,
        lambda r: render.recommendations_csv(r.recommendations),
        render.report_markdown,
        output=output,
    )


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    output_format: OutputFormat | None = format_option(),
    output: Path | None = output_option(),
) -> None:
    """Count every kind of thing in the knowledge base.

    Examples:

      policykb stats

      policykb stats --format json
    """
    emit(
        query.stats(knowledge_base(ctx)),
        output_format,
        render.stats_table,
        render.stats_csv,
        render.stats_markdown,
        output=output,
    )
