"""policykb: public-policy frameworks and the recommendations reports make to countries, as data.

The Python API mirrors the CLI::

    import policykb
    kb = policykb.load(policykb.find_data_dir())
    report = policykb.validate([Path("data")])

Names are imported on first use (PEP 562), so ``import policykb`` costs almost nothing and the
CLI's start-up pays only for what a command needs; heavy libraries (rdflib, networkx,
jsonschema_rs) are imported only by the functions that use them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> the module that defines it
_EXPORTS = {
    "Issue": "policykb.errors",
    "PolicykbError": "policykb.errors",
    "find_data_dir": "policykb.datafiles.datadir",
    "load": "policykb.datafiles.loader",
    "read": "policykb.datafiles.loader",
    "ValidationReport": "policykb.datafiles.validation",
    "validate": "policykb.datafiles.validation",
    "Concept": "policykb.model",
    "Contributor": "policykb.model",
    "Crosswalk": "policykb.model",
    "Element": "policykb.model",
    "Framework": "policykb.model",
    "KnowledgeBase": "policykb.model",
    "LangText": "policykb.model",
    "Match": "policykb.model",
    "Organisation": "policykb.model",
    "Pillar": "policykb.model",
    "Recommendation": "policykb.model",
    "Report": "policykb.model",
    "Source": "policykb.model",
    "recommendations": "policykb.query",
    "coverage": "policykb.query",
    "search": "policykb.query",
    "build_graph": "policykb.query.graph",
    "to_rdf": "policykb.linked.rdf",
    "from_rdf": "policykb.linked.read",
}

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
    "build_graph",
    "coverage",
    "find_data_dir",
    "from_rdf",
    "load",
    "read",
    "recommendations",
    "search",
    "to_rdf",
    "validate",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'policykb' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from policykb.datafiles.datadir import find_data_dir
    from policykb.datafiles.loader import load, read
    from policykb.datafiles.validation import ValidationReport, validate
    from policykb.errors import Issue, PolicykbError
    from policykb.linked.rdf import to_rdf
    from policykb.linked.read import from_rdf
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
    from policykb.query import coverage, recommendations, search
    from policykb.query.graph import build_graph
