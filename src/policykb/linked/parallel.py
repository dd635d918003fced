"""The Turtle export in two processes: a forked child writes the second half of the reports.

Why it is kept (docs/performance.md): at 1,000 reports one process writes the export in about
2.4× pyoxigraph's own serialisation time, over the 2× target; two processes bring it to about
1.8×. The bytes are the same as one process writes (tests/test_export.py).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import tempfile
from collections.abc import Sequence
from typing import BinaryIO, NoReturn

from policykb.gcpause import no_gc
from policykb.linked.iris import plain
from policykb.linked.mapping import Statements, write_head, write_reports, write_tail
from policykb.model import KnowledgeBase
from policykb.signals import default_actions, unwind_on_signals

#: Fewer recommendations than this are written in one process: forking would cost more than
#: it saves (about 20 ms against about 15 µs a recommendation).
MIN_RECOMMENDATIONS = 4000
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def write_in_two(kb: KnowledgeBase, out: BinaryIO, base: str, counts: Sequence[int]) -> int | None:
    """Write ``kb`` as Turtle with a forked child writing the second half of the reports.

    Each process reads only its own half of the reports (``kb.reports_between``: a cached
    knowledge base reads just those rows) and checks it with :func:`.iris.plain`; the child sends
    its verdict and its report ids through a pipe, then writes its Turtle to an unnamed
    temporary file, followed by the countries it named, the triples it wrote and two lengths.
    The parent writes nothing until both halves are known to be plain and their report ids
    disjoint, then writes the head, its half, the child's bytes and the tail. ``None`` (nothing
    written) when the knowledge base is not plain: the caller takes the serial path, which hands
    it to pyoxigraph.
    A child that dies or leaves a garbled file only makes the parent write that half itself.

    The child dies with the parent: SIGTERM or SIGHUP to the parent unwind it
    (:func:`policykb.signals.unwind_on_signals`) and any error or signal there kills the child
    before it is waited for; should the parent die outright (SIGKILL), the kernel kills the
    child (:func:`_die_with`).

    Forking happens only on Linux with no other thread running (a lock held by another thread
    would stay held in the child).
    """
    split = split_point(counts)
    verdict_in, verdict_out = os.pipe()
    parent = os.getpid()
    with unwind_on_signals(), tempfile.TemporaryFile() as spill:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            try:  # the child must never return into the parent's code below
                _die_with(parent)
                os.close(verdict_in)
                _child_reports(kb, base, split, len(counts), spill, verdict_out)
            finally:
                os._exit(1)
        try:
            os.close(verdict_out)
            writer = Statements(base, out)
            with no_gc():
                mine = kb.reports_between(0, split)
                ids = {report.id for report in mine}
                mine_plain = len(ids) == len(mine) and plain(kb, base, mine)
                theirs = _read_verdict(verdict_in)  # the child checks its half meanwhile
                if not mine_plain or theirs is None or not ids.isdisjoint(theirs):
                    os.kill(pid, signal.SIGKILL)
                    return None
                write_head(writer, kb)
                write_reports(writer, mine)
        except BaseException:  # an error, Ctrl-C or a terminating signal: the half is not wanted
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            raise
        finally:
            os.close(verdict_in)
            _, status = os.waitpid(pid, 0)
        with no_gc():
            if status != 0 or not _copy_child_reports(spill, writer):
                write_reports(writer, kb.reports_between(split, len(counts)))
            write_tail(writer, kb)
    return writer.written


def split_point(counts: Sequence[int]) -> int:
    """Where the parent's half of the reports ends: halves of about equal recommendations."""
    split, running, total = 0, 0, sum(counts)
    while split < len(counts) and running * 2 < total:
        running += counts[split]
        split += 1
    return split


def _die_with(parent: int) -> None:
    """In the forked child: be killed when the parent dies, and never outlive it.

    ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` asks Linux to kill the child when the parent ends,
    however it ends; a parent already gone by then (the child's parent is then another
    process) ends the child here. The signals the parent unwinds end the child at once.
    """
    import ctypes

    default_actions()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _read_verdict(fd: int) -> set[str] | None:
    """The child's report ids when it found its half plain; ``None`` otherwise (or if it died)."""
    with os.fdopen(fd, "rb", closefd=False) as pipe:
        message = pipe.read()
    if not message.startswith(b"+"):
        return None
    return set(message[1:].decode().split("\n")) - {""}


def _child_reports(
    kb: KnowledgeBase, base: str, start: int, stop: int, spill: BinaryIO, verdict: int
) -> NoReturn:
    """In the forked child: reports ``start`` to ``stop`` as Turtle into ``spill``; never returns.

    First the verdict goes to the pipe ``verdict``: ``+`` and the report ids, one per line, when
    the half is plain, ``-`` when not. ``spill`` ends with the countries named (one per line)
    and three 8-byte numbers: the triples written (for the dataset description's count), and
    the lengths of the Turtle and of the countries. ``os._exit`` leaves the parent's
    buffers and handlers alone.
    """
    status = 1
    try:
        reports = kb.reports_between(start, stop)
        ids = [report.id for report in reports]
        half_plain = len(set(ids)) == len(ids) and plain(kb, base, reports)
        with os.fdopen(verdict, "wb") as pipe:
            pipe.write(b"+" + "\n".join(ids).encode() if half_plain else b"-")
        if half_plain:
            child = Statements(base, spill)
            write_reports(child, reports)
            child.drain()
            size = spill.tell()
            named = "\n".join(sorted(child.countries)).encode()
            numbers = (child.triples, size, len(named))
            spill.write(named + b"".join(n.to_bytes(8, "big") for n in numbers))
            spill.flush()
        status = 0
    finally:
        os._exit(status)


def _copy_child_reports(spill: BinaryIO, writer: Statements) -> bool:
    """Append the child's Turtle to ``writer`` and take its countries and its count of triples.

    False, with nothing written, when the file does not end as the child ends it.
    """
    end = spill.seek(0, os.SEEK_END)
    if end < 24:
        return False
    spill.seek(end - 24)
    tail = spill.read(24)
    triples, size, named = (int.from_bytes(tail[i : i + 8], "big") for i in (0, 8, 16))
    if size + named + 24 != end:
        return False
    spill.seek(size)
    countries = spill.read(named).decode()
    writer.drain()
    if not _send(spill, writer, size):
        _copy(spill, writer, size)
    writer.countries.update(countries.split("\n") if countries else ())
    writer.triples += triples
    return True


def _ended_early(missing: int) -> OSError:
    """The error for a spill file that shrank under us: a broken export must not look whole."""
    return OSError(f"the temporary file of the export ended {missing:,} bytes early")


def _copy(spill: BinaryIO, writer: Statements, size: int) -> None:
    """Copy the first ``size`` bytes of ``spill`` to the writer through Python."""
    spill.seek(0)
    left = size
    while left:
        block = spill.read(min(left, 1 << 20))
        if not block:
            raise _ended_early(left)
        writer.write(block)
        left -= len(block)


def _send(spill: BinaryIO, writer: Statements, size: int) -> bool:
    """Copy the first ``size`` bytes of ``spill`` to the writer's stream inside the kernel.

    ``os.sendfile`` moves the bytes from file to file (or pipe) without bringing them into
    Python. False, with nothing written, when the stream has no file descriptor or the kernel
    refuses the first call: the caller then uses :func:`_copy`.
    """
    out = writer.out
    try:
        out_fd = out.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False
    out.flush()  # the statements written so far go before the child's
    sent = 0
    while sent < size:
        try:
            n = os.sendfile(out_fd, spill.fileno(), sent, size - sent)
        except OSError:
            if sent == 0:
                return False
            raise
        if n == 0:
            raise _ended_early(size - sent)
        sent += n
    writer.written += size
    return True
