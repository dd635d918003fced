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
from policykb.linked.shacl import corpus_issues, item_of, with_shacl

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


def test_typos_in_the_shipped_data_are_each_reported_once(tmp_path: Path) -> None:
    """On a copy of the real data directory, typos in a recommendation's concept, a region's
    source, an index edition's framework and an observation's concept are each one located
    unknown-reference: no shacl-violation for them, nor for each observation an edition carries
    (the text form: test_cli_linked.py)."""
    root = tmp_path / "data"
    shutil.copytree(REPO / "data", root)
    typos = [
        ("reports/chile-digital-identity.yaml", r"^\s+concepts:\n\s+- ([a-z-]+/[a-z-]+)"),
        ("regions.yaml", r"^\s+report: ([a-z0-9-]+)"),  # a region's source
        ("scores/*.yaml", r"^index: ([a-z0-9-]+)"),  # an index edition's framework
        ("scores/*.yaml", r"^\s+dimension: ([a-z0-9-]+/[a-z0-9-]+)"),  # an observation's concept
    ]
    expected = []
    for pattern_files, pattern in typos:
        done = {name for _, name, _ in expected}
        target = next(
            p
            for p in sorted(root.glob(pattern_files))
            if p.name not in done and re.search(pattern, p.read_text(), re.MULTILINE)
        )
        expected.append(("unknown-reference", target.name, misspell(target, pattern)))
    errors = [i for i in validate_rdf(root) if i["severity"] == "error"]
    found = [(i["code"], Path(str(i["file"])).name, i["line"]) for i in errors]
    assert sorted(found) == sorted(expected)


def test_item_of_knows_regions_scores_and_adherence() -> None:
    """Violations about regions, index editions, observations and adherence statements are
    located in their files (source-map keys and paths)."""
    base = "https://w3id.org/policykb/"
    assert item_of(base + "region/lac#source") == ("region:lac", ("source",))
    assert item_of(base + "scores/dgi-2019") == ("scores:dgi-2019", ())
    assert item_of(base + "scores/dgi-2019/observation/3") == (
        "scores:dgi-2019",
        ("observations", 2),
    )
    assert item_of(base + "report/r/adherence/2#source") == (
        "report:r",
        ("adherents", 1, "source"),
    )
    assert item_of(base + "report/r/recommendation/x") == ("recommendation:r/x", ())


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
