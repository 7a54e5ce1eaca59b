"""Organisations, their structure, and the people who use the platform.

Implements the roles of the Social Value Strategy's governance section: the corporate
policy & strategy team (social value lead), procurement / commissioning / contract
management officers and evaluators in directorates and service areas, the Cabinet members
and senior managers who read the figures, and supplier staff.

People join an organisation by invitation from inside it (``Invitation``); what happens to
accounts is kept in an append-only security log (``SecurityEvent``). Platform
administrators, who run the Django admin, hold the ``administer_platform`` permission (or
are superusers); no role in an organisation makes anyone one.
"""

import hashlib
import secrets
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords

from socialvalue.core.models import TimeStampedModel


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        BUYER = "buyer", "Buying organisation"
        SUPPLIER = "supplier", "Supplier"
        PARTNER = "partner", "Partner organisation"

    class Size(models.TextChoices):
        MICRO = "micro", "Micro (fewer than 10 staff)"
        SMALL = "small", "Small (10–49 staff)"
        MEDIUM = "medium", "Medium (50–249 staff)"
        LARGE = "large", "Large (250 or more staff)"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    size = models.CharField(max_length=20, choices=Size.choices, blank=True)
    is_vcse = models.BooleanField("voluntary, community or social enterprise", default=False)
    postcode = models.CharField(max_length=10, blank=True)
    website = models.URLField(blank=True)
    companies_house_number = models.CharField(max_length=8, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_buyer(self) -> bool:
        return self.kind == self.Kind.BUYER

    @property
    def is_supplier(self) -> bool:
        return self.kind == self.Kind.SUPPLIER

    @property
    def is_partner(self) -> bool:
        return self.kind == self.Kind.PARTNER

    @property
    def manages_own_users(self) -> bool:
        """Suppliers and partners: only their own people add, change or remove their users
        (by invitation), so nobody outside can make an account that reads their bids."""
        return self.kind in {self.Kind.SUPPLIER, self.Kind.PARTNER}

    @property
    def is_msme(self) -> bool:
        return self.size in {self.Size.MICRO, self.Size.SMALL, self.Size.MEDIUM}

    @property
    def local_district(self) -> str | None:
        """The Lancashire district the organisation's postcode is mainly in, or None when it
        is outside Lancashire or its postcode is missing or not recognised.

        Uses the postcode-district lookup (see ``core.postcodes`` for its limits).
        """
        from socialvalue.core.postcodes import PostcodeError, district_for_postcode

        if not self.postcode:
            return None
        try:
            result = district_for_postcode(self.postcode)
        except PostcodeError:
            return None
        return result.district_name if result.is_local else None


class Directorate(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="directorates"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="uniq_directorate_name")
        ]

    def __str__(self) -> str:
        return self.name


class ServiceArea(models.Model):
    directorate = models.ForeignKey(
        Directorate, on_delete=models.CASCADE, related_name="service_areas"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["directorate__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["directorate", "name"], name="uniq_service_area_name")
        ]

    def __str__(self) -> str:
        return f"{self.directorate.name} — {self.name}"


class SocialValueUserManager(BaseUserManager["User"]):
    """Users sign in with their email address; there is no separate username."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create(email, password, **extra_fields)

    def _create(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user


class User(AbstractUser):
    """A person who signs in. They belong to one organisation and hold one role in it."""

    class Role(models.TextChoices):
        LEAD = "lead", "Social value lead"
        OFFICER = "officer", "Officer"
        EVALUATOR = "evaluator", "Evaluator"
        CABINET = "cabinet", "Cabinet member"
        SUPPLIER = "supplier", "Supplier user"
        PARTNER = "partner", "Partner organisation user"

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.SET_NULL, related_name="users", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    # Raised to end every session the person has open: by "Sign out of every device" and
    # when they are deactivated. It is part of the session hash, so every session signed in
    # before the raise stops being valid at its next request.
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "session_generation"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = SocialValueUserManager()  # type: ignore[misc,assignment]

    class Meta:
        ordering = ["full_name"]
        permissions = [
            ("administer_platform", "Can administer the platform (use the Django admin)"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password, plus the session generation once it has been
        raised: a new password or a raised generation ends every other session."""
        if not self.session_generation:
            # Sessions signed in before the generation existed stay valid.
            return super().get_session_auth_hash()
        return self._generation_hash(secret=None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        if not self.session_generation:
            yield from super().get_session_auth_fallback_hash()
            return
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._generation_hash(secret=secret)

    def _generation_hash(self, *, secret: str | bytes | None) -> str:
        return salted_hmac(
            "socialvalue.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_lead(self) -> bool:
        return self.role == self.Role.LEAD

    @property
    def is_officer(self) -> bool:
        """Council staff: officers, evaluators and the lead all do officer work."""
        return self.role in {self.Role.LEAD, self.Role.OFFICER, self.Role.EVALUATOR}

    @property
    def is_evaluator(self) -> bool:
        return self.role in {self.Role.LEAD, self.Role.EVALUATOR}

    @property
    def is_cabinet(self) -> bool:
        """An elected member or senior manager of a buying organisation: reads the
        organisation's figures and reports and changes nothing (not an officer)."""
        return self.role == self.Role.CABINET

    @property
    def is_supplier_user(self) -> bool:
        return self.role == self.Role.SUPPLIER

    @property
    def is_partner_user(self) -> bool:
        """Staff of a partner organisation (match-making directory), editing its profile."""
        return self.role == self.Role.PARTNER


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 hash of the secret is stored."""

    PREFIX = "sv_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def generate() -> str:
        return ApiToken.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)


class Invitation(models.Model):
    """An invitation to join an organisation: one email, one role, one link.

    Only a SHA-256 hash of the link's secret is stored. The link works once, until it
    expires or is revoked; accepting creates a new account and never changes an existing
    one. Invitations are kept after use, as the record of who let whom in.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField("email address")
    role = models.CharField(max_length=20, choices=User.Role.choices)
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Sent by a platform administrator to an organisation that had no active users: it only
    # works while the organisation still has none.
    first_user = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        EXPIRED = "expired", "Expired"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="uniq_open_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_open(self) -> bool:
        """Neither accepted nor revoked: it can still be resent or revoked."""
        return self.accepted_at is None and self.revoked_at is None

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)


class SecurityEvent(models.Model):
    """One thing that happened to an account: append-only, never changed or deleted.

    ``organisation`` is whose log the event belongs to: the organisation of the person it
    happened to (or, without one, of the person who did it). Details are short and never
    hold a password, a token or a link's secret.
    """

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Account locked out"
        SIGN_OUT = "sign_out", "Signed out"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET = "password_reset", "Password reset"
        API_TOKEN_CREATED = "api_token_created", "API token created"
        API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"
        INVITATION_SENT = "invitation_sent", "Invitation sent"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
        ROLE_CHANGED = "role_changed", "Role changed"
        USER_DEACTIVATED = "user_deactivated", "User deactivated"
        USER_REACTIVATED = "user_reactivated", "User reactivated"
        PLATFORM_ADMIN_GRANTED = "platform_admin_granted", "Platform administration granted"
        PLATFORM_ADMIN_REMOVED = "platform_admin_removed", "Platform administration removed"
        PERSONAL_DATA_EXPORTED = "personal_data_exported", "Personal data downloaded"

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    subject = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="security_events",
        null=True,
        blank=True,
    )
    client_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-at"], name="security_event_org_at"),
            models.Index(fields=["-at"], name="security_event_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise SecurityLogIsAppendOnly("A security event cannot be changed once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise SecurityLogIsAppendOnly("A security event cannot be deleted.")


class SecurityLogIsAppendOnly(Exception):
    """Raised on an attempt to change or delete a recorded security event."""
