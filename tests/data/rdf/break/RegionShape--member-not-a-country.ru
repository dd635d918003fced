# A region whose member is an organisation, not a country.
INSERT DATA { <https://w3id.org/policykb/region/andes> pkb:member <https://w3id.org/policykb/org/agency> }
