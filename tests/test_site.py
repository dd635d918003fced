"""policykb site and serve without a browser: paths mirror the IRIs, every page has its RDF and
schema.org JSON-LD, every internal link resolves, builds are reproducible and replace only a
site, and the preview server serves the right media types."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from pyoxigraph import RdfFormat, parse
from typer.testing import CliRunner

from policykb.cli import app
from policykb.linked.rdf import triples, turtle
from policykb.linked.vocab import COUNTRY_NS, DEFAULT_BASE_IRI
from policykb.query.graph import related_recommendations
from policykb.query.index import index_of
from policykb.site import build, build_site, paths, search
from policykb.site.related import LIMIT, WINDOW, Related
from policykb.site.serve import is_stale
from sitebuild import PAGE_TYPES, Links, built_site, serving, shipped_kb

BASE = DEFAULT_BASE_IRI


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    """The built site's URL on loopback, for this module's tests."""
    with serving(built_site()) as url:
        yield url


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("index.html"))


def test_every_resource_of_the_export_has_a_page_with_its_rdf() -> None:
    """Every IRI the export mints for a framework, concept, report, recommendation,
    organisation, region, crosswalk or score set is a directory of the site holding
    index.html, index.ttl and index.jsonld; so is every country the data names."""
    site = built_site()
    subjects = {s.partition("#")[0] for s, _, _ in triples(shipped_kb())}
    minted = {
        s
        for s in subjects
        if s.startswith(BASE)
        and not re.search(r"/(observation|adherence)/[^/]+$", s)
        and s != BASE + "dataset"
    }
    assert len(minted) > 500
    for iri in minted:
        folder = site / iri.removeprefix(BASE)
        for name in ("index.html", "index.ttl", "index.jsonld"):
            assert (folder / name).is_file(), f"{iri}: no {name}"
    for iri in {s for s in subjects if s.startswith(COUNTRY_NS)}:
        assert (site / "country" / iri.removeprefix(COUNTRY_NS) / "index.html").is_file()


def test_a_pages_turtle_and_json_ld_hold_the_same_triples_about_its_resource() -> None:
    """index.ttl and index.jsonld parse (offline) to the same triples, all of them about the
    page's resource (its IRI or a fragment of it), and equal to the export's triples of it."""
    site = built_site()
    export: dict[str, set[str]] = {}
    for t in parse(turtle(shipped_kb()), format=RdfFormat.TURTLE):
        export.setdefault(t.subject.value.partition("#")[0], set()).add(str(t))
    for path in PAGE_TYPES.values():
        if not (site / path / "index.ttl").exists():
            continue
        iri = paths.iri(BASE, path)
        ttl = {
            str(t) for t in parse((site / path / "index.ttl").read_bytes(), format=RdfFormat.TURTLE)
        }
        jsonld = {
            str(t)
            for t in parse((site / path / "index.jsonld").read_bytes(), format=RdfFormat.JSON_LD)
        }
        assert ttl == jsonld, path
        assert ttl, path
        subjects = {
            t.subject.value
            for t in parse((site / path / "index.ttl").read_bytes(), format=RdfFormat.TURTLE)
        }
        assert any(s == iri for s in subjects), path
        if (
            not path.startswith(("scores/", "report/chile-digital-identity/"))
            or "recommendation" in path
        ):
            assert export.get(iri, set()) <= ttl, path


def test_every_page_embeds_schema_org_json_ld_naming_its_iri_and_links_its_rdf() -> None:
    """Each resource page carries one schema.org description whose @id is the page's IRI, and
    links index.ttl and index.jsonld in its head and in its text."""
    site = built_site()
    for path in PAGE_TYPES.values():
        html = (site / path / "index.html").read_text("utf-8")
        found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        if path in ("search/", "report/"):
            assert not found
            continue
        (text,) = found
        description = json.loads(text)
        assert description["@context"] == "https://schema.org"
        assert description["@id"] == paths.iri(BASE, path)
        assert '<link rel="alternate" type="text/turtle" href="index.ttl">' in html
        assert 'href="index.jsonld"' in html


def test_every_internal_link_of_every_page_resolves(site_url: str) -> None:
    """Crawling the served site from the home page reaches every page, and every href and src
    of every page (pages, RDF files, assets, fragments) answers 200; fragments name an id."""
    root = site_url
    site = built_site()
    seen: set[str] = set()
    ids: dict[str, set[str]] = {}
    todo = [root]
    checked: dict[str, int] = {}
    fragments: list[tuple[str, str, str]] = []
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        with urllib.request.urlopen(url) as response:
            assert response.status == 200, url
            body = response.read().decode("utf-8")
        parser = Links()
        parser.feed(body)
        ids[url] = parser.ids
        for link in parser.links:
            target = urljoin(url, link)
            if not target.startswith(root) or link.startswith("data:"):
                continue
            page, _, fragment = target.partition("#")
            page = page.split("?")[0]
            if fragment:
                fragments.append((url, page, fragment))
            if page.endswith("/"):
                todo.append(page)
            elif page not in checked:
                try:
                    with urllib.request.urlopen(page) as response:
                        checked[page] = response.status
                except urllib.error.HTTPError as exc:
                    checked[page] = exc.code
    broken = {page: code for page, code in checked.items() if code != 200}
    assert not broken
    assert len(seen) == len(_pages(site)), "every page is reachable from the home page"
    for source, page, fragment in fragments:
        assert fragment in ids.get(page, set()), f"{source} links to {page}#{fragment}"


def test_the_same_data_builds_the_same_bytes(tmp_path: Path) -> None:
    """A second build of the same data, search index included and its pages written by two
    processes, is byte for byte the first (written by one)."""
    first = built_site()
    second = tmp_path / "again"
    build_site(shipped_kb(), second, jobs=2)

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    a, b = files(first), files(second)
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


def test_a_directory_that_is_not_a_site_is_refused_and_left_alone(tmp_path: Path) -> None:
    """A non-empty OUT without the marker is a usage error (exit 2); its files stay."""
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    result = CliRunner().invoke(app, ["site", str(out), "--no-search"])
    assert result.exit_code == 2
    assert "holds no policykb site" in result.output
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]
    file_out = tmp_path / "file"
    file_out.write_text("x")
    assert CliRunner().invoke(app, ["site", str(file_out), "--no-search"]).exit_code == 2


def test_a_site_replaces_an_earlier_site_and_a_failed_build_leaves_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building into an earlier site replaces it whole (stale files go); a build that fails
    (here: the search index) leaves the earlier site as it was and no temporary directory."""
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["site", str(out), "--no-search"])
    assert result.exit_code == 0, result.output
    assert "pages and" in result.output
    (out / "stale.html").write_text("old")
    build_site(shipped_kb(), out, with_search=False)
    assert not (out / "stale.html").exists()
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    def fail(site: Path) -> None:
        raise search.SearchIndexError("pagefind failed")

    monkeypatch.setattr(search, "index", fail)
    with pytest.raises(search.SearchIndexError):
        build_site(shipped_kb(), out, with_search=True)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_related_recommendations_are_the_graphs_on_the_shipped_data() -> None:
    """Where no concept holds more than WINDOW recommendations, the site's related list is
    query.graph.related_recommendations's first LIMIT, in the same order."""
    kb = shipped_kb()
    index = index_of(kb)
    assert max(len(p) for p in index.by_concept.values()) <= WINDOW
    recs = [(r, rec) for r, rec in kb.recommendations()]
    ids = [f"{r.id}/{rec.id}" for r, rec in recs]
    related = Related(index, ids, [rec.concepts for _, rec in recs])
    for position, qid in enumerate(ids):
        expected = related_recommendations(kb, qid, limit=LIMIT)
        found = related.of(position)
        assert [ids[o] for o, *_ in found] == [r.id for r in expected], qid
        assert [(s, m, score) for _, s, m, score in found] == [
            (r.shared, r.mapped, r.score) for r in expected
        ]


def test_the_w3id_htaccess_redirects_to_the_site_url(tmp_path: Path) -> None:
    """The .htaccess for the w3id registry sends each IRI to the site given by --site-url, with
    Turtle and JSON-LD by content negotiation."""
    out = tmp_path / "out"
    build_site(shipped_kb(), out, site_url="https://example.github.io/kb", with_search=False)
    text = (out / "w3id" / ".htaccess").read_text()
    assert "{site}" not in text
    assert "RewriteRule ^(.+?)/?$ https://example.github.io/kb/$1/index.ttl [R=303,L]" in text
    assert "RewriteCond %{HTTP_ACCEPT} application/ld\\+json" in text
    assert (out / build.paths.MARKER).is_file() and (out / ".nojekyll").is_file()


def test_serve_gives_rdf_its_media_types_and_knows_a_stale_site(
    tmp_path: Path, site_url: str
) -> None:
    """The preview server serves Turtle as text/turtle, JSON-LD as application/ld+json and
    Pagefind's WebAssembly as application/wasm; a site is stale when a data file is newer."""
    root = site_url
    for path, media in (
        ("report/chile-digital-identity/index.ttl", "text/turtle"),
        ("report/chile-digital-identity/index.jsonld", "application/ld+json"),
        ("report/chile-digital-identity/", "text/html"),
    ):
        with urllib.request.urlopen(root + path) as response:
            assert response.headers["Content-Type"].startswith(media)
    wasm = next(built_site().glob("pagefind/*.wasm*"), None)
    if wasm is not None and wasm.suffix == ".wasm":
        with urllib.request.urlopen(root + f"pagefind/{wasm.name}") as response:
            assert response.headers["Content-Type"] == "application/wasm"
    data = tmp_path / "data.yaml"
    data.write_text("x")
    assert is_stale(tmp_path / "missing", [data])
    out = tmp_path / "out"
    build_site(shipped_kb(), out, with_search=False)
    assert not is_stale(out, [])
    import os

    newer = (out / paths.MARKER).stat().st_mtime_ns + 1_000_000_000
    os.utime(data, ns=(newer, newer))
    assert is_stale(out, [data])


def test_urls_are_relative_so_the_site_works_under_any_prefix(site_url: str) -> None:
    """No page links to an absolute path of the server (``href="/…"``)."""
    for page in _pages(built_site()):
        html = page.read_text("utf-8")
        assert not re.search(r'(?:href|src)="/', html), page
        assert urlsplit(site_url).netloc not in html


def test_serve_builds_a_missing_site_serves_it_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    """``policykb serve OUT --port 0`` builds OUT when it is missing, serves it on loopback,
    and on SIGINT (Ctrl-C) stops and exits 0."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "site"
    process = subprocess.Popen(
        [sys.executable, "-m", "policykb", "serve", str(out), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "POLICYKB_CACHE_DIR": str(tmp_path / "cache")},
    )
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 120
        line = ""
        while "serving" not in line and time.monotonic() < deadline:
            line = process.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        with urllib.request.urlopen(url.group(0) + "report/chile-digital-identity/") as page:
            assert "Digital Government in Chile" in page.read().decode()
        assert (out / paths.MARKER).is_file()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert "stopped" in process.stderr.read()
    finally:
        process.kill()
