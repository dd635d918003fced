# The Turtle distribution without its media type.
DELETE WHERE { <https://w3id.org/policykb/dataset#turtle> dcat:mediaType ?type }
