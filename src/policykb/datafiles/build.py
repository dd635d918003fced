"""Plain data from schema-valid YAML files -> model objects. No I/O, no checks beyond the schema's.

Each function takes the mapping of one file (already checked against its JSON Schema) and
returns frozen model values; dicts from YAML stop here.
"""

from __future__ import annotations

from typing import Any

from policykb.model import (
    Adherence,
    Contributor,
    Crosswalk,
    Dataset,
    Element,
    Framework,
    LangText,
    Match,
    Observation,
    Organisation,
    Pillar,
    Recommendation,
    Region,
    Report,
    ScoreSet,
    Source,
    canonical_language,
)


def lang_text(value: str | dict[str, str]) -> LangText:
    """A label or definition: a plain string is English; a mapping lists languages, ``en`` first."""
    if isinstance(value, str):
        return LangText((("en", value),))
    items = sorted(
        ((canonical_language(k), v) for k, v in value.items()),
        key=lambda kv: (kv[0] != "en", kv[0]),
    )
    return LangText(tuple(items))


def _opt_text(value: Any) -> LangText | None:
    return None if value is None else lang_text(value)


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _strs(values: list[Any] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())


def source(value: dict[str, Any] | None, report: str | None = None) -> Source | None:
    """A source; ``report`` fills in the containing report's id when the mapping leaves it out."""
    if value is None:
        return None
    return Source(
        report=value.get("report", report),
        chapter=value.get("chapter"),
        section=value.get("section"),
        page=_str(value.get("page")),
        url=value.get("url"),
        note=value.get("note"),
    )


def _concept_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": data["id"],
        "label": lang_text(data["label"]),
        "definition": _opt_text(data.get("definition")),
        "notation": data.get("notation"),
        "alt_labels": tuple(lang_text(v) for v in data.get("alt_labels", ())),
        "source": source(data.get("source")),
        "inferred": bool(data.get("inferred", False)),
        "notes": _strs(data.get("notes")),
    }


def framework(data: dict[str, Any]) -> Framework:
    """A framework file's mapping as a :class:`Framework`."""
    pillars = tuple(
        Pillar(
            **_concept_fields(p),
            elements=tuple(Element(**_concept_fields(e)) for e in p.get("elements", ())),
        )
        for p in data.get("pillars", ())
    )
    src = source(data["source"])
    assert src is not None  # required by the schema
    return Framework(
        id=data["id"],
        title=data["title"],
        source=src,
        defined_in=data.get("defined_in"),
        pillar_term=data.get("pillar_term", "pillar"),
        element_term=data.get("element_term", "element"),
        description=data.get("description"),
        alt_titles=_strs(data.get("alt_titles")),
        pillars=pillars,
        notes=_strs(data.get("notes")),
        gaps=_strs(data.get("gaps")),
        version=_str(data.get("version")),
        replaces=data.get("replaces"),
        uses=data.get("uses"),
    )


def recommendation(
    data: dict[str, Any], report_id: str, default_countries: tuple[str, ...]
) -> Recommendation:
    """One recommendation mapping; countries default to the report's when it names exactly one."""
    countries = tuple(data["countries"]) if "countries" in data else default_countries
    src = source(data["source"], report_id)
    assert src is not None
    return Recommendation(
        id=data["id"],
        text=data["text"],
        countries=countries,
        concepts=tuple(data["concepts"]),
        source=src,
        mapping=data.get("mapping", "inferred"),
        grade=data.get("grade", "listed"),
        actors=_strs(data.get("actors")),
        area=data.get("area"),
        notes=_strs(data.get("notes")),
        regions=_strs(data.get("regions")),
        reported_by=data.get("reported_by"),
    )


def report(data: dict[str, Any]) -> Report:
    """A report file's mapping as a :class:`Report`, with its recommendations."""
    countries = _strs(data.get("countries"))
    default = countries if len(countries) == 1 else ()
    src = source(data["source"], None)
    assert src is not None
    return Report(
        id=data["id"],
        title=data["title"],
        type=data["type"],
        publisher=data["publisher"],
        source=src,
        year=data.get("year"),
        date=data.get("date"),
        series=data.get("series"),
        number=_str(data.get("number")),
        doi=data.get("doi"),
        isbn=data.get("isbn"),
        url=data.get("url"),
        language=data.get("language", "en"),
        alt_titles=_strs(data.get("alt_titles")),
        contributors=tuple(
            Contributor(c["name"], c.get("role", "author"), c.get("affiliation"), c.get("note"))
            for c in data.get("contributors", ())
        ),
        countries=countries,
        compares=_strs(data.get("compares")),
        defines=_strs(data.get("defines")),
        applies=_strs(data.get("applies")),
        summary=data.get("summary"),
        recommendations=tuple(
            recommendation(r, data["id"], default) for r in data.get("recommendations", ())
        ),
        gaps=_strs(data.get("gaps")),
        notes=_strs(data.get("notes")),
        regions=_strs(data.get("regions")),
        adherents=tuple(adherence(a) for a in data.get("adherents", ())),
    )


def adherence(data: dict[str, Any]) -> Adherence:
    """One adherence statement of a legal instrument."""
    src = source(data["source"])
    assert src is not None
    return Adherence(_strs(data["countries"]), src, data.get("year"), data.get("note"))


def regions(data: dict[str, Any]) -> list[Region]:
    """The regions file's list as :class:`Region` values."""
    return [
        Region(
            id=r["id"],
            label=lang_text(r["label"]),
            members=_strs(r.get("members")),
            source=source(r.get("source")),
        )
        for r in data["regions"]
    ]


def score_set(data: dict[str, Any]) -> ScoreSet:
    """A scores file's mapping as a :class:`ScoreSet`."""
    src = source(data["source"], data.get("report"))
    assert src is not None
    return ScoreSet(
        id=data["id"],
        title=data["title"],
        index=data["index"],
        edition=str(data["edition"]),
        source=src,
        scale=data.get("scale"),
        report=src.report,
        observations=tuple(
            Observation(
                country=o["country"],
                value=float(o["value"]),
                dimension=o.get("dimension"),
                source=source(o.get("source")),
                note=o.get("note"),
            )
            for o in data["observations"]
        ),
        notes=_strs(data.get("notes")),
        gaps=_strs(data.get("gaps")),
    )


def organisations(data: dict[str, Any]) -> list[Organisation]:
    """The organisations file's list as :class:`Organisation` values."""
    return [
        Organisation(
            id=o["id"],
            label=lang_text(o["label"]),
            acronym=o.get("acronym"),
            country=o.get("country"),
            parent=o.get("parent"),
            url=o.get("url"),
            source=source(o.get("source")),
        )
        for o in data["organisations"]
    ]


def crosswalk(data: dict[str, Any]) -> Crosswalk:
    """A mapping file's mapping as a :class:`Crosswalk`."""
    return Crosswalk(
        id=data["id"],
        title=data["title"],
        matches=tuple(
            Match(m["from"], m["to"], m["relation"], m["justification"]) for m in data["matches"]
        ),
        source=source(data.get("source")),
        description=data.get("description"),
    )


def dataset(data: dict[str, Any]) -> Dataset:
    """The dataset file (``dataset.yaml``) as a :class:`Dataset`."""
    publisher = data.get("publisher") or {}
    return Dataset(
        title=data["title"],
        description=data.get("description"),
        version=_str(data.get("version")),
        issued=_str(data.get("issued")),
        licence=data.get("licence"),
        rights=data.get("rights"),
        publisher=publisher.get("name"),
        publisher_url=publisher.get("url"),
        homepage=data.get("homepage"),
        sparql_endpoint=data.get("sparql_endpoint"),
    )
