"""Related recommendations for every recommendation page, in time linear in the corpus.

The rule is :func:`policykb.query.graph.related_recommendations`'s: a recommendation scores 2
for each concept it shares with this one and 1 for each of its concepts a crosswalk links to
one of this one's (exact matches transitively, close matches one step); best first, ties by
id. That function walks every recommendation tied to a shared concept, which is
quadratic when every page asks: at 5,000 reports a concept has thousands. Here each concept
lends at most :data:`WINDOW` candidates, those nearest the recommendation in the corpus's order
(its own report's first), so a page costs the same at any size. Where no concept holds more
than :data:`WINDOW` recommendations (the shipped data) the result is the same as the graph's.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Sequence

from policykb.query.index import Index
from policykb.query.queries import follow_crosswalks

#: The candidates one concept lends to one recommendation's related list.
WINDOW = 48
#: How many related recommendations a page shows.
LIMIT = 6
RELATIONS = ("exact", "close")


class Related:
    """For each recommendation (by position in the index): its related ones, best first."""

    def __init__(
        self, index: Index, ids: Sequence[str], concepts: Sequence[tuple[str, ...]]
    ) -> None:
        self._index = index
        self._ids = ids
        self._concepts = concepts
        self._reach: dict[tuple[str, ...], frozenset[str]] = {}

    def _reached(self, own: tuple[str, ...]) -> frozenset[str]:
        found = self._reach.get(own)
        if found is None:
            matches = self._index.matches
            closure = follow_crosswalks(own, RELATIONS, lambda q: matches.get(q, ()))
            found = self._reach[own] = closure - set(own)
        return found

    def of(self, position: int) -> list[tuple[int, tuple[str, ...], tuple[str, ...], int]]:
        """``(position, shared concepts, concepts reached by crosswalks, score)``, best first."""
        own = self._concepts[position]
        reach = self._reached(own)
        by_concept = self._index.by_concept
        scores: dict[int, int] = {}
        get = scores.get
        for concept, weight in (*((c, 2) for c in own), *((c, 1) for c in sorted(reach))):
            posting = by_concept.get(concept, ())
            if len(posting) > WINDOW:
                at = bisect_left(posting, position)
                start = min(max(0, at - WINDOW // 2), len(posting) - WINDOW)
                posting = posting[start : start + WINDOW]
            for other in posting:
                scores[other] = get(other, 0) + weight
        scores.pop(position, None)
        by_score: dict[int, list[int]] = {}
        for other, score in scores.items():
            by_score.setdefault(score, []).append(other)
        best: list[tuple[int, int]] = []
        for score in sorted(by_score, reverse=True):
            wanted = LIMIT - len(best)
            if wanted <= 0:
                break
            found = heapq.nsmallest(wanted, by_score[score], key=self._ids.__getitem__)
            best.extend((other, score) for other in found)
        concepts = self._concepts
        return [
            (
                other,
                tuple(sorted(c for c in own if c in concepts[other])),
                tuple(sorted(c for c in reach if c in concepts[other])),
                score,
            )
            for other, score in best
        ]
