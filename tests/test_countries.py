"""Country resolution: names, alpha-2 and alpha-3 codes in any case, with helpful errors."""

from __future__ import annotations

import pytest

from policykb import countries
from policykb.errors import AmbiguousError, NotFoundError


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CHL", "CHL"),
        ("chl", "CHL"),
        ("cl", "CHL"),
        ("Chile", "CHL"),
        ("chile", "CHL"),
        ("PAN", "PAN"),
        ("Panamá", "PAN"),
        ("NO", "NOR"),
        ("united kingdom", "GBR"),
        ("South Korea", "KOR"),
        ("Perú", "PER"),
    ],
)
def test_resolve_accepts_names_and_codes(text: str, code: str) -> None:
    """Any spelling a person types resolves to the alpha-3 code."""
    assert countries.resolve(text) == code


def test_resolve_ambiguous_name_lists_candidates() -> None:
    """A partial name matching several countries is ambiguous and names them."""
    with pytest.raises(AmbiguousError) as caught:
        countries.resolve("Korea")
    assert "KOR" in str(caught.value) and "PRK" in str(caught.value)


def test_resolve_unknown_suggests_the_closest() -> None:
    """A misspelt country is not found, with a 'did you mean'."""
    with pytest.raises(NotFoundError) as caught:
        countries.resolve("Chli")
    assert caught.value.hint == "did you mean 'CHL' (Chile)?"


def test_alpha3_check_is_strict() -> None:
    """Data files need upper-case assigned alpha-3 codes: 'chl', 'XYZ' and 'CL' are not."""
    assert countries.is_alpha3("CHL")
    assert not countries.is_alpha3("chl")
    assert not countries.is_alpha3("XYZ")
    assert not countries.is_alpha3("CL")
    assert countries.name("KOR") == "South Korea"
    assert countries.alpha_2("NOR") == "NO"
