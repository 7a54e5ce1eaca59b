"""Registering a contract directly, editing its details and closing it, through the pages."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.contract_forms import (
    ERR_END_BEFORE_START,
    ERR_OUTCOME,
    ERR_REFERENCE,
    ERR_SUPPLIER,
    ERR_TERMINATION_DATE,
    ERR_VALUE_INVALID,
)
from socialvalue.contracts.models import Contract, Target, TargetQuarter
from socialvalue.contracts.services import ERR_TERMINATE_DATE
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.quarters import Quarter, quarter_of
from socialvalue.framework.models import FrameworkVersion

ClientAs = Callable[[User | None], Client]
NEW = "/contracts/new/"


def date_fields(name: str, day: date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


@pytest.fixture
def registration(
    carols_care: Organisation, officer_alice: User, toms: FrameworkVersion
) -> dict[str, Any]:
    assert officer_alice.service_area is not None
    area = officer_alice.service_area
    return {
        "supplier": carols_care.pk,
        "reference": " LCC-2020-007 ",
        "title": "Day care for older people",
        "lever": Contract.Lever.GRANT,
        "directorate": area.directorate_id,
        "service_area": area.pk,
        "category": "adult_social_care",
        "value": "£250,000.00",
        **date_fields("start_date", date(2024, 4, 1)),
        **date_fields("end_date", date(2026, 3, 31)),
        "contract_manager": officer_alice.pk,
        "framework_version": toms.pk,
        "target_1_measure": "NT1",
        "target_1_quantity": "8",
        "target_2_measure": "NT18",
        "target_2_quantity": "40,000",
    }


def test_it_registers_a_contract_with_its_targets(
    client_as: ClientAs,
    officer_alice: User,
    registration: dict[str, Any],
    carols_care: Organisation,
    council: Organisation,
) -> None:
    client = client_as(officer_alice)
    form = client.get(NEW)
    assert form.status_code == 200
    html = form.content.decode()
    assert "Register a contract" in html
    assert 'name="target_6_measure"' in html
    assert "Carol&#x27;s Care CIC" in html

    response = client.post(NEW, registration, follow=True)
    contract = Contract.objects.get()
    assert response.redirect_chain == [(f"/contracts/{contract.pk}/", 302)]
    assert "Contract LCC-2020-007 has been registered with 2 targets" in response.content.decode()
    assert (contract.organisation, contract.supplier) == (council, carols_care)
    assert (contract.reference, contract.title) == ("LCC-2020-007", "Day care for older people")
    assert contract.lever == Contract.Lever.GRANT
    assert contract.value == Decimal("250000.00")
    assert (contract.start_date, contract.end_date) == (date(2024, 4, 1), date(2026, 3, 31))
    assert contract.contract_manager == officer_alice
    assert contract.category == "adult_social_care"
    assert contract.history.get().history_user == officer_alice
    # NT1: 8 × £31,285.00 = £250,280.00, 1 FTE in each of the 8 quarters of 2024-26.
    targets = {t.measure.code: t for t in Target.objects.filter(contract=contract)}
    assert targets["NT1"].quantity == Decimal(8)
    assert targets["NT1"].value == Decimal("250280")
    assert targets["NT18"].quantity == Decimal(40000)
    assert [tq.quantity for tq in TargetQuarter.objects.filter(target=targets["NT1"])] == [
        Decimal(1)
    ] * 8


def test_it_refuses_bad_details_with_a_message_per_field_and_saves_nothing(
    client_as: ClientAs, officer_alice: User, registration: dict[str, Any]
) -> None:
    data = registration | {
        "supplier": "",
        "reference": "",
        "value": "lots",
        **date_fields("start_date", date(2025, 4, 1)),
        **date_fields("end_date", date(2025, 3, 31)),
        "target_1_quantity": "",  # NT1 without a quantity
        "target_3_quantity": "5",  # a quantity without a measure
        "target_4_measure": "NT18",  # NT18 a second time
        "target_4_quantity": "1",
        "target_5_measure": "NT999",
        "target_5_quantity": "-2",
    }
    response = client_as(officer_alice).post(NEW, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "<title>Error: Register a contract" in html
    for message in (
        ERR_SUPPLIER,
        ERR_REFERENCE,
        ERR_VALUE_INVALID,
        ERR_END_BEFORE_START,
        "Target 1: enter the quantity of NT1",
        "Target 3: select a measure for the quantity you entered",
        "Target 4: NT18 is already a target above",
        "Target 5: select one of the measures listed",
        "The quantity must be 0 or more",
    ):
        assert message in html, message
    assert 'href="#id_supplier"' in html
    assert 'href="#id_end_date"' in html
    assert not Contract.objects.exists()
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (("31", "2", "2025"), ("31", "3", "2026"), "The start date must be a real date"),
        (("1", "", "2025"), ("31", "3", "2026"), "The start date must include a month"),
        (("1", "4", "25"), ("31", "3", "2026"), "The year of the start date must have 4 digits"),
        (("", "", ""), ("31", "3", "2026"), "Enter the start date"),
        (("1", "4", "2025"), ("", "", ""), "Enter the end date"),
    ],
)
def test_it_explains_a_date_it_cannot_read(
    client_as: ClientAs,
    officer_alice: User,
    registration: dict[str, Any],
    start: tuple[str, str, str],
    end: tuple[str, str, str],
    message: str,
) -> None:
    data = registration | {
        "start_date_day": start[0],
        "start_date_month": start[1],
        "start_date_year": start[2],
        "end_date_day": end[0],
        "end_date_month": end[1],
        "end_date_year": end[2],
    }
    response = client_as(officer_alice).post(NEW, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    # What was typed is shown again.
    assert f'name="start_date_day" type="text" inputmode="numeric" value="{start[0]}"' in (
        response.content.decode()
    )
    assert not Contract.objects.exists()


def test_it_refuses_a_reference_the_organisation_already_uses(
    client_as: ClientAs,
    officer_alice: User,
    registration: dict[str, Any],
    make_contract: ContractMaker,
) -> None:
    make_contract(reference="LCC-2020-007")
    response = client_as(officer_alice).post(NEW, registration)
    assert response.status_code == 400
    assert (
        "Lancashire County Council already has a contract with the reference LCC-2020-007."
        in response.content.decode()
    )
    assert Contract.objects.count() == 1


def test_it_registers_a_contract_without_targets(
    client_as: ClientAs, lead_lucy: User, registration: dict[str, Any]
) -> None:
    data = registration | {
        "target_1_measure": "",
        "target_1_quantity": "",
        "target_2_measure": "",
        "target_2_quantity": "",
        "contract_manager": "",
        "directorate": "",
        "service_area": "",
        "category": "",
    }
    response = client_as(lead_lucy).post(NEW, data, follow=True)
    assert "Contract LCC-2020-007 has been registered." in response.content.decode()
    contract = Contract.objects.get()
    assert contract.contract_manager is None
    assert not contract.targets.exists()


def test_it_offers_only_the_organisations_structure_and_officers(
    client_as: ClientAs, officer_olga: User, officer_alice: User, registration: dict[str, Any]
) -> None:
    """Blackpool's officer cannot pick the council's directorate or its officers."""
    html = client_as(officer_olga).get(NEW).content.decode()
    assert "Growth, Environment and Transport" not in html
    assert "Alice Officer" not in html
    response = client_as(officer_olga).post(NEW, registration)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Select one of your organisation’s directorates" in text
    assert "Select an officer of your organisation" in text
    assert not Contract.objects.exists()


# --- Editing ----------------------------------------------------------------------------------


def nth_quarter(contract: Contract, n: int) -> Quarter:
    """The contract's ``n``th quarter (1 is the one it starts in)."""
    quarter = quarter_of(contract.start_date)
    for _ in range(n - 1):
        quarter = quarter.next()
    return quarter


def edit_data(contract: Contract, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reference": contract.reference,
        "title": contract.title,
        "lever": contract.lever,
        "directorate": contract.directorate_id or "",
        "service_area": contract.service_area_id or "",
        "category": contract.category,
        "value": str(contract.value),
        **date_fields("start_date", contract.start_date),
        **date_fields("end_date", contract.end_date),
        "contract_manager": contract.contract_manager_id or "",
    }
    return data | changes


def test_it_edits_the_details_and_spreads_the_targets_over_new_dates(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    contract = make_contract()
    url = reverse("contracts:contract_edit", args=[contract.pk])
    client = client_as(officer_alice)
    form = client.get(url).content.decode()
    assert 'value="Highways maintenance"' in form
    assert 'value="900000"' in form
    assert 'name="supplier"' not in form
    assert 'name="framework_version"' not in form

    # Three quarters shorter: six quarters, so NT1's 9 FTE become 1.5 a quarter.
    new_end = nth_quarter(contract, 6).end
    response = client.post(
        url,
        edit_data(
            contract,
            title="Highways maintenance and gritting",
            value="950,000",
            contract_manager=officer_alice.pk,
            **date_fields("end_date", new_end),
        ),
        follow=True,
    )
    assert "Contract LCC-TEST-001 has been saved." in response.content.decode()
    contract.refresh_from_db()
    assert contract.title == "Highways maintenance and gritting"
    assert contract.value == Decimal("950000.00")
    assert contract.contract_manager == officer_alice
    nt1 = contract.targets.get(measure__code="NT1")
    quarters = list(nt1.quarters.values_list("quantity", flat=True))
    assert len(quarters) == 6
    assert quarters == [Decimal("1.5")] * 6
    assert contract.history.latest().history_user == officer_alice


def test_it_refuses_a_bad_edit_and_changes_nothing(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    contract = make_contract()
    make_contract(reference="LCC-TEST-002")
    url = reverse("contracts:contract_edit", args=[contract.pk])
    client = client_as(officer_alice)

    blank = client.post(url, edit_data(contract, title="", value="0"))
    assert blank.status_code == 400
    assert "Enter the contract title" in blank.content.decode()
    assert "Contract value must be more than £0" in blank.content.decode()

    taken = client.post(url, edit_data(contract, reference="LCC-TEST-002"))
    assert taken.status_code == 400
    text = taken.content.decode()
    assert "already has a contract with the reference LCC-TEST-002" in text
    assert "Edit contract LCC-TEST-001" in text
    contract.refresh_from_db()
    assert (contract.reference, contract.title) == ("LCC-TEST-001", "Highways maintenance")


# --- Closing ----------------------------------------------------------------------------------


def test_it_ends_a_contract(
    make_contract: ContractMaker, client_as: ClientAs, lead_lucy: User
) -> None:
    contract = make_contract()
    url = reverse("contracts:contract_close", args=[contract.pk])
    client = client_as(lead_lucy)
    assert "End or terminate the contract" in client.get(url).content.decode()
    response = client.post(url, {"outcome": "ended"}, follow=True)
    assert "Contract LCC-TEST-001 has ended." in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED
    # Once closed, the page says so and a second close changes nothing.
    again = client.post(url, {"outcome": "terminated", **date_fields("termination_date", None)})
    assert again.status_code == 200
    assert "This contract is already ended" in again.content.decode()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED


def test_it_terminates_a_contract_early(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    contract = make_contract()
    # Terminated on the last day of its fifth quarter: NT1's 9 FTE over 5 quarters.
    last_day = nth_quarter(contract, 5).end
    url = reverse("contracts:contract_close", args=[contract.pk])
    response = client_as(officer_alice).post(
        url,
        {"outcome": "terminated", **date_fields("termination_date", last_day)},
        follow=True,
    )
    text = response.content.decode()
    assert f"Contract LCC-TEST-001 has been terminated: its last day was {last_day:%-d %B %Y}." in (
        text
    )
    contract.refresh_from_db()
    assert (contract.status, contract.end_date) == (Contract.Status.TERMINATED, last_day)
    nt1 = contract.targets.get(measure__code="NT1")
    assert list(nt1.quarters.values_list("quantity", flat=True)) == [Decimal("1.8")] * 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, ERR_OUTCOME),
        ({"outcome": "terminated"}, ERR_TERMINATION_DATE),
        ({"outcome": "terminated", "termination_date_day": "40"}, "The termination date must"),
        ({"outcome": "terminated", "too_late": True}, ERR_TERMINATE_DATE),
    ],
)
def test_it_refuses_to_close_without_the_facts(
    make_contract: ContractMaker,
    client_as: ClientAs,
    officer_alice: User,
    data: dict[str, Any],
    message: str,
) -> None:
    contract = make_contract()
    if data.pop("too_late", False):
        data.update(date_fields("termination_date", contract.end_date + timedelta(days=1)))
    elif "termination_date_day" in data:
        data |= {"termination_date_month": "1", "termination_date_year": "2026"}
    response = client_as(officer_alice).post(
        reverse("contracts:contract_close", args=[contract.pk]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.LIVE


def test_it_keeps_the_largest_value_and_quantity_to_the_last_digit(
    client_as: ClientAs, officer_alice: User, registration: dict[str, Any]
) -> None:
    registration.update(value="£999,999,999,999.99", target_2_quantity="999,999,999.999999")
    response = client_as(officer_alice).post(NEW, registration)
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.value == Decimal("999999999999.99")
    assert contract.targets.get(measure__code="NT18").quantity == Decimal("999999999.999999")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("value", "£1,000,000,000,000", "Contract value must be £999,999,999,999.99 or less"),
        ("value", "1e20", "Contract value must be £999,999,999,999.99 or less"),
        ("target_2_quantity", "1,000,000,000", "The quantity must be 999,999,999.999999 or less"),
    ],
)
def test_it_refuses_a_value_or_quantity_beyond_the_limit_naming_it(
    client_as: ClientAs,
    officer_alice: User,
    registration: dict[str, Any],
    field: str,
    value: str,
    message: str,
) -> None:
    registration[field] = value
    response = client_as(officer_alice).post(NEW, registration)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert not Contract.objects.exists()
