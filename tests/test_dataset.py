# ruff: noqa: F811  (the server fixture, imported from test_publish, is a test's parameter)
"""The dataset description every export ends with: DCAT and VoID from dataset.yaml, an exact
void:triples, the same in every format, deterministic, read back, located when wrong."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from rdflib import URIRef

import policykb
from policykb.datafiles.loader import load, read
from policykb.linked import export, parallel, publish, rdf, vocab
from policykb.linked.read import from_triples
from policykb.linked.shacl import item_of, violations
from policykb.model import Dataset, KnowledgeBase, LangText, Organisation
from test_publish import graph_size, no_proxy, select, server  # noqa: F401  (fixtures)
from test_rdf_roundtrip import knowledge_bases

TESTS = Path(__file__).parent
FIXTURE = TESTS / "data" / "rdf" / "kb"
SHIPPED = TESTS.parent / "data"
DATASET = vocab.DEFAULT_BASE_IRI + "dataset"
FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return load(SHIPPED)


@pytest.fixture(scope="module")
def fixture_kb() -> KnowledgeBase:
    return load(FIXTURE)


def parsed(data: bytes, rdf_format: ox.RdfFormat = ox.RdfFormat.TURTLE) -> list[ox.Triple]:
    return list(ox.parse(data, format=rdf_format))


def declared_triples(rows: list[ox.Triple]) -> int:
    """The value of the description's void:triples."""
    (value,) = [
        t.object.value
        for t in rows
        if t.subject.value == DATASET and t.predicate.value == vocab.TRIPLES
    ]
    return int(value)


def objects(rows: list[ox.Triple], subject: str, predicate: str) -> list[str]:
    return [
        t.object.value
        for t in rows
        if t.subject.value == subject and t.predicate.value == predicate
    ]


@pytest.mark.parametrize("root", [SHIPPED, FIXTURE], ids=["shipped", "fixture"])
@pytest.mark.parametrize("output_format", list(FORMATS))
def test_void_triples_is_the_exports_own_count(root: Path, output_format: str) -> None:
    """void:triples equals the number of triples the export holds, its own description included,
    in every RDF format (the triples are distinct: the count is the graph's)."""
    rows = parsed(export.serialize(load(root), output_format), FORMATS[output_format])
    assert declared_triples(rows) == len(rows) == len(set(rows))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kb=knowledge_bases())
def test_void_triples_is_exact_on_any_knowledge_base(kb: KnowledgeBase) -> None:
    """Whatever the data (texts holding ' , ', ids pyoxigraph must canonicalise, any
    description), the count the writer keeps is the parsed graph's."""
    data = rdf.turtle(kb)
    if not data:
        return  # an empty knowledge base exports nothing
    rows = parsed(data)
    assert declared_triples(rows) == len(set(rows)) == len(rows)


def test_void_triples_counts_a_literal_holding_the_separator() -> None:
    """' , ' inside a literal is text, not an object separator: the count is not fooled."""
    org = Organisation("o", LangText.of("A , B , C", es="x , y"), acronym="a , b")
    kb = KnowledgeBase(organisations=(org,), dataset=Dataset(title="t , u", rights="r , s"))
    rows = parsed(rdf.turtle(kb))
    assert declared_triples(rows) == len(rows)


def test_void_triples_when_pyoxigraph_canonicalises_repeated_ids() -> None:
    """Two organisations with one id say some things twice; void:triples counts each triple once."""
    org = Organisation("o", LangText.of("Same"))
    kb = KnowledgeBase(organisations=(org, org), dataset=Dataset(licence=CC_BY))
    rows = parsed(rdf.turtle(kb))
    assert declared_triples(rows) == len(set(rows)) == len(rows)


@pytest.mark.skipif(not hasattr(parallel.os, "fork"), reason="forks on POSIX only")
def test_void_triples_when_a_child_writes_half_the_reports(
    monkeypatch: pytest.MonkeyPatch, shipped: KnowledgeBase
) -> None:
    """The forked child's triples are counted too: the bytes and the count are one process's."""
    monkeypatch.setattr(parallel, "MIN_RECOMMENDATIONS", 1)
    monkeypatch.setattr(rdf.threading, "active_count", lambda: 1)
    monkeypatch.setattr(rdf.sys, "platform", "linux")
    two, one = io.BytesIO(), io.BytesIO()
    rdf.write_turtle(shipped, two, jobs=2)
    rdf.write_turtle(shipped, one, jobs=1)
    assert two.getvalue() == one.getvalue()
    rows = parsed(two.getvalue())
    assert declared_triples(rows) == len(rows)


def test_the_shipped_description(shipped: KnowledgeBase) -> None:
    """The shipped data says what it is: title, version (the package's), issue date, CC BY 4.0,
    rights, publisher, a distribution per export format, the vocabularies and the URI space."""
    rows = parsed(export.serialize(shipped, "turtle"))
    types = objects(rows, DATASET, vocab.A)
    assert types == [vocab.DCAT_DATASET, vocab.VOID_DATASET]
    assert objects(rows, DATASET, vocab.TITLE) == [shipped.dataset.title]
    assert objects(rows, DATASET, vocab.VERSION_INFO) == [policykb.__version__]
    (issued,) = [
        t.object for t in rows if t.subject.value == DATASET and t.predicate.value == vocab.ISSUED
    ]
    assert issued.datatype.value == vocab.XSD_DATE
    assert objects(rows, DATASET, vocab.LICENSE) == [CC_BY]
    (rights,) = objects(rows, DATASET, vocab.RIGHTS)
    assert "belong to them" in objects(rows, rights, vocab.LABEL)[0]
    (publisher,) = objects(rows, DATASET, vocab.PUBLISHER)
    assert objects(rows, publisher, vocab.FOAF_NAME) == ["policykb developers"]
    distributions = objects(rows, DATASET, vocab.DISTRIBUTION)
    assert [d.rpartition("#")[2] for d in distributions] == list(export.FORMATS)
    media = {d.rpartition("#")[2]: objects(rows, d, vocab.MEDIA_TYPE)[0] for d in distributions}
    assert media["turtle"] == vocab.MEDIA_TYPES_NS + "text/turtle"
    assert media["jsonld"] == vocab.MEDIA_TYPES_NS + "application/ld+json"
    assert all(objects(rows, d, vocab.LICENSE) == [CC_BY] for d in distributions)
    vocabularies = objects(rows, DATASET, vocab.VOCABULARY)
    assert "http://www.w3.org/2004/02/skos/core" in vocabularies
    assert "https://w3id.org/policykb/ontology" in vocabularies
    assert objects(rows, DATASET, vocab.URI_SPACE) == [vocab.DEFAULT_BASE_IRI]
    assert objects(rows, DATASET, vocab.SPARQL_ENDPOINT) == []  # only publish names one


def test_the_shipped_version_and_date_keep_up(shipped: KnowledgeBase) -> None:
    """dataset.yaml's version is the package's, issued the day the CHANGELOG gives that
    release, and no report is dated after it: a release bumps all three together."""
    assert shipped.dataset.version == policykb.__version__
    changelog = (TESTS.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.search(rf"^## \[{re.escape(policykb.__version__)}\] - (\S+)$", changelog, re.M)
    assert released is not None
    assert shipped.dataset.issued == released.group(1)
    dated = [r.date or str(r.year) for r in shipped.reports if r.date or r.year]
    assert all(d <= shipped.dataset.issued[: len(d)] for d in dated)


def test_without_dataset_yaml_the_description_is_a_title(tmp_path: Path) -> None:
    """A data directory without dataset.yaml exports the default description, read back as it."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    (root / "dataset.yaml").unlink()
    kb = load(root)
    assert kb.dataset == Dataset()
    rows = parsed(rdf.turtle(kb))
    assert objects(rows, DATASET, vocab.TITLE) == ["policykb knowledge base"]
    assert objects(rows, DATASET, vocab.LICENSE) == []
    assert from_triples(rdf.triples(kb)) == kb


def test_the_description_reads_back(fixture_kb: KnowledgeBase) -> None:
    """Every field of dataset.yaml survives the round trip; the derived parts are not data."""
    assert fixture_kb.dataset == Dataset(
        title="Fixture knowledge base",
        description="A small knowledge base that uses every field, for the RDF tests.",
        version="1.2.3",
        issued="2026-01-15",
        licence=CC_BY,
        rights="Quoted titles and labels belong to their publishers.",
        publisher="Fixture maintainers",
        publisher_url="https://example.org/maintainers",
        homepage="https://example.org/fixture",
        sparql_endpoint="https://example.org/fixture/sparql",
    )
    assert policykb.from_rdf(policykb.to_rdf(fixture_kb)) == fixture_kb


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("title: T\nlicense: https://x.org/\n", "unknown-field", 2),
        ("title: T\nissued: 30 November 2026\n", "bad-format", 2),
        ("title: T\nlicence: not a url\n", "bad-format", 2),
        ("description: no title\n", "missing-field", 1),
    ],
)
def test_a_wrong_dataset_yaml_is_located(tmp_path: Path, text: str, code: str, line: int) -> None:
    """dataset.yaml is checked against its schema like every data file, each issue located."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    (root / "dataset.yaml").write_text(text, encoding="utf-8")
    issues = [i for i in read(root).issues if i.file.endswith("dataset.yaml")]
    assert [(i.code, i.line) for i in issues][:1] == [(code, line)]


def test_a_violation_of_the_description_is_located_at_dataset_yaml(tmp_path: Path) -> None:
    """A violation of the description's shapes maps to dataset.yaml's item, where validate --rdf
    locates it (its nodes, fragments included, are that item's)."""
    base = vocab.DEFAULT_BASE_IRI
    assert item_of(base + "dataset") == ("dataset:dataset", ())
    assert item_of(base + "dataset#publisher") == ("dataset:dataset", ())
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    corpus = read(root)
    graph = policykb.to_rdf(corpus.kb)
    graph.remove((URIRef(base + "dataset"), URIRef(vocab.TITLE), None))
    (found,) = violations(graph)
    assert found.shape == "DatasetShape"
    file, _ = corpus.origins["dataset:dataset"]
    assert file.path.name == "dataset.yaml"


def test_a_python_dataset_with_a_bad_iri_is_refused() -> None:
    """A licence that cannot be an IRI is a ValueError before anything is written."""
    kb = KnowledgeBase(dataset=Dataset(licence="not an iri"))
    with pytest.raises(ValueError, match="not an IRI"):
        rdf.turtle(kb)


def test_objects_are_joined_only_where_they_are_counted() -> None:
    """The mapping joins a part's objects only through Statements.objects, which counts them:
    a ' , ' written anywhere else would make void:triples wrong."""
    linked = Path(rdf.__file__).parent
    machinery = (linked / "statements.py").read_text(encoding="utf-8")
    for writer in ("mapping.py", "describe.py"):
        source = (linked / writer).read_text(encoding="utf-8")
        assert not re.search(r"""['"] , ['"]|\} , \{""", source), writer
    assert len(re.findall(r"""['"] , ['"]""", machinery)) == 1  # in objects() itself


@pytest.mark.parametrize(
    ("endpoint", "query"),
    [
        ("http://localhost:7878/store", "http://localhost:7878/query"),
        ("http://localhost:3030/policykb/data", "http://localhost:3030/policykb/sparql"),
        (
            "http://localhost:7200/repositories/kb/rdf-graphs/service",
            "http://localhost:7200/repositories/kb",
        ),
        ("http://localhost:8890/sparql-graph-crud-auth", "http://localhost:8890/sparql"),
        ("https://example.org/somewhere/else", None),
    ],
)
def test_query_endpoint_of_known_stores(endpoint: str, query: str | None) -> None:
    """publish names the query endpoint of a store whose paths it knows, and none it does not."""
    assert publish.query_endpoint(endpoint) == query


def test_with_sparql_endpoint_changes_only_the_description(fixture_kb: KnowledgeBase) -> None:
    """The knowledge base publish sends differs from the data only in void:sparqlEndpoint."""
    sent = publish.with_sparql_endpoint(fixture_kb, "http://localhost:7878/query")
    assert sent == replace(
        fixture_kb,
        dataset=replace(fixture_kb.dataset, sparql_endpoint="http://localhost:7878/query"),
    )
    rows = parsed(rdf.turtle(sent))
    assert objects(rows, DATASET, vocab.SPARQL_ENDPOINT) == ["http://localhost:7878/query"]
    assert declared_triples(rows) == len(rows)


@pytest.mark.server
def test_publish_names_the_stores_query_endpoint(server: str, tmp_path: Path) -> None:
    """The published graph ends with the description, naming the store's query endpoint (from
    its Graph Store path, the data declaring none): void:triples is the graph's size on the
    server, and the endpoint it names answers queries."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    text = (root / "dataset.yaml").read_text(encoding="utf-8")
    (root / "dataset.yaml").write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("sparql_endpoint")),
        encoding="utf-8",
    )
    kb = load(root)
    graph = "https://w3id.org/policykb/test/dataset"
    done = publish.publish(kb, f"{server}/store", graph)
    assert done.sparql_endpoint == f"{server}/query"
    rows = select(
        server,
        f"""SELECT ?endpoint ?n WHERE {{ GRAPH <{graph}> {{
            <{DATASET}> <{vocab.SPARQL_ENDPOINT}> ?endpoint ; <{vocab.TRIPLES}> ?n }} }}""",
    )
    assert rows == [{"endpoint": f"{server}/query", "n": str(graph_size(server, graph))}]


@pytest.mark.server
def test_publish_keeps_the_declared_endpoint_unless_told(
    server: str, fixture_kb: KnowledgeBase
) -> None:
    """A dataset.yaml's sparql_endpoint is the one published; --sparql-endpoint overrides it."""
    graph = "https://w3id.org/policykb/test/declared"
    done = publish.publish(fixture_kb, f"{server}/store", graph)
    assert done.sparql_endpoint == fixture_kb.dataset.sparql_endpoint
    done = publish.publish(
        fixture_kb, f"{server}/store", graph, sparql_endpoint="https://q.example/s"
    )
    assert done.sparql_endpoint == "https://q.example/s"
    query = f"SELECT ?e WHERE {{ GRAPH <{graph}> {{ <{DATASET}> <{vocab.SPARQL_ENDPOINT}> ?e }} }}"
    assert select(server, query) == [{"e": "https://q.example/s"}]
