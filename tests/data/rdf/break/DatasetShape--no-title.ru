# The dataset description without its title.
DELETE WHERE { <https://w3id.org/policykb/dataset> dcterms:title ?title }
