# An element whose pillar belongs to another framework.
DELETE { <https://w3id.org/policykb/framework/alpha/rules> skos:broader ?pillar }
INSERT { <https://w3id.org/policykb/framework/alpha/rules> skos:broader <https://w3id.org/policykb/framework/beta/users> }
WHERE { <https://w3id.org/policykb/framework/alpha/rules> skos:broader ?pillar }
