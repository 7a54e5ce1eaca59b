"""Adding, changing and deleting lines of a return, and answering an officer's query.

Bad input shows a message on the field and changes nothing; a line that is no longer the
supplier's to change is refused with the reason.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import (
    Contract,
    LineEvent,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.return_forms import (
    ERR_ANSWER_REQUIRED,
    ERR_CONTRACT_INVALID,
    ERR_DISTRICT_REQUIRED,
    ERR_QUANTITY,
)
from socialvalue.contracts.returns import (
    ERR_RETURN_SUBMITTED,
    line_query,
    line_verify,
    return_submit,
)
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.geography import District
from socialvalue.framework.calculator import NEGATIVE, NOT_A_NUMBER, TOO_PRECISE
from socialvalue.framework.models import FrameworkVersion, Measure

ClientAs = Callable[[User | None], Client]
AddLine = Callable[..., ReturnLine]


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    return make_contract()


@pytest.fixture
def bob(client_as: ClientAs, supplier_bob: User) -> Client:
    return client_as(supplier_bob)


@pytest.fixture
def last_return(
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    last_period: ReportingPeriod,
    contract: Contract,
) -> Return:
    return make_return(bobs_building, last_period)


def measure(toms: FrameworkVersion, code: str) -> Measure:
    return Measure.objects.get(version=toms, code=code)


def line_data(contract: Contract, toms: FrameworkVersion, **overrides: Any) -> dict[str, Any]:
    data = {
        "contract": str(contract.pk),
        "measure": str(measure(toms, "NT1").pk),
        "quantity": "1.5",
        "district": District.PRESTON.value,
        "narrative": "Two apprentices from Preston, one full time, one half time.",
    }
    data.update(overrides)
    return data


def add_url(return_record: Return) -> str:
    return reverse("contracts:line_add", args=[return_record.pk])


def edit_url(line: ReturnLine) -> str:
    return reverse("contracts:line_edit", args=[line.return_record_id, line.pk])


def delete_url(line: ReturnLine) -> str:
    return reverse("contracts:line_delete", args=[line.return_record_id, line.pk])


def answer_url(line: ReturnLine) -> str:
    return reverse("contracts:line_answer", args=[line.return_record_id, line.pk])


# --- Adding ---------------------------------------------------------------------------------


def test_it_offers_the_quarters_contracts_and_the_frameworks_measures_by_theme(
    bob: Client, last_return: Return, contract: Contract, toms: FrameworkVersion
) -> None:
    response = bob.get(add_url(last_return))
    assert response.status_code == 200
    form = response.context["form"]
    assert [value for value, _label in form.fields["contract"].choices] == ["", str(contract.pk)]
    groups = [group for group, _options in form.fields["measure"].choices[1:]]
    assert len(groups) == 4  # the four themes of the Lancashire TOMs
    measure_count = sum(len(options) for _group, options in form.fields["measure"].choices[1:])
    assert measure_count == Measure.objects.filter(version=toms).count()
    assert len(form.fields["district"].choices) == 16  # a blank, 14 districts, outside
    assert "<optgroup" in response.content.decode()


def test_it_adds_a_line(
    bob: Client, last_return: Return, contract: Contract, toms: FrameworkVersion, supplier_bob: User
) -> None:
    response = bob.post(add_url(last_return), line_data(contract, toms))
    [line] = last_return.lines.all()
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("contracts:return_detail", args=[last_return.pk]) + f"#line-{line.pk}"
    )
    assert (line.measure.code, line.quantity, line.district, line.status) == (
        "NT1",
        Decimal("1.5"),
        District.PRESTON.value,
        ReturnLine.Status.DRAFT,
    )
    assert line.narrative.startswith("Two apprentices")
    [event] = line.events.all()
    assert (event.action, event.by) == (LineEvent.Action.CREATED, supplier_bob)
    page = bob.get(response["Location"]).content.decode()
    assert "The line for LCC-TEST-001 NT1 has been added." in page


def test_it_adds_another_line_for_the_same_contract(
    bob: Client, last_return: Return, contract: Contract, toms: FrameworkVersion
) -> None:
    response = bob.post(add_url(last_return), {**line_data(contract, toms), "add_another": "1"})
    assert response["Location"] == f"{add_url(last_return)}?contract={contract.pk}"


def test_it_chooses_the_contract_and_measure_from_a_target(
    bob: Client, last_return: Return, contract: Contract, toms: FrameworkVersion
) -> None:
    nt18 = measure(toms, "NT18")
    response = bob.get(f"{add_url(last_return)}?contract={contract.pk}&measure={nt18.pk}")
    assert response.context["form"]["measure"].value() == str(nt18.pk)
    assert response.context["form"]["contract"].value() == str(contract.pk)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"quantity": "lots"}, "quantity", ERR_QUANTITY[NOT_A_NUMBER]),
        ({"quantity": "-1"}, "quantity", ERR_QUANTITY[NEGATIVE]),
        ({"quantity": "0.0000001"}, "quantity", ERR_QUANTITY[TOO_PRECISE]),
        ({"quantity": "1,000,000,000"}, "quantity", "Quantity must be 999,999,999.999999 or less"),
        ({"quantity": "1e99"}, "quantity", "Quantity must be 999,999,999.999999 or less"),
        ({"district": ""}, "district", ERR_DISTRICT_REQUIRED),
        ({"narrative": "x" * 5001}, "narrative", "The narrative must be 5,000 characters or fewer"),
    ],
)
def test_it_shows_what_is_wrong_and_adds_nothing(
    overrides: dict[str, str],
    field: str,
    message: str,
    bob: Client,
    last_return: Return,
    contract: Contract,
    toms: FrameworkVersion,
) -> None:
    response = bob.post(add_url(last_return), line_data(contract, toms, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#id_{field}"' in html
    assert html.count(message.replace("'", "&#x27;")) == 2  # in the summary and at the field
    assert not last_return.lines.exists()


def test_it_keeps_the_largest_quantity_to_the_last_digit(
    bob: Client, last_return: Return, contract: Contract, toms: FrameworkVersion
) -> None:
    response = bob.post(
        add_url(last_return), line_data(contract, toms, quantity="999999999.999999")
    )
    assert response.status_code == 302
    assert last_return.lines.get().quantity == Decimal("999999999.999999")


def test_it_refuses_another_suppliers_contract(
    bob: Client,
    last_return: Return,
    contract: Contract,
    toms: FrameworkVersion,
    make_contract: ContractMaker,
    carols_care: Organisation,
) -> None:
    carols = make_contract(reference="LCC-CARE-1", supplier=carols_care)
    response = bob.post(add_url(last_return), line_data(carols, toms))
    assert response.context["form"].errors["contract"] == [ERR_CONTRACT_INVALID]
    assert not ReturnLine.objects.exists()


def test_it_adds_no_line_to_a_submitted_return(
    bob: Client,
    last_return: Return,
    contract: Contract,
    toms: FrameworkVersion,
    supplier_bob: User,
) -> None:
    return_submit(last_return, by=supplier_bob, nil=True)
    response = bob.post(add_url(last_return), line_data(contract, toms), follow=True)
    assert ERR_RETURN_SUBMITTED in response.content.decode()
    assert not last_return.lines.exists()


# --- Changing -------------------------------------------------------------------------------


def test_it_changes_a_draft_line_and_records_what_changed(
    bob: Client,
    last_return: Return,
    contract: Contract,
    toms: FrameworkVersion,
    add_line: AddLine,
    supplier_bob: User,
) -> None:
    line = add_line(last_return, contract, "NT1", "1.5")
    form = bob.get(edit_url(line)).context["form"]
    assert form["quantity"].value() == "1.5"
    response = bob.post(
        edit_url(line), line_data(contract, toms, quantity="2", district=District.CHORLEY.value)
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.quantity, line.district) == (Decimal(2), District.CHORLEY.value)
    event = line.events.get(action=LineEvent.Action.CHANGED)
    assert event.message == "quantity 1.5 → 2; district Preston → Chorley; narrative"
    assert event.by == supplier_bob


def test_it_keeps_a_line_unchanged_when_the_change_is_wrong(
    bob: Client, last_return: Return, contract: Contract, toms: FrameworkVersion, add_line: AddLine
) -> None:
    line = add_line(last_return, contract, "NT1", "1.5")
    response = bob.post(edit_url(line), line_data(contract, toms, quantity="1,5x"))
    assert response.status_code == 200
    assert response.context["form"].errors["quantity"] == [ERR_QUANTITY[NOT_A_NUMBER]]
    line.refresh_from_db()
    assert line.quantity == Decimal("1.5")
    assert not line.events.filter(action=LineEvent.Action.CHANGED).exists()


def test_it_refuses_to_change_a_verified_line(
    bob: Client,
    last_return: Return,
    contract: Contract,
    toms: FrameworkVersion,
    add_line: AddLine,
    supplier_bob: User,
    officer_alice: User,
) -> None:
    line = add_line(last_return, contract, "NT1", "1.5")
    return_submit(last_return, by=supplier_bob)
    line_verify(line, by=officer_alice)
    response = bob.post(edit_url(line), line_data(contract, toms, quantity="9"), follow=True)
    assert "This line is verified, so it can no longer be changed." in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == Decimal("1.5")


def test_it_lets_a_queried_line_be_changed_then_asks_for_an_answer(
    bob: Client,
    last_return: Return,
    contract: Contract,
    toms: FrameworkVersion,
    add_line: AddLine,
    supplier_bob: User,
    officer_alice: User,
) -> None:
    line = add_line(last_return, contract, "NT1", "1.5")
    return_submit(last_return, by=supplier_bob)
    line_query(line, by=officer_alice, message="Was it 1.5 or 1?")
    page = bob.get(edit_url(line)).content.decode()
    assert "Was it 1.5 or 1?" in page
    response = bob.post(edit_url(line), line_data(contract, toms, quantity="1"))
    assert response["Location"] == answer_url(line)
    line.refresh_from_db()
    assert (line.quantity, line.status) == (Decimal(1), ReturnLine.Status.QUERIED)


def test_it_gives_404_for_a_line_of_another_return(
    bob: Client,
    last_return: Return,
    contract: Contract,
    add_line: AddLine,
    make_return: Callable[..., Return],
    make_contract: ContractMaker,
    carols_care: Organisation,
    last_period: ReportingPeriod,
) -> None:
    carols_contract = make_contract(reference="LCC-CARE-1", supplier=carols_care)
    carols_return = make_return(carols_care, last_period)
    carols_line = add_line(carols_return, carols_contract, "NT1", "1")
    url = reverse("contracts:line_edit", args=[last_return.pk, carols_line.pk])
    assert bob.get(url).status_code == 404
    assert (
        bob.post(
            reverse("contracts:line_delete", args=[last_return.pk, carols_line.pk])
        ).status_code
        == 404
    )
    assert ReturnLine.objects.filter(pk=carols_line.pk).exists()


# --- Deleting -------------------------------------------------------------------------------


def test_it_asks_before_deleting_a_draft_line(
    bob: Client, last_return: Return, contract: Contract, add_line: AddLine
) -> None:
    line = add_line(last_return, contract, "NT1", "1.5")
    page = bob.get(delete_url(line))
    assert page.status_code == 200
    assert "Delete the line for LCC-TEST-001 NT1?" in page.content.decode()
    assert ReturnLine.objects.filter(pk=line.pk).exists()
    response = bob.post(delete_url(line))
    assert response["Location"] == reverse("contracts:return_detail", args=[last_return.pk])
    assert not ReturnLine.objects.filter(pk=line.pk).exists()


def test_it_refuses_to_delete_a_submitted_line(
    bob: Client, last_return: Return, contract: Contract, add_line: AddLine, supplier_bob: User
) -> None:
    line = add_line(last_return, contract, "NT1", "1.5")
    return_submit(last_return, by=supplier_bob)
    response = bob.post(delete_url(line), follow=True)
    assert (
        "This line is awaiting verification, so it can no longer be changed."
        in response.content.decode()
    )
    assert ReturnLine.objects.filter(pk=line.pk).exists()


# --- Answering a query ----------------------------------------------------------------------


@pytest.fixture
def queried(
    last_return: Return,
    contract: Contract,
    add_line: AddLine,
    supplier_bob: User,
    officer_alice: User,
) -> ReturnLine:
    line = add_line(last_return, contract, "NT1", "1.5")
    return_submit(last_return, by=supplier_bob)
    return line_query(line, by=officer_alice, message="Send the payroll extract, please.")


def test_it_shows_the_query_and_needs_an_answer(bob: Client, queried: ReturnLine) -> None:
    page = bob.get(answer_url(queried)).content.decode()
    assert "Send the payroll extract, please." in page
    response = bob.post(answer_url(queried), {"message": "   "})
    assert response.context["form"].errors["message"] == [ERR_ANSWER_REQUIRED]
    queried.refresh_from_db()
    assert queried.status == ReturnLine.Status.QUERIED


def test_it_sends_the_answered_line_back_for_verification(
    bob: Client, queried: ReturnLine, supplier_bob: User
) -> None:
    response = bob.post(answer_url(queried), {"message": "Attached the March payroll extract."})
    assert response.status_code == 302
    queried.refresh_from_db()
    assert queried.status == ReturnLine.Status.SUBMITTED
    event = queried.events.order_by("-pk").first()
    assert event is not None
    assert (event.action, event.message, event.by) == (
        LineEvent.Action.RESUBMITTED,
        "Attached the March payroll extract.",
        supplier_bob,
    )


def test_it_refuses_to_answer_a_line_that_is_not_queried(
    bob: Client, last_return: Return, contract: Contract, add_line: AddLine
) -> None:
    line = add_line(last_return, contract, "NT1", "1.5")
    response = bob.post(answer_url(line), {"message": "Hello"}, follow=True)
    assert "Only a queried line can be answered; this one is draft." in response.content.decode()
    line.refresh_from_db()
    assert line.status == ReturnLine.Status.DRAFT
