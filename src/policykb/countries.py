"""ISO 3166-1 countries through pycountry: data files use alpha-3; people may type anything.

pycountry loads its database on first use (tens of milliseconds), so it is imported inside the
functions, never at module import.
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import cache
from typing import Any

from policykb.errors import AmbiguousError, NotFoundError


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@cache
def _index() -> dict[str, list[str]]:
    """Folded name, official name, common name, alpha-2 and alpha-3 -> alpha-3 codes."""
    import pycountry

    index: dict[str, list[str]] = {}
    for country in pycountry.countries:
        keys = {country.alpha_2, country.alpha_3, country.name}
        keys |= {
            getattr(country, a) for a in ("official_name", "common_name") if hasattr(country, a)
        }
        for key in keys:
            codes = index.setdefault(_fold(key), [])
            if country.alpha_3 not in codes:
                codes.append(country.alpha_3)
    return index


def _country(alpha_3: str) -> Any:
    import pycountry

    return pycountry.countries.get(alpha_3=alpha_3)


def is_alpha3(code: str) -> bool:
    """Whether ``code`` is an assigned ISO 3166-1 alpha-3 code, written in upper case."""
    return code.isupper() and len(code) == 3 and _country(code) is not None


def name(alpha_3: str) -> str:
    """The country's common English name (``Korea, Republic of`` stays as pycountry has it)."""
    country = _country(alpha_3)
    if country is None:
        return alpha_3
    return str(getattr(country, "common_name", None) or country.name)


def alpha_2(alpha_3: str) -> str | None:
    """The alpha-2 code of an alpha-3 code."""
    country = _country(alpha_3)
    return None if country is None else str(country.alpha_2)


def resolve(text: str) -> str:
    """The alpha-3 code for a name, alpha-2 or alpha-3 code in any case and accents.

    Raises :class:`NotFoundError` with the closest names when nothing matches, and
    :class:`AmbiguousError` when a partial name matches several countries.
    """
    folded = _fold(text)
    index = _index()
    if folded in index:
        return index[folded][0]
    partial = sorted(
        {c for key, codes in index.items() if len(key) > 3 and folded in key for c in codes}
    )
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        names = ", ".join(f"{c} ({name(c)})" for c in partial[:8])
        raise AmbiguousError(f"'{text}' matches several countries", f"one of: {names}")
    raise NotFoundError(f"unknown country '{text}'", suggest(text))


def is_exact(text: str) -> bool:
    """Whether ``text`` is a country's code or whole name (any case and accents), not a part."""
    return _fold(text) in _index()


def suggest(text: str) -> str | None:
    """A "did you mean" for something that is not an alpha-3 code, or ``None``."""
    folded = _fold(text)
    index = _index()
    if folded in index:
        code = index[folded][0]
        if code != text:
            return f"did you mean '{code}' ({name(code)})?"
    close = difflib.get_close_matches(folded, list(index), n=1, cutoff=0.75)
    if close:
        code = index[close[0]][0]
        return f"did you mean '{code}' ({name(code)})?"
    return None
