"""The site of the shipped data, built once per test run and served on loopback.

Shared by tests/test_site*.py (a helper module rather than a conftest fixture, so the site is
built once however many modules ask for it); each module serves it for its own tests only.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import policykb
from policykb.model import KnowledgeBase
from policykb.site import build_site
from policykb.site.serve import server


@cache
def shipped_kb() -> KnowledgeBase:
    """The shipped data, loaded once."""
    return policykb.load(policykb.find_data_dir())


@cache
def built_site() -> Path:
    """The site of the shipped data, with its search index, in a temporary directory."""
    work = Path(tempfile.mkdtemp(prefix="policykb-site-test-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    out = work / "site"
    build_site(shipped_kb(), out)
    return out


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """``site`` served on loopback by a thread of this process, for the ``with`` block only:
    a thread left running would keep later tests' exports and SPARQL queries from forking."""
    httpd = server(site, "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        thread.join()
        httpd.server_close()


class Links(HTMLParser):
    """Every href and src of a page, and its element ids."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


#: One page of each type, by type (paths relative to the site's root).
PAGE_TYPES = {
    "home": "",
    "search": "search/",
    "list": "report/",
    "framework": "framework/digital-identity-framework/",
    "concept": "framework/digital-identity-framework/di-solutions/",
    "report": "report/chile-digital-identity/",
    "recommendation": "report/chile-digital-identity/recommendation/chl-di-07/",
    "country": "country/CHL/",
    "organisation": "org/oecd/",
    "region": "region/mena/",
    "crosswalk": "crosswalk/digital-identity-to-data-driven-public-sector/",
    "scores": "scores/dgi-2025/",
}
