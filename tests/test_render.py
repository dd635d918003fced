"""Rendering: CSV a spreadsheet opens, Markdown, JSON, and tables that fit 80 columns."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rich.console import Console, RenderableType

from policykb import query, render
from policykb.datafiles.loader import load
from policykb.model import KnowledgeBase, Source

QUERIES = Path(__file__).parent / "data" / "queries"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The fixture knowledge base."""
    return load(QUERIES)


def plain(renderable: RenderableType, width: int = 80) -> str:
    """What a renderable prints on a non-terminal console ``width`` columns wide."""
    console = Console(width=width, file=io.StringIO(), force_terminal=False, color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def odd_row() -> query.RecommendationRow:
    """A row whose text holds rich markup, a pipe, a quote, a comma and a newline."""
    return query.RecommendationRow(
        id="r/x", report="r", text='Use [bold]tags[/bold] | "quote", then\nmore',
        countries=("CHL", "PAN"), concepts=("a/b", "c/d"), pillars=("a/b", "c/e"),
        frameworks=("a", "c"), source=Source(report="r", page="3"), grade="candidate",
        mapping="stated",
    )  # fmt: skip


def test_recommendations_csv_opens_in_a_spreadsheet(kb: KnowledgeBase) -> None:
    """CSV has the JSON keys as header and one row per recommendation, lists joined by "; "."""
    rows = query.recommendations(kb)
    parsed = list(csv.DictReader(io.StringIO(render.recommendations_csv(rows))))
    assert len(parsed) == len(rows)
    assert list(parsed[0]) == list(render.RECOMMENDATION_COLUMNS)
    both = next(p for p in parsed if p["id"] == "identity-comparison/r01")
    assert both["countries"] == "CHL; PAN"
    assert both["pillars"] == "dif/solutions; ddps/governance"
    assert both["source"] == "identity-comparison, Conclusions"
    assert next(p for p in parsed if p["id"] == "chile-identity/r02")["text"].startswith(
        "Extend ClaveÚnica"
    )


def test_csv_quotes_awkward_text() -> None:
    """Quotes, commas and newlines in a text survive a CSV round trip."""
    text = render.recommendations_csv([odd_row()])
    (parsed,) = csv.DictReader(io.StringIO(text))
    assert parsed["text"] == odd_row().text
    assert parsed["grade"] == "candidate"


def test_markdown_escapes_pipes_and_marks_candidates() -> None:
    """Markdown rows escape pipes, flatten newlines and mark candidates."""
    text = render.recommendations_markdown([odd_row()])
    lines = text.splitlines()
    assert lines[0] == (
        "| id | report | year | countries | recommendation | concepts | actors | source |"
    )
    assert lines[2].startswith("| r/x |  |  | CHL; PAN | [candidate] Use [bold]tags[/bold] \\| ")
    assert len(lines) == 3


def test_table_prints_markup_literally_and_marks_candidates() -> None:
    """Data that looks like rich markup prints as written; candidates show [candidate]."""
    text = plain(render.recommendations_table([odd_row()]))
    assert "[candidate] Use [bold]tags[/bold]" in text
    assert "1 recommendation (1 candidate)" in text


@pytest.mark.parametrize("width", [60, 80, 120])
def test_tables_fit_the_width(kb: KnowledgeBase, width: int) -> None:
    """Every table wraps to the console width: no line is longer."""
    renderables = [
        render.recommendations_table(query.recommendations(kb)),
        render.reports_table(query.reports(kb)),
        render.search_table(query.search(kb, "data")),
        render.coverage_table(query.coverage(kb, "ddps", "element"), width),
        render.frameworks_table(query.frameworks(kb)),
        render.report_view(query.report(kb, "chile-identity")),
    ]
    for renderable in renderables:
        lines = plain(renderable, width).splitlines()
        assert max(len(line) for line in lines) <= width


def test_recommendations_table_groups_by_report(kb: KnowledgeBase) -> None:
    """The table shows each report once as a heading (title, year, id), then short ids,
    countries and wrapped text."""
    text = plain(render.recommendations_table(query.recommendations(kb, countries=["CHL"])))
    lines = [line.rstrip() for line in text.splitlines()]
    assert lines[:2] == ["Digital Government in Chile – Digital Identity (2019)", "chile-identity"]
    assert "identity-comparison" in lines
    assert any(line.startswith(" r04   CHL   [candidate] Modernise") for line in lines)
    assert "5 recommendations (1 candidate)" in lines[-1]


def test_coverage_heat_map_headers_and_shading(kb: KnowledgeBase) -> None:
    """Pillar ids head the columns when they fit, zeros show as ·; too wide gets a legend."""
    text = plain(render.coverage_table(query.coverage(kb, "ddps")))
    assert "governance   public-value   trust   total" in text
    assert " PAN Panama       3             1           3         7" in text
    assert " CHL Chile        1             ·           ·         1" in text
    narrow = plain(render.coverage_table(query.coverage(kb, "ddps", "element"), 40), 40)
    assert " 1   Leadership and vision" in narrow and "(leadership-and-vision)" in narrow
    assert "\x1b" not in text + narrow


def test_heat_style_ramp() -> None:
    """Zero has no shading; the highest count gets the darkest shade; the ramp never goes back."""
    assert render.heat_style(0, 5) == ""
    assert render.heat_style(5, 5) == render.HEAT[-1]
    shades = [render.HEAT.index(render.heat_style(n, 9)) for n in range(1, 10)]
    assert shades == sorted(shades) and shades[0] == 0


def test_framework_tree_and_markdown(kb: KnowledgeBase) -> None:
    """The tree and the Markdown list show every pillar and element with qualified ids."""
    outline = query.framework(kb, "ddps")
    tree = plain(render.framework_tree(outline))
    assert tree.splitlines()[0] == "Data-driven public sector framework ddps"
    assert "│   └── Data architecture and infrastructure (data-infrastructure)" in tree
    markdown = render.framework_markdown(outline)
    assert "- **Trust** (`ddps/trust`)\n  - Transparency (`ddps/transparency`)" in markdown


def test_framework_csv_keeps_pillars_without_elements(kb: KnowledgeBase) -> None:
    """A pillar without elements still gets a CSV row; elements keep their order."""
    assert render.framework_csv(query.framework(kb, "well-being")) == (
        "framework,pillar,pillar_label,element,element_label\nwell-being,openness,Openness,,\n"
    )
    rows = list(csv.reader(io.StringIO(render.framework_csv(query.framework(kb, "dif")))))
    assert [r[3] for r in rows[1:]] == [
        "legal-basis", "identity-infrastructure", "credentials", "private-sector", "",
    ]  # fmt: skip


def test_to_json_is_as_dict(kb: KnowledgeBase) -> None:
    """to_json writes exactly query.as_dict of the result."""
    result = query.coverage(kb, "ddps")
    assert json.loads(render.to_json(result)) == query.as_dict(result)


def test_other_csv_and_markdown_writers(kb: KnowledgeBase) -> None:
    """Countries, reports, search, stats and coverage write a header and one row per item."""
    countries = render.countries_csv(query.countries(kb)).splitlines()
    assert countries == ["code,name,reports,recommendations", "CHL,Chile,2,5", "PAN,Panama,2,7"]
    reports = list(csv.DictReader(io.StringIO(render.reports_csv(query.reports(kb)))))
    assert reports[2]["countries"] == "CHL; PAN"
    coverage = render.coverage_csv(query.coverage(kb, "ddps")).splitlines()
    assert coverage == ["country,ddps/governance,ddps/public-value,ddps/trust,total",
                        "CHL,1,0,0,1", "PAN,3,1,3,7"]  # fmt: skip
    stats = render.stats_csv(query.stats(kb)).splitlines()
    assert stats[0].startswith("frameworks,pillars,elements") and stats[1].startswith("3,8,10")
    hits = render.search_markdown(query.search(kb, "civil registry"))
    assert "| [candidate] Modernise the civil registry" in hits
    assert render.coverage_markdown(query.coverage(kb, "ddps")).splitlines()[0] == (
        "| country | governance | public-value | trust | total |"
    )
