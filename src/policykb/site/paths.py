"""Where each page of the site goes: paths that mirror the IRIs the RDF export mints.

A resource whose IRI is ``{base}report/x`` has its page at ``report/x/index.html``, with
``index.ttl`` and ``index.jsonld`` beside it; a country (an EU authority IRI) at
``country/{ALPHA3}/``. Paths here are directories relative to the site's root, ending in
``/`` (the home page is ``""``). Links between pages are relative (``../../org/oecd/``), so
the site works under any path prefix.
"""

from __future__ import annotations

from policykb.linked.vocab import COUNTRY_NS

#: The marker file a built site holds at its root, so a later build may replace the directory.
MARKER = ".policykb-site"
#: What every page directory holds.
PAGE, TURTLE, JSONLD = "index.html", "index.ttl", "index.jsonld"


def framework(framework_id: str) -> str:
    """``framework/{id}/``."""
    return f"framework/{framework_id}/"


def concept(qid: str) -> str:
    """``framework/{framework}/{concept}/`` for a qualified concept id."""
    return f"framework/{qid}/"


def report(report_id: str) -> str:
    """``report/{id}/``."""
    return f"report/{report_id}/"


def recommendation(report_id: str, rec_id: str) -> str:
    """``report/{report}/recommendation/{rec}/``."""
    return f"report/{report_id}/recommendation/{rec_id}/"


def recommendation_qid(qid: str) -> str:
    """The page of a recommendation named by its global id ``report/rec``."""
    report_id, _, rec_id = qid.partition("/")
    return recommendation(report_id, rec_id)


def organisation(organisation_id: str) -> str:
    """``org/{id}/``."""
    return f"org/{organisation_id}/"


def region(region_id: str) -> str:
    """``region/{id}/``."""
    return f"region/{region_id}/"


def scores(scores_id: str) -> str:
    """``scores/{id}/`` (an index edition's scores)."""
    return f"scores/{scores_id}/"


def crosswalk(crosswalk_id: str) -> str:
    """``crosswalk/{id}/``."""
    return f"crosswalk/{crosswalk_id}/"


def country(code: str) -> str:
    """``country/{ALPHA3}/``: the page describing the EU authority's country IRI."""
    return f"country/{code}/"


#: The listing pages: what they list -> their path.
LISTS = {
    "frameworks": "framework/",
    "reports": "report/",
    "countries": "country/",
    "organisations": "org/",
    "regions": "region/",
    "crosswalks": "crosswalk/",
    "scores": "scores/",
}
SEARCH = "search/"


def root_of(path: str) -> str:
    """The relative link from the page at ``path`` back to the site's root (``../../``)."""
    return "../" * path.count("/")


def link(root: str, path: str) -> str:
    """The link from a page whose root link is ``root`` to the page at ``path``."""
    return (root + path) or "./"


def iri(base: str, path: str) -> str:
    """The IRI a page describes: ``{base}{path}`` without the slash, a country's EU IRI,
    or the dataset's IRI for the home page."""
    if path.startswith("country/"):
        return COUNTRY_NS + path.removeprefix("country/").rstrip("/")
    if not path:
        return f"{base}dataset"
    return base + path.rstrip("/")
