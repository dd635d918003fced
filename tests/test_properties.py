"""Property tests: no mutation of a valid document makes the validator raise; it only reports."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import VALID
from policykb import validate
from policykb.errors import CODES

DOCUMENTS = {
    "reports/tiny-report.yaml": yaml.safe_load((VALID / "reports/tiny-report.yaml").read_text()),
    "frameworks/tiny-framework.yaml": yaml.safe_load(
        (VALID / "frameworks/tiny-framework.yaml").read_text()
    ),
    "mappings/tiny-crosswalk.yaml": yaml.safe_load(
        (VALID / "mappings/tiny-crosswalk.yaml").read_text()
    ),
    "organisations.yaml": yaml.safe_load((VALID / "organisations.yaml").read_text()),
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(
        [
            "NO",
            "0123",
            "12:30",
            "CHL",
            "chl",
            "tiny-framework/x",
            "",
            "r01",
            "oecd",
            "https://x.org",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any]:
    name = draw(st.sampled_from(sorted(DOCUMENTS)))
    doc = yaml.safe_load(yaml.safe_dump(DOCUMENTS[name]))  # a deep copy
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(doc)))
        action = draw(st.sampled_from(["replace", "delete", "insert"]))
        if not path:
            doc = draw(values) if action == "replace" else doc
            continue
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if action == "replace":
            parent[last] = draw(values)
        elif action == "delete":
            del parent[last]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(values)
        else:
            parent.insert(last, draw(values))
        if not isinstance(doc, dict | list):
            break
    return name, doc


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=mutated())
def test_mutated_documents_give_issues_never_exceptions(
    case: tuple[str, Any], tmp_path: Path
) -> None:
    """Any structural mutation of a valid file yields only known, located issues."""
    name, doc = case
    root = tmp_path / "data"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(VALID, root)
    (root / name).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    report = validate([root])
    assert all(issue.code in CODES for issue in report.issues)
    assert all(issue.file for issue in report.issues)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(position=st.integers(0, 10_000), noise=st.binary(min_size=1, max_size=12))
def test_corrupted_bytes_give_issues_never_exceptions(
    position: int, noise: bytes, tmp_path: Path
) -> None:
    """Random bytes spliced into a valid file yield only known issues, never an exception."""
    root = tmp_path / "data"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(VALID, root)
    target = root / "reports" / "tiny-report.yaml"
    raw = target.read_bytes()
    at = position % (len(raw) + 1)
    target.write_bytes(raw[:at] + noise + raw[at:])
    report = validate([root])
    assert all(issue.code in CODES for issue in report.issues)
