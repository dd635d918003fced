"""Issue #16.2: a file written atomically never replaces what is not a regular file.

``export -o /dev/full`` as root once renamed a regular file over the device. Every command that
writes a named file atomically (``export -o``, ``ontology -o``, the query commands' ``--output``,
all through :func:`policykb.linked.export.atomic_file`) now refuses, with exit 2, an existing
target that is a device, a FIFO, a socket or a directory, and a symlink that leads into ``/dev``,
``/proc`` or ``/sys``; a symlink to a regular file is written through, the link kept.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from policykb.errors import UsageError
from policykb.linked import export

FIXTURE = Path(__file__).parent / "data" / "rdf" / "kb"
DEV_NULL = Path("/dev/null")

#: Each command that writes a named file, as the arguments before the file's path.
COMMANDS = {
    "export": ["export", "-F", "turtle", "-o"],
    "ontology": ["ontology", "-o"],
    "recs": ["recs", "--format", "json", "--output"],
}


def run_policykb(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m policykb --data FIXTURE --no-cache ARGS`` in a real process (never hangs)."""
    return subprocess.run(
        [sys.executable, "-m", "policykb", "--data", str(FIXTURE), "--no-cache", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


@pytest.fixture
def dev_null_guard() -> Iterator[None]:
    """Check /dev/null is the null device after the test, and put it back (as root) if not."""
    yield
    info = DEV_NULL.lstat()
    if not stat.S_ISCHR(info.st_mode):  # pragma: no cover - only when the guarantee broke
        if os.geteuid() == 0:
            DEV_NULL.unlink()
            os.mknod(DEV_NULL, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            DEV_NULL.chmod(0o666)
        pytest.fail("/dev/null was replaced by a regular file")


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.out"
    os.mkfifo(path)
    return path


def _link_to_dev_null(tmp_path: Path) -> Path:
    path = tmp_path / "null.out"
    path.symlink_to(DEV_NULL)
    return path


def _link_to_fifo(tmp_path: Path) -> Path:
    path = tmp_path / "link-to-pipe.out"
    path.symlink_to(_fifo(tmp_path))
    return path


def _link_into_dev(tmp_path: Path) -> Path:
    path = tmp_path / "new-in-dev.out"
    path.symlink_to("/dev/policykb-test-must-not-exist")
    return path


def _directory(tmp_path: Path) -> Path:
    path = tmp_path / "a-directory"
    path.mkdir()
    (path / "kept").write_text("kept")
    return path


def _char_device(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        pytest.skip("making a character device needs root")
    path = tmp_path / "null-device.out"
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return path


TARGETS: dict[str, Callable[[Path], Path]] = {
    "fifo": _fifo,
    "symlink-to-dev-null": _link_to_dev_null,
    "symlink-to-fifo": _link_to_fifo,
    "symlink-into-dev": _link_into_dev,
    "directory": _directory,
    "char-device": _char_device,
}


def _state(path: Path) -> tuple[int, str | None]:
    """What a test compares before and after: the file type and where a link points."""
    info = path.lstat()
    return stat.S_IFMT(info.st_mode), str(path.readlink()) if path.is_symlink() else None


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("target", list(TARGETS))
def test_issue16_a_target_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, command: str, target: str
) -> None:
    """Issue #16.2: a FIFO, a device, a directory or a link to one is exit 2 and left as it was."""
    path = TARGETS[target](tmp_path)
    before = _state(path)
    done = run_policykb(*COMMANDS[command], str(path))
    assert done.returncode == 2, done.stderr
    said = " ".join(done.stderr.replace("│", " ").split())  # typer's usage box wraps lines
    assert any(why in said for why in ("not a regular file", "symlink", "is a directory")), said
    assert "wrote" not in done.stderr
    assert _state(path) == before
    assert sorted(p.name for p in tmp_path.rglob(".*.tmp")) == []
    assert not Path("/dev/policykb-test-must-not-exist").exists()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_issue16_dev_null_stays_a_character_device(
    dev_null_guard: None, tmp_path: Path, command: str
) -> None:
    """Issue #16.2: ``-o /dev/null`` is refused with exit 2; /dev/null stays the null device."""
    done = run_policykb(*COMMANDS[command], str(DEV_NULL), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "'/dev/null' is a character device, not a regular file" in done.stderr
    assert stat.S_ISCHR(DEV_NULL.lstat().st_mode)
    assert [p.name for p in Path("/dev").glob(".null.*.tmp")] == []


@pytest.mark.parametrize("command", list(COMMANDS))
def test_issue16_a_symlink_to_a_regular_file_is_written_through(
    tmp_path: Path, command: str
) -> None:
    """Issue #16.2: a link to a regular file stays a link; the file it names gets the output."""
    real = tmp_path / "real.out"
    real.write_bytes(b"old")
    link = tmp_path / "link.out"
    link.symlink_to(real.name)
    done = run_policykb(*COMMANDS[command], str(link))
    assert done.returncode == 0, done.stderr
    assert str(link.readlink()) == real.name
    assert real.read_bytes() not in (b"", b"old")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.out", "real.out"]


@pytest.mark.parametrize("command", ["export", "ontology"])
def test_issue16_dash_is_stdout(tmp_path: Path, command: str) -> None:
    """Issue #16.2: ``-o -`` writes to stdout, not to a file named '-'."""
    done = run_policykb(*COMMANDS[command], "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "@prefix pkb:" in done.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", ["fifo", "symlink-to-dev-null", "directory"])
def test_issue16_atomic_file_refuses_before_writing(tmp_path: Path, target: str) -> None:
    """Issue #16.2: the library's ``atomic_file`` refuses such a target before the block runs."""
    path = TARGETS[target](tmp_path)
    ran = []
    with pytest.raises(UsageError, match=r"not a regular file|symlink"), export.atomic_file(path):
        ran.append(True)
    assert ran == []


def test_issue16_export_all_refuses_a_fifo_among_its_files(tmp_path: Path) -> None:
    """Issue #16.2: ``export --all DIR`` refuses to replace a FIFO standing at one of its names."""
    os.mkfifo(tmp_path / "policykb.nt")
    done = run_policykb("export", "--all", str(tmp_path))
    assert done.returncode == 2, done.stderr
    assert stat.S_ISFIFO((tmp_path / "policykb.nt").lstat().st_mode)
