"""policykb: public-policy frameworks and the recommendations reports make to countries, as data.

The Python API mirrors the CLI::

    import policykb
    kb = policykb.load(policykb.find_data_dir())
    report = policykb.validate([Path("data")])

Heavy libraries (rdflib, networkx, jsonschema) are imported only by the functions that use them.
"""

from __future__ import annotations

from policykb.errors import Issue, PolicykbError
from policykb.loader import find_data_dir, load, read
from policykb.model import (
    Concept,
    Contributor,
    Crosswalk,
    Element,
    Framework,
    KnowledgeBase,
    LangText,
    Match,
    Organisation,
    Pillar,
    Recommendation,
    Report,
    Source,
)
from policykb.validate import ValidationReport, validate

__version__ = "0.1.0"

__all__ = [
    "Concept",
    "Contributor",
    "Crosswalk",
    "Element",
    "Framework",
    "Issue",
    "KnowledgeBase",
    "LangText",
    "Match",
    "Organisation",
    "Pillar",
    "PolicykbError",
    "Recommendation",
    "Report",
    "Source",
    "ValidationReport",
    "__version__",
    "find_data_dir",
    "load",
    "read",
    "validate",
]
