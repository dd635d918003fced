"""The RDF mapping, written once: which statements each kind of item yields, as Turtle.

A framework is a ``skos:ConceptScheme``, its pillars and elements ``skos:Concept``\\ s, a report a
``pkb:Publication`` (and schema.org/BIBO classes by its type), a recommendation a
``pkb:PolicyRecommendation``, an organisation an ``org:FormalOrganization``, a crosswalk a
``pkb:Crosswalk`` with one ``pkb:ConceptMatch`` per match and the SKOS mapping triple itself, a
country the EU authority IRI (DESIGN §6). :class:`Statements` has one method per kind; each
collects the subject's ``predicate objects`` parts and writes them as one Turtle statement.

Every other form of the RDF derives from these statements (:mod:`policykb.linked.rdf`): the
Turtle export is them; ``triples``, the rdflib graph, N-Triples, RDF/XML, JSON-LD and the SPARQL
store are them parsed by pyoxigraph. So adding a predicate is one line here (plus its inverse
in :mod:`policykb.linked.read` for the round trip, and its shape in ``ontology/shapes.ttl``).

No blank nodes: nodes that belong to one item (its citation, contributors, alternative labels,
crosswalk matches, the cells of ordered lists) get fragment IRIs under the item's IRI
(``…/report/x#source``, ``…#contributor-1``, ``…#countryList-1``), so every export is stable
byte for byte and every node can be named in a query. Lists keep their order and repeats: the
plain triples (``dcterms:spatial``, ``skos:note`` …) say what is there, and an ``rdf:List``
under the matching ``pkb:…List`` property, written when a list has two or more members, says
in what order.

Terms are spelt by :mod:`policykb.linked.turtle` as pyoxigraph spells them, so the statements
are pyoxigraph's own serialisation byte for byte, as long as the ids that go into IRIs are
plain slugs (:mod:`policykb.linked.iris`); :func:`policykb.linked.rdf.write_turtle` canonicalises
the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policykb import countries
from policykb.linked import describe, vocab
from policykb.linked.statements import PKB, SEP, StatementWriter
from policykb.linked.turtle import date_literal, iri, literal, prefix_lines, quoted
from policykb.linked.vocab import Lit, concept_iri
from policykb.model import (
    Crosswalk,
    Dataset,
    Element,
    Framework,
    KnowledgeBase,
    Organisation,
    Pillar,
    Recommendation,
    Region,
    Report,
    ScoreSet,
    Source,
)

# The vocabulary as written (``pkb:`` terms are ``PKB[name]``), and pieces of statements.
#: a crosswalk relation -> its SKOS mapping property as written
_MATCH = {relation: iri(prop) for relation, prop in vocab.MATCH_PROPERTIES.items()}
_TYPE = "a"
_VALUE = iri(vocab.VALUE)
_IDENTIFIER, _TITLE, _ALTERNATIVE = iri(vocab.IDENTIFIER), iri(vocab.TITLE), iri(vocab.ALTERNATIVE)
_DESCRIPTION, _ABSTRACT, _SOURCE = iri(vocab.DESCRIPTION), iri(vocab.ABSTRACT), iri(vocab.SOURCE)
_PUBLISHER, _ISSUED, _LANGUAGE = iri(vocab.PUBLISHER), iri(vocab.ISSUED), iri(vocab.LANGUAGE)
_SPATIAL, _SUBJECT, _IS_PART_OF = iri(vocab.SPATIAL), iri(vocab.SUBJECT), iri(vocab.IS_PART_OF)
_CONTRIBUTOR, _DC_TYPE = iri(vocab.CONTRIBUTOR), iri(vocab.DC_TYPE)
_HAS_TOP_CONCEPT, _TOP_CONCEPT_OF = iri(vocab.HAS_TOP_CONCEPT), iri(vocab.TOP_CONCEPT_OF)
_IN_SCHEME, _BROADER, _NARROWER = iri(vocab.IN_SCHEME), iri(vocab.BROADER), iri(vocab.NARROWER)
_PREF_LABEL, _ALT_LABEL, _DEFINITION = (
    iri(vocab.PREF_LABEL),
    iri(vocab.ALT_LABEL),
    iri(vocab.DEFINITION),
)
_NOTATION, _NOTE = iri(vocab.NOTATION), iri(vocab.NOTE)
_DERIVED_FROM, _SUB_ORGANIZATION_OF = iri(vocab.DERIVED_FROM), iri(vocab.SUB_ORGANIZATION_OF)
_URL, _NAME, _DATE_PUBLISHED = iri(vocab.URL), iri(vocab.NAME), iri(vocab.DATE_PUBLISHED)
_DOI, _ISBN, _NUMBER = iri(vocab.DOI), iri(vocab.ISBN), iri(vocab.NUMBER)
_CHAPTER, _SECTION, _PAGES = iri(vocab.CHAPTER), iri(vocab.SECTION), iri(vocab.PAGES)
_POSITION, _CITATION, _ACTOR = PKB["position"], PKB["citation"], PKB["actor"]
_ANY_URI = "^^" + iri(vocab.ANY_URI)
_G_YEAR = "^^" + iri(vocab.G_YEAR)
_XSD_LANGUAGE = "^^" + iri(vocab.XSD_LANGUAGE)
_A_CITATION = f"{_TYPE} {PKB['Citation']}"
#: classes written together (joined by ``Statements.objects``, which counts them)
_FRAMEWORK_CLASSES = (iri(vocab.CONCEPT_SCHEME), PKB["Framework"])
_PILLAR_CLASSES = (iri(vocab.CONCEPT), PKB["Pillar"])
_ELEMENT_CLASSES = (iri(vocab.CONCEPT), PKB["Element"])
_A_ORGANISATION = f"{_TYPE} {iri(vocab.FORMAL_ORGANIZATION)}"
_A_LOCATION = f"{_TYPE} {iri(vocab.LOCATION)}"
_A_PUBLICATION = f"{_TYPE} {PKB['Publication']}"
_REPORT_CLASSES = {
    kind: (PKB["Publication"], *map(iri, classes)) for kind, classes in vocab.REPORT_CLASSES.items()
}
_A_RECOMMENDATION = f"{_TYPE} {PKB['PolicyRecommendation']}"
_A_CONTRIBUTOR = f"{_TYPE} {PKB['Contributor']}"
_A_ALTERNATIVE_LABEL = f"{_TYPE} {PKB['AlternativeLabel']}"
_A_CROSSWALK = f"{_TYPE} {PKB['Crosswalk']}"
_A_CONCEPT_MATCH = f"{_TYPE} {PKB['ConceptMatch']}"
_MAPPING = {value: iri(term) for value, term in vocab.MAPPING_VALUES.items()}
_GRADE = {value: iri(term) for value, term in vocab.GRADE_VALUES.items()}
_REC_HEAD = f"{_A_RECOMMENDATION}{SEP}{_IDENTIFIER} "
_AREA = PKB["area"]
_A_ADHERENCE = f"{_TYPE} {PKB['Adherence']}"
_A_REGION = f"{_TYPE} {PKB['Region']}"
_A_DATASET = (
    f"{_TYPE} {iri(vocab.QB_DATASET)}{SEP}{iri(vocab.QB_STRUCTURE)} {PKB['ScoreStructure']}"
)
_A_OBSERVATION = f"{_TYPE} {iri(vocab.QB_OBSERVATION)}"
_DATASET_OF, _REF_AREA = iri(vocab.QB_DATASET_OF), iri(vocab.REF_AREA)
_OBS_VALUE, _SCORED = iri(vocab.OBS_VALUE), PKB["scoredConcept"]
_REPLACES, _IS_REPLACED_BY = iri(vocab.REPLACES), iri(vocab.IS_REPLACED_BY)
_VERSION_INFO = iri(vocab.VERSION_INFO)
_TRUE = literal(Lit("true", None, vocab.BOOLEAN))


def _rec_tail(mapping: str, grade: str) -> str:
    """A recommendation's ``pkb:mapping`` and ``pkb:grade`` parts (an unknown value: a literal)."""
    spelt_mapping = _MAPPING.get(mapping) or quoted(mapping)
    spelt_grade = _GRADE.get(grade) or quoted(grade)
    return f"{SEP}{PKB['mapping']} {spelt_mapping}{SEP}{PKB['grade']} {spelt_grade}"


#: :func:`_rec_tail` of each pair of known values, made once
_REC_TAILS = {(m, g): _rec_tail(m, g) for m in vocab.MAPPING_VALUES for g in vocab.GRADE_VALUES}


def decimal(value: float) -> str:
    """A score as an ``xsd:decimal`` lexical form: ``0.79``, ``12.0`` (never an exponent)."""
    from decimal import Decimal

    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"


class Statements(StatementWriter):
    """The mapping: one method per kind of item, each writing the item's Turtle statements.

    ``po`` collects the ``predicate objects`` parts of the subject's statement; dependent nodes
    (citation, contributors, list cells …) go to ``later`` and are written right after it.
    """

    def citation(self, po: list[str], s: str, source: Source | None) -> None:
        if source is not None:
            head, node = self.citation_parts(s, source)
            po.append(head)
            self.later.append(node)

    def citation_parts(self, s: str, source: Source) -> tuple[str, str]:
        """The subject's ``pkb:citation …`` part, and the statement of its citation node."""
        node = f"<{s}#source>"  # s never has a fragment: dependent items get paths (…/adherence/1)
        if source.report is not None:
            report = f"<{self.base}report/{source.report}>"
            head = f"{_CITATION} {node}{SEP}{_DERIVED_FROM} {report}"
            cites = f"{SEP}{_SOURCE} {report}"
        else:
            head, cites = f"{_CITATION} {node}", ""
        # each optional part on its own, then the statement in one f-string
        known, repeated = self.spelt.get, self.repeated
        chapter = section = page = note = url = ""
        if (value := source.chapter) is not None:
            chapter = f"{SEP}{_CHAPTER} {known(value) or repeated(value)}"
        if (value := source.section) is not None:
            section = f"{SEP}{_SECTION} {known(value) or repeated(value)}"
        if (value := source.page) is not None:
            page = f"{SEP}{_PAGES} {quoted(value)}"
        if (value := source.note) is not None:
            note = f"{SEP}{_NOTE} {known(value) or repeated(value)}"
        if (value := source.url) is not None:
            url = f"{SEP}{_URL} {known(value) or repeated(value)}{_ANY_URI}"
        return head, f"{node} {_A_CITATION}{cites}{chapter}{section}{page}{note}{url} .\n"

    def framework(self, framework: Framework) -> None:
        s = f"{self.base}framework/{framework.id}"
        po = [
            f"{_TYPE} {self.objects(_FRAMEWORK_CLASSES)}",
            f"{_IDENTIFIER} {quoted(framework.id)}",
            f"{_TITLE} {quoted(framework.title)}",
        ]
        alt_titles = [quoted(t) for t in framework.alt_titles]
        self.values(po, s, _ALTERNATIVE, "alternativeTitleList", alt_titles)
        if framework.defined_in is not None:
            po.append(f"{_SOURCE} <{self.base}report/{framework.defined_in}>")
        po.append(f"{PKB['pillarTerm']} {quoted(framework.pillar_term)}")
        po.append(f"{PKB['elementTerm']} {quoted(framework.element_term)}")
        if framework.description is not None:
            po.append(f"{_DESCRIPTION} {quoted(framework.description)}")
        if framework.pillars:
            tops = self.objects([f"<{s}/{pillar.id}>" for pillar in framework.pillars])
            po.append(f"{_HAS_TOP_CONCEPT} {tops}")
        self.values(po, s, _NOTE, "noteList", [quoted(n) for n in framework.notes])
        self.values(po, s, PKB["gap"], "gapList", [quoted(g) for g in framework.gaps])
        if framework.version is not None:
            po.append(f"{_VERSION_INFO} {quoted(framework.version)}")
        if framework.replaces is not None:
            po.append(f"{_REPLACES} <{self.base}framework/{framework.replaces}>")
        later = self.replaced_by.get(framework.id)
        if later:
            versions = self.objects([f"<{self.base}framework/{f}>" for f in later])
            po.append(f"{_IS_REPLACED_BY} {versions}")
        if framework.uses is not None:
            po.append(f"{PKB['usesConceptsOf']} <{self.base}framework/{framework.uses}>")
        self.citation(po, s, framework.source)
        self.statement(s, po)
        for position, pillar in enumerate(framework.pillars, 1):
            self.concept(s, framework.id, pillar, position, None)

    def concept(
        self,
        scheme: str,
        framework_id: str,
        node: Pillar | Element,
        position: int,
        pillar: str | None,
    ) -> None:
        s = f"{scheme}/{node.id}"
        po = [
            f"{_TYPE} {self.objects(_PILLAR_CLASSES if pillar is None else _ELEMENT_CLASSES)}",
            f"{_IDENTIFIER} {quoted(f'{framework_id}/{node.id}')}",
            f"{_IN_SCHEME} <{scheme}>",
            f"{_TOP_CONCEPT_OF} <{scheme}>" if pillar is None else f"{_BROADER} <{pillar}>",
            f"{_POSITION} {position}",
        ]
        labels = self.texts(node.label)
        if labels:
            po.append(f"{_PREF_LABEL} {self.objects(labels)}")
        if node.definition is not None:
            definitions = self.texts(node.definition)
            if definitions:
                po.append(f"{_DEFINITION} {self.objects(definitions)}")
        if node.notation is not None:
            po.append(f"{_NOTATION} {quoted(node.notation)}")
        alt_texts = [self.texts(alt) for alt in node.alt_labels]
        alt_labels = dict.fromkeys(text for texts in alt_texts for text in texts)
        if alt_labels:
            po.append(f"{_ALT_LABEL} {self.objects(list(alt_labels))}")
        if node.alt_labels:
            nodes = [f"<{s}#alt-label-{i}>" for i in range(1, len(node.alt_labels) + 1)]
            po.append(f"{PKB['alternativeLabel']} {self.objects(nodes)}")
            for i, (label, texts) in enumerate(zip(nodes, alt_texts, strict=True), 1):
                parts = [_A_ALTERNATIVE_LABEL, f"{_POSITION} {i}"]
                if texts:
                    parts.append(f"{_VALUE} {self.objects(texts)}")
                self.later.append(f"{label} {SEP.join(parts)} .\n")
        if node.inferred:
            po.append(f"{PKB['inferred']} {_TRUE}")
        self.values(po, s, _NOTE, "noteList", [quoted(n) for n in node.notes])
        self.citation(po, s, node.source)
        if isinstance(node, Pillar) and node.elements:
            narrower = self.objects([f"<{scheme}/{element.id}>" for element in node.elements])
            po.append(f"{_NARROWER} {narrower}")
        self.statement(s, po)
        if isinstance(node, Pillar):
            for i, element in enumerate(node.elements, 1):
                self.concept(scheme, framework_id, element, i, s)

    def organisation(self, organisation: Organisation) -> None:
        s = f"{self.base}org/{organisation.id}"
        po = [_A_ORGANISATION, f"{_IDENTIFIER} {quoted(organisation.id)}"]
        labels = self.texts(organisation.label)
        if labels:
            po.append(f"{_PREF_LABEL} {self.objects(labels)}")
        if organisation.acronym is not None:
            acronym = quoted(organisation.acronym)
            po.append(f"{PKB['acronym']} {acronym}")
            po.append(f"{_ALT_LABEL} {acronym}")
        if organisation.country is not None:
            self.countries.add(organisation.country)
            po.append(f"{_SPATIAL} {self.country(organisation.country)}")
        if organisation.parent is not None:
            po.append(f"{_SUB_ORGANIZATION_OF} <{self.base}org/{organisation.parent}>")
        if organisation.url is not None:
            po.append(f"{_URL} {quoted(organisation.url)}{_ANY_URI}")
        self.citation(po, s, organisation.source)
        self.statement(s, po)

    def region(self, region: Region) -> None:
        s = f"{self.base}region/{region.id}"
        po = [_A_REGION, f"{_IDENTIFIER} {quoted(region.id)}"]
        labels = self.texts(region.label)
        if labels:
            po.append(f"{_PREF_LABEL} {self.objects(labels)}")
        self.country_values(po, s, PKB["member"], "memberList", region.members)
        self.citation(po, s, region.source)
        self.statement(s, po)

    def regions(self, po: list[str], s: str, ids: tuple[str, ...]) -> None:
        """``pkb:region`` (and its ordered list) of a report or recommendation."""
        self.values(po, s, PKB["region"], "regionList", [f"<{self.base}region/{r}>" for r in ids])

    def report(self, report: Report) -> None:
        base = self.base
        s = f"{base}report/{report.id}"
        classes = _REPORT_CLASSES.get(report.type)
        po = [_A_PUBLICATION if classes is None else f"{_TYPE} {self.objects(classes)}"]
        if classes is None:
            po.append(f"{_DC_TYPE} {quoted(report.type)}")
        po.append(f"{_IDENTIFIER} {quoted(report.id)}")
        po.append(f"{_TITLE} {quoted(report.title)}")
        alt_titles = [quoted(t) for t in report.alt_titles]
        self.values(po, s, _ALTERNATIVE, "alternativeTitleList", alt_titles)
        po.append(f"{_PUBLISHER} <{base}org/{report.publisher}>")
        if report.year is not None:
            po.append(f"{_ISSUED} {quoted(f'{report.year:04d}')}{_G_YEAR}")
        if report.date is not None:
            po.append(f"{_DATE_PUBLISHED} {date_literal(report.date)}")
        if report.series is not None:
            po.append(f"{PKB['series']} {self.repeated(report.series)}")
        for prop, value in ((_NUMBER, report.number), (_DOI, report.doi), (_ISBN, report.isbn)):
            if value is not None:
                po.append(f"{prop} {quoted(value)}")
        if report.url is not None:
            po.append(f"{_URL} {quoted(report.url)}{_ANY_URI}")
        po.append(f"{_LANGUAGE} {quoted(report.language)}{_XSD_LANGUAGE}")
        if report.contributors:
            nodes = [f"<{s}#contributor-{i}>" for i in range(1, len(report.contributors) + 1)]
            po.append(f"{_CONTRIBUTOR} {self.objects(nodes)}")
            later = self.later.append
            for i, (node, contributor) in enumerate(
                zip(nodes, report.contributors, strict=True), 1
            ):
                parts = [
                    _A_CONTRIBUTOR,
                    f"{_POSITION} {i}",
                    f"{_NAME} {quoted(contributor.name)}",
                    f"{PKB['role']} {self.repeated(contributor.role)}",
                ]
                if contributor.affiliation is not None:
                    parts.append(f"{PKB['affiliation']} {quoted(contributor.affiliation)}")
                if contributor.note is not None:
                    parts.append(f"{_NOTE} {quoted(contributor.note)}")
                later(f"{node} {SEP.join(parts)} .\n")
        self.country_values(po, s, _SPATIAL, "countryList", report.countries)
        self.country_values(po, s, PKB["compares"], "comparesList", report.compares)
        for direct, ordered, ids in (
            ("defines", "definesList", report.defines),
            ("applies", "appliesList", report.applies),
        ):
            frameworks = [f"<{base}framework/{f}>" for f in ids]
            self.values(po, s, PKB[direct], ordered, frameworks)
        if report.summary is not None:
            po.append(f"{_ABSTRACT} {quoted(report.summary)}")
        self.values(po, s, PKB["gap"], "gapList", [quoted(g) for g in report.gaps])
        self.values(po, s, _NOTE, "noteList", [quoted(n) for n in report.notes])
        self.regions(po, s, report.regions)
        if report.adherents:
            nodes = [f"{s}/adherence/{i}" for i in range(1, len(report.adherents) + 1)]
            po.append(f"{PKB['adherence']} {self.objects([f'<{n}>' for n in nodes])}")
            for i, (node, adherence) in enumerate(zip(nodes, report.adherents, strict=True), 1):
                parts = [_A_ADHERENCE, f"{_IS_PART_OF} <{s}>", f"{_POSITION} {i}"]
                self.country_values(
                    parts, node, PKB["adherent"], "adherentList", adherence.countries
                )
                if adherence.year is not None:
                    parts.append(f"{PKB['year']} {quoted(f'{adherence.year:04d}')}{_G_YEAR}")
                if adherence.note is not None:
                    parts.append(f"{_NOTE} {quoted(adherence.note)}")
                head, citation = self.citation_parts(node, adherence.source)
                parts.append(head)
                self.later.append(f"<{node}> {SEP.join(parts)} .\n")
                self.later.append(citation)
        self.citation(po, s, report.source)
        self.statement(s, po)
        for position, recommendation in enumerate(report.recommendations, 1):
            self.recommendation(s, report.id, recommendation, position)
        self.drain()

    def recommendation(
        self, report: str, report_id: str, rec: Recommendation, position: int
    ) -> None:
        # The hot path (tens of thousands of calls): each optional part is made on its own,
        # and the statement is one f-string, so its text is copied once; the common case (one
        # concept, country or actor) makes no list and no call.
        base = self.base
        s = f"{report}/recommendation/{rec.id}"
        concepts = rec.concepts
        if len(concepts) == 1:
            subject = f"{SEP}{_SUBJECT} <{base}framework/{concepts[0]}>"  # = concept_iri
        elif concepts:
            iris = [f"<{base}framework/{c}>" for c in concepts]
            subject = SEP + self.part(s, _SUBJECT, "conceptList", iris)
        else:
            subject = ""
        codes = rec.countries
        if len(codes) == 1:
            self.countries.add(codes[0])
            iri = self.country_iris.get(codes[0]) or self.country(codes[0])
            spatial = f"{SEP}{_SPATIAL} {iri}"
        elif codes:
            spatial = SEP + self.part(s, _SPATIAL, "countryList", self.country_list(codes))
        else:
            spatial = ""
        actors = rec.actors
        if len(actors) == 1:
            actor = f"{SEP}{_ACTOR} <{base}org/{actors[0]}>"
        elif actors:
            iris = [f"<{base}org/{a}>" for a in actors]
            actor = SEP + self.part(s, _ACTOR, "actorList", iris)
        else:
            actor = ""
        tail = _REC_TAILS.get((rec.mapping, rec.grade)) or _rec_tail(rec.mapping, rec.grade)
        if rec.reported_by is not None:
            tail += f"{SEP}{PKB['reportedBy']} {self.repeated(rec.reported_by)}"
        area = rec.area
        if area is not None:
            tail += f"{SEP}{_AREA} {self.spelt.get(area) or self.repeated(area)}"
        if rec.regions:
            parts: list[str] = []
            self.regions(parts, s, rec.regions)
            tail += SEP + parts[0]
        if rec.notes:
            tail += SEP + self.part(s, _NOTE, "noteList", [quoted(n) for n in rec.notes])
        if rec.source is not None:
            head, node = self.citation_parts(s, rec.source)
            tail += f"{SEP}{head}"
            self.later.append(node)
        # ids are plain (see _plain): the identifier needs no escaping, nor any IRI
        self.emit(
            f'<{s}> {_REC_HEAD}"{report_id}/{rec.id}"{SEP}{_IS_PART_OF} <{report}>{SEP}'
            f"{_POSITION} {position}{SEP}{_VALUE} {quoted(rec.text)}"
            f"{subject}{spatial}{actor}{tail} .\n"
        )

    def crosswalk(self, crosswalk: Crosswalk) -> None:
        base = self.base
        s = f"{base}crosswalk/{crosswalk.id}"
        po = [
            _A_CROSSWALK,
            f"{_IDENTIFIER} {quoted(crosswalk.id)}",
            f"{_TITLE} {quoted(crosswalk.title)}",
        ]
        if crosswalk.description is not None:
            po.append(f"{_DESCRIPTION} {quoted(crosswalk.description)}")
        self.citation(po, s, crosswalk.source)
        self.statement(s, po)
        add = self.chunks.append
        for i, match in enumerate(crosswalk.matches, 1):
            source = concept_iri(base, match.source_concept)
            target = concept_iri(base, match.target_concept)
            relation = vocab.MATCH_PROPERTIES[match.relation]
            add(
                f"<{s}#match-{i}> {_A_CONCEPT_MATCH}{SEP}{_IS_PART_OF} <{s}>{SEP}"
                f"{_POSITION} {i}{SEP}{PKB['matchSource']} <{source}>{SEP}"
                f"{PKB['matchTarget']} <{target}>{SEP}"
                f"{PKB['matchRelation']} {_MATCH[match.relation]}{SEP}"
                f"{PKB['justification']} {quoted(match.justification)} .\n"
            )
            if (source, relation, target) not in self.matches:
                self.matches.add((source, relation, target))
                add(f"<{source}> {_MATCH[match.relation]} <{target}> .\n")

    def score_set(self, scores: ScoreSet) -> None:
        base = self.base
        s = f"{base}scores/{scores.id}"
        index = f"<{base}framework/{scores.index}>"
        po = [
            _A_DATASET,
            f"{_IDENTIFIER} {quoted(scores.id)}",
            f"{_TITLE} {quoted(scores.title)}",
            f"{PKB['index']} {index}",
            f"{PKB['edition']} {quoted(scores.edition)}",
        ]
        if scores.scale is not None:
            po.append(f"{PKB['scale']} {quoted(scores.scale)}")
        self.values(po, s, PKB["gap"], "gapList", [quoted(g) for g in scores.gaps])
        self.values(po, s, _NOTE, "noteList", [quoted(n) for n in scores.notes])
        self.citation(po, s, scores.source)
        self.statement(s, po)
        for i, obs in enumerate(scores.observations, 1):
            node = f"{s}/observation/{i}"
            self.countries.add(obs.country)
            concept = index if obs.dimension is None else f"<{concept_iri(base, obs.dimension)}>"
            parts = [
                _A_OBSERVATION,
                f"{_DATASET_OF} <{s}>",
                f"{_POSITION} {i}",
                f"{_REF_AREA} {self.country(obs.country)}",
                f"{_SCORED} {concept}",
                f"{_OBS_VALUE} {literal(Lit(decimal(obs.value), None, vocab.DECIMAL))}",
            ]
            if obs.note is not None:
                parts.append(f"{_NOTE} {quoted(obs.note)}")
            self.citation(parts, node, obs.source)
            self.statement(node, parts)

    def dataset(self, dataset: Dataset) -> None:
        """The dataset description (:func:`policykb.linked.describe.dataset`), written last."""
        describe.dataset(self, dataset)

    def country_nodes(self) -> None:
        for code in sorted(self.countries):
            po = [_A_LOCATION]
            alpha_2 = countries.alpha_2(code) if re.fullmatch("[A-Z]{3}", code) else None
            if alpha_2 is not None:
                po.append(f"{_PREF_LABEL} {quoted(countries.name(code))}@en")
                po.append(f"{_NOTATION} {self.objects([quoted(alpha_2), quoted(code)])}")
            else:
                po.append(f"{_NOTATION} {quoted(code)}")
            self.chunks.append(f"{self.country(code)} {SEP.join(po)} .\n")


def write_head(writer: Statements, kb: KnowledgeBase) -> None:
    """The prefixes, then the frameworks and organisations: what comes before the reports."""
    writer.write(prefix_lines())
    for framework in kb.frameworks:
        if framework.replaces is not None:
            writer.replaced_by.setdefault(framework.replaces, []).append(framework.id)
    for framework in kb.frameworks:
        writer.framework(framework)
    for organisation in kb.organisations:
        writer.organisation(organisation)
    for region in kb.regions:
        writer.region(region)
    writer.drain()


def write_reports(writer: Statements, reports: Sequence[Report]) -> None:
    """The reports, each followed by its recommendations."""
    for report in reports:
        writer.report(report)


def write_all(writer: Statements, kb: KnowledgeBase) -> None:
    """The whole knowledge base: head, every report, tail."""
    write_head(writer, kb)
    write_reports(writer, kb.reports)
    write_tail(writer, kb)


def write_tail(writer: Statements, kb: KnowledgeBase, describe: bool = True) -> None:
    """The crosswalks and index scores, a node for each country named, and last (unless not
    ``describe``) the dataset description, whose ``void:triples`` counts every triple."""
    for crosswalk in kb.crosswalks:
        writer.crosswalk(crosswalk)
    for scores in kb.scores:
        writer.score_set(scores)
    writer.country_nodes()
    writer.drain()
    if describe:
        writer.dataset(kb.dataset)
