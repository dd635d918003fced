"""A load cache: the knowledge base of a data directory, and its query index, in one file.

A cache file belongs to one data directory and holds a header line naming the key it was
built for, then the knowledge base and the postings of :class:`policykb.query.Index` in
sections that a hit reads only as far as it needs (layout under "The cache file" below). The
key is a hash of every data file's path, size and ``mtime_ns``, the data directory, the
policykb version, the Python version and the model's field names, so computing it costs one
``os.stat`` per file and no parsing. Any change to the data (an edited, added, removed or
renamed file) changes the key and the next load rebuilds.

A hit reads the header, the frameworks, organisations, crosswalks and the index's postings;
the reports are read when something first asks for ``kb.reports`` (see
:class:`CachedKnowledgeBase`), and a query the index answers reads the records of only the
recommendations it returns: ``policykb recs -c CHL`` on 5,000 reports reads 3 MB of a 50 MB
file and unpickles no report.

Only a knowledge base that loaded valid is cached: invalid data raises
:class:`~policykb.errors.InvalidDataError` on every run. Files are written to a temporary
file in the cache directory and moved into place with ``os.replace``, so a reader never sees a
half-written file and two writers racing leave one complete file. A cache file that is
corrupt, truncated, of another key or of another program is ignored and rewritten; every
section is checked against a CRC-32 before it is decoded.

The hit path imports nothing heavy: no jsonschema, fastjsonschema, networkx, rdflib or
pycountry (a test checks ``sys.modules``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import marshal
import os
import pickle
import stat
import struct
import sys
import threading
import weakref
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from policykb.errors import DataDirError
from policykb.gcpause import no_gc
from policykb.model import (
    Crosswalk,
    Framework,
    KnowledgeBase,
    Organisation,
    Recommendation,
    Report,
    Source,
)

ENV_VAR = "POLICYKB_CACHE_DIR"
#: Mirrors ``datadir.data_files`` (a test checks they agree) but walks with ``os.scandir``, whose
#: entries carry the stat the key needs: no Path object or second stat per file on every hit.
_FOLDERS = ("frameworks", "reports", "mappings")
_SUFFIXES = (".yaml", ".yml")
_MAGIC = b"policykb-kb-cache 2\n"
_KEY_BYTES = 64  # hex sha256


def cache_dir() -> Path:
    """Where cache files go: ``$POLICYKB_CACHE_DIR``, else the user cache directory."""
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("policykb", appauthor=False))


def cache_key(root: Path) -> str:
    """The key of ``root``'s data as it is now: every data file's path, size and mtime_ns."""
    from policykb import __version__

    lines = [
        f"{__version__}\0{sys.version}\0{sys.implementation.cache_tag}\0{_model_fields()}\0",
        f"{root.resolve()}\0",
        *(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n" for name, info in _data_file_stats(root)),
    ]
    return hashlib.sha256("".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def _model_classes() -> list[type]:
    """The dataclasses of :mod:`policykb.model`, whose values the cache stores."""
    from policykb import model

    return [
        cls
        for cls in vars(model).values()
        if isinstance(cls, type)
        and cls.__module__ == model.__name__
        and dataclasses.is_dataclass(cls)
    ]


def _model_fields() -> str:
    """The model's classes and their fields: values are stored by field position."""
    return ";".join(
        f"{cls.__name__}:{','.join(f.name for f in dataclasses.fields(cls))}"
        for cls in sorted(_model_classes(), key=lambda c: c.__name__)
    )


def _data_file_stats(root: Path) -> list[tuple[str, os.stat_result]]:
    """``(relative path, stat)`` of every data file, in ``loader.data_files`` order."""
    found = []
    for suffix in _SUFFIXES:
        with contextlib.suppress(OSError):
            info = (root / f"organisations{suffix}").stat()
            if stat.S_ISREG(info.st_mode):
                found.append((f"organisations{suffix}", info))
    for folder in _FOLDERS:
        try:
            with os.scandir(root / folder) as scan:
                # a name with a suffix, as Path.suffix sees it (".yaml" alone has none); no
                # Path per file on the hot path
                entries = [
                    (e.name, e)
                    for e in scan
                    if e.name.endswith(_SUFFIXES) and e.name not in _SUFFIXES and e.is_file()
                ]
        except OSError:  # no such folder
            continue
        entries.sort()
        found += [(f"{folder}/{name}", entry.stat()) for name, entry in entries]
    return found


def cache_file(root: Path) -> Path:
    """The cache file of the data directory ``root`` (one file per directory)."""
    name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"kb-{name[:24]}.pickle"


def load_cached(root: Path, use_cache: bool = True) -> KnowledgeBase:
    """The knowledge base in ``root``: from the cache when its key matches, else loaded.

    Through the cache it comes with its query index (see :class:`CachedKnowledgeBase`).
    """
    if not use_cache or _inside(cache_dir(), root):
        return _load(root)
    key = cache_key(root)
    target = cache_file(root)
    found = _read(target, key)
    if found is not None:
        return found
    kb = _load(root)  # raises InvalidDataError: invalid data is never cached
    from policykb.query import Index

    index = Index.build(kb)
    if cache_key(root) == key:  # the data did not change while it was read
        _write(target, key, kb, index, root)
    return CachedKnowledgeBase.holding(kb, index)


def _load(root: Path) -> KnowledgeBase:
    """Load from the data files; imported here because the loader imports yaml and the checks."""
    from policykb.datafiles.loader import load

    return load(root)


# ---------------------------------------------------------------------------------------------
# The knowledge base a hit returns

#: The slot the model's dataclass keeps ``reports`` in (the subclass below puts a property
#: in front of it)
_REPORTS_SLOT: Any = KnowledgeBase.__dict__["reports"]


class CachedKnowledgeBase(KnowledgeBase):
    """A :class:`KnowledgeBase` from the load cache: reports read on first use, and an index.

    It is equal to (and hashes like) the plain knowledge base of the same data, and pickles
    and copies as one. ``reports`` is read from the cache file the first time it is asked for
    (about 0.5 s for 5,000 reports), so a query that the index answers never reads it.
    ``query_index`` is the :class:`policykb.query.Index` that :mod:`policykb.query` uses
    rather than build its own (``None`` when it should build one); on a hit it is made from
    the stored postings when first asked for, so a command that queries nothing (``export``)
    never imports :mod:`policykb.query`.
    """

    __slots__ = ("_file", "_index", "_postings")

    _file: _CacheFile | None
    _index: Any  # a policykb.query.Index (not imported here: the hit path stays lean)
    _postings: tuple[Any, Any] | None  # by country, by concept: the index not yet made

    def __init__(
        self,
        frameworks: tuple[Framework, ...] = (),
        reports: tuple[Report, ...] = (),
        organisations: tuple[Organisation, ...] = (),
        crosswalks: tuple[Crosswalk, ...] = (),
    ) -> None:
        """A knowledge base with every field given (``dataclasses.replace`` comes here)."""
        object.__setattr__(self, "_file", None)
        object.__setattr__(self, "_index", None)
        object.__setattr__(self, "_postings", None)
        super().__init__(frameworks, reports, organisations, crosswalks)

    @classmethod
    def holding(cls, kb: KnowledgeBase, index: Any) -> CachedKnowledgeBase:
        """``kb`` with its index."""
        found = cls(kb.frameworks, kb.reports, kb.organisations, kb.crosswalks)
        object.__setattr__(found, "_index", index)
        return found

    @classmethod
    def reading(
        cls,
        frameworks: tuple[Framework, ...],
        organisations: tuple[Organisation, ...],
        crosswalks: tuple[Crosswalk, ...],
        file: _CacheFile,
        postings: tuple[Any, Any],
    ) -> CachedKnowledgeBase:
        """A knowledge base whose reports ``file`` will give on first use.

        ``postings`` (by country, by concept) make its index when it is first asked for.
        """
        found = cls.__new__(cls)
        for name, value in (
            ("frameworks", frameworks),
            ("organisations", organisations),
            ("crosswalks", crosswalks),
            ("_file", file),
            ("_index", None),
            ("_postings", postings),
        ):
            object.__setattr__(found, name, value)
        return found

    @property
    def query_index(self) -> Any:
        """The :class:`policykb.query.Index` of this knowledge base (``None``: build one)."""
        if self._index is None and self._postings is not None and self._file is not None:
            from policykb.query import Index

            by_country, by_concept = self._postings
            index = Index(
                self.frameworks, self.crosswalks, by_country, by_concept, _FileRows(self._file)
            )
            object.__setattr__(self, "_index", index)
            object.__setattr__(self, "_postings", None)
        return self._index

    @property
    def reports(self) -> tuple[Report, ...]:
        """The reports: read from the cache file on first use."""
        found = self._loaded()
        if found is None:
            assert self._file is not None
            found = self._file.reports_between(0, None)
            _REPORTS_SLOT.__set__(self, found)
        return found

    @reports.setter
    def reports(self, value: tuple[Report, ...]) -> None:
        # only the dataclass __init__ comes here: KnowledgeBase.__setattr__ refuses fields
        _REPORTS_SLOT.__set__(self, value)

    def _loaded(self) -> tuple[Report, ...] | None:
        try:
            found: tuple[Report, ...] = _REPORTS_SLOT.__get__(self, KnowledgeBase)
        except AttributeError:
            return None
        return found

    def recommendation_counts(self) -> tuple[int, ...]:
        """How many recommendations each report makes, from the cache file's report section."""
        if self._loaded() is not None or self._file is None:
            return super().recommendation_counts()
        return self._file.recommendation_counts()

    def reports_between(self, start: int, stop: int) -> tuple[Report, ...]:
        """``reports[start:stop]``, reading only their rows when the reports are not read yet.

        The reports are new objects each call (not those ``reports`` keeps): a forked export
        reads its half of them this way (see :func:`policykb.linked.rdf.write_turtle`).
        """
        if self._loaded() is not None or self._file is None:
            return super().reports_between(start, stop)
        return self._file.reports_between(start, stop)

    def _fields(self) -> tuple[Any, ...]:
        return (self.frameworks, self.reports, self.organisations, self.crosswalks)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KnowledgeBase):
            return NotImplemented
        return self._fields() == (
            other.frameworks,
            other.reports,
            other.organisations,
            other.crosswalks,
        )

    __hash__ = KnowledgeBase.__hash__

    def __repr__(self) -> str:
        frameworks, reports, organisations, crosswalks = self._fields()
        return (
            f"KnowledgeBase(frameworks={frameworks!r}, reports={reports!r}, "
            f"organisations={organisations!r}, crosswalks={crosswalks!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return KnowledgeBase, self._fields()


# ---------------------------------------------------------------------------------------------
# The cache file
#
#   MAGIC, the key (64 hex digits), a newline
#   the table: the byte lengths of the four sections, then their CRC-32s (_TABLE)
#   lean     pickle: (data directory, frameworks, organisations, crosswalks, postings by
#            country, postings by concept, each row's offset, each row's CRC-32)
#   report table  marshal: each report's names and the spans of its rows (policykb.query)
#   rows     one marshalled tuple per recommendation: the report id, then the
#            recommendation's fields in order, its source as a tuple of the source's fields
#   reports  pickle: (the reports without their recommendations, how many each has)
#
# A hit reads the header, the table and the lean section; a query reads the rows it returns
# (or the whole section when it wants more than an eighth of them); ``kb.reports`` reads the
# rows and reports sections and puts the recommendations back into their reports. Bytes are
# checked against their CRC-32 before they are decoded. A header, table or lean section that
# does not check out makes the file a miss (rebuilt). A later section that does not (the file
# was damaged in place after the hit) makes the knowledge base load from the data files and
# rewrite the cache, when the data's key is still the one the file was read for.

_TABLE = struct.Struct("<4Q4I")
_LEAN, _REPORT_TABLE, _ROWS, _REPORTS = range(4)
_OFFSET, _CRC, _COUNT = "Q", "I", "I"  # array typecodes; postings are _COUNT arrays too
#: marshal format 2 has no back-references, whose use depends on reference counts: the same
#: data gives the same bytes in any process
_MARSHAL = 2


_PREAD = getattr(os, "pread", None)


class _CorruptError(Exception):
    """A section of a cache file does not hold what its table says."""


class _CacheFile:
    """An open cache file whose sections after the lean one are read on demand."""

    def __init__(self, handle: Any, key: str, start: int, table: tuple[int, ...]) -> None:
        self._handle = handle  # kept open: if the file is replaced, this one stays readable
        # closed when this object goes, or at exit (a __del__ could run at shutdown after the
        # module's globals are gone, and print "Exception ignored" to the user)
        weakref.finalize(self, handle.close)
        self._lock = threading.Lock()
        self.key = key
        self.lengths, self.crcs = table[:4], table[4:]
        self.starts = [start]
        for length in self.lengths[:-1]:
            self.starts.append(self.starts[-1] + length)
        self.root = Path()
        self.offsets: Sequence[int] = ()  # each row's offset in the rows section, and the end
        self.row_crcs: Sequence[int] = ()
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
        if zlib.crc32(data) != self.crcs[which]:
            raise _CorruptError(f"section {which}")
        return data

    def rows(
        self, which: Sequence[int], blob: bytes | memoryview | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """The rows at the positions ``which``; ``blob`` is the whole section, if read.

        Rows read on their own are checked against their own CRC-32 (the whole section's has
        been, when it is given). Consecutive rows are read together, and sliced without a copy.
        """
        offsets, crcs = self.offsets, self.row_crcs
        base = self.starts[_ROWS]
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
                if zlib.crc32(data) != crcs[i]:
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
        shells, counts = pickle.loads(self.section(_REPORTS))
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
        blob = memoryview(self.section(_ROWS)) if whole else None  # one CRC-32 for all of it
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
            kb = _load(self.root)
            if cache_key(self.root) != self.key:
                raise DataDirError(
                    "the data changed while policykb was reading it", "run the command again"
                )
            from policykb.query import Index

            _write(cache_file(self.root), self.key, kb, Index.build(kb), self.root)
            self._recovered = kb
        return self._recovered


#: A row: the report id, then the fields of :class:`Recommendation` in order
_ROW_FIELDS = tuple(f.name for f in dataclasses.fields(Recommendation) if f.init)
_ROW_LENGTH = 1 + len(_ROW_FIELDS)
_ROW_SOURCE = _ROW_FIELDS.index("source")  # the source's place among the fields
#: Where :class:`policykb.query.Record`'s fields are in a row (the source's is decoded)
_RECORD = tuple(
    1 + _ROW_FIELDS.index(name)
    for name in ("id", "text", "countries", "concepts", "source", "status", "mapping")
)


class _FileRows:
    """:class:`policykb.query.Rows` read from a cache file."""

    __slots__ = ("_blob", "_fallback", "_file")

    def __init__(self, file: _CacheFile) -> None:
        self._file = file
        self._blob: bytes | None = None  # the whole rows section, once a query wants many
        self._fallback: Any = None  # a policykb.query.ModelRows, once the file is found damaged

    def __len__(self) -> int:
        return len(self._file.row_crcs)

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
                table = marshal.loads(self._file.section(_REPORT_TABLE))
                if not isinstance(table, dict):
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
            self._blob = self._file.section(_ROWS)
        rec_id, text, countries, concepts, source, status, mapping = _RECORD
        return [
            (
                row[0],
                row[rec_id],
                row[text],
                row[countries],
                row[concepts],
                Source(*row[source]),
                row[status],
                row[mapping],
            )
            for row in self._file.rows(which, self._blob)
        ]


def _read(target: Path, key: str) -> KnowledgeBase | None:
    """The cached knowledge base when ``target`` holds one for ``key``; ``None`` otherwise."""
    try:
        handle = target.open("rb", buffering=0)
    except OSError:
        return None
    try:
        found = _open(handle, key)
    except Exception:  # unreadable, truncated or corrupt: rebuild
        found = None
    if found is None:
        handle.close()
    return found


def _open(handle: Any, key: str) -> KnowledgeBase | None:
    """The knowledge base of an open cache file, reading only its lean section."""
    head = len(_MAGIC) + _KEY_BYTES + 1
    header = handle.read(head + _TABLE.size)
    if header[:head] != _MAGIC + key.encode() + b"\n" or len(header) != head + _TABLE.size:
        return None
    table = _TABLE.unpack(header[head:])
    if os.fstat(handle.fileno()).st_size != head + _TABLE.size + sum(table[:4]):
        return None
    file = _CacheFile(handle, key, head + _TABLE.size, table)
    with no_gc():
        lean = pickle.loads(file.section(_LEAN))
    root, frameworks, organisations, crosswalks, by_country, by_concept, offsets, crcs = lean
    if not (
        isinstance(frameworks, tuple)
        and isinstance(organisations, tuple)
        and isinstance(crosswalks, tuple)
        and len(offsets) == len(crcs) + 1
        and offsets[-1] == file.lengths[_ROWS]
    ):
        return None
    file.root, file.offsets, file.row_crcs = Path(root), offsets, crcs
    postings = (by_country, by_concept)
    return CachedKnowledgeBase.reading(frameworks, organisations, crosswalks, file, postings)


def _write(target: Path, key: str, kb: KnowledgeBase, index: Any, root: Path) -> None:
    """Write atomically (temporary file, then rename); a cache that cannot be written is skipped.

    ``index`` is ``kb``'s :class:`policykb.query.Index`, whose postings are stored.
    """
    import tempfile  # only on a miss: the hit path stays lean

    temporary: Path | None = None
    try:
        with no_gc():  # many new acyclic objects: see policykb.gcpause
            sections = _sections(kb, index, root)
        header = _MAGIC + key.encode() + b"\n"
        header += _TABLE.pack(*(len(s) for s in sections), *(zlib.crc32(s) for s in sections))
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "wb", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(header)
            handle.writelines(sections)
        temporary.replace(target)  # os.replace: atomic within the cache directory
    except Exception:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()


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
            kb.frameworks,
            kb.organisations,
            kb.crosswalks,
            {k: array(_COUNT, v) for k, v in index.by_country.items()},
            {k: array(_COUNT, v) for k, v in index.by_concept.items()},
            offsets,
            array(_CRC, [zlib.crc32(row) for row in rows]),
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
    for cls in _model_classes():
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


def _inside(directory: Path, root: Path) -> bool:
    """Whether ``directory`` is ``root`` or below it (the cache never goes under the data)."""
    try:
        return directory.resolve().is_relative_to(root.resolve())
    except OSError:
        return True
