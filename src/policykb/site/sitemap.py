"""The site's map: every page in a fixed order (same data, same pages), and the pages that
only lead to others: home, search and the lists of each kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from policykb.model import Report
from policykb.site import paths, schemaorg
from policykb.site.context import Link, SiteData
from policykb.site.pages import (
    Page,
    concept,
    country,
    crosswalk,
    framework,
    organisation,
    recommendation,
    region,
    report,
    score_set,
)

#: How many reports the home page lists, newest first (the report list has them all).
HOME_REPORTS = 12


def home(data: SiteData, stats: dict[str, int]) -> Page:
    """The home page: counts, search, entry points."""
    recent = sorted(data.kb.reports, key=lambda r: (-(r.year or 0), r.id))[:HOME_REPORTS]
    return Page(
        "",
        "home.html",
        data.kb.dataset.title,
        {
            "dataset": data.kb.dataset,
            "stats": stats,
            "countries": [
                (link, len(data.index.by_country.get(link.note, ())))
                for link in data.country_links(data.countries)
            ],
            "frameworks": [data.framework_link(f.id) for f in data.kb.frameworks],
            "reports": [data.report_link(r.id) for r in recent],
            "publishers": [
                (data.org_link(oid), len(reports))
                for oid, reports in sorted(data.published.items())
            ],
        },
        schemaorg.dataset(data),
    )


def lists(data: SiteData) -> Iterator[Page]:
    """The listing pages: frameworks, reports, countries, organisations, regions, crosswalks,
    index scores."""
    kb = data.kb

    def page(kind: str, title: str, rows: list[tuple[Link, str]]) -> Page:
        return Page(paths.LISTS[kind], "list.html", title, {"rows": rows, "kind": kind}, rdf=False)

    yield page(
        "frameworks",
        "Frameworks",
        [
            (data.framework_link(f.id), f"{sum(1 for _ in f.concepts())} concepts")
            for f in kb.frameworks
        ],
    )
    yield page(
        "reports",
        "Reports",
        [
            (
                data.report_link(r.id),
                f"{r.type.replace('-', ' ')} · {len(r.recommendations)} recommendations",
            )
            for r in kb.reports
        ],
    )
    yield page(
        "countries",
        "Countries",
        [
            (link, f"{len(data.index.by_country.get(link.note, ()))} recommendations")
            for link in data.country_links(data.countries)
        ],
    )
    yield page(
        "organisations",
        "Organisations",
        [
            (data.org_link(o.id), f"{len(data.published.get(o.id, ()))} publications")
            for o in kb.organisations
        ],
    )
    yield page(
        "regions",
        "Regions",
        [(data.region_link(r.id), f"{len(r.members)} member countries named") for r in kb.regions],
    )
    yield page(
        "crosswalks",
        "Crosswalks",
        [
            (Link(paths.crosswalk(c.id), c.title), f"{len(c.matches)} matches")
            for c in kb.crosswalks
        ],
    )
    yield page(
        "scores",
        "Index scores",
        [(Link(paths.scores(s.id), s.title), f"{len(s.observations)} values") for s in kb.scores],
    )


def search_page() -> Page:
    """The search page (the search itself runs in the browser)."""
    return Page(paths.SEARCH, "search.html", "Search", {}, rdf=False)


def pages(
    data: SiteData, stats: dict[str, int], cite: Callable[[Report], dict[str, str]]
) -> list[Callable[[], Page]]:
    """Every page of the site, in a fixed order, each as a function that makes it (so that
    the processes of a parallel build each make only their own share)."""
    found: list[Callable[[], Page]] = [partial(home, data, stats), search_page]
    found += [partial(lambda p: p, page) for page in lists(data)]
    for f in data.kb.frameworks:
        found.append(partial(framework, data, f))
        found += [partial(concept, data, c) for c in f.concepts()]
    found += [partial(report, data, r, cite) for r in data.kb.reports]
    found += [partial(recommendation, data, item) for item in data.items]
    found += [partial(country, data, code) for code in data.countries]
    found += [partial(organisation, data, org) for org in data.kb.organisations]
    found += [partial(region, data, reg) for reg in data.kb.regions]
    found += [partial(crosswalk, data, cw) for cw in data.kb.crosswalks]
    found += [partial(score_set, data, s.id) for s in data.kb.scores]
    return found


def resource_paths(data: SiteData) -> list[str]:
    """The paths of every page that describes a resource (and has RDF beside it)."""
    found = [""]
    for f in data.kb.frameworks:
        found.append(paths.framework(f.id))
        found.extend(paths.concept(c.qid) for c in f.concepts())
    found.extend(paths.report(r.id) for r in data.kb.reports)
    found.extend(item.path for item in data.items)
    found.extend(paths.country(code) for code in data.countries)
    found.extend(paths.organisation(o.id) for o in data.kb.organisations)
    found.extend(paths.region(r.id) for r in data.kb.regions)
    found.extend(paths.crosswalk(c.id) for c in data.kb.crosswalks)
    found.extend(paths.scores(s.id) for s in data.kb.scores)
    return found
