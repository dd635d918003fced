"""A coverage matrix as an SVG heat-map: countries down, concepts across, counts in the cells.

Column headers are the framework's notation (``1.1``), or numbers when the source numbers
nothing, with a key of labels below, as in the terminal's heat map; a cell's shade grows with
its count (six steps of one hue, a legend says which counts each step holds) and the count is
printed in it, in ink or white, whichever reads on the shade. Totals (each recommendation
counted once) close the rows and the columns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from policykb import countries as iso
from policykb.query.results import Coverage
from policykb.render.svg.canvas import (
    EMPTY,
    INK,
    MUTED,
    RULE,
    SHADES,
    WHITE,
    document,
    ident,
    rect,
    text_on,
)
from policykb.render.svg.text import TextBlock, fit, number, single, text_element, text_width, words

MARGIN = 24.0
PAD = 6.0
SIZE = 12.0
ROW = 28.0  # the least height of a row
CELL = 44.0  # the least width of a column
KEY_WIDTH = 300.0


def shade_level(count: int, highest: int) -> int:
    """The step of :data:`SHADES` (1 to 6) a count falls in, 0 for none."""
    if count <= 0 or highest <= 0:
        return 0
    return min(len(SHADES), math.ceil(count * len(SHADES) / highest))


def shade(count: int, highest: int) -> str:
    """The fill of a cell holding ``count`` when the highest count is ``highest``."""
    level = shade_level(count, highest)
    return SHADES[level - 1] if level else EMPTY


def coverage_svg(coverage: Coverage, *, title: str | None = None) -> str:
    """``coverage`` as a heat-map; ``title`` replaces the default heading."""
    c = coverage
    heading = title or f"Recommendations per country and {c.level} of {c.framework}"
    labels = c.labels if len(c.labels) == len(c.columns) else c.columns
    notations = c.notations if len(c.notations) == len(c.columns) else ()
    if notations and all(notations):
        short = [str(n) for n in notations]
    else:
        short = [str(i) for i in range(1, len(c.columns) + 1)]
    names = [fit(words(f"{r.country} {iso.name(r.country)}"), 200, SIZE) for r in c.rows]
    first = max([text_width("Country", SIZE, True), *(b.width for b in names)]) + 2 * PAD
    cell = max([CELL, *(text_width(s, SIZE, True) + 2 * PAD for s in short)])
    last = max(CELL, text_width("Total", SIZE, True) + 2 * PAD)
    grid = _Grid(first, cell, last, len(short))
    width = max(2 * MARGIN + grid.width, 2 * MARGIN + KEY_WIDTH + 180)
    base = ident("coverage", c.framework, c.level)
    block = fit(words(heading, bold=True), width - 2 * MARGIN, 16)
    body = [text_element(block, width / 2, MARGIN + block.height / 2, INK, bold=True)]
    y = MARGIN + block.height + 12
    if not c.rows:
        empty = fit(words("No recommendations to count."), width - 2 * MARGIN, SIZE)
        body.append(text_element(empty, width / 2, y + empty.height / 2, MUTED))
        desc = f"{heading}: no recommendations to count."
        return document(base, width, y + empty.height + MARGIN, heading, desc, body)
    highest = max((n for row in c.rows for n in row.counts), default=0)
    body.append(grid.row("header", y, ROW, "Country", short, "Total"))
    y += ROW
    body.append(_line(MARGIN, y, MARGIN + grid.width))
    for row, name in zip(c.rows, names, strict=True):
        h = max(ROW, name.height + 2 * PAD)
        counts = [str(n) for n in row.counts]
        fills = [shade(n, highest) for n in row.counts]
        body.append(grid.row("row", y, h, name, counts, str(row.total), fills))
        y += h
    if len(c.totals) == len(c.columns):
        body.append(_line(MARGIN, y, MARGIN + grid.width))
        body.append(grid.row("totals", y, ROW, "Total", [str(n) for n in c.totals], str(c.total)))
        y += ROW
    legend, y = _legend(highest, MARGIN, y + 16)
    key, y = _key(short, labels, MARGIN, y + 12, width - 2 * MARGIN)
    body += [legend, key]
    note = "totals count each recommendation once."
    if c.level == "pillar":
        note = "A pillar counts the recommendations tied to it or to its elements; " + note
    block = fit(words(note[0].upper() + note[1:]), width - 2 * MARGIN, SIZE - 1)
    body.append(text_element(block, MARGIN, y + 8 + block.height / 2, MUTED, anchor="start"))
    y += 8 + block.height + MARGIN
    return document(base, width, y, heading, _describe(c, heading, short, labels), body)


@dataclass(frozen=True, slots=True)
class _Grid:
    """The table's columns: the countries', ``n`` count columns, and the totals'."""

    first: float
    cell: float
    last: float
    n: int

    @property
    def width(self) -> float:
        return self.first + self.cell * self.n + self.last

    def row(
        self,
        cls: str,
        y: float,
        h: float,
        label: str | TextBlock,
        cells: list[str],
        total: str,
        fills: list[str] | None = None,
    ) -> str:
        """One row: a label, the cells (shaded with ``fills``, else plain and bold), a total."""
        bold = fills is None
        if isinstance(label, str):
            parts = [_cell(MARGIN, y, self.first, h, WHITE, label, True, "label", "start")]
        else:
            parts = [text_element(label, MARGIN + PAD, y + h / 2, INK, anchor="start")]
        for k, text in enumerate(cells):
            x = MARGIN + self.first + k * self.cell
            fill = WHITE if fills is None else fills[k]
            parts.append(_cell(x, y, self.cell, h, fill, text, bold, "total" if bold else "cell"))
        x = MARGIN + self.first + self.cell * self.n
        parts.append(_cell(x, y, self.last, h, WHITE, total, True, "total"))
        return f'<g class="{cls}">' + "".join(parts) + "</g>"


def _cell(
    x: float,
    y: float,
    w: float,
    h: float,
    fill: str,
    text: str,
    bold: bool,
    cls: str,
    anchor: str = "middle",
) -> str:
    """A cell (``<g class="cls">``): its rectangle and its text, centred (or from the left
    with ``anchor="start"``)."""
    block = single(text, SIZE, bold)
    tx = x + PAD if anchor == "start" else x + w / 2
    content = rect(x, y, w, h, fill, WHITE if fill != WHITE else None) + text_element(
        block, tx, y + h / 2, text_on(fill) if fill != EMPTY else MUTED, bold, anchor
    )
    return f'<g class="{cls}">{content}</g>'


def _line(x0: float, y: float, x1: float) -> str:
    return f'<path d="M {number(x0)} {number(y)} H {number(x1)}" stroke="{RULE}" stroke-width="1"/>'


def _legend(highest: int, x: float, y: float) -> tuple[str, float]:
    """The shade steps with the counts each holds (only the steps some count reaches)."""
    steps: dict[int, list[int]] = {}
    for n in range(1, highest + 1):
        steps.setdefault(shade_level(n, highest), []).append(n)
    items = [("0", EMPTY)] + [
        (f"{v[0]}" if len(v) == 1 else f"{v[0]}–{v[-1]}", SHADES[level - 1])
        for level, v in sorted(steps.items())
    ]
    label = single("Recommendations:", SIZE, False)
    parts = [text_element(label, x, y + ROW / 2, INK, anchor="start")]
    cx = x + label.width + 10
    for text, fill in items:
        w = max(CELL, text_width(text, SIZE) + 2 * PAD)
        parts.append(_cell(cx, y, w, ROW, fill, text, False, "swatch"))
        cx += w + 4
    return '<g class="legend">' + "".join(parts) + "</g>", y + ROW


def _key(
    short: list[str], labels: tuple[str, ...], x: float, y: float, room: float
) -> tuple[str, float]:
    """Each header's label, in as many columns of :data:`KEY_WIDTH` as fit."""
    per_row = max(1, int(room // KEY_WIDTH))
    lead = max(text_width(s, SIZE, True) for s in short) + 6
    blocks = [fit(words(label), KEY_WIDTH - lead - 12, SIZE) for label in labels]
    parts = []
    for start in range(0, len(blocks), per_row):
        line = blocks[start : start + per_row]
        h = max(b.height for b in line)
        for k, block in enumerate(line):
            left = x + k * KEY_WIDTH
            head = single(short[start + k], SIZE, True)
            parts.append(text_element(head, left, y + head.height / 2, INK, anchor="start"))
            parts.append(
                text_element(block, left + lead, y + block.height / 2, INK, anchor="start")
            )
        y += h + 4
    return '<g class="key">' + "".join(parts) + "</g>", y


def _describe(c: Coverage, heading: str, short: list[str], labels: tuple[str, ...]) -> str:
    columns = [f"{s} {label}" for s, label in zip(short, labels, strict=True)]
    parts = [f"{heading}. Heat map with one row per country and one column per {c.level}"]
    for row in c.rows:
        cells = ", ".join(f"{col}: {n}" for col, n in zip(columns, row.counts, strict=True))
        parts.append(f"{row.country} {iso.name(row.country)}: {cells}; total {row.total}")
    if len(c.totals) == len(c.columns):
        cells = ", ".join(f"{col}: {n}" for col, n in zip(columns, c.totals, strict=True))
        parts.append(f"All countries: {cells}; total {c.total}")
    return ". ".join(parts) + "."
