"""The floor of the site build: a bare jinja2 render of the same pages.

    python bench/site_floor.py PAGES.json OUT_DIR

PAGES.json lists ``[path, title, bytes]`` for every page ``policykb site`` wrote (bench/run.py
makes it from a built site). Each page is rendered from a minimal template (its title, and a
body of the same size as the page) and written as ``OUT_DIR/PATH/index.html``: the same pages,
the same directory tree, the same bytes of HTML, with nothing computed. What ``policykb site``
adds over this is its work: the lookups, the real templates, the diagrams, the RDF files.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import jinja2

TEMPLATE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{{ title }}</title>'
    "</head>\n<body><main><h1>{{ title }}</h1><p>{{ body }}</p></main></body>\n</html>\n"
)


def main() -> None:
    """Render and write every page of PAGES.json under OUT_DIR (replacing it)."""
    pages = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    out = Path(sys.argv[2])
    shutil.rmtree(out, ignore_errors=True)
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    for path, title, size in pages:
        folder = out / path
        folder.mkdir(parents=True, exist_ok=True)
        body = ("policy " * (size // 7 + 1))[: max(0, size - 200)]
        html = template.render(title=title, body=body)
        (folder / "index.html").write_text(html, "utf-8")


if __name__ == "__main__":
    main()
