"""Reference and SKOS checks over a built knowledge base -> findings located by item and path.

The schema has already checked each file on its own; these checks look across files: every
reference resolves, ids are unique in their scope, labels are unique under their parent, and
crosswalks make sense as SKOS mapping relations. One more looks into each file's text:
:func:`control_characters`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from policykb import countries
from policykb.controls import FORBIDDEN, char_name
from policykb.errors import did_you_mean
from policykb.model import Framework, KnowledgeBase, LangText, Report, ScoreSet, Source

PathPart = str | int


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found by a check, at ``path`` below the item ``key`` (``report:ID``, …)."""

    key: str
    path: tuple[PathPart, ...]
    code: str
    message: str
    hint: str | None = None
    at_key: bool = False


def control_characters(data: Any, text: str) -> Iterator[tuple[tuple[PathPart, ...], bool, str]]:
    """``(path, at a key, message)`` for each string of a parsed document (``data``, parsed from
    ``text``) that holds a character of :data:`policykb.controls.FORBIDDEN` (issue #16.10).

    libyaml refuses those characters written as they are, so they arrive only through a
    double-quoted scalar's escapes (``"\\e"``, ``"\\x01"``, ``"\\uFFFE"``): a file without a
    backslash holds none, and is not walked.
    """
    if "\\" not in text:
        return
    stack: list[tuple[tuple[PathPart, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(key, str) and FORBIDDEN.search(key):
                    yield (*path, key), True, f"a key {_control_message(key)}"
                stack.append(((*path, key), child))
        elif isinstance(value, list):
            stack.extend(((*path, index), child) for index, child in enumerate(value))
        elif isinstance(value, str) and FORBIDDEN.search(value):
            yield path, False, f"the text {_control_message(value)}"


def _control_message(text: str) -> str:
    found = FORBIDDEN.search(text)
    assert found is not None
    where = found.start() + 1
    return f"holds the control character {char_name(found.group())} at character {where}"


class _Context:
    def __init__(
        self, kb: KnowledgeBase, unreadable: frozenset[str], files: Mapping[str, str]
    ) -> None:
        self.kb = kb
        self.files = files  # item kind -> the file that defines them (organisation -> …)
        self.frameworks = {f.id: f for f in kb.frameworks}
        self.reports = {r.id: r for r in kb.reports}
        self.organisations = {o.id for o in kb.organisations}
        self.regions = {r.id for r in kb.regions}
        self.concepts = {c.qid for c in kb.concepts()}
        # ids held by files that have errors of their own: references to them are not
        # reported again (the file's own issues say what to fix)
        self.unreadable = unreadable

    def concept_ref(self, key: str, path: tuple[PathPart, ...], ref: str) -> Iterator[Finding]:
        if ref in self.concepts or f"framework:{ref.partition('/')[0]}" in self.unreadable:
            return
        framework_id, _, concept_id = ref.partition("/")
        framework = self.frameworks.get(framework_id)
        if framework is None:
            message = f"'{ref}': there is no framework '{framework_id}'"
            hint = did_you_mean(framework_id, self.frameworks)
            if hint:
                hint = did_you_mean(ref, self.concepts) or hint
        else:
            message = f"'{ref}' is not a concept of {framework_id}"
            own = [c.qid for c in framework.concepts()]
            by_label = {str(c.label).casefold(): c.qid for c in framework.concepts()}
            hint = did_you_mean(ref, own)
            if hint is None and concept_id.replace("-", " ").casefold() in by_label:
                hint = f"did you mean '{by_label[concept_id.replace('-', ' ').casefold()]}'?"
        yield Finding(key, path, "unknown-reference", message, hint)

    def ref(
        self,
        key: str,
        path: tuple[PathPart, ...],
        value: str | None,
        what: str,
        known: Collection[str],
    ) -> Iterator[Finding]:
        if value is None or value in known:
            return
        if f"{what}:{value}" not in self.unreadable and f"{what}:*" not in self.unreadable:
            yield Finding(
                key,
                path,
                "unknown-reference",
                f"there is no {what} '{value}'",
                _defined_in(did_you_mean(value, known), what, self.files),
            )

    def source(
        self,
        key: str,
        path: tuple[PathPart, ...],
        source: Source | None,
        implicit_report: str | None = None,
    ) -> Iterator[Finding]:
        if source is not None and source.report != implicit_report:
            yield from self.ref(
                key, (*path, "source", "report"), source.report, "report", self.reports
            )


def _country(key: str, path: tuple[PathPart, ...], code: str) -> Iterator[Finding]:
    if not countries.is_alpha3(code):
        yield Finding(
            key,
            path,
            "unknown-country",
            f"'{code}' is not an ISO 3166-1 alpha-3 country code",
            countries.suggest(code),
        )


def _duplicates(
    key: str, field: str, values: tuple[str, ...], under: tuple[PathPart, ...] = ()
) -> Iterator[Finding]:
    """A finding at the last repeat of each value listed twice in ``field`` (below ``under``)."""
    for value, count in Counter(values).items():
        if count > 1:
            index = len(values) - 1 - values[::-1].index(value)
            yield Finding(
                key,
                (*under, field, index),
                "duplicate-value",
                f"'{value}' is listed {count} times in {field}",
                "keep one",
            )


def _labels_unique(
    key: str, parent: str, labelled: list[tuple[tuple[PathPart, ...], LangText]]
) -> Iterator[Finding]:
    seen: dict[tuple[str, str], tuple[PathPart, ...]] = {}
    for path, label in labelled:
        for lang, text in label.values:
            token = (lang, text.casefold().strip())
            if token in seen:
                yield Finding(
                    key,
                    (*path, "label"),
                    "duplicate-label",
                    f"label '{text}'@{lang} is already used in {parent}",
                )
            else:
                seen[token] = path


def _check_framework(ctx: _Context, framework: Framework) -> Iterator[Finding]:
    key = f"framework:{framework.id}"
    if framework.defined_in is not None:
        yield from ctx.ref(key, ("defined_in",), framework.defined_in, "report", ctx.reports)
        report = ctx.reports.get(framework.defined_in)
        if report is not None and framework.id not in report.defines:
            yield Finding(
                key,
                ("defined_in",),
                "inconsistent-definition",
                f"defined_in is '{report.id}' but that report's defines does not list "
                f"'{framework.id}'",
                f"add it to {report.id}'s defines",
            )
    yield from ctx.source(key, (), framework.source)
    for field in ("replaces", "uses"):
        value = getattr(framework, field)
        if value == framework.id:
            yield Finding(key, (field,), "self-reference", f"{framework.id} {field} itself")
        else:
            yield from ctx.ref(key, (field,), value, "framework", ctx.frameworks)
    if framework.uses is not None and framework.pillars:
        yield Finding(
            key,
            ("pillars",),
            "uses-with-pillars",
            f"{framework.id} uses the concepts of {framework.uses} and also has pillars",
            "drop the pillars (its dimensions are the other framework's), or drop uses",
        )
    elif framework.uses is None and not framework.pillars:
        yield Finding(
            key,
            (),
            "missing-field",
            f"framework '{framework.id}' has no pillars",
            "list its pillars, or give `uses: FRAMEWORK` when its dimensions are another "
            "framework's concepts",
            at_key=True,
        )
    seen: dict[str, tuple[PathPart, ...]] = {}
    pillar_labels = []
    for i, pillar in enumerate(framework.pillars):
        pillar_path: tuple[PathPart, ...] = ("pillars", i)
        pillar_labels.append((pillar_path, pillar.label))
        element_labels = []
        nodes = [(pillar_path, pillar.id, pillar.source)]
        for j, element in enumerate(pillar.elements):
            element_path: tuple[PathPart, ...] = (*pillar_path, "elements", j)
            nodes.append((element_path, element.id, element.source))
            element_labels.append((element_path, element.label))
        for path, concept_id, source in nodes:
            if concept_id in seen:
                yield Finding(
                    key,
                    (*path, "id"),
                    "duplicate-id",
                    f"concept id '{concept_id}' is already used in {framework.id}",
                    "a concept is either a pillar or an element, once",
                )
            seen[concept_id] = path
            yield from ctx.source(key, path, source)
        yield from _labels_unique(key, f"pillar '{pillar.id}'", element_labels)
    yield from _labels_unique(key, framework.id, pillar_labels)


def _check_report(ctx: _Context, report: Report) -> Iterator[Finding]:
    key = f"report:{report.id}"
    yield from ctx.ref(key, ("publisher",), report.publisher, "organisation", ctx.organisations)
    yield from ctx.source(key, (), report.source, report.id)
    for field in ("countries", "compares", "defines", "applies"):
        values: tuple[str, ...] = getattr(report, field)
        yield from _duplicates(key, field, values)
        for i, value in enumerate(values):
            if field in ("countries", "compares"):
                yield from _country(key, (field, i), value)
            else:
                yield from ctx.ref(key, (field, i), value, "framework", ctx.frameworks)
    yield from _duplicates(key, "regions", report.regions)
    for i, region in enumerate(report.regions):
        yield from ctx.ref(key, ("regions", i), region, "region", ctx.regions)
    if report.adherents and report.type != "legal-instrument":
        yield Finding(
            key,
            ("adherents",),
            "adherents-not-instrument",
            f"'{report.id}' lists adherents but its type is '{report.type}'",
            "adherents belong to a legal instrument: set type: legal-instrument",
        )
    for i, adherence in enumerate(report.adherents):
        path_a: tuple[PathPart, ...] = ("adherents", i)
        yield from _duplicates(key, "countries", adherence.countries, path_a)
        for j, code in enumerate(adherence.countries):
            yield from _country(key, (*path_a, "countries", j), code)
        yield from ctx.source(key, path_a, adherence.source)
    seen: set[str] = set()
    for i, rec in enumerate(report.recommendations):
        path: tuple[PathPart, ...] = ("recommendations", i)
        if rec.id in seen:
            yield Finding(
                key,
                (*path, "id"),
                "duplicate-id",
                f"recommendation id '{rec.id}' is already used in {report.id}",
            )
        seen.add(rec.id)
        if not rec.countries and not rec.regions:
            yield Finding(
                key,
                path,
                "missing-field",
                f"recommendation '{rec.id}' has no countries and the report has "
                f"{len(report.countries)} subject countries to default to",
                "list the countries it is addressed to (or, for a regional review that names "
                "none, its regions)",
            )
        for j, region in enumerate(rec.regions):
            yield from ctx.ref(key, (*path, "regions", j), region, "region", ctx.regions)
        if rec.grade == "secondary":
            if rec.reported_by is None:
                yield Finding(
                    key,
                    (*path, "grade"),
                    "missing-field",
                    f"recommendation '{rec.id}' is secondary but does not say who reported it",
                    "add reported_by: the publisher of the page that reported it",
                )
            if rec.source.url is None:
                yield Finding(
                    key,
                    (*path, "source"),
                    "missing-field",
                    f"recommendation '{rec.id}' is secondary but its source has no url",
                    "give source.url: the page that reported it",
                )
        elif rec.reported_by is not None:
            yield Finding(
                key,
                (*path, "reported_by"),
                "inconsistent-grade",
                f"recommendation '{rec.id}' has reported_by but its grade is '{rec.grade}'",
                "reported_by goes with grade: secondary",
            )
        for j, code in enumerate(rec.countries):
            yield from _country(key, (*path, "countries", j), code)
        for j, ref in enumerate(rec.concepts):
            yield from ctx.concept_ref(key, (*path, "concepts", j), ref)
        for j, actor in enumerate(rec.actors):
            yield from ctx.ref(key, (*path, "actors", j), actor, "organisation", ctx.organisations)
        yield from ctx.source(key, path, rec.source, report.id)


def _check_regions(ctx: _Context) -> Iterator[Finding]:
    for region in ctx.kb.regions:
        key = f"region:{region.id}"
        yield from _duplicates(key, "members", region.members)
        for i, code in enumerate(region.members):
            yield from _country(key, ("members", i), code)
        yield from ctx.source(key, (), region.source)


def _check_scores(ctx: _Context, scores: ScoreSet) -> Iterator[Finding]:
    key = f"scores:{scores.id}"
    yield from ctx.ref(key, ("index",), scores.index, "framework", ctx.frameworks)
    yield from ctx.ref(key, ("report",), scores.report, "report", ctx.reports)
    yield from ctx.source(key, (), scores.source, scores.report)
    index = ctx.frameworks.get(scores.index)
    schemes = {scores.index} if index is None else {index.id, index.uses}
    seen: set[tuple[str, str | None]] = set()
    for i, obs in enumerate(scores.observations):
        path: tuple[PathPart, ...] = ("observations", i)
        yield from _country(key, (*path, "country"), obs.country)
        if obs.dimension is not None:
            found = list(ctx.concept_ref(key, (*path, "dimension"), obs.dimension))
            yield from found
            scheme = obs.dimension.partition("/")[0]
            if not found and index is not None and scheme not in schemes:
                yield Finding(
                    key,
                    (*path, "dimension"),
                    "foreign-dimension",
                    f"'{obs.dimension}' is not a dimension of {scores.index}",
                    f"use a concept of {' or '.join(sorted(s for s in schemes if s))}",
                )
        if (obs.country, obs.dimension) in seen:
            yield Finding(
                key,
                path,
                "duplicate-value",
                f"{obs.country} has two values for {obs.dimension or 'the composite score'}",
                "keep one per country and dimension; a second source's value goes in its own "
                "scores file",
            )
        seen.add((obs.country, obs.dimension))
        yield from ctx.source(key, path, obs.source)


def _check_organisations(ctx: _Context) -> Iterator[Finding]:
    for org in ctx.kb.organisations:
        key = f"organisation:{org.id}"
        yield from ctx.ref(key, ("parent",), org.parent, "organisation", ctx.organisations)
        if org.country is not None:
            yield from _country(key, ("country",), org.country)
        yield from ctx.source(key, (), org.source)


_Statement = tuple[str, str, str]


def _statement(source: str, target: str, relation: str) -> _Statement:
    """A match in one direction-normalised form: narrow becomes broad the other way round."""
    if relation == "narrow":
        return target, source, "broad"
    if relation in ("exact", "close", "related"):
        first, second = sorted((source, target))
        return first, second, relation
    return source, target, relation


def _check_crosswalks(ctx: _Context) -> Iterator[Finding]:
    relations: dict[frozenset[str], dict[_Statement, tuple[str, tuple[PathPart, ...]]]] = {}
    broader: dict[str, set[str]] = {}
    for crosswalk in ctx.kb.crosswalks:
        key = f"crosswalk:{crosswalk.id}"
        yield from ctx.source(key, (), crosswalk.source)
        for i, match in enumerate(crosswalk.matches):
            path: tuple[PathPart, ...] = ("matches", i)
            bad = False
            for end, ref in (("from", match.source_concept), ("to", match.target_concept)):
                for finding in ctx.concept_ref(key, (*path, end), ref):
                    bad = True
                    yield finding
            if bad:
                continue
            if match.source_concept.split("/")[0] == match.target_concept.split("/")[0]:
                yield Finding(
                    key,
                    path,
                    "same-scheme-match",
                    f"'{match.source_concept}' and '{match.target_concept}' are in the "
                    "same framework",
                    "SKOS mapping relations link different schemes",
                )
                continue
            pair = frozenset((match.source_concept, match.target_concept))
            known = relations.setdefault(pair, {})
            statement = _statement(match.source_concept, match.target_concept, match.relation)
            if statement in known:
                yield Finding(
                    key,
                    path,
                    "duplicate-value",
                    f"{match.source_concept} {match.relation} {match.target_concept} "
                    "is stated twice",
                )
            elif known and "exact" in {r for _, _, r in (*known, statement)}:
                other = "exact" if match.relation != "exact" else next(r for _, _, r in known)
                yield Finding(
                    key,
                    path,
                    "conflicting-match",
                    f"{match.source_concept} and {match.target_concept} are both "
                    f"'{match.relation}' and '{other}' matches",
                    "an exact match excludes the other relations (SKOS S46)",
                )
            known[statement] = (key, path)
            if match.relation == "broad":
                broader.setdefault(match.source_concept, set()).add(match.target_concept)
            elif match.relation == "narrow":
                broader.setdefault(match.target_concept, set()).add(match.source_concept)
    yield from _cycles(broader, relations)


def _cycles(
    broader: dict[str, set[str]],
    relations: dict[frozenset[str], dict[_Statement, tuple[str, tuple[PathPart, ...]]]],
) -> Iterator[Finding]:
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(node: str, trail: list[str]) -> Iterator[list[str]]:
        state[node] = 1
        for parent in sorted(broader.get(node, ())):
            if state.get(parent) == 1:
                yield [*trail[trail.index(parent) :], parent] if parent in trail else [node, parent]
            elif parent not in state:
                yield from visit(parent, [*trail, parent])
        state[node] = 2

    for start in sorted(broader):
        if start not in state:
            for cycle in visit(start, [start]):
                key, path = relations[frozenset(cycle[-2:])][(cycle[-2], cycle[-1], "broad")]
                yield Finding(
                    key,
                    path,
                    "skos-cycle",
                    "broad/narrow matches form a cycle: " + " → ".join(cycle),
                )


def _defined_in(hint: str | None, what: str, files: Mapping[str, str]) -> str | None:
    """``hint`` followed by where items of kind ``what`` are defined, when one file holds them."""
    if what not in files:
        return hint
    where = f"{what}s are defined in {files[what]}"
    return f"{hint} {where}" if hint else where


def check(
    kb: KnowledgeBase, unreadable: Iterable[str] = (), files: Mapping[str, str] | None = None
) -> list[Finding]:
    """Every reference and SKOS finding in ``kb``.

    ``unreadable`` names items (``report:ID``, ``framework:ID``; ``organisation:*`` for the whole
    organisations file) whose files have errors, so references to them are not reported twice.
    ``files`` names the file that defines each kind of item kept in one file (``organisation``:
    ``data/organisations.yaml``), for the hint of an unknown reference.
    """
    ctx = _Context(kb, frozenset(unreadable), files or {})
    findings: list[Finding] = []
    for framework in kb.frameworks:
        findings += _check_framework(ctx, framework)
    for report in kb.reports:
        findings += _check_report(ctx, report)
    findings += _check_organisations(ctx)
    findings += _check_regions(ctx)
    for scores in kb.scores:
        findings += _check_scores(ctx, scores)
    findings += _check_crosswalks(ctx)
    return findings
