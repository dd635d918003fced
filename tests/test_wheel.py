"""The built wheel: it holds everything the package reads at run time, and works installed.

The wheel is built with pip (hatchling fetched from the package index, as any build does) and
installed with ``--no-deps`` into a directory put first on ``sys.path``, so that the commands
below run the installed copy, not the editable checkout, with the dependencies of this venv.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"pip wheel failed:\n{done.stdout}\n{done.stderr}")
    (found,) = out.glob("policykb-*.whl")
    return found


def test_the_wheel_holds_what_the_package_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        *(f"policykb/schemas/{kind}.json" for kind in ("framework", "report", "organisations")),
        "policykb/schemas/mapping.json",
        "policykb/ontology/ontology.ttl",
        "policykb/ontology/shapes.ttl",
        "policykb/ontology/context.jsonld",
        "policykb/py.typed",
        "policykb/data/organisations.yaml",
        "policykb/data/reports/chile-digital-identity.yaml",
        # the site's templates, stylesheet, search script and w3id .htaccess (#15)
        "policykb/site/templates/base.html",
        "policykb/site/templates/recommendation.html",
        "policykb/site/static/site.css",
        "policykb/site/static/search.js",
        "policykb/site/htaccess",
    }
    assert shipped <= names, sorted(shipped - names)
    data_files = {p.relative_to(REPO).as_posix() for p in (REPO / "data").rglob("*.yaml")}
    assert {f"policykb/{p}" for p in data_files} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_the_installed_wheel_validates_and_queries_its_own_data(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet"]
    subprocess.run([*install, "--target", str(target), str(wheel)], check=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "POLICYKB_CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("POLICYKB_DATA", None)

    def policykb(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "policykb", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,  # no ./data here: the data shipped in the wheel is used
            check=False,
        )

    where = subprocess.run(
        [sys.executable, "-c", "import policykb; print(policykb.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert where.stdout.strip().startswith(str(target))  # the installed copy, not the checkout
    validated = policykb("validate")
    assert validated.returncode == 0, validated.stderr
    assert "valid" in validated.stdout + validated.stderr
    recs = policykb("recommendations", "--country", "Chile", "--format", "json")
    assert recs.returncode == 0, recs.stderr
    assert "ClaveÚnica" in recs.stdout
    exported = policykb("export", "--format", "turtle")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == (REPO / "exports" / "policykb.ttl").read_text(encoding="utf-8")
