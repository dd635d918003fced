"""The ``cite`` command: references for reports and recommendations (:mod:`policykb.cite`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from policykb.cli.app import app, knowledge_base, say
from policykb.cli.output import output_option, to_stdout, write_output
from policykb.errors import UsageError

#: ``--output``'s suffix -> the format it means when ``--format`` is not given
SUFFIXES = {".bib": "bibtex", ".json": "csl-json", ".ris": "ris", ".txt": "text"}


class CiteFormat(StrEnum):
    """Output formats of ``cite``."""

    bibtex = "bibtex"
    csl_json = "csl-json"
    ris = "ris"
    text = "text"


class CiteStyle(StrEnum):
    """Citation styles of ``cite --format text``."""

    apa = "apa"
    chicago = "chicago"


@app.command("cite")
def cite_command(
    ctx: typer.Context,
    ids: list[str] = typer.Argument(
        ...,
        metavar="ID...",
        help="Reports (id, title or a unique part of one) or recommendations (report/rec, or "
        "the bare id when only one report uses it).",
    ),
    output_format: CiteFormat | None = typer.Option(
        None,
        "--format",
        "-F",
        show_default=False,
        help="bibtex, csl-json (Zotero, pandoc), ris or text. Default: from --output's suffix "
        "(.bib, .json, .ris, .txt), else text.",
    ),
    style: CiteStyle = typer.Option(
        CiteStyle.apa,
        "--style",
        "-s",
        help="The style of --format text: APA or Chicago author-date.",
    ),
    output: Path | None = output_option(),
) -> None:
    """Print references for reports, in BibTeX, CSL-JSON, RIS or formatted text.

    A recommendation is cited as its report, with its page or section as the
    locator: text adds its in-text citation, BibTeX a comment with the \\cite
    to use, RIS a note; CSL-JSON items carry no locator (it is said on
    stderr). A DOI the data calls unverified is left out and named in a note.

    Examples:

      policykb cite chile-digital-identity

      policykb cite chile-digital-identity/chl-di-05 --style chicago

      policykb cite chile-digital-identity panama-digital-government-review -F bibtex -o refs.bib

      policykb cite data-driven-public-sector-wp33 --format csl-json
    """
    from policykb.cite import cite, references
    from policykb.query.resolve import resolution_notes

    chosen = output_format.value if output_format is not None else None
    if chosen is None and not to_stdout(output):
        assert output is not None
        chosen = SUFFIXES.get(output.suffix.lower())
        if chosen is None:
            raise UsageError(
                f"cannot tell the format of '{output}' from its suffix",
                f"known suffixes: {', '.join(SUFFIXES)}; or give --format",
            )
    chosen = chosen or "text"
    kb = knowledge_base(ctx)
    with resolution_notes() as notes:
        try:
            refs = references(kb, ids)
        finally:
            for note in notes:  # an id matched by part of a title or id says what it matched
                say(f"note: {note}")
    if chosen == "csl-json":
        for ref in refs:
            if ref.cited != ref.report and ref.locator is not None:
                say(
                    f"note: cite {ref.cited} as {ref.report} at {ref.locator.describe()} "
                    "(CSL-JSON items carry no locator)"
                )
    write_output(cite(refs, chosen, style.value), output)
