"""Terminating signals that unwind a write instead of killing it where it stands.

By default SIGTERM and SIGHUP end a process at once: no ``finally`` runs, so a half-written
temporary file stays beside its target and a forked child runs on. Inside
:func:`unwind_on_signals` they raise :class:`TerminatedError` instead, as SIGINT raises
``KeyboardInterrupt``, so the context managers of the write remove what they made and kill
what they started. The error is a ``SystemExit`` whose code is 128 + the signal's number (143
for SIGTERM, 129 for SIGHUP), the status a shell gives a process a signal ended.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: The signals that :func:`unwind_on_signals` turns into :class:`TerminatedError`.
TERMINATING = (signal.SIGTERM, signal.SIGHUP)


class TerminatedError(SystemExit):
    """SIGTERM or SIGHUP arrived during a write; it exits with 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


@contextmanager
def unwind_on_signals() -> Iterator[None]:
    """Within the block SIGTERM and SIGHUP raise :class:`TerminatedError` (once), not kill.

    Only a signal left at its default action is taken over: one the program ignores (``nohup``)
    or handles itself stays as it is, and so does a block nested in another. Outside the main
    thread, where Python cannot set handlers, nothing changes. The old actions come back at the
    end; a second signal while the first unwinds is not raised again, so cleanup can finish.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired = False

    def terminate(signum: int, frame: FrameType | None) -> None:
        nonlocal fired
        if not fired:
            fired = True
            raise TerminatedError(signum)

    taken: list[signal.Signals] = []
    try:
        for signum in TERMINATING:
            if signal.getsignal(signum) == signal.SIG_DFL:
                signal.signal(signum, terminate)
                taken.append(signum)
        yield
    finally:
        for signum in taken:
            signal.signal(signum, signal.SIG_DFL)


def default_actions() -> None:
    """In a forked child: the signals the parent handles in Python end the child at once again.

    A child that only fills an unnamed temporary file has nothing to clean up, and must never
    unwind into the parent's code. An ignored signal stays ignored.
    """
    for signum in (*TERMINATING, signal.SIGINT):
        if callable(signal.getsignal(signum)):
            signal.signal(signum, signal.SIG_DFL)
