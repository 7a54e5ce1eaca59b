"""The Lancashire-14 local authority districts (ONS 2019 codes), where "local" is measured."""

from django.db import models


class District(models.TextChoices):
    BLACKBURN_WITH_DARWEN = "E06000008", "Blackburn with Darwen"
    BLACKPOOL = "E06000009", "Blackpool"
    BURNLEY = "E07000117", "Burnley"
    CHORLEY = "E07000118", "Chorley"
    FYLDE = "E07000119", "Fylde"
    HYNDBURN = "E07000120", "Hyndburn"
    LANCASTER = "E07000121", "Lancaster"
    PENDLE = "E07000122", "Pendle"
    PRESTON = "E07000123", "Preston"
    RIBBLE_VALLEY = "E07000124", "Ribble Valley"
    ROSSENDALE = "E07000125", "Rossendale"
    SOUTH_RIBBLE = "E07000126", "South Ribble"
    WEST_LANCASHIRE = "E07000127", "West Lancashire"
    WYRE = "E07000128", "Wyre"
    OUTSIDE = "outside", "Outside Lancashire"


LANCASHIRE_DISTRICT_CODES = frozenset(d.value for d in District if d != District.OUTSIDE)


def district_from_text(text: str) -> str | None:
    """A district code from its code or its name (any case), or None if there is no match."""
    cleaned = " ".join(text.split()).casefold()
    if not cleaned:
        return None
    for district in District:
        if cleaned in {district.value.casefold(), district.label.casefold()}:
            return district.value
    if cleaned in {"outside", "outside lancashire", "not in lancashire"}:
        return District.OUTSIDE.value
    return None
