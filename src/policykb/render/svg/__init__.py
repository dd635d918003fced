"""SVG diagrams drawn from the data: frameworks, coverage heat-maps and score bars.

Each function returns a complete ``<svg>`` document as text: deterministic (the same input gives
the same bytes; ids derive from the data), every label escaped, text as real ``<text>`` that can
be selected and searched, a ``<title>`` and a ``<desc>`` as the text alternative, and colours
whose text contrast meets WCAG AA. Nothing here knows about pages: a site places the result
inline (links in a framework diagram work only inline or in an ``<object>``, not in an
``<img>``) or writes it to a file.
"""

from policykb.render.svg.coverage import coverage_svg
from policykb.render.svg.framework import Layout, drawing_style, framework_svg, layout
from policykb.render.svg.scores import scores_svg

__all__ = ["Layout", "coverage_svg", "drawing_style", "framework_svg", "layout", "scores_svg"]
