"""A framework as an SVG diagram, drawn the way its kind of source draws it, from the data alone.

The drawing style follows from the framework's shape (:func:`drawing_style`):

- **columns**: a framework of two levels; each pillar a column headed by its label, its
  elements stacked inside in the source's order (the data-driven public sector's three pillars,
  the 2014 Recommendation's pillars and provisions, the digital identity framework's dimensions
  and sub-dimensions). At most :data:`MAX_COLUMNS` side by side; more wrap to a new row.
- **ring**: a framework of one level whose 4 to 8 pillars are the source's *dimensions* (parts
  of one whole, none first) or *phases* (a cycle): a ring of segments, one per pillar, with
  the title in the middle (the Digital Government Policy Framework's six dimensions). A ring
  grows a little for long labels; labels too long for it are drawn as a grid instead.
- **grid**: any other framework of one level (numbered principles, standards, plays): a grid
  of boxes in reading order, rows of at most five.

An index that ``uses`` another framework's concepts as its dimensions draws that framework's
concepts (looked up in ``kb``) under a caption saying whose they are. Every label is wrapped
into its box with measured widths (:mod:`policykb.render.svg.text`), shrunk when a word does not
fit, and the box grows to hold the lines; the source's notation leads the label in bold. A
concept that is our reading of the source (``inferred``) is outlined dashed.

:func:`layout` returns the drawing as data (areas, sectors, text blocks), which
:func:`framework_svg` writes; the tests check the layout: every text block fits its box.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from policykb.model import Element, Framework, KnowledgeBase, Pillar
from policykb.render.svg.canvas import (
    INK,
    MUTED,
    WHITE,
    document,
    hue,
    ident,
    linked,
    rect,
    tint,
)
from policykb.render.svg.geometry import Area, Sector
from policykb.render.svg.text import TextBlock, fit, text_element, words, wrap

Style = Literal["columns", "ring", "grid", "empty"]
#: What a concept's page is: a qualified concept id -> its URL, or ``None`` for no link.
Href = Callable[[str], str | None]

#: One-level frameworks whose pillars the sources draw around a circle.
RING_TERMS = frozenset({"dimension", "phase"})
RING_SIZES = range(4, 9)
MAX_COLUMNS = 5
GRID_COLUMNS = 5

MARGIN = 24.0
GAP = 16.0
COLUMN_WIDTH = 220.0
CARD_WIDTH = 200.0
PAD = 10.0  # between a box's edge and its text
TITLE_SIZE = 18.0
HEADER_SIZE = 14.0
LABEL_SIZE = 13.0
NOTE_SIZE = 12.0


@dataclass(frozen=True, slots=True)
class Item:
    """One thing drawn with text: a concept (with its ``qid``) or a heading, its shape, and
    the area its text must fit in."""

    kind: str  # title | caption | note | pillar | element | segment | centre
    text: TextBlock
    box: Area  # where the text goes; the text block fits inside
    ink: str
    bold: bool = False
    shape: Area | Sector | None = None
    fill: str | None = None
    stroke: str | None = None
    dashed: bool = False
    qid: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """A pillar as drawn: its own item, its elements' items, and the column frame around them."""

    pillar: Item
    elements: tuple[Item, ...] = ()
    frame: Area | None = None
    colour: str = INK


@dataclass(frozen=True, slots=True)
class Layout:
    """A framework diagram as data: what :func:`framework_svg` writes."""

    ident: str  # the base of the drawing's XML ids
    style: Style
    width: float
    height: float
    title: str
    desc: str
    headings: tuple[Item, ...]
    groups: tuple[Group, ...]
    notes: tuple[Item, ...] = ()

    def items(self) -> list[Item]:
        """Every item with text, headings first."""
        out = list(self.headings)
        for group in self.groups:
            out += [group.pillar, *group.elements]
        return out + list(self.notes)


def drawing_style(framework: Framework) -> Style:
    """How ``framework``'s own pillars are drawn: columns, ring, grid, or empty (the rule of
    the data; :func:`layout` draws a grid for a ring whose labels do not fit)."""
    if any(p.elements for p in framework.pillars):
        return "columns"
    if len(framework.pillars) in RING_SIZES and framework.pillar_term.lower() in RING_TERMS:
        return "ring"
    return "grid" if framework.pillars else "empty"


def framework_svg(
    framework: Framework, kb: KnowledgeBase | None = None, *, href: Href | None = None
) -> str:
    """``framework`` as an SVG diagram; ``kb`` supplies the framework an index uses, and
    ``href`` maps a concept's qualified id to the URL its box links to (or ``None``)."""
    return draw(layout(framework, kb), href)


def _label(node: Pillar | Element, bold: bool = False) -> list[tuple[str, bool]]:
    return words(str(node.label), node.notation, bold)


def _named(node: Pillar | Element) -> str:
    return f"{node.notation} {node.label}" if node.notation else str(node.label)


def layout(framework: Framework, kb: KnowledgeBase | None = None) -> Layout:
    """Where everything of ``framework``'s diagram goes."""
    drawn, caption = framework, None
    if not framework.pillars and framework.uses:
        used = kb.framework(framework.uses) if kb is not None else None
        if used is None:
            caption = f"Uses the concepts of {framework.uses} (not in the knowledge base)"
        else:
            drawn, caption = used, f"Uses the concepts of {used.title} ({used.id})"
    style = drawing_style(drawn) if drawn is not framework or framework.pillars else "empty"
    fitted = ring_fit(drawn) if style == "ring" else None
    if style == "ring" and fitted is None:
        style = "grid"  # labels too long for any ring drawn here: boxes hold them instead

    def body(top: float) -> tuple[float, tuple[Group, ...], float]:
        if fitted is not None:
            return _ring(drawn, top, fitted)
        return {"columns": _columns, "grid": _grid, "empty": _empty}[style](drawn, top)

    width, groups, height = body(0.0)
    headings = _headings(framework.title, caption, width)
    top = headings[-1].box.y + headings[-1].box.h + GAP
    width, groups, height = body(top)
    notes: tuple[Item, ...] = ()
    if any(g.pillar.dashed or any(e.dashed for e in g.elements) for g in groups):
        note = "Dashed outline: our reading of the source, not its own wording or placement."
        block = fit(words(note), width - 2 * MARGIN, NOTE_SIZE)
        area = Area(MARGIN, height, width - 2 * MARGIN, block.height)
        notes = (Item("note", block, area, MUTED),)
        height += block.height + GAP
    return Layout(
        ident(framework.id),
        style,
        width,
        height,
        framework.title,
        _describe(framework, drawn, style, caption),
        headings,
        groups,
        notes,
    )


def _headings(title: str, caption: str | None, width: float) -> tuple[Item, ...]:
    room = width - 2 * MARGIN
    block = fit(words(title, bold=True), room, TITLE_SIZE)
    items = [Item("title", block, Area(MARGIN, MARGIN, room, block.height), INK, bold=True)]
    if caption is not None:
        below = MARGIN + block.height + 6
        block = fit(words(caption), room, NOTE_SIZE + 1)
        items.append(Item("caption", block, Area(MARGIN, below, room, block.height), MUTED))
    return tuple(items)


def _describe(framework: Framework, drawn: Framework, style: Style, caption: str | None) -> str:
    """The text alternative: what is drawn and every concept's label."""
    n = len(drawn.pillars)
    shape = {
        "columns": f"{n} columns, one per {drawn.pillar_term}, each holding a box per "
        f"{drawn.element_term}",
        "ring": f"a ring of {n} segments, one per {drawn.pillar_term}",
        "grid": f"{n} boxes, one per {drawn.pillar_term}",
        "empty": "an empty box",
    }[style]
    parts = [f"Diagram of {framework.title}"]
    if caption:
        parts.append(caption)
    if style == "columns":
        parts.append(f"Drawn as {shape}")
        for p in drawn.pillars:
            inside = "; ".join(_named(e) for e in p.elements)
            parts.append(f"{_named(p)}: {inside}" if inside else _named(p))
    else:
        parts.append(f"Drawn as {shape}: " + "; ".join(_named(p) for p in drawn.pillars))
    return ". ".join(parts) + "."


def _boxed(
    kind: str,
    block: TextBlock,
    area: Area,
    fill: str,
    stroke: str,
    ink: str,
    node: Pillar | Element,
    qid: str,
) -> Item:
    """A concept drawn as a box, its text ``PAD`` inside; bold when it is a column's head."""
    return Item(
        kind,
        block,
        area.inset(PAD),
        ink,
        bold=ink == WHITE,
        shape=area,
        fill=fill,
        stroke=stroke,
        dashed=node.inferred,
        qid=qid,
    )


# ---------------------------------------------------------------------------------------------
# Columns


def _columns(fw: Framework, top: float) -> tuple[float, tuple[Group, ...], float]:
    per_row = min(len(fw.pillars), MAX_COLUMNS)
    width = 2 * MARGIN + per_row * COLUMN_WIDTH + (per_row - 1) * GAP
    groups: list[Group] = []
    y = top
    for start in range(0, len(fw.pillars), per_row):
        row = list(enumerate(fw.pillars))[start : start + per_row]
        built, y = _column_row(fw, row, y)
        groups += built
        y += GAP
    return width, tuple(groups), y - GAP + MARGIN


def _column_row(
    fw: Framework, row: list[tuple[int, Pillar]], top: float
) -> tuple[list[Group], float]:
    """One row of columns from ``top``: headers of equal height, then the elements, the
    n-th element of every column as high as the highest of them."""
    inner = COLUMN_WIDTH - 2 * PAD
    box_width = COLUMN_WIDTH - 2 * 8  # an element box, 8 inside the column's frame
    headers = [fit(_label(p, bold=True), inner, HEADER_SIZE) for _, p in row]
    header_h = max(b.height for b in headers) + 2 * PAD
    blocks = [[fit(_label(e), box_width - 2 * PAD, LABEL_SIZE) for e in p.elements] for _, p in row]
    depth = max(len(b) for b in blocks)
    heights = [max(b[k].height for b in blocks if k < len(b)) + 2 * PAD for k in range(depth)]
    frame_h = header_h + 8 + sum(heights) + 8 * depth
    groups = []
    for (n, (i, p)), header, elements in zip(enumerate(row), headers, blocks, strict=True):
        x = MARGIN + n * (COLUMN_WIDTH + GAP)
        colour = hue(i)
        head = Area(x, top, COLUMN_WIDTH, header_h)
        edge = INK if p.inferred else colour  # a dashed edge must show on the head's fill
        pillar = _boxed("pillar", header, head, colour, edge, WHITE, p, f"{fw.id}/{p.id}")
        items = []
        y = top + header_h + 8
        for e, block, h in zip(p.elements, elements, heights, strict=False):
            area = Area(x + 8, y, box_width, h)
            fill = tint(colour, 0.14)
            items.append(_boxed("element", block, area, fill, colour, INK, e, f"{fw.id}/{e.id}"))
            y += h + 8
        frame = Area(x, top, COLUMN_WIDTH, frame_h)
        groups.append(Group(pillar, tuple(items), frame, colour))
    return groups, top + frame_h


# ---------------------------------------------------------------------------------------------
# Ring


#: The ring's outer radii, tried in turn until every label fits; beyond, a grid is drawn.
RING_RADII = (230.0, 250.0, 270.0, 290.0, 310.0)
HOLE = 0.42  # the inner radius as a share of the outer


@dataclass(frozen=True, slots=True)
class RingFit:
    """A ring whose labels fit: its outer radius, and each label's block and box, the boxes
    relative to the ring's centre (the first is the title in the hole)."""

    outer: float
    labels: tuple[tuple[TextBlock, Area], ...]


def _sectors(n: int, cx: float, cy: float, outer: float) -> list[Sector]:
    """``n`` equal segments, the first centred at twelve o'clock, clockwise."""
    step = 360 / n
    inner = round(outer * HOLE, 2)
    return [
        Sector(cx, cy, inner, outer, -90 - step / 2 + k * step, -90 + step / 2 + k * step)
        for k in range(n)
    ]


def ring_fit(fw: Framework) -> RingFit | None:
    """The smallest ring of :data:`RING_RADII` that holds every label, or ``None``."""
    for outer in RING_RADII:
        centre = _in_circle(fw.title, round(outer * HOLE, 2) - 8)
        if centre is None:
            continue
        placed = [centre]
        for p, sector in zip(fw.pillars, _sectors(len(fw.pillars), 0, 0, outer), strict=True):
            found = _in_sector(_label(p, bold=True), sector)
            if found is None:
                break
            placed.append(found)
        else:
            return RingFit(outer, tuple(placed))
    return None


def _ring(fw: Framework, top: float, fitted: RingFit) -> tuple[float, tuple[Group, ...], float]:
    outer = fitted.outer
    cx, cy = MARGIN + outer, top + outer
    sectors = _sectors(len(fw.pillars), cx, cy, outer)
    (centre, hole), *labels = [(b, Area(a.x + cx, a.y + cy, a.w, a.h)) for b, a in fitted.labels]
    groups = [Group(Item("centre", centre, hole, INK, True))]
    for i, (p, s, (block, box)) in enumerate(zip(fw.pillars, sectors, labels, strict=True)):
        colour = hue(i)
        item = Item(
            "segment", block, box, WHITE, bold=True, shape=s, fill=colour,
            stroke=INK if p.inferred else WHITE, dashed=p.inferred, qid=f"{fw.id}/{p.id}",
        )  # fmt: skip
        groups.append(Group(item, (), None, colour))
    return 2 * (MARGIN + outer), tuple(groups), top + 2 * outer + MARGIN


def _in_sector(
    runs: list[tuple[str, bool]], sector: Sector, pad: float = 8.0
) -> tuple[TextBlock, Area] | None:
    """The largest font and widest wrap at which the label's box fits inside ``sector``."""
    mid = (sector.start + sector.end) / 2
    depth = sector.outer - sector.inner
    size = HEADER_SIZE + 1
    while size >= 10:
        for block in _wraps(runs, 2 * depth, size):
            for k in (4, 3, 5, 2, 6, 1, 7):  # from the middle of the ring outwards
                x, y = sector.point(sector.inner + depth * k / 8, mid)
                box = Area(x - block.width / 2, y - block.height / 2, block.width, block.height)
                if sector.holds(box, pad):
                    return block, box
        size -= 0.5
    return None


def _in_circle(title: str, radius: float) -> tuple[TextBlock, Area] | None:
    """The title in the ring's hole (centred on 0, 0): the widest wrap that fits."""
    size = HEADER_SIZE
    while size >= 10:
        for block in _wraps(words(title, bold=True), 2 * radius, size):
            if math.hypot(block.width, block.height) <= 2 * radius:
                return block, Area(-block.width / 2, -block.height / 2, block.width, block.height)
        size -= 0.5
    return None


def _wraps(runs: list[tuple[str, bool]], width: float, size: float) -> Iterator[TextBlock]:
    """Every distinct wrap of ``runs`` at ``size`` no wider than ``width``, widest first."""
    while (lines := wrap(runs, width, size)) is not None:
        block = TextBlock(lines, size)
        yield block
        width = block.width - 0.5  # the next wrap must be narrower than this one


# ---------------------------------------------------------------------------------------------
# Grid and empty


def _grid(fw: Framework, top: float) -> tuple[float, tuple[Group, ...], float]:
    n = len(fw.pillars)
    rows = math.ceil(n / GRID_COLUMNS)
    per_row = math.ceil(n / rows)
    width = 2 * MARGIN + per_row * CARD_WIDTH + (per_row - 1) * GAP
    blocks = [fit(_label(p), CARD_WIDTH - 2 * PAD, LABEL_SIZE) for p in fw.pillars]
    h = max(b.height for b in blocks) + 2 * PAD
    colour = hue(0)
    groups = []
    for k, (p, block) in enumerate(zip(fw.pillars, blocks, strict=True)):
        row, column = divmod(k, per_row)
        area = Area(MARGIN + column * (CARD_WIDTH + GAP), top + row * (h + GAP), CARD_WIDTH, h)
        fill = tint(colour, 0.12)
        item = _boxed("pillar", block, area, fill, colour, INK, p, f"{fw.id}/{p.id}")
        groups.append(Group(item, (), None, colour))
    return width, tuple(groups), top + rows * (h + GAP) - GAP + MARGIN


def _empty(fw: Framework, top: float) -> tuple[float, tuple[Group, ...], float]:
    width = 2 * MARGIN + 2 * CARD_WIDTH
    block = fit(words("(not in the knowledge base)"), 2 * CARD_WIDTH - 2 * PAD, LABEL_SIZE)
    area = Area(MARGIN, top, 2 * CARD_WIDTH, block.height + 2 * PAD)
    item = Item(
        "note", block, area.inset(PAD), MUTED, shape=area, fill=WHITE, stroke=MUTED, dashed=True
    )
    return width, (Group(item),), top + area.h + MARGIN


# ---------------------------------------------------------------------------------------------
# Writing


def draw(plan: Layout, href: Href | None = None) -> str:
    """The SVG text of a layout; ``href`` gives each concept's link."""
    urls = {item.qid: href(item.qid) for item in plan.items() if item.qid is not None and href}
    body = [_text(item) for item in plan.headings]
    for group in plan.groups:
        kind = group.pillar.kind
        parts = [f'<g class="{"pillar" if kind in ("pillar", "segment") else kind}">']
        if group.frame is not None:
            f = group.frame
            parts.append(rect(f.x, f.y, f.w, f.h, tint(group.colour, 0.06), group.colour, 6))
        parts.append(_concept(group.pillar, urls, "head" if group.frame else None))
        parts += [_concept(e, urls, "element") for e in group.elements]
        parts.append("</g>")
        body.append("".join(parts))
    body += [_text(item) for item in plan.notes]
    interactive = any(urls.values())
    return document(plan.ident, plan.width, plan.height, plan.title, plan.desc, body, interactive)


def _text(item: Item) -> str:
    return text_element(item.text, item.box.cx, item.box.cy, item.ink, item.bold)


def _concept(item: Item, urls: dict[str, str | None], kind: str | None = None) -> str:
    shape = ""
    dashed = ' stroke-dasharray="5 4"' if item.dashed else ""
    if isinstance(item.shape, Area):
        a = item.shape
        shape = rect(a.x, a.y, a.w, a.h, item.fill or WHITE, item.stroke, 4, item.dashed)
    elif isinstance(item.shape, Sector):
        shape = (
            f'<path class="segment" d="{item.shape.path()}" fill="{item.fill}" '
            f'stroke="{item.stroke}" stroke-width="3"{dashed}/>'
        )
    content = shape + _text(item)
    if kind is not None:
        content = f'<g class="{kind}">{content}</g>'
    return linked(content, urls.get(item.qid) if item.qid else None)
