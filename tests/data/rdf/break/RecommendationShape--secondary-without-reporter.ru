# A secondary recommendation that does not say who reported it.
DELETE { <https://w3id.org/policykb/report/gamma-instrument/recommendation/reported> pkb:reportedBy ?by }
WHERE { <https://w3id.org/policykb/report/gamma-instrument/recommendation/reported> pkb:reportedBy ?by }
