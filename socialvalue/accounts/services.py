"""Writes for organisations, their structure, users and API tokens.

Every function here is keyword-only, runs in a transaction and calls ``full_clean()`` before
saving, so the admin, the pages, the CLI and the demo data all obey the same rules. Managing
an organisation's people is in ``team.py``; invitations are in ``invitations.py``.
"""

from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from socialvalue.accounts.models import (
    ApiToken,
    Directorate,
    Organisation,
    SecurityEvent,
    ServiceArea,
    User,
)
from socialvalue.accounts.rules import may_edit_organisation, may_manage_structure
from socialvalue.accounts.security import security_event_record
from socialvalue.core.admin_site import is_platform_admin
from socialvalue.core.history import set_history_user

ORGANISATION_NAME_REQUIRED = "Enter the organisation's name."
ORGANISATION_NAME_TAKEN = "An organisation with this name already exists."
ORGANISATION_KIND_INVALID = "Choose whether the organisation is a buyer, a supplier or a partner."
DIRECTORATE_NOT_BUYER = "Only buying organisations have directorates."
DIRECTORATE_NAME_REQUIRED = "Enter the directorate's name."
DIRECTORATE_NAME_TAKEN = "The organisation already has a directorate with this name."
SERVICE_AREA_NAME_REQUIRED = "Enter the service area's name."
SERVICE_AREA_NAME_TAKEN = "The directorate already has a service area with this name."
IN_USE = (
    "“{name}” cannot be removed because it is still in use ({uses}). Rename it instead, or "
    "move those records elsewhere first."
)
ORGANISATION_NOT_YOURS = "Only your organisation's own people can change its details."
STRUCTURE_NOT_YOURS = (
    "Only your organisation's social value lead can change its directorates and service areas."
)
EMAIL_TAKEN = "A user with this email address already exists."
ROLE_REQUIRED = "Choose the user's role."
ORGANISATION_REQUIRED = "Choose the organisation the user belongs to."
ROLE_NEEDS_BUYER = (
    "Social value leads, officers, evaluators and Cabinet members must belong to a buying "
    "organisation."
)
ROLE_NEEDS_SUPPLIER = "Supplier users must belong to a supplier organisation."
ROLE_NEEDS_PARTNER = "Partner organisation users must belong to a partner organisation."
SERVICE_AREA_OTHER_ORGANISATION = "The service area must belong to the user's organisation."
TOKEN_NAME_REQUIRED = "Enter a name for the token"
TOKEN_NAME_TOO_LONG = "The token name must be 100 characters or fewer."
TOKEN_USER_INACTIVE = "API tokens can only be created for active users."
TOKEN_REVOKE_NOT_ALLOWED = "You can only revoke your own API tokens."

BUYER_ROLES = frozenset({User.Role.LEAD, User.Role.OFFICER, User.Role.EVALUATOR, User.Role.CABINET})
SUPPLIER_ROLES = frozenset({User.Role.SUPPLIER})
PARTNER_ROLES = frozenset({User.Role.PARTNER})
TOKEN_NAME_MAX_LENGTH = 100
TOKEN_PREFIX_LENGTH = 11  # "sv_" and 8 characters of the secret: enough to tell tokens apart


def _unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    size: str = "",
    is_vcse: bool = False,
    postcode: str = "",
    website: str = "",
    companies_house_number: str = "",
) -> Organisation:
    """Create an organisation: a buyer (with directorates), a supplier or a partner."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": ORGANISATION_NAME_REQUIRED})
    if kind not in Organisation.Kind.values:
        raise ValidationError({"kind": ORGANISATION_KIND_INVALID})
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": ORGANISATION_NAME_TAKEN})
    organisation = Organisation(
        name=name,
        slug=_unique_slug(name),
        kind=kind,
        size=size,
        is_vcse=is_vcse,
        postcode=postcode.strip().upper(),
        website=website.strip(),
        companies_house_number=companies_house_number.strip().upper(),
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def _check_may_edit(by: User | None, organisation: Organisation) -> None:
    if by is not None and not may_edit_organisation(by, organisation):
        raise PermissionDenied(ORGANISATION_NOT_YOURS)


def _check_may_manage_structure(by: User | None, organisation: Organisation) -> None:
    if by is not None and not may_manage_structure(by, organisation):
        raise PermissionDenied(STRUCTURE_NOT_YOURS)


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    by: User | None = None,
    size: str,
    is_vcse: bool,
    postcode: str,
    website: str,
    companies_house_number: str,
) -> Organisation:
    """Change an organisation's details; its name and kind stay as they are.

    ``by`` is who asks (their organisation's lead for a buyer, any of its users for a
    supplier or partner); None for trusted callers such as the admin.
    """
    _check_may_edit(by, organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.size = size
    organisation.is_vcse = is_vcse
    organisation.postcode = postcode.strip().upper()
    organisation.website = website.strip()
    organisation.companies_house_number = companies_house_number.strip().upper()
    organisation.full_clean()
    set_history_user(organisation, by)
    organisation.save()
    return organisation


def _name(name: str, required: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": required})
    return name


def _uses(instance: Directorate | ServiceArea) -> list[str]:
    """What still refers to ``instance``, as "3 contracts", "1 user"…, for the message that
    refuses to remove it. History rows and invitations do not count (they keep no link)."""
    from simple_history.models import HistoricalChanges

    from socialvalue.accounts.models import Invitation

    uses = []
    for relation in instance._meta.related_objects:
        model = relation.related_model
        if not isinstance(model, type) or issubclass(model, HistoricalChanges | Invitation):
            continue
        count = model._default_manager.filter(**{relation.field.name: instance}).count()
        if count:
            noun = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            uses.append(f"{count} {noun}")
    return uses


@transaction.atomic
def directorate_create(
    *, organisation: Organisation, name: str, by: User | None = None
) -> Directorate:
    """Add a directorate to a buying organisation."""
    _check_may_manage_structure(by, organisation)
    if not organisation.is_buyer:
        raise ValidationError({"organisation": DIRECTORATE_NOT_BUYER})
    name = _name(name, DIRECTORATE_NAME_REQUIRED)
    if organisation.directorates.filter(name__iexact=name).exists():
        raise ValidationError({"name": DIRECTORATE_NAME_TAKEN})
    directorate = Directorate(organisation=organisation, name=name)
    directorate.full_clean()
    directorate.save()
    return directorate


@transaction.atomic
def directorate_rename(
    *, directorate: Directorate, name: str, by: User | None = None
) -> Directorate:
    """Rename a directorate; its service areas and records stay with it."""
    _check_may_manage_structure(by, directorate.organisation)
    name = _name(name, DIRECTORATE_NAME_REQUIRED)
    others = Directorate.objects.filter(organisation=directorate.organisation_id)
    if others.exclude(pk=directorate.pk).filter(name__iexact=name).exists():
        raise ValidationError({"name": DIRECTORATE_NAME_TAKEN})
    directorate.name = name
    directorate.full_clean()
    directorate.save(update_fields=["name"])
    return directorate


@transaction.atomic
def directorate_remove(*, directorate: Directorate, by: User | None = None) -> None:
    """Remove a directorate nothing uses: no service areas, tenders, contracts…"""
    _check_may_manage_structure(by, directorate.organisation)
    uses = _uses(directorate)
    if uses:
        raise ValidationError(IN_USE.format(name=directorate.name, uses=", ".join(uses)))
    directorate.delete()


@transaction.atomic
def service_area_create(
    *, directorate: Directorate, name: str, by: User | None = None
) -> ServiceArea:
    """Add a service area to a directorate."""
    _check_may_manage_structure(by, directorate.organisation)
    name = _name(name, SERVICE_AREA_NAME_REQUIRED)
    if directorate.service_areas.filter(name__iexact=name).exists():
        raise ValidationError({"name": SERVICE_AREA_NAME_TAKEN})
    service_area = ServiceArea(directorate=directorate, name=name)
    service_area.full_clean()
    service_area.save()
    return service_area


@transaction.atomic
def service_area_rename(
    *, service_area: ServiceArea, name: str, by: User | None = None
) -> ServiceArea:
    """Rename a service area; its people and records stay with it."""
    _check_may_manage_structure(by, service_area.directorate.organisation)
    name = _name(name, SERVICE_AREA_NAME_REQUIRED)
    others = ServiceArea.objects.filter(directorate=service_area.directorate_id)
    if others.exclude(pk=service_area.pk).filter(name__iexact=name).exists():
        raise ValidationError({"name": SERVICE_AREA_NAME_TAKEN})
    service_area.name = name
    service_area.full_clean()
    service_area.save(update_fields=["name"])
    return service_area


@transaction.atomic
def service_area_remove(*, service_area: ServiceArea, by: User | None = None) -> None:
    """Remove a service area nothing uses: no users, tenders, contracts…"""
    _check_may_manage_structure(by, service_area.directorate.organisation)
    uses = _uses(service_area)
    if uses:
        raise ValidationError(IN_USE.format(name=service_area.name, uses=", ".join(uses)))
    service_area.delete()


def user_role_errors(
    *,
    role: str,
    organisation: Organisation | None,
    service_area: ServiceArea | None,
) -> dict[str, str]:
    """The reasons a role, organisation and service area do not fit together, by field.

    Leads, officers and evaluators work for a buying organisation; supplier users for a
    supplier. A service area, when given, must be one of the organisation's own.
    """
    errors: dict[str, str] = {}
    if not role:
        errors["role"] = ROLE_REQUIRED
    if organisation is None:
        errors["organisation"] = ORGANISATION_REQUIRED
        return errors
    if role in BUYER_ROLES and not organisation.is_buyer:
        errors["role"] = ROLE_NEEDS_BUYER
    elif role in SUPPLIER_ROLES and not organisation.is_supplier:
        errors["role"] = ROLE_NEEDS_SUPPLIER
    elif role in PARTNER_ROLES and organisation.kind != Organisation.Kind.PARTNER:
        errors["role"] = ROLE_NEEDS_PARTNER
    if service_area is not None and service_area.directorate.organisation_id != organisation.pk:
        errors["service_area"] = SERVICE_AREA_OTHER_ORGANISATION
    return errors


PLATFORM_ADMIN_CODENAME = "administer_platform"


def holds_platform_admin_permission(user: User) -> bool:
    """Whether ``user`` holds the platform administration permission, directly or through a
    group, as stored now (``has_perm`` would answer from a cache)."""
    if user.pk is None:
        return False
    return Permission.objects.filter(
        Q(user=user) | Q(group__user=user),
        codename=PLATFORM_ADMIN_CODENAME,
        content_type__app_label="accounts",
    ).exists()


def user_staff_flag(user: User) -> bool:
    """Whether ``user`` needs ``is_staff``.

    Django's admin sign-in form turns away anyone without ``is_staff``, even when the admin
    site itself would let them in. Platform administrators (superusers and holders of the
    permission) run the admin, so they are staff; nobody else is, whatever their role.
    """
    return bool(user.is_superuser or holds_platform_admin_permission(user))


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    organisation: Organisation,
    role: str,
    password: str | None = None,
    service_area: ServiceArea | None = None,
    job_title: str = "",
) -> User:
    """Create a person who signs in, holding one role in one organisation.

    Without a password the account gets an unusable one: the person sets theirs through
    "Forgot your password?". Nobody gets ``is_staff`` for a role (see ``user_staff_flag``).
    """
    email = User.objects.normalize_email(email.strip()).lower()
    errors = user_role_errors(role=role, organisation=organisation, service_area=service_area)
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = EMAIL_TAKEN
    if errors:
        raise ValidationError(errors)
    user = User(
        email=email,
        full_name=full_name.strip(),
        job_title=job_title.strip(),
        organisation=organisation,
        service_area=service_area,
        role=role,
    )
    user.is_staff = user_staff_flag(user)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_role_set(
    *,
    user: User,
    role: str,
    organisation: Organisation | None = None,
    service_area: ServiceArea | None = None,
) -> User:
    """Give ``user`` a new role (and, optionally, a new organisation and service area).

    ``is_staff`` is recomputed: it follows platform administration, never the role.
    Recording the change in the security log is the caller's job (``team.user_role_change``
    does it for the team page, the admin for its form).
    """
    organisation = organisation or user.organisation
    errors = user_role_errors(role=role, organisation=organisation, service_area=service_area)
    if errors:
        raise ValidationError(errors)
    user.role = role
    user.organisation = organisation
    user.service_area = service_area
    user.is_staff = user_staff_flag(user)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token for ``user``; return it with the raw secret.

    The raw secret is returned once and never stored: the database keeps its SHA-256 hash
    and a short prefix so that people can tell their tokens apart.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": TOKEN_NAME_REQUIRED})
    if len(name) > TOKEN_NAME_MAX_LENGTH:
        raise ValidationError({"name": TOKEN_NAME_TOO_LONG})
    if not user.is_active:
        raise ValidationError({"user": TOKEN_USER_INACTIVE})
    raw = ApiToken.generate()
    token = ApiToken(
        user=user,
        name=name,
        key_prefix=raw[:TOKEN_PREFIX_LENGTH],
        key_hash=ApiToken.hash(raw),
    )
    token.full_clean()
    token.save()
    security_event_record(
        SecurityEvent.Kind.API_TOKEN_CREATED, subject=user, detail=_token_detail(token)
    )
    return token, raw


def _token_detail(token: ApiToken) -> dict[str, str]:
    return {"token": token.name, "starts_with": f"{token.key_prefix}…"}


def _may_revoke(token: ApiToken, by: Any) -> bool:
    if not getattr(by, "is_authenticated", False) or not by.is_active:
        return False
    return bool(token.user_id == by.pk or is_platform_admin(by))


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke ``token`` so that it no longer works. Revoking twice changes nothing.

    People revoke their own tokens; platform administrators may revoke anyone's (from the
    admin). Deactivating someone revokes all of theirs (``team.user_deactivate``).
    """
    if not _may_revoke(token, by):
        raise PermissionDenied(TOKEN_REVOKE_NOT_ALLOWED)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.full_clean()
        token.save(update_fields=["revoked_at"])
        security_event_record(
            SecurityEvent.Kind.API_TOKEN_REVOKED,
            actor=by,
            subject=token.user,
            detail=_token_detail(token),
        )
    return token


@transaction.atomic
def user_sessions_end(*, user: User) -> None:
    """End every session ``user`` is signed in with, on every device.

    Raising the session generation changes the user's session hash, so each session
    fails its check at its next request, whatever backend stores it. API tokens are
    separate credentials: they stay until revoked.
    """
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
