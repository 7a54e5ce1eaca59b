"""Money and percentage helpers: exact Decimals, rounded half-up only for display."""

from decimal import ROUND_DOWN, Context, Decimal

import pytest

from socialvalue.core.money import (
    FIGURE,
    KPI_TARGET,
    MONEY,
    PROXY,
    QUANTITY,
    SQLITE_EXACT_DIGITS,
    DecimalLimit,
    exact_money_text,
    format_gbp,
    format_gbp_exact,
    format_percent,
    money_text,
    percent,
    percent_text,
    plain,
    round_2dp,
    round_half_up,
    round_money,
)


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


# --- The limits of stored decimals ---------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "largest", "shown"),
    [
        (QUANTITY, Decimal("999999999.999999"), "999,999,999.999999"),
        (MONEY, Decimal("999999999999.99"), "£999,999,999,999.99"),
        (PROXY, Decimal("99999999999.9999"), "£99,999,999,999.9999"),
        (KPI_TARGET, Decimal("999999999999.99"), "999,999,999,999.99"),
        (FIGURE, Decimal("999999999999.99"), "999,999,999,999.99"),
    ],
)
def test_each_limit_is_all_nines_within_what_sqlite_keeps(
    limit: DecimalLimit, largest: Decimal, shown: str
) -> None:
    assert limit.digits <= SQLITE_EXACT_DIGITS
    assert limit.largest == largest
    assert limit.below == largest + limit.step
    assert limit.show(limit.largest) == shown
    assert limit.too_large("It") == f"It must be {shown} or less"


@pytest.mark.parametrize(
    "value",
    [
        "999999999.999999",
        "-999999999.999999",  # the size only: negatives are each field's own rule
        "0.000001",
        "0",
        "1.500000000000",  # trailing zeros are no extra digits
        "1E+8",
    ],
)
def test_it_accepts_a_quantity_that_fits(value: str) -> None:
    assert QUANTITY.problem(Decimal(value), "Quantity") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1000000000", "Quantity must be 999,999,999.999999 or less"),
        ("999999999.9999995", "Quantity must be 999,999,999.999999 or less"),
        ("-1000000000", "Quantity must be 999,999,999.999999 or less"),
        ("1E+999999999", "Quantity must be 999,999,999.999999 or less"),
        ("Infinity", "Quantity must be 999,999,999.999999 or less"),
        ("0.0000001", "Quantity must have at most 6 decimal places"),
        ("1E-999999999", "Quantity must have at most 6 decimal places"),
    ],
)
def test_it_names_the_limit_a_quantity_is_beyond(value: str, message: str) -> None:
    assert QUANTITY.problem(Decimal(value), "Quantity") == message


def test_it_leaves_nan_to_the_caller() -> None:
    assert QUANTITY.problem(Decimal("NaN"), "Quantity") is None


def test_money_is_refused_in_pounds_and_pence() -> None:
    assert MONEY.problem(Decimal("1.005"), "Price") == (
        "Price must be in pounds and pence, with at most 2 decimal places"
    )
    assert MONEY.error_messages("Price") == {
        "max_digits": "Price must be £999,999,999,999.99 or less, with at most 2 decimal places",
        "max_whole_digits": "Price must be £999,999,999,999.99 or less",
        "max_decimal_places": "Price must be in pounds and pence, with at most 2 decimal places",
    }


def test_it_rounds_half_up_to_any_number_of_places_however_large() -> None:
    assert round_half_up(Decimal("68.25"), 1) == Decimal("68.3")
    assert round_half_up(Decimal("2.5"), 0) == Decimal("3")
    huge = Decimal("1" * 40 + ".005")
    assert round_half_up(huge) == Decimal("1" * 40 + ".01")


def test_it_works_a_percentage_out_in_the_context_it_is_given() -> None:
    wide = Context(prec=60, rounding=ROUND_DOWN)
    result = percent(Decimal(2), Decimal(3), context=wide)
    assert result is not None
    assert len(result.as_tuple().digits) == 60
    assert str(result).endswith("666")


def test_it_writes_figures_as_text() -> None:
    assert plain(Decimal("1E+5")) == "100000"
    assert money_text(Decimal("1234.565")) == "1234.57"
    assert percent_text(Decimal("68.25"), places=1) == "68.3"
    assert percent_text(Decimal("12.345")) == "12.35"
    assert percent_text(None) is None
    assert exact_money_text(Decimal("31285.0000")) == "31285.00"
    assert exact_money_text(Decimal("0.1200")) == "0.12"
    assert exact_money_text(Decimal("0.1234")) == "0.1234"


def test_it_formats_amounts_and_percentages() -> None:
    assert format_gbp_exact(Decimal("1234.5")) == "£1,234.50"
    assert format_gbp_exact(Decimal("1234.5678")) == "£1,234.5678"
    assert format_percent(Decimal("1234.565")) == "1,234.57%"
    assert format_percent(Decimal("68.25"), 1) == "68.3%"
    assert format_percent(None) == "—"
    assert format_percent(None, missing="No data") == "No data"
