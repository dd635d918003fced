"""Issue #13, maintainers: the `policykb-validate` pre-commit hook, run by the real pre-commit.

A data repository names this repository and a revision in its .pre-commit-config.yaml;
pre-commit installs policykb from it into an environment of its own (from the package
registry: about 20 s) and runs `policykb validate` there when a YAML file is committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, VALID

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

#: what `pip install` of this repository needs: the package, its data and its metadata
HOOK_REPO_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "data")


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _repository(path: Path) -> str:
    """Make ``path`` a git repository with everything in it committed; its revision."""
    _git("init", "--quiet", cwd=path)
    _git("add", "--all", cwd=path)
    _git("commit", "--quiet", "--no-verify", "-m", "test", cwd=path)
    return _git("rev-parse", "HEAD", cwd=path)


def test_the_policykb_validate_hook_passes_valid_data_and_fails_invalid(tmp_path: Path) -> None:
    """With this checkout's files as the hook repository, `pre-commit run` in a data repository
    passes on valid data and fails, naming the file and the problem, on a broken report."""
    hooks = tmp_path / "policykb"
    hooks.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in HOOK_REPO_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, hooks / name, ignore=ignore)
        else:
            shutil.copy2(source, hooks / name)
    rev = _repository(hooks)

    data = tmp_path / "my-data"
    shutil.copytree(VALID, data)
    (data / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: policykb-validate\n",
        "utf-8",
    )
    _repository(data)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYKB_", "PRE_COMMIT"))}
    env |= {
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "POLICYKB_CACHE_DIR": str(tmp_path / "cache"),
        "NO_COLOR": "1",
    }
    run = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]

    passed = subprocess.run(run, cwd=data, env=env, capture_output=True, text=True)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "policykb validate" in passed.stdout
    assert "Passed" in passed.stdout

    report = data / "reports" / "tiny-report.yaml"
    report.write_text(
        report.read_text("utf-8").replace("publisher: oecd", "publisher: mintic"), "utf-8"
    )
    _git("add", "--all", cwd=data)
    failed = subprocess.run(run, cwd=data, env=env, capture_output=True, text=True)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    problem = "reports/tiny-report.yaml:5:12: unknown-reference: there is no organisation 'mintic'"
    assert problem in failed.stdout
