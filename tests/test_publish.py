"""Publishing with the SPARQL 1.1 Graph Store Protocol, against a real Oxigraph server."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from policykb.datafiles.loader import load
from policykb.errors import EndpointError, UsageError
from policykb.linked.publish import graph_store_url, publish, put_graph
from policykb.linked.rdf import triples
from policykb.model import KnowledgeBase

FIXTURE = Path(__file__).parent / "data" / "rdf" / "kb"
GRAPH = "https://w3id.org/policykb/graph/test"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Talk to 127.0.0.1 directly even when the environment names an HTTP proxy."""
    for name in (
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("POLICYKB_SPARQL_TOKEN", "POLICYKB_SPARQL_USER", "POLICYKB_SPARQL_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on a free loopback port; yields its base URL, stops it after."""
    if not OXIGRAPH.exists():
        pytest.skip(f"no oxigraph server binary at {OXIGRAPH} (pip install oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                opener.open(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    message = process.stderr.read().decode() if process.stderr else ""
                    pytest.fail(f"oxigraph serve did not start: {message}")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def select(server_url: str, query: str) -> list[dict[str, str]]:
    """Run a SELECT on the server's query endpoint; each solution as {variable: value}."""
    request = urllib.request.Request(
        f"{server_url}/query?{urllib.parse.urlencode({'query': query})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        document = json.load(response)
    return [{k: v["value"] for k, v in b.items()} for b in document["results"]["bindings"]]


def graph_size(server_url: str, graph: str) -> int:
    """The number of triples in one named graph of the server."""
    rows = select(server_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"])


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The fixture knowledge base."""
    return load(FIXTURE)


@pytest.mark.server
def test_publish_replaces_the_graph(server: str, kb: KnowledgeBase) -> None:
    """A publish puts the knowledge base into the named graph, and a second one replaces it."""
    put_graph(f"{server}/store", GRAPH, b"<urn:x:old> <urn:x:p> <urn:x:o> .\n")
    done = publish(kb, f"{server}/store", GRAPH)
    assert 200 <= done.status < 300
    rows = select(
        server,
        f"""
        PREFIX pkb: <https://w3id.org/policykb/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?rec ?text WHERE {{ GRAPH <{GRAPH}> {{
            ?rec a pkb:PolicyRecommendation ; rdf:value ?text }} }} ORDER BY ?rec""",
    )
    assert [r["text"] for r in rows] == [
        "Publish open data.",
        "Set up a digital agency.",
        'Protect privacy: "consent" first.',
        "Start with user needs.",
        "Share digital identity across borders in the region.",
        "Publish open data by default.",
    ]
    old = select(server, f"SELECT ?o WHERE {{ GRAPH <{GRAPH}> {{ <urn:x:old> ?p ?o }} }}")
    assert old == []  # replaced, not merged
    assert graph_size(server, GRAPH) == len(set(triples(kb)))


@pytest.mark.server
def test_refusing_endpoint_leaves_the_graph(server: str, kb: KnowledgeBase) -> None:
    """A 4xx from the store is an EndpointError with the server's answer; the graph is unchanged."""
    publish(kb, f"{server}/store", GRAPH)
    before = graph_size(server, GRAPH)
    with pytest.raises(EndpointError, match="HTTP 404") as caught:
        publish(kb, f"{server}/no-such-service", GRAPH)
    assert "refused" in caught.value.message
    with pytest.raises(EndpointError, match="HTTP 4"):
        put_graph(f"{server}/store", GRAPH, b"this is not turtle <")
    assert graph_size(server, GRAPH) == before


def test_unreachable_endpoint() -> None:
    """A closed port is an EndpointError saying the store cannot be reached."""
    with pytest.raises(EndpointError, match="cannot reach"):
        put_graph(f"http://127.0.0.1:{free_port()}/store", GRAPH, b"", timeout=5)


def test_graph_store_url() -> None:
    """The graph goes in the query string, after any query the endpoint already has."""
    assert graph_store_url("http://127.0.0.1:1/store", "urn:x:g") == (
        "http://127.0.0.1:1/store?graph=urn%3Ax%3Ag"
    )
    assert graph_store_url("http://h/s?x=1", "https://g/#a") == (
        "http://h/s?x=1&graph=https%3A%2F%2Fg%2F%23a"
    )


@pytest.mark.parametrize(
    ("endpoint", "graph"),
    [
        ("ftp://127.0.0.1/store", GRAPH),
        ("127.0.0.1:7878/store", GRAPH),
        ("http://127.0.0.1/store", "not an iri"),
        ("http://127.0.0.1/store", "relative/graph"),
    ],
)
def test_bad_endpoint_or_graph_is_a_usage_error(endpoint: str, graph: str) -> None:
    """A non-http endpoint or a graph name that is not an absolute IRI is a usage error."""
    with pytest.raises(UsageError):
        graph_store_url(endpoint, graph)


class _Recorder(BaseHTTPRequestHandler):
    """Answers every PUT with 204 and records its headers and body."""

    seen: ClassVar[list[tuple[str, dict[str, str], bytes]]] = []

    digest: ClassVar[bool] = False  # ask for digest authentication, as Virtuoso does

    def do_PUT(self) -> None:
        """Record the request; answer 401 with a digest challenge first when ``digest`` is set."""
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.seen.append((self.path, dict(self.headers), body))
        if self.digest and not self.headers.get("Authorization", "").startswith("Digest "):
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Digest realm="store", nonce="n0nce", qop="auth"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002  (base signature)
        """Keep test output quiet."""


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[tuple[str, dict[str, str], bytes]]]]:
    """A loopback HTTP server recording what it receives."""
    _Recorder.seen = []
    _Recorder.digest = False
    httpd = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_basic_credentials_come_from_the_environment(
    recorder: tuple[str, list[tuple[str, dict[str, str], bytes]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """POLICYKB_SPARQL_USER and _PASSWORD are sent as HTTP basic authentication."""
    url, seen = recorder
    monkeypatch.setenv("POLICYKB_SPARQL_USER", "ana")
    monkeypatch.setenv("POLICYKB_SPARQL_PASSWORD", "s3cret")
    put_graph(f"{url}/data", GRAPH, b"<urn:a> <urn:b> <urn:c> .\n")
    (path, headers, body) = seen[0]
    expected = base64.b64encode(b"ana:s3cret").decode()
    assert headers["Authorization"] == f"Basic {expected}"
    assert headers["Content-Type"] == "text/turtle"
    assert path == f"/data?graph={urllib.parse.quote(GRAPH, safe='')}"
    assert body == b"<urn:a> <urn:b> <urn:c> .\n"


def test_digest_authentication_when_the_store_asks(
    recorder: tuple[str, list[tuple[str, dict[str, str], bytes]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A store answering 401 with a digest challenge gets the PUT again with digest credentials."""
    url, seen = recorder
    _Recorder.digest = True
    monkeypatch.setenv("POLICYKB_SPARQL_USER", "ana")
    monkeypatch.setenv("POLICYKB_SPARQL_PASSWORD", "s3cret")
    done = put_graph(f"{url}/sparql-graph-crud-auth", GRAPH, b"<urn:a> <urn:b> <urn:c> .\n")
    assert done.status == 204
    assert [h.get("Authorization", "").split(" ")[0] for _, h, _ in seen] == ["Basic", "Digest"]
    assert 'username="ana"' in seen[1][1]["Authorization"]
    assert seen[1][2] == b"<urn:a> <urn:b> <urn:c> .\n"


def test_bearer_token_comes_from_the_environment(
    recorder: tuple[str, list[tuple[str, dict[str, str], bytes]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """POLICYKB_SPARQL_TOKEN is sent as a bearer token (and wins over a user name)."""
    url, seen = recorder
    monkeypatch.setenv("POLICYKB_SPARQL_TOKEN", "tok-123")
    monkeypatch.setenv("POLICYKB_SPARQL_USER", "ana")
    put_graph(f"{url}/data", GRAPH, b"")
    assert seen[0][1]["Authorization"] == "Bearer tok-123"


def test_no_credentials_no_authorization_header(
    recorder: tuple[str, list[tuple[str, dict[str, str], bytes]]],
) -> None:
    """Without credentials in the environment, no Authorization header is sent."""
    url, seen = recorder
    put_graph(f"{url}/data", GRAPH, b"")
    assert "Authorization" not in seen[0][1]


def run_policykb(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m policykb ARGS`` in a real process, without a proxy or the load cache."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return subprocess.run(
        [sys.executable, "-m", "policykb", "--data", str(FIXTURE), "--no-cache", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def fill_store(server_url: str) -> tuple[str, int]:
    """Put one triple in the default graph and one in another named graph; that graph's IRI."""
    other = "https://example.org/graph/not-policykb"
    put_graph(f"{server_url}/store", other, b"<urn:x:kept> <urn:x:p> <urn:x:o> .\n")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(
        f"{server_url}/store?default",
        data=b"<urn:x:default> <urn:x:p> <urn:x:o> .\n",
        method="PUT",
        headers={"Content-Type": "text/turtle"},
    )
    opener.open(request, timeout=10).close()
    return other, 1


def default_graph_size(server_url: str) -> int:
    """The number of triples in the server's default graph."""
    rows = select(server_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(rows[0]["n"])


@pytest.mark.server
@pytest.mark.parametrize("suffix", ["#x", "#", "?graph=urn:x:g#frag"])
def test_issue16_fragment_in_endpoint_is_refused_and_the_store_survives(
    server: str, suffix: str
) -> None:
    """Issue #16.1: an endpoint with a fragment exits 2 before any request; every graph survives.

    Appending ``?graph=`` after ``#x`` once made the request go to the bare store URL, which
    replaced the whole store.
    """
    other, _ = fill_store(server)
    default_before = default_graph_size(server)
    done = run_policykb("publish", "-e", f"{server}/store{suffix}", "-g", GRAPH)
    assert done.returncode == 2, done.stderr
    assert "fragment" in done.stderr
    assert "published" not in done.stderr
    assert graph_size(server, other) == 1
    assert default_graph_size(server) == default_before


@pytest.mark.server
def test_issue16_publish_replaces_only_its_graph(server: str, kb: KnowledgeBase) -> None:
    """Issue #16.1: ``policykb publish`` replaces its named graph and leaves every other one."""
    other, _ = fill_store(server)
    default_before = default_graph_size(server)
    done = run_policykb("publish", "-e", f"{server}/store", "-g", GRAPH)
    assert done.returncode == 0, done.stderr
    assert graph_size(server, GRAPH) == len(set(triples(kb)))
    assert graph_size(server, other) == 1
    assert default_graph_size(server) == default_before


def test_issue16_endpoint_query_is_kept_and_graph_added(
    recorder: tuple[str, list[tuple[str, dict[str, str], bytes]]],
) -> None:
    """Issue #16.1: the endpoint's own query parameters are kept as they are; graph is added."""
    url, seen = recorder
    put_graph(f"{url}/data?dataset=a%20b&flag", GRAPH, b"")
    assert seen[0][0] == f"/data?dataset=a%20b&flag&graph={urllib.parse.quote(GRAPH, safe='')}"


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("http://127.0.0.1/store#x", "fragment"),
        ("http://127.0.0.1/store?graph=urn:x:other", "already names a graph"),
        ("http://127.0.0.1/store?default", "already names a graph"),
        ("http://127.0.0.1/st ore", "space or control character"),
        ("http://127.0.0.1/store\r\nX-Evil: 1", "space or control character"),
        ("http://[::1/store", "not a valid URL"),
        ("http://127.0.0.1:99999/store", "not a valid URL"),
    ],
)
def test_issue16_bad_endpoint_is_a_usage_error(endpoint: str, message: str) -> None:
    """Issue #16.1/13: a fragment, a graph already named, a space, CRLF or a bad host is exit 2."""
    with pytest.raises(UsageError, match=message):
        graph_store_url(endpoint, GRAPH)


@pytest.fixture
def garbage_server() -> Iterator[str]:
    """A loopback server answering every request with a line that is not an HTTP status."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(5)
                with contextlib.suppress(OSError):
                    connection.recv(65536)
                    connection.sendall(b"HELLO this is not HTTP\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/store"
    finally:
        stop.set()
        thread.join()  # no thread may outlive the test: a large export forks only without one
        listener.close()


def test_issue16_a_reply_that_is_not_http_is_exit_2(garbage_server: str) -> None:
    """Issue #16.13: a garbled status line from the store is exit 2 with a message, not 70."""
    done = run_policykb("publish", "-e", garbage_server, "-g", GRAPH, "--timeout", "10")
    assert done.returncode == 2, done.stderr
    assert "did not answer in HTTP" in done.stderr
    assert "internal error" not in done.stderr


@pytest.mark.parametrize("timeout", ["-1", "0", "nan", "inf", "1e300"])
def test_issue16_a_timeout_that_is_no_duration_is_exit_2(timeout: str) -> None:
    """Issue #16.13: ``--timeout`` -1, 0, nan, inf or 1e300 is a usage error (exit 2), not 70."""
    endpoint = f"http://127.0.0.1:{free_port()}/store"
    done = run_policykb("publish", "-e", endpoint, "-g", GRAPH, "--timeout", timeout)
    assert done.returncode == 2, done.stderr
    assert "--timeout" in done.stderr
    assert "internal error" not in done.stderr
