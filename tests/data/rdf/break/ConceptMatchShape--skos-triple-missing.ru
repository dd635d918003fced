# A reified match whose SKOS mapping triple is not stated.
DELETE WHERE { <https://w3id.org/policykb/framework/alpha/privacy> skos:closeMatch <https://w3id.org/policykb/framework/beta/control> }
