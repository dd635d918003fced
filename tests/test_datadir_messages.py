"""Issue #16.15 and #16.16: a wrong or empty data directory, an entry that is no data file and
a file name that is not UTF-8 each get a clear message, in real processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import INVALID, VALID
from policykb.cache import key
from policykb.datafiles.datadir import data_files


def policykb(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """``policykb ARGS`` in a real process (bytes out: file names need not be UTF-8)."""
    return subprocess.run(
        [sys.executable, "-m", "policykb", *args],
        capture_output=True,
        cwd=cwd,
        timeout=60,
        env={**os.environ, "POLICYKB_DATA": ""},
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the small valid data tree."""
    root = tmp_path / "data"
    shutil.copytree(VALID, root)
    return root


@pytest.mark.parametrize("command", ["validate", "recs", "stats"])
def test_issue16_an_empty_data_option_is_a_usage_error(tree: Path, command: str) -> None:
    """``--data ''`` is exit 2 with a message; it used to mean the current directory."""
    done = policykb("--data", "", command, cwd=tree)
    assert done.returncode == 2, done.stderr
    assert b"--data is empty" in done.stderr


def test_issue16_validating_a_directory_without_data_files_is_exit_2(tmp_path: Path) -> None:
    """An empty or wrong directory is not '0 files: valid': validate exits 2 and says why."""
    (tmp_path / "empty").mkdir()
    done = policykb("--data", "empty", "validate", cwd=tmp_path)
    assert done.returncode == 2
    assert b"nothing to validate: 'empty' holds no data files" in done.stderr
    assert b"valid" not in done.stderr.replace(b"validate", b"")
    done = policykb("--data", "empty", "validate", "--format", "json", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == b""
    queried = policykb("--data", "empty", "stats", cwd=tmp_path)  # a query: the documented warning
    assert queried.returncode == 0
    assert b"policykb: warning: 'empty' holds no data files" in queried.stderr


def test_issue16_a_data_option_naming_a_file_says_so(tree: Path) -> None:
    """``--data FILE`` says the path is not a directory (not that it does not exist)."""
    done = policykb("--data", str(tree / "organisations.yaml"), "stats")
    assert done.returncode == 2
    assert b"is not a directory" in done.stderr


def test_issue16_a_directory_named_organisations_yaml_is_one_clear_issue(tree: Path) -> None:
    """A directory where organisations.yaml belongs is one not-a-file issue, no knock-on errors."""
    (tree / "organisations.yaml").unlink()
    (tree / "organisations.yaml").mkdir()
    done = policykb("--data", str(tree), "validate", "--format", "json")
    assert done.returncode == 1
    issues = json.loads(done.stdout)["issues"]
    assert [(Path(i["file"]).name, i["code"]) for i in issues] == [
        ("organisations.yaml", "not-a-file")
    ]
    assert "is a directory" in issues[0]["message"]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs")
def test_issue16_dangling_looping_and_special_entries_are_issues(tree: Path) -> None:
    """A dangling symlink, a looping one and a FIFO among the reports are each located, and
    validation does not hang on the FIFO."""
    reports = tree / "reports"
    (reports / "dangling.yaml").symlink_to("nowhere.yaml")
    (reports / "loop.yaml").symlink_to("loop.yaml")
    os.mkfifo(reports / "pipe.yaml")
    done = policykb("--data", str(tree), "validate", "--format", "json")
    assert done.returncode == 1
    found = {Path(i["file"]).name: i["message"] for i in json.loads(done.stdout)["issues"]}
    assert found == {
        "dangling.yaml": "it is a symbolic link to 'nowhere.yaml', which does not exist",
        "loop.yaml": "it is a symbolic link that loops",
        "pipe.yaml": "it is not a regular file (a FIFO, socket or device)",
    }
    queried = policykb("--data", str(tree), "stats")
    assert queried.returncode == 1
    assert b"not-a-file" in queried.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_issue16_the_cache_key_lists_what_the_loader_lists(tree: Path) -> None:
    """The cache key's walk agrees with data_files on entries that are no data files, and
    mending a dangling symlink changes the key (so the mended data is loaded, not a stale one)."""
    (tree / "organisations.yml").mkdir()
    (tree / "reports" / "dangling.yaml").symlink_to("nowhere.yaml")
    (tree / "reports" / "loop.yaml").symlink_to("loop.yaml")
    listed = [name for name, _ in key._data_file_stats(tree)]
    assert listed == [str(p.relative_to(tree)) for p in data_files(tree)]
    assert "reports/dangling.yaml" in listed and "organisations.yml" in listed
    before = key.cache_key(tree)
    shutil.copyfile(INVALID / "reports" / "unknown-country.yaml", tree / "reports" / "nowhere.yaml")
    assert key.cache_key(tree) != before


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are bytes on Linux")
def test_issue16_a_file_name_that_is_not_utf8_gives_valid_utf8_json(tree: Path) -> None:
    """A report named with byte 0xFF: validate's JSON is valid UTF-8 and names the file with
    an escape that gives back its bytes; the text output holds no raw 0xFF either."""
    name = b"bad\xff.yaml"
    source = (INVALID / "reports" / "unknown-country.yaml").read_bytes()
    Path(os.fsdecode(bytes(tree / "reports") + b"/" + name)).write_bytes(source)
    done = policykb("--data", str(tree), "validate", "--format", "json")
    assert done.returncode == 1
    assert b"\xff" not in done.stdout
    issues = json.loads(done.stdout.decode("utf-8"))["issues"]
    named = {os.fsencode(Path(i["file"]).name) for i in issues}
    assert name in named
    text = policykb("--data", str(tree), "validate")
    assert text.returncode == 1
    assert b"\xff" not in text.stdout + text.stderr
    assert b"bad\\udcff.yaml" in text.stdout
