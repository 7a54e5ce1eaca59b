"""Submitting a return: checked first, only once the quarter has ended, and a nil return
only for a return with no lines. A submitted return is read-only except queried lines."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import Contract, ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.return_forms import ERR_NIL_REQUIRED
from socialvalue.contracts.returns import ERR_NOT_YET, can_submit_from
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.quarters import Quarter

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


@pytest.fixture
def current_return(
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    this_quarter: Quarter,
    contract: Contract,
) -> Return:
    return make_return(bobs_building, period_for(this_quarter))


def submit_url(return_record: Return) -> str:
    return reverse("contracts:return_submit", args=[return_record.pk])


def test_it_lists_what_will_be_submitted(
    bob: Client, last_return: Return, contract: Contract, add_line: AddLine
) -> None:
    add_line(last_return, contract, "NT1", "1.5")
    add_line(last_return, contract, "NT18", "2500")
    html = bob.get(submit_url(last_return)).content.decode()
    assert "LCC-TEST-001: Highways maintenance" in html
    assert "£49,427.50" in html  # 1.5 × £31,285 + 2,500 × £1
    assert "2 lines have no evidence." in html
    assert "We have nothing to report this quarter" not in html
    assert ">Submit return<" in html


def test_it_submits_the_lines_for_verification(
    bob: Client, last_return: Return, contract: Contract, add_line: AddLine, supplier_bob: User
) -> None:
    line = add_line(last_return, contract, "NT1", "1.5")
    response = bob.post(submit_url(last_return))
    assert response["Location"] == submit_url(last_return)
    last_return.refresh_from_db()
    line.refresh_from_db()
    assert (last_return.status, last_return.is_nil, last_return.submitted_by) == (
        Return.Status.SUBMITTED,
        False,
        supplier_bob,
    )
    assert line.status == ReturnLine.Status.SUBMITTED
    confirmation = bob.get(response["Location"]).content.decode()
    assert "govuk-panel--confirmation" in confirmation
    assert "Return submitted" in confirmation
    assert "What happens next" in confirmation


def test_it_refuses_to_submit_before_the_quarter_ends(
    bob: Client, current_return: Return, contract: Contract, add_line: AddLine
) -> None:
    add_line(current_return, contract, "NT1", "1")
    page = bob.get(submit_url(current_return)).content.decode()
    day = can_submit_from(current_return)
    assert f"You can submit this return from {day:%-d %B %Y}" in page
    assert ">Submit return<" not in page
    response = bob.post(submit_url(current_return))
    assert response.status_code == 200
    message = ERR_NOT_YET.format(period=current_return.period.short_label, day=day)
    assert message in response.content.decode()
    current_return.refresh_from_db()
    assert current_return.status == Return.Status.DRAFT


def test_it_offers_a_nil_return_only_when_there_are_no_lines(
    bob: Client, last_return: Return
) -> None:
    page = bob.get(submit_url(last_return)).content.decode()
    assert "We have nothing to report this quarter" in page
    assert ">Submit nil return<" in page


def test_it_needs_the_nil_return_confirmed(bob: Client, last_return: Return) -> None:
    response = bob.post(submit_url(last_return), {})
    assert response.context["form"].errors["nil"] == [ERR_NIL_REQUIRED]
    last_return.refresh_from_db()
    assert last_return.status == Return.Status.DRAFT


def test_it_submits_a_nil_return(bob: Client, last_return: Return) -> None:
    response = bob.post(submit_url(last_return), {"nil": "on"})
    assert response.status_code == 302
    last_return.refresh_from_db()
    assert (last_return.status, last_return.is_nil) == (Return.Status.SUBMITTED, True)
    assert "Nil return submitted" in bob.get(submit_url(last_return)).content.decode()


def test_it_ignores_a_nil_tick_on_a_return_with_lines(
    bob: Client, last_return: Return, contract: Contract, add_line: AddLine
) -> None:
    add_line(last_return, contract, "NT1", "1")
    bob.post(submit_url(last_return), {"nil": "on"})
    last_return.refresh_from_db()
    assert (last_return.status, last_return.is_nil) == (Return.Status.SUBMITTED, False)


def test_it_makes_a_submitted_return_read_only(
    bob: Client, last_return: Return, contract: Contract, add_line: AddLine
) -> None:
    line = add_line(last_return, contract, "NT1", "1")
    bob.post(submit_url(last_return))
    page = bob.get(reverse("contracts:return_detail", args=[last_return.pk])).content.decode()
    assert "Add a line" not in page
    assert reverse("contracts:line_edit", args=[last_return.pk, line.pk]) not in page
    assert reverse("contracts:return_upload", args=[last_return.pk]) not in page
    again = bob.post(submit_url(last_return), follow=True)
    assert (
        "This return has been submitted, so it can no longer be changed." in again.content.decode()
    )
    upload = bob.get(reverse("contracts:return_upload", args=[last_return.pk]))
    assert upload.status_code == 302
