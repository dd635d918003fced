"""Publish the knowledge base to a SPARQL store with one HTTP PUT (SPARQL 1.1 Graph Store Protocol).

``PUT ENDPOINT?graph=IRI`` with the Turtle export replaces that named graph in one request,
which the store applies atomically: a refused or failed request leaves the earlier graph as it
was (nothing is deleted first). Credentials come only from the environment:
``POLICYKB_SPARQL_TOKEN`` (bearer) or ``POLICYKB_SPARQL_USER`` / ``POLICYKB_SPARQL_PASSWORD``
(basic, or digest when the store asks for it, as Virtuoso does). A URL holding credentials
(``user:password@``) is refused without being shown, a credential with a line break or other
control character is a usage error before anything is sent, and no message shows a
credential (issue #16.9).

The graph published ends with the dataset description every export has, plus the SPARQL
endpoint where it can be queried (``void:sparqlEndpoint``): the one given, else the one the
data's ``dataset.yaml`` declares, else the query endpoint of a store whose paths are known
(:func:`query_endpoint`).
"""

from __future__ import annotations

import http.client
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, fields, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from policykb.errors import EndpointError, UsageError
from policykb.linked import check_timeout
from policykb.linked.vocab import DEFAULT_BASE_IRI
from policykb.model import KnowledgeBase

TOKEN_VAR = "POLICYKB_SPARQL_TOKEN"
USER_VAR = "POLICYKB_SPARQL_USER"
PASSWORD_VAR = "POLICYKB_SPARQL_PASSWORD"
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True, slots=True)
class Published:
    """What a successful publish did: where it went, the HTTP status, and how much it sent."""

    url: str
    graph: str
    status: int
    size: int
    sparql_endpoint: str | None = None  # the void:sparqlEndpoint the graph names, if any


#: A Graph Store Protocol endpoint's path (a regular expression) -> the path of the same
#: store's SPARQL query endpoint: Oxigraph, Apache Jena Fuseki, GraphDB, Virtuoso.
_QUERY_PATHS = (
    (re.compile(r"^(.*)/store/?$"), r"\1/query"),
    (re.compile(r"^(/[^/]+)/data/?$"), r"\1/sparql"),
    (re.compile(r"^(.*/repositories/[^/]+)/rdf-graphs/service/?$"), r"\1"),
    (re.compile(r"^(.*)/sparql-graph-crud(-auth)?/?$"), r"\1/sparql"),
)


def query_endpoint(endpoint: str) -> str | None:
    """The SPARQL query endpoint of the store whose Graph Store endpoint is ``endpoint``, for
    the stores whose paths are known (Oxigraph ``/store`` -> ``/query``, Fuseki ``/DS/data`` ->
    ``/DS/sparql``, GraphDB ``…/rdf-graphs/service`` -> the repository, Virtuoso
    ``/sparql-graph-crud(-auth)`` -> ``/sparql``); ``None`` for any other."""
    parts = urlsplit(endpoint)
    for pattern, path in _QUERY_PATHS:
        if pattern.match(parts.path):
            found = pattern.sub(path, parts.path)
            return urlunsplit((parts.scheme, parts.netloc, found, "", ""))
    return None


def graph_store_url(endpoint: str, graph: str) -> str:
    """``endpoint`` with ``graph=IRI`` added to its query; its own parameters are kept as they are.

    A usage error for anything that would send the request elsewhere than the endpoint means:
    a fragment (``#x``: never sent, and a naive ``?graph=`` after it would be dropped with it,
    replacing the whole store), a query that already names a graph (``graph=`` or ``default``),
    a space or control character (CR/LF would split the request), or a malformed host or port.
    Credentials in the URL are refused first, and never shown (:func:`refuse_credentials`).
    """
    refuse_credentials(endpoint, "the endpoint")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in endpoint):
        raise UsageError(
            f"the endpoint {endpoint!r} holds a space or control character",
            "percent-encode it (%20) or check the URL",
        )
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number up to 65535)
    except ValueError as exc:
        raise UsageError(f"'{endpoint}' is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"'{endpoint}' is not an http(s) URL",
            "give the store's Graph Store Protocol endpoint, such as http://localhost:7878/store",
        )
    if "#" in endpoint:
        raise UsageError(
            f"the endpoint '{endpoint}' has a fragment (#{parts.fragment}), which is never sent "
            "to the store",
            "drop the '#…' part: the graph is named with --graph",
        )
    if not _ABSOLUTE_IRI.match(graph):
        raise UsageError(
            f"'{graph}' is not an absolute IRI",
            "name the graph with an IRI such as https://w3id.org/policykb/graph",
        )
    named = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if named & {"graph", "default"}:
        raise UsageError(
            f"the endpoint '{endpoint}' already names a graph in its query",
            "drop graph=/default from the endpoint: the graph is named with --graph",
        )
    query = "&".join(q for q in (parts.query, urlencode({"graph": graph})) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def refuse_credentials(url: str, what: str) -> None:
    """A usage error, showing ``url`` without them, when ``url`` holds ``user:password@``.

    Any ``@`` before the query counts (``user:pa/ss@host`` puts the ``@`` in the path, as a
    URL parser reads it): a password must never reach a message, a log or the published graph.
    """
    if "@" in url.split("?", 1)[0]:
        raise UsageError(
            f"{what} {shown_url(url)} holds credentials (user:password@), which policykb "
            "never takes from a URL",
            f"set {USER_VAR} and {PASSWORD_VAR}, or {TOKEN_VAR}, in the environment instead "
            "(an '@' that belongs in the path is written %40)",
        )


def shown_url(url: str) -> str:
    """``url`` as a message may show it: whatever comes before its last ``@`` is ``***``."""
    if "@" not in url:
        return f"'{url}'"
    scheme, separator, _ = url.partition("://")
    start = f"{scheme}://" if separator else ""
    return f"'{start}***@{url.rsplit('@', 1)[1]}'"


def _credential(name: str) -> str | None:
    """The environment variable ``name``; a usage error (naming it, not its value) for a
    value holding a line break or other control character, which would split the request."""
    value = os.environ.get(name)
    if value and any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise UsageError(
            f"{name} holds a line break or other control character",
            f"set {name} to the credential alone (no newline at its end)",
        )
    if value and name == TOKEN_VAR and not all(0x21 <= ord(ch) <= 0x7E for ch in value):
        raise UsageError(
            f"{name} holds a space or a character a bearer token cannot hold",
            f"set {name} to the token alone",
        )
    return value


def _secrets() -> list[str]:
    """The credentials of the environment as they could appear in a reply: to be hidden."""
    import base64

    token, user = os.environ.get(TOKEN_VAR), os.environ.get(USER_VAR)
    password = os.environ.get(PASSWORD_VAR)
    found = [value for value in (token, password) if value]
    if user:
        pair = f"{user}:{password or ''}".encode()
        found.append(base64.b64encode(pair).decode("ascii"))
    return found


def hidden(text: str) -> str:
    """``text`` with every credential of the environment in it replaced by ``***``."""
    for secret in sorted(_secrets(), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def _opener(url: str) -> tuple[urllib.request.OpenerDirector, dict[str, str]]:
    """A URL opener and headers carrying the credentials of the environment, if any."""
    headers: dict[str, str] = {}
    handlers: list[urllib.request.BaseHandler] = []
    token = _credential(TOKEN_VAR)
    user = _credential(USER_VAR)
    _credential(PASSWORD_VAR)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    elif user:
        passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        passwords.add_password(
            None, url, user, os.environ.get(PASSWORD_VAR, ""), is_authenticated=True
        )  # send basic credentials up front
        handlers = [
            urllib.request.HTTPBasicAuthHandler(passwords),
            urllib.request.HTTPDigestAuthHandler(passwords),
        ]
    return urllib.request.build_opener(*handlers), headers


def put_graph(
    endpoint: str, graph: str, data: bytes, content_type: str = "text/turtle", timeout: float = 60.0
) -> Published:
    """Replace ``graph`` in the store at ``endpoint`` with ``data``; EndpointError on failure."""
    url = graph_store_url(endpoint, graph)
    check_timeout(timeout)
    opener, headers = _opener(url)
    request = urllib.request.Request(
        url, data=data, method="PUT", headers={**headers, "Content-Type": content_type}
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        body = hidden(exc.read(2000).decode("utf-8", "replace").strip())
        detail = f": {' '.join(body.split())}" if body else ""
        raise EndpointError(
            f"{endpoint} refused the graph: HTTP {exc.code} {exc.reason}{detail}",
            "the store's graph is unchanged",
        ) from None
    except urllib.error.URLError as exc:
        raise EndpointError(
            f"cannot reach {endpoint}: {exc.reason}", "is the store running, and is the URL right?"
        ) from None
    except (TimeoutError, ConnectionError) as exc:
        raise EndpointError(
            f"cannot reach {endpoint}: {exc}", "is the store running, and is the URL right?"
        ) from None
    except http.client.HTTPException as exc:  # a garbled status line or headers
        raise EndpointError(
            f"{endpoint} did not answer in HTTP: {type(exc).__name__}: {hidden(str(exc)[:200])!r}",
            "is the URL that of the store's Graph Store Protocol endpoint?",
        ) from None
    if not 200 <= status < 300:
        raise EndpointError(f"{endpoint} answered HTTP {status}, not success")
    return Published(url, graph, status, len(data))


def publish(
    kb: KnowledgeBase,
    endpoint: str,
    graph: str,
    base_iri: str = DEFAULT_BASE_IRI,
    timeout: float = 60.0,
    sparql_endpoint: str | None = None,
) -> Published:
    """Replace named graph ``graph`` in the SPARQL store at ``endpoint`` with the knowledge base.

    Its dataset description names ``sparql_endpoint`` as ``void:sparqlEndpoint``; without it,
    the data's own, else the store's query endpoint when :func:`query_endpoint` knows it.
    """
    from policykb.linked.export import serialize

    graph_store_url(endpoint, graph)  # a usage error before the work of serialising
    check_timeout(timeout)
    if sparql_endpoint is not None:  # it would be published in the graph
        refuse_credentials(sparql_endpoint, "the SPARQL endpoint")
    for name in (TOKEN_VAR, USER_VAR, PASSWORD_VAR):  # before the work of serialising
        _credential(name)
    where = sparql_endpoint or kb.dataset.sparql_endpoint or query_endpoint(endpoint)
    if where is not None and where != kb.dataset.sparql_endpoint:
        if not _ABSOLUTE_IRI.match(where):
            raise UsageError(f"'{where}' is not an absolute IRI", "give the store's query URL")
        kb = with_sparql_endpoint(kb, where)
    done = put_graph(endpoint, graph, serialize(kb, "turtle", base_iri), timeout=timeout)
    return replace(done, sparql_endpoint=where)


def with_sparql_endpoint(kb: KnowledgeBase, sparql_endpoint: str) -> KnowledgeBase:
    """``kb`` whose dataset description names ``sparql_endpoint`` (a plain knowledge base)."""
    values = {f.name: getattr(kb, f.name) for f in fields(KnowledgeBase)}
    values["dataset"] = replace(kb.dataset, sparql_endpoint=sparql_endpoint)
    return KnowledgeBase(**values)
