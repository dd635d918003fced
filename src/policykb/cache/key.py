"""What a cache file belongs to: where it goes, the key of its data as it is now, and that data."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import sys
from pathlib import Path

from policykb.datafiles.datadir import DATA_FOLDERS as _FOLDERS
from policykb.datafiles.datadir import SUFFIXES as _SUFFIXES
from policykb.datafiles.datadir import TOP_FILES as _TOP_FILES
from policykb.model import KnowledgeBase

ENV_VAR = "POLICYKB_CACHE_DIR"
# The walk mirrors ``datadir.data_files`` (a test checks they agree) with ``os.scandir``, whose
# entries carry the stat the key needs: no Path object or second stat per file on every hit.


def cache_dir() -> Path:
    """Where cache files go: ``$POLICYKB_CACHE_DIR``, else the user cache directory."""
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("policykb", appauthor=False))


def cache_key(root: Path) -> str:
    """The key of ``root``'s data as it is now: each data file's path, size, mtime, ctime, inode.

    Size and mtime alone miss an edit that keeps the size and puts the mtime back (``touch -r``,
    ``rsync -t``, an editor that restores it); the ctime (which no user call can set: every
    write, ``utime`` and rename updates it) and the inode (a file replaced by a rename is a new
    one) catch it, for the same one ``stat`` per file.
    """
    from policykb import __version__

    lines = [
        f"{__version__}\0{sys.version}\0{sys.implementation.cache_tag}\0{_model_fields()}\0",
        f"{root.resolve()}\0",
        *(
            f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\n"
            for name, info in _data_file_stats(root)
        ),
    ]
    return hashlib.sha256("".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def model_classes() -> list[type]:
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
        for cls in sorted(model_classes(), key=lambda c: c.__name__)
    )


def _data_file_stats(root: Path) -> list[tuple[str, os.stat_result]]:
    """``(relative path, stat)`` of every data file, in ``loader.data_files`` order.

    Like ``data_files``, every entry with a data file's name counts (a directory, a dangling
    symlink: the loader reports them); one that cannot be followed gives its own ``lstat``.
    """
    found = []
    for stem in _TOP_FILES:
        for suffix in _SUFFIXES:
            with contextlib.suppress(OSError):
                found.append((f"{stem}{suffix}", _stat(root / f"{stem}{suffix}")))
    for folder in _FOLDERS:
        try:
            with os.scandir(root / folder) as scan:
                # a name with a suffix, as Path.suffix sees it (".yaml" alone has none); no
                # Path per file on the hot path
                entries = [
                    (e.name, e)
                    for e in scan
                    if e.name.endswith(_SUFFIXES) and e.name not in _SUFFIXES
                ]
        except OSError:  # no such folder
            continue
        entries.sort()
        found += [(f"{folder}/{name}", _stat(entry)) for name, entry in entries]
    return found


def _stat(entry: os.DirEntry[str] | Path) -> os.stat_result:
    """The stat of what ``entry`` names, or of the symlink itself when it leads nowhere."""
    try:
        return entry.stat()
    except OSError:
        return entry.stat(follow_symlinks=False)


def cache_file(root: Path) -> Path:
    """The cache file of the data directory ``root`` (one file per directory)."""
    name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"kb-{name[:24]}.pickle"


def load_data(root: Path) -> KnowledgeBase:
    """Load from the data files; imported here because the loader imports yaml and the checks."""
    from policykb.datafiles.loader import load

    return load(root)
