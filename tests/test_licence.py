"""The code's licence, the data's licence and the software's citation agree with each other,
with pyproject.toml, and with what the exports say; CITATION.cff is valid CFF (cffconvert)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

import policykb
from policykb.datafiles.loader import load

REPO = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def test_citation_cff_is_valid_under_the_cff_schema() -> None:
    """cffconvert validates CITATION.cff against the Citation File Format schema."""
    cffconvert = Path(sys.executable).parent / "cffconvert"
    done = subprocess.run(
        [str(cffconvert), "--validate", "-i", str(REPO / "CITATION.cff")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid" in done.stdout


def test_citation_cff_says_what_pyproject_says() -> None:
    """The citation's version, licence and authors are the package's."""
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == policykb.__version__
    assert cff["license"] == PYPROJECT["license"] == "MIT"
    assert [a["name"] for a in cff["authors"]] == [a["name"] for a in PYPROJECT["authors"]]


def test_license_is_the_mit_licence_of_the_authors() -> None:
    """LICENSE is the MIT licence, held by the package's authors, and points to the data's own."""
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert f"Copyright (c) 2026 {PYPROJECT['authors'][0]['name']}" in text
    assert "CC BY 4.0" in text


def test_the_data_licence_is_stated_where_the_data_is() -> None:
    """data/README.md and dataset.yaml give CC BY 4.0 and say quoted titles and labels belong to
    their publishers; the export carries the same licence (tests/test_dataset.py)."""
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    assert "## Licence" in readme and CC_BY in readme
    assert "belong to them" in readme
    dataset = load(REPO / "data").dataset
    assert dataset.licence == CC_BY
    assert dataset.rights is not None and "belong to them" in dataset.rights


def test_the_sdist_ships_the_licence_and_the_citation() -> None:
    """The source distribution includes LICENSE and CITATION.cff."""
    sdist = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    include = sdist["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    assert {"LICENSE", "CITATION.cff"} <= set(include)
