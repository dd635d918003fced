# The dataset's rights statement saying nothing.
DELETE WHERE { <https://w3id.org/policykb/dataset#rights> rdfs:label ?label }
