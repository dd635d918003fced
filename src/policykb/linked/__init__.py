"""Linked data: the RDF mapping, its exports, SPARQL, SHACL shapes and publishing."""

#: The base data IRIs are minted under (``--base-iri``). Defined here, not in :mod:`.vocab`, so
#: that the CLI can show it as a default without importing the vocabulary at start-up.
DEFAULT_BASE_IRI = "https://w3id.org/policykb/"
