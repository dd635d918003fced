"""The cache file's format: its sections, read on demand and checked, and writing one."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import marshal
import os
import pickle
import struct
import threading
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from policykb.cache import auth
from policykb.cache.key import cache_file, cache_key, load_data, model_classes
from policykb.errors import DataDirError
from policykb.gcpause import no_gc
from policykb.model import KnowledgeBase, Recommendation, Report, Source
from policykb.signals import unwind_on_signals

# ---------------------------------------------------------------------------------------------
# The cache file
#
#   MAGIC, the key (64 hex digits), a newline
#   the table: the byte lengths of the four sections, then their SHA-256s (TABLE)
#   the MAC: HMAC-SHA256 of all the above under this user's secret (policykb.cache.auth)
#   lean     pickle: (data directory, the collections but reports (EAGER), postings by
#            country, postings by concept, each row's offset, each row's digest: the first
#            ROW_DIGEST bytes of its SHA-256, all in one bytes object)
#   report table  marshal: each report's names, the spans of its rows and its year
#                 (policykb.query.ReportTable)
#   rows     one marshalled tuple per recommendation: the report id, then the
#            recommendation's fields in order, its source as a tuple of the source's fields
#   reports  pickle: (the reports without their recommendations, how many each has)
#
# A hit reads the header, the table and the lean section; a query reads the rows it returns
# (or the whole section when it wants more than an eighth of them); ``kb.reports`` reads the
# rows and reports sections and puts the recommendations back into their reports. The MAC is
# checked before anything is decoded, and bytes against their SHA-256 (a row's digest) before
# they are decoded: a file not written by this user with their secret is never unpickled
# (issue #16.5; why hashes and not CRC-32s: policykb.cache.auth). A header, table or lean
# section that does not check out makes the file a miss (rebuilt). A later section that does
# not (the file was damaged in place after the hit) makes the knowledge base load from the data
# files and rewrite the cache, when the data's key is still the one the file was read for.

MAGIC = b"policykb-kb-cache 4\n"
#: The knowledge base's fields, and those a cache hit reads at once (all but the reports)
FIELDS = tuple(f.name for f in dataclasses.fields(KnowledgeBase))
EAGER = tuple(name for name in FIELDS if name != "reports")
KEY_BYTES = 64  # hex sha256
TABLE = struct.Struct("<4Q32s32s32s32s")
#: the header before the MAC: MAGIC, the key and a newline, the table
HEADER_BYTES = len(MAGIC) + KEY_BYTES + 1 + TABLE.size
ROW_DIGEST = 16  # bytes of a row's SHA-256 kept: a second preimage costs 2**128
LEAN, REPORT_TABLE, ROWS, REPORTS = range(4)
_OFFSET, _COUNT = "Q", "I"  # array typecodes; postings are _COUNT arrays too
#: marshal format 2 has no back-references, whose use depends on reference counts: the same
#: data gives the same bytes in any process
_MARSHAL = 2


_PREAD = getattr(os, "pread", None)


class _CorruptError(Exception):
    """A section of a cache file does not hold what its table says."""


class CacheFile:
    """An open cache file whose sections after the lean one are read on demand."""

    def __init__(self, handle: Any, key: str, start: int, table: tuple[Any, ...]) -> None:
        self._handle = handle  # kept open: if the file is replaced, this one stays readable
        # closed when this object goes, or at exit (a __del__ could run at shutdown after the
        # module's globals are gone, and print "Exception ignored" to the user)
        weakref.finalize(self, handle.close)
        self._lock = threading.Lock()
        self.key = key
        self.lengths: tuple[int, ...] = table[:4]
        self.digests: tuple[bytes, ...] = table[4:]  # SHA-256s
        self.starts = [start]
        for length in self.lengths[:-1]:
            self.starts.append(self.starts[-1] + length)
        self.root = Path()
        self.offsets: Sequence[int] = ()  # each row's offset in the rows section, and the end
        self.row_digests = b""  # ROW_DIGEST bytes a row
        self._recovered: KnowledgeBase | None = None
        #: shells and counts read for recommendation_counts, not yet filled in by a read
        self._spare: tuple[tuple[Report, ...], Sequence[int]] | None = None

    def read_at(self, start: int, length: int) -> bytes:
        """``length`` bytes at ``start``.

        ``os.pread`` leaves the file position alone, which a forked process shares; where
        there is none (Windows), a lock keeps this process's threads from interleaving.
        """
        data: bytes
        if _PREAD is not None:
            data = _PREAD(self._handle.fileno(), length, start)
        else:  # pragma: no cover - Windows
            with self._lock:
                self._handle.seek(start)
                data = self._handle.read(length)
        if len(data) != length:
            raise _CorruptError("short read")
        return data

    def section(self, which: int) -> bytes:
        """A whole section, checked."""
        data = self.read_at(self.starts[which], self.lengths[which])
        if auth.digest(data) != self.digests[which]:
            raise _CorruptError(f"section {which}")
        return data

    def rows(
        self, which: Sequence[int], blob: bytes | memoryview | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """The rows at the positions ``which``; ``blob`` is the whole section, if read.

        Rows read on their own are checked against their own digest (the whole section's has
        been, when it is given). Consecutive rows are read together, and sliced without a copy.
        """
        offsets, digests, sha256 = self.offsets, self.row_digests, hashlib.sha256
        base = self.starts[ROWS]
        position, run = 0, memoryview(b"")  # the rows last read together, and where
        for n, i in enumerate(which):
            start, stop = offsets[i], offsets[i + 1]
            if blob is not None:
                data = blob[start:stop]
            else:
                if not position <= start <= stop <= position + len(run):
                    last = n
                    while last + 1 < len(which) and which[last + 1] == which[last] + 1:
                        last += 1
                    position = start
                    run = memoryview(self.read_at(base + start, offsets[which[last] + 1] - start))
                data = run[start - position : stop - position]
                at = i * ROW_DIGEST
                if sha256(data).digest()[:ROW_DIGEST] != digests[at : at + ROW_DIGEST]:
                    raise _CorruptError(f"row {i}")
            row = marshal.loads(data)
            if type(row) is not tuple or len(row) != _ROW_LENGTH:
                raise _CorruptError(f"row {i}")
            yield row

    def reports_between(self, start: int, stop: int | None) -> tuple[Report, ...]:
        """Reports ``start`` to ``stop`` (``None``: to the end), reading only their rows.

        From the data files instead when the cache file turns out damaged.
        """
        try:
            with no_gc():
                return self._reports(start, stop)
        except Exception:
            return self.recovered().reports[start:stop]

    def recommendation_counts(self) -> tuple[int, ...]:
        """How many recommendations each report makes."""
        try:
            if self._spare is None:
                self._spare = self._shells()  # kept for the next read of reports to fill in
            return tuple(self._spare[1])
        except Exception:
            return self.recovered().recommendation_counts()

    def _shells(self) -> tuple[tuple[Report, ...], Sequence[int]]:
        """The reports without their recommendations (not yet shared), and how many each has."""
        if self._spare is not None:
            spare, self._spare = self._spare, None
            return spare
        shells, counts = pickle.loads(self.section(REPORTS))
        if (
            not isinstance(shells, tuple)
            or len(shells) != len(counts)
            or sum(counts) != len(self.offsets) - 1
        ):
            raise _CorruptError("reports")
        return shells, counts

    def _reports(self, start: int, stop: int | None) -> tuple[Report, ...]:
        shells, counts = self._shells()
        shells = shells[start:stop]
        first = sum(counts[:start])
        last = first + sum(counts[start:stop])
        whole = first == 0 and last == len(self.offsets) - 1
        blob = memoryview(self.section(ROWS)) if whole else None  # one SHA-256 for all of it
        recommendation, source, at = Recommendation, Source, _ROW_SOURCE
        recs = []
        for row in self.rows(range(first, last), blob):
            fields = list(row[1:])
            fields[at] = source(*fields[at])
            recs.append(recommendation(*fields))
        at_rec = 0
        for shell, count in zip(shells, counts[start:stop], strict=True):
            # the shells are new and not yet shared: filling in their field is building them
            object.__setattr__(shell, "recommendations", tuple(recs[at_rec : at_rec + count]))
            at_rec += count
        return shells

    def recovered(self) -> KnowledgeBase:
        """The knowledge base loaded afresh (once), for a file found damaged after the hit."""
        if self._recovered is None:
            kb = load_data(self.root)
            if cache_key(self.root) != self.key:
                raise DataDirError(
                    "the data changed while policykb was reading it", "run the command again"
                )
            from policykb.query import Index

            write(cache_file(self.root), self.key, kb, Index.build(kb), self.root)
            self._recovered = kb
        return self._recovered


#: A row: the report id, then the fields of :class:`Recommendation` in order
_ROW_FIELDS = tuple(f.name for f in dataclasses.fields(Recommendation) if f.init)
_ROW_LENGTH = 1 + len(_ROW_FIELDS)
_ROW_SOURCE = _ROW_FIELDS.index("source")  # the source's place among the fields
#: Where :class:`policykb.query.Record`'s fields are in a row (the source's is decoded)
_RECORD = tuple(
    1 + _ROW_FIELDS.index(name)
    for name in ("id", "text", "countries", "concepts", "source", "grade", "mapping", "actors")
)


class FileRows:
    """:class:`policykb.query.Rows` read from a cache file."""

    __slots__ = ("_blob", "_fallback", "_file")

    def __init__(self, file: CacheFile) -> None:
        self._file = file
        self._blob: bytes | None = None  # the whole rows section, once a query wants many
        self._fallback: Any = None  # a policykb.query.ModelRows, once the file is found damaged

    def __len__(self) -> int:
        return len(self._file.offsets) - 1

    def records(self, which: Sequence[int]) -> list[Any]:
        if self._fallback is None:
            try:
                return self._records(which)
            except Exception:
                self._fall_back()
        found: list[Any] = self._fallback.records(which)
        return found

    def report_table(self) -> Any:
        if self._fallback is None:
            try:
                table = marshal.loads(self._file.section(REPORT_TABLE))
                # names, spans and year per report (a table of an older shape: rebuild)
                if not isinstance(table, dict) or any(len(v) != 3 for v in table.values()):
                    raise _CorruptError("report table")
                return table
            except Exception:
                self._fall_back()
        return self._fallback.report_table()

    def _fall_back(self) -> None:
        from policykb.query import ModelRows

        self._fallback = ModelRows(self._file.recovered().reports)

    def _records(self, which: Sequence[int]) -> list[Any]:
        if self._blob is None and len(which) * 8 > len(self):
            self._blob = self._file.section(ROWS)
        rec_id, text, countries, concepts, source, grade, mapping, actors = _RECORD
        return [
            (
                row[0],
                row[rec_id],
                row[text],
                row[countries],
                row[concepts],
                Source(*row[source]),
                row[grade],
                row[mapping],
                row[actors],
            )
            for row in self._file.rows(which, self._blob)
        ]


def write(target: Path, key: str, kb: KnowledgeBase, index: Any, root: Path) -> None:
    """Write atomically (temporary file, then rename); a cache that cannot be written is skipped.

    ``index`` is ``kb``'s :class:`policykb.query.Index`, whose postings are stored. The file is
    ``0600`` in a ``0700`` directory and MAC'd with this user's secret (made on first write).
    """
    import tempfile  # only on a miss: the hit path stays lean

    temporary: Path | None = None
    try:
        auth.make_directory(target.parent)
        secret = auth.secret(target.parent, create=True)
        if secret is None:  # none of this user's own: nothing written could be trusted back
            return
        with no_gc():  # many new acyclic objects: see policykb.gcpause
            sections = _sections(kb, index, root)
        header = MAGIC + key.encode() + b"\n"
        header += TABLE.pack(*(len(s) for s in sections), *(auth.digest(s) for s in sections))
        header += auth.mac(secret, header)
        with (
            unwind_on_signals(),
            tempfile.NamedTemporaryFile(
                "wb", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
            ) as handle,
        ):
            temporary = Path(handle.name)
            handle.write(header)
            handle.writelines(sections)
            handle.close()
            temporary.replace(target)  # os.replace: atomic within the cache directory
    except BaseException as exc:  # an error skips the cache; Ctrl-C and signals go on after
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
        if not isinstance(exc, Exception):
            raise


def _sections(kb: KnowledgeBase, index: Any, root: Path) -> tuple[bytes, ...]:
    """The four sections of a cache file (see the layout above)."""
    from array import array
    from operator import attrgetter

    fields = attrgetter(*_ROW_FIELDS)
    source = attrgetter(*(f.name for f in dataclasses.fields(Source) if f.init))
    at = _ROW_SOURCE
    rows = []
    for report in kb.reports:
        for rec in report.recommendations:
            values = [report.id, *fields(rec)]
            values[1 + at] = source(values[1 + at])
            rows.append(marshal.dumps(tuple(values), _MARSHAL))
    offsets = array(_OFFSET, [0])
    end = 0
    for row in rows:
        end += len(row)
        offsets.append(end)
    lean = _dumps(
        (
            str(root.resolve()),
            tuple(getattr(kb, name) for name in EAGER),
            {k: array(_COUNT, v) for k, v in index.by_country.items()},
            {k: array(_COUNT, v) for k, v in index.by_concept.items()},
            offsets,
            b"".join(hashlib.sha256(row).digest()[:ROW_DIGEST] for row in rows),
        )
    )
    counts = array(_COUNT, [len(r.recommendations) for r in kb.reports])
    reports = _dumps((kb.reports, counts), without_recommendations=True)
    return lean, marshal.dumps(index.report_table(), _MARSHAL), b"".join(rows), reports


def _dumps(value: Any, without_recommendations: bool = False) -> bytes:
    """``value`` pickled, model dataclasses as ``Class(*fields)`` (see :func:`_reducers`).

    ``without_recommendations`` pickles reports with none (the rows section holds them).
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _reducers(without_recommendations)
    pickler.dump(value)
    return buffer.getvalue()


def _reducers(without_recommendations: bool) -> dict[type, Any]:
    """Reducers that pickle each model dataclass as ``Class(*fields)``.

    The default for frozen slotted dataclasses restores each object through the generated
    ``__setstate__``, which calls ``dataclasses.fields()`` per object: 0.7 s of a 0.84 s load
    for 1,000 reports. Calling the class is several times faster and builds the same value.
    A dispatch table (an ``attrgetter`` per class) rather than ``reducer_override`` leaves
    tuples and strings, most of the objects, to the pickler's C code.
    """
    from operator import attrgetter

    table: dict[type, Any] = {}
    for cls in model_classes():
        names = [f.name for f in dataclasses.fields(cls) if f.init]
        getter = attrgetter(*names)
        if cls is Report and without_recommendations:
            at = names.index("recommendations")

            def reduce_report(obj: Any, getter: Any = getter, at: int = at) -> Any:
                fields = list(getter(obj))
                fields[at] = ()
                return Report, tuple(fields)

            table[cls] = reduce_report
        elif len(names) == 1:  # attrgetter of one name gives the value, not a tuple
            table[cls] = lambda obj, cls=cls, getter=getter: (cls, (getter(obj),))
        else:
            table[cls] = lambda obj, cls=cls, getter=getter: (cls, getter(obj))
    return table
