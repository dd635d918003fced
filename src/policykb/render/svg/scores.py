"""Index scores as SVG bars: one panel per score set, one bar per country and dimension.

The axis runs from 0 to the top of the published scale when the scale says so (``0–1``,
``0-100``) and every value is within it, else to a round number at or above the highest
value. Each bar has its label on the left (the dimension, ``Composite`` for an overall score,
led by the country when a panel holds several) and its value printed at its end.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from policykb.query.indicators import ScoreRow
from policykb.render.svg.canvas import INK, MUTED, RULE, document, hue, ident, rect
from policykb.render.svg.text import fit, number, single, text_element, words

MARGIN = 24.0
PAD = 6.0
SIZE = 12.0
LABEL_WIDTH = 240.0
BAR_WIDTH = 360.0
BAR = 16.0  # a bar's thickness
ROW = 26.0  # the least height of a bar's row
COMPOSITE = "#3d3d3d"  # the overall score's bar; dimensions are the palette's first hue

_SCALE = re.compile(r"^\s*0\s*[–-]\s*(\d+(?:\.\d+)?)")


def axis_top(rows: Sequence[ScoreRow]) -> float:
    """Where the axis ends: the scale's top when every value is within it, else a round
    number (1, 2 or 5 times a power of ten) at or above the highest value."""
    highest = max((r.value for r in rows), default=1.0)
    tops = {float(m.group(1)) for r in rows if r.scale and (m := _SCALE.match(r.scale))}
    if len(tops) == 1 and highest <= (top := tops.pop()) and top > 0:
        return top
    if highest <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(highest))
    return float(next(k * power for k in (1, 2, 5, 10) if k * power >= highest))


def value_text(value: float) -> str:
    """A score as published: up to four decimals, no trailing zeros."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _label(row: ScoreRow, several: bool) -> str:
    name = row.dimension_label or row.dimension or "Composite"
    return f"{row.country}: {name}" if several else name


def scores_svg(rows: Sequence[ScoreRow], *, title: str | None = None) -> str:
    """``rows`` as bars grouped by score set; ``title`` replaces the default heading."""
    panels: dict[str, list[ScoreRow]] = {}
    for row in rows:
        panels.setdefault(row.scores, []).append(row)
    places = sorted({(r.country, r.country_name) for r in rows})
    if len(places) == 1:
        heading = title or f"Index scores of {places[0][1]} ({places[0][0]})"
    else:
        heading = title or "Index scores" + (
            f" of {', '.join(c for c, _ in places)}" if places else ""
        )
    import hashlib  # here, not at the top: render is on every query's path, this is not

    key = "\n".join(f"{r.scores} {r.country} {r.dimension} {r.value!r}" for r in rows)
    base = ident("scores", hashlib.sha256(key.encode()).hexdigest()[:12])
    top = axis_top(rows)
    width = 2 * MARGIN + LABEL_WIDTH + BAR_WIDTH + 60
    block = fit(words(heading, bold=True), width - 2 * MARGIN, 16)
    body = [text_element(block, width / 2, MARGIN + block.height / 2, INK, bold=True)]
    y = MARGIN + block.height + 12
    if not rows:
        note = fit(words("No scores."), width - 2 * MARGIN, SIZE)
        body.append(text_element(note, width / 2, y + note.height / 2, MUTED))
        return document(base, width, y + note.height + MARGIN, heading, f"{heading}: none.", body)
    for members in panels.values():
        panel, y = _panel(members, top, y)
        body.append(panel)
        y += 16
    desc = _describe(heading, panels, top)
    return document(base, width, y - 16 + MARGIN, heading, desc, body)


def _panel(rows: list[ScoreRow], top: float, y: float) -> tuple[str, float]:
    """One score set's heading, bars and axis, from ``y``."""
    first = rows[0]
    room = LABEL_WIDTH + BAR_WIDTH + 60
    head = fit(words(f"{first.index_title}, {first.edition}", bold=True), room, 14)
    parts = [text_element(head, MARGIN, y + head.height / 2, INK, True, "start")]
    y += head.height + 2
    sub = f"Score set {first.scores}" + (f"; scale {first.scale}" if first.scale else "")
    line = fit(words(sub), room, SIZE - 1)
    parts.append(text_element(line, MARGIN, y + line.height / 2, MUTED, anchor="start"))
    y += line.height + 8
    x0 = MARGIN + LABEL_WIDTH
    several = len({r.country for r in rows}) > 1
    bars_top = y
    bars = []
    for row in rows:
        label = fit(words(_label(row, several)), LABEL_WIDTH - 2 * PAD, SIZE)
        h = max(ROW, label.height + 2 * PAD)
        length = max(0.0, min(row.value, top)) / top * BAR_WIDTH
        fill = COMPOSITE if row.dimension is None else hue(0)
        value = single(value_text(row.value), SIZE, True)
        bars.append(
            '<g class="bar">'
            + text_element(label, x0 - PAD, y + h / 2, INK, anchor="end")
            + rect(x0, y + (h - BAR) / 2, length, BAR, fill)
            + text_element(value, x0 + length + PAD, y + h / 2, INK, True, "start")
            + "</g>"
        )
        y += h
    # the grid goes under the bars: quarter steps of the axis, labelled below
    for k in range(5):
        x = x0 + BAR_WIDTH * k / 4
        dashed = "" if k == 0 else ' stroke-dasharray="2 3"'  # the zero line is solid
        parts.append(
            f'<path d="M {number(x)} {number(bars_top)} V {number(y)}" stroke="{RULE}" '
            f'stroke-width="1"{dashed}/>'
        )
        tick = single(value_text(top * k / 4), SIZE - 1, False)
        parts.append(text_element(tick, x, y + 4 + tick.height / 2, MUTED))
    parts += bars
    y += 4 + (SIZE - 1) * 1.25
    return '<g class="panel">' + "".join(parts) + "</g>", y


def _describe(heading: str, panels: dict[str, list[ScoreRow]], top: float) -> str:
    parts = [f"{heading}. Bars on a scale from 0 to {value_text(top)}"]
    for members in panels.values():
        first = members[0]
        several = len({r.country for r in members}) > 1
        values = "; ".join(f"{_label(r, several)} {value_text(r.value)}" for r in members)
        who = "" if several else f" for {first.country_name} ({first.country})"
        parts.append(f"{first.index_title}, {first.edition} ({first.scores}){who}: {values}")
    return ". ".join(parts) + "."
