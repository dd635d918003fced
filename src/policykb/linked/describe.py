"""The dataset description every export ends with: DCAT and VoID.

A ``dcat:Dataset`` that is also a ``void:Dataset``: title, description, version, issued date,
licence, rights and publisher from ``data/dataset.yaml`` (never the clock: exports stay
byte-deterministic), a ``dcat:Distribution`` per export format, ``void:vocabulary``,
``void:uriSpace`` and ``void:triples`` — the number of triples of the whole export, counted by
the writer as it writes (:class:`policykb.linked.statements.StatementWriter`), this description
included. ``publish`` adds ``void:sparqlEndpoint``.
"""

from __future__ import annotations

from policykb.linked import vocab
from policykb.linked.statements import SEP, StatementWriter
from policykb.linked.turtle import date_literal, iri, quoted
from policykb.model import Dataset

_TYPE = "a"
_TITLE, _DESCRIPTION = iri(vocab.TITLE), iri(vocab.DESCRIPTION)
_ISSUED, _PUBLISHER = iri(vocab.ISSUED), iri(vocab.PUBLISHER)
_VERSION_INFO = iri(vocab.VERSION_INFO)
_DESCRIPTION_CLASSES = (iri(vocab.DCAT_DATASET), iri(vocab.VOID_DATASET))
_A_DISTRIBUTION = f"{_TYPE} {iri(vocab.DCAT_DISTRIBUTION)}"
_LICENSE, _DISTRIBUTION = iri(vocab.LICENSE), iri(vocab.DISTRIBUTION)
_TRIPLES, _VOCABULARY = iri(vocab.TRIPLES), iri(vocab.VOCABULARY)
#: each export format's distribution: its fragment, and its title, format and media type parts
_DISTRIBUTIONS = [
    (
        name,
        f"{_TITLE} {quoted(title)}",
        f"{iri(vocab.FORMAT)} {iri(vocab.FILE_TYPE_NS + file_type)}",
        f"{iri(vocab.MEDIA_TYPE)} {iri(vocab.MEDIA_TYPES_NS + media_type)}",
    )
    for name, (title, media_type, file_type) in vocab.DISTRIBUTIONS.items()
]


def dataset(writer: StatementWriter, dataset: Dataset) -> None:
    """The dataset description: DCAT and VoID, a ``dcat:Distribution`` per export format,
    and ``void:triples``, the number of triples of the whole export, these included.

    Written last, so that every other triple is counted (``writer.triples``) before it.
    """
    writer.drain()
    counted = writer.triples
    s = f"{writer.base}dataset"
    po = [f"{_TYPE} {writer.objects(_DESCRIPTION_CLASSES)}", f"{_TITLE} {quoted(dataset.title)}"]
    if dataset.description is not None:
        po.append(f"{_DESCRIPTION} {quoted(dataset.description)}")
    if dataset.version is not None:
        po.append(f"{_VERSION_INFO} {quoted(dataset.version)}")
    if dataset.issued is not None:
        po.append(f"{_ISSUED} {date_literal(dataset.issued)}")
    licence = None if dataset.licence is None else f"{_LICENSE} {iri(dataset.licence)}"
    if licence is not None:
        po.append(licence)
    if dataset.rights is not None:
        po.append(f"{iri(vocab.RIGHTS)} <{s}#rights>")
        writer.later.append(
            f"<{s}#rights> {_TYPE} {iri(vocab.RIGHTS_STATEMENT)}{SEP}"
            f"{iri(vocab.LABEL)} {quoted(dataset.rights)} .\n"
        )
    if dataset.publisher is not None:
        po.append(f"{_PUBLISHER} <{s}#publisher>")
        agent = [
            f"{_TYPE} {iri(vocab.AGENT)}",
            f"{iri(vocab.FOAF_NAME)} {quoted(dataset.publisher)}",
        ]
        if dataset.publisher_url is not None:
            agent.append(f"{iri(vocab.HOMEPAGE)} {iri(dataset.publisher_url)}")
        writer.later.append(f"<{s}#publisher> {SEP.join(agent)} .\n")
    if dataset.homepage is not None:
        po.append(f"{iri(vocab.LANDING_PAGE)} {iri(dataset.homepage)}")
    nodes = [f"<{s}#{name}>" for name, *_ in _DISTRIBUTIONS]
    po.append(f"{_DISTRIBUTION} {writer.objects(nodes)}")
    for node, (_, title, file_type, media_type) in zip(nodes, _DISTRIBUTIONS, strict=True):
        parts = [_A_DISTRIBUTION, title, file_type, media_type]
        if licence is not None:
            parts.append(licence)
        writer.later.append(f"{node} {SEP.join(parts)} .\n")
    po.append(f"{iri(vocab.URI_SPACE)} {quoted(writer.base)}")
    po.append(f"{_VOCABULARY} {writer.objects([iri(ns) for ns in vocab.VOCABULARIES])}")
    if dataset.sparql_endpoint is not None:
        po.append(f"{iri(vocab.SPARQL_ENDPOINT)} {iri(dataset.sparql_endpoint)}")
    # the triples of this statement and its nodes: a line per part (void:triples' one
    # too), plus the further objects writer.objects has counted since ``counted``
    own = len(po) + 1 + sum(node.count("\n") for node in writer.later)
    total = writer.triples + own
    po.append(f"{_TRIPLES} {total}")
    writer.statement(s, po)
    writer.drain()
    assert writer.triples == total, (writer.triples, total, counted)
