"""Issue #13, researchers: every example in the --help of export, sparql, ontology and related
runs and succeeds (related's used to name recommendations that do not exist and exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from policykb.cli import app

REPO = Path(__file__).parent.parent
COMMANDS = ("export", "sparql", "ontology", "related")


def examples(command: str) -> list[str]:
    """The example command lines of a command's --help: each paragraph after 'Examples:'."""
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    text = group.commands[command].help or ""
    _, found, rest = text.partition("Examples:")
    assert found, f"{command} --help has no examples"
    paragraphs = [" ".join(p.split()) for p in rest.split("\n\n")]
    return [p for p in paragraphs if p]


def test_sparql_help_names_every_bound_prefix() -> None:
    """sparql --help lists each pre-bound prefix (the list is written out, not imported, so
    that --help stays fast: this keeps it true)."""
    from policykb.linked.vocab import PREFIXES

    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    text = " ".join((group.commands["sparql"].help or "").split())
    listed = text.partition("Bound prefixes: ")[2].partition(" (the base")[0]
    names = {name.strip(" ,") for name in listed.replace(", and ", ", ").split(", ")}
    assert names == {*PREFIXES, "kb"}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty working directory; the examples run there on the shipped data."""
    return tmp_path_factory.mktemp("examples")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_example_runs(command: str, workdir: Path) -> None:
    """Each example of the command's --help exits 0 (pipelines included), in the order given."""
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "POLICYKB_DATA": str(REPO / "data"),
        "POLICYKB_CACHE_DIR": str(workdir / ".cache"),
    }
    lines = examples(command)
    assert lines and all(f"policykb {command}" in line for line in lines)
    for line in lines:
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", line],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        assert "Traceback" not in done.stderr
