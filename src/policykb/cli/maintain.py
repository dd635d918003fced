"""Maintainer commands: ``validate``, ``schema``, ``new``, ``init`` and ``cache clear``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from policykb.cli.app import app, data_dir, err, escape, located_data_dir, out, say
from policykb.controls import utf8_json, visible
from policykb.errors import DataDirError, ExitCode, UsageError


class ValidateFormat(StrEnum):
    """Output formats of ``validate``."""

    text = "text"
    json = "json"


class SchemaKind(StrEnum):
    """The data file kinds that have a JSON Schema."""

    framework = "framework"
    report = "report"
    organisations = "organisations"
    mapping = "mapping"
    regions = "regions"
    scores = "scores"
    dataset = "dataset"


@app.command()
def validate(
    ctx: typer.Context,
    paths: list[Path] | None = typer.Argument(
        None, help="Data directories or files (default: the data directory).", show_default=False
    ),
    output_format: ValidateFormat = typer.Option(
        ValidateFormat.text, "--format", "-F", help="text (file:line:col: code: message) or json."
    ),
    rdf: bool = typer.Option(
        False, "--rdf", help="Also run the SHACL shapes over the RDF export (shacl-violation)."
    ),
) -> None:
    """Check the data: YAML syntax, schema, ids, references, countries and SKOS sanity.

    Every issue of every file is reported in one run as file:line:col: code: message (hint).
    Exit code 0 when the data is valid (warnings allowed), 1 when it has errors.

    Examples:

      policykb validate

      policykb validate data/reports/chile-digital-identity.yaml --format json
    """
    from policykb.datafiles.datadir import empty_warning, shown
    from policykb.datafiles.validation import validate as run_validate
    from policykb.datafiles.yamlsyntax import SYNTAX_CODES, excerpt

    report = run_validate(paths or [data_dir(ctx, warn_empty=False)])
    empty = [w for w in (empty_warning(corpus.root) for corpus in report.corpora) if w]
    if report.files == 0:  # no success over nothing: a wrong --data must not pass a hook
        raise DataDirError(f"nothing to validate: {'; '.join(empty) or 'no data files'}")
    for warning in empty:
        say(f"policykb: warning: {warning}")
    if rdf:
        from policykb.linked.shacl import with_shacl

        report = with_shacl(report)
    if output_format is ValidateFormat.json:
        typer.echo(utf8_json(report.as_dict()))
    else:
        lines = []
        for issue in report.issues:
            lines.append(str(issue))
            shown_line = excerpt(issue) if issue.code in SYNTAX_CODES else None
            if shown_line:
                lines.append(shown_line)
        if sys.stdout is not None and not sys.stdout.isatty():
            # plain lines, written at once: rich takes about 0.3 ms a line (30 s for 100,000)
            typer.echo("".join(f"{visible(line)}\n" for line in lines), nl=False)
        else:
            console = out()  # no markup, no emoji, control characters escaped
            for line in lines:
                console.print(line, soft_wrap=True)
        errors = sum(1 for i in report.issues if i.severity == "error")
        warnings = len(report.issues) - errors
        verdict = "[green]valid[/]" if report.valid else "[red]not valid[/]"
        where = ", ".join(shown(corpus.root) for corpus in report.corpora)
        err.print(
            f"{report.files} files in {escape(where)}: {verdict}, {errors} error(s), "
            f"{warnings} warning(s)"
        )
    raise typer.Exit(int(ExitCode.OK if report.valid else ExitCode.DATA_ISSUES))


@app.command()
def schema(
    kind: SchemaKind | None = typer.Argument(
        None,
        help="framework, report, organisations, mapping, regions, scores or dataset.",
        show_default=False,
    ),
    write: Path | None = typer.Option(
        None,
        "--write",
        "-w",
        help="Write every schema into DIR/schemas/ (DIR: a data directory) instead of printing.",
        metavar="DIR",
        file_okay=False,
        show_default=False,
    ),
) -> None:
    """Print the JSON Schema of a data file kind, or write all of them into a data directory.

    Each data file's first line names its schema inside its own data directory, e.g.
    '# yaml-language-server: $schema=../schemas/report.json', so editors check the file as
    you type; 'schema --write DIR' puts the schemas there (again after upgrading policykb).

    Examples:

      policykb schema report > report.schema.json

      policykb schema --write data
    """
    if write is not None:
        from policykb.datafiles.scaffold import write_schemas

        if kind is not None:
            raise UsageError("give a KIND to print, or --write DIR, not both")
        for written in write_schemas(write):
            say(str(written))
        return
    if kind is None:
        raise UsageError(
            "which schema?",
            "give a KIND (framework, report, organisations, mapping, regions, scores, dataset) "
            "or --write DIR",
        )
    from policykb.datafiles.schema import schema_text

    typer.echo(schema_text(kind.value), nl=False)


class NewKind(StrEnum):
    """The kinds of data file ``new`` has a template for."""

    report = "report"
    framework = "framework"


@app.command()
def new(
    ctx: typer.Context,
    kind: NewKind = typer.Argument(..., help="report or framework."),
    ident: str = typer.Argument(..., metavar="ID", help="The new file's id (its name)."),
) -> None:
    """Write a commented template for a new report or framework into the data directory.

    The file goes to reports/ID.yaml or frameworks/ID.yaml; an existing file is never
    replaced. Every value to fill in is left empty, so 'policykb validate' points at each one
    until it is filled.

    Examples:

      policykb new report panama-digital-government-review

      policykb --data my-data new framework my-framework
    """
    from shlex import quote

    from policykb.datafiles.datadir import shown
    from policykb.datafiles.scaffold import new_file, writable_root

    root = writable_root(located_data_dir(ctx))
    written = new_file(root, kind.value, ident)
    for item in written:
        say(str(item))
    say(f"fill in the empty values, then run: policykb validate {quote(shown(written[0].path))}")


@app.command()
def init(
    directory: Path = typer.Argument(..., metavar="DIR", help="The new data directory."),
) -> None:
    """Start a new data directory that validates as it is.

    Makes frameworks/, reports/, mappings/, an empty organisations.yaml, schemas/ and a README
    in DIR (created if missing). Nothing that exists is replaced.

    Examples:

      policykb init my-data && cd my-data && policykb new report my-report
    """
    from policykb.datafiles.scaffold import init as start

    for written in start(directory):
        say(str(written))
    say(f"next: cd {directory} && policykb new report ID")


cache_app = typer.Typer(
    name="cache",
    help="The load cache of query commands (in the user cache directory).\n\n"
    "Examples:\n\n  policykb cache clear",
    no_args_is_help=True,
)
app.add_typer(cache_app)


@cache_app.command("clear")
def cache_clear() -> None:
    """Remove policykb's cache files, of every data directory; says which.

    The next query reads the data files afresh. Nothing to remove is not an error.

    Examples:

      policykb cache clear
    """
    from policykb.cache import cache_dir, clear

    removed = clear()
    for path in removed:
        say(f"removed {path}")
    say(
        f"{len(removed)} cache file(s) removed from {cache_dir()}"
        if removed
        else f"nothing to clear in {cache_dir()}"
    )
