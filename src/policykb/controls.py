"""Control characters: which ones a text in the data may not hold, and how any that reach a
terminal are shown (issue #16.10).

ESC starts a terminal's escape sequences (``ESC[31m`` turned a piped table red; others move the
cursor, retitle the window or rewrite what was printed), CR returns over what was printed, and
XML 1.0 forbids most C0 controls and U+FFFE/U+FFFF, so the RDF/XML export would not be
well-formed. The validator refuses them in the data (:data:`FORBIDDEN`, the issue code
``control-character``); whatever still reaches a terminal (from Python, a SPARQL result, an
argument echoed in a message) is shown as an escape, ``\\x1b``, by :func:`visible`, which the
CLI's consoles apply to everything they print (:func:`escaping`). Tab and line feed are text.
A file name's undecodable bytes (lone surrogates in Python) are escaped too, and in JSON output
by :func:`utf8_json`, so what policykb prints is always valid UTF-8 (issue #16.16).

Cheap to import: rich is imported only by :func:`escaping`'s caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

#: What no text in the data may hold: C0 controls but tab and line feed, DEL, C1 controls,
#: surrogates, U+FFFE and U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: What is escaped on a terminal: those, and the bidirectional embeddings, overrides and
#: isolates, which reorder how the rest of a line is shown.
_SHOWN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0D: "CR", 0x1B: "ESC", 0x7F: "DEL"}


def char_name(char: str) -> str:
    """``U+001B (ESC)``: a character as a message names it."""
    code = ord(char)
    return f"U+{code:04X}" + (f" ({_NAMES[code]})" if code in _NAMES else "")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with each control character written as its escape (ESC as ``\\x1b``, U+FFFE as
    ``\\ufffe``); tab and line feed are kept. Text without any is returned as it is."""
    if _SHOWN.search(text) is None:
        return text
    return _SHOWN.sub(_escape, text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8_json(value: Any) -> str:
    """``value`` as indented JSON text that always encodes as UTF-8 (issue #16.16).

    A file name's undecodable bytes live on in Python as lone surrogates (0xFF as U+DCFF,
    ``surrogateescape``), which no UTF-8 text may hold: they are written as JSON escapes
    (``\\udcff``), as ``ensure_ascii`` would write them, and everything else as it is.
    """
    import json

    text = json.dumps(value, ensure_ascii=False, indent=2)
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


class _Visible:
    """A rich renderable: ``renderable`` as it renders, control characters in its text escaped.

    Escaping after layout keeps rich's own escape sequences (they are made from styles when the
    segments are written) and costs one search per segment.
    """

    __slots__ = ("renderable",)

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        for segment in console.render(self.renderable, options):
            if segment.control is None and _SHOWN.search(segment.text):
                yield Segment(visible(segment.text), segment.style)
            else:
                yield segment


class _Hook:
    """A rich render hook that wraps everything printed in :class:`_Visible`."""

    def process_renderables(self, renderables: Iterable[Any]) -> list[Any]:
        return [_Visible(renderable) for renderable in renderables]


def escaping(console: Console) -> Console:
    """``console``, whose every print shows control characters as escapes (see above)."""
    console.push_render_hook(_Hook())  # type: ignore[arg-type]  # rich's RenderHook, duck-typed
    return console
