# A publication whose publisher is not an organisation of the knowledge base.
DELETE { <https://w3id.org/policykb/report/alpha-report> dcterms:publisher ?org }
INSERT { <https://w3id.org/policykb/report/alpha-report> dcterms:publisher <https://w3id.org/policykb/org/nobody> }
WHERE { <https://w3id.org/policykb/report/alpha-report> dcterms:publisher ?org }
