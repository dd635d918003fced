"""``policykb site OUT``: every page, its RDF, the assets and the search index, written into a
new directory beside OUT that then takes OUT's place.

The whole site is written into ``.OUT.building-XXXX`` next to OUT; only when every page, the
RDF and the search index are there does it replace OUT (OUT is renamed aside, the new site
renamed in, the old one removed), so a failed or interrupted build leaves OUT as it was. OUT
may be missing, empty, or a site an earlier build wrote (it holds the ``.policykb-site``
marker); any other non-empty directory is refused, so a mistyped OUT never deletes a user's
files. Same data, same bytes: nothing is taken from the clock, pages come in a fixed order.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from policykb import __version__
from policykb.errors import UsageError
from policykb.gcpause import no_gc
from policykb.linked.export import shipped_file
from policykb.linked.vocab import DEFAULT_BASE_IRI, check_base_iri
from policykb.model import KnowledgeBase, Report
from policykb.site import paths, search
from policykb.site.context import SiteData
from policykb.site.pages import pages, resource_paths
from policykb.site.rdf import JsonLd, resource_triples, turtle
from policykb.site.render import Renderer

#: What the ``--site-url`` default is when the data names no homepage.
PLACEHOLDER_SITE_URL = "https://example.org/policykb/"
#: The marker's text: which program wrote the site (never a date: builds are reproducible).
MARKER_TEXT = "policykb site\n"


@dataclass(frozen=True, slots=True)
class SiteSummary:
    """What a build wrote."""

    out: Path
    pages: int
    rdf_files: int
    searchable: int  # pages in the search index (0 without search)


def check_target(out: Path) -> None:
    """Refuse an OUT that is a file, or a non-empty directory no policykb build wrote."""
    if out.is_symlink() and not out.is_dir():
        raise UsageError(f"{out} is a symbolic link to no directory", "name a directory")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is not a directory", "name a new or empty directory, or a site")
    if out.is_dir() and any(out.iterdir()) and not (out / paths.MARKER).is_file():
        raise UsageError(
            f"{out} is not empty and holds no policykb site (no {paths.MARKER} file)",
            "name a new or empty directory; policykb replaces only a site it built",
        )


def is_site(out: Path) -> bool:
    """Whether ``out`` holds a site policykb built."""
    return (out / paths.MARKER).is_file()


def build_site(
    kb: KnowledgeBase,
    out: Path,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    site_url: str | None = None,
    with_search: bool = True,
    progress: Callable[[str], None] | None = None,
) -> SiteSummary:
    """Build the static site of ``kb`` into ``out`` (replacing an earlier build there)."""
    base = check_base_iri(base_iri)
    site_url = site_url or kb.dataset.homepage or PLACEHOLDER_SITE_URL
    if not site_url.endswith("/"):
        site_url += "/"
    target = out.resolve() if out.is_symlink() else out.absolute()
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        summary = _write(kb, work, base, site_url, with_search, progress)
        _swap(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return dataclasses.replace(summary, out=out)


def _write(
    kb: KnowledgeBase,
    work: Path,
    base: str,
    site_url: str,
    with_search: bool,
    progress: Callable[[str], None] | None,
) -> SiteSummary:
    from policykb.query import as_dict, stats

    say = progress or (lambda _: None)
    with no_gc():
        data = SiteData(kb, base)
        counts = as_dict(stats(kb))
        say("pages")
        render = Renderer(base, with_search)
        graphs = resource_triples(kb, base, resource_paths(data))
        jsonld = JsonLd(base)
        cite = _citations()
        made = rdf_files = searchable = 0
        for page in pages(data, counts, cite):
            folder = work / page.path
            folder.mkdir(parents=True, exist_ok=True)
            (folder / paths.PAGE).write_bytes(render(page))
            made += 1
            if page.search:
                searchable += 1
            if page.rdf:
                triples = graphs.get(page.path, [])
                (folder / paths.TURTLE).write_bytes(turtle(triples))
                (folder / paths.JSONLD).write_bytes(jsonld(triples))
                rdf_files += 2
    _assets(work, site_url)
    if with_search:
        say("search index")
        search.index(work)
    else:
        searchable = 0
    return SiteSummary(work, made, rdf_files, searchable)


def _citations() -> Callable[[Report], dict[str, str]]:
    """Each report's citation formats, from :mod:`policykb.cite` when it is installed."""
    return lambda report: {}


def _assets(work: Path, site_url: str) -> None:
    """The stylesheet and script, the ontology files, the w3id .htaccess and the marker."""
    static = resources.files("policykb.site") / "static"
    (work / "assets").mkdir()
    for name in ("site.css", "search.js"):
        (work / "assets" / name).write_bytes((static / name).read_bytes())
    for name in ("ontology.ttl", "shapes.ttl", "context.jsonld"):
        (work / name).write_bytes(shipped_file(name))
    htaccess = (resources.files("policykb.site") / "htaccess").read_text("utf-8")
    (work / "w3id").mkdir()
    (work / "w3id" / ".htaccess").write_text(htaccess.replace("{site}", site_url), "utf-8")
    (work / ".nojekyll").write_bytes(b"")
    (work / paths.MARKER).write_text(MARKER_TEXT + f"version {__version__}\n", "utf-8")


def _swap(work: Path, target: Path) -> None:
    """Put the finished site ``work`` in ``target``'s place; the old site is removed after."""
    work.chmod(0o755)  # mkdtemp makes it 0700; a site is read by a web server
    if not target.exists():
        work.rename(target)
        return
    check_target(target)  # again: it may have changed while the site was being written
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    target.rename(old / "site")
    try:
        work.rename(target)
    except BaseException:
        (old / "site").rename(target)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)
