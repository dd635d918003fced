"""Issue #13, maintainers: what a maintainer tripped on in the first hour, on real files through
the real CLI (typer's CliRunner; ``make`` in a subprocess)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO, VALID
from policykb.cache import cache_dir
from policykb.cli import app
from policykb.datafiles.datadir import ENV_VAR, data_files, file_kind, locate_data_dir
from policykb.datafiles.scaffold import MODELINE, package_schemas

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No $POLICYKB_DATA from outside, and a cache of this test's own."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("POLICYKB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A maintainer's copy of a data directory (tests/data/valid) under my-copy/."""
    root = tmp_path / "my-copy"
    shutil.copytree(VALID, root)
    return root


def _broken_report(root: Path) -> Path:
    target = root / "reports" / "mine.yaml"
    text = (root / "reports" / "tiny-report.yaml").read_text("utf-8")
    target.write_text(
        text.replace("id: tiny-report", "id: mine").replace("publisher: oecd", "publisher: mintic"),
        "utf-8",
    )
    return target


# 1. The data-directory trap ------------------------------------------------------------------


def test_validate_inside_a_copied_data_directory_checks_that_directory(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cd my-copy && policykb validate` checks my-copy (here: finds its broken report), not the
    data shipped with policykb, and names the directory it checked."""
    _broken_report(copy)
    monkeypatch.chdir(copy)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1, result.output
    assert "reports/mine.yaml:5:12: unknown-reference: there is no organisation 'mintic'" in (
        result.stdout
    )
    assert "6 files in .: not valid, 1 error(s)" in result.stderr
    assert "shipped" not in result.stderr


def test_a_command_run_below_a_data_directory_uses_it_and_says_so(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From my-copy/reports/, `stats` and `validate` use my-copy and say that they do."""
    monkeypatch.chdir(copy / "reports")
    stats = runner.invoke(app, ["stats", "--format", "json"])
    assert stats.exit_code == 0, stats.output
    assert f"using the data directory {copy} (found above the current directory)" in stats.stderr
    assert json.loads(stats.stdout)["reports"] == 1  # my-copy's one report
    valid = runner.invoke(app, ["validate"])
    assert valid.exit_code == 0
    assert f"5 files in {copy}: valid" in valid.stderr


def test_the_data_directory_is_found_in_this_order(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--data, $POLICYKB_DATA, the current directory, its data/, a directory above, the shipped
    copy; only the last three are announced (the first three are what the user sees)."""
    outside = tmp_path / "outside"
    (outside / "data").mkdir(parents=True)
    monkeypatch.chdir(outside)
    assert locate_data_dir().origin == "shipped"
    assert "data shipped with policykb" in (locate_data_dir().note or "")
    shutil.copytree(VALID, outside / "data", dirs_exist_ok=True)
    assert (locate_data_dir().root, locate_data_dir().note) == (Path("data"), None)
    monkeypatch.chdir(copy)
    assert (locate_data_dir().root, locate_data_dir().note) == (Path(), None)
    monkeypatch.chdir(copy / "frameworks")
    assert (locate_data_dir().root, locate_data_dir().origin) == (copy, "parent")
    monkeypatch.setenv(ENV_VAR, str(outside / "data"))
    assert (
        locate_data_dir().note == f"using the data directory {outside / 'data'} (from ${ENV_VAR})"
    )
    assert locate_data_dir(copy).note is None


def test_the_shipped_data_is_named_when_no_data_directory_is_near(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run where there is no data directory, validate says it checked the shipped data."""
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = runner.invoke(app, ["validate"])
    assert "using the data shipped with policykb" in result.stderr


def test_a_directory_without_data_files_is_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--data data/reports stats` warns on stderr that the directory holds no data files (and
    where the data directory is, when it is the one above); `--data empty/ validate` says so as
    an error, exit 2: validating nothing is no success (issue #16.15)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["--data", "empty", "validate"])
    assert result.exit_code == 2
    assert "policykb: error: nothing to validate: 'empty' holds no data files" in result.stderr
    assert "policykb init DIR" in result.stderr
    stats = runner.invoke(app, ["--data", str(REPO / "data" / "reports"), "stats"])
    assert stats.exit_code == 0
    assert (
        f"'{REPO / 'data' / 'reports'}' holds no data files: it is the reports/ folder of the "
        f"data directory {REPO / 'data'} (pass --data {REPO / 'data'})" in stats.stderr
    )


def test_the_invalid_data_hint_names_the_same_data_option(copy: Path) -> None:
    """A query on invalid data given by --data says to run validate with that same --data."""
    _broken_report(copy)
    result = runner.invoke(app, ["--data", str(copy), "stats"])
    assert result.exit_code == 1
    assert f"(run 'policykb --data {copy} validate' to see them all)" in result.stderr


# 2. YAML syntax errors: the line, a caret, and a fix in plain words --------------------------

SYNTAX = [
    (
        "title: Digital Government: a review\n",
        (2, 26),
        "the value of 'title' contains ': '",
        "quote a value that contains ': ', as in title: \"Digital Government: a review\"",
    ),
    (
        "title: A tiny report\n  type: report\n",
        (3, 3),
        "this line is indented more than 'title' above it",
        "line it up with 'title' (column 1)",
    ),
    (
        "title A tiny report\ntype: report\n",
        (2, 6),
        "'title A tiny report' has no ':' after its key",
        "write it as key: value",
    ),
    (
        "source:\n    url: https://example.org\n  page: 3\n",
        (4, 3),
        "this line is indented less than line 3 above it",
        "indent it to column 5",
    ),
]


@pytest.mark.parametrize(("body", "where", "message", "hint"), SYNTAX, ids=lambda v: str(v)[:12])
def test_a_yaml_syntax_error_shows_its_line_with_a_caret_and_a_plain_hint(
    copy: Path, body: str, where: tuple[int, int], message: str, hint: str
) -> None:
    """Bad indentation, an unquoted ': ' and a missing colon are each located, explained in
    plain words with a fix, and shown as the offending line with a caret under the column."""
    target = copy / "reports" / "broken.yaml"
    target.write_text("id: broken\n" + body, "utf-8")
    result = runner.invoke(app, ["validate", str(target)])
    assert result.exit_code == 1
    first, shown, caret = result.stdout.splitlines()[:3]
    line, column = where
    assert f"broken.yaml:{line}:{column}: yaml-syntax: {message}" in first
    assert hint in first
    source = (target.read_text("utf-8").splitlines())[line - 1]
    assert shown == f"{line:>5} | {source}"
    assert caret.index("^") == shown.index("| ") + 2 + column - 1
    assert caret.strip() == "| " + " " * (column - 1) + "^" or caret.endswith("^")


# 3. Where organisations are defined ----------------------------------------------------------


def test_an_unknown_organisation_says_where_organisations_are_defined(copy: Path) -> None:
    """`there is no organisation 'mintic'` names the organisations file of that data directory."""
    _broken_report(copy)
    result = runner.invoke(app, ["--data", str(copy), "validate"])
    assert result.exit_code == 1
    assert (
        "unknown-reference: there is no organisation 'mintic' (organisations are defined in "
        f"{copy / 'organisations.yaml'})" in result.stdout
    )


# 4. Editor support that survives copying the data folder -------------------------------------


def test_the_shipped_schemas_are_the_package_schemas() -> None:
    """data/schemas/ holds exactly the package's JSON Schemas, byte for byte (no drift)."""
    shipped = {p.name: p.read_text("utf-8") for p in (REPO / "data" / "schemas").glob("*.json")}
    assert shipped == package_schemas(), (
        "data/schemas/ differs from src/policykb/schemas/: run 'policykb schema --write data'"
    )


def test_every_shipped_data_file_names_its_schema_inside_the_data_directory() -> None:
    """Each data file's first line is a modeline whose schema path stays inside data/ and
    names the schema of its kind, so a copied or cloned data folder keeps editor support."""
    root = (REPO / "data").resolve()
    wrong = []
    for path in data_files(root):
        first = path.read_text("utf-8").split("\n", 1)[0]
        kind = file_kind(path, root)
        target = (path.parent / first.removeprefix(MODELINE)).resolve()
        if (
            not first.startswith(MODELINE)
            or not target.is_relative_to(root)
            or target != root / "schemas" / f"{kind}.json"
        ):
            wrong.append(f"{path.relative_to(REPO)}: {first}")
    assert not wrong, "modelines that leave the data directory (see docs/maintainers.md):\n" + (
        "\n".join(wrong)
    )


def test_schema_write_puts_every_schema_into_a_data_directory(copy: Path) -> None:
    """`schema --write DIR` writes DIR/schemas/*.json as the package has them, and a second run
    leaves them be; the schemas folder is not read as data."""
    result = runner.invoke(app, ["schema", "--write", str(copy)])
    assert result.exit_code == 0, result.output
    written = {p.name: p.read_text("utf-8") for p in (copy / "schemas").glob("*.json")}
    assert written == package_schemas()
    assert f"wrote {copy / 'schemas' / 'report.json'}" in result.stderr
    again = runner.invoke(app, ["schema", "--write", str(copy)])
    assert f"{copy / 'schemas' / 'report.json'}: unchanged" in again.stderr
    assert not [p for p in data_files(copy) if "schemas" in p.parts]
    valid = runner.invoke(app, ["--data", str(copy), "validate"])
    assert valid.exit_code == 0
    assert "5 files in" in valid.stderr


def test_schema_needs_a_kind_or_write(copy: Path) -> None:
    """`schema` alone, or with both a KIND and --write, is a usage error (exit 2)."""
    assert runner.invoke(app, ["schema"]).exit_code == 2
    assert runner.invoke(app, ["schema", "report", "--write", str(copy)]).exit_code == 2


# 5. Templates and a new data directory -------------------------------------------------------

_KEY_LINE = re.compile(r"^(\s*(?:- )?)([a-z_]+):\s*(?:#.*)?$")


def _empty_values(text: str) -> list[tuple[int, str]]:
    """``(line number, key)`` of each key a template leaves without a value (not a key whose
    value is the indented block below it)."""
    lines = text.splitlines()
    found = []
    for number, line in enumerate(lines, 1):
        key = _KEY_LINE.match(line)
        if key is None or line.lstrip().startswith("#"):
            continue
        below = next(
            (n for n in lines[number:] if n.strip() and not n.lstrip().startswith("#")), ""
        )
        if len(below) - len(below.lstrip()) <= key.start(2):
            found.append((number, key.group(2)))
    return found


def _fill(text: str, values: list[tuple[str, str]]) -> str:
    """``text`` with its empty values filled, in order of appearance, from ``values``."""
    lines = text.splitlines()
    empty = _empty_values(text)
    assert [key for _, key in empty] == [key for key, _ in values]
    for (number, key), (_, value) in zip(empty, values, strict=True):
        indent = _KEY_LINE.match(lines[number - 1]).group(1)  # type: ignore[union-attr]
        lines[number - 1] = f"{indent}{key}: {value}"
    return "\n".join(lines) + "\n"


REPORT_VALUES = [
    ("title", "My new report"),
    ("publisher", "oecd"),
    ("year", "2024"),
    ("url", "https://example.org/mine"),
    ("countries", "[PAN]"),
    ("applies", "[tiny-framework]"),
    ("url", "https://example.org/mine"),
    ("text", "Do the thing, in our own words."),
    ("concepts", "[tiny-framework/privacy]"),
    ("section", "Recommendations"),
    ("page", "12"),
]
FRAMEWORK_VALUES = [
    ("title", "My framework"),
    ("defined_in", "tiny-report"),
    ("description", "What it is, in our own words."),
    ("report", "tiny-report"),
    ("section", "Chapter 1"),
    ("id", "first-pillar"),
    ("label", "First pillar"),
    ("id", "first-element"),
    ("label", "First element"),
]


@pytest.mark.parametrize(
    ("kind", "folder", "values"),
    [("report", "reports", REPORT_VALUES), ("framework", "frameworks", FRAMEWORK_VALUES)],
)
def test_a_new_template_validates_once_its_empty_values_are_filled(
    copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    folder: str,
    values: list[tuple[str, str]],
) -> None:
    """`new KIND ID` writes a commented template into the data directory; validate points at
    each empty value (file:line:col), and passes once they are filled."""
    monkeypatch.chdir(copy)
    result = runner.invoke(app, ["new", kind, "my-new"])
    assert result.exit_code == 0, result.output
    target = copy / folder / "my-new.yaml"
    text = target.read_text("utf-8")
    assert text.startswith(f"{MODELINE}../schemas/{kind}.json\n")
    assert (copy / "schemas" / f"{kind}.json").is_file()  # the modeline's schema came too
    unfilled = runner.invoke(app, ["validate", str(target)])
    assert unfilled.exit_code == 1
    issues = unfilled.stdout.splitlines()
    assert all(re.match(rf"{folder}/my-new\.yaml:\d+:\d+: ", i) for i in issues), issues
    assert {int(i.split(":")[1]) for i in issues} == {n for n, _ in _empty_values(text)}
    target.write_text(_fill(text, values), "utf-8")
    filled = runner.invoke(app, ["validate", str(target)])
    assert filled.exit_code == 0, filled.output
    assert "1 files in .: valid" in filled.stderr


def test_the_report_template_grades_its_recommendation_listed() -> None:
    """The report template's recommendation is `grade: listed`, the other grades named beside it
    as the schema has them."""
    from policykb.datafiles.scaffold import template
    from policykb.datafiles.schema import schema

    grades = schema("report")["$defs"]["recommendation"]["properties"]["grade"]["enum"]
    assert f"    grade: listed         # {' | '.join(grades)}\n" in template("report", "x")


def test_new_refuses_to_overwrite_a_bad_id_and_the_shipped_data(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`new` never replaces a file, refuses an id that is not a slug, and does not write into
    the data shipped with policykb when no data directory is near (exit 2 each)."""
    existing = copy / "reports" / "tiny-report.yaml"
    before = existing.read_bytes()
    result = runner.invoke(app, ["--data", str(copy), "new", "report", "tiny-report"])
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert existing.read_bytes() == before
    assert runner.invoke(app, ["--data", str(copy), "new", "report", "Not_A_Slug"]).exit_code == 2
    (tmp_path / "nowhere").mkdir()
    monkeypatch.chdir(tmp_path / "nowhere")
    shipped = runner.invoke(app, ["new", "report", "x"])
    assert shipped.exit_code == 2
    assert "policykb init DIR" in shipped.stderr


def test_init_starts_a_data_directory_that_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`init DIR` makes frameworks/, reports/, mappings/, organisations.yaml, schemas/ and a
    README; the result validates, is found from inside it, and init refuses to run twice."""
    result = runner.invoke(app, ["init", str(tmp_path / "kb")])
    assert result.exit_code == 0, result.output
    root = tmp_path / "kb"
    for folder in ("frameworks", "reports", "mappings", "schemas"):
        assert (root / folder).is_dir()
    assert (root / "README.md").is_file()
    assert {p.name for p in (root / "schemas").iterdir()} == set(package_schemas())
    monkeypatch.chdir(root)
    valid = runner.invoke(app, ["validate"])
    assert valid.exit_code == 0, valid.output
    assert "1 files in .: valid" in valid.stderr
    assert "warning:" not in valid.stderr
    new = runner.invoke(app, ["new", "report", "first"])
    assert new.exit_code == 0
    assert (root / "reports" / "first.yaml").is_file()
    again = runner.invoke(app, ["init", str(root)])
    assert again.exit_code == 2
    assert "already holds" in again.stderr


# 7. policykb cache clear, and make clean -----------------------------------------------------


def test_cache_clear_removes_the_cache_files_and_says_which(copy: Path) -> None:
    """`cache clear` removes policykb's cache files (only those), names them, and exits 0 when
    there is nothing to clear."""
    assert runner.invoke(app, ["--data", str(copy), "stats"]).exit_code == 0
    cached = sorted(cache_dir().glob("kb-*.pickle"))
    assert len(cached) == 1
    other = cache_dir() / "not-ours.txt"
    other.write_text("keep me", "utf-8")
    result = runner.invoke(app, ["cache", "clear"])
    assert result.exit_code == 0
    assert f"removed {cached[0]}" in result.stderr
    assert "1 cache file(s) removed" in result.stderr
    assert not cached[0].exists()
    assert other.exists()
    again = runner.invoke(app, ["cache", "clear"])
    assert again.exit_code == 0
    assert "nothing to clear" in again.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_clean_clears_the_projects_cache(copy: Path, tmp_path: Path) -> None:
    """`make clean` (on a copy of the Makefile whose .venv links to the policykb in use) clears the
    load cache through `policykb cache clear` before removing the virtual environment."""
    project = tmp_path / "project"
    (project / ".venv" / "bin").mkdir(parents=True)
    shutil.copy(REPO / "Makefile", project / "Makefile")
    # the policykb script beside the python running the tests (this checkout's .venv in make test)
    (project / ".venv" / "bin" / "policykb").symlink_to(Path(sys.executable).parent / "policykb")
    assert runner.invoke(app, ["--data", str(copy), "stats"]).exit_code == 0
    assert list(cache_dir().glob("kb-*.pickle"))
    done = subprocess.run(
        ["make", "clean"], cwd=project, capture_output=True, text=True, env=os.environ.copy()
    )
    assert done.returncode == 0, done.stderr
    assert not list(cache_dir().glob("kb-*.pickle"))
    assert not (project / ".venv").exists()


# 8. Documentation that works in a clone ------------------------------------------------------

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "data" / "README.md"]
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)[^)]*\)")


@pytest.mark.parametrize("page", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_resolves_to_a_file_in_the_repository(page: Path) -> None:
    """Each relative link of README.md, docs/*.md and data/README.md names a file or folder
    that a clone has (nothing outside the repository, such as ../shared/)."""
    broken = []
    for target in _LINK.findall(page.read_text("utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a URL or an anchor of the same page
        path = (page.parent / target.split("#", 1)[0]).resolve()
        if not path.exists() or not path.is_relative_to(REPO.resolve()):
            broken.append(target)
    assert not broken


@pytest.mark.parametrize("page", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_the_docs_never_say_python_m_policykb(page: Path) -> None:
    """No page tells a user to run `python -m policykb`: only the venv's python has it; the
    `policykb` command (or .venv/bin/policykb) is what works."""
    assert not re.findall(r"(?<!\.venv/bin/)python3? -m policykb", page.read_text("utf-8"))


def test_data_readme_names_no_file_outside_the_repository() -> None:
    """data/README.md does not send a reader to shared/ files a clone does not have."""
    text = (REPO / "data" / "README.md").read_text("utf-8")
    assert "shared/" not in text
