from datetime import date

import pytest

from socialvalue.core.quarters import Quarter, quarter_of, quarters_between


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 1), Quarter(2026, 1)),
        (date(2026, 6, 30), Quarter(2026, 1)),
        (date(2026, 7, 1), Quarter(2026, 2)),
        (date(2026, 12, 31), Quarter(2026, 3)),
        (date(2027, 1, 1), Quarter(2026, 4)),
        (date(2027, 3, 31), Quarter(2026, 4)),
        (date(2027, 4, 1), Quarter(2027, 1)),
    ],
)
def test_it_places_a_day_in_its_financial_quarter(day: date, expected: Quarter) -> None:
    assert quarter_of(day) == expected


@pytest.mark.parametrize(
    ("quarter", "start", "end", "label"),
    [
        (Quarter(2026, 1), date(2026, 4, 1), date(2026, 6, 30), "Q1 2026-27 (April to June 2026)"),
        (
            Quarter(2026, 2),
            date(2026, 7, 1),
            date(2026, 9, 30),
            "Q2 2026-27 (July to September 2026)",
        ),
        (
            Quarter(2026, 3),
            date(2026, 10, 1),
            date(2026, 12, 31),
            "Q3 2026-27 (October to December 2026)",
        ),
        (
            Quarter(2026, 4),
            date(2027, 1, 1),
            date(2027, 3, 31),
            "Q4 2026-27 (January to March 2027)",
        ),
        (
            Quarter(2099, 4),
            date(2100, 1, 1),
            date(2100, 3, 31),
            "Q4 2099-00 (January to March 2100)",
        ),
    ],
)
def test_it_knows_each_quarters_dates_and_label(
    quarter: Quarter, start: date, end: date, label: str
) -> None:
    assert (quarter.start, quarter.end, quarter.label) == (start, end, label)


def test_it_ends_february_on_a_leap_day_inside_q4() -> None:
    assert Quarter(2027, 4).end == date(2028, 3, 31)
    assert quarter_of(date(2028, 2, 29)) == Quarter(2027, 4)


def test_it_makes_returns_due_30_days_after_the_quarter_by_default() -> None:
    assert Quarter(2026, 1).due_date() == date(2026, 7, 30)
    assert Quarter(2026, 4).due_date() == date(2027, 4, 30)
    assert Quarter(2026, 3).due_date(days_after_end=14) == date(2027, 1, 14)


def test_it_steps_across_financial_years() -> None:
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert Quarter(2027, 1).previous() == Quarter(2026, 4)


def test_it_lists_the_quarters_a_contract_runs_through() -> None:
    # 15 March 2026 (Q4 2025-26) to 2 October 2026 (Q3 2026-27): four quarters.
    assert list(quarters_between(date(2026, 3, 15), date(2026, 10, 2))) == [
        Quarter(2025, 4),
        Quarter(2026, 1),
        Quarter(2026, 2),
        Quarter(2026, 3),
    ]
    assert list(quarters_between(date(2026, 5, 1), date(2026, 5, 1))) == [Quarter(2026, 1)]
    assert list(quarters_between(date(2026, 5, 2), date(2026, 5, 1))) == []


def test_it_refuses_a_fifth_quarter() -> None:
    with pytest.raises(ValueError, match="numbered 1 to 4, not 5"):
        Quarter(2026, 5)
