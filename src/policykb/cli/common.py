"""What the query commands share: the output formats, the common options, writing a result in
the format asked for (to stdout or a file), and the notes of names matched by part.

The commands live in :mod:`policykb.cli.queries` and :mod:`policykb.cli.indicators`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sized
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from policykb.cli.app import lazy_module, out, say
from policykb.cli.output import file_width, to_stdout, write_output
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


FORMAT_HELP = (
    "table (for people), json, csv (for spreadsheets) or markdown. Default: the one --output's "
    "suffix names, else table."
)


def format_option() -> Any:
    return typer.Option(None, "--format", "-F", show_default=False, help=FORMAT_HELP)


def country_option() -> Any:
    return typer.Option(
        None,
        "--country",
        "-c",
        show_default=False,
        help="Country: name, alpha-2 or alpha-3 code, any case. Repeat for any of several.",
    )


def emit(
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


def with_notes(command: Callable[P, None]) -> Callable[P, None]:
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
