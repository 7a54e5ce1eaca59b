"""Invitations: the one way people join an organisation from the service's own pages.

A buying organisation's lead invites colleagues; any user of a supplier or partner
organisation invites theirs; a platform administrator invites the first user of an
organisation that has none (``rules.py``). The invitee gets a one-time link by email, chooses
their name and password, and is signed in. Accepting creates a new account: an invitation
never changes an existing one, so it cannot be used to take an account over.

The link's secret is shown nowhere but the email and stored only as a SHA-256 hash.
Resending makes a new secret (the old link stops working) and a new expiry date.
"""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from socialvalue.accounts.models import (
    Invitation,
    Organisation,
    SecurityEvent,
    ServiceArea,
    User,
)
from socialvalue.accounts.rules import (
    has_active_users,
    invitable_roles,
    may_manage_team,
    member_role_for,
)
from socialvalue.accounts.security import security_event_record
from socialvalue.accounts.services import SERVICE_AREA_OTHER_ORGANISATION, user_create
from socialvalue.core.admin_site import is_platform_admin
from socialvalue.core.history import set_history_user

logger = logging.getLogger(__name__)

Kind = SecurityEvent.Kind

INVITE_NOT_ALLOWED = "You cannot invite people to this organisation."
INVITE_EMAIL_REQUIRED = "Enter the email address of the person to invite"
INVITE_EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"
EMAIL_ALREADY_REGISTERED = (
    "This email address already has an account, so it cannot be invited. The person can sign "
    "in with it; if they have forgotten their password, they can reset it."
)
ALREADY_INVITED = (
    "This email address already has an invitation to {organisation}. Resend it from the team "
    "page instead."
)
ROLE_NOT_INVITABLE = "Choose one of the roles offered"
SERVICE_AREA_BUYERS_ONLY = "Only people in a buying organisation have a service area."
FIRST_USER_ONLY = "{organisation} already has active users: its own people invite their colleagues."
INVITATION_CLOSED = "This invitation has already been accepted or revoked."
INVITATION_UNUSABLE = "This invitation can no longer be used."
FULL_NAME_REQUIRED = "Enter your full name"


def invitation_valid_days() -> int:
    return int(getattr(settings, "INVITATION_VALID_DAYS", 7))


def _clean_email(email: str) -> str:
    email = User.objects.normalize_email((email or "").strip()).lower()
    if not email:
        raise ValidationError({"email": INVITE_EMAIL_REQUIRED})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": INVITE_EMAIL_INVALID}) from None
    return email


def _email_registered(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def _as_first_user(by: Any, organisation: Organisation) -> bool:
    """Whether ``by`` invites as a platform administrator (the organisation's first user)
    rather than as one of its own people; ``PermissionDenied`` if neither."""
    if may_manage_team(by, organisation):
        return False
    if is_platform_admin(by):
        if has_active_users(organisation):
            raise ValidationError(FIRST_USER_ONLY.format(organisation=organisation.name))
        return True
    raise PermissionDenied(INVITE_NOT_ALLOWED)


def _check_role(organisation: Organisation, role: str, service_area: ServiceArea | None) -> str:
    role = role or member_role_for(organisation) or ""
    if role not in invitable_roles(organisation):
        raise ValidationError({"role": ROLE_NOT_INVITABLE})
    if service_area is not None:
        if not organisation.is_buyer:
            raise ValidationError({"service_area": SERVICE_AREA_BUYERS_ONLY})
        if service_area.directorate.organisation_id != organisation.pk:
            raise ValidationError({"service_area": SERVICE_AREA_OTHER_ORGANISATION})
    return role


def _new_secret(invitation: Invitation) -> str:
    raw = Invitation.generate()
    invitation.token_hash = Invitation.hash(raw)
    now = timezone.now()
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=invitation_valid_days())
    return raw


def invitation_url(raw: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[raw])


def _send(invitation: Invitation, raw: str) -> None:
    """Email the link once the invitation is saved for good; a failure is logged and the
    invitation stands (it can be resent)."""
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation.name,
        "inviter": invitation.invited_by.full_name if invitation.invited_by else "",
        "role": invitation.get_role_display(),
        "url": invitation_url(raw),
        "valid_days": invitation_valid_days(),
        "service_name": settings.SERVICE_NAME,
        "service_owner": settings.SERVICE_OWNER,
    }
    subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
    body = render_to_string("accounts/email/invitation.txt", context)

    def send() -> None:
        try:
            send_mail(subject, body, None, [invitation.email])
        except Exception:
            logger.exception("Could not email invitation %s", invitation.pk)

    transaction.on_commit(send)


def _record(kind: str, invitation: Invitation, by: Any, **detail: Any) -> None:
    security_event_record(
        kind,
        actor=by,
        organisation=invitation.organisation,
        detail={"email": invitation.email, "role": invitation.role, **detail},
    )


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str = "",
    service_area: ServiceArea | None = None,
    by: Any,
) -> tuple[Invitation, str]:
    """Invite ``email`` to join ``organisation``; return the invitation and the link's secret.

    The role of a supplier's or partner's user follows from the organisation, so ``role``
    may be left empty for them.
    """
    first_user = _as_first_user(by, organisation)
    email = _clean_email(email)
    role = _check_role(organisation, role, service_area)
    if _email_registered(email):
        raise ValidationError({"email": EMAIL_ALREADY_REGISTERED})
    if Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).exists():
        raise ValidationError({"email": ALREADY_INVITED.format(organisation=organisation.name)})
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        service_area=service_area if organisation.is_buyer else None,
        invited_by=by,
        first_user=first_user,
    )
    raw = _new_secret(invitation)
    invitation.full_clean()
    set_history_user(invitation, by)
    invitation.save()
    _send(invitation, raw)
    _record(Kind.INVITATION_SENT, invitation, by)
    return invitation, raw


def _check_may_handle(by: Any, invitation: Invitation) -> None:
    """Resend or revoke: the organisation's people who invite, or a platform administrator
    for the first user's invitation."""
    organisation = invitation.organisation
    if may_manage_team(by, organisation):
        return
    if invitation.first_user and is_platform_admin(by):
        return
    raise PermissionDenied(INVITE_NOT_ALLOWED)


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: Any) -> tuple[Invitation, str]:
    """Send the invitation again with a new link and a new expiry; the old link stops
    working."""
    _check_may_handle(by, invitation)
    invitation = _locked(invitation)
    if not invitation.is_open:
        raise ValidationError(INVITATION_CLOSED)
    if invitation.first_user and has_active_users(invitation.organisation):
        raise ValidationError(FIRST_USER_ONLY.format(organisation=invitation.organisation.name))
    if _email_registered(invitation.email):
        raise ValidationError(EMAIL_ALREADY_REGISTERED)
    raw = _new_secret(invitation)
    set_history_user(invitation, by)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    _send(invitation, raw)
    _record(Kind.INVITATION_SENT, invitation, by, resent=True)
    return invitation, raw


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Any) -> Invitation:
    """Withdraw an invitation: its link stops working. Revoking twice changes nothing."""
    _check_may_handle(by, invitation)
    invitation = _locked(invitation)
    if invitation.accepted_at is not None:
        raise ValidationError(INVITATION_CLOSED)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = by
        set_history_user(invitation, by)
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        _record(Kind.INVITATION_REVOKED, invitation, by)
    return invitation


# --- Accepting ----------------------------------------------------------------------------------


def invitation_for_secret(raw: str) -> Invitation | None:
    """The invitation a link's secret belongs to, whatever its state; None if unknown."""
    if not raw or len(raw) > 100:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by", "service_area")
        .filter(token_hash=Invitation.hash(raw))
        .first()
    )


def invitation_still_authorised(invitation: Invitation) -> bool:
    """Whether whoever sent the invitation may still let this person in: a first user's
    invitation works only while the organisation has no active users, and a colleague's
    only while the colleague may still invite (a leaver's invitations die with their
    access)."""
    inviter = invitation.invited_by
    if inviter is None:
        return False
    organisation = invitation.organisation
    if invitation.first_user:
        return is_platform_admin(inviter) and not has_active_users(organisation)
    return may_manage_team(inviter, organisation)


def invitation_usable(invitation: Invitation) -> bool:
    return (
        invitation.status == Invitation.Status.PENDING
        and invitation_still_authorised(invitation)
        and not _email_registered(invitation.email)
    )


def check_new_password(password: str, *, email: str, full_name: str) -> None:
    """Django's password validators, with the person's name and email to compare against."""
    password_validation.validate_password(password, User(email=email, full_name=full_name))


@transaction.atomic
def invitation_accept(*, invitation: Invitation, full_name: str, password: str) -> User:
    """Create the invitee's account from the invitation and close it.

    Everything is checked again under a lock: the link must still be pending and its sender
    still allowed to invite, and the email address must still be free.
    """
    invitation = _locked(invitation)
    if invitation.status != Invitation.Status.PENDING or not invitation_still_authorised(
        invitation
    ):
        raise ValidationError(INVITATION_UNUSABLE)
    if _email_registered(invitation.email):
        raise ValidationError(EMAIL_ALREADY_REGISTERED)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": FULL_NAME_REQUIRED})
    try:
        check_new_password(password, email=invitation.email, full_name=full_name)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user = user_create(
        email=invitation.email,
        full_name=full_name,
        organisation=invitation.organisation,
        role=invitation.role,
        service_area=invitation.service_area,
        password=password,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    set_history_user(invitation, user)
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    security_event_record(
        Kind.INVITATION_ACCEPTED,
        actor=user,
        subject=user,
        detail={"role": user.role, "invited_by": invitation.invited_by_id},
    )
    return user
