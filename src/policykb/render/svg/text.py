"""Text in a diagram: how wide it is, how it wraps into a box, and how it is written as SVG.

SVG has no text layout: a label fits its box only if the drawing measures it beforehand. The
widths here are each printable ASCII character's advance, in thousandths of an em, as the
larger of DejaVu Sans and Liberation Sans (metric-compatible with Arial, so also Helvetica's
widths, near enough) of the same weight, read from the fonts' ``hmtx`` tables. Those are the
fonts the diagrams ask for (:data:`FONT_FAMILY`), and DejaVu Sans is the widest common
sans-serif, so a label measured here fits in any of them (and in narrower fonts with room to
spare). An accented letter is as wide as its base letter (``Ú`` as ``U``); any other character
counts a full em, so a label in another script is over-estimated, never overflowing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

#: The fonts the widths below are measured for, widest first; a page should not override it.
FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"
#: Line height as a multiple of the font size (DejaVu Sans' ascent + descent is 1.164 em).
LEADING = 1.25
#: The smallest font a label is shrunk to before its box grows instead.
MIN_SIZE = 9.0

# fmt: off
_REGULAR = (
    318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337,
    637, 637, 637, 637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 557,
    1016, 685, 687, 723, 771, 667, 611, 778, 752, 295, 500, 667, 558, 863, 749, 788,
    667, 788, 723, 667, 611, 732, 685, 989, 686, 667, 686, 391, 337, 391, 838, 557,
    500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580, 278, 975, 634, 612,
    635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838,
)
_BOLD = (
    349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 366,
    696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 611,
    1000, 774, 763, 734, 831, 684, 684, 821, 837, 373, 557, 775, 638, 996, 837, 851,
    733, 851, 771, 721, 683, 813, 774, 1104, 771, 725, 726, 458, 366, 458, 838, 557,
    500, 675, 716, 593, 716, 679, 436, 716, 712, 343, 343, 666, 343, 1042, 712, 688,
    716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712, 366, 712, 838,
)
# fmt: on
# common punctuation outside ASCII, the larger of both weights
_PUNCTUATION = {
    "\u00a0": 349,
    "–": 556,
    "—": 1000,
    "‘": 380,
    "’": 380,
    "“": 658,
    "”": 658,
    "…": 1000,
    "•": 640,
    "·": 380,
    "€": 696,
}


def char_width(char: str, bold: bool = False) -> float:
    """The advance of one character in em."""
    table = _BOLD if bold else _REGULAR
    code = ord(char)
    if 32 <= code < 127:
        return table[code - 32] / 1000
    if char in _PUNCTUATION:
        return _PUNCTUATION[char] / 1000
    base = unicodedata.normalize("NFD", char)[0]
    if base != char and 32 <= ord(base) < 127:
        return table[ord(base) - 32] / 1000
    if unicodedata.combining(char):
        return 0.0
    return 1.0


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` at font ``size`` (px), with no kerning (which only narrows)."""
    return sum(char_width(c, bold) for c in text) * size


#: A run of text in one weight: ``(text, bold)``.
Run = tuple[str, bool]
#: A line of text: runs side by side.
Line = tuple[Run, ...]


def line_width(line: Line, size: float) -> float:
    """The width of a line of runs."""
    return sum(text_width(text, size, bold) for text, bold in line)


def line_text(line: Line) -> str:
    """The characters of a line."""
    return "".join(text for text, _ in line)


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Lines of text at one font size, centred in a box when drawn."""

    lines: tuple[Line, ...]
    size: float

    @property
    def width(self) -> float:
        """The widest line's width."""
        return max((line_width(line, self.size) for line in self.lines), default=0.0)

    @property
    def height(self) -> float:
        """The height of all the lines."""
        return len(self.lines) * self.size * LEADING

    @property
    def text(self) -> str:
        """The lines' characters joined by spaces: what a reader of the block reads."""
        return " ".join(line_text(line) for line in self.lines)


def single(text: str, size: float, bold: bool = False) -> TextBlock:
    """``text`` as one line that is never wrapped (a number, a code, a short heading)."""
    return TextBlock((((text, bold),),), size)


def words(label: str, lead: str | None = None, bold: bool = False) -> list[Run]:
    """``label`` as runs of one word each, after an optional bold ``lead`` (a notation)."""
    runs: list[Run] = [(lead, True)] if lead else []
    runs += [(w, bold) for w in label.split()]
    return runs


def wrap(runs: Sequence[Run], width: float, size: float) -> tuple[Line, ...] | None:
    """Words filled into lines no wider than ``width``; ``None`` when a word alone is wider."""
    lines: list[Line] = []
    current: list[Run] = []
    used = 0.0
    for text, bold in runs:
        word = text_width(text, size, bold)
        if word > width:
            return None
        space = text_width(" ", size, current[-1][1]) if current else 0.0
        if current and used + space + word > width:
            lines.append(_joined(current))
            current, used, space = [], 0.0, 0.0
        current.append((text, bold))
        used += space + word
    if current:
        lines.append(_joined(current))
    return tuple(lines)


def _joined(runs: Sequence[Run]) -> Line:
    """Words of a line merged into runs of one weight, each word followed by its space."""
    merged: list[Run] = []
    for i, (text, bold) in enumerate(runs):
        piece = text if i == len(runs) - 1 else text + " "
        if merged and merged[-1][1] == bold:
            merged[-1] = (merged[-1][0] + piece, bold)
        else:
            merged.append((piece, bold))
    return tuple(merged)


def fit(runs: Sequence[Run], width: float, size: float, max_lines: int | None = None) -> TextBlock:
    """``runs`` wrapped into ``width`` at ``size``, shrunk (down to :data:`MIN_SIZE`) until
    every word fits and there are at most ``max_lines`` lines; a word wider than ``width``
    even then is cut into pieces that fit."""
    step = size
    while step >= MIN_SIZE:
        lines = wrap(runs, width, step)
        if lines is not None and (max_lines is None or len(lines) <= max_lines):
            return TextBlock(lines, step)
        step -= 0.5
    pieces = [piece for run in runs for piece in _cut(run, width, MIN_SIZE)]
    lines = wrap(pieces, width, MIN_SIZE)
    assert lines is not None  # every piece fits by construction
    return TextBlock(lines, MIN_SIZE)


def _cut(run: Run, width: float, size: float) -> list[Run]:
    """A word too wide for ``width`` as pieces that fit (the last resort)."""
    text, bold = run
    pieces: list[Run] = []
    piece = ""
    for char in text:
        if piece and text_width(piece + char, size, bold) > width:
            pieces.append((piece, bold))
            piece = ""
        piece += char
    pieces.append((piece, bold))
    return pieces


# ---------------------------------------------------------------------------------------------
# Writing


_ESCAPES: dict[int, str | None] = {c: None for c in range(32) if chr(c) not in "\t\n\r"}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"})
_ESCAPES.update({ord('"'): "&quot;", ord("'"): "&#39;"})


def escape(text: str) -> str:
    """``text`` safe in XML content and in a double-quoted attribute.

    ``& < > " '`` become references; control characters, which XML 1.0 cannot hold at all,
    are dropped.
    """
    return text.translate(_ESCAPES)


def number(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: the same bytes each run."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


_WEIGHT = {True: "700", False: "400"}


def text_element(
    block: TextBlock,
    cx: float,
    cy: float,
    fill: str,
    bold: bool = False,
    anchor: str = "middle",
) -> str:
    """The block as one ``<text>``, its lines centred on ``cy``; ``cx`` is the centre (or the
    left edge with ``anchor="start"``). Each line is a ``<tspan>`` with its own position; a
    run of the other weight inside a line is a nested ``<tspan font-weight="…">``."""
    lead = block.size * LEADING
    top = cy - block.height / 2
    weight = f' font-weight="{_WEIGHT[True]}"' if bold else ""
    parts = [
        f'<text x="{number(cx)}" y="{number(cy)}" font-size="{number(block.size)}" '
        f'fill="{fill}" text-anchor="{anchor}"{weight}>'
    ]
    for i, line in enumerate(block.lines):
        # a line box of height ``lead``; the glyphs' middle sits 0.35 em above the baseline
        baseline = top + i * lead + lead / 2 + 0.35 * block.size
        runs = "".join(
            escape(text)
            if run_bold == bold
            else f'<tspan font-weight="{_WEIGHT[run_bold]}">{escape(text)}</tspan>'
            for text, run_bold in line
        )
        parts.append(f'<tspan x="{number(cx)}" y="{number(baseline)}">{runs}</tspan>')
    parts.append("</text>")
    return "".join(parts)
