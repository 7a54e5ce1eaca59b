"""The team page: an organisation's people and open invitations, and managing them.

Every signed-in user of an organisation sees its people. A buying organisation's lead
invites colleagues, changes their role and service area, and deactivates or reactivates
them; the users of a supplier or partner organisation invite, deactivate and reactivate
their colleagues. Everything is looked up through the caller's own organisation: another
organisation's people and invitations give 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.invitations import (
    invitation_create,
    invitation_resend,
    invitation_revoke,
    invitation_valid_days,
)
from socialvalue.accounts.rules import may_change_roles, may_manage_team
from socialvalue.accounts.selectors import (
    get_invitation_for_user,
    get_team_member_for_user,
    open_invitations,
    organisation_of,
    team_members,
)
from socialvalue.accounts.team import user_deactivate, user_reactivate, user_role_change
from socialvalue.accounts.team_forms import ROLE_HINTS, InviteForm, RoleForm
from socialvalue.core.access import LEADS, MEMBERS, ROLE_MISSING, TEAM_MANAGERS, Reach, access

MEMBERS_PER_PAGE = 25
INVITATIONS_ON_TEAM_PAGE = 10
INVITATIONS_PER_PAGE = 25
MSG_INVITED = "Invitation sent to {email}. The link works for {days} days."
MSG_RESENT = "Invitation sent again to {email}, with a new link. The old link no longer works."
MSG_REVOKED = "The invitation to {email} has been revoked. Its link no longer works."
MSG_ROLE_CHANGED = "Saved. {name}’s role: {role}."
MSG_DEACTIVATED = (
    "{name} can no longer sign in. Their API tokens have been revoked and their sessions ended."
)
MSG_REACTIVATED = "{name} can sign in again."


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _add_errors(form: InviteForm | RoleForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@access(MEMBERS, Reach.ORGANISATION)
@require_safe
def team(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = organisation_of(user)
    members = Paginator(team_members(organisation), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    invitations = open_invitations(organisation)
    return render(
        request,
        "accounts/team/team.html",
        {
            "organisation": organisation,
            "page": members,
            "invitations": invitations[:INVITATIONS_ON_TEAM_PAGE],
            "invitation_count": invitations.count(),
            "can_manage": may_manage_team(user, organisation),
            "can_change_roles": may_change_roles(user, organisation),
        },
    )


@access(MEMBERS, Reach.ORGANISATION)
@require_safe
def invitations(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = organisation_of(user)
    page = Paginator(open_invitations(organisation), INVITATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/team/invitations.html",
        {
            "organisation": organisation,
            "page": page,
            "can_manage": may_manage_team(user, organisation),
        },
    )


@access(TEAM_MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = organisation_of(user)
    if not may_manage_team(user, organisation):
        raise PermissionDenied(ROLE_MISSING)
    form = InviteForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data.get("role", ""),
                service_area=form.cleaned_data.get("service_area"),
                by=user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                MSG_INVITED.format(email=invitation.email, days=invitation_valid_days()),
            )
            return redirect("accounts:team")
    return render(
        request,
        "accounts/team/invite.html",
        {"organisation": organisation, "form": form, "role_hints": ROLE_HINTS.items()},
        status=400 if form.errors else 200,
    )


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def change_role(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = organisation_of(user)
    if not may_change_roles(user, organisation):
        raise PermissionDenied(ROLE_MISSING)
    member = get_team_member_for_user(user, pk)
    initial = {"role": member.role, "service_area": member.service_area}
    form = RoleForm(request.POST or None, initial=initial, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            member = user_role_change(
                user=member,
                role=form.cleaned_data["role"],
                service_area=form.cleaned_data.get("service_area"),
                by=user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                MSG_ROLE_CHANGED.format(
                    name=member.full_name or member.email, role=member.get_role_display()
                ),
            )
            return redirect("accounts:team")
    return render(
        request,
        "accounts/team/role.html",
        {
            "organisation": organisation,
            "member": member,
            "form": form,
            "role_hints": ROLE_HINTS.items(),
        },
        status=400 if form.errors else 200,
    )


def _member_action(request: AuthenticatedRequest, pk: int, *, deactivate: bool) -> HttpResponse:
    user = request.user
    organisation = organisation_of(user)
    if not may_manage_team(user, organisation):
        raise PermissionDenied(ROLE_MISSING)
    member = get_team_member_for_user(user, pk)
    if request.method == "POST":
        try:
            if deactivate:
                user_deactivate(user=member, by=user)
            else:
                user_reactivate(user=member, by=user)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            template = MSG_DEACTIVATED if deactivate else MSG_REACTIVATED
            messages.success(request, template.format(name=member.full_name or member.email))
        return redirect("accounts:team")
    return render(
        request,
        "accounts/team/member_active.html",
        {
            "organisation": organisation,
            "member": member,
            "deactivate": deactivate,
            "is_self": member.pk == user.pk,
        },
    )


@access(TEAM_MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def deactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _member_action(request, pk, deactivate=True)


@access(TEAM_MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def reactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _member_action(request, pk, deactivate=False)


@access(TEAM_MANAGERS, Reach.ORGANISATION)
@require_POST
def invitation_resend_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    if not may_manage_team(user, organisation_of(user)):
        raise PermissionDenied(ROLE_MISSING)
    invitation = get_invitation_for_user(user, pk)
    try:
        invitation, _ = invitation_resend(invitation=invitation, by=user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, MSG_RESENT.format(email=invitation.email))
    return redirect("accounts:team")


@access(TEAM_MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def invitation_revoke_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    if not may_manage_team(user, organisation_of(user)):
        raise PermissionDenied(ROLE_MISSING)
    invitation = get_invitation_for_user(user, pk)
    if request.method == "POST":
        try:
            invitation_revoke(invitation=invitation, by=user)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, MSG_REVOKED.format(email=invitation.email))
        return redirect("accounts:team")
    return render(request, "accounts/team/invitation_revoke.html", {"invitation": invitation})
