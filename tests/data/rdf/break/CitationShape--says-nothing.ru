# A citation with nothing in it.
DELETE { <https://w3id.org/policykb/org/agency#source> ?p ?o }
WHERE { <https://w3id.org/policykb/org/agency#source> ?p ?o FILTER(?p != rdf:type) }
