"""Who may use the policy page and the officers' tender pages, page by page.

Expected: the lead and officers of the tender's organisation may do everything; evaluators
may look (403 on changes); an officer of another organisation gets 404 for the council's
tenders; suppliers get 403 on every staff page, whatever the tender (so the answer tells
them nothing about which tenders exist); nobody signed in is sent to sign in.
"""

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.procurement.models import Tender
from socialvalue.procurement.tests.conftest import TenderMaker

ClientAs = Callable[[User | None], Client]
CAST = ["lead_lucy", "officer_alice", "evaluator_erin", "officer_olga", "supplier_bob", None]


def _client(request: pytest.FixtureRequest, client_as: ClientAs, who: str | None) -> Client:
    return client_as(None if who is None else request.getfixturevalue(who))


def _assert_sign_in(response: object, path: str) -> None:
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == f"/account/sign-in/?next={quote(path)}"  # type: ignore[index]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead_lucy", 200),
        ("officer_alice", 403),
        ("evaluator_erin", 403),
        ("officer_olga", 403),
        ("supplier_bob", 403),
        (None, 302),
    ],
)
def test_it_lets_only_the_lead_edit_the_policy(
    request: pytest.FixtureRequest, client_as: ClientAs, who: str | None, expected: int
) -> None:
    path = "/settings/social-value-policy/"
    client = _client(request, client_as, who)
    response = client.get(path)
    if expected == 302:
        _assert_sign_in(response, path)
    else:
        assert response.status_code == expected
    assert client.post(path, {"threshold": "1"}).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead_lucy", 200),
        ("officer_alice", 200),
        ("evaluator_erin", 200),
        ("officer_olga", 200),
        ("supplier_bob", 403),
        (None, 302),
    ],
)
def test_it_shows_the_tender_list_to_staff_only(
    request: pytest.FixtureRequest,
    client_as: ClientAs,
    make_tender: TenderMaker,
    who: str | None,
    expected: int,
) -> None:
    tender = make_tender(title="Gritting the A59")
    response = _client(request, client_as, who).get("/tenders/")
    if expected == 302:
        _assert_sign_in(response, "/tenders/")
        return
    assert response.status_code == expected
    if expected == 200:
        # Olga, at Blackpool, sees her own organisation's tenders only.
        shown = tender.title in response.content.decode()
        assert shown is (who != "officer_olga")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead_lucy", 200),
        ("officer_alice", 200),
        ("evaluator_erin", 403),
        ("officer_olga", 200),  # for her own organisation
        ("supplier_bob", 403),
        (None, 302),
    ],
)
def test_it_lets_officers_and_the_lead_create_tenders(
    request: pytest.FixtureRequest,
    client_as: ClientAs,
    toms: object,
    who: str | None,
    expected: int,
) -> None:
    response = _client(request, client_as, who).get("/tenders/new/")
    if expected == 302:
        _assert_sign_in(response, "/tenders/new/")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead_lucy", 200),
        ("officer_alice", 200),
        ("evaluator_erin", 200),
        ("officer_olga", 404),
        ("supplier_bob", 403),
        (None, 302),
    ],
)
def test_it_shows_a_tender_to_its_organisations_staff_only(
    request: pytest.FixtureRequest,
    client_as: ClientAs,
    make_tender: TenderMaker,
    who: str | None,
    expected: int,
) -> None:
    tender = make_tender(status=Tender.Status.OPEN)
    path = f"/tenders/{tender.pk}/"
    response = _client(request, client_as, who).get(path)
    if expected == 302:
        _assert_sign_in(response, path)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("page", ["edit", "menu", "panel"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead_lucy", 200),
        ("officer_alice", 200),
        ("evaluator_erin", 403),
        ("officer_olga", 404),
        ("supplier_bob", 403),
        (None, 302),
    ],
)
def test_it_lets_only_officers_and_the_lead_change_a_tender(
    request: pytest.FixtureRequest,
    client_as: ClientAs,
    make_tender: TenderMaker,
    page: str,
    who: str | None,
    expected: int,
) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    path = f"/tenders/{tender.pk}/{page}/"
    client = _client(request, client_as, who)
    response = client.get(path)
    if expected == 302:
        _assert_sign_in(response, path)
        assert client.post(path, {}).status_code == 302
    else:
        assert response.status_code == expected
        if expected != 200:
            assert client.post(path, {}).status_code == expected


@pytest.mark.parametrize(
    ("action", "status", "deadline_in", "data", "after"),
    [
        ("open", Tender.Status.DRAFT, timedelta(days=7), {}, Tender.Status.OPEN),
        ("close", Tender.Status.OPEN, timedelta(hours=-1), {}, Tender.Status.CLOSED),
        (
            "cancel",
            Tender.Status.OPEN,
            timedelta(days=7),
            {"reason": "Budget withdrawn."},
            Tender.Status.CANCELLED,
        ),
    ],
)
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead_lucy", 302),
        ("officer_alice", 302),
        ("evaluator_erin", 403),
        ("officer_olga", 404),
        ("supplier_bob", 403),
        (None, 302),
    ],
)
def test_it_lets_only_officers_and_the_lead_move_a_tender_on(
    request: pytest.FixtureRequest,
    client_as: ClientAs,
    make_tender: TenderMaker,
    action: str,
    status: str,
    deadline_in: timedelta,
    data: dict[str, str],
    after: str,
    who: str | None,
    expected: int,
) -> None:
    tender = make_tender(status=status, deadline_in=deadline_in)
    path = f"/tenders/{tender.pk}/{action}/"
    response = _client(request, client_as, who).post(path, data)
    tender.refresh_from_db()
    if who is None:
        _assert_sign_in(response, path)
        assert tender.status == status
        return
    assert response.status_code == expected
    assert tender.status == (after if expected == 302 else status)


def test_it_refuses_a_lifecycle_action_by_get(
    client_as: ClientAs, officer_alice: User, make_tender: TenderMaker
) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    response = client_as(officer_alice).get(f"/tenders/{tender.pk}/open/")
    assert response.status_code == 405
    tender.refresh_from_db()
    assert tender.status == Tender.Status.DRAFT


def test_it_refuses_a_supplier_with_an_offer_the_staff_page(
    client_as: ClientAs,
    supplier_bob: User,
    make_tender: TenderMaker,
    make_bid: Callable[..., object],
    bobs_building: object,
) -> None:
    tender = make_tender(status=Tender.Status.OPEN)
    make_bid(tender, bobs_building, lines=[("NT1", "1", None)])
    assert client_as(supplier_bob).get(f"/tenders/{tender.pk}/").status_code == 403
