"""``--output FILE`` of the query commands: the option, the format FILE's suffix names, the write.

Every query command takes ``--output/-o FILE``. Without ``--format`` the suffix of FILE says
the format (:data:`SUFFIXES`; a command may know more, as ``framework`` knows ``.mmd`` and
``.dot``); a suffix policykb does not know is a usage error that lists the known ones. ``-``
is stdout. A file is written atomically (:func:`policykb.linked.export.atomic_file`): a failed
write leaves the old file as it was.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer

from policykb.cli.app import say
from policykb.errors import UsageError

#: File suffix -> the format it means, for every query command. ``.txt`` is the plain table.
SUFFIXES: dict[str, str] = {".json": "json", ".csv": "csv", ".md": "markdown", ".txt": "table"}

#: The width of a table written to a file: ``$COLUMNS`` when set, else this.
FILE_WIDTH = 80


def output_option() -> Any:
    """The ``--output/-o FILE`` option every query command takes."""
    return typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        show_default=False,
        help="Write to FILE (atomically) instead of stdout; '-' is stdout. Without --format "
        "the suffix says the format: .json, .csv, .md, or .txt for the plain table.",
    )


def to_stdout(output: Path | None) -> bool:
    """Whether the result goes to stdout (no ``--output``, or ``--output -``)."""
    return output is None or str(output) == "-"


def output_format(
    given: str | None, output: Path | None, suffixes: Mapping[str, str] = SUFFIXES
) -> str:
    """The format to write: ``--format`` when given, else the one FILE's suffix names, else table.

    Raises :class:`UsageError` (exit 2) for a suffix not in ``suffixes``.
    """
    if given is not None:
        return given
    if output is None or to_stdout(output):
        return "table"
    found = suffixes.get(output.suffix.lower())
    if found is None:
        known = ", ".join(suffixes)
        raise UsageError(
            f"cannot tell the format of '{output}' from its suffix",
            f"known suffixes: {known}; or give --format",
        )
    return found


def file_width() -> int:
    """The width of a table written to a file: ``$COLUMNS`` when it is a number, else 80."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else FILE_WIDTH


def write_output(text: str, output: Path | None) -> None:
    """``text`` on stdout, or into FILE atomically, saying on stderr what was written."""
    if to_stdout(output):
        typer.echo(text, nl=False)
        return
    assert output is not None
    from policykb.linked.export import atomic_file

    data = text.encode("utf-8")
    with atomic_file(output) as file:
        file.write(data)
    say(f"wrote {output} ({len(data):,} bytes)")
