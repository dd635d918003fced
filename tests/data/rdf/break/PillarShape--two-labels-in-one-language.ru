# A pillar with two Spanish preferred labels.
INSERT DATA { <https://w3id.org/policykb/framework/alpha/governance> skos:prefLabel "Otra gobernanza"@es }
