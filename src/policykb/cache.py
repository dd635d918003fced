"""A load cache: the knowledge base of a data directory, pickled in the user cache directory.

A cache file belongs to one data directory and holds a header line naming the key it was
built for, then the pickled :class:`KnowledgeBase`. The key is a hash of every data file's
path, size and ``mtime_ns``, the data directory, the policykb version and the Python version,
so computing it costs one ``os.stat`` per file and no parsing. Any change to the data (an
edited, added, removed or renamed file) changes the key and the next load rebuilds.

Only a knowledge base that loaded valid is cached: invalid data raises
:class:`~policykb.errors.InvalidDataError` on every run. Files are written to a temporary
file in the cache directory and moved into place with ``os.replace``, so a reader never sees a
half-written file and two writers racing leave one complete file. A cache file that is
corrupt, truncated, of another key or of another program is ignored and rewritten.

The hit path imports nothing heavy: no jsonschema, fastjsonschema, networkx, rdflib or
pycountry (a test checks ``sys.modules``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any

from policykb.model import KnowledgeBase

ENV_VAR = "POLICYKB_CACHE_DIR"
#: Mirrors ``loader.data_files`` (a test checks they agree): importing the loader would import
#: yaml, the schemas and the checks, which a cache hit does not need (about 60 ms).
_FOLDERS = ("frameworks", "reports", "mappings")
_SUFFIXES = (".yaml", ".yml")
_MAGIC = b"policykb-kb-cache 1\n"
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

    digest = hashlib.sha256()
    digest.update(f"{__version__}\0{sys.version}\0{sys.implementation.cache_tag}\0".encode())
    digest.update(str(root.resolve()).encode("utf-8", "surrogateescape") + b"\0")
    for name, info in _data_file_stats(root):
        line = f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n"
        digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


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
            entries = sorted(os.scandir(root / folder), key=lambda e: e.name)
        except OSError:  # no such folder
            continue
        for entry in entries:
            # os.path, not Path: no object per file on the hot path
            if os.path.splitext(entry.name)[1] in _SUFFIXES and entry.is_file():  # noqa: PTH122
                found.append((f"{folder}/{entry.name}", entry.stat()))
    return found


def cache_file(root: Path) -> Path:
    """The cache file of the data directory ``root`` (one file per directory)."""
    name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"kb-{name[:24]}.pickle"


def load_cached(root: Path, use_cache: bool = True) -> KnowledgeBase:
    """The knowledge base in ``root``: from the cache when its key matches, else loaded."""
    if not use_cache or _inside(cache_dir(), root):
        return _load(root)
    key = cache_key(root)
    target = cache_file(root)
    found = _read(target, key)
    if found is not None:
        return found
    kb = _load(root)  # raises InvalidDataError: invalid data is never cached
    if cache_key(root) == key:  # the data did not change while it was read
        _write(target, key, kb)
    return kb


def _load(root: Path) -> KnowledgeBase:
    """Load from the data files; imported here because the loader imports yaml and the checks."""
    from policykb.loader import load

    return load(root)


def _read(target: Path, key: str) -> KnowledgeBase | None:
    """The cached knowledge base when ``target`` holds one for ``key``; ``None`` otherwise."""
    try:
        with target.open("rb") as handle:
            header = handle.read(len(_MAGIC) + _KEY_BYTES + 1)
            if header != _MAGIC + key.encode() + b"\n":
                return None
            # the cyclic GC would rescan the growing heap many times over while the load
            # creates millions of acyclic objects: 1.8 s instead of 0.4 s for 5,000 reports
            enabled = gc.isenabled()
            gc.disable()
            try:
                kb = pickle.load(handle)
            finally:
                if enabled:
                    gc.enable()
    except Exception:  # missing, unreadable, truncated or corrupt: rebuild
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


def _write(target: Path, key: str, kb: KnowledgeBase) -> None:
    """Write atomically (temporary file, then rename); a cache that cannot be written is skipped."""
    import tempfile  # only on a miss: the hit path stays lean

    temporary: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "wb", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(_MAGIC + key.encode() + b"\n")
            _Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(kb)
        temporary.replace(target)  # os.replace: atomic within the cache directory
    except (OSError, pickle.PicklingError, RecursionError):
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()


class _Pickler(pickle.Pickler):
    """Pickles model dataclasses as ``Class(*fields)``.

    The default for frozen slotted dataclasses restores each object through the generated
    ``__setstate__``, which calls ``dataclasses.fields()`` per object: 0.7 s of a 0.84 s load
    for 1,000 reports. Calling the class is several times faster and builds the same value.
    """

    _fields: dict[type, tuple[str, ...]] = {}  # noqa: RUF012 - a cache shared by instances

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if cls.__module__ != "policykb.model" or not dataclasses.is_dataclass(cls):
            return NotImplemented
        names = self._fields.get(cls)
        if names is None:
            names = self._fields[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.init)
        return cls, tuple(getattr(obj, name) for name in names)


def _inside(directory: Path, root: Path) -> bool:
    """Whether ``directory`` is ``root`` or below it (the cache never goes under the data)."""
    try:
        return directory.resolve().is_relative_to(root.resolve())
    except OSError:
        return True
