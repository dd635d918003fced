"""The built site in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by
Playwright. Every page type loads without console errors and passes axe-core with no serious or
critical violation; a framework diagram shows every pillar label; search finds ClaveÚnica
without its accent; the keyboard reaches the content; pages work without JavaScript.

A screenshot of each page type is written to tests/artifacts/site/ (ignored by git). The tests
are skipped only when /usr/bin/chromium is missing; .ci/run installs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitebuild import PAGE_TYPES, built_site, serving, shipped_kb

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts" / "site"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="no /usr/bin/chromium: apt-get install chromium (.ci/run does) to run these",
    ),
]


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    """The built site's URL on loopback, for this module's tests."""
    with serving(built_site()) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium, once for the module."""
    from playwright.sync_api import sync_playwright

    built_site()  # build before the browser starts: the two do not compete for the cores
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page whose console errors and uncaught exceptions are collected in
    ``page.problems``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    tab.problems = problems
    yield tab
    context.close()


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_each_page_type_loads_without_errors_and_passes_axe(
    page: Any, kind: str, site_url: str
) -> None:
    """The page loads with no console error, failed request or uncaught exception, has one
    h1 inside main, and axe-core finds no serious or critical violation; its screenshot is
    kept as a test artefact."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + PAGE_TYPES[kind], wait_until="networkidle")
    assert page.locator("main h1").count() == 1
    assert page.problems == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{kind}.png"), full_page=True)
    violations = Axe().run(page).response["violations"]
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize(
    "framework",
    [
        "digital-identity-framework",
        "data-driven-public-sector",
        "digital-government-policy-framework",
    ],
)
def test_a_framework_page_shows_its_diagram_with_every_pillar_label(
    page: Any, framework: str, site_url: str
) -> None:
    """The diagram is on the page, and every pillar's label (with its notation) is visible
    text inside it, within the drawing's bounds, linking to the pillar's page."""
    page.goto(site_url + f"framework/{framework}/")
    svg = page.locator("figure.diagram svg")
    assert svg.is_visible()
    box = svg.bounding_box()
    f = next(x for x in shipped_kb().frameworks if x.id == framework)
    text = " ".join(svg.locator("text").all_text_contents())
    for pillar in f.pillars:
        label = str(pillar.label)
        words = label.split()
        assert all(w in text for w in words), label
        link = svg.locator(f'a[href$="/{framework}/{pillar.id}/"]')
        assert link.count() >= 1, label
        heading = link.first.locator("text").first
        assert heading.is_visible(), label
        own = heading.bounding_box()
        assert own["x"] >= box["x"] - 1 and own["x"] + own["width"] <= box["x"] + box["width"] + 1
        assert own["y"] >= box["y"] - 1 and own["y"] + own["height"] <= box["y"] + box["height"] + 1


@pytest.mark.parametrize("query", ["claveunica", "CLAVEÚNICA"])
def test_search_finds_claveunica_without_its_accent(page: Any, query: str, site_url: str) -> None:
    """Searching claveunica (or CLAVEÚNICA) lists the recommendations whose text says
    ClaveÚnica, each linking to its page."""
    expected = {
        f"report/{r.id}/recommendation/{rec.id}/"
        for r, rec in shipped_kb().recommendations()
        if "ClaveÚnica" in rec.text
    }
    assert expected
    page.goto(site_url + "search/?q=" + query)
    page.wait_for_selector("#search-results li")
    page.wait_for_function(
        "document.getElementById('search-status').textContent.includes('result')"
    )
    hrefs = page.locator("#search-results li > a").evaluate_all("links => links.map(a => a.href)")
    found = {href.removeprefix(site_url) for href in hrefs}
    assert expected <= found
    assert page.problems == []


def test_the_skip_link_and_keyboard_reach_the_content(page: Any, site_url: str) -> None:
    """The first Tab focuses a visible skip link; following it moves focus to main; focus
    is drawn (an outline) on links."""
    page.goto(site_url + PAGE_TYPES["recommendation"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip"
    assert page.locator("a.skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_pages_work_without_javascript(browser: Any, site_url: str) -> None:
    """With JavaScript off a recommendation page shows its text and links; the search page
    says search needs JavaScript."""
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + PAGE_TYPES["recommendation"])
    assert "ClaveÚnica" in tab.locator("main blockquote").inner_text()
    tab.goto(site_url + "search/")
    assert "needs JavaScript" in tab.locator("main").inner_text()
    context.close()
