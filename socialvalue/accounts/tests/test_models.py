"""Organisation properties that need no database."""

import pytest

from socialvalue.accounts.models import Organisation


@pytest.mark.parametrize(
    ("postcode", "district"),
    [
        ("PR1 2HE", "Preston"),  # PR1 is mainly Preston (66%)
        ("bb11 2dl", "Burnley"),
        ("PR8 1AA", None),  # Southport: mainly Sefton, outside Lancashire
        ("M1 4BT", None),  # Manchester
        ("", None),
        ("not a postcode", None),
    ],
)
def test_it_tells_whether_an_organisation_is_a_local_supplier(
    postcode: str, district: str | None
) -> None:
    assert Organisation(name="Any", postcode=postcode).local_district == district
