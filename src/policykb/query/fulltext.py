"""Ranked full-text search over recommendations, reports, frameworks and concepts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policykb.errors import UsageError
from policykb.model import KnowledgeBase
from policykb.query.index import fold
from policykb.query.results import SearchHit

# ---------------------------------------------------------------------------------------------
# Search

#: Field weights of :func:`search`: a word in a title or label counts more than one in a text.
FIELD_WEIGHTS = {
    "id": 2.0,
    "title": 3.0,
    "label": 3.0,
    "text": 1.0,
    "summary": 1.0,
    "definition": 1.0,
    "description": 1.0,
}
_WORD = re.compile(r"\w+")
_SNIPPET = 100


def _documents(kb: KnowledgeBase) -> Iterable[tuple[str, str, str, str | None, dict[str, str]]]:
    """(kind, id, title, status, {field: text}) for everything search looks at."""
    for framework in kb.frameworks:
        yield (
            "framework",
            framework.id,
            framework.title,
            None,
            {
                "id": framework.id,
                "title": " ".join((framework.title, *framework.alt_titles)),
                "description": framework.description or "",
            },
        )
    for c in kb.concepts():
        node = c.node
        labels = [*c.label.texts(), *(t for alt in node.alt_labels for t in alt.texts())]
        yield (
            c.kind,
            c.qid,
            str(c.label),
            None,
            {
                "id": c.id,
                "label": " · ".join(labels),
                "definition": " ".join(node.definition.texts()) if node.definition else "",
            },
        )
    for r in kb.reports:
        yield (
            "report",
            r.id,
            r.title,
            None,
            {"id": r.id, "title": " ".join((r.title, *r.alt_titles)), "summary": r.summary or ""},
        )
        for rec in r.recommendations:
            yield "recommendation", r.qid(rec), rec.text, rec.status, {"text": rec.text}


def _snippet(text: str, terms: list[str]) -> str:
    """Whole words of ``text``, about :data:`_SNIPPET` characters, around the first match."""
    text = " ".join(text.split())
    if len(text) <= _SNIPPET:
        return text
    words = text.split(" ")

    def matches(word: str) -> bool:
        return any(fold(w).startswith(t) for w in _WORD.findall(word) for t in terms)

    first = next((i for i, word in enumerate(words) if matches(word)), 0)
    start, end = first, first + 1
    while start > 0 and len(" ".join(words[start - 1 : first + 1])) <= _SNIPPET // 3:
        start -= 1
    while end < len(words) and len(" ".join(words[start : end + 1])) <= _SNIPPET:
        end += 1
    return ("…" if start else "") + " ".join(words[start:end]) + ("…" if end < len(words) else "")


def search(kb: KnowledgeBase, query: str, limit: int | None = None) -> list[SearchHit]:
    """Ranked full-text search over recommendations, reports, frameworks and concepts.

    Words are compared folded (any case, accents ignored: ``claveunica`` finds ClaveÚnica), and
    a query word matches any word that starts with it (``ident`` finds identity). A document
    must contain every query word. Its score is the sum, over query words and fields, of the
    field's weight (:data:`FIELD_WEIGHTS`: titles and labels 3, ids 2, texts 1) times the number
    of matching words. Ties go by kind and id. ``limit`` keeps the best ``limit`` hits.
    """
    terms = list(dict.fromkeys(_WORD.findall(fold(query))))
    if not terms:
        raise UsageError("the search query has no words")
    hits = []
    for kind, ident, title, status, fields in _documents(kb):
        folded = {name: fold(value) for name, value in fields.items()}
        whole = " ".join(folded.values())
        if not all(term in whole for term in terms):
            continue  # cheap test first: a word cannot start with a term the text lacks
        score, matched, found = 0.0, [], set()
        for name, value in folded.items():
            words = _WORD.findall(value)
            field_score = 0.0
            for term in terms:
                n = sum(1 for w in words if w.startswith(term))
                if n:
                    found.add(term)
                    field_score += FIELD_WEIGHTS[name] * n
            if field_score:
                score += field_score
                matched.append(name)
        if len(found) == len(terms):
            best = max(matched, key=lambda f: FIELD_WEIGHTS[f] if f != "id" else 0)
            text = fields[best] if best != "id" else title
            hits.append(
                SearchHit(kind, ident, title, score, tuple(matched), _snippet(text, terms), status)
            )
    kinds = ("recommendation", "report", "framework", "pillar", "element")
    hits.sort(key=lambda h: (-h.score, kinds.index(h.kind), h.id))
    return hits if limit is None else hits[:limit]
