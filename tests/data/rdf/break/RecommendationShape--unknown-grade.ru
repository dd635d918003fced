# A recommendation whose grade is a mapping status.
DELETE { <https://w3id.org/policykb/report/alpha-report/recommendation/r02> pkb:grade ?grade }
INSERT { <https://w3id.org/policykb/report/alpha-report/recommendation/r02> pkb:grade pkb:Stated }
WHERE { <https://w3id.org/policykb/report/alpha-report/recommendation/r02> pkb:grade ?grade }
