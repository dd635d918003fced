"""Issue #16.5: only this user's own, authenticated cache files are ever unpickled."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from policykb import cache
from policykb.cache import auth
from policykb.datafiles.loader import load

VALID = Path(__file__).parent / "data" / "valid"
NOBODY = 65534
as_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown to another user needs root"
)

#: Run as the "attacker": write a real cache file for DATA into the attacker's own cache
#: directory, whose lean section is a pickle that creates MARKER when it is loaded. The file
#: is whatever this version of policykb writes (its header, table, checksums, MAC), only with
#: the attacker's secret, not the victim's.
_PLANT = """
import sys
from pathlib import Path
from policykb import cache
from policykb.cache import fileformat

data, marker = Path(sys.argv[1]), sys.argv[2]

class Payload:
    def __reduce__(self):
        return (open, (marker, "w"))

real = fileformat._sections
def evil(kb, index, root):
    return (fileformat._dumps(Payload()), *real(kb, index, root)[1:])
fileformat._sections = evil
cache.load_cached(data)
print(cache.cache_file(data))
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the small valid data tree."""
    root = tmp_path / "data"
    shutil.copytree(VALID, root)
    return root


def run(*args: str, cache_dir: Path) -> subprocess.CompletedProcess[str]:
    """``args`` in a fresh interpreter whose load cache is ``cache_dir``."""
    env = {**os.environ, cache.ENV_VAR: str(cache_dir)}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=120
    )


def plant(tree: Path, attacker: Path, victim: Path, marker: Path) -> Path:
    """A cache file with a code-running pickle, made by the attacker, put where the victim looks."""
    made = run("-c", _PLANT, str(tree), str(marker), cache_dir=attacker)
    assert made.returncode == 0, made.stderr
    assert not marker.exists()  # writing it ran nothing
    victim.mkdir(mode=0o700, exist_ok=True)
    target = victim / Path(made.stdout.strip()).name
    shutil.copyfile(made.stdout.strip(), target)
    return target


@pytest.mark.parametrize(
    "owner", ["this user", pytest.param("another user", marks=as_root)], ids=str
)
def test_issue16_a_planted_cache_file_is_never_unpickled(
    tree: Path, tmp_path: Path, owner: str
) -> None:
    """A well-formed cache file written with someone else's secret runs no code when loaded.

    Before the fix the CRC-checked lean section was unpickled and the marker appeared (as root,
    from a file another user planted). Now the MAC fails, the file is a miss and is rewritten.
    """
    victim, marker = tmp_path / "victim-cache", tmp_path / "marker"
    # the victim's own cache first: their secret exists, so only the MAC can refuse the file
    assert run("-m", "policykb", "--data", str(tree), "stats", cache_dir=victim).returncode == 0
    target = plant(tree, tmp_path / "attacker-cache", victim, marker)
    if owner == "another user":
        os.chown(target, NOBODY, NOBODY)
    done = run("-m", "policykb", "--data", str(tree), "recs", "--format", "csv", cache_dir=victim)
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    assert done.stdout.count("\n") == 1 + sum(1 for _ in load(tree).recommendations())
    assert target.stat().st_uid == os.geteuid()  # replaced by the victim's own file


def test_issue16_the_cache_directory_secret_and_files_are_private(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache directory is made 0700, the secret and the cache files 0600."""
    where = tmp_path / "made" / "cache"
    monkeypatch.setenv(cache.ENV_VAR, str(where))
    cache.load_cached(tree)
    assert stat.S_IMODE(where.stat().st_mode) == 0o700
    assert stat.S_IMODE((where / auth.SECRET_NAME).stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.cache_file(tree).stat().st_mode) == 0o600
    assert len((where / auth.SECRET_NAME).read_bytes()) == auth.SECRET_BYTES
    assert isinstance(cache.load_cached(tree), cache.CachedKnowledgeBase)  # a hit


def _authentic(tree: Path, where: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV_VAR, str(where))
    cache.load_cached(tree)
    target = cache.cache_file(tree)
    assert cache.cached.read(target, cache.cache_key(tree)) is not None
    return target


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666], ids=oct)
def test_issue16_a_cache_file_others_may_write_is_not_read(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    """An authentic cache file that group or others could have written is a miss."""
    target = _authentic(tree, tmp_path / "cache", monkeypatch)
    target.chmod(mode)
    assert cache.cached.read(target, cache.cache_key(tree)) is None
    assert cache.load_cached(tree) == load(tree)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # rewritten


@as_root
def test_issue16_a_cache_file_of_another_user_is_not_read(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An authentic cache file now owned by another user is a miss (and is replaced)."""
    target = _authentic(tree, tmp_path / "cache", monkeypatch)
    os.chown(target, NOBODY, NOBODY)
    assert cache.cached.read(target, cache.cache_key(tree)) is None
    assert cache.load_cached(tree) == load(tree)
    assert target.stat().st_uid == os.geteuid()


def test_issue16_a_symlinked_cache_file_is_not_followed(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A symlink where the cache file goes is not read through."""
    target = _authentic(tree, tmp_path / "cache", monkeypatch)
    elsewhere = tmp_path / "elsewhere.pickle"
    target.rename(elsewhere)
    target.symlink_to(elsewhere)
    assert cache.cached.read(target, cache.cache_key(tree)) is None


@pytest.mark.parametrize(
    "problem", ["readable", "short", "symlink", pytest.param("owner", marks=as_root)]
)
def test_issue16_a_secret_that_is_not_private_disables_the_cache(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    """A secret others could read or have written is not used: nothing is read or written."""
    target = _authentic(tree, tmp_path / "cache", monkeypatch)
    secret = target.parent / auth.SECRET_NAME
    if problem == "readable":
        secret.chmod(0o644)
    elif problem == "short":
        secret.write_bytes(b"0123456789")
    elif problem == "symlink":
        real = tmp_path / "real-secret"
        secret.rename(real)
        secret.symlink_to(real)
    else:
        os.chown(secret, NOBODY, NOBODY)
    assert cache.cached.read(target, cache.cache_key(tree)) is None
    target.unlink()
    assert cache.load_cached(tree) == load(tree)  # the data files answer
    assert not target.exists()  # and nothing was cached with a secret that cannot be trusted


def test_issue16_a_file_with_a_forged_section_is_not_unpickled(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes swapped into a section of an authentic file (same length) are caught by its hash."""
    target = _authentic(tree, tmp_path / "cache", monkeypatch)
    hit = cache.load_cached(tree)
    assert isinstance(hit, cache.CachedKnowledgeBase) and hit._file is not None
    data = bytearray(target.read_bytes())
    start = hit._file.starts[0] + 10
    data[start : start + 4] = bytes(b ^ 0x55 for b in data[start : start + 4])
    target.write_bytes(bytes(data))
    target.chmod(0o600)
    assert cache.cached.read(target, cache.cache_key(tree)) is None
