from django.urls import path

from socialvalue.accounts import (
    invitation_views,
    organisation_views,
    security_views,
    team_views,
    views,
)
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
    path(
        "profile/sign-out-everywhere/",
        views.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
    path("profile/tokens/new/", views.api_token_new, name="api_token_new"),
    path(
        "profile/tokens/<int:pk>/revoke/",
        views.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("team/", team_views.team, name="team"),
    path("team/invite/", team_views.invite, name="team_invite"),
    path("team/invitations/", team_views.invitations, name="team_invitations"),
    path(
        "team/invitations/<int:pk>/resend/",
        team_views.invitation_resend_view,
        name="invitation_resend",
    ),
    path(
        "team/invitations/<int:pk>/revoke/",
        team_views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("team/<int:pk>/role/", team_views.change_role, name="team_role"),
    path("team/<int:pk>/deactivate/", team_views.deactivate, name="team_deactivate"),
    path("team/<int:pk>/reactivate/", team_views.reactivate, name="team_reactivate"),
    path(
        "invitations/<str:token>/",
        invitation_views.invitation_accept_view,
        name="invitation_accept",
    ),
    path("organisation/", organisation_views.organisation, name="organisation"),
    path("organisation/edit/", organisation_views.organisation_edit, name="organisation_edit"),
    path(
        "organisation/directorates/new/",
        organisation_views.directorate_new,
        name="directorate_new",
    ),
    path(
        "organisation/directorates/<int:pk>/",
        organisation_views.directorate_edit,
        name="directorate_edit",
    ),
    path(
        "organisation/directorates/<int:pk>/remove/",
        organisation_views.directorate_remove_view,
        name="directorate_remove",
    ),
    path(
        "organisation/directorates/<int:pk>/service-areas/new/",
        organisation_views.service_area_new,
        name="service_area_new",
    ),
    path(
        "organisation/service-areas/<int:pk>/",
        organisation_views.service_area_edit,
        name="service_area_edit",
    ),
    path(
        "organisation/service-areas/<int:pk>/remove/",
        organisation_views.service_area_remove_view,
        name="service_area_remove",
    ),
    path("security-log/", security_views.security_log, name="security_log"),
]
