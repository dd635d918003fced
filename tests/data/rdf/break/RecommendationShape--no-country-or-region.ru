# A regional recommendation that loses its region: addressed to nobody.
DELETE { <https://w3id.org/policykb/report/gamma-instrument/recommendation/regional> pkb:region ?r }
WHERE { <https://w3id.org/policykb/report/gamma-instrument/recommendation/regional> pkb:region ?r }
