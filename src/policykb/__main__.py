"""``python -m policykb``: the same as the ``policykb`` command."""

from policykb.cli import main

main()
