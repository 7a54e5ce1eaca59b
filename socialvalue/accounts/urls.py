from django.urls import path

from socialvalue.accounts import views
from socialvalue.core.access import ANYONE, SIGNED_IN, Reach, access

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sign-in/", access(ANYONE)(views.SignInView.as_view()), name="login"),
    path("sign-out/", access(ANYONE)(views.SignOutView.as_view()), name="logout"),
    path(
        "password-reset/", access(ANYONE)(views.PasswordResetView.as_view()), name="password_reset"
    ),
    path(
        "password-reset/sent/",
        access(ANYONE)(views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        access(ANYONE, Reach.SECRET_LINK)(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        access(ANYONE)(views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "change-password/",
        access(SIGNED_IN, Reach.OWN_ACCOUNT)(views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "change-password/done/",
        access(SIGNED_IN, Reach.OWN_ACCOUNT)(views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/new/", views.api_token_new, name="api_token_new"),
    path(
        "profile/tokens/<int:pk>/revoke/",
        views.api_token_revoke_view,
        name="api_token_revoke",
    ),
]
