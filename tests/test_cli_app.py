"""The CLI shell shared by every command: colour rules, version, lean start-up, error mapping."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO
from policykb.cli import app

runner = CliRunner()


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "policykb", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        check=False,
    )


def test_terminal_output_is_styled_unless_no_color() -> None:
    """On a terminal tables carry escape codes; with NO_COLOR set they carry none at all."""
    styled = _run("stats", FORCE_COLOR="1")
    plain = _run("stats", FORCE_COLOR="1", NO_COLOR="1")
    assert styled.returncode == plain.returncode == 0
    assert "\x1b[" in styled.stdout
    assert "\x1b[" not in plain.stdout
    assert "frameworks" in plain.stdout


def test_piped_output_has_no_escape_codes() -> None:
    """When stdout is not a terminal (a pipe), output is plain text."""
    result = _run("stats")
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout


def test_version_prints_the_package_version() -> None:
    """--version prints the one version the package declares."""
    from policykb import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"policykb {__version__}"


def test_help_imports_no_data_or_linked_data_libraries() -> None:
    """policykb --help imports neither yaml, the loader, the query layer nor rdflib."""
    code = (
        "import sys\n"
        "from policykb.cli import main\n"
        "sys.argv = ['policykb', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('yaml', 'policykb.datafiles.loader', 'policykb.render', 'rdflib', "
        "'networkx',"
        " 'jsonschema_rs', 'pycountry') if m in sys.modules and "
        "type(sys.modules[m]).__name__ != '_LazyModule']\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert "HEAVY []" in result.stderr


def test_internal_errors_are_one_line_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception is reported in one line with exit code 70, no traceback."""
    import policykb.cli.maintain as maintain

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("policykb.datafiles.validation.validate", explode)
    monkeypatch.delenv("POLICYKB_DEBUG", raising=False)
    result = runner.invoke(app, ["validate"])
    assert maintain is not None
    assert result.exit_code == 70
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.output


def test_public_validate_stays_the_function_after_the_cli_ran() -> None:
    """policykb.validate is the function even once the CLI imported the validation module."""
    from pathlib import Path

    import policykb
    import policykb.datafiles.validation  # what the validate command imports

    assert callable(policykb.validate)
    assert policykb.validate([Path(REPO / "tests" / "data" / "valid")]).valid


def test_a_real_process_ends_with_nothing_but_its_own_output(tmp_path: Path) -> None:
    """Through the console script's own ``main`` (which freezes the GC at the end), a cold and
    a warm query and an export leave stderr holding only their messages: no "Exception
    ignored" from a finaliser run at shutdown, no traceback."""
    cache = str(tmp_path / "cache")
    for _ in ("cold", "warm"):
        done = _run("recommendations", "-c", "CHL", POLICYKB_CACHE_DIR=cache, NO_COLOR="1")
        assert done.returncode == 0
        assert "ClaveÚnica" in done.stdout
        assert done.stderr == ""
    target = tmp_path / "kb.ttl"
    done = _run("export", "--output", str(target), POLICYKB_CACHE_DIR=cache)
    assert done.returncode == 0
    assert done.stderr == f"wrote {target} ({target.stat().st_size:,} bytes)\n"
