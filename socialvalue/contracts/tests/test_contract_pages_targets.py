"""A contract's targets page (add, change, remove) and a target's quarterly profile, which
must add up to the target exactly and drives what is due to date."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import User
from socialvalue.contracts.contract_forms import ERR_MEASURE, ERR_QUANTITY_NEGATIVE, ProfileForm
from socialvalue.contracts.models import Contract, ReportingPeriod, Return, ReturnLine, Target
from socialvalue.contracts.services import contract_periods
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.contracts.tests.contract_pages_support import deliver, page, row_starting

ClientAs = Callable[[User | None], Client]


def quantities(target: Target) -> list[Decimal]:
    return list(target.quarters.order_by("period__start_date").values_list("quantity", flat=True))


def targets_url(contract: Contract) -> str:
    return reverse("contracts:targets_edit", args=[contract.pk])


def profile_url(target: Target) -> str:
    return reverse("contracts:target_profile", args=[target.contract_id, target.pk])


def test_it_lists_the_targets_with_their_values(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    contract = make_contract()
    html = page(client_as(officer_alice), targets_url(contract))
    assert row_starting(html, "NT1")[2:4] == ["£281,565.00", "Edit the profile of NT1"]
    assert row_starting(html, "NT18")[2] == "£90,000.00"
    assert row_starting(html, "Total value of the targets")[1] == "£371,565.00"
    assert 'value="9"' in html
    assert 'value="90000"' in html


def test_it_adds_a_target_spread_evenly(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    contract = make_contract()
    nt4 = contract.framework_version.measures.get(code="NT4")
    response = client_as(officer_alice).post(
        targets_url(contract),
        {"action": "add", "add-measure": nt4.pk, "add-quantity": "3"},
        follow=True,
    )
    assert "NT4 has been added with a target of 3" in response.content.decode()
    target = contract.targets.get(measure=nt4)
    # 3 × £15,382.90 = £46,148.70; 3 ÷ 9 quarters = 0.333333 each, the last 0.333336.
    assert target.value == Decimal("46148.70")
    assert quantities(target) == [Decimal("0.333333")] * 8 + [Decimal("0.333336")]
    assert target.history.get().history_user == officer_alice


@pytest.mark.parametrize(
    ("measure", "quantity", "message"),
    [
        ("", "3", ERR_MEASURE),
        ("NT1", "3", ERR_MEASURE),  # already a target: not offered
        ("NT4", "", "Enter the quantity"),
        ("NT4", "three", "The quantity must be a number, like 2 or 1.5"),
        ("NT4", "-1", ERR_QUANTITY_NEGATIVE),
        ("NT4", "1.1234567", "The quantity must have at most 6 decimal places"),
        ("NT4", "1000000000", "The quantity must be 999,999,999.999999 or less"),
        ("NT4", "1e20", "The quantity must be 999,999,999.999999 or less"),
    ],
)
def test_it_refuses_a_target_it_cannot_add(
    make_contract: ContractMaker,
    client_as: ClientAs,
    officer_alice: User,
    measure: str,
    quantity: str,
    message: str,
) -> None:
    contract = make_contract()
    pk = contract.framework_version.measures.get(code=measure).pk if measure else ""
    response = client_as(officer_alice).post(
        targets_url(contract), {"action": "add", "add-measure": pk, "add-quantity": quantity}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert contract.targets.count() == 2


def test_it_changes_a_quantity_and_spreads_it_again(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    contract = make_contract()
    nt1 = contract.targets.get(measure__code="NT1")
    response = client_as(officer_alice).post(
        targets_url(contract),
        {"action": "change", "target": nt1.pk, f"target-{nt1.pk}-quantity": "18"},
        follow=True,
    )
    assert "NT1 now has a target of 18" in response.content.decode()
    nt1.refresh_from_db()
    assert nt1.value == Decimal("563130")  # 18 × £31,285.00
    assert quantities(nt1) == [Decimal(2)] * 9


def test_it_refuses_a_bad_quantity_and_changes_nothing(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    contract = make_contract()
    nt1 = contract.targets.get(measure__code="NT1")
    response = client_as(officer_alice).post(
        targets_url(contract),
        {"action": "change", "target": nt1.pk, f"target-{nt1.pk}-quantity": "-2"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert ERR_QUANTITY_NEGATIVE in html
    assert f'href="#id_target-{nt1.pk}-quantity"' in html
    nt1.refresh_from_db()
    assert nt1.quantity == Decimal(9)


def test_it_removes_a_target(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    contract = make_contract()
    nt18 = contract.targets.get(measure__code="NT18")
    response = client_as(officer_alice).post(
        targets_url(contract), {"action": "delete", "target": nt18.pk}, follow=True
    )
    assert "The NT18 target has been removed." in response.content.decode()
    assert list(contract.targets.values_list("measure__code", flat=True)) == ["NT1"]


def test_it_will_not_touch_another_contracts_target(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    contract = make_contract()
    other = make_contract(reference="LCC-TEST-002")
    theirs = other.targets.get(measure__code="NT1")
    client = client_as(officer_alice)
    assert (
        client.post(targets_url(contract), {"action": "delete", "target": theirs.pk}).status_code
        == 404
    )
    assert (
        client.get(profile_url(theirs).replace(f"/{other.pk}/", f"/{contract.pk}/")).status_code
        == 404
    )
    assert other.targets.count() == 2


# --- The quarterly profile --------------------------------------------------------------------


def profile_data(contract: Contract, values: list[str]) -> dict[str, str]:
    periods = contract_periods(contract)
    assert len(periods) == len(values)
    return {ProfileForm.field_name(p): v for p, v in zip(periods, values, strict=True)}


def test_it_shows_one_input_per_quarter_filled_in_from_the_profile(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    contract = make_contract()
    nt1 = contract.targets.get(measure__code="NT1")
    html = page(client_as(officer_alice), profile_url(nt1))
    periods = contract_periods(contract)
    assert len(periods) == 9
    for period in periods:
        assert f'name="{ProfileForm.field_name(period)}" value="1"' in html
        assert f">{period.short_label}</label>" in html
    assert "Spread evenly" in html


def test_it_saves_a_profile_that_adds_up(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    contract = make_contract()
    nt1 = contract.targets.get(measure__code="NT1")
    values = ["0", "0", "0.5", "1.5", "2", "2", "1", "1", "1"]
    response = client_as(officer_alice).post(
        profile_url(nt1), {"action": "save", **profile_data(contract, values)}, follow=True
    )
    assert "The quarterly profile of NT1 has been saved." in response.content.decode()
    assert quantities(nt1) == [Decimal(v) for v in values]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            ["1", "1", "1", "1", "1", "1", "1", "1", "0"],
            "The quarters add up to 8, but the target is 9. Make them add up to the target "
            "exactly.",
        ),
        (
            ["1", "1", "1", "1", "1", "1", "1", "1", "1.000001"],
            "The quarters add up to 9.000001, but the target is 9.",
        ),
        (["1", "1", "1", "1", "1", "1", "1", "1", "-1"], ERR_QUANTITY_NEGATIVE),
        (["1", "1", "1", "1", "1", "1", "1", "1", ""], "Enter the quantity"),
    ],
)
def test_it_refuses_a_profile_that_does_not_add_up(
    make_contract: ContractMaker,
    client_as: ClientAs,
    officer_alice: User,
    values: list[str],
    message: str,
) -> None:
    contract = make_contract()
    nt1 = contract.targets.get(measure__code="NT1")
    response = client_as(officer_alice).post(
        profile_url(nt1), {"action": "save", **profile_data(contract, values)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert quantities(nt1) == [Decimal(1)] * 9


def test_it_spreads_a_profile_evenly_again(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    contract = make_contract()
    nt1 = contract.targets.get(measure__code="NT1")
    client = client_as(officer_alice)
    client.post(
        profile_url(nt1),
        {"action": "save", **profile_data(contract, ["9", "0", "0", "0", "0", "0", "0", "0", "0"])},
    )
    assert quantities(nt1)[0] == Decimal(9)
    response = client.post(profile_url(nt1), {"action": "even"}, follow=True)
    assert "NT1 has been spread evenly across the contract’s 9 quarters." in (
        response.content.decode()
    )
    assert quantities(nt1) == [Decimal(1)] * 9


def test_it_works_out_what_is_due_from_the_profile(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_period: ReportingPeriod,
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
) -> None:
    """Front-loading NT1 (2, 2, 2, 2, 1, then nothing) makes all 9 FTE due after the five
    quarters reported on: 4.5 delivered is then 50%, red, not 90%."""
    contract = make_contract()
    nt1 = contract.targets.get(measure__code="NT1")
    deliver(
        add_line,
        make_return,
        contract,
        last_period,
        [("NT1", "4.5")],
        supplier_user=supplier_bob,
        officer=officer_alice,
    )
    client = client_as(officer_alice)
    detail = reverse("contracts:contract_detail", args=[contract.pk])
    assert row_starting(page(client, detail), "NT1")[3:] == [
        "5",
        "£156,425.00",
        "4.5",
        "£140,782.50",
        "0",
        "90.00%",
        "Green",
    ]
    client.post(
        profile_url(nt1),
        {"action": "save", **profile_data(contract, ["2", "2", "2", "2", "1", "0", "0", "0", "0"])},
    )
    assert row_starting(page(client, detail), "NT1")[3:] == [
        "9",
        "£281,565.00",
        "4.5",
        "£140,782.50",
        "0",
        "50.00%",
        "Red",
    ]
