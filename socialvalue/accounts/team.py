"""Writes for an organisation's people: roles, deactivating and reactivating, and platform
administration.

Who may do what is in ``rules.py``. Each service checks it against ``by`` (who asks), keeps
the user's history with ``by`` as its author and records a security event. The admin calls
the same services for the changes it offers.
"""

from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from socialvalue.accounts.models import ApiToken, SecurityEvent, ServiceArea, User
from socialvalue.accounts.rules import BUYER_INVITABLE_ROLES, may_change_roles, may_manage_team
from socialvalue.accounts.security import security_event_record
from socialvalue.accounts.services import (
    PLATFORM_ADMIN_CODENAME,
    holds_platform_admin_permission,
    user_role_errors,
    user_staff_flag,
)
from socialvalue.core.admin_site import is_platform_admin
from socialvalue.core.history import set_history_user

Kind = SecurityEvent.Kind

NOT_YOUR_TEAM = "You cannot change this person's account."
NOT_YOURSELF = "You cannot deactivate your own account. Ask a colleague who manages the team."
LAST_LEAD = (
    "{organisation} must keep at least one active social value lead. Invite or appoint "
    "another lead first."
)
ROLE_NOT_FOR_BUYER = "Choose lead, officer, evaluator or Cabinet member."
ALREADY_ACTIVE = "This account is already active."
ALREADY_INACTIVE = "This account is already deactivated."
PLATFORM_ADMIN_ONLY_SUPERUSERS = "Only superusers can grant or remove platform administration."
PLATFORM_ADMIN_NOT_FOR_SUPPLIERS = (
    "Platform administrators cannot belong to a supplier or partner organisation."
)


def _locked(user: User) -> User:
    return (
        User.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=user.pk)
    )


def _as(user: User, by: Any) -> None:
    """Make ``by`` the author of the history row the next save writes."""
    set_history_user(user, by)


def _check_manages(by: Any, user: User, *, roles: bool = False) -> None:
    """``by`` may manage ``user``, or ``PermissionDenied``.

    - Nobody outside a supplier or partner organisation manages its users.
    - A platform administrator's account is managed only by a superuser (or themselves).
    - Otherwise an outsider must be a platform administrator (the admin's changes), and an
      insider the right person in the organisation (``rules.py``).
    """
    organisation = user.organisation
    outsider = organisation is None or getattr(by, "organisation_id", None) != organisation.pk
    if organisation is not None and organisation.manages_own_users and outsider:
        raise PermissionDenied(NOT_YOUR_TEAM)
    target_is_admin = user.is_superuser or holds_platform_admin_permission(user)
    if target_is_admin and getattr(by, "pk", None) != user.pk and not _superuser(by):
        raise PermissionDenied(NOT_YOUR_TEAM)
    if outsider or organisation is None:
        if is_platform_admin(by):
            return
        raise PermissionDenied(NOT_YOUR_TEAM)
    allowed = may_change_roles(by, organisation) if roles else may_manage_team(by, organisation)
    if not allowed:
        raise PermissionDenied(NOT_YOUR_TEAM)


def _superuser(by: Any) -> bool:
    return bool(getattr(by, "is_authenticated", False) and by.is_active and by.is_superuser)


def _other_active_leads(user: User) -> bool:
    return (
        User.objects.filter(organisation=user.organisation_id, role=User.Role.LEAD, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    )


def _bound_by_last_lead_rule(by: Any, user: User) -> bool:
    """The organisation's own people may never leave it without an active lead. A platform
    administrator may (to shut out a compromised lead at once, say), and then appoints one."""
    return not (is_platform_admin(by) and by.organisation_id != user.organisation_id)


def _check_keeps_a_lead(by: Any, user: User) -> None:
    organisation = user.organisation
    if (
        organisation is not None
        and organisation.is_buyer
        and user.role == User.Role.LEAD
        and user.is_active
        and _bound_by_last_lead_rule(by, user)
        and not _other_active_leads(user)
    ):
        raise ValidationError(LAST_LEAD.format(organisation=organisation.name))


@transaction.atomic
def user_role_change(*, user: User, role: str, service_area: ServiceArea | None, by: Any) -> User:
    """Give a colleague in a buying organisation another role or service area.

    The organisation's lead does this (a platform administrator too, from the admin). A lead
    may step down only while another active lead remains.
    """
    user = _locked(user)
    _check_manages(by, user, roles=True)
    if role not in BUYER_INVITABLE_ROLES:
        raise ValidationError({"role": ROLE_NOT_FOR_BUYER})
    errors = user_role_errors(role=role, organisation=user.organisation, service_area=service_area)
    if errors:
        raise ValidationError(errors)
    if user.role == User.Role.LEAD and role != User.Role.LEAD:
        _check_keeps_a_lead(by, user)
    old_role = user.role
    user.role = role
    user.service_area = service_area
    user.is_staff = user_staff_flag(user)
    user.full_clean()
    _as(user, by)
    user.save()
    if old_role != role:
        security_event_record(
            Kind.ROLE_CHANGED,
            actor=by,
            subject=user,
            detail={"from": old_role, "to": role},
        )
    return user


def end_access(user: User) -> int:
    """Revoke the user's API tokens and end their sessions; return how many tokens.

    Part of deactivating someone (``user_deactivate``, and the admin's "active" box)."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    return revoked


@transaction.atomic
def user_deactivate(*, user: User, by: Any) -> User:
    """Stop ``user`` signing in: their API tokens are revoked and their sessions end.

    Their records stay, and so does the account, which can be reactivated. Nobody
    deactivates themselves, and a buying organisation keeps at least one active lead.
    """
    user = _locked(user)
    _check_manages(by, user)
    if getattr(by, "pk", None) == user.pk:
        raise ValidationError(NOT_YOURSELF)
    if not user.is_active:
        raise ValidationError(ALREADY_INACTIVE)
    _check_keeps_a_lead(by, user)
    user.is_active = False
    _as(user, by)
    user.save()
    tokens = end_access(user)
    security_event_record(
        Kind.USER_DEACTIVATED, actor=by, subject=user, detail={"tokens_revoked": tokens}
    )
    return user


@transaction.atomic
def user_reactivate(*, user: User, by: Any) -> User:
    """Let a deactivated user sign in again. Their old tokens stay revoked and their old
    sessions stay ended."""
    user = _locked(user)
    _check_manages(by, user)
    if user.is_active:
        raise ValidationError(ALREADY_ACTIVE)
    user.is_active = True
    _as(user, by)
    user.save()
    security_event_record(Kind.USER_REACTIVATED, actor=by, subject=user)
    return user


def _platform_admin_permission() -> Permission:
    return Permission.objects.get(
        codename=PLATFORM_ADMIN_CODENAME, content_type__app_label="accounts"
    )


@transaction.atomic
def platform_admin_set(*, user: User, granted: bool, by: Any) -> bool:
    """Grant or remove the platform administration permission; return whether it changed.

    Only a superuser does this. People of supplier and partner organisations cannot be
    platform administrators: the admin would show them their competitors' offers.
    """
    if not _superuser(by):
        raise PermissionDenied(PLATFORM_ADMIN_ONLY_SUPERUSERS)
    user = _locked(user)
    if granted and user.organisation is not None and user.organisation.manages_own_users:
        raise ValidationError(PLATFORM_ADMIN_NOT_FOR_SUPPLIERS)
    if holds_platform_admin_permission(user) == granted:
        return False
    permission = _platform_admin_permission()
    if granted:
        user.user_permissions.add(permission)
    else:
        user.user_permissions.remove(permission)
    user.is_staff = user_staff_flag(user)
    _as(user, by)
    user.save(update_fields=["is_staff"])
    kind = Kind.PLATFORM_ADMIN_GRANTED if granted else Kind.PLATFORM_ADMIN_REMOVED
    security_event_record(kind, actor=by, subject=user, detail={"as": "permission"})
    return True


def superuser_change_record(*, user: User, became: bool, by: Any) -> None:
    """Record that ``user`` became, or stopped being, a superuser (the admin's checkbox,
    which only superusers see): superusers are platform administrators too."""
    kind = Kind.PLATFORM_ADMIN_GRANTED if became else Kind.PLATFORM_ADMIN_REMOVED
    security_event_record(kind, actor=by, subject=user, detail={"as": "superuser"})
