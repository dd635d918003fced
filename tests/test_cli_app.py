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


FIXTURE_KB = Path(__file__).parent / "data" / "rdf" / "kb"


def _run_with_stdout(
    stdout: int | None, *args: str, close_stdout: bool = False
) -> subprocess.CompletedProcess[str]:
    """``python -m policykb --data FIXTURE --no-cache ARGS`` with stdout where it is told."""
    return subprocess.run(
        [sys.executable, "-m", "policykb", "--data", str(FIXTURE_KB), "--no-cache", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=(lambda: os.close(1)) if close_stdout else None,
    )


@pytest.mark.parametrize("command", [["recs"], ["recs", "-F", "json"], ["export"], ["stats"]])
def test_issue16_output_to_a_full_disk_is_exit_2(command: list[str]) -> None:
    """Issue #16.13: stdout on /dev/full is exit 2 saying why, not an internal error (70)."""
    with Path("/dev/full").open("w") as full:
        done = _run_with_stdout(full.fileno(), *command)
    assert done.returncode == 2, done.stderr
    assert done.stderr == "policykb: error: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("command", [["recs"], ["export"], ["validate"]])
def test_issue16_a_closed_stdout_is_exit_2_not_silence(command: list[str]) -> None:
    """Issue #16.13: with stdout closed (``>&-``) output cannot vanish with exit 0: exit 2."""
    done = _run_with_stdout(None, *command, close_stdout=True)
    assert done.returncode == 2, done.stderr
    assert "cannot write the output: standard output is closed" in done.stderr


def test_issue16_a_closed_stdout_does_not_stop_writing_a_file(tmp_path: Path) -> None:
    """Issue #16.13: a command writing to -o FILE needs no stdout: it succeeds with it closed."""
    target = tmp_path / "kb.ttl"
    done = _run_with_stdout(None, "export", "-o", str(target), close_stdout=True)
    assert done.returncode == 0, done.stderr
    assert target.stat().st_size > 0


@pytest.mark.parametrize("data", ["a" * 300, "a/" * 3000])
def test_issue16_a_data_path_too_long_is_exit_2(data: str) -> None:
    """Issue #16.13: a --data path the system finds too long is exit 2, the path shortened."""
    done = _run("--data", data, "recs")
    assert done.returncode == 2, done.stderr
    assert "File name too long" in done.stderr
    assert len(done.stderr) < 400


def test_issue16_an_unreadable_folder_is_exit_2(
    valid_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #16.13: a data folder that cannot be listed is exit 2 naming it, not 70.

    (Tests run as root, for whom no folder is unreadable: the refusal is simulated.)
    """
    real_iterdir = Path.iterdir

    def iterdir(self: Path) -> object:
        if self.name == "frameworks":
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    result = runner.invoke(app, ["--data", str(valid_tree), "validate"])
    assert result.exit_code == 2, result.output
    assert f"Permission denied: '{valid_tree / 'frameworks'}'" in result.stderr
