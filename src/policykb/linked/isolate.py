"""Run work that may not end (a SPARQL query) where it can be stopped: a child process.

A query runs inside Oxigraph's Rust code, where Python cannot interrupt it: Ctrl-C waits
until the query ends (issue #16.7: a cartesian product with ``ORDER BY`` grew 250 MB/s and
ignored SIGINT), and a query that overflows the engine's stack kills the whole process (#16.8:
exit 139). :func:`call` runs it in a forked child instead. The parent only waits on a pipe, so
Ctrl-C, SIGTERM and SIGHUP reach it at once; it kills the child (``SIGKILL``: the kernel frees
its memory, whatever the engine holds) when the time is up, on any signal or error, and the
kernel kills the child should the parent die outright. A child that crashes or runs out of
memory becomes an error message. The answer comes back pickled through the pipe (from the
child this process forked, nothing else).

The child first runs ``prepare`` (loading the store: bounded by the data) and then ``work``
under the deadline, so ``timeout`` measures the query, not the loading. Where forking is not
safe (not Linux, or other threads running) the work runs in a thread instead: Ctrl-C and the
deadline still end the wait (Oxigraph releases the GIL while it evaluates), though the thread
itself runs on until the process exits, and no memory limit applies.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from policykb import errors
from policykb.errors import PolicykbError, UsageError
from policykb.signals import default_actions, unwind_on_signals

T = TypeVar("T")
S = TypeVar("S")

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_READY = b"\x01"  # the child's first byte: prepared, the deadline starts


class TimeLimitError(UsageError):
    """The work ran longer than it was allowed."""


class ResourceError(UsageError):
    """The work crashed or ran out of memory in its child process."""


def call(
    prepare: Callable[[], S],
    work: Callable[[S], T],
    timeout: float | None,
    memory: int | None = None,
    what: str = "the work",
) -> T:
    """``work(prepare())``, the work stopped after ``timeout`` seconds (``None``: no limit).

    Raises :class:`TimeLimitError` when the time is up, :class:`ResourceError` when the child
    dies (a crash, or over ``memory`` bytes of address space beyond what it started with), and
    re-raises a :class:`~policykb.errors.PolicykbError` the work raised. ``what`` names the work
    in those messages.
    """
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return _in_child(prepare, work, timeout, memory, what)
    return _in_thread(prepare, work, timeout, what)  # pragma: no cover - not Linux


def _in_child(
    prepare: Callable[[], S],
    work: Callable[[S], T],
    timeout: float | None,
    memory: int | None,
    what: str,
) -> T:
    read_end, write_end = os.pipe()
    parent = os.getpid()
    with unwind_on_signals():
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            try:  # the child must never return into the parent's code
                os.close(read_end)
                _child(parent, prepare, work, memory, write_end)
            finally:
                os._exit(1)
        done = False
        try:
            os.close(write_end)
            message = _receive(read_end, timeout, what)
            done = True
        finally:
            os.close(read_end)
            if not done:  # the time is up, Ctrl-C, a signal or an error: the answer is not wanted
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    result: T = _answer(message, status, memory, what)
    return result


def _child(
    parent: int,
    prepare: Callable[[], S],
    work: Callable[[S], T],
    memory: int | None,
    out: int,
) -> None:  # pragma: no cover - runs in the child
    """In the forked child: prepare, say so, work, send the answer; ``os._exit`` follows."""
    import ctypes

    default_actions()  # Ctrl-C and terminating signals end the child at once
    with contextlib.suppress(OSError):  # the engine's own words (an abort's backtrace): the
        devnull = os.open(os.devnull, os.O_WRONLY)  # parent says what happened, once
        os.dup2(devnull, 2)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent is gone already
        return
    answer: tuple[Any, ...]
    try:
        state = prepare()
        _write(out, _READY)
        if memory is not None:
            _limit_memory(memory)
        answer = ("ok", work(state))
    except PolicykbError as exc:
        answer = ("error", type(exc).__name__, exc.message, exc.hint)
    except MemoryError:
        answer = ("memory",)
    except Exception as exc:
        answer = ("internal", f"{type(exc).__name__}: {exc}")
    try:
        data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        data = pickle.dumps(("internal", f"{type(exc).__name__}: {exc}"))
    _write(out, data)


def _limit_memory(extra: int) -> None:  # pragma: no cover - runs in the child
    """Allow the child ``extra`` bytes of address space beyond what it maps now."""
    import resource

    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
        mapped = pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return
    limit = mapped + extra
    with contextlib.suppress(OSError, ValueError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _write(fd: int, data: bytes) -> None:  # pragma: no cover - runs in the child
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int, timeout: float | None, what: str) -> bytes:
    """Everything the child sends; the deadline starts at its first byte (prepared)."""
    chunks: list[bytes] = []
    deadline: float | None = None
    while True:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            assert timeout is not None
            raise TimeLimitError(
                f"{what} ran longer than {timeout:g} s and was stopped",
                "give --timeout SECONDS to allow longer, or make the query cheaper: LIMIT "
                "does not shorten an ORDER BY over a cartesian product",
            )
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        if not chunks and chunk.startswith(_READY):
            if timeout is not None:
                deadline = time.monotonic() + timeout
            chunk = chunk.removeprefix(_READY)
        chunks.append(chunk)


def _answer(message: bytes, status: int, memory: int | None, what: str) -> Any:
    """The child's answer, or the error that stands for it."""
    answer: tuple[Any, ...] | None = None
    with contextlib.suppress(Exception):
        answer = pickle.loads(message) if message else None  # from the child forked above
    if answer is None or answer[0] == "memory":
        raise _died(status, memory, what, answer is not None)
    if answer[0] == "ok":
        return answer[1]
    if answer[0] == "error":
        _, name, text, hint = answer
        kind = getattr(errors, name, None)
        if not (isinstance(kind, type) and issubclass(kind, PolicykbError)):
            kind = UsageError
        try:
            raised = kind(text, hint)
        except TypeError:  # a subclass that takes other arguments
            raised = UsageError(text, hint)
        raise raised
    raise RuntimeError(answer[1])  # a bug in the work: exit 70 like any other


def _died(status: int, memory: int | None, what: str, out_of_memory: bool) -> ResourceError:
    """The error for a child that ended without an answer (or ran out of memory)."""
    signalled = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    # Rust aborts when an allocation fails: over the limit, that is running out of memory
    if out_of_memory or (memory is not None and signalled == signal.SIGABRT):
        limit = f"{memory // 2**20:,} MB" if memory is not None else "the memory there is"
        return ResourceError(
            f"{what} needed more memory than it may use ({limit}) and was stopped",
            "give --memory MB to allow more, or make the query cheaper",
        )
    if signalled == signal.SIGKILL:
        return ResourceError(f"{what} was killed (SIGKILL), perhaps by the system for its memory")
    if signalled is not None:
        return ResourceError(
            f"{what} crashed the query engine ({signal.Signals(signalled).name})",
            "a query nested or chained very deeply can overflow the engine's stack: simplify it",
        )
    code = os.waitstatus_to_exitcode(status)
    return ResourceError(f"{what} ended without an answer (exit status {code})")


def _in_thread(
    prepare: Callable[[], S], work: Callable[[S], T], timeout: float | None, what: str
) -> T:  # pragma: no cover - not Linux
    """The fallback: the work in a daemon thread, this thread waiting for it (see above)."""
    outcome: list[Any] = []
    prepared = threading.Event()

    def target() -> None:
        try:
            state = prepare()
            prepared.set()
            outcome.append(("ok", work(state)))
        except BaseException as exc:
            outcome.append(("raised", exc))
        finally:
            prepared.set()

    thread = threading.Thread(target=target, name="policykb-query", daemon=True)
    thread.start()
    while not prepared.wait(0.1):  # short waits: Ctrl-C is seen between them
        pass
    deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
    while thread.is_alive():
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeLimitError(f"{what} ran longer than {timeout:g} s and was stopped")
        thread.join(min(left, 0.1))
    kind, value = outcome[0]
    if kind == "raised":
        raise value
    result: T = value
    return result
