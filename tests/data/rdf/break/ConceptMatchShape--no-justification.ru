# A match without its justification.
DELETE WHERE { <https://w3id.org/policykb/crosswalk/alpha-to-beta#match-2> pkb:justification ?why }
