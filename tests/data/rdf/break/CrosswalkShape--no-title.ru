# A crosswalk without its title.
DELETE WHERE { <https://w3id.org/policykb/crosswalk/alpha-to-beta> dcterms:title ?title }
