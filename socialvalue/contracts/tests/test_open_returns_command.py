"""``socialvalue open_returns``: every quarter's return up to today, once, with a count."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from socialvalue.accounts.models import Organisation
from socialvalue.contracts.models import Return
from socialvalue.contracts.tests.conftest import ContractMaker


def open_returns(*args: str) -> str:
    out = StringIO()
    call_command("open_returns", *args, stdout=out)
    return out.getvalue().strip()


def test_it_opens_each_suppliers_returns_up_to_the_current_quarter_once(
    make_contract: ContractMaker, carols_care: Organisation, blackpool: Organisation
) -> None:
    # Bob's Building: two contracts from Q1 2025-26 (April 2025), one from each buyer.
    make_contract(reference="LCC-1", start=date(2025, 4, 1), end=date(2027, 3, 31))
    make_contract(
        reference="BC-1", organisation=blackpool, start=date(2025, 9, 1), end=date(2026, 8, 31)
    )
    # Carol's Care: one contract from Q3 2025-26 (October 2025).
    make_contract(
        reference="LCC-2",
        supplier=carols_care,
        start=date(2025, 10, 15),
        end=date(2026, 3, 31),
    )
    # 10 November 2025 is in Q3: Bob's Building has Q1, Q2 and Q3; Carol's Care has Q3.
    assert open_returns("--today", "2025-11-10") == "Opened 4 returns."
    assert sorted(
        Return.objects.values_list("supplier__name", "period__year", "period__number")
    ) == [
        ("Bob's Building Ltd", 2025, 1),
        ("Bob's Building Ltd", 2025, 2),
        ("Bob's Building Ltd", 2025, 3),
        ("Carol's Care CIC", 2025, 3),
    ]
    assert set(Return.objects.values_list("status", flat=True)) == {"draft"}
    assert open_returns("--today", "2025-11-10") == "Opened 0 returns."
    # Into Q4 (January to March 2026): one more each.
    assert open_returns("--today", "2026-01-01") == "Opened 2 returns."
    assert Return.objects.count() == 6


def test_it_says_one_return(make_contract: ContractMaker) -> None:
    make_contract(start=date(2025, 4, 1), end=date(2025, 12, 31))
    assert open_returns("--today", "2025-04-01") == "Opened 1 return."


def test_it_opens_nothing_before_a_contract_starts(make_contract: ContractMaker) -> None:
    make_contract(start=date(2025, 7, 1), end=date(2026, 6, 30))
    assert open_returns("--today", "2025-06-30") == "Opened 0 returns."
    assert not Return.objects.exists()


def test_it_opens_nothing_after_a_contract_has_ended(make_contract: ContractMaker) -> None:
    make_contract(start=date(2024, 4, 1), end=date(2024, 9, 30))
    # Q1 and Q2 2024-25 only, however late it runs.
    assert open_returns("--today", "2025-11-10") == "Opened 2 returns."
    assert open_returns("--today", "2026-11-10") == "Opened 0 returns."


def test_it_opens_the_current_quarter_by_default(make_contract: ContractMaker) -> None:
    make_contract()  # from four quarters before last quarter to four after it
    # Those four, last quarter and this quarter.
    assert open_returns() == "Opened 6 returns."


def test_it_refuses_a_bad_date(db: None) -> None:
    with pytest.raises(CommandError, match="'31/07/2025' is not a date: use the form YYYY-MM-DD"):
        open_returns("--today", "31/07/2025")
