"""The validator: every defect in tests/data/invalid is reported with its code at its line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import INVALID, REPO, place_fixture
from policykb import validate
from policykb.errors import CODES

# (fixture, [(code, line), ...]): the issues the fixture's own file must have, and no others.
CASES: list[tuple[str, list[tuple[str, int | None]]]] = [
    ("frameworks/bad-language-tag.yaml", [("wrong-type", 8)]),
    ("frameworks/duplicate-concept-id.yaml", [("duplicate-id", 10)]),
    ("frameworks/duplicate-label.yaml", [("duplicate-label", 13)]),
    ("frameworks/inconsistent-definition.yaml", [("inconsistent-definition", 3)]),
    ("frameworks/label-wrong-type.yaml", [("wrong-type", 8)]),
    ("frameworks/no-pillars.yaml", [("empty-value", 6)]),
    ("frameworks/notation-float.yaml", [("wrong-type", 9)]),
    ("frameworks/unknown-defined-in.yaml", [("unknown-reference", 3)]),
    ("mappings/bad-relation.yaml", [("bad-value", 6)]),
    ("mappings/conflicting-match.yaml", [("conflicting-match", 8)]),
    ("mappings/same-scheme-match.yaml", [("same-scheme-match", 4)]),
    ("mappings/skos-cycle.yaml", [("skos-cycle", 4)]),
    ("mappings/unknown-match-concept.yaml", [("unknown-reference", 5)]),
    ("organisations/duplicate-organisation.yaml", [("duplicate-id", 4)]),
    (
        "organisations/unknown-parent-and-country.yaml",
        [("unknown-reference", 6), ("unknown-country", 7)],
    ),
    ("reports/alias-bomb.yaml", [("alias", 9)]),
    ("reports/bad-doi.yaml", [("bad-format", 11)]),
    ("reports/bad-id.yaml", [("bad-id", 1), ("id-mismatch", 1)]),
    ("reports/bad-grade.yaml", [("bad-value", 16)]),
    ("reports/bad-type.yaml", [("bad-value", 3)]),
    ("reports/bad-url.yaml", [("bad-format", 6)]),
    ("reports/binary.yaml", [("binary-file", 2)]),
    ("reports/comment-only.yaml", [("empty-file", 1)]),
    # issue #16.10: ESC, \x01 and \uFFFE passed validation (a tab and a line break are fine)
    (
        "reports/control-character.yaml",
        [("control-character", 2), ("control-character", 13), ("control-character", 15)],
    ),
    ("reports/core-tag-float.yaml", [("forbidden-tag", 5)]),  # issue #16.11: crashed
    ("reports/core-tag-int.yaml", [("forbidden-tag", 5)]),  # issue #16.11: crashed
    ("reports/core-tag-str.yaml", [("forbidden-tag", 5)]),
    ("reports/duplicate-key.yaml", [("duplicate-key", 11)]),
    ("reports/duplicate-recommendation-id.yaml", [("duplicate-id", 16)]),
    ("reports/duplicate-report-id.yaml", [("duplicate-id", 2), ("id-mismatch", 2)]),
    ("reports/empty-file.yaml", [("empty-file", 1)]),
    ("reports/empty-text.yaml", [("empty-value", 13)]),
    ("reports/huge-number.yaml", [("bad-value", 5)]),  # issue #16.11: 5,000 digits crashed
    ("reports/id-mismatch.yaml", [("id-mismatch", 2)]),
    ("reports/lowercase-country.yaml", [("unknown-country", 7)]),
    ("reports/missing-countries.yaml", [("missing-field", 12)]),
    ("reports/missing-field.yaml", [("missing-field", 1)]),
    ("reports/missing-source.yaml", [("missing-field", 12)]),
    ("reports/non-utf8.yaml", [("encoding", 2)]),
    ("reports/norway-unquoted.yaml", [("ambiguous-scalar", 11), ("unknown-country", 11)]),
    ("reports/number-key.yaml", [("wrong-type", 11)]),
    ("reports/octal-string.yaml", [("ambiguous-scalar", 11)]),
    ("reports/python-tag.yaml", [("forbidden-tag", 2)]),
    ("reports/repeated-country.yaml", [("duplicate-value", 7)]),
    ("reports/sexagesimal.yaml", [("ambiguous-scalar", 11)]),
    ("reports/tab-indent.yaml", [("tab-indent", 4)]),
    ("reports/too-deep.yaml", [("too-deep", 2)]),
    ("reports/top-level-list.yaml", [("not-a-mapping", 1)]),
    ("reports/two-documents.yaml", [("yaml-syntax", 11)]),
    ("reports/unclosed-bracket.yaml", [("yaml-syntax", 11)]),  # the line of the unclosed [
    ("reports/unknown-actor.yaml", [("unknown-reference", 15)]),
    ("reports/unknown-concept.yaml", [("unknown-reference", 14)]),
    ("reports/unknown-country.yaml", [("unknown-country", 7)]),
    ("reports/unknown-field.yaml", [("unknown-field", 11)]),
    ("reports/unknown-framework.yaml", [("unknown-reference", 8)]),
    ("reports/unknown-publisher.yaml", [("unknown-reference", 4)]),
    ("reports/unqualified-concept.yaml", [("unknown-reference", 14)]),
    ("reports/wrong-type-year.yaml", [("wrong-type", 5)]),
]


def test_every_fixture_is_in_the_table() -> None:
    """No invalid fixture on disk is left out of the table (nor listed without a file)."""
    on_disk = {str(p.relative_to(INVALID)) for p in INVALID.glob("*/*.yaml")}
    assert on_disk == {name for name, _ in CASES}


def test_the_table_covers_at_least_25_defect_kinds() -> None:
    """The fixtures exercise at least 25 distinct issue codes, each one listed in CODES."""
    codes = {code for _, expected in CASES for code, _ in expected}
    assert codes <= set(CODES)
    assert len(codes) >= 25


def test_valid_tree_has_no_issues(valid_tree: Path) -> None:
    """The valid fixture tree validates with no issue at all."""
    report = validate([valid_tree])
    assert report.valid
    assert report.issues == ()
    assert report.files == 5


@pytest.mark.parametrize(("fixture", "expected"), CASES, ids=[c[0] for c in CASES])
def test_invalid_fixture_is_reported_at_its_line(
    fixture: str, expected: list[tuple[str, int]], valid_tree: Path
) -> None:
    """Each defect is reported with the expected code at the expected line of its file."""
    target = place_fixture(INVALID / fixture, valid_tree)
    before = target.read_bytes()
    report = validate([target])
    assert sorted((i.code, i.line) for i in report.issues) == sorted(expected)
    assert report.valid is all(CODES[code][0] == "warning" for code, _ in expected)
    assert all(i.file.endswith(target.name) for i in report.issues)
    assert target.read_bytes() == before  # validation never writes a data file


def test_issues_of_all_files_come_in_one_run(valid_tree: Path) -> None:
    """Defects in several files are all reported by one validation of the directory."""
    for fixture in (
        "reports/unknown-concept.yaml",
        "mappings/same-scheme-match.yaml",
        "organisations/unknown-parent-and-country.yaml",
    ):
        place_fixture(INVALID / fixture, valid_tree)
    codes = {i.code for i in validate([valid_tree]).issues}
    assert {"unknown-reference", "same-scheme-match", "unknown-country"} <= codes


def test_oversized_file_is_refused_without_reading_it(valid_tree: Path) -> None:
    """A file over the size limit is one file-too-large issue, found without parsing it."""
    from policykb.datafiles.yamlfile import MAX_FILE_BYTES

    big = valid_tree / "reports" / "big.yaml"
    with big.open("wb") as handle:
        handle.write(b"id: big\nnotes:\n")
        handle.write(b"  - x\n" * (MAX_FILE_BYTES // 6 + 10))
    report = validate([big])
    assert [(i.code, i.line) for i in report.issues] == [("file-too-large", None)]


def test_alias_bomb_is_refused_quickly(valid_tree: Path) -> None:
    """A billion-laughs document is refused in well under a second, never expanded."""
    target = place_fixture(INVALID / "reports/alias-bomb.yaml", valid_tree)
    started = time.perf_counter()
    report = validate([target])
    assert time.perf_counter() - started < 5
    assert [i.code for i in report.issues] == ["alias"]


def test_python_tag_is_never_executed(valid_tree: Path, tmp_path: Path) -> None:
    """A !!python/object/apply tag is an issue and its code does not run."""
    marker = tmp_path / "pwned"
    target = valid_tree / "reports" / "tiny-report.yaml"
    target.write_text(
        f"id: tiny-report\ntitle: !!python/object/apply:os.system ['touch {marker}']\n",
        encoding="utf-8",
    )
    report = validate([target])
    assert [i.code for i in report.issues] == ["forbidden-tag"]
    assert not marker.exists()


def test_unknown_reference_suggests_the_closest_concept(valid_tree: Path) -> None:
    """An unknown concept reference carries a 'did you mean' naming the closest concept."""
    target = place_fixture(INVALID / "reports/unknown-concept.yaml", valid_tree)
    (issue,) = validate([target]).issues
    assert issue.hint == "did you mean 'tiny-framework/privacy'?"
    assert str(issue).startswith(f"{issue.file}:14:")
    assert "unknown-reference: 'tiny-framework/privcy' is not a concept of tiny-framework" in str(
        issue
    )


def test_unquoted_norway_keeps_its_code_and_suggests_quoting(valid_tree: Path) -> None:
    """NO stays the string 'NO' (not False) and the issue says to quote it and use NOR."""
    target = place_fixture(INVALID / "reports/norway-unquoted.yaml", valid_tree)
    hints = {i.code: i.hint for i in validate([target]).issues}
    assert hints["ambiguous-scalar"] == "quote it: 'NO'"
    assert hints["unknown-country"] == "did you mean 'NOR' (Norway)?"


def test_validating_a_file_outside_a_data_directory_is_a_usage_error(tmp_path: Path) -> None:
    """A path that is not in a data directory stops with a PolicykbError (exit 2)."""
    from policykb.errors import DataDirError

    stray = tmp_path / "x.yaml"
    stray.write_text("id: x\n", encoding="utf-8")
    with pytest.raises(DataDirError):
        validate([stray / "missing"])


# (file in the valid tree, text replaced, replacement, (code, line, column, message)): one schema
# violation in each file kind, located at the offending key or value.
SCHEMA_CASES = [
    (
        "frameworks/tiny-framework.yaml",
        "        label: Rules and guidelines\n",
        "        label: Rules and guidelines\n        colour: blue\n",
        ("unknown-field", 19, 9, "unknown field 'colour' in pillars[0].elements[1]"),
    ),
    (
        "reports/tiny-report.yaml",
        "year: 2019\n",
        "year: 1850\n",
        ("bad-value", 6, 7, "year: 1850 is less than the minimum of 1900"),
    ),
    (
        "organisations.yaml",
        "    acronym: OECD\n",
        "    acronym: [OECD]\n",
        ("wrong-type", 5, 14, "organisations[0].acronym should be a text, not a list"),
    ),
    (
        "mappings/tiny-crosswalk.yaml",
        "    to: other-framework/control\n",
        "",
        ("missing-field", 4, 5, "required field 'to' is missing in matches[0]"),
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"), SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES]
)
def test_a_schema_violation_in_each_file_kind_is_located(
    name: str, old: str, new: str, expected: tuple[str, int, int, str], valid_tree: Path
) -> None:
    """A schema error in a framework, report, organisations or mapping file is one issue with
    its code, at the line and column of the offending key or value."""
    target = valid_tree / name
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    (issue,) = validate([target]).issues
    assert (issue.code, issue.line, issue.column, issue.message) == expected


def test_a_slug_with_a_trailing_newline_is_not_a_slug(valid_tree: Path) -> None:
    """An id written as a block scalar ('id: |') ends in a newline and is refused (bad-id).

    A pattern's '$' matches before a final newline in Python's re, so jsonschema (the former
    located-error pass) let 'r02\\n' through while the compiled pass refused it, and the file was
    taken as valid. jsonschema-rs matches '$' at the very end only.
    """
    target = valid_tree / "reports" / "tiny-report.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("  - id: r02\n", "  - id: |\n      r02\n"), encoding="utf-8")
    (issue,) = validate([target]).issues
    assert (issue.code, issue.line, issue.hint) == ("bad-id", 22, "try 'r02'")


def test_the_validator_of_each_kind_is_built_once_per_run(
    valid_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each kind's schema is compiled once, on first use, and reused for every file of that kind
    (the valid tree has two frameworks) and by later validations in the same process."""
    import jsonschema_rs

    from policykb.datafiles import schema

    built: list[str] = []
    real = jsonschema_rs.Draft202012Validator

    def counting(definition: dict[str, Any]) -> Any:
        built.append(definition["$id"].rsplit("/", 1)[-1].removesuffix(".json"))
        return real(definition)

    monkeypatch.setattr(jsonschema_rs, "Draft202012Validator", counting)
    schema._validator.cache_clear()
    try:
        assert validate([valid_tree]).valid
        assert validate([valid_tree]).valid
        (valid_tree / "frameworks" / "other-framework.yaml").write_text("id: 1\n", "utf-8")
        assert not validate([valid_tree]).valid
    finally:
        schema._validator.cache_clear()
    from policykb.datafiles.datadir import data_files, file_kind

    present = {file_kind(path, valid_tree) for path in data_files(valid_tree)}
    assert sorted(built) == sorted(present)  # each kind the tree holds, once
    assert present <= set(schema.KINDS)


def test_the_schema_library_is_imported_only_to_validate() -> None:
    """Importing the schema module or printing a schema loads no JSON Schema library."""
    code = (
        "import sys\n"
        "from policykb.cli import main\n"
        "import policykb.datafiles.schema\n"
        "sys.argv = ['policykb', 'schema', 'report']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "libraries = ('jsonschema_rs', 'jsonschema', 'fastjsonschema')\n"
        "heavy = [m for m in libraries if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert '"$id": "https://w3id.org/policykb/schema/report.json"' in result.stdout
    assert "HEAVY []" in result.stderr
