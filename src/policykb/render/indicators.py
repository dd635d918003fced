"""Index scores and country profiles as tables (rich), CSV and Markdown.

A profile is several small tables (recommendations per report and grade, adherence, scores,
provisions); its CSV is one long table with a ``section`` column so that a spreadsheet can
filter it, and its Markdown one heading per section.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from policykb.query.indicators import AdherenceRow, CountryProfile, Provision, ScoreRow
from policykb.render.layout import Column, Listing, Row, id_pieces
from policykb.render.text import cite, to_csv, to_markdown


def _value(value: float) -> str:
    """A score as printed: no trailing float noise (0.79, not 0.7900000000000001)."""
    return f"{value:g}"


def _dimension(row: ScoreRow) -> str:
    return "composite" if row.dimension is None else (row.dimension_label or row.dimension)


# ---------------------------------------------------------------------------------------------
# Scores

_SCORE_COLUMNS = (
    "country",
    "index",
    "edition",
    "dimension",
    "dimension_label",
    "value",
    "scale",
    "scores",
    "source",
    "note",
)


def _score_values(r: ScoreRow) -> tuple[Any, ...]:
    return (
        r.country,
        r.index,
        r.edition,
        r.dimension or "",
        r.dimension_label or ("composite" if r.dimension is None else ""),
        _value(r.value),
        r.scale,
        r.scores,
        cite(r.source),
        r.note,
    )


def scores_table(rows: Sequence[ScoreRow]) -> RenderableType:
    """Country, edition, dimension and value; the score set and source underneath."""
    columns = (
        Column("country"),
        Column("index"),
        Column("edition"),
        Column("value", justify="right"),
        Column("dimension", wide=True),
    )
    return Listing(
        columns,
        [
            Row(
                (
                    Text(r.country),
                    Text(r.index),
                    Text(r.edition),
                    Text(_value(r.value)),
                    Text(_dimension(r) + (f" — {r.note}" if r.note else "")),
                ),
                id_pieces((r.scores, r.source.url)),
            )
            for r in rows
        ],
    )


def scores_csv(rows: Iterable[ScoreRow]) -> str:
    """CSV: country, index, edition, dimension (id and label), value, scale, set, source, note."""
    return to_csv(_SCORE_COLUMNS, (_score_values(r) for r in rows))


def scores_markdown(rows: Iterable[ScoreRow]) -> str:
    """Markdown table of the scores."""
    return to_markdown(
        ("country", "index", "edition", "dimension", "value", "source"),
        (
            (r.country, r.index, r.edition, _dimension(r), _value(r.value), cite(r.source))
            for r in rows
        ),
    )


# ---------------------------------------------------------------------------------------------
# Country profile


def _grades(grades: dict[str, int]) -> str:
    return ", ".join(f"{n} {g}" for g, n in grades.items())


def _adherence_text(a: AdherenceRow) -> str:
    year = f" (adhered {a.year})" if a.year is not None else ""
    note = f" — {a.note}" if a.note else ""
    return f"{a.title}{year}{note}"


def _provision_label(p: Provision) -> str:
    return f"{p.notation} {p.label}" if p.notation else p.label


def country_table(p: CountryProfile) -> RenderableType:
    """The profile's sections, each a small table under a heading."""
    parts: list[RenderableType] = [Text(f"{p.name} ({p.code})", style="bold")]
    if p.regions:
        parts.append(Text(f"member of: {', '.join(p.regions)}", style="dim"))
    parts.append(Text("\nRecommendations", style="bold"))
    if p.recommendations:
        parts.append(
            Listing(
                (Column("year"), Column("total", justify="right"), Column("report", wide=True)),
                [
                    Row(
                        (
                            Text(str(r.year or "–")),
                            Text(str(r.total)),
                            Text(f"{r.title} — {_grades(r.grades)}"),
                        ),
                        id_pieces((r.report,)),
                    )
                    for r in p.recommendations
                ],
            )
        )
    else:
        parts.append(Text(" none addressed to it in this data", style="dim"))
    if p.regional_recommendations:
        parts.append(
            Text(
                f" and {p.regional_recommendations} addressed to its region(s), naming no "
                "country (recs --region)",
                style="dim",
            )
        )
    parts.append(Text("\nAdheres to (as each source states it)", style="bold"))
    if p.adherence:
        parts.append(
            Listing(
                (Column("instrument", wide=True),),
                [
                    Row(
                        (Text(_adherence_text(a)),),
                        id_pieces((a.instrument, a.source.url)),
                    )
                    for a in p.adherence
                ],
                header=False,
            )
        )
    else:
        parts.append(Text(" no adherence recorded in this data", style="dim"))
    parts.append(Text("\nIndex scores", style="bold"))
    parts.append(scores_table(p.scores) if p.scores else Text(" none in this data", style="dim"))
    if p.provisions:
        parts.append(Text("\nProvisions of the instruments it adheres to", style="bold"))
        parts.append(
            Listing(
                (Column("instrument"), Column("provision", wide=True)),
                [
                    Row((Text(x.instrument), Text(_provision_label(x))), id_pieces((x.concept,)))
                    for x in p.provisions
                ],
            )
        )
    return Group(*parts)


_PROFILE_COLUMNS = ("section", "id", "title", "year", "detail", "value", "source")


def _profile_rows(p: CountryProfile) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = [
        ("recommendations", r.report, r.title, r.year, _grades(r.grades), r.total, "")
        for r in p.recommendations
    ]
    if p.regional_recommendations:
        rows.append(
            (
                "recommendations",
                "",
                "addressed to its regions",
                "",
                "; ".join(p.regions),
                p.regional_recommendations,
                "",
            )
        )
    rows += [
        ("adherence", a.instrument, a.title, a.year, a.note or "", "", cite(a.source))
        for a in p.adherence
    ]
    rows += [
        (
            "scores",
            s.scores,
            f"{s.index} {s.edition}",
            "",
            _dimension(s),
            _value(s.value),
            cite(s.source),
        )
        for s in p.scores
    ]
    rows += [
        ("provisions", x.concept, _provision_label(x), "", x.instrument, "", "")
        for x in p.provisions
    ]
    return rows


def country_csv(p: CountryProfile) -> str:
    """CSV, one row per fact: section, id, title, year, detail, value, source."""
    return to_csv(_PROFILE_COLUMNS, _profile_rows(p))


def country_markdown(p: CountryProfile) -> str:
    """Markdown: a heading, then a table per section."""
    text = f"## {p.name} ({p.code})\n\n"
    sections = (
        (
            "Recommendations",
            ("report", "title", "year", "grades", "total"),
            [(r.report, r.title, r.year, _grades(r.grades), r.total) for r in p.recommendations],
        ),
        (
            "Adheres to",
            ("instrument", "title", "year", "note", "source"),
            [(a.instrument, a.title, a.year, a.note, cite(a.source)) for a in p.adherence],
        ),
        (
            "Index scores",
            ("index", "edition", "dimension", "value", "source"),
            [
                (s.index, s.edition, _dimension(s), _value(s.value), cite(s.source))
                for s in p.scores
            ],
        ),
        (
            "Provisions",
            ("instrument", "concept", "provision"),
            [(x.instrument, x.concept, _provision_label(x)) for x in p.provisions],
        ),
    )
    for heading, header, rows in sections:
        if rows:
            text += f"### {heading}\n\n{to_markdown(header, rows)}\n"
    return text
