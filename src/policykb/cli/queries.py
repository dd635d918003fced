"""Analyst commands: recommendations, countries, coverage, frameworks, reports, search, stats."""

from __future__ import annotations
