"""The site's search index: Pagefind, run over the built pages.

Pagefind (https://pagefind.app) indexes the HTML the build wrote and splits the index into
small fragments the browser fetches as a query needs them, so search stays quick on a corpus
of thousands of reports with no server. Only the pages of recommendations, reports, concepts,
frameworks and organisations are indexed (their ``<main>`` carries ``data-pagefind-body``).
The binary comes from the ``pagefind-bin-extended`` wheel (a dependency of ``pagefind[extended]``).
"""

from __future__ import annotations

import importlib
import subprocess
from pathlib import Path

from policykb.errors import PolicykbError

#: Where the index goes inside the site.
SUBDIR = "pagefind"


class SearchIndexError(PolicykbError):
    """Pagefind could not index the site."""


def executable() -> Path:
    """The Pagefind binary of the installed wheel."""
    for module in ("pagefind_bin_extended", "pagefind_bin"):  # the plain wheel: the same CLI
        try:
            found = importlib.import_module(module).get_executable()
        except (ImportError, FileNotFoundError):
            continue
        return Path(found)
    raise SearchIndexError(
        "Pagefind is not installed",
        "pip install 'pagefind[extended]', or build with --no-search",
    )


def index(site: Path) -> None:
    """Write the Pagefind index of the HTML under ``site`` to ``site/pagefind/``."""
    command = [
        str(executable()),
        "--site",
        str(site),
        "--output-subdir",
        SUBDIR,
        "--force-language",
        "en",
        "--silent",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise SearchIndexError(
            "Pagefind could not index the site" + (f": {detail[-1]}" if detail else ""),
            "build with --no-search to skip the search index",
        )
