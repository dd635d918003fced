"""Which ids go into the mapping's IRIs, and whether they can be written as they stand.

:class:`policykb.linked.mapping.Statements` puts ids into IRIs unchecked (``<{base}report/{id}>``)
for speed. That gives pyoxigraph's own bytes when every such id is a plain slug and unique where
it names a node (:func:`plain`); otherwise :func:`policykb.linked.rdf.write_turtle` has
pyoxigraph canonicalise the statements, after :func:`check_iris` has refused any id that cannot
be part of an IRI at all. A new kind of item whose id goes into an IRI is listed here too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain
from operator import attrgetter

from policykb.linked.vocab import PREFIXES
from policykb.model import KnowledgeBase, Report, Source

#: An id the mapping puts in an IRI as it stands, sure of pyoxigraph's bytes; any other makes
#: the export canonicalise (see :func:`plain`). The loader's ids are lower-case slugs.
_PLAIN_IDS = re.compile(r"[A-Za-z0-9_-]+(?:\n[A-Za-z0-9_-]+)*")
_PLAIN_QIDS = re.compile(r"[A-Za-z0-9_-]+/[A-Za-z0-9_-]+(?:\n[A-Za-z0-9_-]+/[A-Za-z0-9_-]+)*")


def plain(kb: KnowledgeBase, base: str, reports: Sequence[Report] | None = None) -> bool:
    """Whether the mapping writes ``kb`` exactly as pyoxigraph serialises its triples.

    It does when every id that goes into an IRI is a plain slug (so every IRI is valid as it
    stands), ids are unique where they name a node (so no two statements share a subject and
    pyoxigraph would never merge them), and no prefix's namespace overlaps the data IRIs (so
    they are all written ``<…>``). ``reports`` checks those reports in place of ``kb.reports``
    (a part of them: the rest of ``kb`` is checked whole).
    """
    roots = [f"{base}{kind}/" for kind in ("framework", "report", "org", "crosswalk")]
    roots.append(f"{base}dataset")
    namespaces = PREFIXES.values()
    if any(r.startswith(ns) or ns.startswith(r) for r in roots for ns in namespaces):
        return False
    try:
        from pyoxigraph import NamedNode

        NamedNode(roots[0])  # the base as pyoxigraph checks it
    except ValueError:
        return False
    if not all(_valid_iri(value) for value in dataset_iris(kb)):
        return False
    ids, qids, unique = _ids_in_iris(kb, kb.reports if reports is None else reports)
    return (
        unique
        and (not ids or _PLAIN_IDS.fullmatch("\n".join(ids)) is not None)
        and (not qids or _PLAIN_QIDS.fullmatch("\n".join(qids)) is not None)
    )


#: What cannot stand in a Turtle IRI as it is (a backslash would start an escape).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def check_iris(kb: KnowledgeBase, base: str) -> None:
    """Raise ValueError when the base or an id cannot be part of an IRI as it stands."""
    from pyoxigraph import NamedNode

    NamedNode(base)  # raises ValueError for an IRI pyoxigraph refuses
    ids, qids, _ = _ids_in_iris(kb, kb.reports)
    for value in chain(ids, qids):
        if _NOT_IN_IRI.search(value):
            raise ValueError(f"{value!r} cannot be part of an IRI")
    for value in dataset_iris(kb):
        if not _valid_iri(value):
            raise ValueError(f"{value!r} is not an IRI")


def dataset_iris(kb: KnowledgeBase) -> list[str]:
    """The IRIs the dataset description takes from the data as they stand (licence, pages)."""
    dataset = kb.dataset
    found = (dataset.licence, dataset.publisher_url, dataset.homepage, dataset.sparql_endpoint)
    return [value for value in found if value is not None]


def _valid_iri(value: str) -> bool:
    """Whether ``value`` is an absolute IRI that can be written ``<value>`` as it stands."""
    from pyoxigraph import NamedNode

    if _NOT_IN_IRI.search(value):
        return False
    try:
        NamedNode(value)
    except ValueError:
        return False
    return True


def _ids_in_iris(kb: KnowledgeBase, reports: Sequence[Report]) -> tuple[list[str], list[str], bool]:
    """The ids that go into IRIs, the qualified ones apart, and whether node ids are unique."""
    unique = True
    ids: list[str] = []
    qids: list[str] = []
    sources: list[Source | None] = []
    for framework in kb.frameworks:
        ids.append(framework.id)
        concepts = list(framework.concepts())
        unique = unique and len({c.id for c in concepts}) == len(concepts)
        ids += [c.id for c in concepts]
        ids += [f for f in (framework.defined_in, framework.replaces, framework.uses) if f]
        sources.append(framework.source)
        sources += [c.node.source for c in concepts]
    for organisation in kb.organisations:
        ids.append(organisation.id)
        ids += [c for c in (organisation.country, organisation.parent) if c is not None]
        sources.append(organisation.source)
    for report in reports:
        ids += (report.id, report.publisher)
        ids += chain(report.countries, report.compares, report.defines, report.applies)
        sources.append(report.source)
        ids += report.regions
        for adherence in report.adherents:
            ids += adherence.countries
            sources.append(adherence.source)
        rec_ids = [rec.id for rec in report.recommendations]
        unique = unique and len(set(rec_ids)) == len(rec_ids)
        ids += rec_ids
    for region in kb.regions:
        ids.append(region.id)
        ids += region.members
        sources.append(region.source)
    for scores in kb.scores:
        ids += (scores.id, scores.index)
        sources.append(scores.source)
        for obs in scores.observations:
            ids.append(obs.country)
            if obs.dimension is not None:
                qids.append(obs.dimension)
            sources.append(obs.source)
    for crosswalk in kb.crosswalks:
        ids.append(crosswalk.id)
        sources.append(crosswalk.source)
        qids += chain.from_iterable((m.source_concept, m.target_concept) for m in crosswalk.matches)
    # what recommendations refer to, distinct (C-level loops: there are tens of thousands)
    recs = list(chain.from_iterable(map(attrgetter("recommendations"), reports)))
    ids += set(chain.from_iterable(map(attrgetter("countries"), recs)))
    ids += set(chain.from_iterable(map(attrgetter("actors"), recs)))
    ids += set(chain.from_iterable(map(attrgetter("regions"), recs)))
    qids += set(chain.from_iterable(map(attrgetter("concepts"), recs)))
    sources += map(attrgetter("source"), recs)
    cited = set(map(attrgetter("report"), filter(None, sources)))
    cited.discard(None)
    ids += cited
    for items in (kb.frameworks, kb.organisations, reports, kb.crosswalks, kb.regions, kb.scores):
        unique = unique and len({item.id for item in items}) == len(items)
    return ids, qids, unique
