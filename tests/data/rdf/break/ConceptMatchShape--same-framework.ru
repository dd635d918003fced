# A match between two concepts of the same framework (its SKOS triple stated too).
DELETE { ?match pkb:matchTarget ?target . ?source skos:closeMatch ?target }
INSERT { ?match pkb:matchTarget <https://w3id.org/policykb/framework/alpha/vision> .
         ?source skos:closeMatch <https://w3id.org/policykb/framework/alpha/vision> }
WHERE { BIND(<https://w3id.org/policykb/crosswalk/alpha-to-beta#match-1> AS ?match)
        ?match pkb:matchTarget ?target ; pkb:matchSource ?source }
