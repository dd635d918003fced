"""``policykb serve``: the site on a local web server, to look at before publishing it.

Python's own ``http.server``, bound to the loopback interface unless told otherwise, serving
the directory as it stands (Turtle and JSON-LD with their media types, Pagefind's WebAssembly
as ``application/wasm``). Ctrl-C stops it cleanly.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from policykb import __version__
from policykb.site import paths

#: Media types the standard library's table lacks (or has wrong on some systems).
MEDIA_TYPES = {
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".css": "text/css",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
}


def is_stale(out: Path, data_files: list[Path]) -> bool:
    """Whether ``out`` needs building: no site there, one an older policykb built, or a data
    file changed since."""
    marker = out / paths.MARKER
    try:
        text = marker.read_text("utf-8")
        built = marker.stat().st_mtime_ns
    except OSError:
        return True
    if f"version {__version__}\n" not in text:
        return True
    return any(f.stat().st_mtime_ns > built for f in data_files)


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the base class's own attribute, extended
        **SimpleHTTPRequestHandler.extensions_map,
        **MEDIA_TYPES,
    }

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass  # quiet: a preview, not a production server


def server(out: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A server of ``out`` on ``host:port`` (port 0: any free one), not yet serving."""
    handler = functools.partial(_Handler, directory=str(out))
    return ThreadingHTTPServer((host, port), handler)


def serve(
    out: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``out`` until interrupted (Ctrl-C returns normally)."""
    httpd = server(out, host, port)
    with httpd:
        bound_host, bound_port = httpd.server_address[:2]
        host_text = bound_host.decode() if isinstance(bound_host, bytes) else bound_host
        shown = f"[{host_text}]" if ":" in host_text else host_text
        if ready:
            ready(f"http://{shown}:{bound_port}/")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
