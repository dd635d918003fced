"""Maintainer commands: ``validate`` and ``schema``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from policykb.cli.app import app, data_dir, err, escape, out
from policykb.errors import ExitCode


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
    from policykb.datafiles.validation import validate as run_validate

    report = run_validate(paths or [data_dir(ctx)])
    if rdf:
        from policykb.linked.shacl import with_shacl

        report = with_shacl(report)
    if output_format is ValidateFormat.json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        console = out()
        for issue in report.issues:
            console.print(escape(str(issue)), soft_wrap=True)
        errors = sum(1 for i in report.issues if i.severity == "error")
        warnings = len(report.issues) - errors
        verdict = "[green]valid[/]" if report.valid else "[red]not valid[/]"
        err.print(f"{report.files} files: {verdict}, {errors} error(s), {warnings} warning(s)")
    raise typer.Exit(int(ExitCode.OK if report.valid else ExitCode.DATA_ISSUES))


@app.command()
def schema(
    kind: SchemaKind = typer.Argument(..., help="framework, report, organisations or mapping."),
) -> None:
    """Print the JSON Schema of a data file kind, for editors and other tools.

    Point your editor at it with a first line such as
    '# yaml-language-server: $schema=report.schema.json'.

    Examples:

      policykb schema report > report.schema.json
    """
    from policykb.datafiles.schema import schema_text

    typer.echo(schema_text(kind.value), nl=False)
