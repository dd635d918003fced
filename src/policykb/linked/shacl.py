"""SHACL shapes over the RDF export, each violation located at the item it concerns.

The shapes ship as ``ontology/shapes.ttl``. :func:`violations` runs them with pySHACL over an
rdflib graph; :func:`corpus_issues` runs them over a data directory's knowledge base and turns
every violation into a ``shacl-violation`` issue at the file, line and column of the report,
recommendation, framework, concept, organisation or crosswalk its focus node stands for.
:func:`with_shacl` adds them to a validation report, leaving out those that repeat a defect
the YAML checks already reported (:func:`repeats`): one defect, one issue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from policykb.errors import Issue, make_issue
from policykb.linked.rdf import to_rdf
from policykb.linked.vocab import COUNTRY_NS, DEFAULT_BASE_IRI, PREFIXES, check_base_iri

if TYPE_CHECKING:
    from rdflib import Graph

    from policykb.datafiles.loader import Corpus
    from policykb.datafiles.validation import ValidationReport

SHAPES_NS = "https://w3id.org/policykb/shapes#"
PathPart = str | int


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: the focus node, the property path, the message and the shape broken."""

    focus: str
    path: str | None
    message: str
    shape: str  # the local name of the node shape, such as RecommendationShape
    value: str | None = None  # compact (country:CHL) where a prefix fits
    value_iri: str | None = None  # the value as it is, when it is an IRI


@cache
def shapes_graph() -> Graph:
    """The shipped SHACL shapes, parsed once."""
    from rdflib import Graph

    from policykb.linked.export import shipped_file

    return Graph().parse(data=shipped_file("shapes.ttl"), format="turtle")


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def violations(graph: Graph) -> list[Violation]:
    """Every violation of the shipped shapes in ``graph``, sorted by focus node and message."""
    from pyshacl import validate
    from rdflib import URIRef
    from rdflib.namespace import SH

    shapes = shapes_graph()
    conforms, results, _ = validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    if conforms:
        return []
    found = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        source = results.value(result, SH.sourceShape)
        # a property shape is a blank node inside its node shape: report the node shape
        owner = shapes.value(predicate=SH.property, object=source) or source
        found.append(
            Violation(
                focus=str(focus),
                path=None if path is None else _compact(str(path)),
                message=str(message) if message is not None else "breaks a SHACL shape",
                shape=str(owner).removeprefix(SHAPES_NS),
                value=None if value is None else _compact(str(value)),
                value_iri=str(value) if isinstance(value, URIRef) else None,
            )
        )
    return sorted(set(found), key=lambda v: (v.focus, v.message, v.path or "", v.value or ""))


def item_of(iri: str, base_iri: str = DEFAULT_BASE_IRI) -> tuple[str, tuple[PathPart, ...]] | None:
    """The source-map key (``recommendation:R/ID`` …) and path inside it of a data IRI, if any."""
    base = check_base_iri(base_iri)
    if not iri.startswith(base):
        return None
    node, _, fragment = iri[len(base) :].partition("#")
    parts = node.split("/")
    # (first segment, segments, third segment or None) -> the key and the path inside its item
    nodes: dict[tuple[str, int, str | None], Callable[[], tuple[str, tuple[PathPart, ...]]]] = {
        ("report", 2, None): lambda: (f"report:{parts[1]}", ()),
        ("report", 4, "recommendation"): lambda: (f"recommendation:{parts[1]}/{parts[3]}", ()),
        ("report", 4, "adherence"): lambda: (f"report:{parts[1]}", ("adherents", number(3))),
        ("framework", 2, None): lambda: (f"framework:{parts[1]}", ()),
        ("framework", 3, None): lambda: (f"concept:{parts[1]}/{parts[2]}", ()),
        ("org", 2, None): lambda: (f"organisation:{parts[1]}", ()),
        ("crosswalk", 2, None): lambda: (f"crosswalk:{parts[1]}", ()),
        ("region", 2, None): lambda: (f"region:{parts[1]}", ()),
        ("scores", 2, None): lambda: (f"scores:{parts[1]}", ()),
        ("scores", 4, "observation"): lambda: (f"scores:{parts[1]}", ("observations", number(3))),
        ("dataset", 1, None): lambda: ("dataset:dataset", ()),  # the description, dataset.yaml
    }

    def number(index: int) -> int:
        return int(parts[index]) - 1 if parts[index].isdigit() else 0

    third = parts[2] if len(parts) == 4 else None
    make = nodes.get((parts[0], len(parts), third))
    if make is None:
        return None
    key, inside = make()
    name, _, count = fragment.rpartition("-")
    fields = {"contributor": "contributors", "match": "matches", "alt-label": "alt_labels"}
    if fragment == "source":
        path: tuple[PathPart, ...] = ("source",)
    elif name in fields and count.isdigit():
        path = (fields[name], int(count) - 1)
    else:
        path = ()
    return key, (*inside, *path)


def _describe(key: str) -> str:
    kind, _, ident = key.partition(":")
    return f"{kind} {ident}"


def _located(corpus: Corpus, base_iri: str) -> tuple[list[tuple[Violation, Issue]], set[str]]:
    """Each violation with its located issue, and the IRIs of the nodes the data describes."""
    from rdflib.namespace import RDF

    graph = to_rdf(corpus.kb, base_iri)
    described = {str(node) for node in graph.subjects(RDF.type, None)}
    located = []
    for violation in violations(graph):
        item = item_of(violation.focus, base_iri)
        what = violation.focus.removeprefix(COUNTRY_NS)
        file, line, column = str(corpus.root), None, None
        if item is not None:
            key, path = item
            what = _describe(key)
            # an item missing from the source map keeps the data directory as its place
            with suppress(KeyError):
                file, line, column = corpus.where(key, path)
        prop = violation.path
        where = f" ({prop})" if prop and prop not in violation.message else ""
        value = f"; value {violation.value}" if violation.value else ""
        issue = make_issue(
            "shacl-violation",
            f"{what}: {violation.message}{where}",
            file,
            line,
            column,
            hint=f"{violation.shape}{value}",
        )
        located.append((violation, issue))
    return located, described


def corpus_issues(corpus: Corpus, base_iri: str = DEFAULT_BASE_IRI) -> list[Issue]:
    """The shapes run over a corpus's knowledge base, as located ``shacl-violation`` issues."""
    return [issue for _, issue in _located(corpus, base_iri)[0]]


def _last_segment(iri: str) -> str:
    return iri.partition("#")[0].rstrip("/").rsplit("/", 1)[-1]


def _quotes(message: str, ident: str) -> bool:
    """Whether an issue's message quotes ``ident``, alone or qualified (``'fw/ident'``)."""
    return re.search(rf"'(?:[^'\s]*/)?{re.escape(ident)}'", message) is not None


#: The data file that defines an item of each kind, from the item's id (``item_of``'s keys).
_DEFINED_IN = {
    "report": "reports/{}.yaml",
    "recommendation": "reports/{}.yaml",
    "framework": "frameworks/{}.yaml",
    "concept": "frameworks/{}.yaml",
    "organisation": "organisations.yaml",
    "crosswalk": "mappings/{}.yaml",
    "region": "regions.yaml",
    "scores": "scores/{}.yaml",
    "dataset": "dataset.yaml",
}


def repeats(
    violation: Violation,
    issue: Issue,
    errors: list[Issue],
    described: set[str],
    root: Path,
    base_iri: str = DEFAULT_BASE_IRI,
) -> bool:
    """Whether a violation is a defect that one of ``errors`` (the YAML checks') already names.

    - a reference to nothing the data describes (a misspelt concept, organisation, report …),
      when an error in the same file quotes that id (``unknown-reference``, ``unknown-country``);
    - a reference to an item whose own file has errors (it did not load, so everything that
      names it dangles);
    - a node that breaks an "exactly one" rule because two items share its id, when a
      ``duplicate-id`` error in the same file quotes that id.
    """
    target = violation.value_iri
    if target is not None and target not in described:
        ident = _last_segment(target)
        if any(e.file == issue.file and _quotes(e.message, ident) for e in errors):
            return True
        item = item_of(target, base_iri)
        kind, _, ident = item[0].partition(":") if item else ("", "", "")
        if kind in _DEFINED_IN:
            defined_in = (root / _DEFINED_IN[kind].format(ident.split("/")[0])).resolve()
            if any(Path(e.file).resolve() == defined_in for e in errors):
                return True
    focus = _last_segment(violation.focus)
    return any(
        e.code == "duplicate-id" and e.file == issue.file and _quotes(e.message, focus)
        for e in errors
    )


def with_shacl(report: ValidationReport) -> ValidationReport:
    """A validation report with the SHACL issues of each data directory it covers added.

    A violation that repeats a defect the YAML checks reported is left out (:func:`repeats`):
    the located YAML issue, with its more specific code, stands for it.
    """
    issues = list(report.issues)
    for corpus in report.corpora:
        errors = [i for i in corpus.issues if i.severity == "error"]
        located, described = _located(corpus, DEFAULT_BASE_IRI)
        issues += [
            issue
            for violation, issue in located
            if not repeats(violation, issue, errors, described, corpus.root)
        ]
    issues.sort(key=lambda i: (i.file, i.line or 0, i.column or 0, i.code))
    return replace(report, issues=tuple(issues))
