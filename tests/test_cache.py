"""The load cache: real files on disk, real subprocesses where processes matter."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policykb import cache
from policykb.cache import cached, fileformat, key
from policykb.datafiles.loader import load
from policykb.errors import InvalidDataError
from policykb.model import KnowledgeBase

REPO = Path(__file__).parent.parent
VALID = Path(__file__).parent / "data" / "valid"

#: Loads through the cache in a fresh interpreter and prints what it got, as JSON.
_PROBE = """
import json, sys
from pathlib import Path
from policykb.cache import load_cached
kb = load_cached(Path(sys.argv[1]))
heavy = [m for m in ("jsonschema_rs", "networkx", "rdflib", "pycountry",
                   "policykb.query")  # the query index is made only when a query asks
         if m in sys.modules]
print(json.dumps({"reports": [r.id for r in kb.reports],
                  "frameworks": [f.id for f in kb.frameworks],
                  "titles": [r.title for r in kb.reports], "heavy": heavy}))
"""


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory that this test's loads (and subprocesses) use."""
    where = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_VAR, str(where))
    return where


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A fresh copy of the shipped data, which a test may change."""
    root = tmp_path / "data"
    shutil.copytree(REPO / "data", root)
    return root


def probe(root: Path) -> dict[str, list[str]]:
    """Load ``root`` through the cache in a new process."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(root)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    result: dict[str, list[str]] = json.loads(done.stdout)
    return result


def files_under(directory: Path) -> set[Path]:
    """Every file below ``directory``."""
    return {p for p in directory.rglob("*") if p.is_file()}


def plain_and_hit(tree: Path) -> tuple[KnowledgeBase, cache.CachedKnowledgeBase]:
    """``tree`` loaded without the cache, and loaded twice through it (the second is a hit)."""
    plain = load(tree)
    cache.load_cached(tree)
    hit = cache.load_cached(tree)
    assert isinstance(hit, cache.CachedKnowledgeBase)
    return plain, hit


def test_hit_returns_the_same_knowledge_base(tree: Path, cache_root: Path) -> None:
    """A second load comes from the one cache file and equals a fresh load."""
    first = cache.load_cached(tree)
    names = sorted(p.name for p in files_under(cache_root))
    assert names == sorted([cache.cache_file(tree).name, "secret"])  # and the user's secret
    assert cache.load_cached(tree) == first == load(tree)


def test_cache_hit_path_imports_nothing_heavy(tree: Path, cache_root: Path) -> None:
    """A warm load in a fresh process imports no jsonschema_rs, networkx, rdflib or pycountry.

    Nor policykb.query: reading the reports (as an export does) needs no query index.
    """
    probe(tree)  # cold: may import anything
    assert cache.cache_file(tree).is_file()
    assert probe(tree)["heavy"] == []


def test_nothing_is_written_under_the_data_directory(tree: Path, cache_root: Path) -> None:
    """Loading (cold, then warm) leaves the data directory exactly as it was."""
    before = {p: p.stat().st_mtime_ns for p in files_under(tree)}
    probe(tree)
    probe(tree)
    assert {p: p.stat().st_mtime_ns for p in files_under(tree)} == before
    assert cache.cache_file(tree).is_file()


def test_a_cache_dir_inside_the_data_is_not_used(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pointing the cache inside the data directory disables caching rather than pollute data/."""
    monkeypatch.setenv(cache.ENV_VAR, str(tree / "cache"))
    cache.load_cached(tree)
    assert not (tree / "cache").exists()


def test_an_edited_file_is_seen(tree: Path, cache_root: Path) -> None:
    """Editing a file (even keeping its size) changes what the next process loads."""
    report = tree / "reports" / "panama-digital-government-review.yaml"
    probe(tree)
    text = report.read_text()
    old_title = next(line for line in text.splitlines() if line.startswith("title: "))
    new_title = "title: " + "X" * (len(old_title) - len("title: "))  # same size on disk
    report.write_text(text.replace(old_title, new_title, 1))
    assert "X" * (len(old_title) - len("title: ")) in probe(tree)["titles"]


def test_issue16_a_same_size_edit_with_its_mtime_restored_is_seen(
    tree: Path, cache_root: Path
) -> None:
    """Issue #16.3: an edit keeping the size, its mtime put back (``touch -r``), is seen.

    The key once held only size and mtime, which a user can set; it now holds ctime and the
    inode too, which a user cannot set.
    """
    report = tree / "reports" / "panama-digital-government-review.yaml"
    before = report.stat()
    assert probe(tree)["titles"]
    text = report.read_text()
    old_title = next(line for line in text.splitlines() if line.startswith("title: "))
    new_title = "title: " + "Y" * (len(old_title) - len("title: "))
    report.write_text(text.replace(old_title, new_title, 1))
    os.utime(report, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = report.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert new_title.removeprefix("title: ") in probe(tree)["titles"]


def test_issue16_a_file_replaced_with_the_same_size_and_mtime_changes_the_key(
    tmp_path: Path,
) -> None:
    """Issue #16.3: a file renamed over a data file, with its size and mtime, changes the key."""
    root = tmp_path / "valid"
    shutil.copytree(VALID, root)
    framework = root / "frameworks" / "tiny-framework.yaml"
    before = framework.stat()
    key_before = cache.cache_key(root)
    twin = root / "twin.tmp"
    twin.write_bytes(framework.read_bytes().replace(b"a", b"b"))
    os.utime(twin, ns=(before.st_atime_ns, before.st_mtime_ns))
    twin.replace(framework)
    assert framework.stat().st_size == before.st_size
    assert framework.stat().st_mtime_ns == before.st_mtime_ns
    assert cache.cache_key(root) != key_before


_SIGNAL_MID_WRITE = """
import os, signal, sys
from pathlib import Path
from policykb.cache import load_cached

real_replace = Path.replace

def replace(self, target):  # SIGTERM arrives when the temporary file is written, not renamed
    if self.name.endswith(".tmp"):
        os.kill(os.getpid(), signal.SIGTERM)
    return real_replace(self, target)

Path.replace = replace
load_cached(Path(sys.argv[1]))
"""


def test_issue16_sigterm_while_the_cache_is_written_leaves_no_temporary_file(
    tree: Path, cache_root: Path
) -> None:
    """Issue #16.4: SIGTERM during a cache write removes its temporary file; exit 143."""
    done = subprocess.run(
        [sys.executable, "-c", _SIGNAL_MID_WRITE, str(tree)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )
    assert done.returncode == 143, done.stderr
    assert sorted(p.name for p in cache_root.glob(".*.tmp")) == []


def test_an_added_file_is_seen(tree: Path, cache_root: Path) -> None:
    """A new report file appears in the next process's knowledge base."""
    probe(tree)
    source = tree / "reports" / "can-these-bones-live.yaml"
    text = source.read_text().replace("id: can-these-bones-live", "id: a-new-report", 1)
    (tree / "reports" / "a-new-report.yaml").write_text(text)
    assert "a-new-report" in probe(tree)["reports"]


def test_a_removed_file_is_seen(tree: Path, cache_root: Path) -> None:
    """A deleted report file disappears from the next process's knowledge base."""
    assert "pride-in-the-name-of-gov-uk" in probe(tree)["reports"]
    (tree / "reports" / "pride-in-the-name-of-gov-uk.yaml").unlink()
    assert "pride-in-the-name-of-gov-uk" not in probe(tree)["reports"]


def test_a_renamed_file_is_seen(tree: Path, cache_root: Path) -> None:
    """Renaming (which keeps size and mtime) away from and back to a data name is seen each time."""
    report = tree / "reports" / "pride-in-the-name-of-gov-uk.yaml"
    hidden = report.with_suffix(".yaml.bak")
    assert "pride-in-the-name-of-gov-uk" in probe(tree)["reports"]
    report.rename(hidden)
    assert "pride-in-the-name-of-gov-uk" not in probe(tree)["reports"]
    hidden.rename(report)
    assert "pride-in-the-name-of-gov-uk" in probe(tree)["reports"]


def test_the_key_covers_file_names(tmp_path: Path) -> None:
    """Renaming one data file to another data name (same size, same mtime) changes the key."""
    root = tmp_path / "valid"
    shutil.copytree(VALID, root)
    before = cache.cache_key(root)
    framework = root / "frameworks" / "tiny-framework.yaml"
    framework.rename(framework.with_suffix(".yml"))
    assert cache.cache_key(root) != before


@pytest.mark.parametrize("damage", ["corrupt", "truncated", "foreign", "empty", "other-key"])
def test_a_damaged_cache_is_rebuilt(tree: Path, cache_root: Path, damage: str) -> None:
    """A corrupt, truncated, foreign or stale cache file is ignored and replaced by a good one."""
    cache.load_cached(tree)
    target = cache.cache_file(tree)
    good = target.read_bytes()
    damaged = {
        "corrupt": good[:200] + b"\x00garbage\xff" * 50 + good[400:],
        "truncated": good[: len(good) // 2],
        "foreign": b"\x80\x04\x95not policykb at all",
        "empty": b"",
        "other-key": good.replace(cache.cache_key(tree).encode(), b"0" * 64, 1),
    }[damage]
    target.write_bytes(damaged)
    assert probe(tree)["reports"] == [r.id for r in load(tree).reports]
    assert target.read_bytes() == good  # rebuilt, and the same as first written


def test_a_foreign_pickle_with_the_right_header_is_ignored(tree: Path, cache_root: Path) -> None:
    """A well-formed pickle of something other than a knowledge base is not returned."""
    import pickle

    cache.load_cached(tree)
    target = cache.cache_file(tree)
    header = target.read_bytes()[: len(fileformat.MAGIC) + 65]
    target.write_bytes(header + pickle.dumps({"not": "a kb"}))
    assert cache.load_cached(tree) == load(tree)


def test_concurrent_writers_leave_a_valid_cache(tree: Path, cache_root: Path) -> None:
    """Several processes loading a cold cache at once all succeed and leave one valid file."""
    command = [sys.executable, "-c", _PROBE, str(tree)]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, env=os.environ.copy()) for _ in range(6)
    ]
    outputs = [run.communicate()[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert len({json.loads(o)["reports"].__repr__() for o in outputs}) == 1
    names = sorted(p.name for p in files_under(cache_root))
    assert names == sorted([cache.cache_file(tree).name, "secret"])
    assert cached.read(cache.cache_file(tree), cache.cache_key(tree)) == load(tree)


def test_no_cache_reads_and_writes_nothing(tree: Path, cache_root: Path) -> None:
    """``use_cache=False`` (the CLI's --no-cache) neither writes nor trusts a cache file."""
    cache.load_cached(tree, use_cache=False)
    assert not cache_root.exists()
    cache.load_cached(tree)
    target = cache.cache_file(tree)
    target.write_bytes(b"junk")
    assert cache.load_cached(tree, use_cache=False) == load(tree)
    assert target.read_bytes() == b"junk"


def test_invalid_data_raises_every_time_and_is_not_cached(tree: Path, cache_root: Path) -> None:
    """Invalid data raises InvalidDataError on each load and leaves no cache file."""
    (tree / "reports" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    for _ in range(2):
        with pytest.raises(InvalidDataError):
            cache.load_cached(tree)
    assert not cache.cache_file(tree).exists()


def test_the_key_changes_with_the_version(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new policykb version does not trust an older version's cache."""
    import policykb

    before = cache.cache_key(tree)
    monkeypatch.setattr(policykb, "__version__", "999.0")
    assert cache.cache_key(tree) != before


def test_an_unwritable_cache_dir_is_not_an_error(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the cache directory cannot be created the load still succeeds, uncached."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(cache.ENV_VAR, str(blocker / "cache"))
    assert cache.load_cached(tree) == load(tree)


def test_the_cli_uses_the_cache_unless_no_cache(tree: Path, cache_root: Path) -> None:
    """``knowledge_base(ctx)`` goes through the cache, and --no-cache bypasses it."""
    import typer

    from policykb.cli.app import State, knowledge_base

    def run(state: State) -> None:
        command = typer.core.TyperCommand("probe")
        with typer.Context(command, obj=state) as ctx:
            assert knowledge_base(ctx) == load(tree)

    run(State(data=tree, cache=False))
    assert not cache_root.exists()
    run(State(data=tree, cache=True))
    assert cache.cache_file(tree).is_file()


def test_the_key_lists_the_loaders_data_files(tmp_path: Path) -> None:
    """The cache's own file listing (kept lean) agrees with ``loader.data_files``."""
    from policykb.datafiles.loader import data_files

    root = tmp_path / "data"
    shutil.copytree(VALID, root)
    (root / "organisations.yml").write_text("organisations: []\n")
    (root / "reports" / "notes.txt").write_text("not data")
    (root / "reports" / "b.yml").write_text("id: b\n")
    (root / "reports" / ".hidden.yaml").write_text("id: h\n")
    (root / "reports" / "dir.yaml").mkdir()
    (root / "mappings" / "README.md").write_text("not data")
    (root / "extra").mkdir()
    (root / "extra" / "x.yaml").write_text("id: x\n")
    listed = [name for name, _ in key._data_file_stats(root)]
    assert listed == [str(p.relative_to(root)) for p in data_files(root)]


def test_a_hit_is_a_knowledge_base_in_every_way(tree: Path, cache_root: Path) -> None:
    """A hit compares, hashes, prints, pickles, copies and replaces like the plain value."""
    import copy
    import dataclasses
    import pickle

    plain, hit = plain_and_hit(tree)
    assert hit == plain
    assert plain == hit
    assert (hit != plain, plain != hit) == (False, False)
    assert hash(hit) == hash(plain)
    assert repr(hit) == repr(plain)
    for twin in (pickle.loads(pickle.dumps(hit)), copy.copy(hit), copy.deepcopy(hit)):
        assert type(twin) is KnowledgeBase
        assert twin == plain
    assert dataclasses.replace(hit, crosswalks=()) == dataclasses.replace(plain, crosswalks=())
    assert hit != dataclasses.replace(plain, reports=plain.reports[1:])
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.reports = ()  # type: ignore[misc]


def test_a_hit_makes_its_index_once_when_first_asked(tree: Path, cache_root: Path) -> None:
    from policykb import query

    plain, hit = plain_and_hit(tree)
    index = hit.query_index
    assert isinstance(index, query.Index)
    assert hit.query_index is index
    assert query.recommendations(hit, countries=["CHL"]) == query.recommendations(
        plain, countries=["CHL"]
    )


def test_a_miss_returns_the_index_it_built(
    tree: Path, cache_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index built for the cache file on a miss serves that run's queries (no second build)."""
    from policykb import query

    kb = cache.load_cached(tree)
    assert isinstance(kb, cache.CachedKnowledgeBase)
    assert isinstance(kb.query_index, query.Index)

    def refuse(cls: object, kb: object) -> None:
        raise AssertionError("built again")

    monkeypatch.setattr(query.Index, "build", classmethod(refuse))
    assert query.recommendations(kb, countries=["CHL"])


def _damage(target: Path, section: int, hit: cache.CachedKnowledgeBase) -> bytes:
    """Flip bytes in the middle of a section of the cache file in place (same length)."""
    assert hit._file is not None
    good = target.read_bytes()
    middle = hit._file.starts[section] + hit._file.lengths[section] // 2
    damaged = (
        good[:middle] + bytes(b ^ 0xFF for b in good[middle : middle + 8]) + good[middle + 8 :]
    )
    with target.open("r+b") as handle:  # in place: the hit's open file sees it
        handle.write(damaged)
    return good


@pytest.mark.parametrize("section", ["rows", "report table", "reports"])
def test_a_file_damaged_after_a_hit_is_reloaded_and_rewritten(
    tree: Path, cache_root: Path, section: str
) -> None:
    """Damage found in a section read after the hit: the data files answer, the file is rebuilt."""
    from policykb import query

    plain, hit = plain_and_hit(tree)
    target = cache.cache_file(tree)
    which = {
        "rows": fileformat.ROWS,
        "report table": fileformat.REPORT_TABLE,
        "reports": fileformat.REPORTS,
    }
    good = _damage(target, which[section], hit)
    assert query.recommendations(hit) == query.recommendations(plain)
    assert query.recommendations(hit, reports=["panama"]) == query.recommendations(
        plain, reports=["panama"]
    )
    assert hit.reports == plain.reports
    assert target.read_bytes() == good


def test_damage_found_after_the_data_changed_is_an_error(tree: Path, cache_root: Path) -> None:
    """When the data changed since the hit, a damaged file cannot be repaired: run again."""
    from policykb.errors import DataDirError

    cache.load_cached(tree)
    hit = cache.load_cached(tree)
    assert isinstance(hit, cache.CachedKnowledgeBase)
    _damage(cache.cache_file(tree), fileformat.REPORTS, hit)
    (tree / "reports" / "pride-in-the-name-of-gov-uk.yaml").unlink()
    with pytest.raises(DataDirError, match="changed"):
        hit.reports  # noqa: B018


@pytest.mark.skipif(sys.platform == "win32", reason="an open file cannot be replaced on Windows")
def test_a_hit_keeps_reading_its_own_file_when_it_is_replaced(tree: Path, cache_root: Path) -> None:
    """Another process rewriting the cache (the data changed) does not change a hit's reports."""
    before = load(tree)
    cache.load_cached(tree)
    hit = cache.load_cached(tree)
    (tree / "reports" / "pride-in-the-name-of-gov-uk.yaml").unlink()
    assert "pride-in-the-name-of-gov-uk" not in probe(tree)["reports"]  # rewrites the file
    assert hit == before


def test_the_key_covers_the_models_fields(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Values are stored by field position: a changed model does not trust an older cache."""
    before = cache.cache_key(tree)
    monkeypatch.setattr(key, "_model_fields", lambda: "Report:id,title")
    assert cache.cache_key(tree) != before


def test_a_warm_country_query_imports_nothing_heavy(tree: Path, cache_root: Path) -> None:
    """``recs -c CHL`` on a hit: no pycountry (the data's codes are taken as they are)."""
    script = (
        "import sys\nfrom pathlib import Path\nfrom policykb import cache, query\n"
        "kb = cache.load_cached(Path(sys.argv[1]))\n"
        "rows = query.recommendations(kb, countries=['chl'])\n"
        "heavy = [m for m in ('jsonschema_rs', 'networkx', 'rdflib', 'pycountry',"
        " 'yaml') if m in sys.modules]\n"
        "print(len(rows), heavy)\n"
    )
    command = [sys.executable, "-c", script, str(tree)]
    subprocess.run(command, check=True, capture_output=True)  # cold
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    from policykb import query

    expected = len(query.recommendations(load(tree), countries=["Chile"]))
    assert expected > 0
    assert done.stdout.split(maxsplit=1) == [str(expected), "[]\n"]


def test_a_part_of_the_reports_reads_only_its_rows(tree: Path, cache_root: Path) -> None:
    """reports_between and recommendation_counts answer without reading every report."""
    plain = load(tree)
    cache.load_cached(tree)
    hit = cache.load_cached(tree)
    assert isinstance(hit, cache.CachedKnowledgeBase) and hit._file is not None
    assert hit.recommendation_counts() == plain.recommendation_counts()
    assert sum(plain.recommendation_counts()) == sum(1 for _ in plain.recommendations())
    read: list[int] = []
    real_read_at = hit._file.read_at

    def counted_read_at(start: int, length: int) -> bytes:
        read.append(length)
        return real_read_at(start, length)

    hit._file.read_at = counted_read_at  # type: ignore[method-assign]
    n = len(plain.reports)
    for start, stop in ((0, n), (0, 3), (3, n), (5, 5), (n - 1, n)):
        assert hit.reports_between(start, stop) == plain.reports[start:stop]
    read.clear()
    counts = plain.recommendation_counts()
    first = next(i for i, count in enumerate(counts) if count)
    part = hit.reports_between(first, first + 1)  # rows, but not all of them
    assert 0 < counts[first] < sum(counts)
    assert part == plain.reports[first : first + 1]
    assert 0 < read[-1] < hit._file.lengths[fileformat.ROWS]  # one read: a slice of the rows
    assert hit._loaded() is None  # kb.reports itself was never read
    assert hit.reports == plain.reports
    assert hit.reports_between(1, 4) == plain.reports[1:4]  # read now: a slice of those


@pytest.mark.parametrize("section", ["rows", "reports"])
def test_a_part_read_from_a_damaged_file_comes_from_the_data(
    tree: Path, cache_root: Path, section: str
) -> None:
    plain, hit = plain_and_hit(tree)
    _damage(
        cache.cache_file(tree),
        {"rows": fileformat.ROWS, "reports": fileformat.REPORTS}[section],
        hit,
    )
    n = len(plain.reports)
    assert hit.reports_between(n // 2, n) == plain.reports[n // 2 :]
    assert hit.recommendation_counts() == plain.recommendation_counts()
