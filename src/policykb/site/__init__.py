"""The static site: a page for every framework, concept, report, recommendation, country,
organisation, region, crosswalk and index edition, with its RDF beside it, and search.

    from policykb.site import build_site
    build_site(kb, Path("out"))

Modules, one job each: :mod:`.paths` (where a page goes: paths mirror the IRIs),
:mod:`.context` (the lookups the pages are made of), :mod:`.related` (related recommendations
in linear time), :mod:`.pages` (each resource page's context), :mod:`.sitemap` (every page in
order; home, search and lists), :mod:`.schemaorg` (the JSON-LD each page embeds),
:mod:`.render` (jinja2 templates), :mod:`.rdf` (each page's Turtle and JSON-LD),
:mod:`.search` (the Pagefind index), :mod:`.build` (writing the site and putting it in place)
and :mod:`.serve` (the local preview).
"""

from __future__ import annotations

from policykb.site.build import SiteSummary, build_site, check_target, is_site

__all__ = ["SiteSummary", "build_site", "check_target", "is_site"]
