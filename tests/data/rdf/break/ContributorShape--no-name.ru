# A contributor without a name.
DELETE WHERE { <https://w3id.org/policykb/report/alpha-report#contributor-2> schema:name ?name }
