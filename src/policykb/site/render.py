"""Pages -> HTML: the jinja2 templates shipped in ``policykb/site/templates/``.

Templates extend ``base.html`` (landmarks, skip link, breadcrumbs, the RDF links and the
embedded schema.org JSON-LD). Links are written relative to the page (``{{ path|href }}``), so
the site works under any path prefix. Autoescaping is on; the SVG diagrams, made by
:mod:`policykb.render.svg`, are inserted as markup.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from policykb import __version__
from policykb.site import paths, schemaorg
from policykb.site.pages import Page


@pass_context
def _href(context: Context, path: str) -> str:
    return paths.link(context["root"], path)


def _number(value: int) -> str:
    return f"{value:,}"


def environment() -> Environment:
    """The jinja2 environment of the site's templates."""
    env = Environment(
        loader=PackageLoader("policykb.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["href"] = _href
    env.filters["number"] = _number
    env.filters["svg"] = Markup  # our own SVG, escaped where it was made
    env.globals["version"] = __version__
    env.globals["lists"] = paths.LISTS
    env.globals["search_path"] = paths.SEARCH
    return env


class Renderer:
    """Renders pages with one environment (templates compiled once)."""

    def __init__(self, base: str, search: bool) -> None:
        self.env = environment()
        self.base = base
        self.search = search
        self._templates: dict[str, Any] = {}

    def __call__(self, page: Page) -> bytes:
        """The HTML of ``page``."""
        template = self._templates.get(page.template)
        if template is None:
            template = self._templates[page.template] = self.env.get_template(page.template)
        html: str = template.render(
            page.context,
            page=page,
            root=paths.root_of(page.path),
            iri=paths.iri(self.base, page.path),
            schema=Markup(schemaorg.script(page.schema)) if page.schema else None,
            search=self.search,
        )
        return html.encode()
