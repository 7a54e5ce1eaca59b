"""The display filters of ``{% load sv %}``: gbp, pct and qty."""

from decimal import Decimal

import pytest
from django.template import Context, Template


def render(source: str, **context: object) -> str:
    return Template("{% load sv %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.565"), "£1,234.57"),
        ("1234.565", "£1,234.57"),
        (Decimal("0.005"), "£0.01"),
        (Decimal("-2.5"), "-£2.50"),
        (0, "£0.00"),
        (None, "—"),
        ("", "—"),
        ("not money", "—"),
    ],
)
def test_it_shows_pounds_and_pence(value: object, expected: str) -> None:
    assert render("{{ value|gbp }}", value=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12.345"), "12.35%"),
        (Decimal("10"), "10.00%"),
        (Decimal("1234.5"), "1,234.50%"),
        (None, "—"),
    ],
)
def test_it_shows_percentages_to_two_places(value: object, expected: str) -> None:
    assert render("{{ value|pct }}", value=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.50"), "1.5"),
        (Decimal("2.000"), "2"),
        (Decimal("1250"), "1,250"),
        (Decimal("0.25"), "0.25"),
        (None, "—"),
    ],
)
def test_it_shows_quantities_without_trailing_zeros(value: object, expected: str) -> None:
    assert render("{{ value|qty }}", value=value) == expected
