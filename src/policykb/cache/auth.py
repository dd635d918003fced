"""Only this user's own cache files are believed: a private directory, a secret, a MAC.

A cache file holds pickles, and unpickling runs whatever code the bytes name, so a file another
user could have written must never be decoded (issue #16.5: a planted file ran code as root).
Three guards, each enough on its own against a file planted by someone else:

- the cache directory is created ``0700`` (a directory named by ``$POLICYKB_CACHE_DIR`` that
  already exists is left as it is: it may be shared on purpose);
- a cache file is opened only when it is a regular file (not a symlink) owned by this user and
  not writable by group or others;
- its header carries an HMAC-SHA256 made with a per-user random secret (32 bytes, the file
  ``secret`` in the cache directory, ``0600``, refused unless it is this user's and private).
  The MAC covers the header and the section table, which holds each section's SHA-256; the
  lean section, checked first, holds a SHA-256 prefix of every row. So every byte that is
  decoded is bound to the MAC by a cryptographic hash, and the MAC is checked before anything
  is decoded. (CRC-32s in a MAC'd table would not do: anyone can make other bytes with the
  same CRC-32.)

Without a usable secret nothing is read from or written to the cache: the data files answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
from pathlib import Path
from typing import BinaryIO

SECRET_NAME = "secret"
SECRET_BYTES = 32
MAC_BYTES = 32  # HMAC-SHA256
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows


def _private(info: os.stat_result) -> bool:
    """A regular file of this user that no one else may write (on POSIX)."""
    if not stat.S_ISREG(info.st_mode):
        return False
    if not hasattr(os, "geteuid"):  # pragma: no cover - Windows: no POSIX owner or mode bits
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & 0o022


def open_private(path: Path) -> BinaryIO | None:
    """``path`` opened for reading when it is this user's own regular file (see above), else None.

    The checks are made on the open file (``fstat``), so a file swapped in after them is not
    the one read; a symlink is not followed.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | _BINARY)
    except OSError:
        return None
    try:
        if not _private(os.fstat(fd)):
            os.close(fd)
            return None
        return os.fdopen(fd, "rb", buffering=0)
    except OSError:
        os.close(fd)
        return None


def make_directory(directory: Path) -> None:
    """Create the cache directory (and its parents) when missing; the directory itself ``0700``."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)


def secret(directory: Path, create: bool = False) -> bytes | None:
    """This user's secret in ``directory``; made when missing and ``create`` is true.

    ``None`` when there is none, or when the file is not this user's private regular file of
    exactly :data:`SECRET_BYTES` bytes (someone else's secret would let them forge files).
    """
    path = directory / SECRET_NAME
    found = _read_secret(path)
    if found is not None or not create:
        return found
    # a complete file appears under its name at once (link fails if another process won)
    temporary = directory / f".{SECRET_NAME}.{os.getpid()}.tmp"
    try:
        make_directory(directory)
        fd = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY, 0o600
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(SECRET_BYTES))
        try:
            os.link(temporary, path)
        except FileExistsError:  # another process made one first: use that
            pass
        except OSError:  # a file system without hard links
            temporary.replace(path)
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    return _read_secret(path)


def _read_secret(path: Path) -> bytes | None:
    handle = open_private(path)
    if handle is None:
        return None
    with handle, contextlib.suppress(OSError):
        if hasattr(os, "geteuid") and os.fstat(handle.fileno()).st_mode & 0o077:
            return None  # readable by others: anyone could forge with it
        data = handle.read(SECRET_BYTES + 1)
        if len(data) == SECRET_BYTES:
            return data
    return None


def mac(key: bytes, message: bytes) -> bytes:
    """HMAC-SHA256 of ``message`` under ``key``."""
    return hmac.digest(key, message, "sha256")


def verify(key: bytes, message: bytes, tag: bytes) -> bool:
    """Whether ``tag`` is the MAC of ``message`` (compared in constant time)."""
    return hmac.compare_digest(mac(key, message), tag)


def digest(data: bytes | memoryview) -> bytes:
    """The SHA-256 of a section."""
    return hashlib.sha256(data).digest()
