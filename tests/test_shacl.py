"""The SHACL shapes: they pass on good data and each fails on a fixture built to break it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from policykb.datafiles.loader import load, read
from policykb.errors import CODES
from policykb.linked.rdf import PREFIXES, to_rdf
from policykb.linked.shacl import SHAPES_NS, corpus_issues, item_of, shapes_graph, violations

TESTS = Path(__file__).parent
FIXTURE = TESTS / "data" / "rdf" / "kb"
BREAKS = sorted((TESTS / "data" / "rdf" / "break").glob("*.ru"))
SHIPPED = TESTS.parent / "data"


def shape_names() -> list[str]:
    """The local names of the node shapes in shapes.ttl."""
    return sorted(
        str(s).removeprefix(SHAPES_NS) for s in shapes_graph().subjects(RDF.type, SH.NodeShape)
    )


def test_shapes_pass_on_the_shipped_data() -> None:
    """The shipped knowledge base conforms to every shape."""
    assert violations(to_rdf(load(SHIPPED))) == []


def test_shapes_pass_on_the_fixture() -> None:
    """The fixture knowledge base, which uses every field, conforms to every shape."""
    assert violations(to_rdf(load(FIXTURE))) == []


def test_every_shape_has_a_breaking_fixture() -> None:
    """Each node shape has at least one fixture under tests/data/rdf/break/ built to break it."""
    broken = {path.name.split("--")[0] for path in BREAKS}
    assert set(shape_names()) <= broken
    assert broken <= set(shape_names())


@pytest.mark.parametrize("fixture", BREAKS, ids=[p.stem for p in BREAKS])
def test_fixture_breaks_exactly_its_shape(fixture: Path) -> None:
    """Applying the fixture's SPARQL update to good data violates its shape and no other."""
    graph = to_rdf(load(FIXTURE))
    graph.update(fixture.read_text(encoding="utf-8"), initNs=dict(PREFIXES))
    found = violations(graph)
    assert found, "the fixture broke nothing"
    assert {v.shape for v in found} == {fixture.name.split("--")[0]}


def test_item_of_maps_iris_to_source_map_keys() -> None:
    """Focus nodes map back to the loader's keys and paths, fragments included."""
    base = "https://w3id.org/policykb/"
    assert item_of(base + "report/a/recommendation/r1") == ("recommendation:a/r1", ())
    assert item_of(base + "report/a#contributor-2") == ("report:a", ("contributors", 1))
    assert item_of(base + "framework/f/c#alt-label-1") == ("concept:f/c", ("alt_labels", 0))
    assert item_of(base + "crosswalk/x#match-3") == ("crosswalk:x", ("matches", 2))
    assert item_of(base + "org/o#source") == ("organisation:o", ("source",))
    assert item_of(base + "framework/f") == ("framework:f", ())
    assert item_of("http://publications.europa.eu/resource/authority/country/CHL") is None


def test_violations_are_located_at_the_recommendation(tmp_path: Path) -> None:
    """A recommendation naming no known concept is reported at its own file, line and column."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    report = root / "reports" / "beta-post.yaml"
    report.write_text(report.read_text().replace("concepts: [beta/needs]", "concepts: [beta/nope]"))
    issues = [i for i in corpus_issues(read(root)) if i.code == "shacl-violation"]
    assert len(issues) == 1
    issue = issues[0]
    lines = report.read_text().splitlines()
    expected = next(n for n, text in enumerate(lines, 1) if re.match(r"\s*- id: only", text))
    assert (Path(issue.file).resolve(), issue.line) == (report.resolve(), expected)
    assert issue.column == lines[expected - 1].index("id") + 1
    assert "recommendation beta-post/only" in issue.message
    assert "dcterms:subject" in issue.message
    assert issue.hint is not None and issue.hint.startswith("RecommendationShape")
    assert issue.severity == CODES["shacl-violation"][0]


def test_violation_messages_name_the_property() -> None:
    """A violation says which property of which node broke which shape."""
    graph = to_rdf(load(FIXTURE))
    rec = URIRef("https://w3id.org/policykb/report/alpha-report/recommendation/r02")
    graph.remove((rec, URIRef(PREFIXES["rdf"] + "value"), None))
    (found,) = violations(graph)
    assert (found.focus, found.path, found.shape) == (str(rec), "rdf:value", "RecommendationShape")
    assert "rdf:value" in found.message


def test_shapes_parse_and_declare_their_prefixes() -> None:
    """shapes.ttl parses and its SPARQL constraints point at its prefix declarations."""
    shapes = shapes_graph()
    assert isinstance(shapes, Graph)
    sparql = list(shapes.objects(None, SH.sparql))
    assert sparql
    assert all(shapes.value(s, SH.prefixes) is not None for s in sparql)
