"""Site commands: ``site`` builds the static site, ``serve`` previews it locally.

Each parses its options and calls :func:`policykb.site.build_site` or
:func:`policykb.site.serve.serve`; library errors become exit codes in :mod:`policykb.cli.app`.
"""

from __future__ import annotations

from pathlib import Path

import typer

from policykb.cli.app import app, data_dir, knowledge_base, say
from policykb.linked import DEFAULT_BASE_IRI


def _build(
    ctx: typer.Context,
    out: Path,
    base_iri: str,
    site_url: str | None,
    search: bool,
    jobs: int | None = None,
) -> None:
    from policykb.site import build_site

    summary = build_site(
        knowledge_base(ctx),
        out,
        base_iri=base_iri,
        site_url=site_url,
        with_search=search,
        jobs=jobs,
        progress=lambda step: say(f"policykb: writing {step}"),
    )
    indexed = f", {summary.searchable:,} in the search index" if search else ""
    say(f"wrote {summary.pages:,} pages and {summary.rdf_files:,} RDF files to {out}{indexed}")


@app.command()
def site(
    ctx: typer.Context,
    out: Path = typer.Argument(..., help="Directory to write the site into (replaced whole)."),
    base_iri: str = typer.Option(
        DEFAULT_BASE_IRI, "--base-iri", help="Base of the IRIs the pages describe."
    ),
    site_url: str | None = typer.Option(
        None,
        "--site-url",
        help="Where the site will be hosted, for the w3id .htaccess (default: the data's "
        "homepage, else a placeholder).",
    ),
    search: bool = typer.Option(True, "--search/--no-search", help="Build the search index."),
    jobs: int | None = typer.Option(
        None,
        "--jobs",
        "-j",
        min=1,
        help="Processes writing the pages (default: one per CPU for large sites; the bytes are "
        "the same).",
        show_default=False,
    ),
) -> None:
    """Build the static site: a page per framework, concept, report, recommendation, country,
    organisation and region, with its RDF beside it, and search.

    OUT is written whole into a new directory beside it, which then takes its place; an OUT
    that is not empty and not a site policykb built is refused.

    Examples:

      policykb site out/ && policykb serve out/

      policykb site public/ --site-url https://example.github.io/policykb/
    """
    _build(ctx, out, base_iri, site_url, search, jobs)


@app.command()
def serve(
    ctx: typer.Context,
    out: Path = typer.Argument(
        Path("site"), help="The site's directory (built if missing or stale)."
    ),
    port: int = typer.Option(8000, "--port", "-p", help="Port to listen on (0: any free port)."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to bind (loopback by default: only this machine)."
    ),
) -> None:
    """Preview the static site on a local web server; builds it first if OUT is missing or
    older than the data. Ctrl-C stops it.

    Examples:

      policykb serve out/

      policykb serve out/ --port 8080
    """
    from policykb.datafiles.datadir import data_files
    from policykb.site.serve import is_stale
    from policykb.site.serve import serve as run

    if is_stale(out, data_files(data_dir(ctx))):
        _build(ctx, out, DEFAULT_BASE_IRI, None, True)
    run(out, host, port, ready=lambda url: say(f"serving {out} at {url} (Ctrl-C to stop)"))
    say("stopped")
