"""The start-up floor: a minimal typer app that prints a rich table of the given rows.

    python bench/minimal_app.py recommendations --rows ROWS.json [--parse DATA_DIR]

``--parse`` adds a bare ``yaml.CSafeLoader`` parse of every YAML file under DATA_DIR first:
the floor for a first (uncached) query.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False, help="A minimal typer + rich app (benchmark floor).")


@app.callback()
def main() -> None:
    """A group, like policykb, so ``--help`` lists commands."""


@app.command()
def recommendations(
    rows: Path = typer.Option(..., "--rows", help="JSON list of rows to print."),
    parse: Path | None = typer.Option(None, "--parse", help="Also parse this data directory."),
) -> None:
    """Print the rows as a table."""
    if parse is not None:
        import yaml

        for path in sorted(parse.rglob("*.yaml")):
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    table = Table("ID", "Countries", "Concepts", "Recommendation")
    for row in json.loads(rows.read_text("utf-8")):
        table.add_row(
            row["id"], ", ".join(row["countries"]), "\n".join(row["concepts"]), row["text"]
        )
    Console().print(table)


if __name__ == "__main__":
    app()
