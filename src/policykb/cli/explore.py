"""Exploring commands: ``search`` (full text over everything the data names) and ``related``
(recommendations near one, through shared and crosswalk-linked concepts, from the graph).

Like the other query commands they parse options, call :mod:`policykb.query` (``related``:
:mod:`policykb.query.graph`) and render with :mod:`policykb.render`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from policykb.cli.app import app, knowledge_base, lazy_module, say
from policykb.cli.common import OutputFormat, emit, format_option, with_notes
from policykb.cli.output import output_option

if TYPE_CHECKING:
    from policykb import query, render
else:
    query = lazy_module("policykb.query")
    render = lazy_module("policykb.render")


@app.command("search")
def search_command(
    ctx: typer.Context,
    words: list[str] = typer.Argument(..., metavar="QUERY", help="Words to look for."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="Show at most this many hits."),
    output_format: OutputFormat | None = format_option(),
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
    emit(
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


@app.command("related")
@with_notes
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
    output_format: OutputFormat | None = format_option(),
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
    emit(
        rows,
        output_format,
        render.related_table,
        render.related_csv,
        render.related_markdown,
        empty="no related recommendations",
        output=output,
    )
