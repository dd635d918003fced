"""Shared fixtures: the small valid data tree, and a way to drop an invalid file into a copy."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
VALID = TESTS / "data" / "valid"
INVALID = TESTS / "data" / "invalid"
REPO = TESTS.parent


@pytest.fixture
def valid_tree(tmp_path: Path) -> Path:
    """A fresh copy of tests/data/valid that a test may change."""
    root = tmp_path / "data"
    shutil.copytree(VALID, root)
    return root


def place_fixture(fixture: Path, root: Path) -> Path:
    """Copy an invalid fixture into a data tree where it belongs; returns where it went.

    A fixture under ``invalid/organisations/`` replaces ``organisations.yaml``; others go into
    the folder of the same name, named after the id they hold (so they replace the valid file
    with that id), or after a first-line ``# as: NAME`` directive.
    """
    kind = fixture.parent.name
    if kind == "organisations":
        target = root / "organisations.yaml"
    else:
        text = fixture.read_bytes()
        named = re.match(rb"# as: (\S+)", text) or re.search(rb"(?m)^id: ([a-z0-9-]+)$", text)
        name = named.group(1).decode() if named else fixture.stem
        target = root / kind / (name if name.endswith(".yaml") else f"{name}.yaml")
    shutil.copyfile(fixture, target)
    return target
