# The dataset's publisher without its name.
DELETE WHERE { <https://w3id.org/policykb/dataset#publisher> <http://xmlns.com/foaf/0.1/name> ?name }
