"""Knowledge base -> files: RDF in four syntaxes, GraphML and CSV, written atomically.

Turtle is the statements of :mod:`policykb.linked.mapping` (:func:`policykb.linked.rdf.turtle`).
N-Triples and RDF/XML are that Turtle parsed and re-serialised by pyoxigraph (the same triples
in the same order; rdflib's serialisers are 50 times slower on large corpora). JSON-LD is
written here from :func:`policykb.linked.rdf.triples`: one node object per subject, compacted
with the policykb ``@context`` (the same context the package ships as
``ontology/context.jsonld``), inlined so that the file parses offline. Every output is
deterministic: the same knowledge base gives the same bytes. Nothing here imports rdflib.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

from policykb.errors import UsageError
from policykb.gcpause import no_gc
from policykb.linked.rdf import triples, turtle, write_turtle
from policykb.linked.vocab import DEFAULT_BASE_IRI, PREFIXES, Lit, Triple, check_base_iri
from policykb.model import KnowledgeBase
from policykb.signals import unwind_on_signals

#: ``--format`` -> the file name ``--all`` writes it under.
FORMATS: dict[str, str] = {
    "turtle": "policykb.ttl",
    "jsonld": "policykb.jsonld",
    "ntriples": "policykb.nt",
    "rdfxml": "policykb.rdf",
    "graphml": "policykb.graphml",
    "csv": "recommendations.csv",
}
#: Files of the package that ``--all`` copies next to the exports.
SHIPPED = ("ontology.ttl", "shapes.ttl")
CONTEXT = "context.jsonld"


def shipped_file(name: str) -> bytes:
    """The bytes of a file shipped in ``policykb/ontology/`` (ontology, shapes, context)."""
    return (resources.files("policykb") / "ontology" / name).read_bytes()


def jsonld_context(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, Any]:
    """The JSON-LD ``@context`` document: the policykb prefixes, and ``kb`` for the data IRIs."""
    context: dict[str, Any] = {"kb": check_base_iri(base_iri)}
    context.update(PREFIXES)
    return {"@context": context}


def _jsonld(rows: list[Triple], base_iri: str) -> bytes:
    """Compact JSON-LD with an inline context: one node object per subject, one per line."""
    context = jsonld_context(base_iri)
    namespaces = sorted(
        ((ns, prefix) for prefix, ns in context["@context"].items()), key=lambda pair: -len(pair[0])
    )
    compacted: dict[str, str] = {}

    def compact(iri: str) -> str:
        found = compacted.get(iri)
        if found is None:
            found = iri
            for namespace, prefix in namespaces:
                if iri.startswith(namespace) and not iri[len(namespace) :].startswith("//"):
                    found = f"{prefix}:{iri[len(namespace) :]}"
                    break
            compacted[iri] = found
        return found

    nodes: dict[str, dict[str, Any]] = {}
    type_iri = PREFIXES["rdf"] + "type"
    for s, p, o in rows:
        node = nodes.get(s)
        if node is None:
            node = nodes[s] = {"@id": compact(s)}
        if p == type_iri and isinstance(o, str):
            node.setdefault("@type", []).append(compact(o))
            continue
        value: Any
        if isinstance(o, Lit):
            if o.lang is not None:
                value = {"@value": o.value, "@language": o.lang}
            elif o.datatype is not None:
                value = {"@value": o.value, "@type": compact(o.datatype)}
            else:
                value = o.value
        else:
            value = {"@id": compact(o)}
        node.setdefault(compact(p), []).append(value)
    head = json.dumps(context["@context"], ensure_ascii=False, indent=2)
    body = ",\n".join(
        json.dumps(n, ensure_ascii=False, separators=(",", ":")) for n in nodes.values()
    )
    return f'{{\n"@context": {head},\n"@graph": [\n{body}\n]\n}}\n'.encode()


def _reserialize(data: bytes, output_format: str) -> bytes:
    """Turtle re-serialised by pyoxigraph in another syntax: the same triples in the same order."""
    from pyoxigraph import RdfFormat, parse, serialize

    formats = {"ntriples": RdfFormat.N_TRIPLES, "rdfxml": RdfFormat.RDF_XML}
    # no base_iri: pyoxigraph would relativise the prefix IRIs too (pkb: <ontology#>)
    prefixes = None if output_format == "ntriples" else PREFIXES
    triples = parse(data, format=RdfFormat.TURTLE)
    result = serialize(triples, format=formats[output_format], prefixes=prefixes)
    assert isinstance(result, bytes)
    return result


def serialize(kb: KnowledgeBase, output_format: str, base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """The knowledge base in one export format (see :data:`FORMATS`), as bytes."""
    _check_format(output_format)
    if output_format == "graphml":
        from policykb.query.graph import to_graphml

        return to_graphml(kb)
    if output_format == "csv":
        from policykb.query import recommendations
        from policykb.render import recommendations_csv

        return recommendations_csv(recommendations(kb)).encode()
    base = check_base_iri(base_iri)
    if output_format == "jsonld":
        with no_gc():
            return _jsonld(triples(kb, base), base)
    data = turtle(kb, base)
    if output_format == "turtle":
        return data
    return _reserialize(data, output_format)


def write(
    kb: KnowledgeBase,
    output_format: str,
    out: BinaryIO,
    base_iri: str = DEFAULT_BASE_IRI,
    jobs: int | None = None,
) -> int:
    """Write the knowledge base in one export format to the binary stream ``out``; bytes written.

    Turtle is streamed as it is made (the whole text never sits in memory), by up to ``jobs``
    processes (see :func:`policykb.linked.rdf.write_turtle`); the other formats are made whole by
    :func:`serialize` (which refuses an unknown format), then written.
    """
    if output_format == "turtle":
        return write_turtle(kb, out, base_iri, jobs)
    data = serialize(kb, output_format, base_iri)
    out.write(data)
    return len(data)


def write_file(
    kb: KnowledgeBase,
    output_format: str,
    path: Path,
    base_iri: str = DEFAULT_BASE_IRI,
    jobs: int | None = None,
) -> int:
    """:func:`write` into ``path``, atomically (see :func:`atomic_file`); bytes written.

    Any error, a bad format or base IRI included, leaves ``path`` as it was.
    """
    with atomic_file(path) as out:
        return write(kb, output_format, out, base_iri, jobs)


def _check_format(output_format: str) -> None:
    if output_format not in FORMATS:
        raise UsageError(
            f"unknown export format '{output_format}'", f"one of: {', '.join(FORMATS)}"
        )


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: all or nothing."""
    with atomic_file(path) as out:
        out.write(data)


#: Trees of special files: a symlink leading into one is never written through.
SPECIAL_TREES = (Path("/dev"), Path("/proc"), Path("/sys"))


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def replaceable_target(path: Path) -> Path:
    """The regular file that writing ``path`` replaces: ``path``, or where its symlinks lead.

    A :class:`UsageError` for what policykb must never replace with a regular file: an existing
    target that is not a regular file (a device such as ``/dev/full``, a FIFO, a socket, a
    directory), and a path whose symlinks lead into ``/dev``, ``/proc`` or ``/sys``. A symlink to
    a regular file (or to nothing yet) is written through: the link stays, its target changes.
    """
    hint = "name a regular file, or '-' for stdout"
    try:
        resolved = Path(os.path.realpath(path))
        lexical = Path(os.path.abspath(path))  # noqa: PTH100  (no links resolved, unlike resolve)
        if resolved != lexical and any(resolved.is_relative_to(tree) for tree in SPECIAL_TREES):
            raise UsageError(
                f"'{path}' is a symlink to '{resolved}': policykb never writes through a link "
                "into /dev, /proc or /sys",
                hint,
            )
        info = resolved.stat()
    except FileNotFoundError:
        return resolved
    except OSError as exc:
        raise UsageError(f"cannot write '{path}': {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"'{path}' is {_kind(info.st_mode)}, not a regular file", hint)
    return resolved


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes ``path`` only when the block ends without an error.

    The bytes go to a temporary file beside ``path``, which is flushed to disk and renamed over
    ``path`` at the end: a reader sees the old file or the whole new one, never a part. On any
    error, Ctrl-C, SIGTERM or SIGHUP (:func:`policykb.signals.unwind_on_signals`) the temporary
    file is removed and ``path`` is left as it was. Only a
    regular file is ever replaced (:func:`replaceable_target`): a device, FIFO or directory at
    ``path`` is a :class:`UsageError` before anything is written, and checked again before the
    rename; a symlink to a regular file is written through.
    """
    target = replaceable_target(path)
    with unwind_on_signals():  # SIGTERM and SIGHUP remove the temporary file too
        try:
            mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
            fd, temporary = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
            )
        except OSError as exc:
            raise UsageError(f"cannot write '{path}': {exc.strerror or exc}") from None
        try:
            with os.fdopen(fd, "wb") as file:
                yield file
                file.flush()
                os.fsync(file.fileno())
            Path(temporary).chmod(mode)
            if replaceable_target(path) != target:  # replaced meanwhile: by a link elsewhere
                raise UsageError(f"'{path}' changed while it was being written")
            Path(temporary).replace(target)
        except BaseException as exc:
            Path(temporary).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise UsageError(f"cannot write '{path}': {exc.strerror or exc}") from None
            raise


@dataclass(frozen=True, slots=True)
class StaleFile:
    """A file of an export directory that is missing or differs from a fresh export."""

    name: str
    reason: str  # "missing" or "stale"


def export_files(kb: KnowledgeBase, base_iri: str = DEFAULT_BASE_IRI) -> dict[str, bytes]:
    """Every file ``export --all`` writes: each format, the ontology, shapes and JSON-LD context."""
    ttl = serialize(kb, "turtle", base_iri)  # once: N-Triples and RDF/XML are made from it
    files: dict[str, bytes] = {}
    for output_format, name in FORMATS.items():
        if output_format == "turtle":
            files[name] = ttl
        elif output_format in ("ntriples", "rdfxml"):
            files[name] = _reserialize(ttl, output_format)
        else:
            files[name] = serialize(kb, output_format, base_iri)
    for name in SHIPPED:
        files[name] = shipped_file(name)
    files[CONTEXT] = (
        json.dumps(jsonld_context(base_iri), ensure_ascii=False, indent=2) + "\n"
    ).encode()
    return dict(sorted(files.items()))


def write_all(kb: KnowledgeBase, directory: Path, base_iri: str = DEFAULT_BASE_IRI) -> list[Path]:
    """Write every export file into ``directory`` (created if needed); the paths written."""
    files = export_files(kb, base_iri)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create '{directory}': {exc.strerror or exc}") from None
    written = []
    for name, data in files.items():
        write_atomic(directory / name, data)
        written.append(directory / name)
    return written


def stale_files(
    kb: KnowledgeBase, directory: Path, base_iri: str = DEFAULT_BASE_IRI
) -> list[StaleFile]:
    """The export files of ``directory`` that are missing or differ from a fresh export."""
    found = []
    for name, data in export_files(kb, base_iri).items():
        path = directory / name
        if not path.is_file():
            found.append(StaleFile(name, "missing"))
        elif path.read_bytes() != data:
            found.append(StaleFile(name, "stale"))
    return found
