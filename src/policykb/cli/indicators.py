"""Country and index commands: ``country`` (a profile) and ``scores`` (published index scores).

Like the other query commands, each parses its options, calls one function of
:mod:`policykb.query.indicators` and renders the result with :mod:`policykb.render.indicators`.
"""

from __future__ import annotations

from pathlib import Path

import typer

from policykb.cli.app import app, knowledge_base
from policykb.cli.common import OutputFormat, country_option, emit, format_option, with_notes
from policykb.cli.output import output_option

# The query and render modules are imported in the commands: a lazy submodule would import its
# package (policykb.render, rich) at start-up, and `policykb --help` must stay light.


@app.command("country")
@with_notes
def country_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Country: name, alpha-2 or alpha-3 code, any case."),
    provisions: bool = typer.Option(
        False,
        "--provisions",
        help="Also list the provisions of the legal instruments it adheres to: an OECD "
        "Council Recommendation is addressed to its adherents.",
    ),
    output_format: OutputFormat | None = format_option(),
    output: Path | None = output_option(),
) -> None:
    """Show what the data holds on one country: recommendations, adherence, index scores.

    Recommendations are counted per report and grade; adherence to legal
    instruments (OECD Council Recommendations) is listed as each source states
    it, so two sources that disagree give two rows; index scores are those
    published for it (see `policykb scores`).

    Examples:

      policykb country PAN

      policykb country Chile --format json

      policykb country Colombia --provisions
    """
    from policykb.query import indicators
    from policykb.render import indicators as shown

    emit(
        indicators.country_profile(knowledge_base(ctx), name, with_provisions=provisions),
        output_format,
        shown.country_table,
        shown.country_csv,
        shown.country_markdown,
        output=output,
    )


@app.command("scores")
@with_notes
def scores_command(
    ctx: typer.Context,
    country: list[str] | None = country_option(),
    index: list[str] | None = typer.Option(
        None,
        "--index",
        "-i",
        show_default=False,
        help="Index: framework id, title or a unique part of one (e.g. digital-government-"
        "index, OURdata). Repeatable.",
    ),
    edition: list[str] | None = typer.Option(
        None, "--edition", show_default=False, help="Edition, e.g. 2025. Repeatable."
    ),
    dimension: list[str] | None = typer.Option(
        None,
        "--dimension",
        "-d",
        show_default=False,
        help="Dimension scored: a concept id or label (a pillar includes its elements). "
        "Repeatable.",
    ),
    composite: bool = typer.Option(
        False, "--composite", help="Only overall scores, not those per dimension."
    ),
    output_format: OutputFormat | None = format_option(),
    output: Path | None = output_option(),
) -> None:
    """List published index scores: country x index edition x dimension -> value.

    Values are as printed by their source (OECD pages, or secondary press,
    noted). The Digital Government Index scores the six dimensions of the
    Digital Government Policy Framework, so `--dimension user-driven` finds
    them beside the recommendations on that dimension
    (`policykb recs -e user-driven`).

    Examples:

      policykb scores --index digital-government-index --edition 2025

      policykb scores -c CHL -c COL --composite

      policykb scores --dimension user-driven --format csv
    """
    from policykb.query import indicators
    from policykb.render import indicators as shown

    emit(
        indicators.scores(
            knowledge_base(ctx),
            countries=country or (),
            indices=index or (),
            editions=edition or (),
            dimensions=dimension or (),
            composite=composite,
        ),
        output_format,
        shown.scores_table,
        shown.scores_csv,
        shown.scores_markdown,
        empty="no scores match",
        output=output,
    )
