"""Linked data: the RDF mapping, its exports, SPARQL, SHACL shapes and publishing."""

#: The base data IRIs are minted under (``--base-iri``). Defined here, not in :mod:`.vocab`, so
#: that the CLI can show it as a default without importing the vocabulary at start-up.
DEFAULT_BASE_IRI = "https://w3id.org/policykb/"

#: The longest ``--timeout`` a query or a publish may be given, in seconds: a day
MAX_TIMEOUT = 86_400.0


def check_timeout(seconds: float) -> float:
    """``seconds`` when it is a time limit above 0 and at most a day; UsageError otherwise
    (NaN, infinities and 1e300 included). One rule for ``sparql`` and ``publish``."""
    if not 0 < seconds <= MAX_TIMEOUT:  # NaN fails too
        from policykb.errors import UsageError

        raise UsageError(
            f"--timeout must be more than 0 and at most {MAX_TIMEOUT:,.0f} seconds, "
            f"not {seconds:g}",
            "give the seconds it may take, such as --timeout 60",
        )
    return seconds
