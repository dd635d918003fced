"""Resolvers: the country, concept, framework, report or organisation that a person's words name.

A name resolves in steps, exact ones first (an id, a code, a label or title in any language),
then partial ones (a unique part of an id or of a label). A partial match may not be what the
person meant (``-e trust`` finding an element whose id merely contains "trust"), so while
:func:`resolution_notes` is active each one adds a one-line note saying what it matched; the
CLI prints them on stderr. Exact matches add none.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from policykb import countries as iso
from policykb.errors import AmbiguousError, NotFoundError
from policykb.model import Concept, ConceptKind, Framework, KnowledgeBase, Organisation, Report
from policykb.query.index import Index, fold, index_of, norm

# ---------------------------------------------------------------------------------------------
# Notes on partial matches

#: The list the notes of the current :func:`resolution_notes` block go to (``None``: none kept)
_NOTES: ContextVar[list[str] | None] = ContextVar("policykb_resolution_notes", default=None)


@contextmanager
def resolution_notes() -> Iterator[list[str]]:
    """Collect a note for each name resolved by a partial match inside the block.

    A note is one line, e.g. ``'chil' matched country CHL (Chile) by part of its name``; a
    name resolved exactly adds nothing, and a note is kept once however often it recurs.
    """
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def _note(text: str) -> None:
    notes = _NOTES.get()
    if notes is not None and text not in notes:
        notes.append(text)


# ---------------------------------------------------------------------------------------------
# Resolvers


def _did_you_mean(text: str, choices: dict[str, str]) -> str | None:
    """``did you mean 'x'?`` from ``choices`` (normalised key -> what to suggest)."""
    close = difflib.get_close_matches(norm(text), list(choices), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(choices[c] for c in close))
    if not suggestions:
        return None
    return "did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?"


def _pick(
    text: str, what: str, tiers: Iterable[list[str]], describe: dict[str, str]
) -> tuple[int, str]:
    """The step and single candidate of the first non-empty tier (``(-1, "")``: none);
    ambiguous when that tier has several."""
    for step, tier in enumerate(tiers):
        found = list(dict.fromkeys(tier))
        if len(found) == 1:
            return step, found[0]
        if found:
            listed = ", ".join(f"{f} ({describe[f]})" for f in sorted(found)[:10])
            raise AmbiguousError(f"'{text}' matches several {what}", f"one of: {listed}")
    return -1, ""


def resolve_country(text: str) -> str:
    """The alpha-3 code of a country given by name, alpha-2 or alpha-3 code, in any case."""
    code = iso.resolve(text)
    if not iso.is_exact(text):
        _note(f"'{text}' matched country {code} ({iso.name(code)}) by part of its name")
    return code


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


#: What the partial steps of :func:`_find_concepts` matched, by step
_CONCEPT_PARTS = {3: "part of its id", 4: "part of its label"}


def resolve_concept(kb: KnowledgeBase, text: str, level: ConceptKind | None = None) -> Concept:
    """The concept named by a qualified ``fw/id``, a bare id or a label (any case and accents).

    Tries, in order: the id; a label (any language); an alternative label; a unique part of
    an id; a unique part of a label. The first step that finds anything decides: one match is
    the answer, several raise :class:`AmbiguousError`; none raises :class:`NotFoundError` with
    a "did you mean". ``fw/text`` looks only in framework ``fw``; ``level`` restricts the
    search to pillars or elements. A partial match is noted (see :func:`resolution_notes`).
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
    step, found = _find_concepts(wanted, wanted_kind)
    describe = {c.qid: f"{c.kind} '{c.label}'" for c in pool}
    if len(found) == 1:
        chosen = index.concepts[found[0]]
        if step in _CONCEPT_PARTS:
            _note_concept(text, chosen, _CONCEPT_PARTS[step], wanted, pool, level)
        return chosen
    if found:
        raise AmbiguousError(
            f"'{text}' matches several {level or 'concept'}s",
            "one of: " + _listing(found, describe),
        )
    hint = None
    if level is not None:
        other: ConceptKind = "element" if level == "pillar" else "pillar"
        _, others = _find_concepts(wanted, [c for c in pool if c.kind == other])
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


def _note_concept(
    text: str,
    chosen: Concept,
    how: str,
    wanted: str,
    pool: list[Concept],
    level: ConceptKind | None,
) -> None:
    """Note a partial match, naming a concept of the other level that the words name exactly."""
    note = f"'{text}' matched {chosen.kind} {chosen.qid} ({chosen.label}) by {how}"
    if level is not None:
        other = "element" if level == "pillar" else "pillar"
        step, exact = _find_concepts(wanted, [c for c in pool if c.kind == other])
        if 0 <= step < min(_CONCEPT_PARTS) and exact:
            note += f"; {other} {', '.join(sorted(exact))} matches it exactly"
    _note(note)


def _listing(qids: list[str], describe: dict[str, str]) -> str:
    return ", ".join(f"{q} ({describe[q]})" for q in sorted(qids)[:10])


def _find_concepts(wanted: str, pool: list[Concept]) -> tuple[int, list[str]]:
    """The step and qualified ids of the first resolution step that finds anything
    (see resolve_concept); ``(-1, [])`` when none does."""

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
    return next(
        ((step, list(dict.fromkeys(tier))) for step, tier in enumerate(tiers) if tier), (-1, [])
    )


def _resolve_named(text: str, what: str, items: dict[str, list[str]], name: str = "title") -> str:
    """An id from ``items`` (id -> [name, other names]) by id, name or a unique part of either.

    A match on a part is noted (see :func:`resolution_notes`); ``name`` is what the names are
    called in the note (a report's title, an organisation's name).
    """
    wanted = norm(text)
    tiers = (
        [i for i in items if norm(i) == wanted],
        [i for i, names in items.items() if wanted in [norm(n) for n in names]],
        [i for i in items if wanted and wanted in norm(i)],
        [i for i, names in items.items() if wanted and any(wanted in norm(n) for n in names)],
    )
    describe = {i: names[0] if names else i for i, names in items.items()}
    step, found = _pick(text, f"{what}s", tiers, describe)
    if step >= 2:
        how = "part of its id" if step == 2 else f"part of its {name}"
        _note(f"'{text}' matched {what} {found} ({describe[found]}) by {how}")
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
    """The id of the report named by its id, title or alternative title, or a unique part."""
    items = {r: list(entry[0]) for r, entry in index.report_table().items()}
    return _resolve_named(text, "report", items)


def resolve_organisation(kb: KnowledgeBase, text: str) -> Organisation:
    """The organisation named by its id, acronym or name in any language, or a unique part of
    its id or a name (any case, accents ignored)."""
    items = {
        o.id: [str(o.label), *([o.acronym] if o.acronym else []), *o.label.texts()]
        for o in kb.organisations
    }
    found = kb.organisation(_resolve_named(text, "organisation", items, name="name"))
    assert found is not None
    return found


def resolve_recommendation_id(text: str, known: Iterable[str]) -> str:
    """The global id ``report/rec`` of a recommendation among ``known`` global ids, named by it
    or, when only one report has a recommendation of that id, by its bare id.

    A bare id that several reports use raises :class:`AmbiguousError` naming them; an
    unknown id raises :class:`NotFoundError` with the nearest ids.
    """
    ids = list(known)
    wanted = text.strip()
    if wanted in ids:
        return wanted
    if "/" not in wanted:
        bare = fold(wanted)
        found = sorted(q for q in ids if fold(q.partition("/")[2]) == bare)
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousError(
                f"'{text}' matches several recommendations",
                "give one as report/recommendation: " + ", ".join(found[:10]),
            )
    choices = {norm(q): q for q in ids}
    choices.update({norm(q.partition("/")[2]): q for q in ids})
    raise NotFoundError(f"unknown recommendation '{text}'", _did_you_mean(wanted, choices))


def resolve_region(kb: KnowledgeBase, text: str) -> str:
    """A region id, from its id or label in any language (any case, accents ignored)."""
    wanted = fold(text).strip()
    for region in kb.regions:
        if wanted == region.id or wanted in {fold(t) for t in region.label.texts()}:
            return region.id
    known = ", ".join(f"{r.id} ({r.label})" for r in kb.regions) or "none in this data"
    raise NotFoundError(f"unknown region '{text}'", f"regions: {known}")
