"""Issue #16.6-8: SPARQL queries stay local, end at their time and memory limits and on Ctrl-C,
and a query too deep for the engine is refused, all in real processes."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykb.errors import UsageError
from policykb.linked import sparql, sparqlcheck

FIXTURE = Path(__file__).parent / "data" / "rdf" / "kb"
#: Every triple three times over, sorted: hours of work and gigabytes on any data.
CARTESIAN = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f } ORDER BY ?b ?d ?f LIMIT 1"


def policykb(*args: str) -> list[str]:
    return [sys.executable, "-m", "policykb", "--data", str(FIXTURE), "--no-cache", *args]


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``policykb ARGS`` in a real process, without a proxy."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    return subprocess.run(policykb(*args), capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture
def listener() -> Iterator[tuple[str, list[object]]]:
    """A loopback server that records every connection and never answers one."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    connections: list[object] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            connections.append(connection)  # held open, never answered

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", connections
    finally:
        with contextlib.suppress(OSError):
            server.shutdown(socket.SHUT_RDWR)  # wakes the accept() (close alone does not)
        server.close()
        thread.join(timeout=5)
        for connection in connections:
            connection.close()  # type: ignore[attr-defined]


def test_issue16_service_is_refused_before_any_connection(
    listener: tuple[str, list[object]],
) -> None:
    """``SERVICE <http://…>`` exits 2 naming --allow-service, and no connection is ever made."""
    url, connections = listener
    done = run("sparql", f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert done.returncode == 2, done.stderr
    assert "SERVICE" in done.stderr and "--allow-service" in done.stderr
    time.sleep(0.2)
    assert connections == []


def test_issue16_allowed_service_is_stopped_by_the_timeout(
    listener: tuple[str, list[object]],
) -> None:
    """With --allow-service a server that never answers is reached, and --timeout ends the wait.

    Before, the query hung for minutes (and Ctrl-C did nothing).
    """
    url, connections = listener
    started = time.monotonic()
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    done = run("sparql", "--allow-service", "--timeout", "2", query, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "ran longer than 2 s" in done.stderr
    assert time.monotonic() - started < 30
    assert len(connections) >= 1


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
        "select * where { service silent <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { VALUES ?e { <http://x/> } SeRvIcE ?e { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o .SERVICE $e # a comment\n { ?s ?p ?o } }",
        # '<?b)SERVICE?x#>' reads as an IRI to a tokenizer; to SPARQL it is '<', a comment
        "SELECT * WHERE { ?a ?p ?b FILTER(?a<?b)SERVICE?x#>\n{ ?s ?p ?o } }",
    ],
)
def test_issue16_every_spelling_of_service_is_refused(text: str) -> None:
    """SERVICE in any case, SILENT, on a variable, after a comment or a fake IRI is refused."""
    with pytest.raises(UsageError, match="SERVICE"):
        sparql.check(text)
    sparql.check(text, allow_service=True)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?service WHERE { ?service <http://p> ?o }",
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:service <http://x/> }",
        'SELECT * WHERE { ?r <http://p> ?t FILTER(CONTAINS(?t, "digital service")) }',
    ],
)
def test_issue16_service_as_a_name_or_in_text_is_not_refused(text: str) -> None:
    """A variable or prefixed name called service, or the word in a string, is no SERVICE call."""
    sparql.check(text)


def test_issue16_a_cartesian_query_ends_at_the_timeout() -> None:
    """A query that would run for hours ends at --timeout 1 with exit 2 and a message."""
    started = time.monotonic()
    done = run("sparql", "--timeout", "1", CARTESIAN, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "ran longer than 1 s and was stopped" in done.stderr
    assert time.monotonic() - started < 20  # start-up and loading, then one second


def test_issue16_a_query_over_its_memory_ends_with_a_message() -> None:
    """A query that grows past --memory ends with exit 2 and says so (no traceback, no abort)."""
    done = run("sparql", "--memory", "64", "--timeout", "60", CARTESIAN, timeout=90)
    assert done.returncode == 2, done.stderr
    assert "more memory than it may use (64 MB)" in done.stderr
    assert "memory allocation" not in done.stderr  # the engine's own abort message stays hidden


def _children(pid: int) -> set[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return set()
    return {int(child) for child in found}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and fork")
def test_issue16_ctrl_c_ends_a_running_query_at_once() -> None:
    """SIGINT to a running query ends it within seconds with exit 130; its child is gone too."""
    process = subprocess.Popen(policykb("sparql", CARTESIAN), stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _children(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        children = _children(process.pid)
        assert children, "the query's child process never started"
        time.sleep(0.5)  # the query is running
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
        assert time.monotonic() - sent < 5
        assert process.returncode == 130, stderr
        assert "interrupted" in stderr
        for child in children:
            assert not Path(f"/proc/{child}").exists()
    finally:
        process.kill()
        process.wait()


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "1e300"])
def test_issue16_a_timeout_that_is_no_duration_is_a_usage_error(value: str) -> None:
    """--timeout -1, 0, nan, inf or 1e300 is exit 2 with a message, before anything runs."""
    done = run("sparql", "--timeout", value, "ASK {}")
    assert done.returncode == 2, done.stderr
    assert "--timeout must be more than 0" in done.stderr


def test_issue16_five_thousand_nested_parentheses_are_refused() -> None:
    """5,000 nested parentheses in a FILTER are exit 2 with a located message (they segfaulted)."""
    text = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    done = run("sparql", text)
    assert done.returncode == 2, done.stderr
    assert "brackets nest more than 100 deep" in done.stderr
    assert "1:" in done.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * WHERE " + "{" * 3000 + "}" * 3000, "nest"),
        ("SELECT * WHERE { FILTER(" + "+".join(["1"] * 20000) + ") }", "operators"),
        ("SELECT * WHERE { FILTER(" + "!" * 50000 + "true) }", "operators"),
        ("SELECT * WHERE { " + " UNION ".join(["{?a ?b ?c}"] * 20000) + " }", "operators"),
        ("SELECT * WHERE \\u007B" * 200, "nest"),  # SPARQL's escapes are read as the parser would
    ],
)
def test_issue16_queries_deeper_than_the_engine_bears_are_refused(text: str, message: str) -> None:
    """Braces, long operator chains and long runs of '!' that crashed the engine are refused."""
    with pytest.raises(UsageError, match=message):
        sparql.check(text)


def test_issue16_limits_leave_room_for_real_queries() -> None:
    """A query just within both limits is accepted, and the engine answers it."""
    depth = sparqlcheck.MAX_DEPTH - 2  # the braces and FILTER's own parenthesis
    text = "ASK { FILTER(" + "(" * depth + "1 = 1" + ")" * depth + ") }"
    sparql.check(text)
    from policykb.datafiles.loader import load

    assert sparql.query(load(FIXTURE), text, timeout=30).boolean is True


_CRASH = """
import ctypes
from policykb.linked import isolate

def crash(_):
    ctypes.string_at(0)  # a read of address 0: SIGSEGV

try:
    isolate.call(lambda: None, crash, 10, what="the query")
except isolate.ResourceError as exc:
    print(exc)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the child is forked on Linux")
def test_issue16_a_crashing_engine_is_a_message_not_a_dead_process() -> None:
    """Should the engine crash anyway (SIGSEGV), the child dies and the caller gets an error."""
    done = subprocess.run(
        [sys.executable, "-c", _CRASH], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "the query crashed the query engine (SIGSEGV)" in done.stdout


def test_issue16_errors_in_the_child_come_back_as_they_were() -> None:
    """A malformed query's UsageError (message and hint) crosses from the child unchanged."""
    from policykb.datafiles.loader import load

    with pytest.raises(UsageError) as raised:
        sparql.query(load(FIXTURE), "SELECT ?x WHERE { ?x foo:bar ?y }", timeout=30)
    assert "unknown prefix 'foo:'" in raised.value.message
    assert raised.value.hint is not None and "PREFIX foo:" in raised.value.hint
