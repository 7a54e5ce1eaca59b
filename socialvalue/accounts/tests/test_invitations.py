"""Invitations: who may invite whom, the one-time link and its life from sent to used."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from socialvalue.accounts import invitations
from socialvalue.accounts.invitations import (
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from socialvalue.accounts.models import Invitation, Organisation, ServiceArea, User
from socialvalue.accounts.services import SERVICE_AREA_OTHER_ORGANISATION
from socialvalue.accounts.team import user_deactivate
from socialvalue.accounts.tests.factories import OrganisationFactory

ClientAs = Callable[[User | None], Client]
NEW_PASSWORD = "a-sound-new-passphrase"


def link_in(message: Any) -> str:
    match = re.search(
        r"http://127\.0\.0\.1:8000(/account/invitations/[A-Za-z0-9_-]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def invite(
    by: User,
    organisation: Organisation,
    email: str = "nina@lancashire.example",
    role: str = "officer",
    **extra: Any,
) -> tuple[Invitation, str]:
    return invitation_create(organisation=organisation, email=email, role=role, by=by, **extra)


def accept_page(raw: str) -> str:
    return f"/account/invitations/{raw}/"


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


@pytest.fixture
def empty_supplier(db: None) -> Organisation:
    return OrganisationFactory.create(name="Hyndburn Haulage Ltd", kind=Organisation.Kind.SUPPLIER)


# --- Who may invite whom -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["lead", "officer", "evaluator", "cabinet"])
def test_it_lets_the_lead_invite_any_council_role(
    lead_lucy: User, council: Organisation, role: str
) -> None:
    invitation, raw = invite(lead_lucy, council, role=role)
    assert invitation.role == role
    assert invitation.invited_by == lead_lucy
    assert invitation.first_user is False
    assert invitation.token_hash == Invitation.hash(raw)
    assert invitation.status == Invitation.Status.PENDING


def test_it_refuses_a_supplier_role_in_a_council(lead_lucy: User, council: Organisation) -> None:
    with pytest.raises(ValidationError) as exc:
        invite(lead_lucy, council, role="supplier")
    assert _messages(exc) == {"role": [invitations.ROLE_NOT_INVITABLE]}
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["officer_alice", "evaluator_erin", "lead_bella", "supplier_bob"])
def test_it_refuses_invitations_into_the_council_from_anyone_but_its_lead(
    request: pytest.FixtureRequest, council: Organisation, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        invite(request.getfixturevalue(who), council)
    assert not Invitation.objects.exists()


def test_it_refuses_a_platform_administrator_once_the_organisation_has_people(
    admin_ada: User, council: Organisation, lead_lucy: User
) -> None:
    with pytest.raises(ValidationError, match="already has active users"):
        invite(admin_ada, council)


def test_it_refuses_a_service_area_of_another_organisation(
    lead_bella: User, blackpool: Organisation, highways: ServiceArea
) -> None:
    with pytest.raises(ValidationError) as exc:
        invite(lead_bella, blackpool, email="x@blackpool.example", service_area=highways)
    assert _messages(exc) == {"service_area": [SERVICE_AREA_OTHER_ORGANISATION]}


def test_it_lets_a_supplier_user_invite_a_colleague_with_the_suppliers_role(
    supplier_bob: User, bobs_building: Organisation
) -> None:
    invitation, _ = invite(supplier_bob, bobs_building, email="sam@bobsbuilding.example", role="")
    assert invitation.role == "supplier"


@pytest.mark.parametrize("role", ["lead", "officer", "partner"])
def test_it_keeps_a_suppliers_invitation_to_the_supplier_role(
    supplier_bob: User, bobs_building: Organisation, role: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        invite(supplier_bob, bobs_building, email="sam@bobsbuilding.example", role=role)
    assert _messages(exc) == {"role": [invitations.ROLE_NOT_INVITABLE]}


@pytest.mark.parametrize("who", ["supplier_carol", "lead_lucy", "admin_ada"])
def test_it_refuses_invitations_into_a_supplier_from_outside(
    request: pytest.FixtureRequest, supplier_bob: User, bobs_building: Organisation, who: str
) -> None:
    with pytest.raises((PermissionDenied, ValidationError)):
        invite(request.getfixturevalue(who), bobs_building, email="x@evil.example", role="")
    assert not Invitation.objects.exists()


def test_it_refuses_an_address_that_already_has_an_account(
    lead_lucy: User, council: Organisation, supplier_bob: User
) -> None:
    with pytest.raises(ValidationError) as exc:
        invite(lead_lucy, council, email="BOB@bobsbuilding.example")
    assert _messages(exc) == {"email": [invitations.EMAIL_ALREADY_REGISTERED]}


def test_it_refuses_a_second_open_invitation_to_the_same_address(
    lead_lucy: User, council: Organisation
) -> None:
    invite(lead_lucy, council)
    with pytest.raises(ValidationError) as exc:
        invite(lead_lucy, council, email="Nina@Lancashire.example")
    assert _messages(exc) == {
        "email": [invitations.ALREADY_INVITED.format(organisation="Lancashire County Council")]
    }


@pytest.mark.parametrize("email", ["", "   ", "not-an-address"])
def test_it_refuses_a_bad_address(lead_lucy: User, council: Organisation, email: str) -> None:
    with pytest.raises(ValidationError):
        invite(lead_lucy, council, email=email)
    assert not Invitation.objects.exists()


# --- The email and the link ----------------------------------------------------------------


def test_it_emails_a_one_time_link_once_saved(
    lead_lucy: User, council: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw = invite(lead_lucy, council, role="cabinet")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nina@lancashire.example"]
    assert message.subject == (
        "You are invited to join Lancashire County Council on Lancashire Social Value"
    )
    assert "Lucy Lead has invited you" in message.body
    assert "as cabinet member" in message.body
    assert "for 7 days" in message.body
    assert link_in(message) == accept_page(raw)
    # Only the hash is kept.
    assert raw not in str(Invitation.objects.filter(pk=invitation.pk).values()[0])


def test_it_sends_nothing_when_the_invitation_is_not_saved(
    lead_lucy: User, council: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        invite(lead_lucy, council, role="supplier")
    assert mail.outbox == []


def test_it_expires_after_the_configured_days(
    lead_lucy: User, council: Organisation, settings: Any
) -> None:
    settings.INVITATION_VALID_DAYS = 3
    before = timezone.now()
    invitation, _ = invite(lead_lucy, council)
    assert before + timedelta(days=3) <= invitation.expires_at <= timezone.now() + timedelta(days=3)


# --- Accepting ------------------------------------------------------------------------------


def test_it_creates_the_account_and_signs_the_invitee_in(
    public_dave: Client, lead_lucy: User, council: Organisation, highways: ServiceArea
) -> None:
    invitation, raw = invite(lead_lucy, council, role="evaluator", service_area=highways)
    page = public_dave.get(accept_page(raw))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Join Lancashire County Council" in html
    assert "nina@lancashire.example" in html
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    response = public_dave.post(
        accept_page(raw),
        {
            "full_name": "  Nina   Newcomer ",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    nina = User.objects.get(email="nina@lancashire.example")
    assert (nina.full_name, nina.role, nina.organisation, nina.service_area) == (
        "Nina Newcomer",
        "evaluator",
        council,
        highways,
    )
    assert nina.check_password(NEW_PASSWORD)
    assert nina.is_staff is False
    assert public_dave.get("/account/").context["user"] == nina
    invitation.refresh_from_db()
    assert invitation.accepted_user == nina
    assert invitation.status == Invitation.Status.ACCEPTED


def test_it_works_only_once(public_dave: Client, lead_lucy: User, council: Organisation) -> None:
    _, raw = invite(lead_lucy, council)
    data = {"full_name": "Nina", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert public_dave.post(accept_page(raw), data).status_code == 302
    again = Client().post(accept_page(raw), {**data, "full_name": "Someone Else"})
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert User.objects.get(email="nina@lancashire.example").full_name == "Nina"


def test_it_checks_the_password_like_every_other(
    public_dave: Client, lead_lucy: User, council: Organisation
) -> None:
    _, raw = invite(lead_lucy, council)
    for first, second, expected in [
        ("short", "short", "This password is too short"),
        ("password123", "password123", "This password is too common"),
        ("nina-lancashire-example", "nina-lancashire-example", "too similar"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The two passwords are different"),
    ]:
        response = public_dave.post(
            accept_page(raw),
            {"full_name": "Nina Newcomer", "new_password1": first, "new_password2": second},
        )
        assert response.status_code == 400, first
        assert expected in response.content.decode(), first
    assert not User.objects.filter(email="nina@lancashire.example").exists()


def test_it_asks_for_a_name(public_dave: Client, lead_lucy: User, council: Organisation) -> None:
    _, raw = invite(lead_lucy, council)
    response = public_dave.post(
        accept_page(raw),
        {"full_name": "", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert invitations.FULL_NAME_REQUIRED in response.content.decode()


def test_it_says_an_unknown_link_does_not_work_and_nothing_else(
    public_dave: Client, db: None
) -> None:
    response = public_dave.get(accept_page("not-a-real-secret"))
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


@pytest.mark.parametrize(
    ("how", "status", "text"),
    [
        ("expired", 410, "has expired"),
        ("revoked", 410, "has been withdrawn"),
        ("inviter_left", 410, "has been withdrawn"),
    ],
)
def test_it_explains_a_dead_link_without_showing_the_invitation(
    public_dave: Client,
    lead_lucy: User,
    evaluator_erin: User,
    council: Organisation,
    how: str,
    status: int,
    text: str,
) -> None:
    invitation, raw = invite(lead_lucy, council)
    if how == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    elif how == "revoked":
        invitation_revoke(invitation=invitation, by=lead_lucy)
    else:
        # Lucy stops being the lead: her invitations no longer let anyone in.
        evaluator_erin.role = "lead"
        evaluator_erin.save()
        from socialvalue.accounts.team import user_role_change

        user_role_change(user=lead_lucy, role="officer", service_area=None, by=lead_lucy)
    response = public_dave.get(accept_page(raw))
    assert response.status_code == status
    html = response.content.decode()
    assert text in html
    assert "Lancashire County Council" not in html.split("<main")[1].split("<footer")[0]
    assert "nina@lancashire.example" not in html
    post = public_dave.post(
        accept_page(raw),
        {"full_name": "Nina", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert post.status_code == status
    assert not User.objects.filter(email="nina@lancashire.example").exists()


def test_it_never_changes_an_account_that_exists_by_then(
    public_dave: Client, lead_lucy: User, council: Organisation
) -> None:
    _, raw = invite(lead_lucy, council, email="late@lancashire.example")
    taken = User.objects.create_user("late@lancashire.example", "the-owners-own-password")
    response = public_dave.post(
        accept_page(raw),
        {"full_name": "Taker", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 409
    assert invitations.EMAIL_ALREADY_REGISTERED in response.content.decode()
    taken.refresh_from_db()
    assert taken.check_password("the-owners-own-password")
    assert taken.organisation is None
    assert "_auth_user_id" not in public_dave.session


def test_it_asks_someone_signed_in_to_sign_out_first(
    client_as: ClientAs, lead_lucy: User, council: Organisation, supplier_bob: User
) -> None:
    _, raw = invite(lead_lucy, council)
    client = client_as(supplier_bob)
    response = client.get(accept_page(raw))
    assert response.status_code == 200
    assert "Sign out to accept this invitation" in response.content.decode()
    client.post(
        accept_page(raw),
        {"full_name": "Nina", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert not User.objects.filter(email="nina@lancashire.example").exists()
    supplier_bob.refresh_from_db()
    assert str(supplier_bob.organisation) == "Bob's Building Ltd"


# --- Resending and revoking -----------------------------------------------------------------


def test_it_resends_with_a_new_link_and_kills_the_old_one(
    public_dave: Client,
    lead_lucy: User,
    council: Organisation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation, old = invite(lead_lucy, council)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        invitation, new = invitation_resend(invitation=invitation, by=lead_lucy)
    assert new != old
    assert invitation.status == Invitation.Status.PENDING
    assert link_in(mail.outbox[-1]) == accept_page(new)
    assert public_dave.get(accept_page(old)).status_code == 404
    assert public_dave.get(accept_page(new)).status_code == 200


def test_it_refuses_to_resend_or_revoke_a_used_invitation(
    lead_lucy: User, council: Organisation
) -> None:
    invitation, _ = invite(lead_lucy, council)
    invitation_accept(invitation=invitation, full_name="Nina", password=NEW_PASSWORD)
    with pytest.raises(ValidationError, match=invitations.INVITATION_CLOSED):
        invitation_resend(invitation=invitation, by=lead_lucy)
    with pytest.raises(ValidationError, match=invitations.INVITATION_CLOSED):
        invitation_revoke(invitation=invitation, by=lead_lucy)


def test_it_keeps_revoked_and_used_invitations_on_record(
    lead_lucy: User, council: Organisation
) -> None:
    revoked, _ = invite(lead_lucy, council, email="one@lancashire.example")
    invitation_revoke(invitation=revoked, by=lead_lucy)
    used, _ = invite(lead_lucy, council, email="two@lancashire.example")
    invitation_accept(invitation=used, full_name="Two", password=NEW_PASSWORD)
    statuses = dict(Invitation.objects.values_list("email", "revoked_at"))
    assert set(statuses) == {"one@lancashire.example", "two@lancashire.example"}
    assert revoked.history.count() == 2  # sent, revoked
    # Once revoked, the address can be invited again.
    invite(lead_lucy, council, email="one@lancashire.example")


@pytest.mark.parametrize("who", ["lead_bella", "officer_alice"])
def test_it_refuses_to_resend_or_revoke_for_anyone_else(
    request: pytest.FixtureRequest, lead_lucy: User, council: Organisation, who: str
) -> None:
    invitation, _ = invite(lead_lucy, council)
    other = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        invitation_resend(invitation=invitation, by=other)
    with pytest.raises(PermissionDenied):
        invitation_revoke(invitation=invitation, by=other)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- A supplier's colleague, and the first user ---------------------------------------------


def test_it_lets_a_supplier_bring_in_a_colleague(
    public_dave: Client, supplier_bob: User, bobs_building: Organisation
) -> None:
    _, raw = invite(supplier_bob, bobs_building, email="sam@bobsbuilding.example", role="")
    public_dave.post(
        accept_page(raw),
        {"full_name": "Sam Site", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    sam = User.objects.get(email="sam@bobsbuilding.example")
    assert (sam.role, sam.organisation) == ("supplier", bobs_building)


def test_it_lets_a_platform_administrator_invite_the_first_user_only(
    public_dave: Client, admin_ada: User, empty_supplier: Organisation
) -> None:
    invitation, raw = invite(admin_ada, empty_supplier, email="hal@haulage.example", role="")
    assert invitation.first_user is True
    second, second_raw = invite(admin_ada, empty_supplier, email="eve@evil.example", role="")
    public_dave.post(
        accept_page(raw),
        {"full_name": "Hal Haul", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    hal = User.objects.get(email="hal@haulage.example")
    assert (hal.role, hal.organisation) == ("supplier", empty_supplier)
    # Now the supplier has a user: the administrator's other invitation no longer works,
    # and the administrator cannot send more.
    response = Client().post(
        accept_page(second_raw),
        {"full_name": "Eve", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="eve@evil.example").exists()
    with pytest.raises(ValidationError, match="already has active users"):
        invite(admin_ada, empty_supplier, email="mallory@evil.example", role="")


def test_it_lets_a_platform_administrator_invite_again_once_everyone_has_left(
    admin_ada: User, supplier_bob: User, bobs_building: Organisation
) -> None:
    User.objects.filter(pk=supplier_bob.pk).update(is_active=False)
    invitation, _ = invite(admin_ada, bobs_building, email="new@bobsbuilding.example", role="")
    assert invitation.first_user is True


def test_it_kills_a_leavers_invitations(
    public_dave: Client,
    supplier_bob: User,
    bobs_building: Organisation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from socialvalue.accounts.tests.factories import UserFactory

    sam = UserFactory.create(
        email="sam@bobsbuilding.example", role="supplier", organisation=bobs_building
    )
    _, raw = invite(sam, bobs_building, email="accomplice@evil.example", role="")
    user_deactivate(user=sam, by=supplier_bob)
    response = public_dave.post(
        accept_page(raw),
        {"full_name": "Acc", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="accomplice@evil.example").exists()
