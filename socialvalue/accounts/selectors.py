"""Reads for users, their organisation, invitations, API tokens and the security log.

Everything about an organisation is fetched through the caller's own organisation, in the
query, so someone from another organisation gets 404 and never learns a record exists.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from socialvalue.accounts.models import (
    ApiToken,
    Directorate,
    Invitation,
    Organisation,
    SecurityEvent,
    ServiceArea,
    User,
)
from socialvalue.core.access import require_signed_in


def api_tokens_for_user(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (active and revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def get_api_token_for_user(user: User, pk: int) -> ApiToken:
    """One of the user's own tokens; anyone else's gives 404."""
    require_signed_in(user)
    return get_object_or_404(api_tokens_for_user(user), pk=pk)


def organisation_of(user: Any) -> Organisation:
    """The signed-in user's organisation; 404 for someone who belongs to none (a platform
    administrator works in the admin instead)."""
    require_signed_in(user)
    if user.organisation_id is None:
        raise Http404("You do not belong to an organisation.")
    return Organisation.objects.get(pk=user.organisation_id)


def team_members(organisation: Organisation) -> QuerySet[User]:
    """The organisation's people, active ones first, then by name."""
    return (
        User.objects.filter(organisation=organisation)
        .select_related("service_area__directorate")
        .order_by("-is_active", "full_name", "email")
    )


def get_team_member_for_user(user: Any, pk: int) -> User:
    """A person in the caller's own organisation; anyone else gives 404."""
    organisation = organisation_of(user)
    return get_object_or_404(team_members(organisation), pk=pk)


def open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations neither accepted nor revoked (expired ones too: they can be resent),
    newest first."""
    return (
        Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("invited_by", "service_area")
        .order_by("-sent_at", "-pk")
    )


def get_invitation_for_user(user: Any, pk: int) -> Invitation:
    """An invitation to the caller's own organisation; anyone else's gives 404."""
    organisation = organisation_of(user)
    invitations = Invitation.objects.filter(organisation=organisation).select_related(
        "organisation", "invited_by"
    )
    return get_object_or_404(invitations, pk=pk)


def directorates_of(organisation: Organisation) -> QuerySet[Directorate]:
    return Directorate.objects.filter(organisation=organisation).prefetch_related("service_areas")


def get_directorate_for_user(user: Any, pk: int) -> Directorate:
    organisation = organisation_of(user)
    return get_object_or_404(
        Directorate.objects.filter(organisation=organisation).select_related("organisation"),
        pk=pk,
    )


def get_service_area_for_user(user: Any, pk: int) -> ServiceArea:
    organisation = organisation_of(user)
    return get_object_or_404(
        ServiceArea.objects.filter(directorate__organisation=organisation).select_related(
            "directorate__organisation"
        ),
        pk=pk,
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def security_events_for_organisation(
    organisation: Organisation,
    *,
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[SecurityEvent]:
    """The organisation's security log, newest first, filtered by kind and by day (both
    days included, in the service's time zone)."""
    events = SecurityEvent.objects.filter(organisation=organisation).select_related(
        "actor", "subject"
    )
    if kind:
        events = events.filter(kind=kind)
    if since is not None:
        events = events.filter(at__gte=_start_of(since))
    if until is not None:
        events = events.filter(at__lt=_start_of(until + timedelta(days=1)))
    return events.order_by("-at", "-pk")
