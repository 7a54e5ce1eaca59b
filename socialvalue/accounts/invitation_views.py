"""Accepting an invitation: the page behind the one-time link in the email.

Whoever holds a usable link chooses their name and password and is signed in to a new
account. A link that is unknown, expired, revoked, used or no longer backed by its sender
gets a page that says so and shows nothing else: not the organisation, not who sent it.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from socialvalue.accounts.invitations import (
    EMAIL_ALREADY_REGISTERED,
    invitation_accept,
    invitation_for_secret,
    invitation_still_authorised,
)
from socialvalue.accounts.models import Invitation, User
from socialvalue.accounts.team_forms import AcceptInvitationForm
from socialvalue.core.access import ANYONE, Reach, access

MSG_WELCOME = "Welcome to {service}. You are signed in."

# Why a link does not work, by the page's "reason".
UNKNOWN = "unknown"
EXPIRED = "expired"
REVOKED = "revoked"
USED = "used"
WITHDRAWN = "withdrawn"
REGISTERED = "registered"


def _reason(invitation: Invitation | None) -> str | None:
    """Why the link cannot be used, or None when it can."""
    if invitation is None:
        return UNKNOWN
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        return USED
    if status == Invitation.Status.REVOKED:
        return REVOKED
    if status == Invitation.Status.EXPIRED:
        return EXPIRED
    if not invitation_still_authorised(invitation):
        return WITHDRAWN
    if User.objects.filter(email__iexact=invitation.email).exists():
        return REGISTERED
    return None


def _unusable(request: HttpRequest, reason: str) -> HttpResponse:
    status = {UNKNOWN: 404, REGISTERED: 409}.get(reason, 410)
    return render(
        request,
        "accounts/invitation/unusable.html",
        {"reason": reason, "registered_message": EMAIL_ALREADY_REGISTERED},
        status=status,
    )


@access(ANYONE, Reach.SECRET_LINK)
@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_secret(token)
    if invitation is None:
        return _unusable(request, UNKNOWN)
    reason = _reason(invitation)
    if reason is not None:
        return _unusable(request, reason)
    if request.user.is_authenticated:
        return render(request, "accounts/invitation/signed_in.html", {"invitation": invitation})
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    target = "new_password1" if field == "password" else field
                    form.add_error(target if target in form.fields else None, errors)
            else:
                return _unusable(request, _reason(invitation_for_secret(token)) or WITHDRAWN)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, MSG_WELCOME.format(service=settings.SERVICE_NAME))
            return redirect("accounts:dashboard")
    return render(
        request,
        "accounts/invitation/accept.html",
        {"invitation": invitation, "form": form},
        status=400 if form.errors else 200,
    )
