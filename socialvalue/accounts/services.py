"""Writes for organisations, users and API tokens.

Every function here is keyword-only, runs in a transaction and calls ``full_clean()`` before
saving, so the admin, the pages, the CLI and the demo data all obey the same rules.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from socialvalue.accounts.models import (
    ApiToken,
    Directorate,
    Organisation,
    ServiceArea,
    User,
)

ORGANISATION_NAME_REQUIRED = "Enter the organisation's name."
ORGANISATION_NAME_TAKEN = "An organisation with this name already exists."
ORGANISATION_KIND_INVALID = "Choose whether the organisation is a buyer, a supplier or a partner."
DIRECTORATE_NOT_BUYER = "Only buying organisations have directorates."
EMAIL_TAKEN = "A user with this email address already exists."
ROLE_REQUIRED = "Choose the user's role."
ORGANISATION_REQUIRED = "Choose the organisation the user belongs to."
ROLE_NEEDS_BUYER = (
    "Social value leads, officers and evaluators must belong to a buying organisation."
)
ROLE_NEEDS_SUPPLIER = "Supplier users must belong to a supplier organisation."
ROLE_NEEDS_PARTNER = "Partner organisation users must belong to a partner organisation."
SERVICE_AREA_OTHER_ORGANISATION = "The service area must belong to the user's organisation."
TOKEN_NAME_REQUIRED = "Enter a name for the token"
TOKEN_NAME_TOO_LONG = "The token name must be 100 characters or fewer."
TOKEN_USER_INACTIVE = "API tokens can only be created for active users."
TOKEN_REVOKE_NOT_ALLOWED = "You can only revoke your own API tokens."

BUYER_ROLES = frozenset({User.Role.LEAD, User.Role.OFFICER, User.Role.EVALUATOR})
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


@transaction.atomic
def directorate_create(*, organisation: Organisation, name: str) -> Directorate:
    """Add a directorate to a buying organisation."""
    if not organisation.is_buyer:
        raise ValidationError({"organisation": DIRECTORATE_NOT_BUYER})
    directorate = Directorate(organisation=organisation, name=name.strip())
    directorate.full_clean()
    directorate.save()
    return directorate


@transaction.atomic
def service_area_create(*, directorate: Directorate, name: str) -> ServiceArea:
    """Add a service area to a directorate."""
    service_area = ServiceArea(directorate=directorate, name=name.strip())
    service_area.full_clean()
    service_area.save()
    return service_area


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


def user_staff_flag(user: User) -> bool:
    """Whether ``user`` needs ``is_staff``.

    Django's admin sign-in form turns away anyone without ``is_staff``, even when the admin
    site itself would let them in. The social value lead runs the admin, so a lead is staff;
    so is a superuser. Nobody else is.
    """
    return bool(user.is_superuser or user.role == User.Role.LEAD)


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
    "Forgot your password?". Leads get ``is_staff`` so that they can use the admin sign-in.
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

    ``is_staff`` follows the role: it is set for a lead and cleared for anyone else who is
    not a superuser.
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
    return token, raw


def _may_revoke(token: ApiToken, by: Any) -> bool:
    if not getattr(by, "is_authenticated", False) or not by.is_active:
        return False
    return bool(token.user_id == by.pk or by.is_superuser or getattr(by, "is_lead", False))


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke ``token`` so that it no longer works. Revoking twice changes nothing.

    People revoke their own tokens; the social value lead and superusers may revoke any.
    """
    if not _may_revoke(token, by):
        raise PermissionDenied(TOKEN_REVOKE_NOT_ALLOWED)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.full_clean()
        token.save(update_fields=["revoked_at"])
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
