"""The security log of a buying organisation, for its social value lead.

It lists what happened to the organisation's accounts: sign-ins and failures, lockouts,
password changes, API tokens, invitations, role changes, deactivations and downloads of
personal data. Only the organisation's own events are shown; platform administrators read
everyone's in the admin.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.rules import may_read_security_log
from socialvalue.accounts.selectors import organisation_of, security_events_for_organisation
from socialvalue.accounts.team_forms import SecurityLogFilterForm
from socialvalue.core.access import LEADS, ROLE_MISSING, Reach, access

EVENTS_PER_PAGE = 50


@access(LEADS, Reach.ORGANISATION)
@require_safe
def security_log(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = organisation_of(user)
    if not may_read_security_log(user):
        raise PermissionDenied(ROLE_MISSING)
    form = SecurityLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = security_events_for_organisation(
        organisation,
        kind=filters.get("kind", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/security_log.html",
        {"organisation": organisation, "form": form, "page": page},
        status=400 if form.errors else 200,
    )
