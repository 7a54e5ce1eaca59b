"""Verifying, querying and rejecting a line from the officer's return page.

Bob's return for last quarter has, in page order, the council's lines NT1 and NT18 on
LCC-TEST-001, and Blackpool's NT1 on BPL-ROADS-7 (which council staff never see).
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.contracts.models import (
    Contract,
    LineEvent,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.returns import (
    ERR_MESSAGE_REQUIRED,
    ERR_NOT_AWAITING,
    ERR_REASON_REQUIRED,
    line_verify,
    return_submit,
)
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.contracts.verification_forms import ERR_DECISION
from socialvalue.contracts.views.verification import MSG_ALL_DECIDED

ClientAs = Callable[[User | None], Client]
Status = ReturnLine.Status


@pytest.fixture
def ours(make_contract: ContractMaker) -> Contract:
    return make_contract()


@pytest.fixture
def theirs(make_contract: ContractMaker, blackpool: Organisation) -> Contract:
    return make_contract(reference="BPL-ROADS-7", organisation=blackpool)


@pytest.fixture
def bob_return(
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_period: ReportingPeriod,
    bobs_building: Organisation,
    ours: Contract,
    theirs: Contract,
    supplier_bob: User,
) -> Return:
    r = make_return(bobs_building, last_period)
    add_line(r, ours, "NT1", "1.5", by=supplier_bob)
    add_line(r, ours, "NT18", "1000", by=supplier_bob)
    add_line(r, theirs, "NT1", "2", by=supplier_bob)
    return return_submit(r, by=supplier_bob, today=last_period.end_date + timedelta(days=1))


@pytest.fixture
def nt1(bob_return: Return) -> ReturnLine:
    return bob_return.lines.get(contract__reference="LCC-TEST-001", measure__code="NT1")


@pytest.fixture
def nt18(bob_return: Return) -> ReturnLine:
    return bob_return.lines.get(measure__code="NT18")


@pytest.fixture
def blackpool_line(bob_return: Return) -> ReturnLine:
    return bob_return.lines.get(contract__reference="BPL-ROADS-7")


def decide(client: Client, line: ReturnLine, decision: str, message: str = "") -> Any:
    url = reverse("contracts:line_decide", args=[line.return_record_id, line.pk])
    prefix = f"line-{line.pk}"
    return client.post(url, {f"{prefix}-decision": decision, f"{prefix}-message": message})


def detail_url(r: Return) -> str:
    return reverse("contracts:return_detail", args=[r.pk])


def events(line: ReturnLine) -> list[tuple[str, str, str]]:
    return [
        (e.action, e.by.email if e.by else "", e.message)
        for e in LineEvent.objects.filter(line=line).order_by("at", "pk")
    ]


def test_it_verifies_a_line_and_moves_on_to_the_next(
    client_as: ClientAs,
    officer_alice: User,
    bob_return: Return,
    nt1: ReturnLine,
    nt18: ReturnLine,
) -> None:
    response = decide(client_as(officer_alice), nt1, "verify", "Timesheets match.")
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(bob_return)}#line-{nt18.pk}"
    nt1.refresh_from_db()
    assert nt1.status == Status.VERIFIED
    assert events(nt1)[-1] == ("verified", "alice@lancashire.example", "Timesheets match.")


def test_it_shows_a_success_banner_and_the_decision_in_the_history(
    client_as: ClientAs, officer_alice: User, bob_return: Return, nt1: ReturnLine
) -> None:
    client = client_as(officer_alice)
    decide(client, nt1, "verify")
    html = " ".join(client.get(detail_url(bob_return)).content.decode().split())
    assert "govuk-notification-banner--success" in html
    assert "You verified NT1 on contract LCC-TEST-001." in html
    assert "Verified</strong> by Alice Officer (Lancashire County Council)" in html
    assert "1 of 2 lines decided (1 verified, 0 rejected)." in html


def test_it_anchors_at_the_first_undecided_line_after_the_last_one(
    client_as: ClientAs,
    officer_alice: User,
    bob_return: Return,
    nt1: ReturnLine,
    nt18: ReturnLine,
) -> None:
    response = decide(client_as(officer_alice), nt18, "verify")
    assert response["Location"] == f"{detail_url(bob_return)}#line-{nt1.pk}"


def test_it_says_when_nothing_is_left_to_decide(
    client_as: ClientAs,
    officer_alice: User,
    bob_return: Return,
    nt1: ReturnLine,
    nt18: ReturnLine,
    blackpool_line: ReturnLine,
) -> None:
    client = client_as(officer_alice)
    decide(client, nt1, "verify")
    response = decide(client, nt18, "reject", "Not social value: the spend was outside the area.")
    # Blackpool's line still awaits Blackpool; it is not Alice's to decide.
    assert response["Location"] == f"{detail_url(bob_return)}#lines"
    html = client.get(response["Location"]).content.decode()
    assert MSG_ALL_DECIDED.strip() in html
    blackpool_line.refresh_from_db()
    assert blackpool_line.status == Status.SUBMITTED


def test_it_queries_a_line_and_emails_the_suppliers_users(
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
    supplier_carol: User,
    bobs_building: Organisation,
    nt18: ReturnLine,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    colleague = UserFactory.create(
        email="bella@bobsbuilding.example", role=User.Role.SUPPLIER, organisation=bobs_building
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client_as(officer_alice), nt18, "query", "Which invoices?")
    assert response.status_code == 302
    nt18.refresh_from_db()
    assert nt18.status == Status.QUERIED
    assert events(nt18)[-1] == ("queried", "alice@lancashire.example", "Which invoices?")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == sorted([supplier_bob.email, colleague.email])
    assert supplier_carol.email not in mail.to
    assert "LCC-TEST-001 NT18 queried" in mail.subject
    assert "Which invoices?" in mail.body


def test_it_rejects_a_line_with_a_reason(
    client_as: ClientAs,
    officer_alice: User,
    nt1: ReturnLine,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client_as(officer_alice), nt1, "reject", "The apprentices left.")
    assert response.status_code == 302
    nt1.refresh_from_db()
    assert nt1.status == Status.REJECTED
    assert events(nt1)[-1] == ("rejected", "alice@lancashire.example", "The apprentices left.")
    assert "rejected" in mailoutbox[0].subject


@pytest.mark.parametrize(
    ("decision", "message", "error"),
    [
        ("query", "", ERR_MESSAGE_REQUIRED),
        ("query", "   \n ", ERR_MESSAGE_REQUIRED),
        ("reject", "", ERR_REASON_REQUIRED),
        ("", "Looks fine to me.", ERR_DECISION),
        ("approve", "Looks fine to me.", ERR_DECISION),
    ],
)
def test_it_refuses_a_bad_decision_and_keeps_the_message(
    client_as: ClientAs,
    officer_alice: User,
    nt1: ReturnLine,
    decision: str,
    message: str,
    error: str,
    mailoutbox: list[Any],
) -> None:
    before = events(nt1)
    response = decide(client_as(officer_alice), nt1, decision, message)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert error.replace("'", "&#x27;") in html
    assert "<title>Error: " in html
    if message.strip():
        assert f">\n{message}</textarea>" in html
    nt1.refresh_from_db()
    assert nt1.status == Status.SUBMITTED
    assert events(nt1) == before
    assert mailoutbox == []


def test_it_links_the_error_summary_to_the_message_field(
    client_as: ClientAs, officer_alice: User, nt1: ReturnLine
) -> None:
    html = decide(client_as(officer_alice), nt1, "query").content.decode()
    assert f'href="#id_line-{nt1.pk}-message"' in html
    assert f'id="id_line-{nt1.pk}-message"' in html


@pytest.mark.parametrize("second", ["verify", "query", "reject"])
def test_it_refuses_to_decide_a_line_already_verified(
    client_as: ClientAs, officer_alice: User, lead_lucy: User, nt1: ReturnLine, second: str
) -> None:
    line_verify(nt1, by=lead_lucy)
    before = events(nt1)
    response = decide(client_as(officer_alice), nt1, second, "Second thoughts.")
    assert response.status_code == 400
    verb = {"verify": "verified", "query": "queried", "reject": "rejected"}[second]
    assert ERR_NOT_AWAITING.format(action=verb, status="verified") in response.content.decode()
    nt1.refresh_from_db()
    assert nt1.status == Status.VERIFIED
    assert events(nt1) == before


@pytest.mark.parametrize("who", ["lead_lucy", "evaluator_erin"])
def test_it_lets_other_council_staff_decide(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str, nt1: ReturnLine
) -> None:
    user = request.getfixturevalue(who)
    assert decide(client_as(user), nt1, "verify").status_code == 302
    nt1.refresh_from_db()
    assert nt1.status == Status.VERIFIED
    assert events(nt1)[-1][1] == user.email


def test_it_lets_olga_decide_blackpools_line_of_the_same_return(
    client_as: ClientAs, officer_olga: User, blackpool_line: ReturnLine
) -> None:
    assert decide(client_as(officer_olga), blackpool_line, "verify").status_code == 302
    blackpool_line.refresh_from_db()
    assert blackpool_line.status == Status.VERIFIED


@pytest.mark.parametrize("who", ["officer_alice", "officer_olga"])
def test_it_gives_404_for_a_line_of_another_organisations_contract(
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    who: str,
    nt1: ReturnLine,
    blackpool_line: ReturnLine,
) -> None:
    user = request.getfixturevalue(who)
    line = blackpool_line if who == "officer_alice" else nt1
    assert decide(client_as(user), line, "verify").status_code == 404
    line.refresh_from_db()
    assert line.status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["supplier_bob", "supplier_carol"])
def test_it_refuses_decisions_from_suppliers(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str, nt1: ReturnLine
) -> None:
    response = decide(client_as(request.getfixturevalue(who)), nt1, "verify")
    assert response.status_code in {403, 404}
    nt1.refresh_from_db()
    assert nt1.status == Status.SUBMITTED


def test_it_sends_dave_to_sign_in_without_deciding(public_dave: Client, nt1: ReturnLine) -> None:
    response = decide(public_dave, nt1, "verify")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    nt1.refresh_from_db()
    assert nt1.status == Status.SUBMITTED


def test_it_gives_404_when_the_line_is_not_in_the_return(
    client_as: ClientAs,
    officer_alice: User,
    nt1: ReturnLine,
    ours: Contract,
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    this_quarter: Any,
) -> None:
    from socialvalue.contracts.periods import period_for

    other = make_return(bobs_building, period_for(this_quarter))
    url = reverse("contracts:line_decide", args=[other.pk, nt1.pk])
    response = client_as(officer_alice).post(url, {f"line-{nt1.pk}-decision": "verify"})
    assert response.status_code == 404


def test_it_only_accepts_posts(client_as: ClientAs, officer_alice: User, nt1: ReturnLine) -> None:
    url = reverse("contracts:line_decide", args=[nt1.return_record_id, nt1.pk])
    assert client_as(officer_alice).get(url).status_code == 405
