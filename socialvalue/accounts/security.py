"""The security log: recording what happens to accounts.

``security_event_record`` writes one row per event, in one insert. It runs inside a savepoint
and never raises: if the log cannot be written, the error goes to the application log and
the action carries on. Nobody is locked out, or kept from signing out, changing a password
or deactivating a colleague, because the log is unavailable; the trade-off is that such an
event is missing from the security log (and is in the application log instead).

Sign-ins, failed sign-ins, lockouts and sign-outs come from Django's and django-axes's
signals (connected in ``AccountsConfig.ready``), so every sign-in route (the sign-in page,
the admin's, a test client's ``login``) is recorded the same way. Everything else is
recorded by the service that does it.
"""

import ipaddress
import logging
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from simple_history.models import HistoricalRecords

from socialvalue.accounts.models import Organisation, SecurityEvent, User

logger = logging.getLogger(__name__)

Kind = SecurityEvent.Kind
DETAIL_TEXT_LIMIT = 200


def current_request() -> HttpRequest | None:
    """The request being served, as simple-history's middleware keeps it for the
    ``history_user`` of every change; None outside a request (the CLI, the demo)."""
    return getattr(HistoricalRecords.context, "request", None)


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address, worked out as django-axes does for lockouts (so that the
    log and the lockouts agree behind a proxy); None when unknown or not an address."""
    if request is None:
        return None
    try:
        from axes.helpers import get_client_ip_address

        address = get_client_ip_address(request)
    except Exception:  # an unusual request object: fall back to the socket's address
        address = getattr(request, "META", {}).get("REMOTE_ADDR")
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(str(address).strip()))
    except ValueError:
        return None


def _short(detail: dict[str, Any] | None) -> dict[str, Any]:
    """Keep details small: texts are cut to ``DETAIL_TEXT_LIMIT`` characters."""
    short: dict[str, Any] = {}
    for key, value in (detail or {}).items():
        if isinstance(value, str) and len(value) > DETAIL_TEXT_LIMIT:
            value = value[:DETAIL_TEXT_LIMIT] + "…"
        short[key] = value
    return short


def _user_or_none(user: Any) -> User | None:
    if isinstance(user, User) and user.pk is not None:
        return user
    return None


def security_event_record(
    kind: str,
    *,
    actor: Any = None,
    subject: Any = None,
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> SecurityEvent | None:
    """Record one security event; return it, or None if it could not be written.

    ``organisation`` defaults to the subject's organisation, else the actor's: the event
    shows in that organisation's log. ``actor`` defaults to whoever is signed in on the
    request being served, and ``request`` to that request, for the client's address.
    """
    request = request or current_request()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    actor_user = _user_or_none(actor)
    subject_user = _user_or_none(subject)
    if organisation is None:
        for person in (subject_user, actor_user):
            if person is not None and person.organisation_id is not None:
                organisation = person.organisation
                break
    try:
        with transaction.atomic():
            return SecurityEvent.objects.create(
                kind=kind,
                actor=actor_user,
                subject=subject_user,
                organisation=organisation,
                client_address=client_address(request),
                detail=_short(detail),
            )
    except Exception:
        logger.exception("Could not record the security event %s", str(kind))
        return None


# --- Signal receivers ------------------------------------------------------------------------


def _user_by_email(email: Any) -> User | None:
    if not isinstance(email, str) or not email.strip():
        return None
    return User.objects.select_related("organisation").filter(email__iexact=email.strip()).first()


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    security_event_record(Kind.SIGN_IN, actor=user, subject=user, request=request)


def on_user_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:  # signing out without having signed in
        return
    security_event_record(Kind.SIGN_OUT, actor=user, subject=user, request=request)


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The address typed is kept only as the account it names: a mistyped address (or a
    # password typed into the wrong box) is not written down.
    email = credentials.get("email") or credentials.get("username")
    subject = _user_by_email(email)
    detail = {} if subject is not None else {"account": "unknown"}
    security_event_record(Kind.SIGN_IN_FAILED, subject=subject, request=request, detail=detail)


def on_user_locked_out(
    sender: Any, request: HttpRequest | None = None, username: Any = None, **kwargs: Any
) -> None:
    subject = _user_by_email(username)
    detail = {} if subject is not None else {"account": "unknown"}
    security_event_record(Kind.LOCKED_OUT, subject=subject, request=request, detail=detail)


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(on_user_logged_in, dispatch_uid="security_log_sign_in")
    user_logged_out.connect(on_user_logged_out, dispatch_uid="security_log_sign_out")
    user_login_failed.connect(on_user_login_failed, dispatch_uid="security_log_sign_in_failed")
    user_locked_out.connect(on_user_locked_out, dispatch_uid="security_log_locked_out")


def personal_data_export_record(
    request: HttpRequest, *, export: str, rows: int, **detail: Any
) -> None:
    """Record that the signed-in user downloaded a list of people's names or emails.

    Every download of personal data calls this once, with what it was and how many rows.
    """
    security_event_record(
        Kind.PERSONAL_DATA_EXPORTED,
        actor=request.user,
        request=request,
        detail={"export": export, "rows": rows, **detail},
    )
