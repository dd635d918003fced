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

import contextlib
import dataclasses
import json
import os
import shutil
import signal
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from policykb import __version__
from policykb.errors import UsageError
from policykb.gcpause import no_gc
from policykb.linked.export import shipped_file
from policykb.linked.vocab import DEFAULT_BASE_IRI, check_base_iri
from policykb.model import KnowledgeBase, Report
from policykb.site import paths, search
from policykb.site.context import SiteData
from policykb.site.pages import Page
from policykb.site.rdf import JsonLd, resource_triples, turtle
from policykb.site.render import Renderer
from policykb.site.sitemap import pages, resource_paths

#: What the ``--site-url`` default is when the data names no homepage.
PLACEHOLDER_SITE_URL = "https://example.org/policykb/"
#: From how many pages a build forks a process per CPU to write them.
PARALLEL_FROM = 2000
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
    jobs: int | None = None,
) -> SiteSummary:
    """Build the static site of ``kb`` into ``out`` (replacing an earlier build there).

    ``jobs`` processes write the pages (default: one per CPU this process may use, on a
    platform that forks, for sites of more than :data:`PARALLEL_FROM` pages); the bytes are
    the same however many.
    """
    base = check_base_iri(base_iri)
    site_url = site_url or kb.dataset.homepage or PLACEHOLDER_SITE_URL
    if not site_url.endswith("/"):
        site_url += "/"
    target = out.resolve() if out.is_symlink() else out.absolute()
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        summary = _write(kb, work, base, site_url, with_search, progress, jobs)
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
    jobs: int | None,
) -> SiteSummary:
    from policykb.query import as_dict, stats

    say = progress or (lambda _: None)
    with no_gc():
        data = SiteData(kb, base)
        say("pages")
        makers = pages(data, as_dict(stats(kb)), _citations(kb))
        graphs = resource_triples(kb, base, resource_paths(data))
        writer = _PageWriter(work, Renderer(base, with_search), graphs, JsonLd(base))
        made, rdf_files, searchable = _in_parallel(writer, makers, _jobs(jobs, len(makers)))
    _assets(work, site_url)
    if with_search:
        say("search index")
        search.index(work)
    else:
        searchable = 0
    return SiteSummary(work, made, rdf_files, searchable)


class _PageWriter:
    """Makes a page and writes its HTML, Turtle and JSON-LD; counts what it wrote."""

    def __init__(
        self, work: Path, render: Renderer, graphs: dict[str, list[Any]], jsonld: JsonLd
    ) -> None:
        self.work, self.render, self.graphs, self.jsonld = work, render, graphs, jsonld
        self.counts = [0, 0, 0]  # pages, RDF files, pages in the search index

    def __call__(self, make: Callable[[], Page]) -> None:
        page = make()
        folder = self.work / page.path
        folder.mkdir(parents=True, exist_ok=True)
        (folder / paths.PAGE).write_bytes(self.render(page))
        self.counts[0] += 1
        if page.search:
            self.counts[2] += 1
        if page.rdf:
            triples = self.graphs.get(page.path, [])
            (folder / paths.TURTLE).write_bytes(turtle(triples))
            (folder / paths.JSONLD).write_bytes(self.jsonld(triples))
            self.counts[1] += 2


def _jobs(jobs: int | None, pages: int) -> int:
    """How many processes write the pages."""
    if not hasattr(os, "fork"):
        return 1
    if jobs is None:
        if pages < PARALLEL_FROM:
            return 1
        try:
            jobs = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            jobs = os.cpu_count() or 1
    return max(1, jobs)


def _in_parallel(
    write: _PageWriter, makers: list[Callable[[], Page]], jobs: int
) -> tuple[int, int, int]:
    """Write every page: page ``i`` by process ``i % jobs`` (forked children and this one, so
    heavy pages of a kind are shared out evenly); returns the counts of all of them."""
    children: list[tuple[int, int]] = []  # pid, read end of its pipe
    try:
        for me in range(1, jobs):
            read, send = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child's coverage is not collected
                code = 1
                try:
                    os.close(read)
                    for make in makers[me::jobs]:
                        write(make)
                    os.write(send, json.dumps(write.counts).encode())
                    code = 0
                except BaseException:
                    traceback.print_exc()
                finally:
                    os._exit(code)
            os.close(send)
            children.append((pid, read))
        for make in makers[0::jobs]:
            write(make)
    except BaseException:
        for pid, _ in children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        raise
    finally:
        counts = write.counts
        failed = False
        for pid, read in children:
            with os.fdopen(read, "rb") as pipe:
                sent = pipe.read()
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0 or not sent:
                failed = True
            else:
                counts = [a + b for a, b in zip(counts, json.loads(sent), strict=True)]
    if failed:
        raise RuntimeError("a process writing the site's pages failed (its traceback is above)")
    return counts[0], counts[1], counts[2]


def _citations(kb: KnowledgeBase) -> Callable[[Report], dict[str, str]]:
    """Each report's reference in BibTeX, RIS and CSL-JSON (:mod:`policykb.cite`).

    The APA and Chicago text is left to ``policykb cite ID --format text``: citeproc-py takes
    about 60 ms a reference, five minutes for a site of 5,000 reports.
    """
    from policykb.cite import Reference, cite, csl_item

    def formats(report: Report) -> dict[str, str]:
        refs = [Reference(report.id, report.id, csl_item(kb, report))]
        return {
            "BibTeX": cite(refs, "bibtex"),
            "RIS": cite(refs, "ris"),
            "CSL-JSON": cite(refs, "csl-json"),
        }

    return formats


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
