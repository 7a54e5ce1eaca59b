"""The social value policy page: the social value lead's alone (everyone else signed in gets
403), with the policy's changes listed from its history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import LEADS, Reach, access
from socialvalue.procurement import services
from socialvalue.procurement.policy.forms import PolicyForm
from socialvalue.procurement.policy.selectors import (
    policy_changes,
)
from socialvalue.procurement.tenders.pages import (
    CHANGES_PER_PAGE,
    MSG_POLICY_SAVED,
    buyer_organisation,
)


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def policy_edit(request: AuthenticatedRequest) -> HttpResponse:
    organisation = buyer_organisation(request.user)
    policy = services.policy_for_organisation(organisation=organisation)
    form = PolicyForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_settings_update(
                policy=policy, levels=form.levels(), **form.policy_fields()
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, MSG_POLICY_SAVED)
            return redirect("procurement:policy_edit")
    changes = Paginator(policy_changes(policy), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "procurement/policy/edit.html",
        {"form": form, "policy": policy, "organisation": organisation, "changes": changes},
    )


urlpatterns: list[URLPattern] = [
    path("settings/social-value-policy/", policy_edit, name="policy_edit"),
]
