"""The knowledge base as a networkx graph (DESIGN §5), for analysis and for GraphML/GEXF export.

A ``MultiDiGraph`` whose nodes have a ``kind`` (framework, pillar, element, report,
recommendation, country, organisation), an ``id`` (the qualified id the rest of policykb uses:
``fw/concept``, ``report/rec``, alpha-3) and a ``label``. Node *keys* are the relative IRIs of
the linked-data export (DESIGN §6: ``framework/{id}``, ``framework/{id}/{concept}``,
``report/{id}``, ``report/{id}/recommendation/{rid}``, ``org/{id}``, ``country/{alpha3}``):
ids are only unique within their kind (a report and a framework may share one), and keys must
be unique across kinds. :func:`node_key` builds them.

Edges carry a ``kind`` that is also their multigraph key: ``has-pillar``, ``has-element``,
``defines``, ``applies``, ``recommends``, ``addressed-to``, ``concerns``, ``actor``,
``published-by`` and, concept to concept as the crosswalk states it, ``exact-match``,
``close-match``, ``related-match``, ``broad-match``, ``narrow-match``.

Importing this module imports networkx (~140 ms): the simple queries in :mod:`policykb.query`
use dict indexes instead.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from policykb import countries as iso
from policykb.model import KnowledgeBase
from policykb.query import DEFAULT_RELATIONS
from policykb.query.queries import follow_crosswalks
from policykb.query.resolve import resolve_recommendation_id

_PREFIX = {
    "framework": "framework",
    "report": "report",
    "organisation": "org",
    "country": "country",
}


def node_key(kind: str, ident: str) -> str:
    """The node key of a thing of ``kind`` with qualified id ``ident`` (see the module docs)."""
    if kind in ("pillar", "element"):
        return f"framework/{ident}"
    if kind == "recommendation":
        report, _, rec = ident.partition("/")
        return f"report/{report}/recommendation/{rec}"
    return f"{_PREFIX[kind]}/{ident}"


def _clean(attributes: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attributes.items() if v is not None and v != ()}


def build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """The knowledge base as a ``MultiDiGraph`` (list-valued attributes are tuples).

    Edges to things the knowledge base does not hold (possible only in invalid data) are left
    out rather than creating bare nodes.
    """
    graph = nx.MultiDiGraph()

    def node(kind: str, ident: str, label: str, **attributes: Any) -> None:
        graph.add_node(
            node_key(kind, ident),
            **_clean({"kind": kind, "id": ident, "label": label, **attributes}),
        )

    def edge(source: str, target: str, kind: str, **attributes: Any) -> None:
        if source in graph and target in graph:
            graph.add_edge(source, target, key=kind, kind=kind, **_clean(attributes))

    for org in kb.organisations:
        node("organisation", org.id, str(org.label), acronym=org.acronym, country=org.country)
    codes = sorted(
        {c for r in kb.reports for c in (*r.countries, *r.compares)}
        | {c for _, rec in kb.recommendations() for c in rec.countries}
    )
    for code in codes:
        node("country", code, iso.name(code), alpha_2=iso.alpha_2(code))
    for fw in kb.frameworks:
        node(
            "framework",
            fw.id,
            fw.title,
            title=fw.title,
            pillar_term=fw.pillar_term,
            element_term=fw.element_term,
            description=fw.description,
            defined_in=fw.defined_in,
        )
        for c in fw.concepts():
            definition = c.node.definition
            node(
                c.kind,
                c.qid,
                str(c.label),
                framework=fw.id,
                notation=c.node.notation,
                definition=str(definition) if definition else None,
                pillar=f"{fw.id}/{c.pillar}" if c.pillar else None,
            )
            if c.kind == "pillar":
                edge(node_key("framework", fw.id), node_key("pillar", c.qid), "has-pillar")
            else:
                edge(
                    node_key("pillar", f"{fw.id}/{c.pillar}"),
                    node_key("element", c.qid),
                    "has-element",
                )
    for report in kb.reports:
        key = node_key("report", report.id)
        node(
            "report",
            report.id,
            report.title,
            title=report.title,
            type=report.type,
            year=report.year,
            publisher=report.publisher,
            series=report.series,
            doi=report.doi,
            url=report.url,
            countries=report.countries,
            compares=report.compares,
        )
        edge(key, node_key("organisation", report.publisher), "published-by")
        for kind, framework_ids in (("defines", report.defines), ("applies", report.applies)):
            for fw_id in framework_ids:
                edge(key, node_key("framework", fw_id), kind)
        for rec in report.recommendations:
            qid = report.qid(rec)
            node(
                "recommendation",
                qid,
                qid,
                report=report.id,
                text=rec.text,
                grade=rec.grade,
                mapping=rec.mapping,
                countries=rec.countries,
                concepts=rec.concepts,
                actors=rec.actors,
                area=rec.area,
                source=rec.source.describe(),
            )
            rec_key = node_key("recommendation", qid)
            edge(key, rec_key, "recommends")
            for code in rec.countries:
                edge(rec_key, node_key("country", code), "addressed-to")
            for concept in rec.concepts:
                edge(rec_key, node_key("pillar", concept), "concerns", mapping=rec.mapping)
            for actor in rec.actors:
                edge(rec_key, node_key("organisation", actor), "actor")
    for crosswalk in kb.crosswalks:
        for m in crosswalk.matches:
            edge(
                node_key("pillar", m.source_concept),
                node_key("pillar", m.target_concept),
                f"{m.relation}-match",
                crosswalk=crosswalk.id,
                justification=m.justification,
            )
    return graph


def _graph(kb_or_graph: KnowledgeBase | nx.MultiDiGraph) -> nx.MultiDiGraph:
    return build_graph(kb_or_graph) if isinstance(kb_or_graph, KnowledgeBase) else kb_or_graph


def crosswalk_closure(
    kb_or_graph: KnowledgeBase | nx.MultiDiGraph,
    qids: Iterable[str],
    relations: Collection[str] = DEFAULT_RELATIONS,
) -> frozenset[str]:
    """Concept ``qids`` and every concept crosswalks link them to, by graph traversal.

    The same rule as :func:`policykb.query.mapped_concepts`: exact matches are followed
    transitively, every other counted relation one step, either way.
    """
    graph = _graph(kb_or_graph)

    def linked(qid: str) -> Iterable[tuple[str, str]]:
        key = node_key("pillar", qid)
        if key not in graph:
            return
        for source, target, kind in (
            *graph.out_edges(key, keys=True),
            *graph.in_edges(key, keys=True),
        ):
            if kind.endswith("-match"):
                other = target if source == key else source
                yield graph.nodes[other]["id"], kind.removesuffix("-match")

    return follow_crosswalks(qids, relations, linked)


@dataclass(frozen=True, slots=True)
class RelatedRecommendation:
    """A recommendation related to another through the concepts they share."""

    id: str
    report: str
    text: str
    countries: tuple[str, ...]
    grade: str
    shared: tuple[str, ...]  # concepts both are tied to
    mapped: tuple[str, ...]  # its concepts linked to the other's only through a crosswalk
    score: int


def related_recommendations(
    kb_or_graph: KnowledgeBase | nx.MultiDiGraph,
    rec_id: str,
    include_mapped: bool = True,
    limit: int | None = None,
) -> list[RelatedRecommendation]:
    """Recommendations sharing concepts with ``rec_id``, best first.

    ``rec_id`` is a global ``report/rec`` id, or a bare ``rec`` id when only one report has a
    recommendation of that id (see :func:`policykb.query.resolve.resolve_recommendation_id`).

    Score: 2 for each concept both are tied to, 1 for each of the other's concepts that a
    crosswalk links to one of this recommendation's (exact/close, see :func:`crosswalk_closure`).
    Ties go by id.
    """
    graph = _graph(kb_or_graph)
    start = node_key("recommendation", rec_id)
    if start not in graph or graph.nodes[start].get("kind") != "recommendation":
        known = [d["id"] for _, d in graph.nodes(data=True) if d.get("kind") == "recommendation"]
        start = node_key("recommendation", resolve_recommendation_id(rec_id, known))
    own = {graph.nodes[t]["id"] for _, t, k in graph.out_edges(start, keys=True) if k == "concerns"}
    reach = crosswalk_closure(graph, own) - own if include_mapped else frozenset()
    found: dict[str, tuple[set[str], set[str]]] = {}
    for concept in own | reach:
        for source, _, kind in graph.in_edges(node_key("pillar", concept), keys=True):
            if kind == "concerns" and source != start:
                shared, mapped = found.setdefault(source, (set(), set()))
                (shared if concept in own else mapped).add(concept)
    results = []
    for key, (shared, mapped) in found.items():
        data = graph.nodes[key]
        results.append(
            RelatedRecommendation(
                data["id"],
                data["report"],
                data["text"],
                tuple(data.get("countries", ())),
                data["grade"],
                tuple(sorted(shared)),
                tuple(sorted(mapped)),
                2 * len(shared) + len(mapped),
            )
        )
    results.sort(key=lambda r: (-r.score, r.id))
    return results if limit is None else results[:limit]


def _flat(attributes: dict[str, Any]) -> dict[str, Any]:
    """Attributes sorted by name, lists and tuples joined with ``"; "``."""
    return {
        k: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v
        for k, v in sorted(attributes.items())
    }


def flatten(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with list attributes joined by ``"; "``, in sorted node and edge order."""
    copy = nx.MultiDiGraph()
    for key in sorted(graph.nodes):
        copy.add_node(key, **_flat(graph.nodes[key]))
    for source, target, kind, data in sorted(graph.edges(keys=True, data=True), key=_edge_order):
        copy.add_edge(source, target, key=kind, **_flat(data))
    return copy


def _edge_order(edge: tuple[str, str, str, Any]) -> tuple[str, str, str]:
    return edge[0], edge[1], edge[2]


_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
#: XML escapes, and the characters XML 1.0 does not allow, dropped: one C-speed translate
_XML_TABLE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
     **{chr(c): None for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)}}
)  # fmt: skip


def _xml(value: Any) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return text.translate(_XML_TABLE)


def write_graphml(graph: nx.MultiDiGraph) -> bytes:
    """A multigraph as GraphML, UTF-8: nodes, edges and attribute keys sorted, lists flattened.

    Written directly rather than through networkx's ElementTree writer, which takes seconds on
    a large corpus; ``networkx.read_graphml`` reads the result back to the same graph.
    """
    nodes = [(key, _flat(graph.nodes[key])) for key in sorted(graph.nodes)]
    edges = [
        (u, v, k, _flat(d))
        for u, v, k, d in sorted(graph.edges(keys=True, data=True), key=_edge_order)
    ]
    declared: dict[tuple[str, str], str] = {}
    for scope, items in (("node", [d for _, d in nodes]), ("edge", [e[3] for e in edges])):
        for attributes in items:
            for name, value in attributes.items():
                declared.setdefault((scope, name), _GRAPHML_TYPES[type(value)])
    ids = {key: f"d{i}" for i, key in enumerate(sorted(declared))}
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    out += [
        f'  <key id="{ids[key]}" for="{key[0]}" attr.name="{_xml(key[1])}" '
        f'attr.type="{declared[key]}" />'
        for key in sorted(declared)
    ]
    out.append('  <graph edgedefault="directed">')

    def data(scope: str, attributes: dict[str, Any]) -> list[str]:
        return [
            f'      <data key="{ids[(scope, k)]}">{_xml(v)}</data>' for k, v in attributes.items()
        ]

    for key, attributes in nodes:
        out += [f'    <node id="{_xml(key)}">', *data("node", attributes), "    </node>"]
    for u, v, k, attributes in edges:
        out += [
            f'    <edge source="{_xml(u)}" target="{_xml(v)}" id="{_xml(k)}">',
            *data("edge", attributes),
            "    </edge>",
        ]
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out).encode("utf-8")


def to_graphml(kb: KnowledgeBase) -> bytes:
    """The graph as GraphML, UTF-8: deterministic (same data, same bytes), lists flattened."""
    return write_graphml(build_graph(kb))


def to_gexf(kb: KnowledgeBase) -> bytes:
    """The graph as GEXF 1.2 for Gephi, UTF-8: deterministic (no modification date), flattened."""
    writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8")
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)  # today's date would make every export differ
    writer.add_graph(flatten(build_graph(kb)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue() + b"\n"
