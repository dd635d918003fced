"""Resolvers: the country, concept, framework or report that a person's words name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from policykb import countries as iso
from policykb.errors import AmbiguousError, NotFoundError
from policykb.model import Concept, ConceptKind, Framework, KnowledgeBase, Report
from policykb.query.index import Index, fold, index_of, norm

# ---------------------------------------------------------------------------------------------
# Resolvers


def _did_you_mean(text: str, choices: dict[str, str]) -> str | None:
    """``did you mean 'x'?`` from ``choices`` (normalised key -> what to suggest)."""
    close = difflib.get_close_matches(norm(text), list(choices), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(choices[c] for c in close))
    if not suggestions:
        return None
    return "did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?"


def _pick(text: str, what: str, tiers: Iterable[list[str]], describe: dict[str, str]) -> str:
    """The single candidate of the first non-empty tier; ambiguous when that tier has several."""
    for tier in tiers:
        found = list(dict.fromkeys(tier))
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(f"{f} ({describe[f]})" for f in sorted(found)[:10])
            raise AmbiguousError(f"'{text}' matches several {what}", f"one of: {listed}")
    return ""


def resolve_country(text: str) -> str:
    """The alpha-3 code of a country given by name, alpha-2 or alpha-3 code, in any case."""
    return iso.resolve(text)


def country_code(index: Index, text: str) -> str:
    """:func:`resolve_country`, taking an alpha-3 code the data uses as it is.

    The data's codes are valid ISO 3166-1 alpha-3 (the validator checks them), and such a code
    resolves to itself; not asking pycountry saves loading its database (about 50 ms) on the
    common ``recs -c CHL``.
    """
    code = text.strip().upper()
    if len(code) == 3 and code.isascii() and code in index.by_country:
        return code
    return resolve_country(text)


def resolve_concept(kb: KnowledgeBase, text: str, level: ConceptKind | None = None) -> Concept:
    """The concept named by a qualified ``fw/id``, a bare id or a label (any case and accents).

    Tries, in order: the id; a label (any language); an alternative label; a unique part of
    an id; a unique part of a label. The first step that finds anything decides: one match is
    the answer, several raise :class:`AmbiguousError`; none raises :class:`NotFoundError` with
    a "did you mean". ``fw/text`` looks only in framework ``fw``; ``level`` restricts the
    search to pillars or elements.
    """
    index = index_of(kb)
    scope, wanted = None, norm(text)
    if "/" in text:
        prefix, _, rest = text.partition("/")
        scope, wanted = fold(prefix.strip()), norm(rest)
        if kb.framework(scope) is None:
            hint = _did_you_mean(prefix, {norm(f.id): f.id for f in kb.frameworks})
            raise NotFoundError(f"'{text}': there is no framework '{prefix.strip()}'", hint)
    pool = [c for c in index.concepts.values() if scope is None or c.framework == scope]
    wanted_kind = [c for c in pool if level is None or c.kind == level]
    found = _find_concepts(wanted, wanted_kind)
    describe = {c.qid: f"{c.kind} '{c.label}'" for c in pool}
    if len(found) == 1:
        return index.concepts[found[0]]
    if found:
        raise AmbiguousError(
            f"'{text}' matches several {level or 'concept'}s",
            "one of: " + _listing(found, describe),
        )
    hint = None
    if level is not None:
        other: ConceptKind = "element" if level == "pillar" else "pillar"
        others = _find_concepts(wanted, [c for c in pool if c.kind == other])
        if len(others) == 1:
            hint = f"'{others[0]}' is {'an' if other == 'element' else 'a'} {other}"
        elif others:
            hint = f"it names {other}s: {_listing(others, describe)}"
    if hint is None:
        choices: dict[str, str] = {}
        for c in wanted_kind:
            for key in (c.id, c.qid, *c.label.texts()):
                choices.setdefault(norm(key), c.qid)
        hint = _did_you_mean(wanted, choices)
    raise NotFoundError(f"unknown {level or 'concept'} '{text}'", hint)


def _listing(qids: list[str], describe: dict[str, str]) -> str:
    return ", ".join(f"{q} ({describe[q]})" for q in sorted(qids)[:10])


def _find_concepts(wanted: str, pool: list[Concept]) -> list[str]:
    """The qualified ids of the first resolution step that finds anything (see resolve_concept)."""

    def labels(c: Concept) -> list[str]:
        return [norm(t) for t in c.label.texts()]

    def alt_labels(c: Concept) -> list[str]:
        return [norm(t) for alt in c.node.alt_labels for t in alt.texts()]

    tiers = (
        [c.qid for c in pool if norm(c.id) == wanted],
        [c.qid for c in pool if wanted in labels(c)],
        [c.qid for c in pool if wanted in alt_labels(c)],
        [c.qid for c in pool if wanted and wanted in norm(c.id)],
        [c.qid for c in pool if wanted and any(wanted in label for label in labels(c))],
    )
    return next((list(dict.fromkeys(tier)) for tier in tiers if tier), [])


def _resolve_named(text: str, what: str, items: dict[str, list[str]]) -> str:
    """An id from ``items`` (id -> [title, alt titles]) by id, title or a unique part of either."""
    wanted = norm(text)
    tiers = (
        [i for i in items if norm(i) == wanted],
        [i for i, names in items.items() if wanted in [norm(n) for n in names]],
        [i for i in items if wanted and wanted in norm(i)],
        [i for i, names in items.items() if wanted and any(wanted in norm(n) for n in names)],
    )
    describe = {i: names[0] if names else i for i, names in items.items()}
    found = _pick(text, f"{what}s", tiers, describe)
    if found:
        return found
    choices = {norm(k): i for i, names in items.items() for k in (i, *names)}
    raise NotFoundError(f"unknown {what} '{text}'", _did_you_mean(text, choices))


def resolve_framework(kb: KnowledgeBase, text: str) -> Framework:
    """The framework named by its id, title or alternative title, or a unique part of one.

    Like :func:`resolve_concept`, the first step that finds anything decides: exact id, exact
    title, part of an id, part of a title.
    """
    items = {f.id: [f.title, *f.alt_titles] for f in kb.frameworks}
    found = kb.framework(_resolve_named(text, "framework", items))
    assert found is not None
    return found


def resolve_report(kb: KnowledgeBase, text: str) -> Report:
    """The report named by its id, title or alternative title, or a unique part of one."""
    found = kb.report(resolve_report_id(index_of(kb), text))
    assert found is not None
    return found


def resolve_report_id(index: Index, text: str) -> str:
    items = {r: list(names) for r, (names, _) in index.report_table().items()}
    return _resolve_named(text, "report", items)
