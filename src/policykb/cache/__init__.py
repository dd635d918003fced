"""A load cache: the knowledge base of a data directory, and its query index, in one file.

A cache file belongs to one data directory and holds a header line naming the key it was
built for, then the knowledge base and the postings of :class:`policykb.query.Index` in
sections that a hit reads only as far as it needs (layout in :mod:`policykb.cache.fileformat`).
The key is a hash of every data file's path, size, ``mtime_ns``, ``ctime_ns`` and inode, the
data directory, the policykb version, the Python version and the model's field names, so
computing it costs one ``os.stat`` per file and no parsing. Any change to the data (an edited,
added, removed or renamed file, even an edit keeping the size whose mtime was put back) changes
the key and the next load rebuilds.

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
section is checked against its SHA-256 before it is decoded.

Only this user's own files are read: the cache directory is created ``0700``, a file is opened
only when it is this user's, regular and not writable by others, and its header's HMAC-SHA256
(under a per-user random secret kept ``0600`` in the cache directory) is checked before
anything is unpickled (:mod:`policykb.cache.auth`, issue #16.5).

The hit path imports nothing heavy: no jsonschema_rs, networkx, rdflib or
pycountry (a test checks ``sys.modules``).
"""

from __future__ import annotations

from pathlib import Path

from policykb.cache.cached import CachedKnowledgeBase, read
from policykb.cache.fileformat import write
from policykb.cache.key import ENV_VAR, cache_dir, cache_file, cache_key, load_data
from policykb.model import KnowledgeBase

__all__ = [
    "ENV_VAR",
    "CachedKnowledgeBase",
    "cache_dir",
    "cache_file",
    "cache_key",
    "clear",
    "load_cached",
]

#: the names of the files policykb writes in the cache directory: one per data directory
#: (``key.cache_file``) and the temporary files ``fileformat.write`` renames into place
_OWN_FILE = r"kb-[0-9a-f]{24}\.pickle|\.kb-[0-9a-f]{24}\.pickle\..+\.tmp"


def load_cached(root: Path, use_cache: bool = True) -> KnowledgeBase:
    """The knowledge base in ``root``: from the cache when its key matches, else loaded.

    Through the cache it comes with its query index (see :class:`CachedKnowledgeBase`).
    """
    if not use_cache or _inside(cache_dir(), root):
        return load_data(root)
    key = cache_key(root)
    target = cache_file(root)
    found = read(target, key)
    if found is not None:
        return found
    kb = load_data(root)  # raises InvalidDataError: invalid data is never cached
    from policykb.query import Index

    index = Index.build(kb)
    if cache_key(root) == key:  # the data did not change while it was read
        write(target, key, kb, index, root)
    return CachedKnowledgeBase.holding(kb, index)


def _inside(directory: Path, root: Path) -> bool:
    """Whether ``directory`` is ``root`` or below it (the cache never goes under the data)."""
    try:
        return directory.resolve().is_relative_to(root.resolve())
    except OSError:
        return True


def clear() -> list[Path]:
    """Remove policykb's cache files (of every data directory); the files removed.

    Only files named as policykb names them go: the cache directory may be shared
    (``$POLICYKB_CACHE_DIR``), so nothing else in it is touched, nor the directory itself.
    """
    import re

    try:
        entries = sorted(cache_dir().iterdir())
    except OSError:  # no cache directory: nothing was ever cached
        return []
    removed = []
    for path in entries:
        if re.fullmatch(_OWN_FILE, path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
