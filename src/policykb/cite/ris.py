"""References as RIS, written by rispy from the CSL-JSON items of :mod:`.csl`.

RIS types: a report of any kind is ``RPRT``, a blog post ``BLOG``, a standard ``STAND``, a legal
instrument ``LEGAL`` and a declaration ``GOVDOC`` (RIS's government document). Persons are
``AU  - Family, Given``; a corporate author is its name alone (no comma, so that reference
managers keep it whole). The series is ``T3`` (RIS's series title), a blog's name ``T2``, the
report number ``VL`` (RIS's report number), the DOI ``DO`` and the ISBN ``SN``. RIS has no
locator: a recommendation's page or section is in a note (``N1``) of its report's record. A
value is one line (RIS is line-based): line breaks and other control characters become spaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import rispy

from policykb.cite.csl import Reference

#: A CSL item type (and genre) -> its RIS type.
RIS_TYPES = {
    "report": "RPRT",
    "post-weblog": "BLOG",
    "standard": "STAND",
    "document": "GEN",
}
_DOCUMENT_TYPES = {"Legal instrument": "LEGAL", "Declaration": "GOVDOC"}
#: C0 and C1 control characters, DEL: never part of a RIS line
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)], " ")


class _Writer(rispy.RisWriter):  # type: ignore[misc]  # rispy's classes are untyped
    """rispy's RIS writer without its numbered header line before each record (``1.``)."""

    def set_header(self, count: int) -> str:
        return ""


def ris(refs: Sequence[Reference]) -> str:
    """The RIS of ``refs``: one record per report, ``ID`` its id."""
    records: dict[str, dict[str, Any]] = {}
    for ref in refs:
        record = records.get(ref.report)
        if record is None:
            record = records[ref.report] = record_of(ref.item)
        if ref.cited != ref.report:
            where = ref.locator.describe() if ref.locator is not None else "no page or section"
            record.setdefault("notes", []).append(f"Cited for {ref.cited}: {where}")
    text: str = rispy.dumps([_one_line(r) for r in records.values()], implementation=_Writer)
    return text


def _one_line(record: dict[str, Any]) -> dict[str, Any]:
    """The record with every value on one line, its whitespace runs made single spaces."""
    return {
        key: [_line(v) for v in value] if isinstance(value, list) else _line(value)
        for key, value in record.items()
    }


def _line(value: str) -> str:
    return " ".join(value.translate(_CONTROLS).split())


def record_of(item: dict[str, Any]) -> dict[str, Any]:
    """A CSL-JSON item as a rispy record (rispy's field names)."""
    csl_type = item["type"]
    kind = RIS_TYPES.get(csl_type, "GEN")
    if csl_type == "document":
        kind = _DOCUMENT_TYPES.get(item.get("genre", ""), "GEN")
    record: dict[str, Any] = {"type_of_reference": kind, "id": item["id"], "title": item["title"]}
    record["authors"] = [
        n["literal"] if "literal" in n else ", ".join(_parts(n)) for n in item["author"]
    ]
    date = item.get("issued", {}).get("date-parts", [[]])[0]
    if date:
        record["year"] = str(date[0])
    if len(date) > 1:  # YYYY/MM/DD/other, the parts not known left empty
        record["date"] = "/".join([f"{part:02d}" for part in date] + [""] * (4 - len(date)))
    for field, key in (
        ("publisher", "publisher"),
        ("secondary_title", "container-title"),
        ("tertiary_title", "collection-title"),
        ("type_of_work", "genre"),
        ("volume", "number"),
        ("doi", "DOI"),
        ("issn", "ISBN"),  # RIS's SN holds an ISBN or ISSN
        ("language", "language"),
    ):
        if key in item:
            record[field] = str(item[key])
    if "URL" in item:
        record["urls"] = [item["URL"]]
    if "note" in item:
        record["notes"] = [item["note"]]
    return record


def _parts(name: dict[str, str]) -> list[str]:
    """``Family, Given`` (and ``, Suffix``) as RIS writes a person."""
    parts = [name["family"]]
    if "given" in name:
        parts.append(name["given"])
    if "suffix" in name:
        parts.append(name["suffix"])
    return parts
