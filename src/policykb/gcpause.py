"""Pausing the cyclic garbage collector while policykb builds or reads many acyclic objects.

Loading 1,000 reports makes millions of dicts, lists, strings and frozen dataclasses, and none
of them refers back to itself. With the collector on, each burst of allocations triggers a
collection, and the full ones scan the whole (growing) heap again: a third of the load time, and
more than half of an unpickle. Nothing is lost by waiting: garbage with cycles made meanwhile
is collected after the block, when the collector runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (nested blocks are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
