"""References for the knowledge base's reports, in the formats researchers' tools read.

:func:`references` resolves ids (a report, or a recommendation: its report, with the
recommendation's page or section as the locator) to :class:`~.csl.Reference` values holding
CSL-JSON items (:mod:`.csl`, the one mapping); :func:`cite` writes them in one format:

- ``csl-json``: the items (csl-data.json), for Zotero, pandoc, citeproc;
- ``bibtex``: written by pybtex (:mod:`.bibtex`);
- ``ris``: written by rispy (:mod:`.ris`);
- ``text``: formatted by citeproc-py in APA or Chicago author-date (:mod:`.text`).

A report cited through several of its recommendations is one reference. Nothing is imported
until a format needs it (pybtex, rispy and citeproc-py are imported by their modules).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from policykb.cite.csl import Locator, Reference, csl_item, locator, unverified_doi
from policykb.errors import NotFoundError
from policykb.model import KnowledgeBase

FORMATS = ("bibtex", "csl-json", "ris", "text")
STYLES = ("apa", "chicago")

__all__ = [
    "FORMATS",
    "STYLES",
    "Locator",
    "Reference",
    "cite",
    "csl_item",
    "locator",
    "references",
    "unique_items",
    "unverified_doi",
]


def references(kb: KnowledgeBase, ids: Sequence[str]) -> list[Reference]:
    """The reference each id names, in order: a report id (or title, or a unique part of
    either), or a recommendation as ``report/rec`` or its bare id when only one report uses it.

    Raises NotFoundError for an id that names nothing and AmbiguousError for a bare
    recommendation id that several reports use.
    """
    from policykb.query.resolve import resolve_recommendation_id, resolve_report

    found: list[Reference] = []
    items: dict[str, dict[str, object]] = {}
    known: list[str] | None = None
    for text in ids:
        wanted = text.strip()
        report = kb.report(wanted)
        rec = None
        if report is None:
            if known is None:
                known = [report.qid(r) for report, r in kb.recommendations()]
            try:
                qid = resolve_recommendation_id(wanted, known)
            except NotFoundError:
                if "/" in wanted:
                    raise
                report = resolve_report(kb, wanted)  # a title, or part of an id or title
            else:
                report_id, _, rec_id = qid.partition("/")
                report = kb.report(report_id)
                assert report is not None
                rec = next(r for r in report.recommendations if r.id == rec_id)
        item = items.get(report.id)
        if item is None:
            item = items[report.id] = csl_item(kb, report)
        if rec is None:
            found.append(Reference(report.id, report.id, item))
        else:
            found.append(
                Reference(report.qid(rec), report.id, item, locator(rec.source), rec.source)
            )
    return found


def unique_items(refs: Sequence[Reference]) -> list[dict[str, object]]:
    """The CSL-JSON items of ``refs``, each report once, in the order first cited."""
    return list({ref.report: ref.item for ref in refs}.values())


def cite(refs: Sequence[Reference], output_format: str, style: str = "apa") -> str:
    """``refs`` written in ``output_format`` (one of :data:`FORMATS`); ``style`` is the
    citation style of ``text`` (one of :data:`STYLES`)."""
    if output_format == "csl-json":
        return json.dumps(unique_items(refs), ensure_ascii=False, indent=2) + "\n"
    if output_format == "bibtex":
        from policykb.cite.bibtex import bibtex

        return bibtex(refs)
    if output_format == "ris":
        from policykb.cite.ris import ris

        return ris(refs)
    if output_format == "text":
        from policykb.cite.text import text

        return text(refs, style)
    raise ValueError(f"unknown citation format {output_format!r}")
