"""RDF -> knowledge base: the inverse of :mod:`policykb.linked.rdf`,
so ``from_rdf(to_rdf(kb)) == kb``.

Items are found by their ``pkb:`` classes and identified by their IRIs under the base; order
comes from ``pkb:position`` and the ``pkb:…List`` lists, never from the order of triples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from policykb.errors import UsageError
from policykb.linked.vocab import (
    ABSTRACT,
    ALTERNATIVE,
    BROADER,
    CHAPTER,
    CONTRIBUTOR,
    COUNTRY_NS,
    DATE_PUBLISHED,
    DC_TYPE,
    DCAT_DATASET,
    DEFAULT_BASE_IRI,
    DEFINITION,
    DESCRIPTION,
    DOI,
    FIRST,
    FOAF_NAME,
    FORMAL_ORGANIZATION,
    GRADE_VALUES,
    HOMEPAGE,
    IS_PART_OF,
    ISBN,
    ISSUED,
    LABEL,
    LANDING_PAGE,
    LANGUAGE,
    LICENSE,
    MAPPING_VALUES,
    MATCH_PROPERTIES,
    NAME,
    NIL,
    NOTATION,
    NOTE,
    NUMBER,
    OBS_VALUE,
    PAGES,
    PREF_LABEL,
    PUBLISHER,
    QB_DATASET,
    QB_DATASET_OF,
    QB_OBSERVATION,
    REF_AREA,
    REPLACES,
    REPORT_CLASSES,
    REST,
    RIGHTS,
    SECTION,
    SOURCE,
    SPARQL_ENDPOINT,
    SPATIAL,
    STRING,
    SUB_ORGANIZATION_OF,
    SUBJECT,
    TITLE,
    TOP_CONCEPT_OF,
    URL,
    VALUE,
    VERSION_INFO,
    A,
    Lit,
    P,
    Term,
    Triple,
    check_base_iri,
)
from policykb.model import (
    MATCH_RELATIONS,
    Adherence,
    Contributor,
    Crosswalk,
    Dataset,
    Element,
    Framework,
    KnowledgeBase,
    LangText,
    Match,
    MatchRelation,
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

if TYPE_CHECKING:
    from rdflib import Graph

_REPORT_TYPES = {classes[0]: name for name, classes in REPORT_CLASSES.items()}
_RELATIONS: dict[str, MatchRelation] = {MATCH_PROPERTIES[r]: r for r in MATCH_RELATIONS}
_MAPPINGS: dict[str, str] = {iri: value for value, iri in MAPPING_VALUES.items()}
_GRADES: dict[str, str] = {iri: value for value, iri in GRADE_VALUES.items()}
_REVERSE = (TOP_CONCEPT_OF, BROADER, IS_PART_OF, QB_DATASET_OF)
# dcterms:isReplacedBy is written for readers; it is derived from dcterms:replaces, not read back


class _Graph:
    """The triples indexed by subject and predicate, plus the few reverse links the reader needs."""

    def __init__(self, rows: Iterable[Triple], base: str) -> None:
        self.base = base
        self.props: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.reverse: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.by_type: dict[str, list[str]] = defaultdict(list)
        for s, p, o in rows:
            values = self.props[s][p]
            if o in values:
                continue
            values.append(o)
            if p == A and isinstance(o, str):
                self.by_type[o].append(s)
            elif p in _REVERSE and isinstance(o, str):
                self.reverse[(p, o)].append(s)

    def all(self, s: str, p: str) -> list[Term]:
        return self.props[s].get(p, []) if s in self.props else []

    def one(self, s: str, p: str) -> Term | None:
        values = self.all(s, p)
        return values[0] if values else None

    def text(self, s: str, p: str) -> str | None:
        value = self.one(s, p)
        if value is None:
            return None
        return value.value if isinstance(value, Lit) else value

    def text_or(self, s: str, p: str, default: str) -> str:
        value = self.text(s, p)
        return default if value is None else value

    def iri(self, s: str, p: str) -> str | None:
        value = self.one(s, p)
        return value if isinstance(value, str) else None

    def lang_text(self, s: str, p: str) -> LangText:
        pairs = [
            (canonical_language(v.lang or "en"), v.value)
            for v in self.all(s, p)
            if isinstance(v, Lit)
        ]
        return LangText(tuple(sorted(pairs, key=lambda kv: (kv[0] != "en", kv[0]))))

    def position(self, s: str) -> int:
        value = self.text(s, P["position"])
        try:
            return int(value) if value is not None else 0
        except ValueError:
            return 0

    def ordered(self, s: str, direct: str, ordered: str) -> list[Term]:
        """The list under ``ordered`` when there is one, else the plain values (sorted)."""
        node = self.iri(s, ordered)
        if node is None:
            return sorted(self.all(s, direct), key=lambda v: (isinstance(v, Lit), str(v)))
        found: list[Term] = []
        seen: set[str] = set()
        while node is not None and node != NIL and node not in seen:
            seen.add(node)
            first = self.one(node, FIRST)
            if first is not None:
                found.append(first)
            node = self.iri(node, REST)
        return found

    def strings(self, s: str, direct: str, ordered: str) -> tuple[str, ...]:
        return tuple(v.value if isinstance(v, Lit) else v for v in self.ordered(s, direct, ordered))

    def ids(self, s: str, direct: str, ordered: str, prefix: str) -> tuple[str, ...]:
        return tuple(
            self.local(v, prefix) for v in self.ordered(s, direct, ordered) if isinstance(v, str)
        )

    def local(self, iri: str, prefix: str) -> str:
        """The id in an IRI ``prefix + id``; raises UsageError for an IRI policykb did not mint."""
        if not iri.startswith(prefix):
            raise UsageError(
                f"<{iri}> is not under <{prefix}>",
                "is the graph policykb RDF, made with the same base IRI?",
            )
        return iri[len(prefix) :]

    def concept_id(self, iri: str) -> str:
        framework_id, _, concept_id = self.local(iri, self.base + "framework/").partition("/")
        return f"{framework_id}/{concept_id}"

    def children(self, p: str, parent: str, cls: str) -> list[str]:
        found = [s for s in self.reverse.get((p, parent), []) if cls in self.all(s, A)]
        return sorted(found, key=lambda s: (self.position(s), s))

    def by_position(self, nodes: Iterable[Term]) -> list[str]:
        return sorted((n for n in nodes if isinstance(n, str)), key=lambda n: (self.position(n), n))


def _source(g: _Graph, s: str) -> Source | None:
    node = g.iri(s, P["citation"])
    if node is None:
        return None
    report = g.iri(node, SOURCE)
    return Source(
        report=None if report is None else g.local(report, g.base + "report/"),
        chapter=g.text(node, CHAPTER),
        section=g.text(node, SECTION),
        page=g.text(node, PAGES),
        url=g.text(node, URL),
        note=g.text(node, NOTE),
    )


def _concept_fields(g: _Graph, s: str, scheme: str) -> dict[str, object]:
    definition = g.lang_text(s, DEFINITION)
    return {
        "id": g.local(s, scheme + "/"),
        "label": g.lang_text(s, PREF_LABEL),
        "definition": definition if g.all(s, DEFINITION) else None,
        "notation": g.text(s, NOTATION),
        "alt_labels": tuple(
            g.lang_text(n, VALUE) for n in g.by_position(g.all(s, P["alternativeLabel"]))
        ),
        "source": _source(g, s),
        "inferred": g.text(s, P["inferred"]) in ("true", "1"),
        "notes": g.strings(s, NOTE, P["noteList"]),
    }


def _framework(g: _Graph, s: str) -> Framework:
    pillars = []
    for p in g.children(TOP_CONCEPT_OF, s, P["Pillar"]):
        elements = tuple(
            Element(**_concept_fields(g, e, s))  # type: ignore[arg-type]
            for e in g.children(BROADER, p, P["Element"])
        )
        pillars.append(Pillar(**_concept_fields(g, p, s), elements=elements))  # type: ignore[arg-type]
    defined_in = g.iri(s, SOURCE)
    frameworks = g.base + "framework/"
    replaces, uses = g.iri(s, REPLACES), g.iri(s, P["usesConceptsOf"])
    return Framework(
        id=g.local(s, g.base + "framework/"),
        title=g.text_or(s, TITLE, ""),
        source=_source(g, s) or Source(),
        defined_in=None if defined_in is None else g.local(defined_in, g.base + "report/"),
        pillar_term=g.text_or(s, P["pillarTerm"], "pillar"),
        element_term=g.text_or(s, P["elementTerm"], "element"),
        description=g.text(s, DESCRIPTION),
        alt_titles=g.strings(s, ALTERNATIVE, P["alternativeTitleList"]),
        pillars=tuple(pillars),
        notes=g.strings(s, NOTE, P["noteList"]),
        gaps=g.strings(s, P["gap"], P["gapList"]),
        version=g.text(s, VERSION_INFO),
        replaces=None if replaces is None else g.local(replaces, frameworks),
        uses=None if uses is None else g.local(uses, frameworks),
    )


def _organisation(g: _Graph, s: str) -> Organisation:
    country = g.iri(s, SPATIAL)
    parent = g.iri(s, SUB_ORGANIZATION_OF)
    return Organisation(
        id=g.local(s, g.base + "org/"),
        label=g.lang_text(s, PREF_LABEL),
        acronym=g.text(s, P["acronym"]),
        country=None if country is None else g.local(country, COUNTRY_NS),
        parent=None if parent is None else g.local(parent, g.base + "org/"),
        url=g.text(s, URL),
        source=_source(g, s),
    )


def _recommendation(g: _Graph, s: str, report: str) -> Recommendation:
    mapping = g.one(s, P["mapping"])
    grade = g.one(s, P["grade"])
    return Recommendation(
        id=g.local(s, report + "/recommendation/"),
        text=g.text_or(s, VALUE, ""),
        countries=g.ids(s, SPATIAL, P["countryList"], COUNTRY_NS),
        concepts=tuple(
            g.concept_id(c) for c in g.ordered(s, SUBJECT, P["conceptList"]) if isinstance(c, str)
        ),
        source=_source(g, s) or Source(),
        mapping=_enum(mapping, _MAPPINGS, "inferred"),  # type: ignore[arg-type]
        grade=_enum(grade, _GRADES, "listed"),  # type: ignore[arg-type]
        actors=g.ids(s, P["actor"], P["actorList"], g.base + "org/"),
        area=g.text(s, P["area"]),
        notes=g.strings(s, NOTE, P["noteList"]),
        regions=g.ids(s, P["region"], P["regionList"], g.base + "region/"),
        reported_by=g.text(s, P["reportedBy"]),
    )


def _enum(value: Term | None, names: dict[str, str], default: str) -> str:
    if value is None:
        return default
    if isinstance(value, Lit):
        return value.value
    return names.get(value, default)


def _report(g: _Graph, s: str) -> Report:
    types = g.all(s, A)
    kind = next(
        (_REPORT_TYPES[t] for t in types if isinstance(t, str) and t in _REPORT_TYPES), None
    )
    if kind is None:
        kind = g.text_or(s, DC_TYPE, "report")
    year = g.text(s, ISSUED)
    publisher = g.iri(s, PUBLISHER)
    contributors = tuple(
        Contributor(
            name=g.text_or(n, NAME, ""),
            role=g.text_or(n, P["role"], "author"),
            affiliation=g.text(n, P["affiliation"]),
            note=g.text(n, NOTE),
        )
        for n in g.by_position(g.all(s, CONTRIBUTOR))
    )
    frameworks = g.base + "framework/"
    return Report(
        id=g.local(s, g.base + "report/"),
        title=g.text_or(s, TITLE, ""),
        type=kind,
        publisher="" if publisher is None else g.local(publisher, g.base + "org/"),
        source=_source(g, s) or Source(),
        year=None if year is None else int(year),
        date=g.text(s, DATE_PUBLISHED),
        series=g.text(s, P["series"]),
        number=g.text(s, NUMBER),
        doi=g.text(s, DOI),
        isbn=g.text(s, ISBN),
        url=g.text(s, URL),
        language=g.text_or(s, LANGUAGE, "en"),
        alt_titles=g.strings(s, ALTERNATIVE, P["alternativeTitleList"]),
        contributors=contributors,
        countries=g.ids(s, SPATIAL, P["countryList"], COUNTRY_NS),
        compares=g.ids(s, P["compares"], P["comparesList"], COUNTRY_NS),
        defines=g.ids(s, P["defines"], P["definesList"], frameworks),
        applies=g.ids(s, P["applies"], P["appliesList"], frameworks),
        summary=g.text(s, ABSTRACT),
        recommendations=tuple(
            _recommendation(g, r, s) for r in g.children(IS_PART_OF, s, P["PolicyRecommendation"])
        ),
        gaps=g.strings(s, P["gap"], P["gapList"]),
        notes=g.strings(s, NOTE, P["noteList"]),
        regions=g.ids(s, P["region"], P["regionList"], g.base + "region/"),
        adherents=tuple(_adherence(g, n) for n in g.by_position(g.all(s, P["adherence"]))),
    )


def _adherence(g: _Graph, s: str) -> Adherence:
    year = g.text(s, P["year"])
    return Adherence(
        countries=g.ids(s, P["adherent"], P["adherentList"], COUNTRY_NS),
        source=_source(g, s) or Source(),
        year=None if year is None else int(year),
        note=g.text(s, NOTE),
    )


def _region(g: _Graph, s: str) -> Region:
    return Region(
        id=g.local(s, g.base + "region/"),
        label=g.lang_text(s, PREF_LABEL),
        members=g.ids(s, P["member"], P["memberList"], COUNTRY_NS),
        source=_source(g, s),
    )


def _score_set(g: _Graph, s: str) -> ScoreSet:
    frameworks = g.base + "framework/"
    index_iri = g.iri(s, P["index"]) or frameworks
    observations = []
    for o in g.children(QB_DATASET_OF, s, QB_OBSERVATION):
        area, concept = g.iri(o, REF_AREA), g.iri(o, P["scoredConcept"])
        observations.append(
            Observation(
                country="" if area is None else g.local(area, COUNTRY_NS),
                value=float(g.text_or(o, OBS_VALUE, "nan")),
                dimension=None if concept in (None, index_iri) else g.concept_id(concept),
                source=_source(g, o),
                note=g.text(o, NOTE),
            )
        )
    report = _source(g, s)
    return ScoreSet(
        id=g.local(s, g.base + "scores/"),
        title=g.text_or(s, TITLE, ""),
        index=g.local(index_iri, frameworks),
        edition=g.text_or(s, P["edition"], ""),
        source=report or Source(),
        scale=g.text(s, P["scale"]),
        report=None if report is None else report.report,
        observations=tuple(observations),
        notes=g.strings(s, NOTE, P["noteList"]),
        gaps=g.strings(s, P["gap"], P["gapList"]),
    )


def _crosswalk(g: _Graph, s: str) -> Crosswalk:
    matches = []
    for m in g.children(IS_PART_OF, s, P["ConceptMatch"]):
        source, target = g.iri(m, P["matchSource"]), g.iri(m, P["matchTarget"])
        relation = g.iri(m, P["matchRelation"])
        matches.append(
            Match(
                source_concept="" if source is None else g.concept_id(source),
                target_concept="" if target is None else g.concept_id(target),
                relation=_RELATIONS.get(relation or "", "related"),
                justification=g.text_or(m, P["justification"], ""),
            )
        )
    return Crosswalk(
        id=g.local(s, g.base + "crosswalk/"),
        title=g.text_or(s, TITLE, ""),
        matches=tuple(matches),
        source=_source(g, s),
        description=g.text(s, DESCRIPTION),
    )


def _dataset(g: _Graph) -> Dataset:
    """The data's description of itself; the default when the graph has none.

    Only what the data says is read back: the distributions, ``void:triples``,
    ``void:vocabulary`` and ``void:uriSpace`` are derived by the mapping, not data.
    """
    s = g.base + "dataset"
    if DCAT_DATASET not in g.all(s, A):
        return Dataset()
    rights, publisher = g.iri(s, RIGHTS), g.iri(s, PUBLISHER)
    return Dataset(
        title=g.text_or(s, TITLE, ""),
        description=g.text(s, DESCRIPTION),
        version=g.text(s, VERSION_INFO),
        issued=g.text(s, ISSUED),
        licence=g.iri(s, LICENSE),
        rights=None if rights is None else g.text(rights, LABEL),
        publisher=None if publisher is None else g.text(publisher, FOAF_NAME),
        publisher_url=None if publisher is None else g.iri(publisher, HOMEPAGE),
        homepage=g.iri(s, LANDING_PAGE),
        sparql_endpoint=g.iri(s, SPARQL_ENDPOINT),
    )


def from_triples(rows: Iterable[Triple], base_iri: str = DEFAULT_BASE_IRI) -> KnowledgeBase:
    """The knowledge base held by plain triples (as :func:`policykb.linked.rdf.triples`
    makes them)."""
    g = _Graph(rows, check_base_iri(base_iri))

    def items(cls: str) -> list[str]:
        return sorted(set(g.by_type.get(cls, [])))

    frameworks = [_framework(g, s) for s in items(P["Framework"])]
    organisations = [_organisation(g, s) for s in items(FORMAL_ORGANIZATION)]
    reports = [_report(g, s) for s in items(P["Publication"])]
    crosswalks = [_crosswalk(g, s) for s in items(P["Crosswalk"])]
    regions = [_region(g, s) for s in items(P["Region"])]
    scores = [_score_set(g, s) for s in items(QB_DATASET)]
    return KnowledgeBase(
        frameworks=tuple(sorted(frameworks, key=lambda x: x.id)),
        reports=tuple(sorted(reports, key=lambda x: x.id)),
        organisations=tuple(sorted(organisations, key=lambda x: x.id)),
        crosswalks=tuple(sorted(crosswalks, key=lambda x: x.id)),
        regions=tuple(sorted(regions, key=lambda x: x.id)),
        scores=tuple(sorted(scores, key=lambda x: x.id)),
        dataset=_dataset(g),
    )


def plain_triples(graph: Graph) -> list[Triple]:
    """An rdflib Graph's triples as plain tuples (blank nodes become ``_:id`` strings)."""
    from rdflib import BNode, Literal

    rows: list[Triple] = []
    for s, p, o in graph:
        obj: Term
        if isinstance(o, Literal):
            datatype = None if o.datatype is None else str(o.datatype)
            obj = Lit(str(o), o.language, None if datatype == STRING else datatype)
        elif isinstance(o, BNode):
            obj = f"_:{o}"
        else:
            obj = str(o)
        rows.append((f"_:{s}" if isinstance(s, BNode) else str(s), str(p), obj))
    return rows


def from_rdf(graph: Graph, base_iri: str = DEFAULT_BASE_IRI) -> KnowledgeBase:
    """The knowledge base an rdflib Graph holds; the inverse of :func:`policykb.to_rdf`."""
    return from_triples(plain_triples(graph), base_iri)
