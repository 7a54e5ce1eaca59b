"""Signing in and out, passwords, "Your account" and API tokens."""

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from socialvalue.accounts import dashboard as dashboard_links
from socialvalue.accounts.forms import (
    ApiTokenCreateForm,
    ChangePasswordForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SignInForm,
)
from socialvalue.accounts.models import SecurityEvent, User
from socialvalue.accounts.rules import may_read_security_log
from socialvalue.accounts.security import security_event_record
from socialvalue.accounts.selectors import api_tokens_for_user, get_api_token_for_user
from socialvalue.accounts.services import api_token_create, api_token_revoke
from socialvalue.core.access import SIGNED_IN, Reach, access

TOKENS_PER_PAGE = 20


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST with a CSRF token, so a link elsewhere cannot sign you out."""


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

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
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
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
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(api_tokens_for_user(user), TOKENS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/profile.html", {"account": user, "page": page})


@access(SIGNED_IN, Reach.OWN_ACCOUNT)
@never_cache
@require_http_methods(["GET", "POST"])
def api_token_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form: Form = ApiTokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = api_token_create(user=user, name=form.cleaned_data["name"])
        # The secret is shown in this response and nowhere else: it is not kept in the
        # session or the database, and the page must not be cached.
        return render(request, "accounts/api_token_created.html", {"token": token, "raw": raw})
    return render(request, "accounts/api_token_new.html", {"form": form})


@access(SIGNED_IN, Reach.OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    token = get_api_token_for_user(user, pk)
    if request.method == "POST":
        if token.is_active:
            api_token_revoke(token=token, by=user)
            messages.success(request, f"Token “{token.name}” has been revoked.")
        return redirect("accounts:profile")
    return render(request, "accounts/api_token_revoke.html", {"token": token})
