"""The export floors: serialize the triples of a Turtle file to Turtle with one library.

    python bench/serialize.py {pyoxigraph,rdflib} IN.ttl OUT.ttl

The triples are parsed first (not timed); the time of the serialization alone is printed in
seconds on stdout, so the runner can add it to the library's bare import time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

library, source, target = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
if library == "pyoxigraph":
    import re

    import pyoxigraph

    # the same prefixes as the input, so both outputs abbreviate alike
    with source.open(encoding="utf-8") as head:
        prefixes = dict(re.findall(r"@prefix\s+([\w-]*):\s*<([^>]*)>", head.read(20_000)))
    triples = list(pyoxigraph.parse(path=str(source), format=pyoxigraph.RdfFormat.TURTLE))
    start = time.perf_counter()
    pyoxigraph.serialize(
        triples, output=str(target), format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes
    )
else:
    import rdflib

    graph = rdflib.Graph()
    graph.parse(source, format="turtle")
    start = time.perf_counter()
    graph.serialize(target, format="turtle")
print(
    f"{time.perf_counter() - start:.6f} {len(triples) if library == 'pyoxigraph' else len(graph)}"
)
