"""Facts about the shipped corpus in data/, checked on the loaded knowledge base.

These tests pin down what the first corpus (shared/sources/FACTS.md) says about the frameworks,
reports and recommendations encoded in data/: counts and order of pillars and elements, the Chile
and Panama recommendations, the candidate points, and the integrity of sources and references.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

import policykb
from policykb.model import Framework, KnowledgeBase, Report

DATA = Path(__file__).resolve().parent.parent / "data"

CHILE_DI = "chile-digital-identity"
CHILE_SDD = "chile-service-design-delivery"
PANAMA = "panama-digital-government-review"

# framework id -> (pillar term, [(pillar label, [element labels in order]), ...]), in source order.
EXPECTED_FRAMEWORKS: dict[str, tuple[str, list[tuple[str, list[str]]]]] = {
    "data-driven-public-sector": (
        "pillar",
        [
            (
                "Governance",
                [
                    "Leadership and vision",
                    "Coherent implementation",
                    "Rules and guidelines",
                    "Data infrastructure",
                    "Data architecture",
                ],
            ),
            (
                "Public value",
                ["Anticipation and planning", "Delivery", "Evaluation and monitoring"],
            ),
            ("Trust", ["Ethics", "Privacy and consent", "Transparency", "Security"]),
        ],
    ),
    "digital-identity-framework": (
        "dimension",
        [
            ("Foundations for DI", ["National identity infrastructure", "DI policy", "Governance"]),
            (
                "DI Solutions",
                [
                    "DI Platform",
                    "Browser based",
                    "Smartcards",
                    "Mobile",
                    "Biometric and emerging DI",
                ],
            ),
            (
                "Policy levers and adoption",
                [
                    "Legal and regulatory framework",
                    "Funding and Enforcement",
                    "Government services",
                    "Private sector services",
                    "Enablers and constraints",
                ],
            ),
            (
                "Transparency and monitoring",
                ["Citizen control of their data", "Performance data", "Impact assessment"],
            ),
        ],
    ),
    "service-design-delivery-framework": (
        "part",
        [
            ("Context", ["Politics", "Legacy channels and technology", "Society and geography"]),
            (
                "Philosophy",
                [
                    "Leadership and vision",
                    "Understanding and responding to whole problems",
                    "Services that make sense end to end",
                    "Involving the public",
                    "Combining policy, delivery and operations across organisational boundaries",
                    "Taking an agile approach",
                ],
            ),
            (
                "Enablers",
                [
                    "Sharing best practice and guidelines",
                    "Governance, spending and assurance",
                    "Digital inclusion",
                    "Common components and tools",
                    "Data governance and its application for public value and trust",
                    "Public sector talent and capabilities",
                ],
            ),
        ],
    ),
    "digital-government-policy-framework": (
        "dimension",
        [
            ("Digital by design", []),
            ("Data-driven public sector", []),
            ("Government as a platform", []),
            ("Open by default", []),
            ("User-driven", []),
            ("Proactiveness", []),
        ],
    ),
    "well-being-characteristics": (
        "characteristic",
        [
            ("Responsive", []),
            ("Protective", []),
            ("Trustworthy", []),
        ],
    ),
    "gds-design-principles": (
        "principle",
        [
            ("Start with needs", []),
            ("Do less", []),
            ("Design with data", []),
            ("Do the hard work to make it simple", []),
            ("Iterate. Then iterate again.", []),
            ("Build for inclusion", []),
            ("Understand context", []),
            ("Build digital services, not websites", []),
            ("Be consistent, not uniform", []),
            ("Make things open: it makes things better", []),
        ],
    ),
    "wp33-areas-of-opportunity": (
        "area of opportunity",
        [
            ("Anticipation", []),
            ("Designing and delivering policy and services", []),
            ("Performance management", []),
        ],
    ),
    "wp33-challenges": (
        "challenge",
        [
            ("Availability, quality and relevance of data", []),
            ("Sharing data internally", []),
            ("Skills and capabilities", []),
            ("Legitimacy and public trust", []),
        ],
    ),
    "government-data-value-cycle": (
        "phase",
        [
            ("Collection", []),
            ("Processing", []),
            ("Sharing", []),
            ("Reuse", []),
        ],
    ),
}

EXPECTED_REPORTS = {
    "chile-service-design-delivery",
    "path-to-data-driven-public-sector",
    "chile-digital-identity",
    "panama-digital-government-review",
    "data-driven-public-sector-wp33",
    "digital-government-citizen-well-being",
    "digital-government-policy-framework-paper",
    "gds-design-principles-standard",
    "local-government-digital-service-design-principles",
    "pride-in-the-name-of-gov-uk",
    "can-these-bones-live",
    "fragile-states-and-digital-foundations",
}

# Any spelling of ClaveÚnica, right or wrong: case, accent (composed or combining), spaces.
CLAVEUNICA_ANY = re.compile(r"clave[\s_-]*(?:u\u0301|[uú])nica", re.IGNORECASE)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The knowledge base loaded from the repository's data directory."""
    return policykb.load(DATA)


def _framework(kb: KnowledgeBase, framework_id: str) -> Framework:
    framework = kb.framework(framework_id)
    assert framework is not None, f"framework {framework_id} is missing"
    return framework


def _report(kb: KnowledgeBase, report_id: str) -> Report:
    report = kb.report(report_id)
    assert report is not None, f"report {report_id} is missing"
    return report


def test_all_expected_frameworks_are_present(kb: KnowledgeBase) -> None:
    """The corpus holds the nine frameworks of the first corpus (and the wider corpus's)."""
    assert set(EXPECTED_FRAMEWORKS) <= {f.id for f in kb.frameworks}


@pytest.mark.parametrize("framework_id", sorted(EXPECTED_FRAMEWORKS))
def test_framework_pillars_in_source_order(kb: KnowledgeBase, framework_id: str) -> None:
    """Each framework's pillars carry the source's labels, count and order, and its level term."""
    term, expected = EXPECTED_FRAMEWORKS[framework_id]
    framework = _framework(kb, framework_id)
    assert framework.pillar_term == term
    assert [str(p.label) for p in framework.pillars] == [label for label, _ in expected]


@pytest.mark.parametrize("framework_id", sorted(EXPECTED_FRAMEWORKS))
def test_framework_elements_in_source_order(kb: KnowledgeBase, framework_id: str) -> None:
    """Each pillar's elements carry the source's labels, count and order."""
    _, expected = EXPECTED_FRAMEWORKS[framework_id]
    framework = _framework(kb, framework_id)
    actual = [[str(e.label) for e in p.elements] for p in framework.pillars]
    assert actual == [elements for _, elements in expected]


def test_framework_totals(kb: KnowledgeBase) -> None:
    """The headline counts hold: DDPS 3/12, digital identity 4/16, service design 3/15."""

    def counts(framework_id: str) -> tuple[int, int]:
        framework = _framework(kb, framework_id)
        return len(framework.pillars), sum(len(p.elements) for p in framework.pillars)

    assert counts("data-driven-public-sector") == (3, 12)
    assert counts("digital-identity-framework") == (4, 16)
    assert counts("service-design-delivery-framework") == (3, 15)
    assert counts("digital-government-policy-framework") == (6, 0)
    assert counts("gds-design-principles") == (10, 0)


def test_digital_identity_notation_follows_report_numbering(kb: KnowledgeBase) -> None:
    """Digital identity dimensions and sub-dimensions carry the report's numbering 1, 1.1 … 4.3."""
    framework = _framework(kb, "digital-identity-framework")
    notations = [c.node.notation for c in framework.concepts()]
    assert notations == [
        "1",
        "1.1",
        "1.2",
        "1.3",
        "2",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
        "3",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "3.5",
        "4",
        "4.1",
        "4.2",
        "4.3",
    ]


def test_alternative_labels_from_the_sources(kb: KnowledgeBase) -> None:
    """Labels the sources use elsewhere are kept as alternative labels, not as the main label."""

    def alts(framework_id: str, concept_id: str) -> set[str]:
        concept = next(c for c in _framework(kb, framework_id).concepts() if c.id == concept_id)
        return {str(a) for a in concept.node.alt_labels}

    assert "Public trust" in alts("data-driven-public-sector", "trust")
    assert "Digital security" in alts("data-driven-public-sector", "security")
    assert "Regulation" in alts("data-driven-public-sector", "rules-and-guidelines")
    assert "Governance and leadership" in alts("digital-identity-framework", "governance")
    assert "Start with user needs" in alts("gds-design-principles", "start-with-needs")
    # the current wording, seen in third-party lists only; its source note says so
    assert "This is for everyone" in alts("gds-design-principles", "build-for-inclusion")


def test_every_framework_has_a_source_and_defining_report(kb: KnowledgeBase) -> None:
    """Every framework names a source and a defining report that lists it under defines."""
    for framework in kb.frameworks:
        assert framework.source.report or framework.source.url, framework.id
        assert framework.defined_in is not None, framework.id
        assert framework.id in _report(kb, framework.defined_in).defines, framework.id


def test_all_publications_are_encoded(kb: KnowledgeBase) -> None:
    """All publications P1-P9 of the first corpus are reports (the wider corpus adds more,
    among them the 2025 policy paper on Chile's national digital identity strategy)."""
    ids = {r.id for r in kb.reports}
    assert ids >= EXPECTED_REPORTS
    titles = " ".join(r.title for r in kb.reports)
    assert "Implementing Chile's National Digital Identity Strategy" in titles


def test_every_report_has_doi_or_url(kb: KnowledgeBase) -> None:
    """Every report can be found again: it has a DOI or a URL, or its source names the page
    that describes it (a review whose own page was not seen)."""
    for report in kb.reports:
        assert report.doi or report.url or report.source.url, report.id


def test_every_report_has_publisher_and_source(kb: KnowledgeBase) -> None:
    """Every report's publisher is a known organisation and it names where its facts come from."""
    organisations = {o.id for o in kb.organisations}
    for report in kb.reports:
        assert report.publisher in organisations, report.id
        assert report.source.url or report.source.note or report.source.report, report.id


def test_chile_digital_identity_has_fourteen_recommendations_to_chile(kb: KnowledgeBase) -> None:
    """All 14 Chile digital identity recommendations are present, in order, addressed to CHL."""
    report = _report(kb, CHILE_DI)
    assert report.countries == ("CHL",)
    assert [r.id for r in report.recommendations] == [f"chl-di-{i:02d}" for i in range(1, 15)]
    for rec in report.recommendations:
        assert rec.countries == ("CHL",), rec.id
        assert rec.grade == "listed", rec.id
        assert rec.mapping == "inferred", rec.id
        assert rec.area == "Policy recommendations", rec.id


def test_chile_digital_identity_recommendations_are_tied_to_concepts(kb: KnowledgeBase) -> None:
    """Each Chile digital identity recommendation is tied to a digital identity concept."""
    for rec in _report(kb, CHILE_DI).recommendations:
        assert len(rec.concepts) >= 1, rec.id
        assert any(c.startswith("digital-identity-framework/") for c in rec.concepts), rec.id


def test_chile_digital_identity_named_actors(kb: KnowledgeBase) -> None:
    """The recommendations that name SRCeI and ChileAtiende list them as actors."""
    recs = {r.id: r for r in _report(kb, CHILE_DI).recommendations}
    assert "srcei" in recs["chl-di-01"].actors
    assert "chileatiende" in recs["chl-di-10"].actors


def test_chile_digital_identity_report_records_list_gap(kb: KnowledgeBase) -> None:
    """The report records that the blog's 14 'most critical points' may not be the full list."""
    gaps = " ".join(_report(kb, CHILE_DI).gaps)
    assert "most critical points" in gaps


def test_panama_recommendation(kb: KnowledgeBase) -> None:
    """Panama has its one retrieved list item first (the foreword's summary statements and the
    key findings' candidates follow) and records the areas not reached as a gap."""
    report = _report(kb, PANAMA)
    assert [r.id for r in report.recommendations if r.grade == "listed"] == ["pan-gov-01"]
    rec = report.recommendations[0]
    assert rec.countries == ("PAN",)
    assert rec.area == "Strengthening Governance"
    assert rec.grade == "listed"
    assert rec.concepts
    gaps = " ".join(report.gaps)
    for area in (
        "Building Institutional Capacities",
        "Data-driven Public Sector",
        "Service Design and Delivery",
    ):
        assert area in gaps


def test_chile_service_design_candidates(kb: KnowledgeBase) -> None:
    """The four Chile service design points are candidates for CHL, each with a note saying so."""
    report = _report(kb, CHILE_SDD)
    assert [r.id for r in report.recommendations] == [f"chl-sdd-c0{i}" for i in range(1, 5)]
    for rec in report.recommendations:
        assert rec.grade == "candidate", rec.id
        assert rec.countries == ("CHL",), rec.id
        assert rec.concepts, rec.id
        assert any("not from its recommendations" in n for n in rec.notes), rec.id


def test_recommendation_counts(kb: KnowledgeBase) -> None:
    """The first corpus's reports hold the 15 listed recommendations and 4 candidates it had,
    and Panama's review now also its foreword's summary statements and key-findings candidates
    (the wider corpus: tests/test_corpus_wide.py)."""
    first = (CHILE_DI, CHILE_SDD, PANAMA)
    grades = [rec.grade for r, rec in kb.recommendations() if r.id in first]
    assert (grades.count("listed"), grades.count("summary"), grades.count("candidate")) == (
        15,
        2,
        7,
    )


def test_every_recommendation_has_a_source(kb: KnowledgeBase) -> None:
    """Every recommendation names where it comes from (a report section or a URL)."""
    for report, rec in kb.recommendations():
        assert rec.source.url or rec.source.section or rec.source.chapter, f"{report.id}/{rec.id}"


def test_every_concept_reference_resolves(kb: KnowledgeBase) -> None:
    """Every concept that recommendations and crosswalks cite is a pillar or element."""
    known = {c.qid for c in kb.concepts()}
    for report, rec in kb.recommendations():
        for ref in rec.concepts:
            assert ref in known, f"{report.id}/{rec.id}: {ref}"
    for crosswalk in kb.crosswalks:
        for match in crosswalk.matches:
            assert match.source_concept in known, f"{crosswalk.id}: {match.source_concept}"
            assert match.target_concept in known, f"{crosswalk.id}: {match.target_concept}"


def test_crosswalks_link_different_frameworks(kb: KnowledgeBase) -> None:
    """Every crosswalk match links concepts of two different frameworks, with a justification."""
    for crosswalk in kb.crosswalks:
        assert crosswalk.matches, crosswalk.id
        for match in crosswalk.matches:
            assert match.source_concept.split("/")[0] != match.target_concept.split("/")[0]
            assert match.justification.strip()


def test_every_organisation_reference_resolves(kb: KnowledgeBase) -> None:
    """Every actor and parent organisation named in the data is a known organisation."""
    organisations = {o.id for o in kb.organisations}
    for report, rec in kb.recommendations():
        for actor in rec.actors:
            assert actor in organisations, f"{report.id}/{rec.id}: {actor}"
    for org in kb.organisations:
        assert org.parent is None or org.parent in organisations, org.id


def test_spanish_names_of_organisations(kb: KnowledgeBase) -> None:
    """Chilean and Panamanian bodies carry their Spanish names as es labels."""

    def es(org_id: str) -> str | None:
        org = kb.organisation(org_id)
        assert org is not None, org_id
        return org.label.get("es")

    assert es("srcei") == "Servicio de Registro Civil e Identificación"
    assert es("aig") == "Autoridad Nacional para la Innovación Gubernamental"
    assert es("ips") == "Instituto de Previsión Social"


def _texts(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """Every free text of reports and recommendations, with where it is."""
    out: list[tuple[str, str]] = []
    for report in kb.reports:
        out += [
            (report.id, t)
            for t in (report.title, report.summary or "", *report.gaps, *report.notes)
        ]
        for rec in report.recommendations:
            out += [(f"{report.id}/{rec.id}", t) for t in (rec.text, *rec.notes)]
    return out


def test_claveunica_spelled_exactly(kb: KnowledgeBase) -> None:
    """Wherever ClaveÚnica is mentioned it is spelled exactly so (capital Ú, composed form)."""
    mentions = 0
    for where, text in _texts(kb):
        for match in CLAVEUNICA_ANY.finditer(text):
            mentions += 1
            assert match.group(0) == "ClaveÚnica", f"{where}: {match.group(0)!r}"
            assert unicodedata.is_normalized("NFC", match.group(0)), where
    assert mentions >= 6


def test_claveunica_in_the_recommendations_that_name_it(kb: KnowledgeBase) -> None:
    """The five Chile recommendations about ClaveÚnica name it in their text."""
    recs = {r.id: r for r in _report(kb, CHILE_DI).recommendations}
    for rec_id in ("chl-di-05", "chl-di-07", "chl-di-08", "chl-di-10", "chl-di-12"):
        assert "ClaveÚnica" in recs[rec_id].text, rec_id


def test_proper_names_kept_exact(kb: KnowledgeBase) -> None:
    """Proper names (SRCeI, Cédula de Identidad, ChileAtiende) are spelled as in the sources."""
    recs = {r.id: r for r in _report(kb, CHILE_DI).recommendations}
    assert "SRCeI" in recs["chl-di-01"].text
    assert "Cédula de Identidad" in recs["chl-di-01"].text
    assert "ChileAtiende" in recs["chl-di-10"].text
