"""Issue #13, researchers: what a researcher tripped on in the first hour with sparql, export
and the ontology (the validate --rdf dedupe is in test_first_hour_research_validate.py, the
--help examples in test_first_hour_research_help.py)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import Graph
from rdflib.compare import isomorphic
from rich.console import Console
from typer.testing import CliRunner, Result

from policykb.cli import app
from policykb.cli.linked import EXPORT_ALIASES, print_solutions
from policykb.datafiles.loader import load
from policykb.errors import UsageError
from policykb.linked import export
from policykb.linked import ontology as shipped
from policykb.linked.sparql import query, short
from policykb.linked.sparqlcheck import explain
from policykb.linked.vocab import PREFIXES

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURE = TESTS / "data" / "rdf" / "kb"
BASE = "https://w3id.org/policykb/"
BOUND = {"kb": BASE, **PREFIXES}
runner = CliRunner()


def cli(*args: str, data: Path = FIXTURE, **env: str) -> Result:
    """Run policykb on a data directory, bypassing the load cache."""
    return runner.invoke(app, ["--data", str(data), "--no-cache", *args], env=env or None)


def one_error_line(stderr: str) -> str:
    """The single 'policykb: error:' line of stderr (notes about the data directory aside)."""
    (line,) = [x for x in stderr.splitlines() if x.startswith("policykb: error:")]
    return line


# ------------------------------------------------------------------ sparql: errors with a fix


def test_unknown_prefix_is_one_line_with_the_fix() -> None:
    """An undeclared prefix exits 2 with one line naming it, its position and how to fix it,
    not the parser's list of character classes."""
    result = cli("sparql", "SELECT * WHERE { foo:bar ?p ?o }")
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert "unknown prefix 'foo:'" in line
    assert "at 1:18" in line
    assert "PREFIX foo: <" in line
    assert "use one of: kb, pkb, skos, dcterms" in line
    assert "['" not in line and "Traceback" not in result.stderr


def test_unknown_prefix_suggests_the_close_one_and_a_well_known_iri() -> None:
    """dct: suggests dcterms:; foaf: gets the declaration with FOAF's own IRI."""
    with pytest.raises(UsageError) as dct:
        query(load(FIXTURE), "SELECT * WHERE { ?s dct:title ?t }")
    assert "did you mean 'dcterms:'?" in str(dct.value)
    with pytest.raises(UsageError) as foaf:
        query(load(FIXTURE), "SELECT * WHERE { ?s foaf:name ?n }")
    assert "PREFIX foaf: <http://xmlns.com/foaf/0.1/>" in str(foaf.value)


def test_slash_in_a_prefixed_name_is_one_line_with_the_full_iri() -> None:
    """pkb:report/x exits 2 saying a prefixed name cannot hold '/', with the data IRI to write
    instead (pkb: is the ontology; data IRIs are under kb:)."""
    result = cli("sparql", "SELECT * WHERE { pkb:report/x ?p ?o }")
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert "a prefixed name cannot contain '/': pkb:report/x" in line
    assert "<https://w3id.org/policykb/report/x>" in line
    assert "['" not in line


@pytest.mark.parametrize("fix", ["full IRI", "escaped"])
def test_the_suggested_fix_answers(fix: str) -> None:
    """Both fixes the slash error offers (the full IRI, the escaped slash) run and answer."""
    broken = "SELECT ?title WHERE { kb:report/alpha-report dcterms:title ?title }"
    failed = cli("sparql", broken)
    assert failed.exit_code == 2
    line = one_error_line(failed.stderr)
    iri = re.search(r"<https://\S+>", line)
    escaped = re.search(r"kb:report\\/alpha-report", line)
    assert iri is not None and escaped is not None
    fixed = broken.replace("kb:report/alpha-report", iri[0] if fix == "full IRI" else escaped[0])
    answered = cli("sparql", fixed, "--format", "csv")
    assert answered.exit_code == 0, answered.stderr
    assert answered.stdout.splitlines()[1:] != []


@pytest.mark.parametrize(
    "text",
    [
        # a property path is not a slash in a name
        "SELECT ?s WHERE { ?s dcterms:subject/skos:inScheme ?o ",
        # names inside strings, IRIs and comments are not names
        "SELECT ?s WHERE { ?s rdf:value 'foo:bar/x' . <urn:x:y/z> ?p ?o # foo:bar/x\n",
        # a declared prefix is known
        "PREFIX foo: <http://example.org/> SELECT ?s WHERE { ?s foo:p ?o ",
    ],
)
def test_other_syntax_errors_keep_the_parsers_words(text: str) -> None:
    """A query broken otherwise (here: no closing brace) is not blamed on a name it holds."""
    assert explain(text, BOUND, BASE) is None
    with pytest.raises(UsageError) as caught:
        query(load(FIXTURE), text)
    assert "unknown prefix" not in str(caught.value)
    assert "cannot contain '/'" not in str(caught.value)


def test_a_mistake_after_the_parsers_error_is_not_blamed() -> None:
    """When the parser stopped before the unknown prefix, the parser's own message stands."""
    assert explain("SELEC ?x WHERE { foo:bar ?p ?o }", BOUND, BASE, (1, 1)) is None
    found = explain("SELECT * WHERE {\n  ?s ?p foo:bar }", BOUND, BASE, (2, 16))
    assert found is not None and (found.line, found.column) == (2, 9)


# ------------------------------------------------------------------ sparql: the ontology


def test_the_ontology_is_queried_by_default() -> None:
    """pkb:PolicyRecommendation rdfs:label ?l answers without any option; --no-ontology
    queries the data alone."""
    text = "SELECT ?l WHERE { pkb:PolicyRecommendation rdfs:label ?l }"
    result = cli("sparql", text, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["l", "policy recommendation"]
    alone = cli("sparql", text, "--format", "csv", "--no-ontology")
    assert alone.exit_code == 0
    assert alone.stdout.splitlines() == ["l"]


def test_the_library_queries_the_ontology_too() -> None:
    """policykb.linked.sparql.query includes the ontology by default, like the CLI."""
    kb = load(FIXTURE)
    text = "ASK { pkb:Pillar rdfs:subClassOf skos:Concept }"
    assert query(kb, text).boolean is True
    assert query(kb, text, ontology=False).boolean is False


# ------------------------------------------------------------------ sparql: tables at 80 columns


def iri_lines_whole(output: str, iris: set[str]) -> None:
    """Every IRI appears whole on one line of output."""
    lines = output.splitlines()
    broken = [iri for iri in iris if not any(iri in line for line in lines)]
    assert broken == [], broken


@pytest.mark.parametrize(
    "text",
    [
        # two columns: an IRI beside long text (a table)
        "SELECT ?rec ?text WHERE { ?rec a pkb:PolicyRecommendation ; rdf:value ?text ; "
        "dcterms:spatial country:CHL } ORDER BY ?rec LIMIT 8",
        # three IRI columns wider together than 80 (one block per solution)
        "SELECT ?rec ?concept ?scheme WHERE { ?rec a pkb:PolicyRecommendation ; "
        "dcterms:subject ?concept . ?concept skos:inScheme ?scheme } ORDER BY ?rec LIMIT 8",
        # IRIs and URL literals
        "SELECT ?report ?url WHERE { ?report a pkb:Publication ; schema:url ?url } "
        "ORDER BY ?report",
    ],
)
def test_table_cells_never_split_an_iri_at_80_columns(text: str) -> None:
    """At 80 columns, every IRI (and URL) of the answer appears whole on one line; a line is
    longer than 80 only to hold one word that is longer than that."""
    data = REPO / "data"
    kb = load(data)
    answer = query(kb, text)
    assert answer.rows, "the query should answer on the shipped data"
    values = {short(v) for row in answer.rows for v in row if v is not None}
    iris = {v for v in values if " " not in v}
    result = cli("sparql", text, data=data, COLUMNS="80")
    assert result.exit_code == 0, result.stderr
    iri_lines_whole(result.stdout, iris)
    assert all(len(x) <= 80 or len(x.split()) == 1 for x in result.stdout.splitlines())


def render(variables: list[str], rows: list[list[str]], width: int = 80) -> str:
    """What print_solutions prints on a console ``width`` columns wide."""
    console = Console(width=width, file=io.StringIO(), color_system=None)
    print_solutions(console, variables, rows)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return output


def test_a_table_that_fits_keeps_every_word_whole() -> None:
    """Columns are at least as wide as their longest word: ids and IRIs are never folded."""
    iri = "kb:report/chile-digital-identity/recommendation/chl-di-05"
    text = "Prioritise the development of ClaveÚnica so that citizens control their data " * 2
    output = render(["rec", "text"], [[iri, text], ["kb:org/x", "short"]])
    assert output.splitlines()[1].split() == ["rec", "text"]
    iri_lines_whole(output, {iri, "kb:org/x"})
    words = {w for line in output.splitlines() for w in line.split()}
    assert set(text.split()) <= words
    assert max(len(line) for line in output.splitlines()) <= 80


def test_solutions_too_wide_for_a_table_become_blocks() -> None:
    """When the IRIs cannot sit side by side, each solution is a block of variable/value
    lines, and an IRI longer than a line runs past it whole."""
    long_iri = "<https://example.org/" + "very-long-segment/" * 5 + "end>"
    rows = [[f"kb:framework/f/concept-{n:02d}-with-a-long-id", long_iri] for n in range(3)]
    output = render(["concept", "other"], rows)
    iri_lines_whole(output, {row[0] for row in rows} | {long_iri})
    assert output.splitlines()[0].startswith("concept  kb:framework/f/concept-00")
    assert "other" in output.splitlines() and f"  {long_iri}" in output.splitlines()


# ------------------------------------------------------------------ export: format aliases


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("ttl", "turtle"),
        ("TTL", "turtle"),
        ("nt", "ntriples"),
        ("n-triples", "ntriples"),
        ("rdf", "rdfxml"),
        ("xml", "rdfxml"),
        ("rdf/xml", "rdfxml"),
        ("json-ld", "jsonld"),
        ("JSON-LD", "jsonld"),
        ("turtle", "turtle"),
        ("ntriples", "ntriples"),
        ("rdfxml", "rdfxml"),
        ("jsonld", "jsonld"),
    ],
)
def test_export_accepts_the_usual_aliases(alias: str, canonical: str) -> None:
    """export -F ALIAS prints exactly what the format it stands for prints."""
    result = cli("export", "-F", alias)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == export.serialize(load(FIXTURE), canonical)


@pytest.mark.parametrize(
    ("name", "canonical"), [("kb.nt", "ntriples"), ("kb.jsonld", "jsonld"), ("kb.rdf", "rdfxml")]
)
def test_export_takes_the_format_from_the_output_suffix(
    tmp_path: Path, name: str, canonical: str
) -> None:
    """export -o kb.nt writes N-Triples (no more Turtle in a .nt file)."""
    target = tmp_path / name
    result = cli("export", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes() == export.serialize(load(FIXTURE), canonical)


def test_an_unknown_export_format_lists_the_names_and_aliases() -> None:
    """export -F ttll exits 2 with a suggestion and every name it accepts."""
    result = cli("export", "-F", "ttll")
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert "unknown export format 'ttll'" in line
    assert "did you mean 'ttl'?" in line
    assert "turtle (ttl)" in line and "ntriples (nt" in line and "rdfxml (rdf, xml" in line


def test_export_help_lists_the_aliases() -> None:
    """export --help names each format with its aliases."""
    result = runner.invoke(app, ["export", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    help_text = " ".join(re.sub("[│╭╮╰╯─]", " ", result.stdout).split())
    for output_format, aliases in EXPORT_ALIASES.items():
        listed = f"{output_format} ({', '.join(aliases)})" if aliases else output_format
        assert listed in help_text


# ------------------------------------------------------------------ ontology


def test_ontology_prints_the_ontology_and_the_shapes_as_one_turtle_document() -> None:
    """policykb ontology prints Turtle whose graph is the shipped ontology plus the shapes."""
    result = runner.invoke(app, ["ontology"])
    assert result.exit_code == 0, result.stderr
    both = Graph().parse(data=result.stdout_bytes, format="turtle")
    expected = Graph()
    for name in ("ontology.ttl", "shapes.ttl"):
        expected.parse(data=export.shipped_file(name), format="turtle")
    assert isomorphic(both, expected)
    assert len(list(parse(result.stdout_bytes, format=RdfFormat.TURTLE))) >= len(expected)


@pytest.mark.parametrize("part", ["ontology", "shapes"])
def test_ontology_only_one_part(part: str) -> None:
    """--only ontology|shapes prints that shipped file, byte for byte."""
    result = runner.invoke(app, ["ontology", "--only", part])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == export.shipped_file(f"{part}.ttl")


def test_ontology_output_file(tmp_path: Path) -> None:
    """-o FILE writes what stdout would show and says so on stderr."""
    target = tmp_path / "ontology.ttl"
    target.write_text("old")
    result = runner.invoke(app, ["ontology", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes() == shipped.turtle()
    assert result.stderr == f"wrote {target} ({target.stat().st_size:,} bytes)\n"


def test_ontology_output_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails part-way leaves the old file as it was, and no temporary file."""
    target = tmp_path / "ontology.ttl"
    target.write_text("old")

    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    result = runner.invoke(app, ["ontology", "-o", str(target)])
    assert result.exit_code == 2
    assert "No space left on device" in one_error_line(result.stderr)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["ontology.ttl"]


def test_ontology_into_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    """-o into a directory that does not exist exits 2 with one line, no traceback."""
    result = runner.invoke(app, ["ontology", "-o", str(tmp_path / "nope" / "o.ttl")])
    assert result.exit_code == 2
    assert "cannot write" in one_error_line(result.stderr)


def test_ontology_is_documented_for_researchers() -> None:
    """README's researchers row and docs/researchers.md show policykb ontology."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| researchers"))
    assert "`policykb ontology`" in row
    page = (REPO / "docs" / "researchers.md").read_text(encoding="utf-8")
    assert "$ policykb ontology" in page
