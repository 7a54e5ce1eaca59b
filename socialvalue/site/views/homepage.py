"""The home page: social value in plain English, and the way in for each kind of visitor."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from socialvalue.accounts.models import Organisation
from socialvalue.core.access import ANYONE, access
from socialvalue.procurement.selectors import policy_for
from socialvalue.site.models import ResourceCategory
from socialvalue.site.selectors import framework_summary

# The council's standard approach (Social Value Strategy 2024-28, "Standardised approach"),
# used when the council has no policy record of its own.
SOCIAL_VALUE_THRESHOLD = Decimal("100000")
MINIMUM_WEIGHTING_PERCENT = Decimal("10")


def _everyone(user: Any) -> bool:
    return True


def _anonymous_or_suppliers(user: Any) -> bool:
    return not user.is_authenticated or bool(getattr(user, "is_supplier_user", False))


def _anonymous_or_staff(user: Any) -> bool:
    return not user.is_authenticated or bool(getattr(user, "is_officer", False))


@dataclass(frozen=True)
class HomeLink:
    """A link on an audience card; left out when its page is not routed or not for the user."""

    label: str
    url_name: str
    query: str = ""
    shown_to: Callable[[Any], bool] = _everyone
    needs_sign_in: bool = False


@dataclass(frozen=True)
class ShownLink:
    label: str
    href: str
    needs_sign_in: bool


SUPPLIER_LINKS = [
    HomeLink(
        "Find tenders open for social value offers",
        "procurement:opportunity_list",
        shown_to=_anonymous_or_suppliers,
        needs_sign_in=True,
    ),
    HomeLink("See the measures you can offer", "framework:index"),
    HomeLink("Work out what your offer is worth", "framework:calculator"),
    HomeLink(
        "Read the standard tender wording and templates",
        "site:resources",
        query=f"category={ResourceCategory.ITT_WORDING}",
    ),
    HomeLink("Find out where help is needed most", "needs:index"),
    HomeLink("Find local partners to deliver with", "partners:index"),
]
STAFF_LINKS = [
    HomeLink(
        "Set up and evaluate tenders",
        "procurement:tender_list",
        shown_to=_anonymous_or_staff,
        needs_sign_in=True,
    ),
    HomeLink("Choose measures for a tender", "framework:index"),
    HomeLink("Find templates, guidance and training", "site:resources"),
    HomeLink("Read answers to common questions", "site:faqs"),
]
RESIDENT_LINKS = [
    HomeLink("See the needs of your area", "needs:index"),
    HomeLink("Read case studies of social value delivered", "stories:index"),
    HomeLink("Come to a social value event", "engagement:events"),
    HomeLink("Read the council’s social value policy", "site:policy"),
    HomeLink("Read what suppliers can commit to", "framework:index"),
    HomeLink("Tell us what worked and what could be better", "site:feedback"),
]


def links_for(links: list[HomeLink], user: Any) -> list[ShownLink]:
    """The links ``user`` should see, skipping any whose page is not routed (yet)."""
    shown = []
    for link in links:
        if not link.shown_to(user):
            continue
        try:
            href = reverse(link.url_name)
        except NoReverseMatch:
            continue
        if link.query:
            href = f"{href}?{link.query}"
        shown.append(
            ShownLink(
                link.label, href, needs_sign_in=link.needs_sign_in and not user.is_authenticated
            )
        )
    return shown


def policy_figures() -> tuple[Decimal, Decimal]:
    """The threshold and minimum weighting of the council running the service (its own
    policy when it is set up, the strategy's defaults otherwise)."""
    council = Organisation.objects.filter(
        name=settings.SERVICE_OWNER, kind=Organisation.Kind.BUYER
    ).first()
    if council is None:
        return SOCIAL_VALUE_THRESHOLD, MINIMUM_WEIGHTING_PERCENT
    policy = policy_for(council.pk)  # a read: a page view never creates the policy
    if policy is None:
        return SOCIAL_VALUE_THRESHOLD, MINIMUM_WEIGHTING_PERCENT
    return policy.threshold, policy.minimum_weighting


@access(ANYONE)
def home(request: HttpRequest) -> HttpResponse:
    threshold, minimum_weighting = policy_figures()
    context = {
        "framework": framework_summary(),
        "threshold": threshold,
        "minimum_weighting": minimum_weighting,
        "supplier_links": links_for(SUPPLIER_LINKS, request.user),
        "staff_links": links_for(STAFF_LINKS, request.user),
        "resident_links": links_for(RESIDENT_LINKS, request.user),
    }
    return render(request, "site/home.html", context)
