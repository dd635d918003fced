"""The maintainer commands through the CLI: validate and schema, their output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from conftest import INVALID, REPO, place_fixture
from policykb import validate
from policykb.cli import app

runner = CliRunner()


def test_validate_valid_tree_exits_0(valid_tree: Path) -> None:
    """validate exits 0 on a valid tree and says so on stderr, printing no issue on stdout."""
    result = runner.invoke(app, ["--data", str(valid_tree), "validate"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"5 files in {valid_tree}: valid" in result.stderr


def test_validate_invalid_file_exits_1_with_located_message(valid_tree: Path) -> None:
    """validate exits 1 and prints file:line:col: code: message (hint) for each issue."""
    target = place_fixture(INVALID / "reports/unknown-concept.yaml", valid_tree)
    result = runner.invoke(app, ["validate", str(target)])
    assert result.exit_code == 1
    line = result.stdout.strip()
    assert line.endswith(
        "unknown-reference: 'tiny-framework/privcy' is not a concept of "
        "tiny-framework (did you mean 'tiny-framework/privacy'?)"
    )
    assert ":14:16: " in line


def test_validate_json_equals_library_result(valid_tree: Path) -> None:
    """validate --format json prints exactly the library's ValidationReport.as_dict()."""
    target = place_fixture(INVALID / "reports/norway-unquoted.yaml", valid_tree)
    result = runner.invoke(app, ["validate", str(valid_tree), "--format", "json"])
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert printed == validate([valid_tree]).as_dict()
    assert printed["valid"] is False
    assert {i["code"] for i in printed["issues"]} == {"ambiguous-scalar", "unknown-country"}
    assert all(i["file"].endswith(target.name) for i in printed["issues"])


def test_validate_missing_path_exits_2_without_traceback(tmp_path: Path) -> None:
    """A path that does not exist is a usage error: exit 2, a message, no traceback."""
    result = runner.invoke(app, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.output


def test_validate_non_data_file_exits_2(valid_tree: Path) -> None:
    """A file that is not a data file of its directory is refused with exit 2."""
    stray = valid_tree / "notes.txt"
    stray.write_text("hello", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(stray)])
    assert result.exit_code == 2
    assert "not a policykb data file" in result.stderr


def test_unknown_data_dir_exits_2(tmp_path: Path) -> None:
    """--data naming a missing directory is a usage error (exit 2)."""
    result = runner.invoke(app, ["--data", str(tmp_path / "none"), "validate"])
    assert result.exit_code == 2


def test_schema_prints_the_published_json_schema() -> None:
    """schema report prints the JSON Schema that the validator uses."""
    from policykb.datafiles.schema import schema

    result = runner.invoke(app, ["schema", "report"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == schema("report")


def test_schema_unknown_kind_exits_2() -> None:
    """An unknown schema kind is a usage error listing the kinds."""
    result = runner.invoke(app, ["schema", "nonsense"])
    assert result.exit_code == 2


def test_every_invalid_fixture_exits_1_from_a_real_process(tmp_path: Path) -> None:
    """Run as a real process, each invalid fixture exits 1 and never prints a traceback."""
    import shutil

    from conftest import VALID

    for fixture in sorted(INVALID.glob("*/*.yaml")):
        root = tmp_path / fixture.parent.name / fixture.stem
        shutil.copytree(VALID, root)
        place_fixture(fixture, root)
    script = (
        "import sys, pathlib, subprocess\n"
        "bad = 0\n"
        "for root in sorted(pathlib.Path(sys.argv[1]).glob('*/*')):\n"
        "    cmd = [sys.executable, '-m', 'policykb', '--data', str(root), 'validate']\n"
        "    r = subprocess.run(cmd, capture_output=True, text=True)\n"
        "    print(root.name, r.returncode, 'Traceback' in r.stderr + r.stdout)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    rows = [line.split() for line in done.stdout.splitlines()]
    warnings_only = {"id-mismatch", "inconsistent-definition", "repeated-country"}
    assert len(rows) == len(list(INVALID.glob("*/*.yaml")))
    for name, code, traceback in rows:
        assert traceback == "False", name
        assert code == ("0" if name in warnings_only else "1"), name
