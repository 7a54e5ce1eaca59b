"""Money and percentage helpers: exact Decimals, rounded half-up only for display."""

from decimal import Decimal

import pytest

from socialvalue.core.money import format_gbp, percent, round_2dp, round_money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0.005"), Decimal("0.01")),
        (Decimal("0.004999"), Decimal("0.00")),
        (Decimal("2.675"), Decimal("2.68")),  # a float would give 2.67
        (Decimal("1234.565"), Decimal("1234.57")),
        (Decimal("-2.505"), Decimal("-2.51")),  # half away from zero
        (Decimal("31285"), Decimal("31285.00")),
    ],
)
def test_it_rounds_money_half_up_to_pence(value: Decimal, expected: Decimal) -> None:
    assert round_money(value) == expected
    assert str(round_money(value)) == str(expected)


def test_it_rounds_scores_and_percentages_to_two_places_half_up() -> None:
    assert round_2dp(Decimal("12.345")) == Decimal("12.35")
    assert round_2dp(Decimal("3.3333")) == Decimal("3.33")


def test_it_gives_an_exact_percentage() -> None:
    # 1 of 3 is 33.333…%; nothing is rounded until it is shown.
    result = percent(Decimal("1"), Decimal("3"))

    assert result is not None
    assert result > Decimal("33.3333333")
    assert round_2dp(result) == Decimal("33.33")
    assert percent(Decimal("25"), Decimal("200")) == Decimal("12.5")


def test_it_gives_no_percentage_of_nothing() -> None:
    assert percent(Decimal("5"), Decimal("0")) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.565"), "£1,234.57"),
        (Decimal("0.005"), "£0.01"),
        (Decimal("-2.5"), "-£2.50"),
        (Decimal("1000000"), "£1,000,000.00"),
        (None, "—"),
    ],
)
def test_it_formats_pounds_and_pence(value: Decimal | None, expected: str) -> None:
    assert format_gbp(value) == expected
