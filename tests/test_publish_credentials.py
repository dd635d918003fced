"""Issue #16.9: publish never takes credentials from a URL and never prints one.

Each case runs ``policykb publish`` in a real process against a real loopback HTTP server that
records what reaches it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

FIXTURE = Path(__file__).parent / "data" / "rdf" / "kb"
GRAPH = "https://w3id.org/policykb/graph/test"
SECRET = "s3cr3t-Pa55"
VARIABLES = ("POLICYKB_SPARQL_TOKEN", "POLICYKB_SPARQL_USER", "POLICYKB_SPARQL_PASSWORD")


class _Echo(BaseHTTPRequestHandler):
    """Refuses every PUT with 401 and a body that echoes the request's Authorization header."""

    seen: ClassVar[list[str]] = []

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.seen.append(self.path)
        body = f"denied, you sent: {self.headers.get('Authorization')}".encode()
        self.send_response(401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002  (base signature)
        pass


@pytest.fixture
def store() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server; its address (host:port) and the paths of the requests it got."""
    server = HTTPServer(("127.0.0.1", 0), _Echo)
    _Echo.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", _Echo.seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def publish(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``policykb publish ARGS`` with only the credentials given in ``env``, and no proxy."""
    clean = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and k not in VARIABLES}
    return subprocess.run(
        [sys.executable, "-m", "policykb", "--data", str(FIXTURE), "--no-cache", "publish", *args],
        capture_output=True,
        text=True,
        env={**clean, "NO_PROXY": "127.0.0.1", **env},
        timeout=120,
    )


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://user:{secret}@{host}/store",
        "http://{secret}@{host}/store",
        "http://user:pa/{secret}@{host}/store",  # a '/' in the password: '@' lands in the path
        "http://user:{secret}@[::1/store",  # malformed as well: still refused, still hidden
        "http://user:{secret} x@{host}/store",  # and a space
    ],
)
def test_issue16_credentials_in_the_url_are_refused_and_never_shown(
    store: tuple[str, list[str]], endpoint: str
) -> None:
    """An endpoint with user:password@ is exit 2 naming the variables; the password is not shown."""
    host, seen = store
    done = publish("-e", endpoint.format(secret=SECRET, host=host), "-g", GRAPH)
    assert done.returncode == 2, done.stderr
    assert SECRET not in done.stderr + done.stdout
    assert "credentials" in done.stderr
    assert "POLICYKB_SPARQL_USER" in done.stderr and "POLICYKB_SPARQL_TOKEN" in done.stderr
    assert seen == []  # nothing was sent


def test_issue16_credentials_in_the_sparql_endpoint_are_refused(
    store: tuple[str, list[str]],
) -> None:
    """--sparql-endpoint is published in the graph: credentials there are refused too."""
    host, seen = store
    done = publish(
        "-e", f"http://{host}/store", "-g", GRAPH,
        "--sparql-endpoint", f"http://u:{SECRET}@{host}/query",
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert SECRET not in done.stderr + done.stdout
    assert seen == []


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("POLICYKB_SPARQL_TOKEN", f"{SECRET}\r\nX-Injected: 1"),
        ("POLICYKB_SPARQL_TOKEN", f"{SECRET}\n"),
        ("POLICYKB_SPARQL_TOKEN", f"{SECRET} more"),
        ("POLICYKB_SPARQL_USER", f"user\r\n{SECRET}"),
        ("POLICYKB_SPARQL_PASSWORD", f"{SECRET}\r\n"),
    ],
)
def test_issue16_a_credential_with_a_line_break_is_a_usage_error(
    store: tuple[str, list[str]], variable: str, value: str
) -> None:
    """A token, user or password holding CR/LF is exit 2 naming the variable (it was exit 70)."""
    host, seen = store
    env = {variable: value}
    if variable == "POLICYKB_SPARQL_PASSWORD":
        env["POLICYKB_SPARQL_USER"] = "user"
    done = publish("-e", f"http://{host}/store", "-g", GRAPH, **env)
    assert done.returncode == 2, done.stderr
    assert variable in done.stderr
    assert SECRET not in done.stderr + done.stdout
    assert "internal error" not in done.stderr
    assert seen == []


@pytest.mark.parametrize(
    "env",
    [
        {"POLICYKB_SPARQL_TOKEN": SECRET},
        {"POLICYKB_SPARQL_USER": "user", "POLICYKB_SPARQL_PASSWORD": SECRET},
    ],
    ids=["token", "basic"],
)
def test_issue16_a_store_echoing_the_credentials_does_not_make_us_print_them(
    store: tuple[str, list[str]], env: dict[str, str]
) -> None:
    """The refusal's body is shown, with the credentials it echoes hidden."""
    import base64

    host, seen = store
    done = publish("-e", f"http://{host}/store", "-g", GRAPH, **env)
    assert done.returncode == 2, done.stderr
    assert len(seen) == 1 and "HTTP 401" in done.stderr and "denied" in done.stderr
    encoded = base64.b64encode(f"user:{SECRET}".encode()).decode()
    assert SECRET not in done.stderr and encoded not in done.stderr
    assert "***" in done.stderr
