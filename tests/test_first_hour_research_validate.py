"""Issue #13, researchers: validate --rdf reports one defect once.

A typo in a reference used to be both a shacl-violation and an unknown-reference; a report that
failed to load made every file naming it break a shape. The located YAML issue, with its more
specific code, now stands alone; a violation that repeats nothing is still reported.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policykb.cli import app
from policykb.datafiles.loader import read
from policykb.datafiles.validation import ValidationReport
from policykb.linked.shacl import corpus_issues, with_shacl

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURE = TESTS / "data" / "rdf" / "kb"
runner = CliRunner()


def validate_rdf(root: Path) -> list[dict[str, object]]:
    """The issues of ``validate --rdf --format json`` on a data directory."""
    result = runner.invoke(app, ["validate", "--rdf", "--format", "json", str(root)])
    assert result.exit_code in (0, 1), result.output
    issues: list[dict[str, object]] = json.loads(result.stdout)["issues"]
    return issues


def misspell(path: Path, pattern: str) -> int:
    """Append 'x' to the first match of ``pattern`` (its group 1) in a file; the line changed."""
    text = path.read_text(encoding="utf-8")
    found = re.search(pattern, text, re.MULTILINE)
    assert found is not None, pattern
    path.write_text(text[: found.end(1)] + "x" + text[found.end(1) :], encoding="utf-8")
    return text.count("\n", 0, found.start(1)) + 1


def test_a_misspelt_concept_in_the_shipped_data_is_reported_once(tmp_path: Path) -> None:
    """On a copy of the real data directory, a misspelt concept of a recommendation is one
    unknown-reference at its line, in text and JSON, and no shacl-violation."""
    root = tmp_path / "data"
    shutil.copytree(REPO / "data", root)
    report = root / "reports" / "chile-digital-identity.yaml"
    line = misspell(report, r"^\s+concepts:\n\s+- (digital-identity-framework/[a-z-]+)")
    issues = validate_rdf(root)
    assert [(i["code"], i["line"]) for i in issues] == [("unknown-reference", line)]
    result = runner.invoke(app, ["validate", "--rdf", str(root)])
    assert result.exit_code == 1
    printed = [x for x in result.stdout.splitlines() if x.strip()]
    assert len(printed) == 1 and ": unknown-reference: " in printed[0]
    assert "1 error(s)" in result.stderr


@pytest.mark.parametrize(
    ("file", "pattern"),
    [
        ("reports/beta-post.yaml", r"concepts: \[(beta/needs)\]"),  # a concept
        ("reports/beta-post.yaml", r"^publisher: (agency)"),  # an organisation
        ("reports/beta-post.yaml", r"^defines: \[(beta)\]"),  # a framework
    ],
)
def test_each_misspelt_reference_is_one_unknown_reference(
    tmp_path: Path, file: str, pattern: str
) -> None:
    """Whatever kind of thing a typo names, validate --rdf reports it once, as the YAML
    check's unknown-reference."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    line = misspell(root / file, pattern)
    errors = [i for i in validate_rdf(root) if i["severity"] == "error"]
    assert [(i["code"], i["line"]) for i in errors] == [("unknown-reference", line)]


def test_a_report_that_does_not_load_does_not_break_the_files_naming_it(tmp_path: Path) -> None:
    """A report with a schema error is not in the knowledge base; the frameworks and
    organisations that cite it are not reported for it: only the report's own error is."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    report = root / "reports" / "beta-post.yaml"
    report.write_text(report.read_text().replace("publisher: agency\n", ""))
    shacl_alone = corpus_issues(read(root))
    assert shacl_alone, "the shapes do see the dangling citations"
    errors = [i for i in validate_rdf(root) if i["severity"] == "error"]
    assert [(i["code"], Path(str(i["file"])).name) for i in errors] == [
        ("missing-field", "beta-post.yaml")
    ]


def test_a_duplicate_id_is_reported_once(tmp_path: Path) -> None:
    """Two recommendations sharing an id share an IRI too; the shapes' 'exactly one text'
    that follows is not reported beside the duplicate-id."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    report = root / "reports" / "alpha-report.yaml"
    text = report.read_text()
    ids = re.findall(r"^  - id: (\S+)", text, re.MULTILINE)
    assert len(ids) >= 2
    report.write_text(text.replace(f"  - id: {ids[1]}\n", f"  - id: {ids[0]}\n", 1))
    codes = [i["code"] for i in validate_rdf(root) if i["severity"] == "error"]
    assert codes == ["duplicate-id"]


def test_a_violation_that_repeats_nothing_is_still_reported(tmp_path: Path) -> None:
    """A defect only the shapes see (here: a recommendation with no concepts, made in the
    model, not the YAML) is still a located shacl-violation."""
    corpus = read(FIXTURE)
    report = corpus.kb.reports[0]
    bare = replace(report.recommendations[0], concepts=())
    corpus.kb = replace(
        corpus.kb,
        reports=(
            replace(report, recommendations=(bare, *report.recommendations[1:])),
            *corpus.kb.reports[1:],
        ),
    )
    checked = with_shacl(ValidationReport(len(corpus.files), tuple(corpus.issues), (corpus,)))
    found = [i for i in checked.issues if i.code == "shacl-violation"]
    assert len(found) == 1
    assert f"recommendation {report.id}/{bare.id}" in found[0].message
    assert found[0].line is not None
