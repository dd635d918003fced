# A score data set that does not say which index it scores.
DELETE { <https://w3id.org/policykb/scores/alpha-index-2025> pkb:index ?i }
WHERE { <https://w3id.org/policykb/scores/alpha-index-2025> pkb:index ?i }
