"""The RDF round trip is lossless: model -> RDF -> model is the identity, in memory and in files."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykb.datafiles.loader import load
from policykb.linked.export import serialize
from policykb.linked.rdf import DEFAULT_BASE_IRI, Lit, Triple, to_rdf, triples
from policykb.linked.read import canonical_language, from_rdf, from_triples, plain_triples
from policykb.model import (
    MATCH_RELATIONS,
    REPORT_TYPES,
    Adherence,
    Contributor,
    Crosswalk,
    Dataset,
    Element,
    Framework,
    KnowledgeBase,
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
)

TESTS = Path(__file__).parent
FIXTURE = TESTS / "data" / "rdf" / "kb"
SHIPPED = TESTS.parent / "data"

# ---------------------------------------------------------------------------------------------
# Strategies: knowledge bases with the invariants the loader guarantees (ids unique in their
# scope and slugs, collections sorted by id, translations English first then by language tag).

slugs = st.from_regex(r"\A[a-z0-9]{1,5}(-[a-z0-9]{1,3}){0,2}\Z")
texts = st.text(max_size=30)
optional_texts = st.none() | texts
codes = st.from_regex(r"\A[A-Z]{3}\Z")
concept_refs = st.builds(lambda f, c: f"{f}/{c}", slugs, slugs)
id_lists = st.lists(slugs, max_size=3).map(tuple)
code_lists = st.lists(codes, max_size=3).map(tuple)
text_lists = st.lists(texts, max_size=3).map(tuple)
languages = st.sampled_from(["en", "es", "fr", "pt-BR", "zh-Hant", "sr-Latn-RS", "de-CH"])
dates = st.none() | st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z") | texts


@st.composite
def lang_texts(draw: st.DrawFn) -> LangText:
    """A label as the loader builds it: one text per language, ``en`` first, then by tag."""
    values = draw(st.dictionaries(languages, texts, min_size=1, max_size=3))
    return LangText(tuple(sorted(values.items(), key=lambda kv: (kv[0] != "en", kv[0]))))


sources = st.builds(
    Source,
    report=st.none() | slugs,
    chapter=optional_texts,
    section=optional_texts,
    page=optional_texts,
    url=optional_texts,
    note=optional_texts,
)


def unique(strategy: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[list[str]]:
    """Distinct values (ids in one scope)."""
    return st.lists(strategy, unique=True, max_size=max_size)


@st.composite
def frameworks(draw: st.DrawFn, framework_id: str) -> Framework:
    """A framework whose pillar and element ids are unique within it."""
    ids = draw(unique(slugs, 7))
    split = draw(st.integers(0, len(ids)))
    pillar_ids, element_ids = ids[:split], ids[split:]
    pillars = []
    for index, pillar_id in enumerate(pillar_ids):
        mine = element_ids[index :: len(pillar_ids)] if pillar_ids else []
        elements = tuple(
            Element(
                e,
                draw(lang_texts()),
                draw(st.none() | lang_texts()),
                draw(optional_texts),
                tuple(draw(st.lists(lang_texts(), max_size=2))),
                draw(st.none() | sources),
                inferred=draw(st.booleans()),
                notes=draw(text_lists),
            )
            for e in mine
        )
        pillars.append(
            Pillar(
                pillar_id,
                draw(lang_texts()),
                draw(st.none() | lang_texts()),
                draw(optional_texts),
                tuple(draw(st.lists(lang_texts(), max_size=2))),
                draw(st.none() | sources),
                inferred=draw(st.booleans()),
                notes=draw(text_lists),
                elements=elements,
            )
        )
    return Framework(
        id=framework_id,
        title=draw(texts),
        source=draw(sources),
        defined_in=draw(st.none() | slugs),
        pillar_term=draw(texts),
        element_term=draw(texts),
        description=draw(optional_texts),
        alt_titles=tuple(draw(st.lists(texts, max_size=3))),
        pillars=tuple(pillars),
        notes=tuple(draw(st.lists(texts, max_size=3))),
        gaps=draw(text_lists),
        version=draw(optional_texts),
        replaces=draw(st.none() | slugs),
        uses=draw(st.none() | slugs),
    )


@st.composite
def reports(draw: st.DrawFn, report_id: str) -> Report:
    """A report with recommendations whose ids are unique within it."""
    recommendations = tuple(
        Recommendation(
            id=rec_id,
            text=draw(texts),
            countries=draw(code_lists),
            concepts=tuple(draw(st.lists(concept_refs, max_size=3))),
            source=draw(sources),
            mapping=draw(st.sampled_from(["stated", "inferred"])),
            grade=draw(st.sampled_from(["listed", "summary", "secondary", "candidate"])),
            actors=draw(id_lists),
            area=draw(optional_texts),
            notes=draw(text_lists),
            regions=draw(id_lists),
            reported_by=draw(optional_texts),
        )
        for rec_id in draw(unique(slugs, 4))
    )
    return Report(
        id=report_id,
        title=draw(texts),
        type=draw(st.sampled_from(REPORT_TYPES) | slugs),
        publisher=draw(slugs),
        source=draw(sources),
        year=draw(st.none() | st.integers(1900, 2100)),
        date=draw(dates),
        series=draw(optional_texts),
        number=draw(optional_texts),
        doi=draw(optional_texts),
        isbn=draw(optional_texts),
        url=draw(optional_texts),
        language=draw(st.from_regex(r"\A[a-z]{2,3}\Z")),
        alt_titles=draw(text_lists),
        contributors=tuple(
            draw(
                st.lists(
                    st.builds(Contributor, texts, texts, optional_texts, optional_texts), max_size=3
                )
            )
        ),
        countries=draw(code_lists),
        compares=draw(code_lists),
        defines=draw(id_lists),
        applies=draw(id_lists),
        summary=draw(optional_texts),
        recommendations=recommendations,
        gaps=draw(text_lists),
        notes=draw(text_lists),
        regions=draw(id_lists),
        adherents=tuple(
            draw(
                st.lists(
                    st.builds(
                        Adherence,
                        st.lists(codes, min_size=1, max_size=3).map(tuple),
                        sources,
                        st.none() | st.integers(1900, 2100),
                        optional_texts,
                    ),
                    max_size=2,
                )
            )
        ),
    )


regions = st.builds(
    lambda i, label, members, source: Region(i, label, members, source),
    slugs,
    lang_texts(),
    code_lists,
    st.none() | sources,
)


@st.composite
def score_sets(draw: st.DrawFn, scores_id: str) -> ScoreSet:
    """A score set; its report is its source's (as the loader makes it)."""
    source = draw(sources)
    observations = draw(
        st.lists(
            st.builds(
                Observation,
                codes,
                st.floats(0, 1000, allow_nan=False, allow_infinity=False),
                st.none() | concept_refs,
                st.none() | sources,
                optional_texts,
            ),
            max_size=4,
        )
    )
    return ScoreSet(
        id=scores_id,
        title=draw(texts),
        index=draw(slugs),
        edition=draw(texts),
        source=source,
        scale=draw(optional_texts),
        report=source.report,
        observations=tuple(observations),
        notes=draw(text_lists),
        gaps=draw(text_lists),
    )


organisations = st.builds(
    lambda i, label, acronym, country, parent, url, source: Organisation(
        i, label, acronym, country, parent, url, source
    ),
    slugs,
    lang_texts(),
    optional_texts,
    st.none() | codes,
    st.none() | slugs,
    optional_texts,
    st.none() | sources,
)


@st.composite
def crosswalks(draw: st.DrawFn, crosswalk_id: str) -> Crosswalk:
    """A crosswalk, repeats of a match allowed."""
    matches = draw(
        st.lists(
            st.builds(Match, concept_refs, concept_refs, st.sampled_from(MATCH_RELATIONS), texts),
            max_size=4,
        )
    )
    return Crosswalk(
        crosswalk_id, draw(texts), tuple(matches), draw(st.none() | sources), draw(optional_texts)
    )


urls = st.sampled_from(
    [
        "https://example.org/a",
        "http://example.org/b?c=d#e",
        "https://creativecommons.org/licenses/by/4.0/",
    ]
)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    """A data directory's description as the loader builds it (a publisher's page only with
    its name), or the default of a directory without one."""
    if draw(st.booleans()):
        return Dataset()
    publisher = draw(optional_texts)
    return Dataset(
        title=draw(texts),
        description=draw(optional_texts),
        version=draw(optional_texts),
        issued=draw(dates),
        licence=draw(st.none() | urls),
        rights=draw(optional_texts),
        publisher=publisher,
        publisher_url=None if publisher is None else draw(st.none() | urls),
        homepage=draw(st.none() | urls),
        sparql_endpoint=draw(st.none() | urls),
    )


@st.composite
def knowledge_bases(draw: st.DrawFn) -> KnowledgeBase:
    """A knowledge base with every collection sorted by id and ids unique."""
    orgs = [draw(organisations) for _ in range(draw(st.integers(0, 3)))]
    orgs = list({o.id: o for o in orgs}.values())
    regions_by_id = {r.id: r for r in draw(st.lists(regions, max_size=2))}
    return KnowledgeBase(
        frameworks=tuple(draw(frameworks(i)) for i in sorted(draw(unique(slugs, 3)))),
        reports=tuple(draw(reports(i)) for i in sorted(draw(unique(slugs, 3)))),
        organisations=tuple(sorted(orgs, key=lambda o: o.id)),
        crosswalks=tuple(draw(crosswalks(i)) for i in sorted(draw(unique(slugs, 2)))),
        regions=tuple(sorted(regions_by_id.values(), key=lambda r: r.id)),
        scores=tuple(draw(score_sets(i)) for i in sorted(draw(unique(slugs, 2)))),
        dataset=draw(datasets()),
    )


# ---------------------------------------------------------------------------------------------


def _oxigraph_rows(data: bytes, rdf_format: ox.RdfFormat) -> list[Triple]:
    """Triples parsed by pyoxigraph, as the plain tuples of :mod:`policykb.linked.rdf`."""
    rows: list[Triple] = []
    for t in ox.parse(data, format=rdf_format):
        o = t.object
        obj = (
            Lit(
                o.value,
                o.language or None,
                None if o.language or o.datatype.value.endswith("#string") else o.datatype.value,
            )
            if isinstance(o, ox.Literal)
            else o.value
        )
        rows.append((t.subject.value, t.predicate.value, obj))
    return rows


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kb=knowledge_bases())
def test_from_rdf_inverts_to_rdf(kb: KnowledgeBase) -> None:
    """Any knowledge base read back from its rdflib graph equals the one that wrote it."""
    assert from_rdf(to_rdf(kb)) == kb


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kb=knowledge_bases())
def test_round_trip_through_turtle_and_ntriples_files(kb: KnowledgeBase) -> None:
    """Any knowledge base survives Turtle (read by rdflib) and N-Triples (read by Oxigraph)."""
    turtle = rdflib.Graph().parse(data=serialize(kb, "turtle"), format="turtle")
    assert from_rdf(turtle) == kb
    rows = _oxigraph_rows(serialize(kb, "ntriples"), ox.RdfFormat.N_TRIPLES)
    assert from_triples(rows) == kb


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kb=knowledge_bases())
def test_round_trip_through_jsonld(kb: KnowledgeBase) -> None:
    """Any knowledge base survives the JSON-LD export, read by rdflib and by Oxigraph."""
    data = serialize(kb, "jsonld")
    assert from_rdf(rdflib.Graph().parse(data=data, format="json-ld")) == kb
    assert from_triples(_oxigraph_rows(data, ox.RdfFormat.JSON_LD)) == kb


def test_shipped_data_round_trips() -> None:
    """The shipped knowledge base read back from its RDF equals the one loaded from YAML."""
    kb = load(SHIPPED)
    assert kb.reports and kb.frameworks and kb.crosswalks
    assert from_rdf(to_rdf(kb)) == kb


@pytest.mark.parametrize(
    ("output_format", "rdf_format"),
    [
        ("turtle", ox.RdfFormat.TURTLE),
        ("ntriples", ox.RdfFormat.N_TRIPLES),
        ("rdfxml", ox.RdfFormat.RDF_XML),
        ("jsonld", ox.RdfFormat.JSON_LD),
    ],
)
def test_fixture_round_trips_through_every_rdf_format(
    output_format: str, rdf_format: ox.RdfFormat
) -> None:
    """The fixture, exported in each RDF syntax and parsed by Oxigraph, reads back equal."""
    kb = load(FIXTURE)
    assert from_triples(_oxigraph_rows(serialize(kb, output_format), rdf_format)) == kb


def test_round_trip_under_another_base_iri() -> None:
    """A knowledge base exported under a custom base IRI reads back with that base."""
    kb = load(FIXTURE)
    base = "https://example.org/kb/"
    graph = to_rdf(kb, base)
    assert all(not str(s).startswith(DEFAULT_BASE_IRI) for s in graph.subjects())
    assert from_rdf(graph, base) == kb


def test_fixture_keeps_order_and_repeats() -> None:
    """Order and repeats of lists (countries, notes, contributors …) come back as written."""
    kb = from_rdf(to_rdf(load(FIXTURE)))
    report = kb.report("alpha-report")
    assert report is not None
    assert report.countries == ("PAN", "CHL")
    assert report.compares == ("NOR", "AUT", "NOR")
    assert [c.name for c in report.contributors] == ["Ana Autor", "Bo Editor", "Ana Autor"]
    assert [r.id for r in report.recommendations] == ["r01", "r02", "r00"]
    framework = kb.framework("alpha")
    assert framework is not None
    assert framework.notes == ("First note.", "Second note.", "First note.")
    assert framework.pillars[0].alt_labels[0] == LangText((("en", "Steering"), ("es", "Dirección")))


def test_plain_triples_of_rdflib_graph_equal_the_core() -> None:
    """rdflib's view of to_rdf holds exactly the core's triples (no normalisation on the way)."""
    kb = load(FIXTURE)
    assert set(plain_triples(to_rdf(kb))) == set(triples(kb))


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [
        ("en", "en"),
        ("pt-br", "pt-BR"),
        ("zh-hant", "zh-Hant"),
        ("sr-latn-rs", "sr-Latn-RS"),
        ("en-x-twain", "en-x-twain"),
        ("es-419", "es-419"),
    ],
)
def test_canonical_language(tag: str, canonical: str) -> None:
    """Lower-cased language tags get back the case RFC 5646 recommends."""
    assert canonical_language(tag) == canonical
