"""A report as a CSL-JSON item: the one mapping every reference format derives from.

CSL-JSON (the Citation Style Language's input format, what Zotero, pandoc and citeproc read) is
the reference's single description: :mod:`.bibtex`, :mod:`.ris` and :mod:`.text` are written from
the item this module makes, never from the report directly. The report type decides the CSL
type (:data:`CSL_TYPES`; the table with the BibTeX and RIS types is in docs/researchers.md).

- Authors are the contributors whose role is ``author``, split into family and given names by
  pybtex's BibTeX name rules (a particle stays with the family name: ``van Ooijen``); a report
  that names no author has its publishing organisation as a corporate (``literal``) author.
- The publisher is the organisation's name; for a blog post it is the blog's name
  (``container-title``), not a publisher.
- A DOI the report's own gaps or notes call unverified (inferred from a URL, not confirmed,
  not seen in a cite-as line) is left out of ``DOI`` and named in ``note`` instead, so that no
  reference manager prints it as if it were the publisher's (:func:`unverified_doi`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from policykb.model import Contributor, KnowledgeBase, Report, Source

#: A report type -> its CSL item type and, where the type needs saying, its genre. A legal
#: instrument and a declaration are CSL ``document``\\ s: CSL's ``legislation`` is modelled on
#: statutes (APA prints it as "Pub. L. No."), which an OECD Council Recommendation is not.
CSL_TYPES: dict[str, tuple[str, str | None]] = {
    "report": ("report", None),
    "review": ("report", None),
    "working-paper": ("report", "Working paper"),
    "policy-paper": ("report", "Policy paper"),
    "index": ("report", None),
    "blog-post": ("post-weblog", None),
    "standard": ("standard", None),
    "legal-instrument": ("document", "Legal instrument"),
    "declaration": ("document", "Declaration"),
}

#: What a sentence of a report's gaps or notes says about its DOI when the DOI is not the
#: publisher's own (the data's wording: chile-digital-identity's "DOI unverified: inferred from
#: the OECD URL identifier …, not seen in a cite-as line").
_UNVERIFIED = re.compile(
    r"\b(unverified|not verified|unconfirmed|not confirmed|inferred|not seen in a cite-as)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.;])\s+")


@dataclass(frozen=True, slots=True)
class Locator:
    """Where in a report a recommendation is: a CSL locator label (page, section, chapter)."""

    label: str
    value: str

    def describe(self) -> str:
        """``p. 14``, ``section Assessment and recommendations``, ``chapter 3``."""
        return f"p. {self.value}" if self.label == "page" else f"{self.label} {self.value}"


@dataclass(frozen=True, slots=True)
class Reference:
    """What one id asked for cites: its report's CSL item and, for a recommendation, where."""

    cited: str  # the id as resolved: a report id, or report/recommendation
    report: str  # the report's id (the item's id)
    item: dict[str, Any]  # CSL-JSON
    locator: Locator | None = None
    source: Source | None = None  # a recommendation's source, as the data gives it


def unverified_doi(report: Report) -> str | None:
    """The sentence of ``report``'s gaps or notes that calls its DOI unverified, or ``None``.

    The shortest such sentence, when several say so; a report without a DOI has none.
    """
    if report.doi is None:
        return None
    texts = [*report.gaps, *report.notes]
    if report.source.note:
        texts.append(report.source.note)
    found = [
        sentence.strip()
        for text in texts
        for sentence in _SENTENCE_END.split(text)
        if "DOI" in sentence and _UNVERIFIED.search(sentence)
    ]
    return min(found, key=len) if found else None


def csl_item(kb: KnowledgeBase, report: Report) -> dict[str, Any]:
    """``report`` as a CSL-JSON item (valid against the CSL-JSON schema, csl-data.json)."""
    csl_type, genre = CSL_TYPES.get(report.type, ("report", None))
    publisher = _organisation_name(kb, report.publisher)
    item: dict[str, Any] = {"id": report.id, "type": csl_type, "title": report.title}
    authors = [_name(c) for c in report.contributors if c.role == "author"]
    item["author"] = authors or [{"literal": publisher}]
    if csl_type == "post-weblog":
        item["container-title"] = publisher  # a blog's name, not a publisher
    else:
        item["publisher"] = publisher
    if genre is not None:
        item["genre"] = genre
    if report.series is not None:
        item["collection-title"] = report.series
    if report.number is not None:
        item["number"] = report.number
    issued = _date_parts(report)
    if issued is not None:
        item["issued"] = {"date-parts": [issued]}
    reason = unverified_doi(report)
    if report.doi is not None and reason is None:
        item["DOI"] = report.doi
    if report.isbn is not None:
        item["ISBN"] = report.isbn
    if report.url is not None:
        item["URL"] = report.url
    item["language"] = report.language
    if reason is not None:
        item["note"] = (
            f"Unverified DOI, not given as the DOI: {report.doi}. policykb notes: {reason}"
        )
    return item


def locator(source: Source) -> Locator | None:
    """A recommendation's place in its report as a locator: its page, else section, else
    chapter (``None`` when its source gives none of them)."""
    for label, value in (("page", source.page), ("section", source.section)):
        if value:
            return Locator(label, value)
    if source.chapter:
        return Locator("chapter", source.chapter)
    return None


def _organisation_name(kb: KnowledgeBase, organisation_id: str) -> str:
    organisation = kb.organisation(organisation_id)
    return organisation_id if organisation is None else str(organisation.label)


def _name(contributor: Contributor) -> dict[str, str]:
    """A person's name as CSL name parts, split by BibTeX's rules (pybtex's ``Person``)."""
    from pybtex.database import Person

    person = Person(contributor.name)
    family = " ".join([*person.prelast_names, *person.last_names])
    given = " ".join([*person.first_names, *person.middle_names])
    if not family:
        return {"literal": contributor.name}
    name = {"family": family}
    if given:
        name["given"] = given
    if person.lineage_names:
        name["suffix"] = " ".join(person.lineage_names)
    return name


def _date_parts(report: Report) -> list[int] | None:
    """The report's date as CSL date parts ``[year, month, day]``, as precise as the data."""
    if report.date is not None:
        parts = report.date.split("-")
        if all(part.isdigit() for part in parts):
            return [int(part) for part in parts[:3]]
    return None if report.year is None else [report.year]
