"""The linked-data commands through the CLI: export, sparql, publish and validate --rdf."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policykb.cli import app
from policykb.datafiles.loader import load
from policykb.linked import export
from policykb.linked.sparql import query, results_csv, results_json

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURE = TESTS / "data" / "rdf" / "kb"
runner = CliRunner()
RECS = "SELECT ?rec WHERE { ?rec a pkb:PolicyRecommendation } ORDER BY ?rec"


def cli(*args: str) -> object:
    """Run policykb on the fixture data, bypassing the load cache."""
    return runner.invoke(app, ["--data", str(FIXTURE), "--no-cache", *args])


def test_export_to_stdout_is_turtle_by_default() -> None:
    """export with no options prints the Turtle export on stdout."""
    result = runner.invoke(app, ["--data", str(FIXTURE), "--no-cache", "export"])
    assert result.exit_code == 0
    assert result.stdout_bytes == export.serialize(load(FIXTURE), "turtle")


def test_export_names_its_file_as_it_stands(tmp_path: Path) -> None:
    """The "wrote" line is plain text: brackets and colons in a path are not markup or emoji."""
    target = tmp_path / "[bold]kb:thumbs_up:.ttl"
    result = cli("export", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {target} ({target.stat().st_size:,} bytes)\n"


def test_an_export_never_imports_rich_or_pydantic(tmp_path: Path) -> None:
    """A command that prints plain lines only does not pay for importing rich; no command
    imports pydantic (typer is kept below 0.29, which coerces options through it)."""
    script = (
        "import sys\n"
        "from policykb.cli import main\n"
        f"sys.argv = ['policykb', '--data', {str(FIXTURE)!r}, '--no-cache', 'export',\n"
        f"            '--output', {str(tmp_path / 'kb.ttl')!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    loaded = {m.split('.')[0] for m in sys.modules}\n"
        "    print(exc.code, sorted(loaded & {'rich', 'pydantic'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[0] == "0 []", done.stderr
    assert (tmp_path / "kb.ttl").stat().st_size > 0


@pytest.mark.parametrize("output_format", list(export.FORMATS))
def test_export_output_file_equals_library(tmp_path: Path, output_format: str) -> None:
    """export --format F --output FILE writes exactly what the library serialises."""
    target = tmp_path / f"kb.{output_format}"
    result = runner.invoke(
        app,
        [
            "--data",
            str(FIXTURE),
            "--no-cache",
            "export",
            "--format",
            output_format,
            "--output",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes() == export.serialize(load(FIXTURE), output_format)
    assert "wrote" in result.stderr


def test_export_jobs_do_not_change_the_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--jobs 1 and --jobs 2 (forced to fork on this small corpus) write the same file."""
    from policykb.linked import parallel

    monkeypatch.setattr(parallel, "MIN_RECOMMENDATIONS", 0)
    outputs = []
    for jobs in ("1", "2"):
        target = tmp_path / f"kb-{jobs}.ttl"
        result = cli("export", "--jobs", jobs, "--output", str(target))
        assert result.exit_code == 0, result.stderr
        assert f"({target.stat().st_size:,} bytes)" in result.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] == export.serialize(load(FIXTURE), "turtle")


def test_failed_export_leaves_the_old_file(tmp_path: Path) -> None:
    """An export that fails (a bad --base-iri) exits 2 and leaves the old output as it was."""
    target = tmp_path / "kb.ttl"
    target.write_bytes(b"old")
    result = runner.invoke(
        app,
        [
            "--data",
            str(FIXTURE),
            "--no-cache",
            "export",
            "--output",
            str(target),
            "--base-iri",
            "not an iri",
        ],
    )
    assert result.exit_code == 2
    assert "base IRI" in result.stderr
    assert target.read_bytes() == b"old"


def test_export_all_then_check(tmp_path: Path) -> None:
    """--all writes a directory that --check finds fresh (exit 0); an edit makes it stale (1)."""
    directory = tmp_path / "exports"
    base = ["--data", str(FIXTURE), "--no-cache", "export"]
    assert runner.invoke(app, [*base, "--all", str(directory)]).exit_code == 0
    fresh = runner.invoke(app, [*base, "--check", str(directory)])
    assert (fresh.exit_code, fresh.stdout) == (0, "")
    assert "fresh" in fresh.stderr
    (directory / "policykb.jsonld").write_text("{}")
    (directory / "shapes.ttl").unlink()
    stale = runner.invoke(app, [*base, "--check", str(directory)])
    assert stale.exit_code == 1
    assert stale.stdout.splitlines() == [
        f"{directory / 'policykb.jsonld'}: stale",
        f"{directory / 'shapes.ttl'}: missing",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["--all", "a", "--check", "b"],
        ["--all", "a", "--format", "turtle"],
        ["--check", "a", "--output", "x.ttl"],
        ["--format", "yaml"],
        ["--jobs", "0"],
    ],
)
def test_export_option_clashes_exit_2(args: list[str]) -> None:
    """Options that do not go together, or an unknown format, exit 2."""
    assert cli("export", *args).exit_code == 2


def test_shipped_exports_are_fresh() -> None:
    """The committed exports/ directory matches a fresh export of the shipped data."""
    result = runner.invoke(
        app,
        ["--data", str(REPO / "data"), "--no-cache", "export", "--check", str(REPO / "exports")],
    )
    assert result.exit_code == 0, result.stdout + result.stderr


def test_sparql_table() -> None:
    """sparql prints a table of the solutions with prefixed names."""
    result = cli("sparql", RECS)
    assert result.exit_code == 0
    assert "kb:report/alpha-report/recommendation/r01" in result.stdout


@pytest.mark.parametrize(
    ("output_format", "render"), [("json", results_json), ("csv", results_csv)]
)
def test_sparql_json_and_csv_equal_library(output_format: str, render: object) -> None:
    """sparql --format json|csv prints the library's W3C results serialisation, nothing more."""
    result = cli("sparql", RECS, "--format", output_format)
    assert result.exit_code == 0
    assert callable(render)
    assert result.stdout_bytes.decode() == render(query(load(FIXTURE), RECS))
    if output_format == "json":
        assert len(json.loads(result.stdout)["results"]["bindings"]) == 6  # 3 publications


def test_sparql_from_file_and_ask(tmp_path: Path) -> None:
    """--file reads the query; an ASK prints true or false."""
    path = tmp_path / "q.rq"
    path.write_text("ASK { ?s a pkb:Framework }")
    result = cli("sparql", "--file", str(path))
    assert (result.exit_code, result.stdout) == (0, "true\n")


def test_sparql_construct_prints_turtle() -> None:
    """A CONSTRUCT prints Turtle with the prefixes bound."""
    result = cli("sparql", "CONSTRUCT { ?s skos:exactMatch ?o } WHERE { ?s skos:exactMatch ?o }")
    assert result.exit_code == 0
    assert "skos:exactMatch" in result.stdout


def test_sparql_empty_result_exits_0() -> None:
    """A query matching nothing exits 0 and says so on stderr."""
    result = cli("sparql", "SELECT ?s WHERE { ?s a pkb:Nothing }")
    assert (result.exit_code, result.stdout) == (0, "")
    assert "no results" in result.stderr


def test_malformed_sparql_exits_2_with_position() -> None:
    """A malformed query exits 2 with the parser's message and line:column, no traceback."""
    result = cli("sparql", "SELECT ?x WHERE {\n ?x ?y }")
    assert result.exit_code == 2
    assert "malformed SPARQL query: error at 2:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [[], ["ASK {}", "--file", "q.rq"]])
def test_sparql_needs_exactly_one_query(args: list[str]) -> None:
    """Neither or both of QUERY and --file is a usage error."""
    assert cli("sparql", *args).exit_code == 2


def test_publish_unreachable_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """publish to a closed loopback port exits 2 saying the store cannot be reached."""
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = cli(
        "publish",
        "--endpoint",
        f"http://127.0.0.1:{port}/store",
        "--graph",
        "urn:x:g",
        "--timeout",
        "5",
    )
    assert result.exit_code == 2
    assert "cannot reach" in result.stderr


def test_publish_takes_no_credentials_on_the_command_line() -> None:
    """There is no option for a password or token: they come from the environment only."""
    help_text = cli("publish", "--help").stdout
    assert "POLICYKB_SPARQL_PASSWORD" in help_text
    assert (
        cli(
            "publish", "--endpoint", "http://127.0.0.1:9/s", "--graph", "urn:x:g", "--password", "x"
        ).exit_code
        == 2
    )


def test_validate_rdf_passes_on_good_data() -> None:
    """validate --rdf exits 0 on data that passes the checks and the shapes."""
    result = runner.invoke(app, ["validate", "--rdf", str(FIXTURE)])
    assert result.exit_code == 0, result.stdout
    assert "shacl-violation" not in result.stdout


def test_validate_rdf_reports_a_typo_once_where_it_is(tmp_path: Path) -> None:
    """validate --rdf prints a misspelt concept once, as the located unknown-reference, not as a
    shacl-violation too (issue #13; the violation's own location: test_shacl.py), and exits 1."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    report = root / "reports" / "beta-post.yaml"
    report.write_text(report.read_text().replace("[beta/needs]", "[beta/nope]"))
    plain = runner.invoke(app, ["validate", str(root)])
    result = runner.invoke(app, ["validate", "--rdf", str(root)])
    assert result.exit_code == 1
    assert "shacl-violation" not in result.stdout
    (line,) = [x for x in result.stdout.splitlines() if ": unknown-reference: " in x]
    assert line in plain.stdout.splitlines()
    file, line_number, _ = line.split(": unknown-reference")[0].rsplit(":", 2)
    lines = report.read_text().splitlines()
    expected = next(n for n, text in enumerate(lines, 1) if "[beta/nope]" in text)
    assert (Path(file).resolve(), int(line_number)) == (report.resolve(), expected)


def test_cli_default_base_iri_is_the_librarys() -> None:
    """The CLI's --base-iri default is the library's default base IRI."""
    from policykb.cli.linked import DEFAULT_BASE_IRI as CLI_DEFAULT
    from policykb.linked.rdf import DEFAULT_BASE_IRI

    assert CLI_DEFAULT == DEFAULT_BASE_IRI


@pytest.mark.parametrize("command", ["export", "sparql", "publish"])
def test_commands_have_help_with_examples(command: str) -> None:
    """Each linked-data command has help text with an example."""
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert f"policykb {command}" in result.stdout
