"""The knowledge base a cache hit returns, read from its cache file as far as it is used."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from policykb.cache import auth
from policykb.cache.fileformat import (
    EAGER,
    FIELDS,
    HEADER_BYTES,
    KEY_BYTES,
    LEAN,
    MAGIC,
    ROW_DIGEST,
    ROWS,
    TABLE,
    CacheFile,
    FileRows,
)
from policykb.gcpause import no_gc
from policykb.model import Dataset, KnowledgeBase, Report

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

    _file: CacheFile | None
    _index: Any  # a policykb.query.Index (not imported here: the hit path stays lean)
    _postings: tuple[Any, Any] | None  # by country, by concept: the index not yet made

    def __init__(self, *fields: Any, **named: Any) -> None:
        """A knowledge base with every field given (``dataclasses.replace`` comes here)."""
        object.__setattr__(self, "_file", None)
        object.__setattr__(self, "_index", None)
        object.__setattr__(self, "_postings", None)
        super().__init__(*fields, **named)

    @classmethod
    def holding(cls, kb: KnowledgeBase, index: Any) -> CachedKnowledgeBase:
        """``kb`` with its index."""
        found = cls(*(getattr(kb, name) for name in FIELDS))
        object.__setattr__(found, "_index", index)
        return found

    @classmethod
    def reading(
        cls, eager: tuple[Any, ...], file: CacheFile, postings: tuple[Any, Any]
    ) -> CachedKnowledgeBase:
        """A knowledge base whose reports ``file`` will give on first use.

        ``eager`` holds the other collections (:data:`EAGER` order); ``postings`` (by country,
        by concept) make its index when it is first asked for.
        """
        found = cls.__new__(cls)
        for name, value in (
            *zip(EAGER, eager, strict=True),
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
                self.frameworks, self.crosswalks, by_country, by_concept, FileRows(self._file)
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
        return tuple(getattr(self, name) for name in FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KnowledgeBase):
            return NotImplemented
        return self._fields() == tuple(getattr(other, name) for name in FIELDS)

    __hash__ = KnowledgeBase.__hash__

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(FIELDS, self._fields(), strict=True))
        return f"KnowledgeBase({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        return KnowledgeBase, self._fields()


def read(target: Path, key: str) -> KnowledgeBase | None:
    """The cached knowledge base when ``target`` holds one for ``key``; ``None`` otherwise.

    Only this user's own private file, MAC'd with their secret, is read (:mod:`.auth`).
    """
    secret = auth.secret(target.parent)
    if secret is None:  # nothing can be authentic without one
        return None
    handle = auth.open_private(target)
    if handle is None:
        return None
    try:
        found = _open(handle, key, secret)
    except Exception:  # unreadable, truncated or corrupt: rebuild
        found = None
    if found is None:
        handle.close()
    return found


def _open(handle: Any, key: str, secret: bytes) -> KnowledgeBase | None:
    """The knowledge base of an open cache file, reading only its lean section.

    The MAC is checked first, then the key; the lean section is unpickled only once its
    SHA-256 is the one the MAC'd table holds.
    """
    header = handle.read(HEADER_BYTES + auth.MAC_BYTES)
    if len(header) != HEADER_BYTES + auth.MAC_BYTES or not auth.verify(
        secret, header[:HEADER_BYTES], header[HEADER_BYTES:]
    ):
        return None
    head = len(MAGIC) + KEY_BYTES + 1
    if header[:head] != MAGIC + key.encode() + b"\n":
        return None
    table = TABLE.unpack(header[head:HEADER_BYTES])
    if os.fstat(handle.fileno()).st_size != len(header) + sum(table[:4]):
        return None
    file = CacheFile(handle, key, len(header), table)
    with no_gc():
        lean = pickle.loads(file.section(LEAN))
    root, eager, by_country, by_concept, offsets, digests = lean
    if not (
        isinstance(eager, tuple)
        and len(eager) == len(EAGER)
        and all(
            isinstance(items, Dataset if name == "dataset" else tuple)
            for name, items in zip(EAGER, eager, strict=True)
        )
        and isinstance(digests, bytes)
        and len(offsets) * ROW_DIGEST == len(digests) + ROW_DIGEST
        and offsets[-1] == file.lengths[ROWS]
    ):
        return None
    file.root, file.offsets, file.row_digests = Path(root), offsets, digests
    postings = (by_country, by_concept)
    return CachedKnowledgeBase.reading(eager, file, postings)
