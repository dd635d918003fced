"""The shapes a diagram places text in: rectangles and ring segments, with their fit tests."""

from __future__ import annotations

import math
from dataclasses import dataclass

from policykb.render.svg.text import number


@dataclass(frozen=True, slots=True)
class Area:
    """A rectangle: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    def inset(self, by: float) -> Area:
        """The rectangle ``by`` inside this one on every side."""
        return Area(self.x + by, self.y + by, self.w - 2 * by, self.h - 2 * by)

    @property
    def cx(self) -> float:
        """The horizontal centre."""
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        """The vertical centre."""
        return self.y + self.h / 2


@dataclass(frozen=True, slots=True)
class Sector:
    """A segment of a ring: centre, inner and outer radius, start and end angle in degrees
    (clockwise on screen from three o'clock, as SVG's y axis points down)."""

    cx: float
    cy: float
    inner: float
    outer: float
    start: float
    end: float

    def point(self, radius: float, angle: float) -> tuple[float, float]:
        """The point at ``radius`` and ``angle`` (degrees)."""
        a = math.radians(angle)
        return self.cx + radius * math.cos(a), self.cy + radius * math.sin(a)

    def path(self) -> str:
        """The segment as SVG path data."""
        large = 1 if self.end - self.start > 180 else 0
        points = [
            self.point(self.outer, self.start),
            self.point(self.outer, self.end),
            self.point(self.inner, self.end),
            self.point(self.inner, self.start),
        ]
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ((number(x), number(y)) for x, y in points)
        o, i = number(self.outer), number(self.inner)
        return (
            f"M {x0} {y0} A {o} {o} 0 {large} 1 {x1} {y1} "
            f"L {x2} {y2} A {i} {i} 0 {large} 0 {x3} {y3} Z"
        )

    def holds(self, area: Area, pad: float) -> bool:
        """Whether ``area`` lies inside the segment, at least ``pad`` from every edge."""
        corners = [
            (area.x - self.cx, area.y - self.cy),
            (area.x + area.w - self.cx, area.y - self.cy),
            (area.x - self.cx, area.y + area.h - self.cy),
            (area.x + area.w - self.cx, area.y + area.h - self.cy),
        ]
        # the outer disc is convex: its corners inside put the whole rectangle inside
        if any(math.hypot(x, y) > self.outer - pad for x, y in corners):
            return False
        # the hole is not: the rectangle's nearest point to the centre must clear it
        dx = max(area.x - self.cx, 0.0, self.cx - area.x - area.w)
        dy = max(area.y - self.cy, 0.0, self.cy - area.y - area.h)
        if math.hypot(dx, dy) < self.inner + pad:
            return False
        # the wedge (under 180 degrees) is convex: each corner on the inner side of both rays
        s, e = math.radians(self.start), math.radians(self.end)
        return all(
            math.cos(s) * y - math.sin(s) * x >= pad and x * math.sin(e) - y * math.cos(e) >= pad
            for x, y in corners
        )
