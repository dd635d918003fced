# A recommendation that concerns no concept.
DELETE WHERE { <https://w3id.org/policykb/report/alpha-report/recommendation/r02> dcterms:subject ?concept }
