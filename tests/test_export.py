"""Exports: every syntax parses to the same graph with rdflib and Oxigraph, bytes are stable,
writes are atomic, and ``--all`` / ``--check`` agree."""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from rdflib.compare import isomorphic

from policykb.datafiles.loader import load
from policykb.errors import UsageError
from policykb.linked import export, iris, mapping, parallel, rdf, turtle, vocab
from policykb.linked.rdf import Lit, Triple, graph_of, to_rdf
from policykb.model import (
    Adherence,
    Contributor,
    Crosswalk,
    Element,
    Framework,
    KnowledgeBase,
    LangText,
    Match,
    Observation,
    Organisation,
    Pillar,
    Recommendation,
    Region,
    Report,
    ScoreSet,
    Source,
)
from policykb.query import recommendations
from policykb.query.graph import to_graphml
from policykb.render import recommendations_csv
from test_rdf_roundtrip import knowledge_bases

TESTS = Path(__file__).parent
FIXTURE = TESTS / "data" / "rdf" / "kb"
SYNTAXES = {
    "turtle": ("turtle", ox.RdfFormat.TURTLE),
    "ntriples": ("nt", ox.RdfFormat.N_TRIPLES),
    "rdfxml": ("xml", ox.RdfFormat.RDF_XML),
    "jsonld": ("json-ld", ox.RdfFormat.JSON_LD),
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The fixture knowledge base."""
    return load(FIXTURE)


def oxigraph_graph(data: bytes, rdf_format: ox.RdfFormat) -> rdflib.Graph:
    """What Oxigraph parses from ``data``, as an rdflib graph for comparison."""
    rows: list[Triple] = []
    for t in ox.parse(data, format=rdf_format):
        o = t.object
        if isinstance(o, ox.Literal):
            string = o.datatype.value.endswith("#string")
            obj: str | Lit = Lit(
                o.value, o.language or None, None if o.language or string else o.datatype.value
            )
        else:
            obj = o.value
        rows.append((t.subject.value, t.predicate.value, obj))
    return graph_of(rows)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize("output_format", SYNTAXES)
def test_rdflib_and_oxigraph_parse_an_export_to_the_same_graph(
    kb: KnowledgeBase, output_format: str
) -> None:
    """Each RDF export parses, with rdflib and with Oxigraph, to a graph isomorphic to to_rdf."""
    rdflib_format, oxigraph_format = SYNTAXES[output_format]
    data = export.serialize(kb, output_format)
    expected = to_rdf(kb)
    by_rdflib = rdflib.Graph().parse(data=data, format=rdflib_format)
    assert isomorphic(by_rdflib, expected)
    assert isomorphic(oxigraph_graph(data, oxigraph_format), expected)


@pytest.mark.parametrize("output_format", list(export.FORMATS))
def test_same_data_same_bytes(kb: KnowledgeBase, output_format: str) -> None:
    """Exporting the same knowledge base twice gives the same bytes in every format."""
    assert export.serialize(kb, output_format) == export.serialize(load(FIXTURE), output_format)


def test_same_bytes_across_processes() -> None:
    """Separate processes with different hash seeds write byte-identical exports."""
    script = (
        "import sys; from pathlib import Path; from policykb.datafiles.loader import load; "
        "from policykb.linked.export import serialize; kb = load(Path(sys.argv[1])); "
        "sys.stdout.buffer.write(b''.join(serialize(kb, f) for f in "
        "('turtle', 'jsonld', 'ntriples', 'rdfxml')))"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.append(
            subprocess.run(
                [sys.executable, "-c", script, str(FIXTURE)],
                env=env,
                capture_output=True,
                check=True,
            ).stdout
        )
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 1000


def test_turtle_binds_the_prefixes(kb: KnowledgeBase) -> None:
    """The Turtle export declares the common prefixes and uses them."""
    text = export.serialize(kb, "turtle").decode()
    for prefix in ("skos", "dcterms", "pkb", "schema", "bibo", "prov", "org", "country"):
        assert f"@prefix {prefix}: <" in text
    assert "a skos:ConceptScheme" in text


def test_shipped_context_is_the_exports_context(kb: KnowledgeBase) -> None:
    """The published context.jsonld is exactly the @context the JSON-LD export inlines."""
    shipped = json.loads(export.shipped_file("context.jsonld"))
    assert shipped == export.jsonld_context()
    document = json.loads(export.serialize(kb, "jsonld"))
    assert {"@context": document["@context"]} == shipped
    assert any(node["@id"] == "kb:report/alpha-report" for node in document["@graph"])


def test_jsonld_context_follows_the_base_iri(kb: KnowledgeBase) -> None:
    """Under another base IRI, the inline context's kb prefix is that base."""
    document = json.loads(export.serialize(kb, "jsonld", "https://example.org/x/"))
    assert document["@context"]["kb"] == "https://example.org/x/"


def test_graphml_and_csv_come_from_the_query_modules(kb: KnowledgeBase) -> None:
    """GraphML is policykb.query.graph's and CSV is policykb.render's recommendations table."""
    assert export.serialize(kb, "graphml") == to_graphml(kb)
    assert export.serialize(kb, "csv") == recommendations_csv(recommendations(kb)).encode()


def test_unknown_format_is_a_usage_error(kb: KnowledgeBase) -> None:
    """Asking for a format that does not exist raises UsageError naming the choices."""
    with pytest.raises(UsageError, match="turtle"):
        export.serialize(kb, "yaml")


def test_write_atomic_replaces_the_file(tmp_path: Path) -> None:
    """An atomic write leaves the new content and no temporary file behind."""
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")
    export.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the final rename fails, the old file is intact and the temporary file is gone."""
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")

    def refuse(self: Path, other: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(UsageError, match="No space left"):
        export.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_write_into_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    """Writing where no directory exists raises UsageError, not a traceback."""
    with pytest.raises(UsageError, match="cannot write"):
        export.write_atomic(tmp_path / "no" / "such" / "file.ttl", b"x")


def test_all_then_check_is_fresh(kb: KnowledgeBase, tmp_path: Path) -> None:
    """A directory written by write_all has every file and is fresh for stale_files."""
    written = export.write_all(kb, tmp_path / "exports")
    assert sorted(p.name for p in written) == sorted(
        [*export.FORMATS.values(), "ontology.ttl", "shapes.ttl", "context.jsonld"]
    )
    assert export.stale_files(kb, tmp_path / "exports") == []


def test_check_lists_stale_and_missing(kb: KnowledgeBase, tmp_path: Path) -> None:
    """A changed file is stale and a deleted one missing; the rest are not listed."""
    directory = tmp_path / "exports"
    export.write_all(kb, directory)
    (directory / "policykb.ttl").write_bytes(b"# edited\n")
    (directory / "policykb.nt").unlink()
    assert export.stale_files(kb, directory) == [
        export.StaleFile("policykb.nt", "missing"),
        export.StaleFile("policykb.ttl", "stale"),
    ]


def test_check_sees_another_base_iri_as_stale(kb: KnowledgeBase, tmp_path: Path) -> None:
    """Exports written under one base IRI are stale for another."""
    export.write_all(kb, tmp_path, "https://example.org/x/")
    stale = {s.name for s in export.stale_files(kb, tmp_path)}
    assert {"policykb.ttl", "policykb.jsonld", "context.jsonld"} <= stale
    assert "ontology.ttl" not in stale


# ---------------------------------------------------------------------------------------------
# The mapping's Turtle: byte for byte what pyoxigraph writes for the same triples

SHIPPED = TESTS.parent / "data"
TURTLE_PREFIXES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in rdf.PREFIXES.items())


def pyoxigraph_turtle(kb: KnowledgeBase, base: str = rdf.DEFAULT_BASE_IRI) -> bytes:
    """The reference: pyoxigraph's own serialisation of the triples the export holds (parsed
    back and written again), so the export must be a fixed point of pyoxigraph's serialiser."""
    return rdf.oxigraph_turtle(rdf.triples(kb, base))


def pyoxigraph_object(term: ox.NamedNode | ox.Literal) -> str:
    """How pyoxigraph's Turtle serialiser writes ``term`` as an object."""
    node = ox.NamedNode("urn:s")
    data = ox.serialize(
        [ox.Triple(node, node, term)], format=ox.RdfFormat.TURTLE, prefixes=rdf.PREFIXES
    ).decode()
    prefixes, subject, statement = data.partition("\n<urn:s> <urn:s> ")
    assert prefixes.startswith("@prefix ") and subject and statement.endswith(" .\n")
    return statement.removesuffix(" .\n")


@pytest.mark.parametrize("root", [FIXTURE, SHIPPED], ids=["fixture", "shipped"])
@pytest.mark.parametrize("base", [rdf.DEFAULT_BASE_IRI, "http://example.org/kb/"])
def test_turtle_is_what_pyoxigraph_writes(root: Path, base: str) -> None:
    """The Turtle export equals pyoxigraph's serialisation of rdf.triples, byte for byte."""
    kb = load(root)
    assert iris.plain(kb, rdf.check_base_iri(base))  # the direct writer, not the fallback
    data = export.serialize(kb, "turtle", base)
    assert data == pyoxigraph_turtle(kb, base)
    assert data.count(b"\n\t") > 100


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kb=knowledge_bases())
def test_turtle_of_any_knowledge_base_is_what_pyoxigraph_writes(kb: KnowledgeBase) -> None:
    """For any knowledge base (any text, empty and repeated lists, unknown types …)."""
    assert rdf.turtle(kb) == pyoxigraph_turtle(kb)


def every_branch_kb() -> KnowledgeBase:
    """A knowledge base with every optional field set twice over and odd values in each."""
    odd = 'tab\there "quoted" back\\slash\nnew\rline \x00\x1f\x7f \ufffe\uffff é – 😀 \u2028'
    source = Source("r", odd, "§ 2", "12-13", "https://example.org/a?b=c d", odd)
    label = LangText((("en", "One"), ("EN-gb", "One"), ("zh-Hant-TW", odd)))
    element = Element(
        "e", label, label, "1.1", (label, label, LangText(())), source, True, (odd, odd)
    )
    pillar = Pillar(
        "p", LangText(()), None, None, (), None, elements=(element, Element("f", label))
    )
    framework = Framework(
        "fw",
        odd,
        source,
        "r",
        description=odd,
        alt_titles=(odd, odd, "x"),
        pillars=(pillar, Pillar("q", label, inferred=True, notes=("n",))),
        notes=("n",),
        gaps=(odd, odd),
        version=odd,
        replaces="fw0",
        uses="fw0",
    )
    earlier = Framework("fw0", "t", source, version="1")
    recommendation = Recommendation(
        "r1",
        odd,
        ("CHL", "XKX", "CHL"),
        ("fw/e", "fw/e"),
        Source(),
        "guessed",  # type: ignore[arg-type]  # not a mapping policykb knows: a literal
        "withdrawn",  # type: ignore[arg-type]
        ("o", "o", "p"),
        odd,
        (odd, odd),
        ("west", "west", "east"),
        odd,
    )
    reports = (
        Report(
            "r",
            odd,
            "pamphlet",
            "o",
            source,
            year=7,
            date="2024-02-30",
            series=odd,
            number="1",
            doi="10.1/x",
            isbn="978",
            url=odd,
            language="en",
            alt_titles=(odd,),
            contributors=(Contributor(odd, odd, odd, odd), Contributor("b")),
            countries=("PAN",),
            compares=("NOR", "AUT", "NOR"),
            defines=("fw", "fw"),
            applies=("fw",),
            summary=odd,
            recommendations=(recommendation, Recommendation("r2", "", (), (), source)),
            gaps=(odd, odd),
            notes=(odd,),
            regions=("west", "east"),
            adherents=(
                Adherence(("CHL", "PAN", "CHL"), source, 2017, odd),
                Adherence(("PAN",), Source()),
            ),
        ),
        Report("s", "t", "standard", "o", source, date="2024-02"),
        Report("t", "t", "review", "o", source, date="2024"),
        Report("u", "t", "report", "o", source, date="2024-02-29"),
        Report("v", "t", "blog-post", "o", source, date="soon"),
    )
    organisations = (
        Organisation("o", label, odd, "CHL", "p", odd, source),
        Organisation("p", LangText(())),
    )
    match = Match("fw/e", "fw/f", "close", odd)
    crosswalk = Crosswalk("c", odd, (match, match, Match("fw/f", "fw/e", "exact", "")), source, odd)
    regions = (
        Region("east", label, ("CHL", "PAN", "CHL"), source),
        Region("west", LangText(())),
    )
    observations = (
        Observation("CHL", 0.79),
        Observation("CHL", 1e-07, "fw/e", source, odd),
        Observation("PAN", 12.0, "fw/p"),
    )
    scores = (ScoreSet("s1", odd, "fw", odd, source, odd, "r", observations, (odd,), (odd,)),)
    return KnowledgeBase(
        (framework, earlier), reports, organisations, (crosswalk,), regions, scores
    )


def test_turtle_writer_covers_every_branch() -> None:
    """Every optional field set twice over, odd values in each: still pyoxigraph's bytes."""
    kb = every_branch_kb()
    assert iris.plain(kb, rdf.DEFAULT_BASE_IRI)
    data = rdf.turtle(kb)
    assert data == pyoxigraph_turtle(kb)
    for spelt in (
        b"a pkb:Publication ;",
        b'pkb:mapping "guessed"',
        b'"1.1"',
        b"@zh-hant-tw",
        b"pkb:inferred true",
        b"dcterms:isReplacedBy",
        b"a qb:Observation",
        b"sdmx-measure:obsValue 0.0000001",
        b"a pkb:Adherence",
        b"pkb:grade",
    ):
        assert spelt in data, spelt


def test_empty_knowledge_base(tmp_path: Path) -> None:
    """No triples: no Turtle at all (pyoxigraph writes no prefixes either), in every syntax."""
    kb = KnowledgeBase()
    assert rdf.turtle(kb) == pyoxigraph_turtle(kb) == b""
    for output_format in ("ntriples", "rdfxml"):
        assert export.serialize(kb, output_format) == reference(kb, output_format)


@pytest.mark.parametrize(
    ("change", "base"),
    [
        ("report id with a dot", rdf.DEFAULT_BASE_IRI),
        ("recommendation ids repeat", rdf.DEFAULT_BASE_IRI),
        ("concept ids repeat", rdf.DEFAULT_BASE_IRI),
        ("non-ASCII country code", rdf.DEFAULT_BASE_IRI),
        ("qualified id without a slash", rdf.DEFAULT_BASE_IRI),
        ("base under a prefix", "https://schema.org/"),
    ],
)
def test_knowledge_bases_the_writer_does_not_vouch_for_go_through_pyoxigraph(
    kb: KnowledgeBase, change: str, base: str
) -> None:
    """Odd ids (which might make invalid or merged IRIs) and a base IRI under a prefix's
    namespace (data IRIs would be written prefixed) take the pyoxigraph path: same output."""
    report = kb.reports[0]
    rec = report.recommendations[0]
    changed = {
        "report id with a dot": lambda: replace(kb, reports=(replace(report, id="a.b"),)),
        "recommendation ids repeat": lambda: replace(
            kb, reports=(replace(report, recommendations=(rec, rec)),)
        ),
        "concept ids repeat": lambda: replace(
            kb,
            frameworks=(
                replace(
                    kb.frameworks[0],
                    pillars=(*kb.frameworks[0].pillars, kb.frameworks[0].pillars[0]),
                ),
            ),
        ),
        "non-ASCII country code": lambda: replace(
            kb, reports=(replace(report, countries=("ÇHL",)),)
        ),
        "qualified id without a slash": lambda: replace(
            kb, reports=(replace(report, recommendations=(replace(rec, concepts=("x",)),)),)
        ),
        "base under a prefix": lambda: kb,
    }[change]()
    assert not iris.plain(changed, rdf.check_base_iri(base))
    assert rdf.turtle(changed, base) == pyoxigraph_turtle(changed, base)


@pytest.mark.parametrize(
    ("report_id", "base"),
    [("a b", rdf.DEFAULT_BASE_IRI), ("a", "https://example.org/100%zz/")],
)
def test_an_invalid_iri_still_fails(report_id: str, base: str) -> None:
    """An id or base that cannot be part of an IRI is refused by pyoxigraph, as it always was."""
    kb = KnowledgeBase(reports=(Report(report_id, "t", "report", "o", Source()),))
    with pytest.raises(ValueError, match="IRI"):
        rdf.turtle(kb, base)


def test_strings_are_escaped_as_oxigraph_escapes_them() -> None:
    """Every code point, in a plain, a language-tagged and a typed literal."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert turtle.quoted(every) == pyoxigraph_object(ox.Literal(every))
    tagged = rdf.Lit(every, "en")
    assert turtle.literal(tagged) == pyoxigraph_object(ox.Literal(every, language="en"))
    typed = rdf.Lit(every, None, vocab.ANY_URI)
    assert turtle.literal(typed) == pyoxigraph_object(
        ox.Literal(every, datatype=ox.NamedNode(vocab.ANY_URI))
    )


@pytest.mark.parametrize(
    ("value", "datatype"),
    [
        *((v, vocab.INTEGER) for v in ("1", "-12", "+3", "007", "1.0", "", "1e3", " 1", "١")),
        *((v, vocab.XSD_NS + "decimal") for v in ("1.5", "-.5", "+0.0", "1.", "1", ".")),
        *((v, vocab.XSD_NS + "double") for v in ("1e3", "1.5E-2", ".5e1", "1.e1", "e3", "1.5")),
        *((v, vocab.XSD_NS + "boolean") for v in ("true", "false", "1", "True")),
        ("2024", vocab.G_YEAR),
        ("x", vocab.STRING),
    ],
)
def test_bare_numbers_as_oxigraph_writes_them(value: str, datatype: str) -> None:
    """Integers, decimals, doubles and booleans in Turtle's short form when their lexical form
    allows it, quoted and typed otherwise."""
    literal = ox.Literal(value, datatype=ox.NamedNode(datatype))
    assert turtle.literal(rdf.Lit(value, None, datatype)) == pyoxigraph_object(literal)


@pytest.mark.parametrize(
    "local",
    ["CHL", "-X", "_x", "1a", "a.b", "a.", ".a", "é", "a~b", "a:b", "a/b", "a%20b", "a·b", "a'b"],
)
def test_iris_as_oxigraph_writes_them(local: str) -> None:
    """An IRI under a prefix: prefix:local, escaped as Oxigraph escapes it, or <…> when it
    can't be written so; constants of the vocabulary likewise."""
    for iri in (vocab.COUNTRY_NS + local, vocab.PKB_NS + local, "http://example.org/" + local):
        assert turtle.iri(iri) == pyoxigraph_object(ox.NamedNode(iri)), iri
    assert turtle.iri(vocab.COUNTRY_NS) == "country:"


def test_turtle_starts_with_pyoxigraphs_prefixes() -> None:
    """The prefix lines are pyoxigraph's own (its order: longest namespace first)."""
    prefixes = turtle.prefix_lines().decode()
    assert sorted(prefixes.splitlines()) == sorted(TURTLE_PREFIXES.splitlines())


def reference(kb: KnowledgeBase, output_format: str) -> bytes:
    """N-Triples or RDF/XML as pyoxigraph serialises the triples of ``kb``."""
    formats = {"ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}
    prefixes = None if output_format == "ntriples" else rdf.PREFIXES
    data = ox.serialize(
        rdf.oxigraph_triples(rdf.triples(kb)), format=formats[output_format], prefixes=prefixes
    )
    assert isinstance(data, bytes)
    return data


@pytest.mark.parametrize("output_format", ["ntriples", "rdfxml"])
@pytest.mark.parametrize("root", [FIXTURE, SHIPPED], ids=["fixture", "shipped"])
def test_other_syntaxes_are_what_pyoxigraph_writes(root: Path, output_format: str) -> None:
    """N-Triples and RDF/XML, re-serialised from the Turtle, equal pyoxigraph's serialisation
    of the triples themselves: same triples, same order, same bytes."""
    kb = load(root)
    assert export.serialize(kb, output_format) == reference(kb, output_format)


def test_export_turtle_does_not_import_rdflib(tmp_path: Path) -> None:
    """`policykb export --format turtle` never loads rdflib, with a cold cache or a warm one."""
    script = (
        "import sys\n"
        "from policykb.cli import main\n"
        f"sys.argv = ['policykb', '--data', {str(FIXTURE)!r}, 'export', '--format', 'turtle',"
        f" '--output', {str(tmp_path / 'kb.ttl')!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "assert 'rdflib' not in sys.modules, sorted(m for m in sys.modules if 'rdflib' in m)\n"
    )
    env = {**os.environ, "POLICYKB_CACHE_DIR": str(tmp_path / "cache")}
    for _ in ("cold", "warm"):
        subprocess.run([sys.executable, "-c", script], env=env, check=True)
    assert (tmp_path / "kb.ttl").read_bytes() == pyoxigraph_turtle(load(FIXTURE))


# ---------------------------------------------------------------------------------------------
# Streaming, and the second half of the reports written by a forked process


def many_reports_kb(copies: int) -> KnowledgeBase:
    """The shipped data with its reports repeated ``copies`` times under new ids."""
    kb = load(SHIPPED)
    reports = tuple(
        replace(report, id=f"{report.id}-{n}") for n in range(copies) for report in kb.reports
    )
    return replace(kb, reports=tuple(sorted(reports, key=lambda r: r.id)))


def written(kb: KnowledgeBase, jobs: int) -> bytes:
    out = io.BytesIO()
    size = rdf.write_turtle(kb, out, jobs=jobs)
    assert size == len(out.getvalue())
    return out.getvalue()


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the processes rdf forks (the real os.fork, counted)."""
    pids: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(parallel.os, "fork", counted_fork)
    return pids


needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")


@needs_fork
def test_a_large_knowledge_base_is_written_by_two_processes_to_the_same_bytes(
    forks: list[int],
) -> None:
    kb = many_reports_kb(250)  # 4,750 recommendations: over the threshold
    assert sum(len(r.recommendations) for r in kb.reports) >= parallel.MIN_RECOMMENDATIONS
    serial = written(kb, jobs=1)
    assert forks == []
    assert written(kb, jobs=2) == serial
    assert len(forks) == 1
    assert serial == pyoxigraph_turtle(kb)


@needs_fork
@pytest.mark.parametrize("which", ["every branch", "shipped"])
def test_the_halves_join_into_the_serial_bytes(
    which: str, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Countries named only in the child's half still get their nodes, in the same place."""
    if which == "every branch":
        kb = every_branch_kb()
        fiji = tuple(Recommendation(f"z{i}", "t", ("FJI",), ("fw/e",), Source()) for i in (1, 2))
        last = Report("zz", "t", "report", "o", Source(), recommendations=fiji)
        kb = replace(kb, reports=(*kb.reports, last))  # r and zz have 2 each: zz is the child's
        assert b"country:FJI a dcterms:Location" in written(kb, jobs=1)
    else:
        kb = load(SHIPPED)
    monkeypatch.setattr(parallel, "MIN_RECOMMENDATIONS", 0)
    assert written(kb, jobs=2) == written(kb, jobs=1) == pyoxigraph_turtle(kb)
    assert len(forks) == 1  # the jobs=2 call forks, jobs=1 never does


def _exits(status: int) -> Any:
    """A child that says its half is plain, then leaves garbage (status 0) or fails."""

    def child(kb: Any, base: str, start: int, stop: int, spill: Any, verdict: int) -> None:
        ids = "\n".join(r.id for r in kb.reports_between(start, stop))
        os.write(verdict, b"+" + ids.encode())
        os.close(verdict)
        if status == 0:
            spill.write(b"garbage that does not end as a child's spill file ends")
            spill.flush()
        os._exit(status)

    return child


@needs_fork
@pytest.mark.parametrize("status", [0, 3], ids=["garbled spill file", "child fails"])
def test_a_child_that_fails_leaves_the_parent_to_write_everything(
    status: int, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = load(SHIPPED)
    monkeypatch.setattr(parallel, "MIN_RECOMMENDATIONS", 0)
    monkeypatch.setattr(parallel, "_child_reports", _exits(status))
    assert written(kb, jobs=2) == pyoxigraph_turtle(kb)
    assert len(forks) == 1


@needs_fork
def test_a_child_that_raises_exits_and_never_runs_the_parents_code() -> None:
    """An exception in the child ends the child there: it never goes on as a second parent.

    Run in a process of its own, which prints one line when write_turtle returns: a child that
    escaped into the caller's code would print a second one (or a traceback).
    """
    script = (
        "import io, os\n"
        "from pathlib import Path\n"
        "from policykb.linked import parallel, rdf\n"
        "from policykb.datafiles.loader import load\n"
        "def raising_child(*args):\n"
        "    raise RuntimeError('the child fails before its verdict')\n"
        "parallel.MIN_RECOMMENDATIONS = 0\n"
        "parallel._child_reports = raising_child\n"
        f"kb = load(Path({str(SHIPPED)!r}))\n"
        "out = io.BytesIO()\n"
        "rdf.write_turtle(kb, out, jobs=2)\n"
        "print('returned', len(out.getvalue()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"returned {len(pyoxigraph_turtle(load(SHIPPED)))}"]
    assert "Traceback" not in done.stderr


@needs_fork
@pytest.mark.parametrize("kernel", ["copies", "refuses", "finds the file short"])
def test_the_childs_bytes_join_a_real_file_through_the_kernel(
    kernel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    """In a real file the child's Turtle is copied by os.sendfile, between what comes before
    and after; a kernel that refuses makes the copy go through Python, to the same bytes, and
    a spill file found short (0 bytes sent) is an error, never a quietly truncated export."""
    kb = load(SHIPPED)
    monkeypatch.setattr(parallel, "MIN_RECOMMENDATIONS", 0)
    sent: list[int] = []
    real_sendfile = os.sendfile

    def sendfile(out_fd: int, in_fd: int, offset: int, count: int) -> int:
        sent.append(count)
        if kernel == "refuses":
            raise OSError(errno.EINVAL, "not between these files")
        if kernel == "finds the file short":
            return 0
        return real_sendfile(out_fd, in_fd, offset, count)

    monkeypatch.setattr(parallel.os, "sendfile", sendfile)
    target = tmp_path / "kb.ttl"
    expected = pyoxigraph_turtle(kb)
    with target.open("wb") as out:
        out.write(b"# before\n")
        if kernel == "finds the file short":
            with pytest.raises(OSError, match=r"ended [0-9,]+ bytes early"):
                rdf.write_turtle(kb, out, jobs=2)
            return
        size = rdf.write_turtle(kb, out, jobs=2)
        out.write(b"# after\n")
    assert target.read_bytes() == b"# before\n" + expected + b"# after\n"
    assert size == len(expected)
    assert len(forks) == 1
    assert len(sent) == 1 and 0 < sent[0] < len(expected)  # the child's part, in one call


def test_no_fork_with_one_cpu_or_another_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> int:
        raise AssertionError("forked")

    kb = load(SHIPPED)
    monkeypatch.setattr(parallel, "MIN_RECOMMENDATIONS", 0)
    monkeypatch.setattr(parallel.os, "fork", refuse)
    expected = pyoxigraph_turtle(kb)
    assert written(kb, jobs=1) == expected
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert written(kb, jobs=2) == expected
    finally:
        stop.set()
        thread.join()


def test_write_file_streams_turtle_and_counts_its_bytes(kb: KnowledgeBase, tmp_path: Path) -> None:
    target = tmp_path / "kb.ttl"
    for output_format in ("turtle", "ntriples", "csv"):
        size = export.write_file(kb, output_format, target)
        assert target.read_bytes() == export.serialize(kb, output_format)
        assert size == target.stat().st_size
    assert [p.name for p in tmp_path.iterdir()] == ["kb.ttl"]


def test_an_export_that_fails_midway_leaves_the_old_file(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Turtle is streamed into the temporary file: an error after the first report loses it."""
    target = tmp_path / "kb.ttl"
    target.write_bytes(b"old")
    calls = []
    real_report = mapping.Statements.report

    def report_then_fail(self: Any, report: Report) -> None:
        calls.append(report.id)
        if len(calls) > 1:
            raise KeyboardInterrupt
        real_report(self, report)

    monkeypatch.setattr(mapping.Statements, "report", report_then_fail)
    with pytest.raises(KeyboardInterrupt):
        export.write_file(kb, "turtle", target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["kb.ttl"]
    with pytest.raises(UsageError, match="unknown export format"):
        export.write_file(kb, "yaml", tmp_path / "new.yaml")
    assert not (tmp_path / "new.yaml").exists()


@needs_fork
def test_a_cached_knowledge_base_is_written_in_two_reading_each_half_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    """Parent and child each read their own half of the reports from the cache file."""
    from policykb import cache

    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    cache.load_cached(SHIPPED)
    hit = cache.load_cached(SHIPPED)
    assert isinstance(hit, cache.CachedKnowledgeBase)
    monkeypatch.setattr(parallel, "MIN_RECOMMENDATIONS", 0)
    assert written(hit, jobs=2) == pyoxigraph_turtle(load(SHIPPED))
    assert len(forks) == 1
    assert hit._loaded() is None  # the parent never read all the reports


def _renamed(kb: KnowledgeBase, index: int, new_id: str) -> KnowledgeBase:
    reports = list(kb.reports)
    reports[index] = replace(reports[index], id=new_id)
    return replace(kb, reports=tuple(reports))


@needs_fork
@pytest.mark.parametrize(
    "change",
    ["a dot in a report id of the parent's half", "… of the child's half", "one id in both halves"],
)
def test_halves_that_are_not_plain_go_through_pyoxigraph(
    change: str, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    kb = load(SHIPPED)
    counts = kb.recommendation_counts()
    split = parallel.split_point(counts)  # where the parent's half ends
    first, last = 0, len(counts) - 1
    assert first < split <= last  # report 0 is the parent's, the last report the child's
    if change.startswith("a dot"):
        kb = _renamed(kb, first, kb.reports[first].id.replace("-", ".", 1))
    elif change.startswith("…"):
        kb = _renamed(kb, last, kb.reports[last].id.replace("-", ".", 1))
    else:
        kb = _renamed(kb, last, kb.reports[first].id)
    expected = pyoxigraph_turtle(kb)
    monkeypatch.setattr(parallel, "MIN_RECOMMENDATIONS", 0)
    fallbacks: list[int] = []
    real_fallback = rdf._canonical

    def fallback(kb: KnowledgeBase, base: str) -> bytes:
        fallbacks.append(1)
        return real_fallback(kb, base)

    monkeypatch.setattr(rdf, "_canonical", fallback)
    assert written(kb, jobs=2) == expected
    assert len(forks) == 1
    assert fallbacks == [1]  # the whole knowledge base went through pyoxigraph, once
