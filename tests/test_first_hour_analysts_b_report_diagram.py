"""Issue #13 (the first hour, analysts): what ``report ID`` shows, and a picture of a framework.

- ``report ID`` shows the publisher's name, the contributors, the gaps and the notes, and the
  gaps or notes that speak of the DOI right under it (an unverified DOI is visible before
  anyone cites it); JSON carries them as new keys beside the old ones.
- ``framework ID --format mermaid`` and ``--format dot`` draw the framework: each pillar a
  subgraph (cluster) holding its elements in order, labelled with the source's numbering and
  labels, escaped; an index that uses another framework's concepts draws those. Mermaid is
  checked by parsing its structure here; DOT by pydot (a real parser, a test dependency) and by
  Graphviz's ``dot`` when it is installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from policykb import query, render
from policykb.cli import app
from policykb.datafiles.loader import load
from policykb.errors import InvalidDataError
from policykb.model import KnowledgeBase
from policykb.query import ElementOutline, FrameworkOutline, PillarOutline, ReportDetail

REPO = Path(__file__).parent.parent
SHIPPED = REPO / "data"

# pydot's grammar uses pyparsing names that pyparsing 3.3 deprecates: not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pydot")

runner = CliRunner(env={"NO_COLOR": None, "COLUMNS": "80"})


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The shipped knowledge base, when it validates."""
    try:
        return load(SHIPPED)
    except InvalidDataError:
        pytest.skip("the shipped data does not validate right now (it is being written)")


@pytest.fixture(autouse=True, scope="module")
def load_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A load cache of this module's own: the many commands here read the data once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYKB_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


def run(*args: str) -> Any:
    """``policykb --data SHIPPED ARGS`` (through this module's load cache)."""
    result = runner.invoke(app, ["--data", str(SHIPPED), *args])
    assert result.exit_code == 0, result.stderr
    return result


def squash(text: str) -> str:
    """``text`` with its whitespace runs as single spaces (tables wrap it)."""
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# report


def test_report_shows_publisher_contributors_and_the_doi_caveats(kb: KnowledgeBase) -> None:
    """report chile-digital-identity: the publisher's name, the contributors, and right under
    the DOI the gaps and notes saying it is unverified, before the URL."""
    report = kb.report("chile-digital-identity")
    assert report is not None and report.doi and report.contributors
    lines = run("report", "chile-digital-identity").stdout.splitlines()
    text = squash("\n".join(lines))
    assert "publisher Organisation for Economic Co-operation and Development (oecd)" in text
    for c in report.contributors:
        assert c.name in text
    doi = next(i for i, line in enumerate(lines) if line.split()[:1] == ["doi"])
    assert lines[doi].split() == ["doi", report.doi]
    url = next(i for i, line in enumerate(lines) if line.split()[:1] == ["url"])
    between = squash("\n".join(lines[doi + 1 : url]))
    caveats = [t for t in (*report.gaps, *report.notes) if "DOI" in t]
    assert caveats and between.startswith("⚠")
    for caveat in caveats:
        assert f"⚠ {squash(caveat)}" in between


def test_report_lists_every_gap_and_note(kb: KnowledgeBase) -> None:
    """Every report's gaps and notes are shown in full, under their headings."""
    for report in kb.reports:
        text = squash(run("report", report.id).stdout)
        if report.gaps:
            assert "Gaps (what the sources do not say)" in text, report.id
        if report.notes:
            assert "Notes -" in text, report.id
        for note in (*report.gaps, *report.notes):
            assert squash(note) in text, (report.id, note)


def test_report_json_adds_keys_and_keeps_the_old_ones(kb: KnowledgeBase) -> None:
    """JSON of report: the old keys as they were, plus publisher_name, contributors, gaps, notes."""
    report = kb.report("chile-digital-identity")
    assert report is not None
    data = json.loads(run("report", "chile-digital-identity", "-F", "json").stdout)
    old = {"id", "title", "type", "year", "publisher", "series", "doi", "url", "countries",
           "compares", "defines", "applies", "summary", "recommendations"}  # fmt: skip
    assert old <= set(data)
    assert data["publisher"] == "oecd"
    assert data["publisher_name"] == "Organisation for Economic Co-operation and Development"
    assert data["contributors"] == [
        {"name": c.name, "role": c.role, "affiliation": c.affiliation, "note": c.note}
        for c in report.contributors
    ]
    assert (data["gaps"], data["notes"]) == (list(report.gaps), list(report.notes))


def test_report_markdown_puts_the_caveats_under_the_doi(kb: KnowledgeBase) -> None:
    """Markdown: the DOI bullet has the caveats as sub-bullets; gaps and notes are sections."""
    text = run("report", "chile-digital-identity", "-F", "markdown").stdout
    lines = text.splitlines()
    doi = lines.index("- **doi**: `10.1787/9ecba35e-en`")
    assert lines[doi + 1].startswith("  - ⚠ ")
    assert "## Gaps (what the sources do not say)" in lines and "## Notes" in lines
    assert "- **publisher**: Organisation for Economic Co-operation and Development (oecd)" in lines


def test_doi_caveats_skip_notes_about_another_publication() -> None:
    """A note citing another publication's DOI is not a caveat of this one; one that names this
    DOI, or says DOI without giving another, is."""
    detail = ReportDetail(
        "r", "R", "report", 2020, "oecd", None, "10.1787/aaaa-en", None, (), (), (), (), None, (),
        gaps=("The DOI was not seen in a cite-as line.",),
        notes=("Results were published as DOI 10.1787/bbbb-en.", "10.1787/aaaa-en is inferred."),
    )  # fmt: skip
    assert render.text.doi_caveats(detail) == (
        "The DOI was not seen in a cite-as line.",
        "10.1787/aaaa-en is inferred.",
    )


# ---------------------------------------------------------------------------------------------
# diagrams

AWKWARD = 'Say "hi" [now] & <b>bold</b> #1; (a|b) {c} `tick` back\\slash'


def awkward_outline() -> FrameworkOutline:
    """A framework whose labels hold quotes, brackets, ampersands, markup and escapes."""
    return FrameworkOutline(
        "odd",
        f"Odd {AWKWARD}",
        (
            PillarOutline(
                "p",
                f"Pillar {AWKWARD}",
                (
                    ElementOutline("e1", f"First {AWKWARD}", "1.1"),
                    ElementOutline("e2", "Second\nline", "1.2", inferred=True),
                    ElementOutline("e3", "Third", "1.3"),
                ),
                "1",
            ),
            PillarOutline("q", "Alone & single", (), "2", inferred=True),
        ),
    )


@dataclass
class Box:
    """A Mermaid subgraph (or the chart itself): its label, nodes and boxes, in order."""

    id: str
    label: str
    items: list[Any] = field(default_factory=list)
    chains: list[list[str]] = field(default_factory=list)


def unmermaid(text: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


def parse_mermaid(text: str) -> tuple[str, Box, set[str]]:
    """The title, the nested boxes and nodes, and the dashed (inferred) ids of a Mermaid chart.

    Every line must be one this parser knows; labels must be quoted, holding no raw quote.
    """
    lines = text.splitlines()
    assert lines[0] == "---" and lines[2] == "---" and lines[3] == "flowchart TB", lines[:4]
    title = json.loads(lines[1].removeprefix("title: "))
    root = Box("", title)
    stack = [root]
    dashed: set[str] = set()
    known: set[str] = set()
    for line in lines[4:]:
        s = line.strip()
        if m := re.fullmatch(r'subgraph (\w+)\["([^"]*)"\]', s):
            box = Box(m.group(1), unmermaid(m.group(2)))
            stack[-1].items.append(box)
            stack.append(box)
            known.add(box.id)
        elif s == "end":
            stack.pop()
            assert stack, "an end without its subgraph"
        elif m := re.fullmatch(r'(\w+)\["([^"]*)"\]', s):
            stack[-1].items.append((m.group(1), unmermaid(m.group(2))))
            known.add(m.group(1))
        elif re.fullmatch(r"\w+( ~~~ \w+)+", s):
            chain = s.split(" ~~~ ")
            assert set(chain) <= known, s
            stack[-1].chains.append(chain)
        elif s in ("direction TB", "classDef inferred stroke-dasharray: 5 5"):
            pass
        elif m := re.fullmatch(r"class ([\w,]+) inferred", s):
            dashed |= set(m.group(1).split(","))
        else:
            raise AssertionError(f"not a Mermaid line this chart should hold: {line!r}")
    assert stack == [root], "a subgraph is not closed"
    return title, root, dashed


def expected_label(concept: PillarOutline | ElementOutline) -> str:
    return squash(f"{concept.notation} {concept.label}" if concept.notation else concept.label)


def assert_mermaid_draws(outline: FrameworkOutline, box: Box) -> None:
    """Each pillar with elements is a subgraph of its elements in order, each other pillar a
    node; labels are the notation and label; elements are chained top to bottom in order."""
    assert len(box.items) == len(outline.pillars)
    for item, p in zip(box.items, outline.pillars, strict=True):
        if not p.elements:
            assert isinstance(item, tuple) and item[1] == expected_label(p)
            continue
        assert isinstance(item, Box) and item.label == expected_label(p)
        assert [label for _, label in item.items] == [expected_label(e) for e in p.elements]
        if len(p.elements) > 1:
            assert item.chains == [[node for node, _ in item.items]]


def test_mermaid_escapes_awkward_labels() -> None:
    """Quotes, brackets, ampersands, markup and # come out as codes that decode to the label."""
    outline = awkward_outline()
    text = render.framework_diagram(outline, "mermaid")
    title, root, dashed = parse_mermaid(text)
    assert title == squash(f"{outline.title} (odd)")
    assert_mermaid_draws(outline, root)
    assert dashed == {"p1_2", "p2"}
    for raw in ("<b>", "&", '"hi"', "`"):
        assert raw not in text.split("---")[-1], raw


def test_every_shipped_framework_draws_as_mermaid(kb: KnowledgeBase) -> None:
    """framework ID -F mermaid, for every framework: the CLI prints the library's chart, which
    parses and draws each pillar with its elements in order."""
    for f in kb.frameworks:
        outline = query.framework(kb, f.id)
        used = query.framework(kb, outline.uses) if outline.uses else None
        text = run("framework", f.id, "-F", "mermaid").stdout
        assert text == render.framework_diagram(outline, "mermaid", used)
        _, root, _ = parse_mermaid(text)
        if outline.pillars or used is None:
            assert_mermaid_draws(outline, root)
        else:
            (uses,) = root.items
            assert used.id in uses.label
            assert_mermaid_draws(used, uses)


def test_digital_identity_framework_as_mermaid_has_its_numbering(kb: KnowledgeBase) -> None:
    """The digital identity framework's chart: 4 subgraphs, 1 Foundations for DI holding 1.1
    … 1.3 in order."""
    _, root, _ = parse_mermaid(
        run("framework", "digital-identity-framework", "-F", "mermaid").stdout
    )
    assert [b.label.split()[0] for b in root.items] == ["1", "2", "3", "4"]
    assert root.items[0].label == "1 Foundations for DI"
    assert [label.split()[0] for _, label in root.items[0].items] == ["1.1", "1.2", "1.3"]


def test_an_index_that_uses_another_framework_draws_its_concepts() -> None:
    """An index without pillars draws the used framework's concepts in a box naming it, or says
    it uses them when that framework is not given."""
    used = awkward_outline()
    index = FrameworkOutline("idx", "Some index", (), "dimension", "element", uses="odd")
    _, root, _ = parse_mermaid(render.framework_diagram(index, "mermaid", used))
    (box,) = root.items
    assert box.label.startswith("uses the concepts of Odd") and box.label.endswith("(odd)")
    assert_mermaid_draws(used, box)
    _, alone, _ = parse_mermaid(render.framework_diagram(index, "mermaid"))
    (box,) = alone.items
    assert box.label == "its dimensions are the concepts of odd"
    dot_text = render.framework_diagram(index, "dot", used)
    assert "cluster_uses" in dot_text and "uses the concepts of Odd" in dot_text


def undot(value: str | None) -> str:
    """A DOT string as the label it stands for."""
    assert value is not None and value.startswith('"') and value.endswith('"'), value
    inner = re.sub(r"\\(.)", r"\1", value[1:-1])
    return inner.replace("&amp;", "&")


def assert_dot_draws(outline: FrameworkOutline, text: str) -> None:
    """pydot parses the DOT; each pillar with elements is a cluster of its elements in order."""
    pydot = pytest.importorskip("pydot", reason="pydot (a test dependency) is not installed")
    graphs = pydot.graph_from_dot_data(text)
    assert graphs is not None and len(graphs) == 1, "pydot could not parse the DOT"
    graph = graphs[0]
    assert undot(graph.get_graph_defaults()[0]["label"]) == squash(outline.title)
    clusters = {sg.get_name().strip('"'): sg for sg in graph.get_subgraphs()}
    loose = {
        n.get_name().strip('"'): n
        for n in graph.get_nodes()
        if n.get_name() not in ("graph", "node")
    }
    for i, p in enumerate(outline.pillars, start=1):
        if not p.elements:
            assert undot(loose[f"p{i}"].get_label()) == expected_label(p)
            continue
        cluster = clusters[f"cluster_p{i}"]
        assert undot(cluster.get_label()) == expected_label(p)
        nodes = [n for n in cluster.get_nodes() if n.get_name() not in ("graph", "node")]
        assert [undot(n.get_label()) for n in nodes] == [expected_label(e) for e in p.elements]


def test_dot_escapes_awkward_labels_and_parses() -> None:
    """DOT with quotes, brackets, ampersands and backslashes in labels parses with pydot, and
    every label reads back as written; inferred concepts are dashed."""
    outline = awkward_outline()
    text = render.framework_diagram(outline, "dot")
    assert text.startswith('digraph "odd" {') and text.rstrip().endswith("}")
    assert_dot_draws(outline, text)
    assert 'label="1.2 Second line", style="rounded,dashed"' in text


def test_every_shipped_framework_draws_as_dot(kb: KnowledgeBase) -> None:
    """framework ID -F dot, for every framework with pillars of its own, parses and draws them."""
    for f in kb.frameworks:
        outline = query.framework(kb, f.id)
        text = run("framework", f.id, "-F", "dot").stdout
        if outline.pillars:
            assert_dot_draws(outline, text)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_graphviz_accepts_the_dot(kb: KnowledgeBase) -> None:
    """Graphviz itself lays out every framework's DOT (and the awkward labels) without error."""
    texts = [render.framework_diagram(awkward_outline(), "dot")]
    texts += [run("framework", f.id, "-F", "dot").stdout for f in kb.frameworks]
    for text in texts:
        done = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True)
        assert done.returncode == 0 and not done.stderr, done.stderr
