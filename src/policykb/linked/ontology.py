"""The ontology and the SHACL shapes policykb ships, as Turtle (``policykb ontology``).

Both files live in ``policykb/ontology/``: ``ontology.ttl`` declares every ``pkb:`` class and
property with a label and a comment, ``shapes.ttl`` holds the SHACL shapes ``validate --rdf``
runs. :func:`turtle` gives either or both; both together are the two files one after the other,
which is still one Turtle document (a prefix may be declared again) whose graph is their union.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

Part = Literal["ontology", "shapes"]

#: Each part and the file of ``policykb/ontology/`` that holds it.
FILES: dict[Part, str] = {"ontology": "ontology.ttl", "shapes": "shapes.ttl"}


def turtle(parts: Sequence[Part] = ("ontology", "shapes")) -> bytes:
    """The shipped Turtle of ``parts``, in the order given, as one document."""
    from policykb.linked.export import shipped_file

    documents = [shipped_file(FILES[part]) for part in parts]
    return b"\n".join(d if d.endswith(b"\n") else d + b"\n" for d in documents)


def write_file(path: Path, parts: Sequence[Part] = ("ontology", "shapes")) -> int:
    """Write :func:`turtle` of ``parts`` to ``path`` atomically; the number of bytes written."""
    from policykb.linked.export import write_atomic

    data = turtle(parts)
    write_atomic(path, data)
    return len(data)
