"""Issue #13 (the first hour, analysts): ``--output FILE`` on every query command.

Every command of ``cli/queries.py`` takes ``--output/-o FILE``: the file is written atomically,
its format comes from its suffix when ``--format`` is not given (.json .csv .md, .txt for the
plain table), an unknown suffix without ``--format`` is a usage error naming the known ones,
and ``-`` is stdout. Run on the shipped data (skipped while it does not validate).
"""

from __future__ import annotations

import csv
import io
import json
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from policykb.cli import app
from policykb.datafiles.loader import load
from policykb.errors import InvalidDataError

REPO = Path(__file__).parent.parent
SHIPPED = REPO / "data"

runner = CliRunner(env={"NO_COLOR": None, "COLUMNS": "80"})

#: a command line for each query command, on the shipped data
COMMANDS: dict[str, list[str]] = {
    "recommendations": ["recommendations", "-c", "Chile"],
    "recs": ["recs", "-c", "Chile", "-p", "trust"],
    "countries": ["countries"],
    "coverage": ["coverage", "-f", "digital-identity-framework", "--level", "element"],
    "frameworks": ["frameworks"],
    "framework": ["framework", "digital-identity-framework"],
    "reports": ["reports"],
    "report": ["report", "chile-digital-identity"],
    "search": ["search", "claveunica"],
    "stats": ["stats"],
    "related": ["related", "chile-digital-identity/chl-di-02"],
    "country": ["country", "Chile"],
    "scores": ["scores", "-c", "CHL"],
}
#: the modules whose commands are query commands
QUERY_MODULES = (
    "policykb.cli.queries",
    "policykb.cli.explore",
    "policykb.cli.indicators",
)


@pytest.fixture(scope="module")
def shipped() -> Path:
    """The shipped data directory, when it validates."""
    try:
        load(SHIPPED)
    except InvalidDataError:
        pytest.skip("the shipped data does not validate right now (it is being written)")
    return SHIPPED


@pytest.fixture(autouse=True, scope="module")
def load_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A load cache of this module's own: the many commands here read the data once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYKB_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


def run(data: Path, *args: str) -> Any:
    """``policykb --data DATA ARGS`` (through this module's load cache)."""
    return runner.invoke(app, ["--data", str(data), *args])


def query_command_names() -> list[str]:
    """Every command the query modules register (and the hidden alias)."""
    group = typer.main.get_command(app)
    return sorted(
        name
        for name, command in group.commands.items()  # type: ignore[attr-defined]
        if getattr(command.callback, "__module__", None) in QUERY_MODULES
    )


def test_every_query_command_takes_output() -> None:
    """Each query command has --output/-o FILE and a sample command line here."""
    group = typer.main.get_command(app)
    names = query_command_names()
    assert {"recs", "coverage", "report", "framework", "search", "stats", "related"} <= set(names)
    for name in names:
        options = {o for p in group.commands[name].params for o in p.opts}  # type: ignore[attr-defined]
        assert {"--output", "-o"} <= options, name
        help_text = runner.invoke(app, [name, "--help"]).stdout
        assert "--output" in help_text, name
    assert set(names) <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_output_json_file_is_what_format_json_prints(
    shipped: Path, tmp_path: Path, name: str
) -> None:
    """-o FILE.json writes exactly what --format json prints, says so on stderr, prints nothing."""
    args = COMMANDS[name]
    target = tmp_path / "out.json"
    written = run(shipped, *args, "-o", str(target))
    assert written.exit_code == 0, written.stderr
    assert written.stdout == ""
    assert f"wrote {target}" in written.stderr
    printed = run(shipped, *args, "--format", "json")
    assert target.read_text(encoding="utf-8") == printed.stdout
    json.loads(printed.stdout)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary file left


@pytest.mark.parametrize(
    ("suffix", "output_format"),
    [(".json", "json"), (".csv", "csv"), (".md", "markdown"), (".txt", "table"), (".JSON", "json")],
)
def test_the_suffix_says_the_format(
    shipped: Path, tmp_path: Path, suffix: str, output_format: str
) -> None:
    """Without --format, .json .csv .md and .txt (any case) write JSON, CSV, Markdown, the table."""
    target = tmp_path / f"chile{suffix}"
    args = ["recs", "-c", "Chile", "-p", "trust"]
    assert run(shipped, *args, "-o", str(target)).exit_code == 0
    expected = run(shipped, *args, "--format", output_format).stdout
    assert target.read_text(encoding="utf-8") == expected
    if output_format == "table":
        assert "chl-di-05" in expected and "\x1b" not in expected


def test_format_wins_over_the_suffix_and_dash_is_stdout(shipped: Path, tmp_path: Path) -> None:
    """--format beats the suffix (CSV into a .txt file); -o - prints to stdout."""
    target = tmp_path / "chile.txt"
    result = run(shipped, "recs", "-c", "Chile", "-F", "csv", "-o", str(target))
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0][0] == "id" and len(rows) > 1
    dashed = run(shipped, "stats", "-o", "-", "-F", "json")
    assert dashed.exit_code == 0 and json.loads(dashed.stdout)["frameworks"] > 0
    assert "wrote" not in dashed.stderr
    plain = run(shipped, "stats", "-o", "-")
    assert plain.stdout == run(shipped, "stats").stdout


@pytest.mark.parametrize("name", ["chile.xlsx", "chile", "chile.svg"])
def test_an_unknown_suffix_is_a_usage_error(shipped: Path, tmp_path: Path, name: str) -> None:
    """A suffix policykb does not know, without --format, exits 2 naming the known suffixes."""
    target = tmp_path / name
    result = run(shipped, "recs", "-c", "Chile", "-o", str(target))
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert all(s in message for s in (".json", ".csv", ".md", ".txt", "--format")), message
    assert "Traceback" not in result.output and not target.exists()
    assert run(shipped, "recs", "-c", "Chile", "-o", str(target), "-F", "csv").exit_code == 0


def test_framework_knows_the_diagram_suffixes(shipped: Path, tmp_path: Path) -> None:
    """framework -o x.mmd writes Mermaid and -o x.dot (or .gv) writes DOT; other commands do not
    take .mmd."""
    for suffix, language in ((".mmd", "mermaid"), (".dot", "dot"), (".gv", "dot")):
        target = tmp_path / f"dif{suffix}"
        assert (
            run(shipped, "framework", "digital-identity-framework", "-o", str(target)).exit_code
            == 0
        )
        expected = run(shipped, "framework", "digital-identity-framework", "-F", language).stdout
        assert target.read_text(encoding="utf-8") == expected
    assert run(shipped, "recs", "-o", str(tmp_path / "x.mmd")).exit_code == 2


def test_a_failed_run_leaves_the_old_file(shipped: Path, tmp_path: Path) -> None:
    """An error (unknown country, unwritable place) leaves an existing file as it was: exit 2."""
    target = tmp_path / "chile.json"
    target.write_text("old", encoding="utf-8")
    failed = run(shipped, "recs", "-c", "Atlantis", "-o", str(target))
    assert failed.exit_code == 2 and target.read_text(encoding="utf-8") == "old"
    nowhere = run(shipped, "recs", "-c", "Chile", "-o", str(tmp_path / "missing" / "x.json"))
    assert nowhere.exit_code == 2
    assert "cannot write" in nowhere.stderr and "Traceback" not in nowhere.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chile.json"]


def test_an_empty_result_still_writes_the_file(shipped: Path, tmp_path: Path) -> None:
    """An empty result replaces the file (JSON [] or an empty table) and exits 0."""
    as_json = tmp_path / "none.json"
    result = run(shipped, "recs", "-c", "Uruguay", "-o", str(as_json))
    assert result.exit_code == 0 and json.loads(as_json.read_text(encoding="utf-8")) == []
    as_text = tmp_path / "none.txt"
    as_text.write_text("stale", encoding="utf-8")
    result = run(shipped, "recs", "-c", "Uruguay", "-o", str(as_text))
    assert result.exit_code == 0 and as_text.read_text(encoding="utf-8") == ""
    assert "no recommendations match" in result.stderr


def _examples(command: str) -> list[list[str]]:
    """The command lines of a command's --help Examples: paragraph."""
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = result.stdout.split("Examples:", 1)[1]
    lines = [line.strip() for line in text.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("policykb ")]


@pytest.mark.parametrize(
    "command", ["countries", "coverage", "frameworks", "framework", "reports", "report", "stats"]
)
def test_every_help_example_runs(
    shipped: Path, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each example in the --help of these commands runs on the shipped data and answers (in a
    scratch directory: an example may write a file, which it says on stderr)."""
    monkeypatch.chdir(tmp_path)
    examples = _examples(command)
    assert len(examples) >= 2
    for args in examples:
        result = run(shipped, *args)
        assert result.exit_code == 0, (args, result.stderr)
        assert result.stdout or result.stderr.startswith("wrote "), (args, result.stderr)
