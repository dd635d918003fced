"""Each page's RDF: the triples of the resource it describes, as Turtle and as JSON-LD.

The whole knowledge base is written by the one mapping (:mod:`policykb.linked.mapping`) and
parsed once by pyoxigraph; each triple goes to the page of its subject: the subject's own page,
or, for a subject without a page of its own, the page of the nearest IRI above it (``…#source``
and ``…#contributor-1`` go with their resource, ``scores/X/observation/3`` with ``scores/X``,
the dataset description with the home page). A page's Turtle is pyoxigraph's serialisation of
its triples with the policykb prefixes; its JSON-LD is compact, one node object per subject,
with the export's ``@context`` inlined (as ``policykb export -F jsonld`` writes it), so each file
parses offline. Same data, same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from policykb.gcpause import no_gc
from policykb.linked.export import jsonld_context
from policykb.linked.rdf import write_turtle
from policykb.linked.vocab import PREFIXES, STRING
from policykb.model import KnowledgeBase
from policykb.site import paths

_TYPE = PREFIXES["rdf"] + "type"


def resource_triples(
    kb: KnowledgeBase, base: str, page_paths: Iterable[str]
) -> dict[str, list[Any]]:
    """Page path -> the pyoxigraph triples of its resource, in the export's order."""
    import io

    from pyoxigraph import RdfFormat, parse

    by_iri = {paths.iri(base, p): p for p in page_paths}
    data = io.BytesIO()
    write_turtle(kb, data, base, jobs=1)
    found: dict[str, list[Any]] = {}
    owner: dict[str, str | None] = {}
    with no_gc():
        for triple in parse(data.getvalue(), format=RdfFormat.TURTLE):
            subject = triple.subject.value
            page = owner.get(subject, "")
            if page == "":
                page = owner[subject] = _owner(subject, by_iri)
            if page is not None:
                found.setdefault(page, []).append(triple)
    return found


def _owner(subject: str, by_iri: dict[str, str]) -> str | None:
    """The path of the page a subject's triples go to, or ``None``."""
    iri = subject.partition("#")[0]
    while True:
        page = by_iri.get(iri)
        if page is not None:
            return page
        cut = iri.rfind("/", 0, len(iri) - 1)
        if cut < len("https://x/"):
            return None
        iri = iri[:cut]


def turtle(triples: list[Any]) -> bytes:
    """The triples as Turtle, with the policykb prefixes (pyoxigraph's serialisation)."""
    from pyoxigraph import RdfFormat, serialize

    data = serialize(triples, format=RdfFormat.TURTLE, prefixes=PREFIXES)
    assert isinstance(data, bytes)
    return data


class JsonLd:
    """Compact JSON-LD writer of one page's triples, with the export's context inlined."""

    def __init__(self, base: str) -> None:
        context = jsonld_context(base)["@context"]
        self._head = '{\n"@context": ' + json.dumps(context, ensure_ascii=False, indent=2)
        self._namespaces = sorted(
            ((ns, prefix) for prefix, ns in context.items()), key=lambda pair: -len(pair[0])
        )
        self._compacted: dict[str, str] = {}

    def _compact(self, iri: str) -> str:
        found = self._compacted.get(iri)
        if found is None:
            found = iri
            for namespace, prefix in self._namespaces:
                if iri.startswith(namespace) and not iri[len(namespace) :].startswith("//"):
                    found = f"{prefix}:{iri[len(namespace) :]}"
                    break
            self._compacted[iri] = found
        return found

    def __call__(self, triples: list[Any]) -> bytes:
        from pyoxigraph import Literal

        compact = self._compact
        nodes: dict[str, dict[str, Any]] = {}
        for t in triples:
            s = t.subject.value
            node = nodes.get(s)
            if node is None:
                node = nodes[s] = {"@id": compact(s)}
            p, o = t.predicate.value, t.object
            value: Any
            if isinstance(o, Literal):
                if o.language:
                    value = {"@value": o.value, "@language": o.language}
                elif o.datatype.value != STRING:
                    value = {"@value": o.value, "@type": compact(o.datatype.value)}
                else:
                    value = o.value
            elif p == _TYPE:
                node.setdefault("@type", []).append(compact(o.value))
                continue
            else:
                value = {"@id": compact(o.value)}
            node.setdefault(compact(p), []).append(value)
        body = ",\n".join(
            json.dumps(n, ensure_ascii=False, separators=(",", ":")) for n in nodes.values()
        )
        return f'{self._head},\n"@graph": [\n{body}\n]\n}}\n'.encode()
