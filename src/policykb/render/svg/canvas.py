"""What every diagram shares: colours that keep text readable, ids, and the ``<svg>`` frame.

Drawings use presentation attributes only, never a ``<style>`` element: an SVG placed inline
in an HTML page would apply its style sheet to the whole page, and a page's content security
policy may forbid inline styles. There is no XML declaration, so the same text can be a file
or part of a page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policykb.render.svg.text import FONT_FAMILY, escape, number

SVG_NS = "http://www.w3.org/2000/svg"

#: Text on light fills, and quieter text (both over 7:1 on white).
INK = "#1a1a1a"
MUTED = "#595959"
WHITE = "#ffffff"
#: Dark hues, one per pillar in order (cycled); white text on each has a contrast of at least
#: 4.5:1 (WCAG AA for normal text), as ``tests/test_svg.py`` checks.
PALETTE = (
    "#1f5a96",  # blue
    "#9a4a00",  # brown
    "#2a6e3f",  # green
    "#a4262c",  # red
    "#6a3d9a",  # purple
    "#00656f",  # teal
    "#8e2c6b",  # magenta
    "#5f5a00",  # olive
)
#: Sequential shades for counts, lightest first (ColorBrewer Blues).
SHADES = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
#: The fill of an empty cell, and lines between things.
EMPTY = "#f7f7f7"
RULE = "#bdbdbd"

AA = 4.5  # WCAG 2 AA contrast for normal-size text


def _channels(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def luminance(colour: str) -> float:
    """The relative luminance of ``#rrggbb`` (WCAG 2)."""

    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(fill: str) -> str:
    """A text colour readable on ``fill``: ink if it reaches AA, else white, else black."""
    for candidate in (INK, WHITE):
        if contrast(candidate, fill) >= AA:
            return candidate
    return "#000000"  # black or white reaches 4.58:1 on any colour; black is the darker side


def tint(colour: str, amount: float) -> str:
    """``colour`` mixed with white: ``amount`` 0 is white, 1 the colour itself."""
    mixed = (round(255 - (255 - c) * amount) for c in _channels(colour))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def hue(i: int) -> str:
    """The palette colour of the ``i``-th pillar (from 0)."""
    return PALETTE[i % len(PALETTE)]


def ident(*parts: str) -> str:
    """An XML id from parts (``pkb-`` + the parts joined by ``-``), characters outside
    ``[A-Za-z0-9_-]`` replaced, so ids derive from the data and never from chance."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(("pkb", *parts)))


def document(
    base: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    body: Sequence[str],
    interactive: bool = False,
) -> str:
    """The ``<svg>`` root around ``body``, with its text alternative.

    The root is ``role="img"`` named by its ``<title>`` and described by its ``<desc>``; a
    drawing with links is ``role="group"`` instead, because the children of an image are
    presentational and links inside one would be hidden from assistive technology (axe:
    nested-interactive).
    """
    title_id, desc_id = f"{base}-title", f"{base}-desc"
    role = "group" if interactive else "img"
    head = (
        f'<svg xmlns="{SVG_NS}" width="{number(width)}" height="{number(height)}" '
        f'viewBox="0 0 {number(width)} {number(height)}" role="{role}" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        f'font-family="{FONT_FAMILY}">'
    )
    return (
        "\n".join(
            [
                head,
                f'<title id="{title_id}">{escape(title)}</title>',
                f'<desc id="{desc_id}">{escape(desc)}</desc>',
                f'<rect width="{number(width)}" height="{number(height)}" fill="{WHITE}"/>',
                *body,
                "</svg>",
            ]
        )
        + "\n"
    )


def rect(
    x: float,
    y: float,
    w: float,
    h: float,
    fill: str,
    stroke: str | None = None,
    radius: float = 0,
    dashed: bool = False,
    extra: str = "",
) -> str:
    """A ``<rect>``; ``extra`` is more attributes, already escaped."""
    attrs = [
        f'x="{number(x)}" y="{number(y)}" width="{number(w)}" height="{number(h)}"',
        f'fill="{fill}"',
    ]
    if radius:
        attrs.append(f'rx="{number(radius)}"')
    if stroke:
        attrs.append(f'stroke="{stroke}" stroke-width="1.5"')
    if dashed:
        attrs.append('stroke-dasharray="5 4"')
    if extra:
        attrs.append(extra)
    return f"<rect {' '.join(attrs)}/>"


def linked(content: str, url: str | None) -> str:
    """``content`` inside an ``<a href>`` when there is a ``url``."""
    return f'<a href="{escape(url)}">{content}</a>' if url else content
