"""Exports: every syntax parses to the same graph with rdflib and Oxigraph, bytes are stable,
writes are atomic, and ``--all`` / ``--check`` agree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from policykb import export
from policykb.errors import UsageError
from policykb.graph import to_graphml
from policykb.loader import load
from policykb.model import KnowledgeBase
from policykb.query import recommendations
from policykb.rdf import Lit, Triple, graph_of, to_rdf
from policykb.render import recommendations_csv

TESTS = Path(__file__).parent
FIXTURE = TESTS / "data" / "rdf" / "kb"
SYNTAXES = {
    "turtle": ("turtle", ox.RdfFormat.TURTLE),
    "ntriples": ("nt", ox.RdfFormat.N_TRIPLES),
    "rdfxml": ("xml", ox.RdfFormat.RDF_XML),
    "jsonld": ("json-ld", ox.RdfFormat.JSON_LD),
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The fixture knowledge base."""
    return load(FIXTURE)


def oxigraph_graph(data: bytes, rdf_format: ox.RdfFormat) -> rdflib.Graph:
    """What Oxigraph parses from ``data``, as an rdflib graph for comparison."""
    rows: list[Triple] = []
    for t in ox.parse(data, format=rdf_format):
        o = t.object
        if isinstance(o, ox.Literal):
            string = o.datatype.value.endswith("#string")
            obj: str | Lit = Lit(
                o.value, o.language or None, None if o.language or string else o.datatype.value
            )
        else:
            obj = o.value
        rows.append((t.subject.value, t.predicate.value, obj))
    return graph_of(rows)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize("output_format", SYNTAXES)
def test_rdflib_and_oxigraph_parse_an_export_to_the_same_graph(
    kb: KnowledgeBase, output_format: str
) -> None:
    """Each RDF export parses, with rdflib and with Oxigraph, to a graph isomorphic to to_rdf."""
    rdflib_format, oxigraph_format = SYNTAXES[output_format]
    data = export.serialize(kb, output_format)
    expected = to_rdf(kb)
    by_rdflib = rdflib.Graph().parse(data=data, format=rdflib_format)
    assert isomorphic(by_rdflib, expected)
    assert isomorphic(oxigraph_graph(data, oxigraph_format), expected)


@pytest.mark.parametrize("output_format", list(export.FORMATS))
def test_same_data_same_bytes(kb: KnowledgeBase, output_format: str) -> None:
    """Exporting the same knowledge base twice gives the same bytes in every format."""
    assert export.serialize(kb, output_format) == export.serialize(load(FIXTURE), output_format)


def test_same_bytes_across_processes() -> None:
    """Separate processes with different hash seeds write byte-identical exports."""
    script = (
        "import sys; from pathlib import Path; from policykb.loader import load; "
        "from policykb.export import serialize; kb = load(Path(sys.argv[1])); "
        "sys.stdout.buffer.write(b''.join(serialize(kb, f) for f in "
        "('turtle', 'jsonld', 'ntriples', 'rdfxml')))"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.append(
            subprocess.run(
                [sys.executable, "-c", script, str(FIXTURE)],
                env=env,
                capture_output=True,
                check=True,
            ).stdout
        )
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 1000


def test_turtle_binds_the_prefixes(kb: KnowledgeBase) -> None:
    """The Turtle export declares the common prefixes and uses them."""
    text = export.serialize(kb, "turtle").decode()
    for prefix in ("skos", "dcterms", "pkb", "schema", "bibo", "prov", "org", "country"):
        assert f"@prefix {prefix}: <" in text
    assert "a skos:ConceptScheme" in text


def test_shipped_context_is_the_exports_context(kb: KnowledgeBase) -> None:
    """The published context.jsonld is exactly the @context the JSON-LD export inlines."""
    shipped = json.loads(export.shipped_file("context.jsonld"))
    assert shipped == export.jsonld_context()
    document = json.loads(export.serialize(kb, "jsonld"))
    assert {"@context": document["@context"]} == shipped
    assert any(node["@id"] == "kb:report/alpha-report" for node in document["@graph"])


def test_jsonld_context_follows_the_base_iri(kb: KnowledgeBase) -> None:
    """Under another base IRI, the inline context's kb prefix is that base."""
    document = json.loads(export.serialize(kb, "jsonld", "https://example.org/x/"))
    assert document["@context"]["kb"] == "https://example.org/x/"


def test_graphml_and_csv_come_from_the_query_modules(kb: KnowledgeBase) -> None:
    """GraphML is policykb.graph's and CSV is policykb.render's recommendations table."""
    assert export.serialize(kb, "graphml") == to_graphml(kb)
    assert export.serialize(kb, "csv") == recommendations_csv(recommendations(kb)).encode()


def test_unknown_format_is_a_usage_error(kb: KnowledgeBase) -> None:
    """Asking for a format that does not exist raises UsageError naming the choices."""
    with pytest.raises(UsageError, match="turtle"):
        export.serialize(kb, "yaml")


def test_write_atomic_replaces_the_file(tmp_path: Path) -> None:
    """An atomic write leaves the new content and no temporary file behind."""
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")
    export.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the final rename fails, the old file is intact and the temporary file is gone."""
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")

    def refuse(self: Path, other: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(UsageError, match="No space left"):
        export.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_write_into_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    """Writing where no directory exists raises UsageError, not a traceback."""
    with pytest.raises(UsageError, match="cannot write"):
        export.write_atomic(tmp_path / "no" / "such" / "file.ttl", b"x")


def test_all_then_check_is_fresh(kb: KnowledgeBase, tmp_path: Path) -> None:
    """A directory written by write_all has every file and is fresh for stale_files."""
    written = export.write_all(kb, tmp_path / "exports")
    assert sorted(p.name for p in written) == sorted(
        [*export.FORMATS.values(), "ontology.ttl", "shapes.ttl", "context.jsonld"]
    )
    assert export.stale_files(kb, tmp_path / "exports") == []


def test_check_lists_stale_and_missing(kb: KnowledgeBase, tmp_path: Path) -> None:
    """A changed file is stale and a deleted one missing; the rest are not listed."""
    directory = tmp_path / "exports"
    export.write_all(kb, directory)
    (directory / "policykb.ttl").write_bytes(b"# edited\n")
    (directory / "policykb.nt").unlink()
    assert export.stale_files(kb, directory) == [
        export.StaleFile("policykb.nt", "missing"),
        export.StaleFile("policykb.ttl", "stale"),
    ]


def test_check_sees_another_base_iri_as_stale(kb: KnowledgeBase, tmp_path: Path) -> None:
    """Exports written under one base IRI are stale for another."""
    export.write_all(kb, tmp_path, "https://example.org/x/")
    stale = {s.name for s in export.stale_files(kb, tmp_path)}
    assert {"policykb.ttl", "policykb.jsonld", "context.jsonld"} <= stale
    assert "ontology.ttl" not in stale
