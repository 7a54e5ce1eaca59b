"""The local supplier check: from a postcode to the Lancashire district it is mainly in."""

from decimal import Decimal

import pytest

from socialvalue.core.postcodes import (
    ERR_POSTCODE_EMPTY,
    ERR_POSTCODE_FORMAT,
    PostcodeError,
    district_for_postcode,
    normalise_postcode,
)


def test_it_puts_pr1_mainly_in_preston() -> None:
    result = district_for_postcode("PR1")
    assert result.found
    assert result.is_local
    assert (result.district_code, result.district_name) == ("E07000123", "Preston")
    assert result.share == Decimal("0.664")
    assert result.share_percent == 66
    assert [(d.name, d.share_percent) for d in result.districts] == [
        ("Preston", 66),
        ("South Ribble", 34),
    ]
    assert result.lancashire_share == Decimal("1.000")
    assert result.explanation == (
        "PR1 is mainly in Preston (66%), one of the 14 Lancashire districts, so it counts as local."
    )


def test_it_reads_the_outward_code_of_a_full_postcode() -> None:
    result = district_for_postcode("PR1 2HE")
    assert (result.postcode, result.outward_code, result.district_name) == (
        "PR1 2HE",
        "PR1",
        "Preston",
    )


@pytest.mark.parametrize("text", ["bb11 2dl", "BB112DL", "  Bb11   2Dl ", "bb11\t2dl"])
def test_it_normalises_what_people_type(text: str) -> None:
    result = district_for_postcode(text)
    assert result.postcode == "BB11 2DL"
    assert result.outward_code == "BB11"
    assert (result.district_name, result.share, result.is_local) == (
        "Burnley",
        Decimal("1.000"),
        True,
    )


def test_it_does_not_count_southport_as_local() -> None:
    result = district_for_postcode("PR8 1AB")
    assert result.found
    assert not result.is_local
    assert (result.main_district_code, result.main_district_name) == ("E08000014", "Sefton")
    assert result.main_share == Decimal("0.961")
    assert result.district_code is None
    assert result.share is None
    assert result.lancashire_share == Decimal("0.039")
    assert result.explanation == (
        "PR8 is mainly in Sefton (96%), outside Lancashire, so it does not count as local."
    )


@pytest.mark.parametrize(
    ("outward", "main"),
    [("LA6", "South Lakeland"), ("BL0", "Bury"), ("OL12", "Rochdale"), ("PR9", "Sefton")],
)
def test_it_follows_the_district_holding_most_of_a_border_code(outward: str, main: str) -> None:
    result = district_for_postcode(outward)
    assert result.main_district_name == main
    assert not result.is_local


def test_it_takes_the_main_lancashire_district_of_a_shared_code() -> None:
    result = district_for_postcode("PR3 0AA")
    assert (result.district_name, result.share, result.is_local) == ("Wyre", Decimal("0.516"), True)


@pytest.mark.parametrize("text", ["ZZ9 9ZZ", "M1 1AE", "FY0 1AA", "PR0"])
def test_it_does_not_count_postcodes_missing_from_the_lookup(text: str) -> None:
    result = district_for_postcode(text)
    assert not result.found
    assert not result.is_local
    assert result.district_code is None
    assert result.main_district_name is None
    assert result.share_percent is None
    assert result.districts == ()
    assert result.lancashire_share == Decimal(0)
    assert result.explanation.endswith(
        "is not in the Lancashire postcode lookup, so it does not count as local."
    )


@pytest.mark.parametrize("text", ["", "   ", None])
def test_it_asks_for_a_postcode_when_there_is_none(text: str | None) -> None:
    with pytest.raises(PostcodeError) as caught:
        district_for_postcode(text)  # type: ignore[arg-type]
    assert str(caught.value) == ERR_POSTCODE_EMPTY == "Enter a postcode."


@pytest.mark.parametrize(
    "text", ["hello", "12345", "PR1 2H", "PR1 2HEE", "1PR 2HE", "PR-1", "<script>", "PR1 2HE 3"]
)
def test_it_refuses_text_that_is_not_a_postcode(text: str) -> None:
    with pytest.raises(PostcodeError) as caught:
        district_for_postcode(text)
    assert str(caught.value) == ERR_POSTCODE_FORMAT


def test_it_is_a_value_error_for_callers_that_catch_those() -> None:
    with pytest.raises(ValueError, match="Enter a real postcode"):
        normalise_postcode("nonsense")


def test_it_covers_every_lancashire_district() -> None:
    mains = {
        district_for_postcode(code).district_name
        for code in [
            "BB1",
            "FY1",
            "BB11",
            "PR7",
            "FY8",
            "BB5",
            "LA1",
            "BB9",
            "PR1",
            "BB7",
            "BB4",
            "PR5",
            "WN8",
            "FY7",
        ]
    }
    assert len(mains) == 14
