# An organisation that is part of two organisations.
INSERT DATA { <https://w3id.org/policykb/org/agency> org:subOrganizationOf <https://w3id.org/policykb/org/publisher> }
