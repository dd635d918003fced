# An element that is not skos:broader any pillar.
DELETE WHERE { <https://w3id.org/policykb/framework/alpha/rules> skos:broader ?pillar }
