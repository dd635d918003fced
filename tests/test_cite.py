"""policykb cite: every report of the corpus in every format, each output read back by a parser
that did not write it (bibtexparser for pybtex's BibTeX, jsonschema-rs with the CSL-JSON
schema, rispy's reader), unverified DOIs left out, recommendations cited with a locator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema_rs
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from hypothesis import HealthCheck, given, settings
from pybtex.database import parse_string
from typer.testing import CliRunner

from policykb.cite import FORMATS, STYLES, cite, csl_item, references, unverified_doi
from policykb.cite.bibtex import ENTRY_TYPES
from policykb.cite.csl import CSL_TYPES
from policykb.cite.ris import RIS_TYPES
from policykb.cli import app
from policykb.datafiles.loader import load
from policykb.errors import AmbiguousError, NotFoundError
from policykb.model import (
    REPORT_TYPES,
    Contributor,
    KnowledgeBase,
    LangText,
    Organisation,
    Recommendation,
    Report,
    Source,
)
from test_rdf_roundtrip import knowledge_bases

TESTS = Path(__file__).parent
SHIPPED = TESTS.parent / "data"
CSL_SCHEMA = json.loads((TESTS / "data" / "csl" / "csl-data.json").read_text(encoding="utf-8"))
KB = load(SHIPPED)
REPORT_IDS = [r.id for r in KB.reports]
UNVERIFIED = [r.id for r in KB.reports if unverified_doi(r) is not None]
VERIFIED = [r.id for r in KB.reports if r.doi is not None and unverified_doi(r) is None]


def bibtex_entries(text: str, decode: bool = True) -> dict[str, Any]:
    """BibTeX read by bibtexparser, names split and (unless not ``decode``, as for the verbatim
    url and doi) LaTeX decoded: entries by key."""
    # names are split before LaTeX is decoded: the braces keep a corporate name whole
    middleware = [SeparateCoAuthors(), SplitNameParts()]
    library = bibtexparser.parse_string(
        text, append_middleware=[*middleware, LatexDecodingMiddleware()] if decode else middleware
    )
    assert library.failed_blocks == []
    return {entry.key: entry for entry in library.entries}


def unbraced(value: str) -> str:
    return value[1:-1] if value.startswith("{") and value.endswith("}") else value


@pytest.mark.parametrize("report_id", REPORT_IDS)
@pytest.mark.parametrize("output_format", FORMATS)
def test_every_report_in_every_format(report_id: str, output_format: str) -> None:
    """Every report of the shipped corpus cites in every format, the title in the output."""
    report = KB.report(report_id)
    assert report is not None
    text = cite(references(KB, [report_id]), output_format)
    if output_format == "text":
        assert report.title.casefold() in text.casefold()  # a style may title-case it
    elif output_format == "bibtex":
        (entry,) = bibtex_entries(text).values()
        assert unbraced(entry["title"]) == report.title
    else:
        assert report.title in text


@pytest.mark.parametrize("style", STYLES)
def test_every_report_renders_in_each_style(style: str) -> None:
    """The whole corpus as one reference list: one line per report, none lost or doubled."""
    text = cite(references(KB, REPORT_IDS), "text", style)
    lines = text.rstrip("\n").split("\n")
    assert len(lines) == len(REPORT_IDS)
    for report in KB.reports:
        assert sum(report.title.casefold() in line.casefold() for line in lines) >= 1


def test_csl_json_is_valid_under_the_csl_schema() -> None:
    """Every item is valid CSL-JSON (csl-data.json, v1.0), its type the one of the table."""
    items = json.loads(cite(references(KB, REPORT_IDS), "csl-json"))
    validator = jsonschema_rs.validator_for(CSL_SCHEMA)
    errors = [str(e) for e in validator.iter_errors(items)]
    assert errors == []
    assert [item["id"] for item in items] == REPORT_IDS
    for item, report in zip(items, KB.reports, strict=True):
        assert item["type"] == CSL_TYPES[report.type][0]
        assert item["author"]


def test_bibtex_written_by_pybtex_reads_back_with_bibtexparser() -> None:
    """bibtexparser reads pybtex's BibTeX of the whole corpus: keys, types, titles, authors,
    URLs and DOIs as the data has them."""
    text = cite(references(KB, REPORT_IDS), "bibtex")
    entries, verbatim = bibtex_entries(text), bibtex_entries(text, decode=False)
    assert list(entries) == REPORT_IDS
    for report in KB.reports:
        entry = entries[report.id]
        csl_type = CSL_TYPES[report.type][0]
        assert entry.entry_type == ENTRY_TYPES.get(csl_type, "misc")
        assert unbraced(entry["title"]) == report.title
        authors = [c for c in report.contributors if c.role == "author"]
        names = entry["author"]
        if authors:
            assert [" ".join(n.last) for n in names] == [c.name.split()[-1] for c in authors]
        else:
            (name,) = names
            assert unbraced(" ".join(name.last)) == str(KB.organisation(report.publisher).label)
        if report.url:
            assert verbatim[report.id]["url"] == report.url
        if report.id in VERIFIED:
            assert verbatim[report.id]["doi"] == report.doi


def test_bibtex_reads_back_with_pybtex_too() -> None:
    """pybtex's own parser reads the file it wrote: BibTeX, not a look-alike."""
    data = parse_string(cite(references(KB, REPORT_IDS), "bibtex"), "bibtex")
    assert list(data.entries) == REPORT_IDS


def test_ris_reads_back_with_rispy() -> None:
    """rispy's reader reads the RIS of the whole corpus: type, id, title, authors, year, URL."""
    records = rispy.loads(cite(references(KB, REPORT_IDS), "ris"))
    assert [r["id"] for r in records] == REPORT_IDS
    for record, report in zip(records, KB.reports, strict=True):
        kind = RIS_TYPES.get(CSL_TYPES[report.type][0])
        assert record["type_of_reference"] == {
            "legal-instrument": "LEGAL",
            "declaration": "GOVDOC",
        }.get(report.type, kind)
        assert record["title"] == report.title
        assert record["authors"]
        if report.year is not None:
            assert record["year"] == str(report.year)
        if report.url:
            assert record["urls"] == [report.url]


def test_the_types_table_covers_every_report_type() -> None:
    """Each report type has a CSL type, hence a BibTeX and a RIS type (docs/researchers.md)."""
    assert set(CSL_TYPES) == set(REPORT_TYPES)
    assert {t for t, _ in CSL_TYPES.values()} <= set(
        CSL_SCHEMA["items"]["properties"]["type"]["enum"]
    )


def test_the_corpus_has_unverified_dois() -> None:
    """The data calls some DOIs unverified (chile-digital-identity's among them)."""
    assert "chile-digital-identity" in UNVERIFIED
    assert VERIFIED


@pytest.mark.parametrize("report_id", UNVERIFIED)
def test_an_unverified_doi_is_not_printed_as_a_doi(report_id: str) -> None:
    """A DOI the data calls unverified is in no DOI field and no doi.org link, in any format;
    a note names it and says why."""
    report = KB.report(report_id)
    assert report is not None and report.doi is not None
    refs = references(KB, [report_id])
    item = json.loads(cite(refs, "csl-json"))[0]
    assert "DOI" not in item
    assert item["note"].startswith(f"Unverified DOI, not given as the DOI: {report.doi}.")
    (entry,) = bibtex_entries(cite(refs, "bibtex")).values()
    assert "doi" not in entry.fields_dict
    assert report.doi in entry["note"]
    (record,) = rispy.loads(cite(refs, "ris"))
    assert "doi" not in record
    assert any(report.doi in note for note in record["notes"])
    for style in STYLES:
        assert f"doi.org/{report.doi}" not in cite(refs, "text", style)


@pytest.mark.parametrize("report_id", VERIFIED)
def test_a_verified_doi_is_printed(report_id: str) -> None:
    """A DOI the data does not doubt is in every format's DOI field or link."""
    report = KB.report(report_id)
    assert report is not None and report.doi is not None
    refs = references(KB, [report_id])
    assert json.loads(cite(refs, "csl-json"))[0]["DOI"] == report.doi
    assert rispy.loads(cite(refs, "ris"))[0]["doi"] == report.doi
    assert f"https://doi.org/{report.doi}" in cite(refs, "text")


def test_unverified_doi_reads_the_datas_wording() -> None:
    """The sentences that doubt a DOI are found; one that names its source is not."""
    base = Report("r", "T", "report", "o", Source(), doi="10.1/x")
    assert unverified_doi(base) is None
    doubted = Report(
        "r",
        "T",
        "report",
        "o",
        Source(),
        doi="10.1/x",
        notes=("DOI not confirmed (inferred from the URL).",),
    )
    assert unverified_doi(doubted) == "DOI not confirmed (inferred from the URL)."
    sourced = Report(
        "r",
        "T",
        "report",
        "o",
        Source(note="Title and DOI from the cite-as line; series inferred."),
        doi="10.1/x",
    )
    assert unverified_doi(sourced) is None


def test_a_recommendation_is_cited_as_its_report_with_a_locator() -> None:
    """chl-di-05 (bare or qualified) cites its report, with its section as the locator."""
    (ref,) = references(KB, ["chl-di-05"])
    assert (ref.cited, ref.report) == ("chile-digital-identity/chl-di-05", "chile-digital-identity")
    assert ref.locator is not None and ref.locator.label == "section"
    text = cite([ref], "text")
    assert f"chile-digital-identity/chl-di-05: (Welby, 2019, Section {ref.locator.value})" in text
    bibtex = cite([ref], "bibtex")
    cited = f"\\cite[section {ref.locator.value}]{{chile-digital-identity}}"
    assert f"% chile-digital-identity/chl-di-05: {cited}" in bibtex
    (record,) = rispy.loads(cite([ref], "ris"))
    assert (
        f"Cited for chile-digital-identity/chl-di-05: section {ref.locator.value}"
        in record["notes"]
    )


def test_a_page_is_the_locator_when_the_source_gives_one() -> None:
    """A recommendation whose source gives a page is cited at that page, before its section."""
    rec = Recommendation("r1", "Do it.", ("CHL",), (), Source(section="Summary", page="14"))
    report = Report("a", "A report", "report", "o", Source(), year=2020, recommendations=(rec,))
    kb = KnowledgeBase(reports=(report,), organisations=(Organisation("o", LangText.of("Org")),))
    (ref,) = references(kb, ["a/r1"])
    assert ref.locator is not None and (ref.locator.label, ref.locator.value) == ("page", "14")
    assert "a/r1: (Org, 2020, p. 14)" in cite([ref], "text")
    assert "a/r1: (Org 2020, 14)" in cite([ref], "text", "chicago")
    assert "% a/r1: \\cite[p.~14]{a}" in cite([ref], "bibtex")


def test_one_report_cited_twice_is_one_reference() -> None:
    """A report and two of its recommendations: one item, entry and record; a note for each."""
    refs = references(KB, ["chile-digital-identity", "chl-di-01", "chl-di-05"])
    assert len(json.loads(cite(refs, "csl-json"))) == 1
    assert len(bibtex_entries(cite(refs, "bibtex"))) == 1
    (record,) = rispy.loads(cite(refs, "ris"))
    assert sum(n.startswith("Cited for") for n in record["notes"]) == 2
    text = cite(refs, "text")
    assert text.count("Digital Government in Chile – Digital Identity") == 1


def test_unknown_and_ambiguous_ids() -> None:
    """An id naming nothing is NotFoundError; a bare recommendation id two reports use is
    AmbiguousError, naming them."""
    with pytest.raises(NotFoundError):
        references(KB, ["no-such-report-or-recommendation"])
    with pytest.raises(NotFoundError):
        references(KB, ["chile-digital-identity/no-such-rec"])
    org = Organisation("o", LangText.of("Org"))
    rec_source = Source(page="3")
    rec = Recommendation("r1", "Do it.", ("CHL",), (), rec_source)
    kb = KnowledgeBase(
        reports=(
            Report("a", "A", "report", "o", Source(), recommendations=(rec,)),
            Report("b", "B", "report", "o", Source(), recommendations=(rec,)),
        ),
        organisations=(org,),
    )
    with pytest.raises(AmbiguousError, match="a/r1"):
        references(kb, ["r1"])


def test_names_and_corporate_authors() -> None:
    """Authors are split by BibTeX's rules (a particle stays with the family name); without
    authors the publisher is the corporate author; a blog's name is its container title."""
    org = Organisation("blog", LangText.of("A & B's blog"))
    people = (
        Contributor("Charlotte van Ooijen"),
        Contributor("Ana María Pérez", role="author"),
        Contributor("Someone Else", role="peer reviewer"),
    )
    paper = Report("p", "T", "working-paper", "blog", Source(), contributors=people, number="7")
    post = Report("q", "U", "blog-post", "blog", Source(), year=2020)
    kb = KnowledgeBase(reports=(paper, post), organisations=(org,))
    item = csl_item(kb, paper)
    assert item["author"] == [
        {"family": "van Ooijen", "given": "Charlotte"},
        {"family": "Pérez", "given": "Ana María"},
    ]
    assert (item["genre"], item["number"], item["publisher"]) == (
        "Working paper",
        "7",
        "A & B's blog",
    )
    blog = csl_item(kb, post)
    assert blog["author"] == [{"literal": "A & B's blog"}]
    assert blog["container-title"] == "A & B's blog" and "publisher" not in blog


def test_latex_special_characters_survive_bibtex() -> None:
    """A title with LaTeX's markup characters is written escaped (braces and carets spelt as
    commands, so that no brace goes unmatched) and reads back as it was; a URL with an
    underscore and a percent sign stays verbatim. Both parsers read the file."""
    title = "Costs & benefits: 50% of {x for $5_000 ^ #1 ~ a\\b"
    url = "https://example.org/a_b%20c#d"
    org = Organisation("o", LangText.of("O & Co"))
    report = Report("r", title, "report", "o", Source(), url=url, year=2020)
    kb = KnowledgeBase(reports=(report,), organisations=(org,))
    text = cite(references(kb, ["r"]), "bibtex")
    raw = bibtex_entries(text, decode=False)["r"]
    assert raw["url"] == url
    for spelt in (r"\&", r"50\%", r"\textbraceleft{}x", r"\$5\_000", r"\textasciicircum{}", r"\#1"):
        assert spelt in raw["title"]
    decoded = bibtex_entries(text)["r"]["title"]
    for part in ("Costs & benefits", "50%", "$5_000", "#1", "a\\b"):
        assert part in decoded
    assert list(parse_string(text, "bibtex").entries) == ["r"]


def test_cli_cite_prints_what_the_library_writes() -> None:
    """policykb cite -F csl-json prints the library's items; a recommendation's locator is said
    on stderr, since CSL-JSON items cannot carry it."""
    runner = CliRunner()
    result = runner.invoke(app, ["--data", str(SHIPPED), "cite", "chl-di-05", "-F", "csl-json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(cite(references(KB, ["chl-di-05"]), "csl-json"))
    assert (
        "note: cite chile-digital-identity/chl-di-05 as chile-digital-identity at section"
        in result.stderr
    )


def test_cli_cite_takes_the_format_from_the_suffix(tmp_path: Path) -> None:
    """-o refs.bib writes BibTeX, -o refs.ris RIS; an unknown suffix is a usage error (2)."""
    runner = CliRunner()
    for name, first in (("refs.bib", "@techreport{"), ("refs.ris", "TY  - RPRT")):
        target = tmp_path / name
        result = runner.invoke(
            app,
            ["--data", str(SHIPPED), "cite", "panama-digital-government-review", "-o", str(target)],
        )
        assert result.exit_code == 0, result.output
        assert target.read_text(encoding="utf-8").startswith(first)
    result = runner.invoke(
        app, ["--data", str(SHIPPED), "cite", "panama", "-o", str(tmp_path / "x.doc")]
    )
    assert result.exit_code == 2
    assert "known suffixes: .bib, .json, .ris, .txt" in result.stderr


def test_cli_cite_styles_and_errors() -> None:
    """--style chicago formats differently from APA; an unknown id exits 2 with one line."""
    runner = CliRunner()
    args = ["--data", str(SHIPPED), "cite", "data-driven-public-sector-wp33"]
    apa = runner.invoke(app, args)
    chicago = runner.invoke(app, [*args, "--style", "chicago"])
    assert apa.exit_code == chicago.exit_code == 0
    assert "van Ooijen, C., Ubaldi, B., & Welby, B. (2019)." in apa.stdout
    assert "van Ooijen, C., B. Ubaldi, and B. Welby. 2019." in chicago.stdout
    missing = runner.invoke(app, ["--data", str(SHIPPED), "cite", "no-such-thing"])
    assert missing.exit_code == 2
    assert missing.stderr.startswith("policykb: error: unknown report")


def test_cli_cite_says_what_a_partial_id_matched() -> None:
    """An id matched by part of a report's id or title is cited, with a note of what it matched."""
    runner = CliRunner()
    result = runner.invoke(
        app, ["--data", str(SHIPPED), "cite", "tallinn-declaration", "-F", "ris"]
    )
    assert result.exit_code == 0, result.output
    assert "ID  - tallinn-declaration-2017" in result.stdout
    assert "note: 'tallinn-declaration' matched report tallinn-declaration-2017" in result.stderr


def _one_line(text: str) -> str:
    return " ".join("".join(" " if ord(c) < 32 or 127 <= ord(c) < 160 else c for c in text).split())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kb=knowledge_bases())
def test_any_knowledge_base_cites_in_every_format(kb: KnowledgeBase) -> None:
    """Whatever the texts (empty, control characters, line breaks, LaTeX's and RIS's own
    syntax), every format is written and read back: CSL-JSON valid, BibTeX parsed whole, each
    RIS record with its id and its title on one line, text in both styles."""
    ids = [r.id for r in kb.reports]
    if not ids:
        return
    refs = references(kb, ids)
    items = json.loads(cite(refs, "csl-json"))
    assert jsonschema_rs.validator_for(CSL_SCHEMA).is_valid(items)
    library = bibtexparser.parse_string(cite(refs, "bibtex"))
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == ids
    records = rispy.loads(cite(refs, "ris"))
    assert [r["id"] for r in records] == ids
    assert [r.get("title", "") for r in records] == [_one_line(r.title) for r in kb.reports]
    for style in STYLES:
        assert cite(refs, "text", style)
