"""The shared access helpers in ``core/access.py``, tried with the cast."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from socialvalue.accounts.models import User
from socialvalue.core import access


@access.role_required(User.Role.OFFICER, User.Role.LEAD)
def officers_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("officer work")


def _request(user: Any) -> HttpRequest:
    request = RequestFactory().get("/tenders/?page=2")
    request.user = user
    return request


@pytest.mark.parametrize("who", ["lead_lucy", "officer_alice"])
def test_it_lets_the_named_roles_through(
    cast_member: Callable[[str | None], User | None], who: str
) -> None:
    response = officers_page(_request(cast_member(who)))
    assert response.content == b"officer work"


@pytest.mark.parametrize("who", ["evaluator_erin", "supplier_bob"])
def test_it_refuses_other_roles_with_403(
    cast_member: Callable[[str | None], User | None], who: str
) -> None:
    with pytest.raises(PermissionDenied, match=access.ROLE_MISSING):
        officers_page(_request(cast_member(who)))


def test_it_sends_anonymous_visitors_to_sign_in_and_back(db: None) -> None:
    response = officers_page(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/tenders/%3Fpage%3D2"


def test_it_treats_a_deactivated_user_as_signed_out(officer_alice: User) -> None:
    officer_alice.is_active = False
    response = officers_page(_request(officer_alice))
    assert response.status_code == 302


def test_it_needs_at_least_one_role() -> None:
    with pytest.raises(ValueError, match="at least one role"):
        access.role_required()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("lead_lucy", True),
        ("officer_alice", True),
        ("evaluator_erin", True),
        ("supplier_bob", False),
        (None, False),
    ],
)
def test_it_lets_only_council_staff_do_officer_work(
    cast_member: Callable[[str | None], User | None], db: None, who: str | None, allowed: bool
) -> None:
    user = cast_member(who) or AnonymousUser()
    if allowed:
        access.require_officer(user)
    else:
        with pytest.raises(PermissionDenied):
            access.require_officer(user)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("lead_lucy", True),
        ("officer_alice", False),
        ("evaluator_erin", False),
        ("supplier_bob", False),
        (None, False),
    ],
)
def test_it_lets_only_the_lead_do_lead_work(
    cast_member: Callable[[str | None], User | None], db: None, who: str | None, allowed: bool
) -> None:
    user = cast_member(who) or AnonymousUser()
    if allowed:
        access.require_lead(user)
    else:
        with pytest.raises(PermissionDenied):
            access.require_lead(user)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("lead_lucy", False),
        ("officer_alice", False),
        ("evaluator_erin", False),
        ("supplier_bob", True),
        (None, False),
    ],
)
def test_it_lets_only_supplier_users_do_supplier_work(
    cast_member: Callable[[str | None], User | None], db: None, who: str | None, allowed: bool
) -> None:
    user = cast_member(who) or AnonymousUser()
    if allowed:
        access.require_supplier_user(user)
    else:
        with pytest.raises(PermissionDenied):
            access.require_supplier_user(user)
