"""The wider corpus (issue #12): OECD instruments, national service standards, indices, country
reviews with graded recommendations, adherence and index scores.

The counts and shapes pinned here are those of the sources' own lists (shared/sources: the
OECD instruments, standards-and-indices and review sheets); the validator tests at the end
check that each new kind gets a located issue when it is wrong.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF
from typer.testing import CliRunner

import policykb
from policykb import countries, validate
from policykb.cli import app
from policykb.linked.rdf import to_rdf
from policykb.model import GRADES, KnowledgeBase

DATA = Path(__file__).resolve().parent.parent / "data"
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
PKB = rdflib.Namespace("https://w3id.org/policykb/ontology#")
BASE = "https://w3id.org/policykb/"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return policykb.load(DATA)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--data", str(DATA), *args])
    return result.exit_code, result.stdout


# -- frameworks: the sources' own shapes, level terms and order ---------------------------------

#: framework id -> (pillar term, element term, elements per pillar or the number of pillars)
SHAPES: dict[str, tuple[str, str | None, list[int] | int]] = {
    "digital-government-strategies-2014": ("pillar", "provision", [4, 4, 4]),
    "service-design-delivery-principles": ("pillar", "principle", [3, 3, 3]),
    "data-ethics-principles": ("principle", None, 10),
    "open-government-2017": ("provision", None, 9),  # provision 9 unseen: a recorded gap
    "uk-service-standard": ("point", None, 14),
    "us-digital-services-playbook": ("play", None, 13),
    "canada-digital-standards": ("standard", None, 10),
    "aus-digital-service-standard-2-0": ("criterion", None, 10),
    "egov-action-plan-2016-2020-principles": ("principle", None, 7),
    "egov-action-plan-2016-2020-priorities": ("policy priority", None, 3),
    "govtech-maturity-index": ("sub-index", None, 4),
    "gds-design-principles": ("principle", None, 10),
    "gds-design-principles-2025": ("principle", None, 11),
}


@pytest.mark.parametrize("framework_id", sorted(SHAPES))
def test_framework_has_the_sources_shape(kb: KnowledgeBase, framework_id: str) -> None:
    framework = kb.framework(framework_id)
    assert framework is not None
    pillar_term, element_term, shape = SHAPES[framework_id]
    assert framework.pillar_term == pillar_term
    if element_term is not None:
        assert framework.element_term == element_term
    if isinstance(shape, list):
        assert [len(p.elements) for p in framework.pillars] == shape
    else:
        assert len(framework.pillars) == shape
        assert all(not p.elements for p in framework.pillars)


def test_the_2014_provisions_are_numbered_1_to_12_in_order(kb: KnowledgeBase) -> None:
    framework = kb.framework("digital-government-strategies-2014")
    assert framework is not None
    notations = [e.notation for p in framework.pillars for e in p.elements]
    assert notations == [str(n) for n in range(1, 13)]
    assert [str(p.label) for p in framework.pillars] == [
        "Openness and Engagement",
        "Governance and Co-ordination",
        "Capacities to Support Implementation",
    ]


def test_inferred_placements_are_marked_with_a_reason(kb: KnowledgeBase) -> None:
    """Provisions 6 and 8 sit under pillar 2 by elimination: marked inferred, with notes."""
    framework = kb.framework("digital-government-strategies-2014")
    assert framework is not None
    inferred = {e.notation: e for p in framework.pillars for e in p.elements if e.inferred}
    assert {"6", "8"} <= set(inferred)
    assert all(e.notes for e in inferred.values())


def test_the_unseen_open_government_provision_is_a_gap(kb: KnowledgeBase) -> None:
    framework = kb.framework("open-government-2017")
    assert framework is not None
    assert "9" not in [p.notation for p in framework.pillars]
    assert any("9" in gap for gap in framework.gaps)


def test_gds_principles_2025_replace_the_2012_list_and_both_stay(kb: KnowledgeBase) -> None:
    old, new = kb.framework("gds-design-principles"), kb.framework("gds-design-principles-2025")
    assert old is not None and new is not None
    assert (old.version, new.version, new.replaces) == ("2012", "2025", "gds-design-principles")
    assert len(new.pillars) == len(old.pillars) + 1


def test_the_digital_government_index_uses_the_policy_frameworks_dimensions(
    kb: KnowledgeBase,
) -> None:
    dgi = kb.framework("digital-government-index")
    assert dgi is not None
    assert dgi.uses == "digital-government-policy-framework" and dgi.pillars == ()
    dimensions = {o.dimension for s in kb.scores if s.index == dgi.id for o in s.observations}
    assert dimensions - {None}
    assert all(d.startswith("digital-government-policy-framework/") for d in dimensions - {None})


def test_new_frameworks_and_concepts_carry_a_source(kb: KnowledgeBase) -> None:
    for framework in kb.frameworks:
        assert framework.source.url or framework.source.report or framework.defined_in, framework.id


# -- recommendations: country (or region), grade and source -------------------------------------


def test_every_recommendation_has_an_addressee_a_grade_and_a_source(kb: KnowledgeBase) -> None:
    region_ids = {r.id for r in kb.regions}
    for report, rec in kb.recommendations():
        where = f"{report.id}/{rec.id}"
        assert rec.countries or rec.regions, where
        assert all(countries.is_alpha3(c) for c in rec.countries), where
        assert set(rec.regions) <= region_ids, where
        assert rec.grade in GRADES, where
        assert rec.source.url or rec.source.report, where
        assert rec.concepts, where


def test_a_secondary_item_names_the_review_and_the_page_that_reported_it(
    kb: KnowledgeBase,
) -> None:
    secondary = [(r, rec) for r, rec in kb.recommendations() if rec.grade == "secondary"]
    assert len(secondary) >= 40
    for report, rec in secondary:
        assert rec.reported_by, rec.id
        assert rec.source.report == report.id, rec.id
        assert rec.source.url and rec.source.url.startswith("http"), rec.id


def test_the_corpus_reaches_about_twenty_countries_and_every_grade(kb: KnowledgeBase) -> None:
    recs = [rec for _, rec in kb.recommendations()]
    assert len(recs) >= 19 + 100
    addressed = {c for rec in recs for c in rec.countries}
    assert len(addressed) >= 17  # and two regions (LAC, MENA) for items naming no country
    assert {"SWE", "EGY", "BRA", "NOR", "TUR", "CHL", "PAN"} <= addressed
    assert {rec.grade for rec in recs} == set(GRADES)


def test_regional_items_that_name_no_country_record_the_region(kb: KnowledgeBase) -> None:
    regional = [rec for _, rec in kb.recommendations() if not rec.countries]
    assert regional
    assert {r for rec in regional for r in rec.regions} <= {"lac", "mena"}


def test_no_source_points_at_the_internal_fact_sheet() -> None:
    """Sources cite real pages: no data file mentions the maintainers' FACTS.md."""
    offenders = [p.name for p in DATA.rglob("*.yaml") if "FACTS.md" in p.read_text("utf-8")]
    assert offenders == []


# -- adherence and scores -----------------------------------------------------------------------


def test_adherence_lists_are_kept_as_the_sources_give_them(kb: KnowledgeBase) -> None:
    instrument = kb.report("recommendation-on-digital-government-strategies")
    assert instrument is not None and instrument.type == "legal-instrument"
    lists = [set(a.countries) for a in instrument.adherents]
    # the 2017 deck names Romania and Russia, the 2024 slides do not: both are kept
    assert any({"ROU", "RUS"} <= s for s in lists)
    assert any("PAN" in s and "ROU" not in s for s in lists)
    assert any(a.countries == ("PAN",) and a.year == 2017 for a in instrument.adherents)
    assert all(a.source.url for a in instrument.adherents)


def test_country_shows_the_instruments_panama_adheres_to() -> None:
    code, out = _run("country", "PAN", "--format", "json", "--provisions")
    assert code == 0
    profile = json.loads(out)
    assert profile["code"] == "PAN"
    instruments = {a["instrument"] for a in profile["adherence"]}
    assert "recommendation-on-digital-government-strategies" in instruments
    assert any(a["year"] == 2017 for a in profile["adherence"])
    provisions = {p["concept"] for p in profile["provisions"]}
    assert len([p for p in provisions if p.startswith("digital-government-strategies-2014/")]) == 15


def test_scores_answer_as_printed() -> None:
    code, out = _run("scores", "-c", "CHL", "--edition", "2025", "--format", "json")
    assert code == 0
    rows = [r for r in json.loads(out) if r["scores"] == "dgi-2025"]
    by_dimension = {r["dimension"]: r["value"] for r in rows}
    assert by_dimension[None] == 0.79
    assert by_dimension["digital-government-policy-framework/user-driven"] == 0.9
    assert all(r["source"]["url"].startswith("https://www.oecd.org/") for r in rows)


def test_scores_sit_beside_recommendations_on_the_same_dimension() -> None:
    code, out = _run("scores", "--dimension", "user-driven", "--format", "csv")
    assert code == 0
    assert "digital-government-policy-framework/user-driven" in out
    code, out = _run("recs", "-p", "digital-government-policy-framework/user-driven", "-F", "csv")
    assert code == 0 and "user-driven" in out


# -- the CLI answers for the new countries, grades and regions ----------------------------------


def test_recs_for_sweden() -> None:
    code, out = _run("recs", "-c", "SWE", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) >= 10 and all("SWE" in r["countries"] for r in rows)


@pytest.mark.parametrize("grade", GRADES)
def test_recs_grade_filter(grade: str) -> None:
    code, out = _run("recs", "--grade", grade, "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows and {r["grade"] for r in rows} == {grade}


def test_recs_egypt_by_grade() -> None:
    code, out = _run("recs", "-c", "EGY", "--grade", "summary", "--format", "csv")
    assert code == 0
    lines = out.strip().splitlines()
    header = lines[0].split(",")
    assert "grade" in header and len(lines) >= 5


def test_grade_shows_in_every_output_format() -> None:
    for fmt, needle in (
        ("csv", "secondary"),
        ("markdown", "[secondary]"),
        ("table", "[secondary]"),
    ):
        code, out = _run("recs", "-c", "NOR", "--grade", "secondary", "--format", fmt)
        assert code == 0 and needle in out, fmt


def test_an_unknown_grade_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["--data", str(DATA), "recs", "--grade", "rumour"])
    assert result.exit_code == 2


def test_recs_by_region() -> None:
    code, out = _run("recs", "--region", "Middle East and North Africa", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(not r["countries"] for r in rows)


def test_stats_show_the_new_kinds() -> None:
    code, out = _run("stats", "--format", "json")
    assert code == 0
    stats = json.loads(out)
    assert stats["frameworks"] >= 28 and stats["recommendations"] >= 119
    assert stats["regions"] == 2 and stats["score_sets"] >= 5 and stats["scores"] >= 100
    assert stats["adherence_statements"] >= 5
    assert (
        sum(stats[g] for g in ("listed", "summary", "secondary", "candidates"))
        == stats["recommendations"]
    )


# -- RDF: grades, versions, adherence and qb:Observations ---------------------------------------


@pytest.fixture(scope="module")
def graph(kb: KnowledgeBase) -> rdflib.Graph:
    return to_rdf(kb)


def test_scores_are_data_cube_observations(kb: KnowledgeBase, graph: rdflib.Graph) -> None:
    observations = set(graph.subjects(RDF.type, QB.Observation))
    assert len(observations) == sum(len(s.observations) for s in kb.scores)
    sdmx = rdflib.Namespace("http://purl.org/linked-data/sdmx/2009/")
    chile = rdflib.URIRef("http://publications.europa.eu/resource/authority/country/CHL")
    values = {
        float(graph.value(o, sdmx["measure#obsValue"]))
        for o in observations
        if graph.value(o, sdmx["dimension#refArea"]) == chile
        and graph.value(o, QB.dataSet) == rdflib.URIRef(BASE + "scores/dgi-2025")
    }
    assert 0.79 in values and 0.9 in values


def test_framework_versions_are_linked_both_ways(graph: rdflib.Graph) -> None:
    new = rdflib.URIRef(BASE + "framework/gds-design-principles-2025")
    old = rdflib.URIRef(BASE + "framework/gds-design-principles")
    assert (new, DCTERMS.replaces, old) in graph
    assert (old, DCTERMS.isReplacedBy, new) in graph


def test_grades_and_adherence_are_in_the_rdf(graph: rdflib.Graph) -> None:
    assert set(graph.subjects(PKB.grade, PKB.Secondary))
    assert set(graph.subjects(PKB.grade, PKB.Summary))
    statements = set(graph.subjects(RDF.type, PKB.Adherence))
    assert len(statements) >= 5


def test_the_wider_corpus_round_trips(kb: KnowledgeBase, graph: rdflib.Graph) -> None:
    from policykb.linked.read import from_rdf

    assert from_rdf(graph) == kb


# -- the validator gives located issues for each new kind ---------------------------------------


def _codes(root: Path) -> list[tuple[str, str, int | None]]:
    return [(i.code, Path(i.file).name, i.line) for i in validate([root]).issues]


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_a_secondary_item_without_its_reporter_is_located(valid_tree: Path) -> None:
    report = valid_tree / "reports" / "tiny-report.yaml"
    text = report.read_text("utf-8").replace("    grade: candidate", "    grade: secondary", 1)
    report.write_text(text, encoding="utf-8")
    line = _line_of(report, "grade: secondary")
    assert ("missing-field", "tiny-report.yaml", line) in _codes(valid_tree)


def test_reported_by_on_a_listed_item_is_inconsistent(valid_tree: Path) -> None:
    report = valid_tree / "reports" / "tiny-report.yaml"
    text = report.read_text("utf-8").replace(
        "    mapping: inferred", "    mapping: inferred\n    reported_by: A newspaper", 1
    )
    report.write_text(text, encoding="utf-8")
    line = _line_of(report, "reported_by:")
    assert ("inconsistent-grade", "tiny-report.yaml", line) in _codes(valid_tree)


def test_an_unknown_region_is_located(valid_tree: Path) -> None:
    report = valid_tree / "reports" / "tiny-report.yaml"
    text = report.read_text("utf-8").replace(
        "    mapping: inferred", "    mapping: inferred\n    regions: [atlantis]", 1
    )
    report.write_text(text, encoding="utf-8")
    line = _line_of(report, "regions: [atlantis]")
    assert ("unknown-reference", "tiny-report.yaml", line) in _codes(valid_tree)


def test_adherents_on_a_report_that_is_no_instrument_are_located(valid_tree: Path) -> None:
    report = valid_tree / "reports" / "tiny-report.yaml"
    _append(report, "adherents:\n  - countries: [PAN]\n    source: {url: https://example.org}\n")
    line = _line_of(report, "adherents:") + 1  # the list, at its first item
    assert ("adherents-not-instrument", "tiny-report.yaml", line) in _codes(valid_tree)


def test_a_framework_that_uses_another_and_has_pillars_is_located(valid_tree: Path) -> None:
    framework = valid_tree / "frameworks" / "other-framework.yaml"
    text = framework.read_text("utf-8")
    framework.write_text(re.sub(r"(?m)^pillars:", "uses: tiny-framework\npillars:", text, count=1))
    line = _line_of(framework, "pillars:") + 1  # the list, at its first item
    assert ("uses-with-pillars", "other-framework.yaml", line) in _codes(valid_tree)


def _scores_file(root: Path, observations: str) -> Path:
    folder = root / "scores"
    folder.mkdir(exist_ok=True)
    path = folder / "tiny-index-2025.yaml"
    path.write_text(
        "id: tiny-index-2025\ntitle: Tiny index 2025\nindex: tiny-framework\nedition: '2025'\n"
        "source: {url: https://example.org/scores}\nobservations:\n" + observations,
        encoding="utf-8",
    )
    return path


def test_a_valid_scores_file_loads(valid_tree: Path) -> None:
    _scores_file(
        valid_tree,
        "  - {country: CHL, value: 0.5}\n"
        "  - {country: CHL, dimension: tiny-framework/trust, value: 0.25}\n",
    )
    assert _codes(valid_tree) == []
    kb = policykb.load(valid_tree)
    assert [o.value for o in kb.scores[0].observations] == [0.5, 0.25]


def test_a_score_on_another_frameworks_concept_is_located(valid_tree: Path) -> None:
    path = _scores_file(
        valid_tree, "  - country: CHL\n    dimension: other-framework/control\n    value: 0.5\n"
    )
    line = _line_of(path, "dimension: other-framework/control")
    assert ("foreign-dimension", "tiny-index-2025.yaml", line) in _codes(valid_tree)


def test_two_values_for_one_country_and_dimension_are_located(valid_tree: Path) -> None:
    path = _scores_file(
        valid_tree, "  - {country: CHL, value: 0.5}\n  - {country: CHL, value: 0.6}\n"
    )
    line = _line_of(path, "value: 0.6")
    assert ("duplicate-value", "tiny-index-2025.yaml", line) in _codes(valid_tree)


def test_a_bad_country_in_a_regions_file_is_located(valid_tree: Path) -> None:
    path = valid_tree / "regions.yaml"
    path.write_text(
        "regions:\n  - id: nowhere\n    label: Nowhere\n    members: [XXX]\n", encoding="utf-8"
    )
    assert ("unknown-country", "regions.yaml", 4) in _codes(valid_tree)
