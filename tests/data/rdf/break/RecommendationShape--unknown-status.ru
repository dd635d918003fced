# A recommendation whose status is a mapping status.
DELETE { <https://w3id.org/policykb/report/alpha-report/recommendation/r02> pkb:status ?status }
INSERT { <https://w3id.org/policykb/report/alpha-report/recommendation/r02> pkb:status pkb:Stated }
WHERE { <https://w3id.org/policykb/report/alpha-report/recommendation/r02> pkb:status ?status }
