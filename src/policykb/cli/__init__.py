"""The ``policykb`` command: a thin typer layer over the library."""

from __future__ import annotations

import gc

from policykb.cli import (  # noqa: F401  (each registers its commands)
    cite,
    indicators,
    linked,
    maintain,
    queries,
    site,
)
from policykb.cli.app import app


def main() -> None:
    """Entry point of the ``policykb`` console script."""
    try:
        app(prog_name="policykb")
    finally:
        # The command is done. The interpreter's shutdown would run full collections over
        # every object the imports leave behind (about 25 ms, a tenth of a query); frozen,
        # they are skipped. Files are closed and streams flushed as before.
        gc.freeze()


__all__ = ["app", "main"]
