"""Linked-data commands: export, sparql, publish."""

from __future__ import annotations
