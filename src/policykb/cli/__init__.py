"""The ``policykb`` command: a thin typer layer over the library."""

from __future__ import annotations

import gc

# Each module registers its commands; `policykb --help` lists them in this order.
# isort: off
from policykb.cli import maintain, queries, explore, indicators, linked, cite, site  # noqa: F401

# isort: on
from policykb.cli.app import app, guard_closed_stdout


def main() -> None:
    """Entry point of the ``policykb`` console script."""
    guard_closed_stdout()
    try:
        app(prog_name="policykb")
    finally:
        # The command is done. The interpreter's shutdown would run full collections over
        # every object the imports leave behind (about 25 ms, a tenth of a query); frozen,
        # they are skipped. Files are closed and streams flushed as before.
        gc.freeze()


__all__ = ["app", "main"]
