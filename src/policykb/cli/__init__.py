"""The ``policykb`` command: a thin typer layer over the library."""

from __future__ import annotations

from policykb.cli import linked, maintain, queries  # noqa: F401  (each registers its commands)
from policykb.cli.app import app


def main() -> None:
    """Entry point of the ``policykb`` console script."""
    app(prog_name="policykb")


__all__ = ["app", "main"]
