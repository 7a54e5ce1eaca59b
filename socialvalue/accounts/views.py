"""Signing in and out, passwords, "Your account" and API tokens."""

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from socialvalue.accounts import dashboard as dashboard_links
from socialvalue.accounts.forms import (
    ApiTokenCreateForm,
    ChangePasswordForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SignInForm,
)
from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import SecurityEvent
from socialvalue.accounts.rules import may_read_security_log
from socialvalue.accounts.security import security_event_record
from socialvalue.accounts.selectors import api_tokens_for_user, get_api_token_for_user
from socialvalue.accounts.services import api_token_create, api_token_revoke, user_sessions_end
from socialvalue.core.access import SIGNED_IN, Reach, access
from socialvalue.core.ratelimit import client_key, rate_limit_count, rate_limit_refusal

TOKENS_PER_PAGE = 20

MSG_SIGNED_OUT_EVERYWHERE = (
    "You have been signed out of every device, including this one. Your API tokens still work."
)


class SignInView(auth_views.LoginView):
    """Sign-in, with a limit on failed attempts per client address (``RATE_LIMITS["sign_in"]``)
    on top of django-axes, which locks an account, or an address and browser, after
    repeated failures. Over the limit nothing is checked, so the attempt cannot count
    towards an account's lockout either."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = rate_limit_refusal(request, ("sign_in", client_key(request)))
        if refusal is not None:
            return refusal
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        rate_limit_count(("sign_in", client_key(self.request)))
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST with a CSRF token, so a link elsewhere cannot sign you out."""


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a reset link, limited per client address and per email address asked for
    (``RATE_LIMITS["password_reset"]`` and ``["password_reset_email"]``). Every request for
    an address counts, whether or not it has an account, so the limit tells nobody which
    addresses do."""

    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        client = ("password_reset", client_key(request))
        refusal = rate_limit_refusal(request, client)
        if refusal is not None:
            return refusal
        form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        email = ("password_reset_email", form.cleaned_data["email"].strip().lower())
        refusal = rate_limit_refusal(request, client, email)
        if refusal is not None:
            return refusal
        rate_limit_count(client, email)
        return self.form_valid(form)

    def get_extra_email_context(self) -> dict[str, Any]:
        return {
            "service_name": settings.SERVICE_NAME,
            "service_owner": settings.SERVICE_OWNER,
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["valid_hours"] = settings.PASSWORD_RESET_TIMEOUT // 3600
        return context


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever can read the account's email has proved it is theirs: lift any lockout
        # so that the new password works straight away.
        axes_reset(username=form.user.get_username())
        security_event_record(SecurityEvent.Kind.PASSWORD_RESET, actor=form.user, subject=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        security_event_record(
            SecurityEvent.Kind.PASSWORD_CHANGED, actor=form.user, subject=form.user
        )
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@access(SIGNED_IN)
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/dashboard.html",
        {
            "account": user,
            "links": dashboard_links.links_for(user),
            "can_read_security_log": may_read_security_log(user),
        },
    )


@access(SIGNED_IN, Reach.OWN_ACCOUNT)
def profile(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    page = Paginator(api_tokens_for_user(user), TOKENS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "account": user,
        "page": page,
        "idle_minutes": settings.SESSION_IDLE_MINUTES,
        "max_hours": settings.SESSION_COOKIE_AGE // 3600,
    }
    return render(request, "accounts/profile.html", context)


@access(SIGNED_IN, Reach.OWN_ACCOUNT)
@require_POST
def sign_out_everywhere(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    user_sessions_end(user=user)
    logout(request)
    messages.success(request, MSG_SIGNED_OUT_EVERYWHERE)
    return redirect("accounts:login")


@access(SIGNED_IN, Reach.OWN_ACCOUNT)
@never_cache
@require_http_methods(["GET", "POST"])
def api_token_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form: Form = ApiTokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = api_token_create(user=user, name=form.cleaned_data["name"])
        # The secret is shown in this response and nowhere else: it is not kept in the
        # session or the database, and the page must not be cached.
        return render(request, "accounts/api_token_created.html", {"token": token, "raw": raw})
    return render(request, "accounts/api_token_new.html", {"form": form})


@access(SIGNED_IN, Reach.OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def api_token_revoke_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    token = get_api_token_for_user(user, pk)
    if request.method == "POST":
        if token.is_active:
            api_token_revoke(token=token, by=user)
            messages.success(request, f"Token “{token.name}” has been revoked.")
        return redirect("accounts:profile")
    return render(request, "accounts/api_token_revoke.html", {"token": token})
