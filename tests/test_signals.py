"""policykb.signals: SIGTERM and SIGHUP unwind a block, and only where they would have killed."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

import pytest

from policykb.signals import TerminatedError, default_actions, unwind_on_signals


@pytest.fixture(autouse=True)
def restore_actions() -> Iterator[None]:
    """Whatever a test does to SIGTERM, SIGHUP and SIGINT is undone after it."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
    yield
    for signum, action in saved.items():
        signal.signal(signum, action)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_terminating_signal_raises_inside_the_block(signum: int) -> None:
    """Inside the block the signal raises TerminatedError (a SystemExit of 128 + N); after, the
    default action is back."""
    signal.signal(signum, signal.SIG_DFL)
    cleaned = []
    with pytest.raises(TerminatedError) as caught, unwind_on_signals():
        try:
            os.kill(os.getpid(), signum)
            signal.pause()  # pragma: no cover - the handler raises first
        finally:
            cleaned.append(True)
    assert cleaned == [True]
    assert isinstance(caught.value, SystemExit)
    assert caught.value.code == 128 + signum
    assert signal.getsignal(signum) == signal.SIG_DFL


def test_an_ignored_or_handled_signal_is_left_alone() -> None:
    """``nohup``'s ignored SIGHUP stays ignored, and a program's own SIGTERM handler is kept."""
    seen: list[int] = []

    def own(signum: int, frame: FrameType | None) -> None:
        seen.append(signum)

    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, own)
    with unwind_on_signals():
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) is own
        os.kill(os.getpid(), signal.SIGHUP)
        os.kill(os.getpid(), signal.SIGTERM)
    assert seen == [signal.SIGTERM]


def test_a_second_signal_does_not_interrupt_the_cleanup() -> None:
    """Once the first signal has been raised, another one in the same block is not raised."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with pytest.raises(TerminatedError), unwind_on_signals():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # ignored: the cleanup goes on
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_outside_the_main_thread_nothing_changes() -> None:
    """Handlers can be set only in the main thread: elsewhere the block changes nothing."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    seen = []

    def body() -> None:
        with unwind_on_signals():
            seen.append(signal.getsignal(signal.SIGTERM))

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    assert seen == [signal.SIG_DFL]


def test_default_actions_drop_python_handlers_but_keep_ignored_ones() -> None:
    """A forked child ends at once on the signals its parent handles; an ignored one stays so."""
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    with unwind_on_signals():
        default_actions()
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        assert signal.getsignal(signal.SIGINT) == signal.SIG_DFL
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
