"""A table layout that keeps ids, URLs and numbers whole, for the query tables.

rich's ``Table`` folds a word longer than its column mid-word, so a long concept id or URL
comes out in two pieces that cannot be copied. A :class:`Listing` lays rows out in columns of
which one is wide (it takes the width the others leave); the other columns are as wide as
their longest word, so a number or code never splits. Each row may carry *pieces*: ids and
URLs (kept whole) or phrases (wrapped), packed under the wide cell and joined by ``" · "``. A
piece longer than the wide cell goes on a line of its own from the left margin, and every piece
after it follows below; a piece longer than the console stays whole on one line.

Print a listing with ``crop=False`` (the CLI does, and :func:`plain_text` does), so that such a
line is not cut at the console's width: the terminal soft-wraps it and it is still copied as one.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich._wrap import divide_line  # rich's word wrap, without folding long words
from rich.align import AlignMethod
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

#: Columns are separated by this many spaces; a line starts with one space (the tables' edge).
GAP = 3
EDGE = 1
#: The wide column is never narrower than this, even when the console is narrower than the rest.
MIN_WIDE = 16


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header, how its cells align, and whether it is the wide one."""

    header: str
    justify: AlignMethod = "left"
    max_width: int | None = None  # wrap at spaces beyond this (never inside a word)
    wide: bool = False


@dataclass(frozen=True, slots=True)
class Piece:
    """An id or URL (``whole``: never wrapped) or a phrase, and what joins it to the one before."""

    text: Text
    joiner: str = " · "
    whole: bool = True


@dataclass(frozen=True, slots=True)
class Row:
    """One row: a cell per column, then the pieces that go under the wide cell."""

    cells: tuple[Text, ...]
    pieces: tuple[Piece, ...] = ()


def id_pieces(values: Iterable[str | None], joiner: str = " · ") -> tuple[Piece, ...]:
    """Ids (or URLs) as dim pieces kept whole; empty values are left out."""
    return tuple(Piece(Text(v, style="dim"), joiner) for v in values if v)


def _words(text: Text) -> int:
    """The cell width of the longest word of ``text``."""
    return max((len(word) for word in text.plain.split()), default=0)


def _natural(text: Text) -> int:
    """The cell width of the longest line of ``text``."""
    return max((Text(line).cell_len for line in text.plain.split("\n")), default=0)


class Listing:
    """Rows in columns, ids and URLs kept whole (see the module docstring)."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Row],
        *,
        header: bool = True,
        leading: int = 1,
        gap: int = GAP,
    ) -> None:
        assert sum(c.wide for c in columns) == 1, "a listing has one wide column"
        self.columns = tuple(columns)
        self.rows = tuple(rows)
        self.header = header
        self.leading = leading
        self.gap = gap

    def widths(self, width: int) -> list[int]:
        """Each column's width on a console ``width`` cells wide."""
        widths = []
        for i, column in enumerate(self.columns):
            cells = [row.cells[i] for row in self.rows]
            natural = max([len(column.header) if self.header else 0, *map(_natural, cells)])
            if column.max_width is not None:
                natural = max(min(natural, column.max_width), *map(_words, cells), 0)
            widths.append(natural)
        wide = next(i for i, c in enumerate(self.columns) if c.wide)
        others = sum(w for i, w in enumerate(widths) if i != wide)
        widths[wide] = max(MIN_WIDE, width - 2 * EDGE - self.gap * (len(widths) - 1) - others)
        return widths

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        widths = self.widths(width)
        wide = next(i for i, c in enumerate(self.columns) if c.wide)
        offset = EDGE + sum(widths[:wide]) + self.gap * wide
        lines: list[Text] = []
        if self.header:
            heads = [Text(c.header, style="bold") for c in self.columns]
            lines.append(self._join([[h] for h in heads], widths, 0))
            lines.append(Text(" " * EDGE + "─" * max(0, width - 2 * EDGE)))
        for n, row in enumerate(self.rows):
            if n and self.leading:
                lines.extend(Text() for _ in range(self.leading))
            blocks = [
                _wrap(cell, widths[i])
                for i, (c, cell) in enumerate(zip(self.columns, row.cells, strict=True))
            ]
            inside, after = _pack(console, row.pieces, widths[wide])
            blocks[wide] += inside
            height = max(len(block) for block in blocks)
            lines += [self._join(blocks, widths, i) for i in range(height)]
            for indent, piece in after:
                line = Text(" " * (offset if indent else 0))
                if not indent and piece.cell_len + EDGE <= width:
                    line = Text(" " * EDGE)
                line.append_text(piece)
                lines.append(line)
        for line in lines:
            line.rstrip()
            yield from line.render(console)
            yield Segment.line()

    def _join(self, blocks: list[list[Text]], widths: list[int], i: int) -> Text:
        """Line ``i`` of a row: each column's line ``i`` aligned in its width."""
        line = Text(" " * EDGE)
        for n, (column, block, width) in enumerate(zip(self.columns, blocks, widths, strict=True)):
            if n:
                line.append(" " * self.gap)
            part = block[i].copy() if i < len(block) else Text()
            part.rstrip()
            if part.cell_len <= width:  # longer only when it is one word: kept whole
                part.align(column.justify, width)
            line.append_text(part)
        return line


def _pack(
    console: Console, pieces: Sequence[Piece], width: int
) -> tuple[list[Text], list[tuple[bool, Text]]]:
    """Pieces as lines: those inside a cell ``width`` wide, and those after the row.

    Pieces are joined on a line while they fit. A whole piece longer than ``width`` goes on a
    line of its own after the row (``indent`` false: from the margin), and every piece after it
    follows it there (``indent`` true: under the wide cell), so their order is kept.
    """
    inside: list[Text] = []
    after: list[tuple[bool, Text]] = []
    broken = False
    current: Text | None = None

    def flush(line: Text | None) -> None:
        if line is None or not line.plain:
            return
        if broken:
            after.append((True, line))
        else:
            inside.append(line)

    for piece in pieces:
        if piece.whole and piece.text.cell_len > width:
            flush(current)
            current = None
            broken = True
            after.append((False, piece.text))
            continue
        if not piece.whole:  # a phrase wraps at its spaces, after what the line holds
            combined = Text() if current is None else current
            if current is not None:
                combined.append(piece.joiner, style="dim")
            combined.append_text(piece.text)
            wrapped = _wrap(combined, width)
            for line in wrapped[:-1]:
                flush(line)
            current = wrapped[-1] if wrapped else None
            continue
        if current is None:
            current = piece.text.copy()
        elif current.cell_len + len(piece.joiner) + piece.text.cell_len <= width:
            current.append(piece.joiner, style="dim")
            current.append_text(piece.text)
        else:
            ending = piece.joiner.rstrip()
            if ending and current.cell_len + len(ending) <= width:
                current.append(ending, style="dim")
            flush(current)
            current = piece.text.copy()
    flush(current)
    return inside, after


def _wrap(text: Text, width: int) -> list[Text]:
    """``text`` wrapped at its spaces into lines ``width`` wide; a word longer than that (a URL
    in a note) gets a line of its own, whole. An empty text has no lines."""
    lines: list[Text] = []
    if not text.plain:
        return lines
    for line in text.split(allow_blank=True):
        for part in line.divide(divide_line(line.plain, width, fold=False)):
            part.rstrip()
            lines.append(part)
    return lines


def plain_text(renderable: RenderableType, width: int = 80) -> str:
    """What ``renderable`` prints ``width`` columns wide, as plain text (no escape codes).

    Lines are not cropped, so an id or URL longer than ``width`` stays whole. Strings print as
    they stand (no markup, no emoji codes) and control characters as escapes (``\\x1b``).
    """
    from policykb.controls import escaping

    console = Console(
        file=io.StringIO(),
        width=width,
        color_system=None,
        force_terminal=False,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    escaping(console).print(renderable, crop=False)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return str(text)
