# A framework without its dcterms:title.
DELETE WHERE { <https://w3id.org/policykb/framework/alpha> dcterms:title ?title }
