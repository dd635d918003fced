"""The query API over tests/data/queries: filters, crosswalks, aggregates, resolvers, search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykb import cache, query
from policykb.cache import cached, fileformat
from policykb.datafiles.loader import load
from policykb.errors import AmbiguousError, NotFoundError, UsageError
from policykb.model import Crosswalk, Framework, KnowledgeBase, LangText, Match, Pillar, Source

QUERIES = Path(__file__).parent / "data" / "queries"


@pytest.fixture(scope="module")
def loaded() -> KnowledgeBase:
    """The fixture knowledge base, loaded from its files."""
    return load(QUERIES)


@pytest.fixture(scope="module")
def cache_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A load cache file of the fixture data, and its key."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.ENV_VAR, str(tmp_path_factory.mktemp("cache")))
        cache.load_cached(QUERIES)
        return cache.cache_file(QUERIES), cache.cache_key(QUERIES)


@pytest.fixture(params=["loaded", "cache hit"])
def kb(
    request: pytest.FixtureRequest, loaded: KnowledgeBase, cache_file: tuple[Path, str]
) -> KnowledgeBase:
    """The fixture knowledge base: loaded, and as a fresh cache hit (reports not yet read)."""
    if request.param == "loaded":
        return loaded
    found = cached.read(*cache_file)
    assert isinstance(found, cache.CachedKnowledgeBase)
    return found


def ids(rows: list[query.RecommendationRow]) -> list[str]:
    """The global ids of query rows, in order."""
    return [r.id for r in rows]


ALL = [
    "chile-identity/r01", "chile-identity/r02", "chile-identity/r03", "chile-identity/r04",
    "identity-comparison/r01", "identity-comparison/r02",
    "panama-review/r01", "panama-review/r02", "panama-review/r03", "panama-review/r04",
    "panama-review/r05",
]  # fmt: skip


def test_no_filter_lists_every_recommendation_in_report_order(kb: KnowledgeBase) -> None:
    """Without filters every recommendation comes back, by report id then source order."""
    assert ids(query.recommendations(kb)) == ALL


def test_row_derives_pillars_and_frameworks(kb: KnowledgeBase) -> None:
    """A row has the global id, alpha-3 countries, and pillars/frameworks derived from concepts."""
    row = query.recommendations(kb, reports=["identity-comparison"])[0]
    assert row.id == "identity-comparison/r01"
    assert row.countries == ("CHL", "PAN")
    assert row.concepts == ("dif/credentials", "ddps/governance")
    assert row.pillars == ("dif/solutions", "ddps/governance")
    assert row.frameworks == ("dif", "ddps")
    assert row.source == Source(report="identity-comparison", section="Conclusions")
    assert (row.grade, row.mapping) == ("listed", "inferred")


@pytest.mark.parametrize("name", ["Chile", "chile", "CL", "cl", "CHL", "chl", "Republic of Chile"])
def test_country_filter_accepts_names_and_codes_in_any_case(kb: KnowledgeBase, name: str) -> None:
    """A country given by name, alpha-2 or alpha-3 code in any case selects the same rows."""
    assert ids(query.recommendations(kb, countries=[name])) == [
        "chile-identity/r01", "chile-identity/r02", "chile-identity/r03", "chile-identity/r04",
        "identity-comparison/r01",
    ]  # fmt: skip


def test_repeated_country_is_a_union(kb: KnowledgeBase) -> None:
    """Two countries select recommendations addressed to either."""
    assert ids(query.recommendations(kb, countries=["CHL", "PAN"])) == ALL


def test_pillar_filter_includes_its_elements(kb: KnowledgeBase) -> None:
    """A pillar matches recommendations tied to the pillar itself or to any of its elements."""
    assert ids(query.recommendations(kb, pillars=["ddps/trust"])) == [
        "identity-comparison/r02", "panama-review/r03", "panama-review/r05",
    ]  # fmt: skip


def test_element_filter_matches_only_that_element(kb: KnowledgeBase) -> None:
    """An element filter matches recommendations tied to that element only."""
    rows = query.recommendations(kb, elements=["Transparency"])
    assert ids(rows) == ["identity-comparison/r02", "panama-review/r03"]


def test_filters_of_different_kinds_combine_with_and(kb: KnowledgeBase) -> None:
    """Country and framework together keep only rows matching both."""
    assert ids(query.recommendations(kb, countries=["CHL"], frameworks=["ddps"])) == [
        "identity-comparison/r01"
    ]
    assert query.recommendations(kb, countries=["CHL"], pillars=["ddps/trust"]) == []


def test_report_filter_accepts_a_unique_part_of_an_id(kb: KnowledgeBase) -> None:
    """``panama`` names the one report whose id contains it (ids are tried before titles)."""
    assert [r.report for r in query.recommendations(kb, reports=["panama"])] == [
        "panama-review"
    ] * 5


def test_text_filter_ignores_case_and_accents_and_needs_every_word(kb: KnowledgeBase) -> None:
    """``claveunica`` finds ClaveÚnica; several words must all appear."""
    assert ids(query.recommendations(kb, text="claveunica")) == [
        "chile-identity/r02",
        "chile-identity/r03",
    ]
    assert ids(query.recommendations(kb, text="PUBLIC trust")) == ["panama-review/r03"]


def test_empty_result_is_an_empty_list(kb: KnowledgeBase) -> None:
    """A comparison-only country (Uruguay) has no recommendations: an empty list, no error."""
    assert query.recommendations(kb, countries=["Uruguay"]) == []


def test_include_mapped_follows_close_matches(kb: KnowledgeBase) -> None:
    """With include_mapped, ddps/trust also matches the dif/trust recommendation (close match)."""
    rows = query.recommendations(kb, pillars=["ddps/trust"], include_mapped=True)
    assert ids(rows) == [
        "chile-identity/r03", "identity-comparison/r02", "panama-review/r03", "panama-review/r05",
    ]  # fmt: skip


def test_include_mapped_follows_exact_matches_transitively(kb: KnowledgeBase) -> None:
    """well-being/openness reaches dif/trust through two exact matches, then ddps/trust by close."""
    rows = query.recommendations(kb, pillars=["well-being/openness"], include_mapped=True)
    assert ids(rows) == [
        "chile-identity/r03", "identity-comparison/r02", "panama-review/r03", "panama-review/r05",
    ]  # fmt: skip
    assert query.recommendations(kb, pillars=["well-being/openness"]) == []


def test_include_mapped_ignores_related_and_broad_matches(kb: KnowledgeBase) -> None:
    """Related and broad matches do not count by default; asked for, they do."""
    assert query.mapped_concepts(kb, ["dif/legal-basis"]) == {"dif/legal-basis"}
    assert query.mapped_concepts(kb, ["dif/private-sector"]) == {"dif/private-sector"}
    wider = query.mapped_concepts(kb, ["dif/legal-basis"], relations=("related",))
    assert wider == {"dif/legal-basis", "ddps/leadership-and-vision"}


def _chain_kb() -> KnowledgeBase:
    """Four one-pillar frameworks a..d linked x: a-close-b-close-c, y: a-exact-b-exact-c-close-d."""
    src = Source(url="https://example.org")
    pillars = (Pillar("x", LangText.of("X")), Pillar("y", LangText.of("Y")))
    frameworks = tuple(Framework(n, n.upper(), src, pillars=pillars) for n in "abcd")
    matches = (
        Match("a/x", "b/x", "close", "."), Match("b/x", "c/x", "close", "."),
        Match("a/y", "b/y", "exact", "."), Match("c/y", "b/y", "exact", "."),
        Match("c/y", "d/y", "close", "."), Match("d/y", "d/x", "close", "."),
    )  # fmt: skip
    return KnowledgeBase(frameworks=frameworks, crosswalks=(Crosswalk("w", "W", matches),))


def test_close_matches_are_one_step_and_exact_matches_transitive() -> None:
    """closeMatch is followed one step (not a→b→c); exactMatch chains are followed to the end."""
    chain = _chain_kb()
    assert query.mapped_concepts(chain, ["a/x"]) == {"a/x", "b/x"}
    assert query.mapped_concepts(chain, ["a/y"]) == {"a/y", "b/y", "c/y", "d/y"}


def test_unknown_country_is_not_found_with_a_suggestion(kb: KnowledgeBase) -> None:
    """A misspelt country raises NotFoundError with a "did you mean"."""
    with pytest.raises(NotFoundError, match="unknown country 'Chilee'") as caught:
        query.recommendations(kb, countries=["Chilee"])
    assert caught.value.hint == "did you mean 'CHL' (Chile)?"


def test_ambiguous_pillar_lists_candidates(kb: KnowledgeBase) -> None:
    """A bare id used by two frameworks raises AmbiguousError naming both qualified ids."""
    with pytest.raises(AmbiguousError) as caught:
        query.recommendations(kb, pillars=["trust"])
    assert caught.value.hint == (
        "one of: ddps/trust (pillar 'Trust'), dif/trust (pillar 'Transparency and monitoring')"
    )


@pytest.mark.parametrize(
    ("text", "level", "expected"),
    [
        ("ddps/trust", None, "ddps/trust"),
        ("DDPS/Trust", "pillar", "ddps/trust"),
        ("leadership-and-vision", None, "ddps/leadership-and-vision"),
        ("Leadership and vision", "element", "ddps/leadership-and-vision"),
        ("ddps/Leadership and vision", None, "ddps/leadership-and-vision"),
        ("privacidad y consentimiento", None, "ddps/privacy"),
        ("PRIVACY AND CONSENT", None, "ddps/privacy"),
        ("leadership", None, "ddps/leadership-and-vision"),
        ("transparency", "pillar", "dif/trust"),
        ("transparency", "element", "ddps/transparency"),
    ],
)
def test_resolve_concept_by_id_label_or_unique_part(
    kb: KnowledgeBase, text: str, level: str | None, expected: str
) -> None:
    """Qualified ids, bare ids, labels in any language and case, and unique parts resolve."""
    assert query.resolve_concept(kb, text, level).qid == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "level", "message", "hint"),
    [
        ("ddps/trst", None, "unknown concept 'ddps/trst'", "did you mean 'ddps/trust'?"),
        ("leadership", "pillar", "unknown pillar 'leadership'",
         "'ddps/leadership-and-vision' is an element"),
        ("governance", "element", "unknown element 'governance'", "'ddps/governance' is a pillar"),
        ("infra", "pillar", "unknown pillar 'infra'",
         "it names elements: ddps/data-infrastructure (element 'Data architecture and "
         "infrastructure'), dif/identity-infrastructure (element 'National identity "
         "infrastructure')"),
        ("ddsp/trust", None, "'ddsp/trust': there is no framework 'ddsp'", "did you mean 'ddps'?"),
        ("zzz", None, "unknown concept 'zzz'", None),
    ],
)  # fmt: skip
def test_resolve_concept_not_found_explains(
    kb: KnowledgeBase, text: str, level: str | None, message: str, hint: str | None
) -> None:
    """An unknown concept says what was looked for and suggests the closest or the other level."""
    with pytest.raises(NotFoundError) as caught:
        query.resolve_concept(kb, text, level)  # type: ignore[arg-type]
    assert (caught.value.message, caught.value.hint) == (message, hint)


def test_resolve_framework_and_report(kb: KnowledgeBase) -> None:
    """Frameworks and reports resolve by id, title, alternative title or a unique part."""
    assert query.resolve_framework(kb, "DDPS framework").id == "ddps"
    assert query.resolve_framework(kb, "digital identity framework").id == "dif"
    assert query.resolve_framework(kb, "well").id == "well-being"
    assert query.resolve_report(kb, "Digital Government Review of Panama").id == "panama-review"
    with pytest.raises(AmbiguousError, match="several reports"):
        query.resolve_report(kb, "identity")
    with pytest.raises(NotFoundError) as caught:
        query.resolve_report(kb, "chile-identty")
    assert caught.value.hint == "did you mean 'chile-identity'?"


def test_coverage_counts_pillars_with_their_elements(kb: KnowledgeBase) -> None:
    """Pillar coverage of ddps: CHL 1 on governance; PAN 3 governance, 1 public value, 3 trust;
    totals count each recommendation once, as recs -c C -f ddps lists it."""
    result = query.coverage(kb, "ddps")
    assert (result.framework, result.level) == ("ddps", "pillar")
    assert result.columns == ("ddps/governance", "ddps/public-value", "ddps/trust")
    assert [(r.country, r.counts) for r in result.rows] == [("CHL", (1, 0, 0)), ("PAN", (3, 1, 3))]
    assert result.labels == ("Governance", "Public value", "Trust")
    for row in result.rows:
        listed = query.recommendations(kb, countries=[row.country], frameworks=["ddps"])
        assert row.total == len(listed)
    assert result.total == len(query.recommendations(kb, frameworks=["ddps"]))


def test_coverage_rows_follow_the_countries_given(kb: KnowledgeBase) -> None:
    """Given countries become the rows, in the order given, even with no recommendations."""
    result = query.coverage(kb, "dif", level="element", countries=["PAN", "Uruguay", "CL"])
    assert [r.country for r in result.rows] == ["PAN", "URY", "CHL"]
    assert result.columns[0] == "dif/legal-basis"
    assert result.rows[1].counts == (0,) * len(result.columns)


@pytest.mark.parametrize("level", ["pillar", "element"])
@pytest.mark.parametrize("mapped", [False, True])
@pytest.mark.parametrize("framework", ["ddps", "dif", "well-being"])
def test_coverage_agrees_with_recommendations(
    kb: KnowledgeBase, level: str, mapped: bool, framework: str
) -> None:
    """Every coverage cell equals the number of rows the same recommendations filter returns
    (a framework of one level has no element columns: a usage error)."""
    if level == "element" and not any(p.elements for p in query.framework(kb, framework).pillars):
        with pytest.raises(UsageError, match="no elements to count by"):
            query.coverage(kb, framework, level)
        return
    result = query.coverage(kb, framework, level, ["CHL", "PAN"], include_mapped=mapped)
    for row in result.rows:
        for column, count in zip(result.columns, row.counts, strict=True):
            found = query.recommendations(
                kb, countries=[row.country], include_mapped=mapped,
                **{f"{level}s": [column]},  # type: ignore[arg-type]
            )  # fmt: skip
            assert count == len(found), (row.country, column)


def test_coverage_rejects_an_unknown_level(kb: KnowledgeBase) -> None:
    """A level other than pillar or element is a usage error."""
    with pytest.raises(UsageError, match="unknown level 'dimension'"):
        query.coverage(kb, "ddps", level="dimension")


def test_countries_count_reports_and_recommendations(kb: KnowledgeBase) -> None:
    """Subject countries are listed by name with their reports and recommendations; URY is not."""
    assert query.countries(kb) == [
        query.CountrySummary("CHL", "Chile", 2, 5),
        query.CountrySummary("PAN", "Panama", 2, 7),
    ]


def test_reports_filter_by_country_and_year(kb: KnowledgeBase) -> None:
    """reports() lists every report; --country and --year narrow it; candidates are counted."""
    assert [r.id for r in query.reports(kb)] == [
        "chile-identity", "ddps-report", "identity-comparison", "panama-review",
    ]  # fmt: skip
    chile = query.reports(kb, countries=["Chile"])
    assert [(r.id, r.recommendations, r.candidates) for r in chile] == [
        ("chile-identity", 4, 1),
        ("identity-comparison", 2, 1),
    ]
    assert [r.id for r in query.reports(kb, countries=["PAN"], year=2019)] == ["panama-review"]
    assert query.reports(kb, year=1999) == []


def test_report_detail_holds_its_recommendations(kb: KnowledgeBase) -> None:
    """report() gives the facts and the same rows recommendations(reports=[id]) gives."""
    detail = query.report(kb, "chile-identity")
    assert (detail.title, detail.year, detail.compares, detail.defines) == (
        "Digital Government in Chile – Digital Identity",
        2019,
        ("URY",),
        ("dif",),
    )
    assert list(detail.recommendations) == query.recommendations(kb, reports=["chile-identity"])
    assert detail.recommendations[3].grade == "candidate"


def test_frameworks_outline_pillars_and_elements(kb: KnowledgeBase) -> None:
    """frameworks() outlines every framework; framework() one, with English labels."""
    assert [f.id for f in query.frameworks(kb)] == ["ddps", "dif", "well-being"]
    outline = query.framework(kb, "ddps")
    assert [p.id for p in outline.pillars] == ["governance", "public-value", "trust"]
    assert outline.pillars[2].elements[1] == query.ElementOutline("privacy", "Privacy and consent")
    assert query.framework(kb, "well-being").pillars[0].elements == ()


def test_stats_counts_everything(kb: KnowledgeBase) -> None:
    """stats() counts frameworks, concepts, reports, recommendations, countries and links."""
    assert query.stats(kb) == query.Stats(
        frameworks=3, pillars=8, elements=10, reports=4, recommendations=11, listed=9,
        summary=0, secondary=0, candidates=2, countries=2, organisations=3, crosswalks=1,
        matches=6, regions=0, score_sets=0, scores=0, adherence_statements=0,
    )  # fmt: skip


def test_search_is_accent_and_case_insensitive(kb: KnowledgeBase) -> None:
    """``claveunica`` finds the recommendations and the report summary that say ClaveÚnica."""
    hits = query.search(kb, "claveunica")
    assert [(h.kind, h.id) for h in hits] == [
        ("recommendation", "chile-identity/r02"),
        ("recommendation", "chile-identity/r03"),
        ("report", "chile-identity"),
    ]
    assert "ClaveÚnica" in hits[2].snippet
    assert hits[2].fields == ("summary",)


def test_search_ranks_labels_above_texts(kb: KnowledgeBase) -> None:
    """The pillar labelled Trust (label 3 + id 2 + definition 1) ranks above texts using it once."""
    hits = query.search(kb, "trust")
    assert (hits[0].id, hits[0].score) == ("ddps/trust", 6.0)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_search_needs_every_word_and_matches_prefixes(kb: KnowledgeBase) -> None:
    """Every query word must match; a word matches the words it starts (``ident`` → identity)."""
    assert [h.id for h in query.search(kb, "trust framework")] == [
        "panama-review/r05",
        "ddps-report",
    ]
    assert {h.id for h in query.search(kb, "ident infra")} == {
        "dif/identity-infrastructure",
        "chile-identity/r04",
    }


def test_search_marks_candidates_and_limits(kb: KnowledgeBase) -> None:
    """Hits carry the recommendation grade; limit keeps the best ones."""
    hits = query.search(kb, "identity", limit=2)
    assert len(hits) == 2
    statuses = {h.id: h.grade for h in query.search(kb, "civil registry")}
    assert statuses == {"chile-identity/r04": "candidate", "srcei": None}  # srcei: organisation


def test_search_without_words_is_a_usage_error(kb: KnowledgeBase) -> None:
    """A query of punctuation only is a usage error."""
    with pytest.raises(UsageError):
        query.search(kb, " -- ")


def test_as_dict_is_json_shaped(kb: KnowledgeBase) -> None:
    """as_dict turns results into plain dicts and lists that survive a JSON round trip."""
    for result in (
        query.recommendations(kb),
        query.coverage(kb, "ddps"),
        query.stats(kb),
        query.report(kb, "chile-identity"),
        query.frameworks(kb),
    ):
        data = query.as_dict(result)
        assert json.loads(json.dumps(data)) == data
    assert query.as_dict(query.coverage(kb, "ddps"))["rows"][1] == {
        "country": "PAN", "counts": [3, 1, 3], "total": 7}  # fmt: skip


def test_index_is_rebuilt_for_another_knowledge_base(kb: KnowledgeBase) -> None:
    """Queries on two knowledge bases in turn never answer from the other's index."""
    other = _chain_kb()
    assert query.recommendations(other) == []
    assert len(query.recommendations(kb)) == 11
    assert query.recommendations(other) == []


def test_a_cache_hit_answers_from_its_index_without_reading_reports(
    loaded: KnowledgeBase, cache_file: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filters, rows, coverage and resolvers on a cache hit never unpickle the reports."""
    kb = cached.read(*cache_file)
    assert kb is not None

    def refuse(self: object, *part: object) -> None:
        raise AssertionError("the reports were read")

    monkeypatch.setattr(fileformat.CacheFile, "reports_between", refuse)
    for filters in (
        {"countries": ["CL"]},
        {"countries": ["PAN"], "pillars": ["ddps/trust"], "include_mapped": True},
        {"frameworks": ["dif"], "reports": ["comparison"]},
        {"elements": ["Transparency"], "text": "trust"},
        {},
    ):
        assert query.recommendations(kb, **filters) == query.recommendations(loaded, **filters)
    assert query.coverage(kb, "ddps", "element") == query.coverage(loaded, "ddps", "element")
    assert query.resolve_concept(kb, "ddps/trust", "pillar").qid == "ddps/trust"
    assert query.frameworks(kb) == query.frameworks(loaded)
    monkeypatch.undo()
    assert kb.reports == loaded.reports  # read now, on first use
    assert query.report(kb, "panama") == query.report(loaded, "panama")


def test_index_built_from_a_knowledge_base_equals_the_cached_one(
    loaded: KnowledgeBase, cache_file: tuple[Path, str]
) -> None:
    """The postings, report table and every record agree between a built and a cached index."""
    built = query.Index.build(loaded)
    hit = cached.read(*cache_file)
    assert isinstance(hit, cache.CachedKnowledgeBase)
    stored = hit.query_index
    assert isinstance(stored, query.Index)
    for name in ("by_country", "by_concept"):
        assert {k: list(v) for k, v in getattr(stored, name).items()} == {
            k: list(v) for k, v in getattr(built, name).items()
        }
    assert stored.report_table() == built.report_table()
    everything = range(len(built))
    assert stored.rows.records(everything) == built.rows.records(everything)
    assert stored.rows.records([3, 1, 2, 9]) == built.rows.records([3, 1, 2, 9])  # any order
    assert (stored.concepts, stored.children, stored.matches, stored.pillar_of) == (
        built.concepts,
        built.children,
        built.matches,
        built.pillar_of,
    )


def test_a_single_string_is_one_filter_value(kb: KnowledgeBase) -> None:
    """countries="Chile" means one country, not the letters C, h, i, l, e."""
    assert query.recommendations(kb, countries="Chile") == query.recommendations(
        kb, countries=["Chile"]
    )
    assert query.coverage(kb, "ddps", countries="PAN").rows[0].country == "PAN"
    assert [r.id for r in query.reports(kb, countries="PAN")] == [
        "identity-comparison",
        "panama-review",
    ]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ClaveÚnica", "claveunica"),
        ("Cédula de Identidad", "cedula de identidad"),
        ("Panamá ÑANDÚ", "panama nandu"),
        ("Dvořák Œuvre", "dvorak œuvre"),
        ("Tiếng Việt", "tieng viet"),
        ("ﬁnance Straße", "finance strasse"),
        ("Ελλάδα", "ελλαδα"),
    ],
)
def test_fold_drops_accents_and_case(text: str, folded: str) -> None:
    """fold() compares text the way search and --text do: accents, case and ligatures ignored."""
    assert query.fold(text) == folded
