"""References as BibTeX, written by pybtex from the CSL-JSON items of :mod:`.csl`.

The entry types are BibTeX's classic ones, which biblatex reads too: a report of any kind is a
``@techreport`` (its ``type`` the genre, "Report" by default, so that styles do not print
"Technical Report"), anything else a ``@misc`` whose ``howpublished`` says what it is. Titles
are wrapped in braces so that styles keep the publisher's capitals; a corporate author is
braced too, so that BibTeX does not split "Organisation for Economic Co-operation and
Development" into first and last names. pybtex escapes LaTeX's special characters (``&``, ``%``,
``#``, ``_``) and keeps other text as UTF-8; ``url`` and ``doi`` are written verbatim, as
biblatex and the ``url`` package read them. A recommendation cited adds a comment line before
its report's entry with the ``\\cite`` that points at its page or section.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer

from policykb.cite.csl import Locator, Reference

#: A CSL item type -> its BibTeX entry type (docs/researchers.md has the whole table).
ENTRY_TYPES = {"report": "techreport"}
#: Fields written as they are, not as LaTeX text.
VERBATIM = frozenset({"url", "doi"})
#: What LaTeX would read as markup and pybtex's encoder leaves as it is.
_LATEX = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "$": r"\$",
        "^": r"\textasciicircum{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
    }
)


class _Writer(Writer):  # type: ignore[misc]  # pybtex has no type hints
    """pybtex's BibTeX writer, leaving :data:`VERBATIM` fields unencoded."""

    def _write_field(self, stream: Any, field: str, value: str) -> None:
        if field in VERBATIM:
            stream.write(f",\n    {field} = {self.quote(value)}")
        else:
            super()._write_field(stream, field, value)


def bibtex(refs: Sequence[Reference]) -> str:
    """The BibTeX of ``refs``: one entry per report, keyed by the report's id."""
    comments: dict[str, list[str]] = {}
    items: dict[str, dict[str, Any]] = {}
    for ref in refs:
        items.setdefault(ref.report, ref.item)
        notes = comments.setdefault(ref.report, [])
        if ref.cited != ref.report:
            notes.append(_comment(ref))
    out = []
    for key, item in items.items():
        stream = io.StringIO()
        _Writer(encoding="UTF-8").write_stream(BibliographyData(entries={key: entry(item)}), stream)
        out.append("".join(comments[key]) + stream.getvalue())
    return "\n".join(out)


def entry(item: dict[str, Any]) -> Entry:
    """A CSL-JSON item as a pybtex entry."""
    csl_type = item["type"]
    entry_type = ENTRY_TYPES.get(csl_type, "misc")
    fields: list[tuple[str, str]] = [("title", "{" + _text(item["title"]) + "}")]
    publisher = item.get("publisher")
    if entry_type == "techreport":
        fields.append(("institution", _text(publisher or _first_literal(item))))
        fields.append(("type", _text(item.get("genre", "Report"))))
        if "number" in item:
            fields.append(("number", _text(str(item["number"]))))
        if "collection-title" in item:
            fields.append(("series", _text(item["collection-title"])))
    else:
        if csl_type == "post-weblog":
            fields.append(("howpublished", _text(item["container-title"])))
        else:
            kind = item.get("genre") or csl_type.capitalize()
            fields.append(("howpublished", _text(kind)))
        if publisher:
            fields.append(("organization", _text(publisher)))
        if "number" in item:
            fields.append(("number", _text(str(item["number"]))))
        if "collection-title" in item:
            fields.append(("series", _text(item["collection-title"])))
    date = item.get("issued", {}).get("date-parts", [[]])[0]
    if date:
        fields.append(("year", str(date[0])))
        if len(date) > 1:
            fields.append(("date", "-".join(f"{part:02d}" for part in date)))
    for field, key in (("isbn", "ISBN"), ("doi", "DOI"), ("url", "URL")):
        if key in item:
            value = item[key]
            fields.append((field, _url(value) if field in VERBATIM else _text(value)))
    if "note" in item:
        fields.append(("note", _text(item["note"])))
    return Entry(entry_type, fields=fields, persons={"author": _persons(item["author"])})


def _persons(names: list[dict[str, str]]) -> list[Person]:
    persons = []
    for name in names:
        if "literal" in name:
            persons.append(Person("{" + _text(name["literal"]) + "}"))
        else:
            persons.append(
                Person(
                    first=_text(name.get("given", "")),
                    last=_text(name["family"]),
                    lineage=_text(name.get("suffix", "")),
                )
            )
    return persons


def _first_literal(item: dict[str, Any]) -> str:
    return next((n["literal"] for n in item["author"] if "literal" in n), "")


def _text(value: str) -> str:
    """Text with the LaTeX markup characters pybtex leaves alone spelt out."""
    return value.translate(_LATEX)


def _url(value: str) -> str:
    """A URL as a verbatim field can hold it: braces and quotes percent-encoded."""
    return value.replace("{", "%7B").replace("}", "%7D").replace('"', "%22")


def _comment(ref: Reference) -> str:
    """``% report/rec: \\cite[p.~14]{report}``, the citation of one recommendation."""
    where = ref.locator
    if where is None:
        return f"% {ref.cited}: \\cite{{{ref.report}}}\n"
    return f"% {ref.cited}: \\cite[{_postnote(where)}]{{{ref.report}}}\n"


def _postnote(where: Locator) -> str:
    text = where.describe().replace("p. ", "p.~", 1)
    return text.replace("{", "(").replace("}", ")").replace("\n", " ")
