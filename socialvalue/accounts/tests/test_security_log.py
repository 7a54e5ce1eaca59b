"""The security log: each event recorded once, in the right organisation's log, shown to that
organisation's lead only, and never in the way of signing in."""

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone

from socialvalue.accounts.invitations import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
)
from socialvalue.accounts.models import (
    Organisation,
    SecurityEvent,
    SecurityLogIsAppendOnly,
    User,
)
from socialvalue.accounts.security import security_event_record
from socialvalue.accounts.services import api_token_create, api_token_revoke
from socialvalue.accounts.team import (
    platform_admin_set,
    user_deactivate,
    user_reactivate,
    user_role_change,
)
from socialvalue.conftest import PASSWORD

ClientAs = Callable[[User | None], Client]
Kind = SecurityEvent.Kind
LOG = "/account/security-log/"
NEW_PASSWORD = "a-sound-new-passphrase"


def events(kind: str) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind).order_by("pk"))


def sign_in(client: Client, email: str, password: str) -> Any:
    return client.post("/account/sign-in/", {"username": email, "password": password})


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser(
        "root@example.org", "a-long-admin-password", full_name="Root"
    )


# --- Each kind, once --------------------------------------------------------------------------


def test_it_records_a_sign_in_with_the_address(public_dave: Client, officer_alice: User) -> None:
    sign_in(public_dave, "alice@lancashire.example", PASSWORD)
    [event] = events(Kind.SIGN_IN)
    assert (event.actor, event.subject, event.organisation) == (
        officer_alice,
        officer_alice,
        officer_alice.organisation,
    )
    assert event.client_address == "127.0.0.1"


def test_it_records_a_failed_sign_in_against_the_account(
    public_dave: Client, officer_alice: User
) -> None:
    sign_in(public_dave, "alice@lancashire.example", "wrong-password")
    [event] = events(Kind.SIGN_IN_FAILED)
    assert (event.actor, event.subject, event.organisation) == (
        None,
        officer_alice,
        officer_alice.organisation,
    )
    assert events(Kind.SIGN_IN) == []


def test_it_never_writes_down_an_unknown_address(public_dave: Client, db: None) -> None:
    sign_in(public_dave, "my-secret-password@typo.example", "whatever")
    [event] = events(Kind.SIGN_IN_FAILED)
    assert (event.subject, event.organisation, event.detail) == (None, None, {"account": "unknown"})
    assert "typo" not in str(SecurityEvent.objects.values_list("detail", flat=True)[0])


def test_it_records_a_lockout(public_dave: Client, officer_alice: User) -> None:
    for _ in range(5):
        sign_in(public_dave, "alice@lancashire.example", "wrong-password")
    [event] = events(Kind.LOCKED_OUT)
    assert event.subject == officer_alice
    assert len(events(Kind.SIGN_IN_FAILED)) == 5


def test_it_records_a_sign_out(client_as: ClientAs, officer_alice: User) -> None:
    client = client_as(officer_alice)
    client.post("/account/sign-out/")
    [event] = events(Kind.SIGN_OUT)
    assert (event.actor, event.subject) == (officer_alice, officer_alice)


def test_it_records_a_password_change(client_as: ClientAs, officer_alice: User) -> None:
    client_as(officer_alice).post(
        "/account/change-password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    [event] = events(Kind.PASSWORD_CHANGED)
    assert (event.actor, event.subject) == (officer_alice, officer_alice)


def test_it_records_a_password_reset(public_dave: Client, officer_alice: User) -> None:
    public_dave.post("/account/password-reset/", {"email": "alice@lancashire.example"})
    link = re.search(r"http://testserver(/account/reset/\S+/)", str(mail.outbox[0].body))
    assert link
    form_page = public_dave.get(link.group(1), follow=True)
    public_dave.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    [event] = events(Kind.PASSWORD_RESET)
    assert event.subject == officer_alice


def test_it_records_a_password_set_by_a_platform_administrator(
    client_as: ClientAs, admin_ada: User, officer_alice: User
) -> None:
    url = f"/admin/accounts/user/{officer_alice.pk}/password/"
    client_as(admin_ada).post(
        url,
        {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            "set-password": "1",
        },
    )
    [event] = events(Kind.PASSWORD_CHANGED)
    assert (event.actor, event.subject, event.organisation) == (
        admin_ada,
        officer_alice,
        officer_alice.organisation,
    )


def test_it_records_api_tokens_without_their_secret(
    client_as: ClientAs, officer_alice: User, admin_ada: User
) -> None:
    client_as(officer_alice).post("/account/profile/tokens/new/", {"name": "Contracts system"})
    [created] = events(Kind.API_TOKEN_CREATED)
    token = officer_alice.api_tokens.get()
    assert created.detail == {"token": "Contracts system", "starts_with": f"{token.key_prefix}…"}
    api_token_revoke(token=token, by=admin_ada)
    api_token_revoke(token=token, by=admin_ada)  # twice: nothing more to record
    [revoked] = events(Kind.API_TOKEN_REVOKED)
    assert (revoked.actor, revoked.subject) == (admin_ada, officer_alice)


def test_it_records_the_life_of_an_invitation(lead_lucy: User, council: Organisation) -> None:
    first, _ = invitation_create(
        organisation=council, email="nina@lancashire.example", role="officer", by=lead_lucy
    )
    second, _ = invitation_create(
        organisation=council, email="omar@lancashire.example", role="cabinet", by=lead_lucy
    )
    invitation_revoke(invitation=second, by=lead_lucy)
    nina = invitation_accept(invitation=first, full_name="Nina", password=NEW_PASSWORD)
    sent = events(Kind.INVITATION_SENT)
    assert [(e.actor, e.organisation, e.detail["email"]) for e in sent] == [
        (lead_lucy, council, "nina@lancashire.example"),
        (lead_lucy, council, "omar@lancashire.example"),
    ]
    [revoked] = events(Kind.INVITATION_REVOKED)
    assert revoked.detail == {"email": "omar@lancashire.example", "role": "cabinet"}
    [accepted] = events(Kind.INVITATION_ACCEPTED)
    assert (accepted.actor, accepted.subject, accepted.organisation) == (nina, nina, council)


def test_it_records_role_changes_and_deactivations(
    lead_lucy: User, evaluator_erin: User, token_for_erin: Any
) -> None:
    user_role_change(user=evaluator_erin, role="cabinet", service_area=None, by=lead_lucy)
    user_role_change(user=evaluator_erin, role="cabinet", service_area=None, by=lead_lucy)
    user_deactivate(user=evaluator_erin, by=lead_lucy)
    user_reactivate(user=evaluator_erin, by=lead_lucy)
    [role] = events(Kind.ROLE_CHANGED)
    assert (role.actor, role.subject, role.detail) == (
        lead_lucy,
        evaluator_erin,
        {"from": "evaluator", "to": "cabinet"},
    )
    [deactivated] = events(Kind.USER_DEACTIVATED)
    assert deactivated.detail == {"tokens_revoked": 1}
    [reactivated] = events(Kind.USER_REACTIVATED)
    assert reactivated.actor == lead_lucy


@pytest.fixture
def token_for_erin(evaluator_erin: User) -> Any:
    return api_token_create(user=evaluator_erin, name="Scoring tool")


def test_it_records_platform_administration_granted_and_removed(
    root: User, officer_alice: User
) -> None:
    assert platform_admin_set(user=officer_alice, granted=True, by=root) is True
    assert platform_admin_set(user=officer_alice, granted=True, by=root) is False
    officer_alice.refresh_from_db()
    assert officer_alice.is_staff is True
    platform_admin_set(user=officer_alice, granted=False, by=root)
    officer_alice.refresh_from_db()
    assert officer_alice.is_staff is False
    [granted] = events(Kind.PLATFORM_ADMIN_GRANTED)
    [removed] = events(Kind.PLATFORM_ADMIN_REMOVED)
    assert (granted.actor, granted.subject, removed.subject) == (root, officer_alice, officer_alice)


def test_it_records_each_kind_somewhere_in_this_file() -> None:
    """Every kind of event has its test above (personal data downloads are tested where
    they happen: event registrations, training records and evaluation reports)."""
    from pathlib import Path

    source = Path(__file__).read_text(encoding="utf-8")
    untested = [
        kind
        for kind in Kind
        if f"Kind.{kind.name}" not in source and kind != Kind.PERSONAL_DATA_EXPORTED
    ]
    assert untested == []


# --- Append-only, and never in the way ------------------------------------------------------


def test_it_keeps_events_as_recorded(officer_alice: User) -> None:
    event = security_event_record(Kind.SIGN_IN, actor=officer_alice, subject=officer_alice)
    assert event is not None
    event.detail = {"tampered": True}
    with pytest.raises(SecurityLogIsAppendOnly):
        event.save()
    with pytest.raises(SecurityLogIsAppendOnly):
        event.delete()
    assert SecurityEvent.objects.get().detail == {}


def test_it_shows_events_read_only_in_the_admin(
    client_as: ClientAs, admin_ada: User, officer_alice: User
) -> None:
    event = security_event_record(Kind.SIGN_IN, actor=officer_alice, subject=officer_alice)
    assert event is not None
    ada = client_as(admin_ada)
    assert "Alice Officer" in ada.get("/admin/accounts/securityevent/").content.decode()
    assert ada.get(f"/admin/accounts/securityevent/{event.pk}/change/").status_code == 200
    assert (
        ada.post(f"/admin/accounts/securityevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert ada.get("/admin/accounts/securityevent/add/").status_code == 403
    bulk = ada.post(
        "/admin/accounts/securityevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_it_signs_people_in_even_when_the_log_cannot_be_written(
    public_dave: Client, officer_alice: User, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("the log table is unavailable")

    monkeypatch.setattr(SecurityEvent, "save", broken)
    response = sign_in(public_dave, "alice@lancashire.example", PASSWORD)
    assert response.status_code == 302
    assert public_dave.get("/account/").status_code == 200
    assert "Could not record the security event sign_in" in caplog.text
    assert not SecurityEvent.objects.exists()


# --- The lead's page ------------------------------------------------------------------------


def test_it_shows_the_lead_their_organisations_events_only(
    client_as: ClientAs, lead_lucy: User, officer_alice: User, officer_olga: User
) -> None:
    security_event_record(Kind.SIGN_IN_FAILED, subject=officer_alice)
    security_event_record(Kind.SIGN_IN_FAILED, subject=officer_olga)
    client = client_as(lead_lucy)  # signing in is an event of Lancashire's too
    response = client.get(LOG)
    assert response.status_code == 200
    html = response.content.decode()
    assert "alice@lancashire.example" in html
    assert "olga@blackpool.example" not in html
    assert [(e.kind, e.subject) for e in response.context["page"]] == [
        ("sign_in", lead_lucy),
        ("sign_in_failed", officer_alice),
    ]


def test_it_shows_blackpools_lead_blackpools_events_only(
    client_as: ClientAs, lead_bella: User, officer_alice: User, officer_olga: User
) -> None:
    security_event_record(Kind.SIGN_IN_FAILED, subject=officer_alice)
    security_event_record(Kind.SIGN_IN_FAILED, subject=officer_olga)
    response = client_as(lead_bella).get(LOG, {"kind": "sign_in_failed"})
    assert [e.subject for e in response.context["page"]] == [officer_olga]


@pytest.mark.parametrize("who", ["officer_alice", "evaluator_erin", "supplier_bob"])
def test_it_keeps_the_log_from_everyone_else(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str
) -> None:
    assert client_as(request.getfixturevalue(who)).get(LOG).status_code == 403


def test_it_filters_by_kind_and_day(
    client_as: ClientAs, lead_lucy: User, officer_alice: User
) -> None:
    tz = timezone.get_current_timezone()
    for day, kind in [(1, Kind.SIGN_IN), (2, Kind.SIGN_IN_FAILED), (3, Kind.SIGN_IN)]:
        event = security_event_record(kind, subject=officer_alice)
        assert event is not None
        SecurityEvent.objects.filter(pk=event.pk).update(
            at=datetime(2025, 3, day, 23, 30, tzinfo=tz)
        )
    client = client_as(lead_lucy)

    def shown(**query: str) -> list[tuple[int, str]]:
        page = client.get(LOG, query).context["page"]
        return [(timezone.localtime(e.at).day, e.kind) for e in page]

    # Lucy's own sign-in, today, is in the log too: the filters keep to March 2025.
    assert shown(kind="sign_in", until="2025-03-31") == [(3, "sign_in"), (1, "sign_in")]
    assert shown(since="2025-03-02", until="2025-03-02") == [(2, "sign_in_failed")]
    assert shown(since="2025-03-02", until="2025-03-31") == [(3, "sign_in"), (2, "sign_in_failed")]
    assert len(shown()) == 4
    wrong_way = client.get(LOG, {"since": "2025-03-03", "until": "2025-03-01"})
    assert wrong_way.status_code == 400
    assert "The ‘from’ date must be on or before the ‘to’ date" in wrong_way.content.decode()
    assert client.get(LOG, {"since": "not-a-date"}).status_code == 400


def test_it_pages_the_log(client_as: ClientAs, lead_lucy: User, officer_alice: User) -> None:
    client = client_as(lead_lucy)  # one event: Lucy signing in
    SecurityEvent.objects.bulk_create(
        SecurityEvent(
            kind=Kind.SIGN_IN,
            subject=officer_alice,
            organisation=officer_alice.organisation,
            at=timezone.now() - timedelta(minutes=n),
        )
        for n in range(1, 51)
    )
    assert len(client.get(LOG).context["page"].object_list) == 50
    assert len(client.get(LOG, {"page": 2}).context["page"].object_list) == 1


def test_it_links_the_lead_to_the_log(
    client_as: ClientAs, lead_lucy: User, officer_alice: User
) -> None:
    assert 'href="/account/security-log/"' in client_as(lead_lucy).get("/account/").content.decode()
    assert 'href="/account/security-log/"' not in (
        client_as(officer_alice).get("/account/").content.decode()
    )
