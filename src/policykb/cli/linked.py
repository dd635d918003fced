"""Linked-data commands: export, sparql, publish.

Each parses its options, calls one function of :mod:`policykb.linked.export`,
:mod:`policykb.linked.sparql`
or :mod:`policykb.linked.publish`, and prints the result; library errors become exit codes in
:mod:`policykb.cli.app`.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from policykb.cli.app import app, escape, knowledge_base, out, say
from policykb.errors import ExitCode, UsageError
from policykb.linked import DEFAULT_BASE_IRI


class ExportFormat(StrEnum):
    """Formats of ``export``."""

    turtle = "turtle"
    jsonld = "jsonld"
    ntriples = "ntriples"
    rdfxml = "rdfxml"
    graphml = "graphml"
    csv = "csv"


class SparqlFormat(StrEnum):
    """Output formats of ``sparql``."""

    table = "table"
    json = "json"
    csv = "csv"


def _base_iri_option() -> str:
    value: str = typer.Option(
        DEFAULT_BASE_IRI, "--base-iri", help="Base under which data IRIs are minted (report/ID, …)."
    )
    return value


@app.command()
def export(
    ctx: typer.Context,
    output_format: ExportFormat | None = typer.Option(
        None,
        "--format",
        "-F",
        show_default=False,
        help="turtle (default), jsonld, ntriples, rdfxml, graphml or csv.",
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        dir_okay=False,
        show_default=False,
        help="Write to FILE (atomically: a failed export leaves the old file) instead of stdout.",
    ),
    all_dir: Path | None = typer.Option(
        None,
        "--all",
        file_okay=False,
        show_default=False,
        help="Write every format, the ontology, the shapes and the JSON-LD context into DIR.",
    ),
    check_dir: Path | None = typer.Option(
        None,
        "--check",
        file_okay=False,
        show_default=False,
        help="Exit 1 and list the files of DIR that are stale or missing; 0 when all are fresh.",
    ),
    base_iri: str = _base_iri_option(),
    jobs: int | None = typer.Option(
        None,
        "--jobs",
        "-j",
        min=1,
        show_default=False,
        help="Processes that write a large Turtle export (default: the CPUs available; "
        "1: this process alone). The bytes are the same.",
    ),
) -> None:
    """Export the knowledge base as RDF (Turtle, JSON-LD, N-Triples, RDF/XML), GraphML or CSV.

    Output is deterministic: the same data gives the same bytes, whatever --jobs says.

    Examples:

      policykb export --format turtle --output kb.ttl

      policykb export --all exports/

      policykb export --check exports/
    """
    from policykb.linked import export as exporting

    if all_dir is not None and check_dir is not None:
        raise UsageError("--all and --check do not go together")
    if (all_dir or check_dir) is not None and (output_format or output) is not None:
        raise UsageError("--all and --check write every format: drop --format and --output")
    kb = knowledge_base(ctx)
    if check_dir is not None:
        stale = exporting.stale_files(kb, check_dir, base_iri)
        for item in stale:
            typer.echo(f"{check_dir / item.name}: {item.reason}")
        if stale:
            say(
                f"{check_dir}: {len(stale)} file(s) stale or missing "
                f"(run 'policykb export --all {check_dir}')"
            )
            raise typer.Exit(int(ExitCode.DATA_ISSUES))
        say(f"{check_dir}: fresh")
        return
    if all_dir is not None:
        written = exporting.write_all(kb, all_dir, base_iri)
        say(f"wrote {len(written)} files to {all_dir}")
        return
    chosen = (output_format or ExportFormat.turtle).value
    if output is None:
        exporting.write(kb, chosen, sys.stdout.buffer, base_iri, jobs)
        sys.stdout.buffer.flush()
    else:
        size = exporting.write_file(kb, chosen, output, base_iri, jobs)
        say(f"wrote {output} ({size:,} bytes)")


@app.command()
def sparql(
    ctx: typer.Context,
    text: str | None = typer.Argument(
        None, metavar="QUERY", show_default=False, help="The SPARQL query (or use --file)."
    ),
    file: Path | None = typer.Option(
        None,
        "--file",
        "-f",
        dir_okay=False,
        show_default=False,
        help="Read the query from FILE ('-' for stdin).",
    ),
    output_format: SparqlFormat = typer.Option(
        SparqlFormat.table,
        "--format",
        "-F",
        help="table, json (W3C SPARQL 1.1 Query Results JSON) or csv (W3C SPARQL 1.1 CSV).",
    ),
    base_iri: str = _base_iri_option(),
) -> None:
    """Run a SPARQL query over the knowledge base (prefixes pre-bound).

    Bound prefixes: skos, dcterms, pkb, schema, bibo, prov, org, rdf, rdfs, xsd, owl, sh,
    country, and kb (the base of the data IRIs). CONSTRUCT and DESCRIBE print Turtle.

    Examples:

      policykb sparql 'SELECT ?text WHERE { ?r a pkb:PolicyRecommendation ;
      rdf:value ?text ; dcterms:spatial country:CHL }'

      policykb sparql --file query.rq --format csv
    """
    from policykb.linked import sparql as engine

    if (text is None) == (file is None):
        raise UsageError("give a QUERY or --file FILE (one of them)")
    if file is not None:
        try:
            text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read the query file '{file}': {exc}") from None
    assert text is not None
    result = engine.query(knowledge_base(ctx), text, base_iri)
    if output_format is SparqlFormat.json:
        typer.echo(engine.results_json(result), nl=False)
    elif output_format is SparqlFormat.csv:
        typer.echo(engine.results_csv(result), nl=False)
    elif result.kind == "graph":
        sys.stdout.buffer.write(engine.graph_turtle(result))
        sys.stdout.buffer.flush()
    elif result.kind == "ask":
        typer.echo("true" if result.boolean else "false")
    elif not result.rows:
        say("no results")
    else:
        from rich import box
        from rich.table import Table

        # the look of the query commands' tables; IRIs fold rather than lose their ends
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
        for variable in result.variables:
            table.add_column(variable, overflow="fold")
        for row in result.rows:
            table.add_row(*(escape(engine.short(value, base_iri)) for value in row))
        out().print(table)


@app.command()
def publish(
    ctx: typer.Context,
    endpoint: str = typer.Option(
        ..., "--endpoint", "-e", show_default=False, help="The store's Graph Store Protocol URL."
    ),
    graph: str = typer.Option(
        ..., "--graph", "-g", show_default=False, help="IRI of the named graph to replace."
    ),
    base_iri: str = _base_iri_option(),
    timeout: float = typer.Option(60.0, "--timeout", help="Seconds to wait for the store."),
) -> None:
    """Replace a named graph in a SPARQL store with the knowledge base (HTTP PUT, Turtle).

    Uses the SPARQL 1.1 Graph Store HTTP Protocol, so any store works; the earlier graph stays
    as it was if the store refuses. Credentials come from the environment only:
    POLICYKB_SPARQL_TOKEN (bearer) or POLICYKB_SPARQL_USER and POLICYKB_SPARQL_PASSWORD.

    Examples:

      policykb publish --endpoint http://localhost:7878/store --graph https://w3id.org/policykb/graph

      policykb publish --endpoint http://localhost:3030/policykb/data --graph urn:x-policykb:kb
    """
    from policykb.linked.publish import publish as put

    done = put(knowledge_base(ctx), endpoint, graph, base_iri, timeout)
    say(
        f"published {done.size:,} bytes of Turtle to graph <{done.graph}> "
        f"at {endpoint} (HTTP {done.status})"
    )
