"""A framework as a diagram: Mermaid (to paste into Markdown) and Graphviz DOT.

Drawn as the sources draw their frameworks: each pillar a box (a Mermaid subgraph, a DOT
cluster) holding its elements top to bottom in the source's order, pillars side by side, each
concept labelled with the source's numbering (``1.1``) and label. A pillar without elements is
a node; a framework of one level lists its pillars top to bottom. A concept that is our reading
of the source (``inferred``) is drawn dashed. An index that ``uses`` another framework's
concepts as its dimensions draws those, inside a box that says whose they are.

Labels are escaped for each language: Mermaid takes ``#NN;`` entity codes for the characters
its parser or its HTML labels would read (``" # & < > `` and the backtick), DOT takes ``\\"``
and ``\\\\`` in quoted strings and reads ``&`` as the start of an HTML entity.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from policykb.query import ElementOutline, FrameworkOutline, PillarOutline

#: The diagram languages :func:`framework_diagram` writes.
DIAGRAMS = ("mermaid", "dot")

_MERMAID_ESCAPES = {c: f"#{ord(c)};" for c in '"#&<>`'}


def framework_diagram(
    outline: FrameworkOutline, language: str, used: FrameworkOutline | None = None
) -> str:
    """``outline`` drawn in ``language`` (``mermaid`` or ``dot``); ``used`` is the framework
    whose concepts an index uses as its dimensions (drawn when the index has no pillars)."""
    if language == "mermaid":
        return mermaid(outline, used)
    if language == "dot":
        return dot(outline, used)
    raise ValueError(f"unknown diagram language {language!r} (one of {', '.join(DIAGRAMS)})")


def _label(concept: PillarOutline | ElementOutline) -> str:
    return f"{concept.notation} {concept.label}" if concept.notation else concept.label


def _oneline(text: str) -> str:
    return " ".join(text.split())


def _drawn(
    outline: FrameworkOutline, used: FrameworkOutline | None
) -> tuple[Sequence[PillarOutline], str | None]:
    """The pillars to draw, and the caption of the box holding them when they are another's."""
    if outline.pillars or not outline.uses:
        return outline.pillars, None
    if used is None:
        return (), f"its dimensions are the concepts of {outline.uses}"
    return used.pillars, f"uses the concepts of {used.title} ({used.id})"


# ---------------------------------------------------------------------------------------------
# Mermaid


def mermaid_text(text: str) -> str:
    """``text`` as the inside of a quoted Mermaid label: one line, special characters as codes."""
    return "".join(_MERMAID_ESCAPES.get(c, c) for c in _oneline(text))


def mermaid(outline: FrameworkOutline, used: FrameworkOutline | None = None) -> str:
    """A Mermaid flowchart: each pillar a subgraph of its elements, in order."""
    pillars, caption = _drawn(outline, used)
    lines = [
        "---",
        f"title: {json.dumps(_oneline(f'{outline.title} ({outline.id})'), ensure_ascii=False)}",
        "---",
        "flowchart TB",
    ]
    indent = "  "
    if caption is not None:
        lines.append(f'  subgraph uses["{mermaid_text(caption)}"]')
        lines.append("    direction TB")
        indent = "    "
        if not pillars:
            lines.append('    none["(not in the knowledge base)"]')
    inferred: list[str] = []
    lines += _mermaid_pillars(pillars, indent, inferred)
    if caption is not None:
        lines.append("  end")
    if inferred:
        lines.append("  classDef inferred stroke-dasharray: 5 5")
        lines.append(f"  class {','.join(inferred)} inferred")
    return "\n".join(lines) + "\n"


def _mermaid_pillars(
    pillars: Sequence[PillarOutline], indent: str, inferred: list[str]
) -> list[str]:
    lines = []
    loose = []  # pillars drawn as nodes, chained top to bottom
    for i, p in enumerate(pillars, start=1):
        node = f"p{i}"
        if p.inferred:
            inferred.append(node)
        if not p.elements:
            lines.append(f'{indent}{node}["{mermaid_text(_label(p))}"]')
            loose.append(node)
            continue
        lines.append(f'{indent}subgraph {node}["{mermaid_text(_label(p))}"]')
        lines.append(f"{indent}  direction TB")
        names = [f"{node}_{j}" for j in range(1, len(p.elements) + 1)]
        for name, e in zip(names, p.elements, strict=True):
            lines.append(f'{indent}  {name}["{mermaid_text(_label(e))}"]')
            if e.inferred:
                inferred.append(name)
        if len(names) > 1:
            lines.append(f"{indent}  {' ~~~ '.join(names)}")
        lines.append(f"{indent}end")
    if len(loose) > 1 and len(loose) == len(pillars):
        lines.append(f"{indent}{' ~~~ '.join(loose)}")
    return lines


# ---------------------------------------------------------------------------------------------
# Graphviz DOT


def dot_text(text: str) -> str:
    """``text`` as a double-quoted DOT string, on one line."""
    escaped = _oneline(text).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return f'"{escaped}"'


def dot(outline: FrameworkOutline, used: FrameworkOutline | None = None) -> str:
    """A Graphviz digraph: each pillar a cluster of its elements, in order (invisible edges)."""
    pillars, caption = _drawn(outline, used)
    lines = [
        f"digraph {dot_text(outline.id)} {{",
        f"  graph [label={dot_text(outline.title)}, labelloc=t, fontname=Helvetica, rankdir=TB];",
        "  node [shape=box, style=rounded, fontname=Helvetica];",
    ]
    indent = "  "
    if caption is not None:
        lines.append('  subgraph "cluster_uses" {')
        lines.append(f"    label={dot_text(caption)};")
        indent = "    "
        if not pillars:
            lines.append(f'    "none" [label={dot_text("(not in the knowledge base)")}];')
    lines += list(_dot_pillars(pillars, indent))
    if caption is not None:
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dashed(concept: PillarOutline | ElementOutline) -> str:
    return ', style="rounded,dashed"' if concept.inferred else ""


def _dot_pillars(pillars: Sequence[PillarOutline], indent: str) -> Iterator[str]:
    loose = []
    for i, p in enumerate(pillars, start=1):
        node = f"p{i}"
        if not p.elements:
            yield f'{indent}"{node}" [label={dot_text(_label(p))}{_dashed(p)}];'
            loose.append(node)
            continue
        yield f'{indent}subgraph "cluster_{node}" {{'
        yield f"{indent}  label={dot_text(_label(p))};"
        if p.inferred:
            yield f"{indent}  style=dashed;"
        names = [f"{node}_{j}" for j in range(1, len(p.elements) + 1)]
        for name, e in zip(names, p.elements, strict=True):
            yield f'{indent}  "{name}" [label={dot_text(_label(e))}{_dashed(e)}];'
        if len(names) > 1:
            chain = " -> ".join(f'"{n}"' for n in names)
            yield f"{indent}  {chain} [style=invis];"
        yield f"{indent}}}"
    if len(loose) > 1 and len(loose) == len(pillars):
        chain = " -> ".join(f'"{n}"' for n in loose)
        yield f"{indent}{chain} [style=invis];"
