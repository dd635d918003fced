"""Analyst commands: recommendations, countries, coverage, frameworks, reports, search, stats.

Each command parses its options, calls one function of :mod:`policykb.query` (``related``:
:mod:`policykb.query.graph`), and renders the result with :mod:`policykb.render`. ``--format json``
prints the library result serialised, nothing more.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sized
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from policykb.cli.app import app, knowledge_base, lazy_module, out, say
from policykb.cli.output import SUFFIXES, file_width, output_option, to_stdout, write_output
from policykb.cli.output import output_format as chosen_format

if TYPE_CHECKING:
    from rich.console import RenderableType

    from policykb import query, render
else:
    query = lazy_module("policykb.query")
    render = lazy_module("policykb.render")

T = TypeVar("T")
P = ParamSpec("P")


class OutputFormat(StrEnum):
    """Output formats of the query commands."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


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


FORMAT_HELP = (
    "table (for people), json, csv (for spreadsheets) or markdown. Default: the one --output's "
    "suffix names, else table."
)


def _format_option() -> Any:
    return typer.Option(None, "--format", "-F", show_default=False, help=FORMAT_HELP)


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
    output_format: OutputFormat | None,
    table: Callable[[T], RenderableType],
    csv: Callable[[T], str],
    markdown: Callable[[T], str],
    empty: str | None = None,
    output: Path | None = None,
) -> None:
    """Write ``result`` in ``output_format`` (else the one ``output``'s suffix names) to
    ``output`` (a file, written atomically) or stdout; an empty table prints ``empty`` on
    stderr instead."""
    chosen = OutputFormat(chosen_format(output_format, output))
    if chosen is OutputFormat.json:
        text = render.to_json(result)
    elif chosen is OutputFormat.csv:
        text = csv(result)
    elif chosen is OutputFormat.markdown:
        text = markdown(result)
    elif empty is not None and isinstance(result, Sized) and len(result) == 0:
        say(empty)
        if to_stdout(output):
            return
        text = ""
    elif to_stdout(output):
        out().print(table(result), crop=False)  # an id or URL wider than the screen stays whole
        return
    else:
        text = render.plain_text(table(result), file_width())
    write_output(text, output)


def _with_notes(command: Callable[P, None]) -> Callable[P, None]:
    """``command``, saying on stderr what each name it resolved by a partial match matched
    (one ``note:`` line each; see ``policykb.query.resolution_notes``)."""

    @functools.wraps(command)
    def noting(*args: P.args, **kwargs: P.kwargs) -> None:
        with query.resolution_notes() as notes:
            try:
                command(*args, **kwargs)
            finally:
                for note in notes:
                    say(f"note: {note}")

    return noting


@_with_notes
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
    output_format: OutputFormat | None = _format_option(),
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
    _emit(
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
    output_format: OutputFormat | None = _format_option(),
    output: Path | None = output_option(),
) -> None:
    """List the countries reports are about, with their numbers of reports and recommendations.

    A report counts for a country when the country is one of its subjects or
    one of its recommendations is addressed to it; comparison countries do not.

    Examples:

      policykb countries

      policykb countries -o countries.csv
    """
    _emit(
        query.countries(knowledge_base(ctx)),
        output_format,
        render.countries_table,
        render.countries_csv,
        render.countries_markdown,
        empty="no countries",
        output=output,
    )


@app.command("coverage")
@_with_notes
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
    output_format: OutputFormat | None = _format_option(),
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
    _emit(
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
    output_format: OutputFormat | None = _format_option(),
    output: Path | None = output_option(),
) -> None:
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
        output=output,
    )


@app.command("framework")
@_with_notes
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
    _emit(
        outline,
        OutputFormat(chosen),
        render.framework_tree,
        render.framework_csv,
        render.framework_markdown,
        output=output,
    )


@app.command("reports")
@_with_notes
def reports_command(
    ctx: typer.Context,
    country: list[str] | None = _country_option(),
    year: int | None = typer.Option(
        None, "--year", "-y", show_default=False, help="Only reports published this year."
    ),
    output_format: OutputFormat | None = _format_option(),
    output: Path | None = output_option(),
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
        output=output,
    )


@app.command("report")
@_with_notes
def report_command(
    ctx: typer.Context,
    report_id: str = typer.Argument(
        ..., metavar="ID", help="Report: id, title or a unique part of one."
    ),
    output_format: OutputFormat | None = _format_option(),
    output: Path | None = output_option(),
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
        output=output,
    )


@app.command("search")
def search_command(
    ctx: typer.Context,
    words: list[str] = typer.Argument(..., metavar="QUERY", help="Words to look for."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="Show at most this many hits."),
    output_format: OutputFormat | None = _format_option(),
    output: Path | None = output_option(),
) -> None:
    """Search recommendations, reports, frameworks, concepts, organisations and regions.

    Best matches first. Case and accents are ignored, a word matches the words
    it starts, every word must appear, and labels and names count in every
    language the data has (organisations by acronym too). Score: each matching
    word counts 3 in a title, label or acronym, 2 in an id, 1 in a text,
    summary or definition. A query that finds nothing suggests the nearest
    words on stderr ("did you mean: privacy?").

    Examples:

      policykb search claveunica

      policykb search data steward --limit 5 --format csv

      policykb search registro civil
    """
    kb = knowledge_base(ctx)
    phrase = " ".join(words)
    hits = query.search(kb, phrase, limit=limit)
    _emit(
        hits,
        output_format,
        render.search_table,
        render.search_csv,
        render.search_markdown,
        empty="nothing matches",
        output=output,
    )
    if not hits:
        suggestions = query.search_suggestions(kb, phrase)
        if suggestions:
            say(f"did you mean: {' or '.join(suggestions)}?")


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    output_format: OutputFormat | None = _format_option(),
    output: Path | None = output_option(),
) -> None:
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
        output=output,
    )


@app.command("related")
@_with_notes
def related_command(
    ctx: typer.Context,
    rec_id: str = typer.Argument(
        ...,
        metavar="ID",
        help="A recommendation's global id, report/recommendation, or its bare id when only "
        "one report uses it.",
    ),
    no_mapped: bool = typer.Option(
        False, "--no-mapped", help="Count shared concepts only, not crosswalk links."
    ),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="Show at most this many."),
    output_format: OutputFormat | None = _format_option(),
    output: Path | None = output_option(),
) -> None:
    """List recommendations related to one through the concepts they share, best first.

    Score: 2 for each concept both are tied to, 1 for each concept linked to
    one of its concepts by a crosswalk (exact or close match). A bare id
    (chl-di-05) will do when only one report has a recommendation of that id;
    when several do, the command stops and lists them.

    Examples:

      policykb related chile-digital-identity/chl-di-01

      policykb related chl-di-02 -n 3

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
        output=output,
    )
