"""Linked data: the RDF mapping, its exports, SPARQL, SHACL shapes and publishing."""
