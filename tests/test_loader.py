"""The loader: data directory resolution, model building, source map and strict loading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import INVALID, REPO, place_fixture
from policykb import load, read
from policykb.datafiles.datadir import ENV_VAR, find_data_dir, shipped_data_dir
from policykb.errors import DataDirError, InvalidDataError
from policykb.model import LangText


def test_load_builds_the_model_from_the_files(valid_tree: Path) -> None:
    """Frameworks, reports, recommendations and crosswalks come out as the files say."""
    kb = load(valid_tree)
    assert [f.id for f in kb.frameworks] == ["other-framework", "tiny-framework"]
    framework = kb.framework("tiny-framework")
    assert framework is not None
    assert [p.id for p in framework.pillars] == ["governance", "trust"]
    assert [e.id for e in framework.pillars[0].elements] == ["leadership", "rules"]
    assert framework.pillars[1].label == LangText((("en", "Trust"), ("es", "Confianza")))
    report = kb.report("tiny-report")
    assert report is not None
    first, second = report.recommendations
    assert first.countries == ("CHL",)  # defaulted from the report's single country
    assert first.source.report == "tiny-report" and first.source.page == "14"
    assert second.grade == "candidate"
    assert kb.crosswalks[0].matches[0].relation == "close"


def test_file_order_does_not_change_the_knowledge_base(valid_tree: Path, tmp_path: Path) -> None:
    """Two directories with the same files (created in another order) load equal."""
    other = tmp_path / "other"
    (other / "reports").mkdir(parents=True)
    for name in sorted(p.name for p in (valid_tree / "frameworks").iterdir())[::-1]:
        (other / "frameworks").mkdir(exist_ok=True)
        shutil.copy(valid_tree / "frameworks" / name, other / "frameworks" / name)
    shutil.copytree(valid_tree / "mappings", other / "mappings")
    shutil.copy(valid_tree / "reports" / "tiny-report.yaml", other / "reports")
    shutil.copy(valid_tree / "organisations.yaml", other)
    assert load(other) == load(valid_tree)


def test_language_tags_are_stored_in_canonical_case(valid_tree: Path) -> None:
    """A label tagged pt-br is stored as pt-BR, so RDF round trips are lossless."""
    path = valid_tree / "frameworks" / "other-framework.yaml"
    path.write_text(
        path.read_text().replace(
            "label: Citizen control of their data",
            "label: {en: Citizen control of their data, pt-br: Controle do cidadão}",
        )
    )
    framework = load(valid_tree).framework("other-framework")
    assert framework is not None
    assert framework.pillars[0].label.values[1] == ("pt-BR", "Controle do cidadão")


def test_load_raises_with_every_issue_on_invalid_data(valid_tree: Path) -> None:
    """load() refuses invalid data, carrying the issues for the caller to show."""
    place_fixture(INVALID / "reports/unknown-concept.yaml", valid_tree)
    with pytest.raises(InvalidDataError) as caught:
        load(valid_tree)
    assert [i.code for i in caught.value.issues] == ["unknown-reference"]
    assert caught.value.exit_code == 1


def test_where_locates_items_for_other_tools(valid_tree: Path) -> None:
    """Corpus.where gives file and line of a report, recommendation, concept and organisation."""
    corpus = read(valid_tree)
    assert corpus.where("report:tiny-report")[1:] == (2, 1)
    file, line, _ = corpus.where("recommendation:tiny-report/r02")
    assert file.endswith("tiny-report.yaml") and line == 22
    assert corpus.where("concept:tiny-framework/privacy")[1] == 25
    assert corpus.where("organisation:srcei")[1] == 7


def test_reading_never_writes_under_the_data_directory(valid_tree: Path) -> None:
    """Reading and validating leave the data directory byte-for-byte as it was."""
    before = {p: p.read_bytes() for p in valid_tree.rglob("*") if p.is_file()}
    read(valid_tree)
    after = {p: p.read_bytes() for p in valid_tree.rglob("*") if p.is_file()}
    assert after == before


def test_data_dir_option_wins_over_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, valid_tree: Path
) -> None:
    """--data beats $POLICYKB_DATA, which beats ./data, which beats the shipped copy."""
    monkeypatch.setenv(ENV_VAR, str(valid_tree))
    assert find_data_dir(REPO / "data") == REPO / "data"
    assert find_data_dir() == valid_tree
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "frameworks").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "reports").mkdir(exist_ok=True)
    assert find_data_dir() == Path("data")
    shutil.rmtree(tmp_path / "data")
    assert find_data_dir() == shipped_data_dir()
    assert (shipped_data_dir() / "reports" / "chile-digital-identity.yaml").is_file()


def test_missing_data_dir_is_a_data_dir_error(tmp_path: Path) -> None:
    """A --data that does not exist stops with a DataDirError naming where it came from."""
    with pytest.raises(DataDirError, match="from --data"):
        find_data_dir(tmp_path / "absent")
