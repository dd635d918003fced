"""Ranked full-text search over recommendations, reports, frameworks, concepts,
organisations and regions, and "did you mean" words for a query that finds nothing."""

from __future__ import annotations

import difflib
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
    "acronym": 3.0,
    "text": 1.0,
    "summary": 1.0,
    "definition": 1.0,
    "description": 1.0,
}
_WORD = re.compile(r"\w+")
_SNIPPET = 100
#: The order of kinds among hits of equal score
KINDS = ("recommendation", "report", "framework", "pillar", "element", "organisation", "region")


def _documents(kb: KnowledgeBase) -> Iterable[tuple[str, str, str, str | None, dict[str, str]]]:
    """(kind, id, title, grade, {field: text}) for everything search looks at."""
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
            yield "recommendation", r.qid(rec), rec.text, rec.grade, {"text": rec.text}
    for org in kb.organisations:
        title = f"{org.label} ({org.acronym})" if org.acronym else str(org.label)
        names = " · ".join(dict.fromkeys(org.label.texts()))
        yield (
            "organisation",
            org.id,
            title,
            None,
            {
                "id": org.id,
                "label": names,
                "acronym": org.acronym or "",
            },
        )
    for region in kb.regions:
        names = " · ".join(dict.fromkeys(region.label.texts()))
        yield "region", region.id, str(region.label), None, {"id": region.id, "label": names}


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


def _terms(query: str) -> list[str]:
    terms = list(dict.fromkeys(_WORD.findall(fold(query))))
    if not terms:
        raise UsageError("the search query has no words")
    return terms


def search(kb: KnowledgeBase, query: str, limit: int | None = None) -> list[SearchHit]:
    """Ranked full-text search over recommendations, reports, frameworks, concepts,
    organisations and regions.

    Words are compared folded (any case, accents ignored: ``claveunica`` finds ClaveÚnica), and
    a query word matches any word that starts with it (``ident`` finds identity). Labels and
    names count in every language the data gives them; an organisation is found by its
    acronym too. A document must contain every query word. Its score is the sum, over query
    words and fields, of the field's weight (:data:`FIELD_WEIGHTS`: titles, labels and
    acronyms 3, ids 2, texts 1) times the number of matching words. Ties go by kind
    (:data:`KINDS`) and id. ``limit`` keeps the best ``limit`` hits.
    """
    terms = _terms(query)
    hits = []
    for kind, ident, title, grade, fields in _documents(kb):
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
                SearchHit(kind, ident, title, score, tuple(matched), _snippet(text, terms), grade)
            )
    hits.sort(key=lambda h: (-h.score, KINDS.index(h.kind), h.id))
    return hits if limit is None else hits[:limit]


def search_suggestions(kb: KnowledgeBase, query: str, limit: int = 3) -> list[str]:
    """Queries to try instead of ``query``: each word that starts no word :func:`search` looks
    at replaced by the nearest words that do (``privcy`` -> ``privacy``), best first.

    Empty when every word is known (then only their combination finds nothing). Suggested
    words are lower case, accents kept as the data writes them.
    """
    terms = _terms(query)
    vocabulary: dict[str, str] = {}  # folded word -> the word as the data first writes it
    for *_, fields in _documents(kb):
        for value in fields.values():
            for word in _WORD.findall(value):
                vocabulary.setdefault(fold(word), word.lower())
    words = sorted(vocabulary)
    choices: list[list[str]] = []
    for term in terms:
        if any(w.startswith(term) for w in words):
            choices.append([term])
            continue
        close = difflib.get_close_matches(term, words, n=limit, cutoff=0.75)
        if not close:
            return []  # a word with nothing near it: no query to suggest
        choices.append([vocabulary[c] for c in close])
    if len(choices) == sum(1 for c, term in zip(choices, terms, strict=True) if c == [term]):
        return []  # every word is known
    found = [" ".join(c[min(i, len(c) - 1)] for c in choices) for i in range(limit)]
    return list(dict.fromkeys(found))
