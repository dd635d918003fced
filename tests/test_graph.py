"""The networkx graph: nodes and edges of DESIGN §5, crosswalk closure, related, GraphML/GEXF."""

from __future__ import annotations

import dataclasses
import io
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from policykb import query
from policykb.datafiles.loader import load
from policykb.errors import NotFoundError
from policykb.model import Framework, KnowledgeBase, LangText, Pillar, Report, Source
from policykb.query import graph

QUERIES = Path(__file__).parent / "data" / "queries"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The fixture knowledge base."""
    return load(QUERIES)


@pytest.fixture(scope="module")
def g(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """The fixture knowledge base's graph."""
    return graph.build_graph(kb)


def test_nodes_of_every_kind_with_qualified_ids(g: nx.MultiDiGraph) -> None:
    """Every framework, concept, report, recommendation, country and organisation is a node."""
    kinds = Counter(d["kind"] for _, d in g.nodes(data=True))
    assert kinds == {"framework": 3, "pillar": 8, "element": 10, "report": 4,
                     "recommendation": 11, "country": 3, "organisation": 3}  # fmt: skip
    rec = g.nodes["report/chile-identity/recommendation/r04"]
    assert (rec["id"], rec["grade"], rec["countries"]) == ("chile-identity/r04", "candidate",
                                                            ("CHL",))  # fmt: skip
    assert g.nodes["framework/ddps/trust"]["id"] == "ddps/trust"
    assert g.nodes["country/URY"]["label"] == "Uruguay"


def test_edges_of_every_kind(g: nx.MultiDiGraph) -> None:
    """Edges carry a kind (also their key) for each relation of DESIGN §5."""
    kinds = Counter(k for _, _, k in g.edges(keys=True))
    assert kinds == {"has-pillar": 8, "has-element": 10, "defines": 2, "applies": 3,
                     "recommends": 11, "addressed-to": 12, "concerns": 14, "actor": 3,
                     "published-by": 4, "exact-match": 3, "close-match": 1,
                     "related-match": 1, "broad-match": 1}  # fmt: skip
    assert all(d["kind"] == k for _, _, k, d in g.edges(keys=True, data=True))
    assert g.has_edge("framework/dif/private-sector", "framework/ddps/service-design",
                      key="broad-match")  # fmt: skip
    assert g.has_edge("framework/ddps/trust", "framework/ddps/privacy", key="has-element")


def test_node_keys_do_not_collide_across_kinds() -> None:
    """A report and a framework sharing an id stay two nodes, told apart by their keys."""
    src = Source(url="https://example.org")
    same = "shared-id"
    kb = KnowledgeBase(
        frameworks=(Framework(same, "F", src, pillars=(Pillar("p", LangText.of("P")),)),),
        reports=(Report(same, "R", "report", "nobody", src, defines=(same,)),),
    )
    built = graph.build_graph(kb)
    assert built.nodes[graph.node_key("framework", same)]["kind"] == "framework"
    assert built.nodes[graph.node_key("report", same)]["kind"] == "report"
    assert built.has_edge("report/shared-id", "framework/shared-id", key="defines")


def test_crosswalk_closure_agrees_with_query(kb: KnowledgeBase, g: nx.MultiDiGraph) -> None:
    """Graph traversal and the dict-index query follow crosswalks to the same concepts."""
    for concept in kb.concepts():
        for relations in (("exact", "close"), ("exact",), ("close", "related", "broad")):
            assert graph.crosswalk_closure(g, [concept.qid], relations) == \
                query.mapped_concepts(kb, [concept.qid], relations), concept.qid  # fmt: skip
    assert graph.crosswalk_closure(kb, ["well-being/openness"]) == {
        "well-being/openness", "ddps/transparency", "dif/trust", "ddps/trust"}  # fmt: skip


def test_related_recommendations_rank_shared_above_mapped(g: nx.MultiDiGraph) -> None:
    """Shared concepts score 2, concepts reached through a crosswalk 1; best first."""
    related = graph.related_recommendations(g, "panama-review/r03")
    assert [(r.id, r.shared, r.mapped, r.score) for r in related] == [
        ("identity-comparison/r02", ("ddps/transparency",), (), 2),
        ("chile-identity/r03", (), ("dif/trust",), 1),
        ("panama-review/r05", (), ("ddps/trust",), 1),
    ]
    assert related[0].grade == "candidate"


def test_related_without_mapping_and_from_a_knowledge_base(kb: KnowledgeBase) -> None:
    """include_mapped=False keeps shared concepts only; a knowledge base works like its graph."""
    related = graph.related_recommendations(kb, "panama-review/r03", include_mapped=False)
    assert [r.id for r in related] == ["identity-comparison/r02"]
    assert graph.related_recommendations(kb, "panama-review/r03", limit=1)[0].score == 2


def test_related_unknown_recommendation_suggests(g: nx.MultiDiGraph) -> None:
    """An unknown recommendation id raises NotFoundError with the closest id."""
    with pytest.raises(NotFoundError) as caught:
        graph.related_recommendations(g, "panama-review/r6")
    assert caught.value.hint is not None and "panama-review/r" in caught.value.hint


def test_graphml_is_deterministic_whatever_the_input_order(kb: KnowledgeBase) -> None:
    """Same data gives the same GraphML bytes, even with reports and organisations reordered."""
    shuffled = dataclasses.replace(
        kb, reports=kb.reports[::-1], organisations=kb.organisations[::-1]
    )
    first = graph.to_graphml(kb)
    assert first == graph.to_graphml(kb) == graph.to_graphml(shuffled)
    assert first.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_graphml_flattens_lists_and_reads_back(kb: KnowledgeBase, g: nx.MultiDiGraph) -> None:
    """GraphML holds every node and edge; list attributes come back joined with "; "."""
    back = nx.read_graphml(io.BytesIO(graph.to_graphml(kb)), force_multigraph=True)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    rec = back.nodes["report/identity-comparison/recommendation/r01"]
    assert rec["countries"] == "CHL; PAN"
    assert rec["concepts"] == "dif/credentials; ddps/governance"
    assert back.nodes["report/chile-identity"]["year"] == 2019


def test_gexf_is_deterministic_and_readable(kb: KnowledgeBase, g: nx.MultiDiGraph) -> None:
    """GEXF bytes do not change between runs (no modification date) and read back whole."""
    data = graph.to_gexf(kb)
    assert data == graph.to_gexf(kb)
    assert b"lastmodifieddate" not in data
    back = nx.read_gexf(io.BytesIO(data))
    assert back.number_of_nodes() == g.number_of_nodes()


def test_flatten_sorts_and_joins(g: nx.MultiDiGraph) -> None:
    """flatten() returns nodes in sorted order with no tuple-valued attribute left."""
    flat = graph.flatten(g)
    assert list(flat.nodes) == sorted(g.nodes)
    assert not any(isinstance(v, tuple) for _, d in flat.nodes(data=True) for v in d.values())


def _edges(multigraph: nx.MultiDiGraph) -> set[tuple[str, str, str, tuple[Any, ...]]]:
    return {(u, v, k, tuple(sorted(d.items()))) for u, v, k, d in
            multigraph.edges(keys=True, data=True)}  # fmt: skip


def test_graphml_reads_back_as_networkx_own_writer(kb: KnowledgeBase, g: nx.MultiDiGraph) -> None:
    """Our direct GraphML writer and networkx's writer read back to the same graph."""
    ours = nx.read_graphml(io.BytesIO(graph.to_graphml(kb)), force_multigraph=True)
    buffer = io.BytesIO()
    nx.readwrite.graphml.GraphMLWriter(graph.flatten(g)).dump(buffer)
    theirs = nx.read_graphml(io.BytesIO(buffer.getvalue()), force_multigraph=True)
    assert dict(ours.nodes(data=True)) == dict(theirs.nodes(data=True))
    assert _edges(ours) == _edges(theirs)


def test_graphml_escapes_markup_and_drops_control_characters(kb: KnowledgeBase) -> None:
    """Text with <, &, quotes and a control character is written as valid, readable XML."""
    report = dataclasses.replace(kb.reports[0], title='<b>Tom & "Jerry"</b>\x07')
    odd = dataclasses.replace(kb, reports=(report, *kb.reports[1:]))
    back = nx.read_graphml(io.BytesIO(graph.to_graphml(odd)), force_multigraph=True)
    assert back.nodes[f"report/{report.id}"]["title"] == '<b>Tom & "Jerry"</b>'
