"""The access rules: declared on every page and API operation, enforced before the view."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from socialvalue import checks
from socialvalue.accounts.models import Organisation, User
from socialvalue.core.access import (
    ANYONE,
    LEADS,
    NOT_OFFICER,
    NOT_SUPPLIER,
    ROLE_MISSING,
    SERVICE_OWNER_LEADS,
    STAFF,
    STAFF_AND_SUPPLIERS,
    SUPPLIERS,
    Audience,
    Reach,
    Refused,
    access,
    api_access,
    audience_text,
    audiences_of,
    is_platform_admin,
    refusal_message,
    rule_for,
)


def _page(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("the page")


def _request(user: Any, method: str = "GET") -> HttpRequest:
    request = RequestFactory().generic(method, "/somewhere/?x=1")
    request.user = user
    return request


def test_it_sends_somebody_not_signed_in_to_sign_in_and_back() -> None:
    view = access(STAFF, Reach.ORGANISATION)(_page)
    response = view(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/somewhere/%3Fx%3D1"


def test_it_refuses_a_signed_in_person_outside_the_audience(supplier_bob: User) -> None:
    view = access(STAFF, Reach.ORGANISATION)(_page)
    with pytest.raises(PermissionDenied, match=ROLE_MISSING):
        view(_request(supplier_bob))


def test_it_lets_the_audience_through(officer_alice: User) -> None:
    view = access(STAFF, Reach.ORGANISATION)(_page)
    assert view(_request(officer_alice)).content == b"the page"


def test_it_lets_anyone_through_a_public_page() -> None:
    assert access(ANYONE)(_page)(_request(AnonymousUser())).status_code == 200


def test_it_refuses_a_change_to_readers_who_may_not_change(
    officer_alice: User, lead_lucy: User
) -> None:
    view = access(STAFF, Reach.PLACE, writes=LEADS)(_page)
    assert view(_request(officer_alice, "GET")).status_code == 200
    with pytest.raises(PermissionDenied):
        view(_request(officer_alice, "POST"))
    assert view(_request(lead_lucy, "POST")).status_code == 200


def test_it_refuses_a_deactivated_account(officer_alice: User) -> None:
    officer_alice.is_active = False
    response = access(STAFF)(_page)(_request(officer_alice))
    assert response.status_code == 302


def test_it_keeps_the_rule_on_the_view() -> None:
    view = access(SUPPLIERS, Reach.ORGANISATION)(_page)
    rule = rule_for(view)
    assert rule is not None
    assert rule.who == SUPPLIERS
    assert rule.reach is Reach.ORGANISATION
    assert rule_for(_page) is None


def test_it_refuses_a_rule_for_nobody() -> None:
    with pytest.raises(ValueError, match="at least one audience"):
        access([])


def test_it_tells_each_person_their_audiences(
    lead_lucy: User, officer_olga: User, supplier_bob: User, council: Organisation
) -> None:
    assert audiences_of(AnonymousUser()) == frozenset()
    assert audiences_of(lead_lucy) == {
        Audience.SIGNED_IN,
        Audience.LEAD,
        Audience.SERVICE_OWNER_STAFF,
        Audience.SERVICE_OWNER_LEAD,
    }
    assert audiences_of(officer_olga) == {Audience.SIGNED_IN, Audience.OFFICER}
    assert audiences_of(supplier_bob) == {Audience.SIGNED_IN, Audience.SUPPLIER}


@override_settings(SERVICE_OWNER="Blackpool Council")
def test_it_follows_the_organisation_running_the_service(
    lead_lucy: User, officer_olga: User
) -> None:
    assert Audience.SERVICE_OWNER_LEAD not in audiences_of(lead_lucy)
    assert Audience.SERVICE_OWNER_STAFF in audiences_of(officer_olga)


def test_a_lead_of_another_organisation_is_not_a_lead_of_the_service_owner(
    lead_lucy: User, blackpool: Organisation
) -> None:
    bella = User.objects.create_user(
        email="bella@blackpool.example", full_name="Bella", role="lead", organisation=blackpool
    )
    view = access(SERVICE_OWNER_LEADS, Reach.PLATFORM)(_page)
    assert view(_request(lead_lucy)).status_code == 200
    with pytest.raises(PermissionDenied):
        view(_request(bella))


def test_platform_administrators_are_superusers_or_hold_the_permission(
    lead_lucy: User, db: None
) -> None:
    admin = User.objects.create_superuser(email="ada@platform.example", full_name="Ada")
    assert is_platform_admin(admin)
    assert Audience.PLATFORM_ADMIN in audiences_of(admin)
    assert not is_platform_admin(lead_lucy)
    admin.is_active = False
    assert not is_platform_admin(admin)


def test_the_api_refusal_names_who_may(officer_alice: User, supplier_bob: User) -> None:
    assert refusal_message(STAFF) == NOT_OFFICER
    assert refusal_message(SUPPLIERS) == NOT_SUPPLIER
    assert refusal_message(STAFF_AND_SUPPLIERS) == ROLE_MISSING
    operation = api_access(STAFF, Reach.ORGANISATION)(_page)
    assert operation(_request(officer_alice)).status_code == 200
    with pytest.raises(PermissionDenied, match=NOT_OFFICER):
        operation(_request(supplier_bob))


def test_a_public_api_operation_is_left_as_it_is() -> None:
    operation = api_access(ANYONE)(_page)
    assert operation is _page
    assert rule_for(operation) is not None


# --- The system check ----------------------------------------------------------------------


def _undeclared(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


urlpatterns = [path("undeclared/", _undeclared, name="undeclared")]


def test_the_shipped_pages_all_declare_a_rule() -> None:
    assert checks.check_access_rules() == []


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_without_a_rule_fails_the_check() -> None:
    errors = checks.check_access_rules()
    assert [e.id for e in errors if "undeclared/" in e.msg] == ["socialvalue.E001"]


def test_every_api_operation_declares_a_rule() -> None:
    operations = list(checks.api_operations())
    assert len(operations) >= 37
    assert all(rule_for(op.view_func) is not None for _, _, op in operations)


def test_the_openapi_document_says_who_may_call_each_operation(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    rules = {
        (method, "/api/v1" + route): rule_for(operation.view_func)
        for method, route, operation in checks.api_operations()
    }
    seen = 0
    for route, item in document["paths"].items():
        for method, operation in item.items():
            rule = rules[(method.upper(), route)]
            assert rule is not None
            assert operation["x-access"] == rule.describe()
            assert "**Who may call it:**" in operation["description"]
            seen += 1
    assert seen == len(rules)
    returns = document["paths"]["/api/v1/returns/{return_id}"]["get"]["x-access"]
    assert returns == {
        "who": ["evaluator", "lead", "officer", "supplier"],
        "reaches": str(Reach.PARTIES),
    }


def test_it_says_in_words_who_a_page_is_for() -> None:
    assert audience_text(STAFF) == "officers, evaluators and social value leads"
    assert audience_text(SUPPLIERS) == "supplier users"
    assert audience_text(SERVICE_OWNER_LEADS) == (
        "the social value leads of Lancashire County Council, which runs this service"
    )


def test_a_refusal_says_who_may_change_when_fewer_may_than_may_read(
    officer_alice: User,
) -> None:
    view = access(STAFF, Reach.PLACE, writes=LEADS)(_page)
    with pytest.raises(Refused) as refused:
        view(_request(officer_alice, "POST"))
    assert refused.value.for_whom == "social value leads"
