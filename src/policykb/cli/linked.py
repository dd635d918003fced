"""Linked-data commands: export, sparql, ontology, publish.

Each parses its options, calls one function of :mod:`policykb.linked.export`,
:mod:`policykb.linked.sparql`, :mod:`policykb.linked.ontology` or :mod:`policykb.linked.publish`,
and prints the result; library errors become exit codes in :mod:`policykb.cli.app`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from policykb.cli.app import app, knowledge_base, out, say
from policykb.cli.output import to_stdout
from policykb.errors import ExitCode, UsageError, did_you_mean
from policykb.linked import DEFAULT_BASE_IRI

if TYPE_CHECKING:
    from rich.console import Console

#: Each export format and the other names ``--format`` (any case) and ``--output``'s suffix
#: accept for it: the usual file suffixes and spellings of each syntax.
EXPORT_ALIASES: dict[str, tuple[str, ...]] = {
    "turtle": ("ttl",),
    "jsonld": ("json-ld", "json"),
    "ntriples": ("nt", "n-triples"),
    "rdfxml": ("rdf", "xml", "rdf-xml", "rdf/xml"),
    "graphml": (),
    "csv": (),
}
_EXPORT_NAMES = {
    name: output_format
    for output_format, aliases in EXPORT_ALIASES.items()
    for name in (output_format, *aliases)
}
_EXPORT_HELP = ", ".join(
    f"{name} ({', '.join(aliases)})" if aliases else name
    for name, aliases in EXPORT_ALIASES.items()
)


def export_format(name: str | None, output: Path | None) -> str:
    """The export format ``--format NAME`` means, else the one ``--output``'s suffix names.

    Without either it is Turtle; a suffix policykb does not know also means Turtle.
    """
    if name is not None:
        found = _EXPORT_NAMES.get(name.lower())
        if found is None:
            hint = did_you_mean(name.lower(), _EXPORT_NAMES)
            raise UsageError(
                f"unknown export format '{name}'",
                f"{hint + ' ' if hint else ''}one of: {_EXPORT_HELP}",
            )
        return found
    suffix = output.suffix.removeprefix(".").lower() if output is not None else ""
    return _EXPORT_NAMES.get(suffix, "turtle")


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
    output_format: str | None = typer.Option(
        None,
        "--format",
        "-F",
        metavar="FORMAT",
        show_default=False,
        help=f"{_EXPORT_HELP}; any case. Default: from --output's suffix, else turtle.",
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        dir_okay=False,
        show_default=False,
        help="Write to FILE (atomically: a failed export leaves the old file; only a regular file "
        "is replaced) instead of stdout; '-' is stdout.",
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

    --format takes a format's name or its usual alias (ttl, json-ld, nt,
    rdf, xml); without it, --output's suffix chooses (kb.nt is N-Triples).
    The same data gives the same bytes, whatever --jobs says.

    Examples:

      policykb export --format turtle --output kb.ttl

      policykb export -F nt | head -3

      policykb export --all exports/

      policykb export --check exports/
    """
    from policykb.linked import export as exporting

    if all_dir is not None and check_dir is not None:
        raise UsageError("--all and --check do not go together")
    if (all_dir or check_dir) is not None and (output_format or output) is not None:
        raise UsageError("--all and --check write every format: drop --format and --output")
    chosen = export_format(output_format, output)
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
    if to_stdout(output):
        exporting.write(kb, chosen, sys.stdout.buffer, base_iri, jobs)
        sys.stdout.buffer.flush()
    else:
        assert output is not None
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
    ontology: bool = typer.Option(
        True,
        "--ontology/--no-ontology",
        help="Query the shipped ontology (pkb: classes and properties, their labels) along with "
        "the data, or the data alone.",
    ),
    base_iri: str = _base_iri_option(),
    timeout: float = typer.Option(
        60.0,
        "--timeout",
        metavar="SECONDS",
        help="Stop the query after SECONDS (over 0, at most a day); exit 2.",
    ),
    memory: int = typer.Option(
        2048,
        "--memory",
        metavar="MB",
        min=16,
        help="Stop the query when it needs more than MB megabytes beyond the loaded data; exit 2.",
    ),
    allow_service: bool = typer.Option(
        False,
        "--allow-service",
        help="Let SERVICE fetch from other SPARQL endpoints over the network (refused, exit 2, "
        "without it).",
    ),
) -> None:
    """Run a SPARQL query over the knowledge base and the policykb ontology.

    Bound prefixes: skos, dcterms, pkb, schema, bibo, prov, org, rdf, rdfs,
    xsd, owl, sh, qb, sdmx-dimension, sdmx-measure, dcat, void, country, and kb
    (the base of the data IRIs). Data IRIs hold '/', which a prefixed name cannot:
    write them in full (<https://w3id.org/policykb/report/ID>) or escape the
    slash (kb:report\\/ID). CONSTRUCT and DESCRIBE print Turtle.

    The query runs in a child process that --timeout, --memory and Ctrl-C stop
    (exit 2, 2 and 130). SERVICE is refused before anything runs unless
    --allow-service is given, and so are brackets nested over 100 deep.

    Examples:

      policykb sparql 'SELECT ?text WHERE { ?r a pkb:PolicyRecommendation ;
      rdf:value ?text ; dcterms:spatial country:CHL }'

      policykb sparql 'SELECT ?label WHERE {
      pkb:PolicyRecommendation rdfs:label ?label }'

      echo 'ASK { ?r a pkb:PolicyRecommendation }' | policykb sparql --file -
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
    engine.check_timeout(timeout)
    engine.check(text, allow_service)  # before the data is loaded, and before any network use
    result = engine.query(
        knowledge_base(ctx),
        text,
        base_iri,
        ontology,
        allow_service=allow_service,
        timeout=timeout,
        memory_mb=memory,
    )
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
        cells = [[engine.short(value, base_iri) for value in row] for row in result.rows]
        print_solutions(out(), result.variables, cells)


def print_solutions(console: Console, variables: Sequence[str], rows: list[list[str]]) -> None:
    """Solutions as a table that never breaks a word (an IRI, an id, a URL) across lines.

    Each column is at least as wide as its longest word. When those widths do not fit the
    console, each solution is printed as a block of ``variable  value`` lines instead (the
    value under its name when a word of it is too long to sit beside it), and a word longer
    than a whole line runs past it rather than being cut.
    """
    import textwrap

    from rich import box
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    def longest(values: list[str], split: bool) -> int:
        return max(
            cell_len(w) for v in values for w in (v.split() if split else v.splitlines()) or [""]
        )

    columns = [[variable, *(row[i] for row in rows)] for i, variable in enumerate(variables)]
    least = [longest(column, split=True) for column in columns]
    most = [longest(column, split=False) for column in columns]
    room = console.width - 3 * (len(variables) - 1) - 2  # the edges and gaps of SIMPLE_HEAD
    if sum(least) <= room:
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
        for variable, width in zip(variables, _share(least, most, room), strict=True):
            table.add_column(variable, width=width, overflow="fold")
        for row in rows:
            table.add_row(*(Text(value) for value in row))
        console.print(table)
        return
    label = max(cell_len(v) for v in variables)
    for number, row in enumerate(rows):
        if number:
            console.print()
        for variable, value in zip(variables, row, strict=True):
            # beside its name, or under it when one of its words is too long to sit beside it
            beside = longest([value], split=True) <= console.width - label - 2
            indent = label + 2 if beside else 2
            lines = [
                line
                for paragraph in value.splitlines() or [""]
                for line in textwrap.wrap(
                    paragraph,
                    max(console.width - indent, 20),
                    break_long_words=False,
                    break_on_hyphens=False,
                )
                or [""]
            ]
            if not beside:
                console.print(Text(variable, style="bold"))
            for index, line in enumerate(lines):
                name = Text(variable if beside and index == 0 else "", style="bold")
                name.align("left", indent - 2)
                console.print(Text.assemble(name, "  ", line), soft_wrap=True)


def _share(least: list[int], most: list[int], room: int) -> list[int]:
    """Column widths from ``least`` up towards ``most``, the spare room shared out evenly."""
    widths = list(least)
    spare = room - sum(widths)
    while spare > 0:
        wanting = [i for i, width in enumerate(widths) if width < most[i]]
        if not wanting:
            break
        share = max(1, spare // len(wanting))
        for i in wanting:
            give = min(share, most[i] - widths[i], spare)
            widths[i] += give
            spare -= give
    return widths


class OntologyPart(StrEnum):
    """What ``ontology --only`` prints."""

    ontology = "ontology"
    shapes = "shapes"


@app.command("ontology")
def ontology_command(
    only: OntologyPart | None = typer.Option(
        None,
        "--only",
        show_default=False,
        help="ontology (the pkb: classes and properties) or shapes (the SHACL shapes); "
        "default: both.",
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        dir_okay=False,
        show_default=False,
        help="Write to FILE (atomically: a failed write leaves the old file; only a regular file "
        "is replaced) instead of stdout; '-' is stdout.",
    ),
) -> None:
    """Print the policykb ontology and its SHACL shapes as Turtle.

    The ontology declares every pkb: class and property with a label and a
    comment; the shapes are what 'policykb validate --rdf' checks the export
    against. Both together are one Turtle document. export --all writes them
    as ontology.ttl and shapes.ttl.

    Examples:

      policykb ontology --only ontology

      policykb ontology --only shapes --output shapes.ttl

      policykb ontology -o policykb-ontology.ttl
    """
    from policykb.linked import ontology

    parts: list[ontology.Part] = [only.value] if only is not None else ["ontology", "shapes"]
    if to_stdout(output):
        sys.stdout.buffer.write(ontology.turtle(parts))
        sys.stdout.buffer.flush()
    else:
        assert output is not None
        size = ontology.write_file(output, parts)
        say(f"wrote {output} ({size:,} bytes)")


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
    sparql_endpoint: str | None = typer.Option(
        None,
        "--sparql-endpoint",
        show_default=False,
        help="The store's SPARQL query URL, recorded in the dataset description "
        "(void:sparqlEndpoint). Default: the data's own, else the query URL of a known store.",
    ),
) -> None:
    """Replace a named graph in a SPARQL store with the knowledge base (HTTP PUT, Turtle).

    Uses the SPARQL 1.1 Graph Store HTTP Protocol, so any store works; the earlier graph stays
    as it was if the store refuses. Credentials come from the environment only:
    POLICYKB_SPARQL_TOKEN (bearer) or POLICYKB_SPARQL_USER and POLICYKB_SPARQL_PASSWORD.
    The graph's dataset description names the store's SPARQL query URL
    (void:sparqlEndpoint): --sparql-endpoint, else the data's dataset.yaml, else
    the query URL of Oxigraph, Fuseki, GraphDB or Virtuoso derived from --endpoint.

    Examples:

      policykb publish --endpoint http://localhost:7878/store --graph https://w3id.org/policykb/graph

      policykb publish --endpoint http://localhost:3030/policykb/data --graph urn:x-policykb:kb
    """
    from policykb.linked.publish import publish as put

    done = put(knowledge_base(ctx), endpoint, graph, base_iri, timeout, sparql_endpoint)
    say(
        f"published {done.size:,} bytes of Turtle to graph <{done.graph}> "
        f"at {endpoint} (HTTP {done.status})"
    )
    if done.sparql_endpoint is None:
        say("note: the dataset description names no SPARQL endpoint (give --sparql-endpoint URL)")
