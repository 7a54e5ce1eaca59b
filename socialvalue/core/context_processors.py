from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from socialvalue.core.admin_site import is_platform_admin_request


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "SERVICE_OWNER": settings.SERVICE_OWNER,
        "DEFAULT_FRAMEWORK_SLUG": settings.DEFAULT_FRAMEWORK_SLUG,
    }


# Who may see a navigation entry.
EVERYONE = "everyone"
ANONYMOUS = "anonymous"
SIGNED_IN = "signed_in"
COUNCIL_STAFF = "council_staff"  # the lead, officers and evaluators
EVALUATORS = "evaluators"  # evaluators and the lead
FIGURE_READERS = "figure_readers"  # council staff and Cabinet members
LEAD = "lead"
SUPPLIERS = "suppliers"


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


AUDIENCES: dict[str, Callable[[Any], bool]] = {
    EVERYONE: lambda user: True,
    ANONYMOUS: lambda user: not _signed_in(user),
    SIGNED_IN: _signed_in,
    COUNCIL_STAFF: lambda user: _signed_in(user) and bool(getattr(user, "is_officer", False)),
    EVALUATORS: lambda user: _signed_in(user) and bool(getattr(user, "is_evaluator", False)),
    FIGURE_READERS: lambda user: (
        _signed_in(user)
        and bool(getattr(user, "is_officer", False) or getattr(user, "is_cabinet", False))
    ),
    LEAD: lambda user: _signed_in(user) and bool(getattr(user, "is_lead", False)),
    SUPPLIERS: lambda user: _signed_in(user) and bool(getattr(user, "is_supplier_user", False)),
}


@dataclass(frozen=True)
class NavEntry:
    """One entry of the service navigation: a label, a URL name and who sees it."""

    label: str
    url_name: str
    audience: str = EVERYONE

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"Unknown navigation audience {self.audience!r}")


@dataclass(frozen=True)
class NavLink:
    """A navigation entry resolved for one request."""

    label: str
    href: str
    current: bool  # this is the page being shown: aria-current="page"
    active: bool  # the page being shown is inside this section: aria-current="true"


# The service navigation, in order. Add an entry here when a feature adds a page that people
# should reach from every page; entries whose URL name is not (yet) routed are left out.
NAVIGATION: list[NavEntry] = [
    NavEntry("Home", "site:home"),
    NavEntry("Framework", "framework:index"),
    NavEntry("Calculator", "framework:calculator"),
    NavEntry("Partners", "partners:index"),
    NavEntry("Local needs", "needs:index"),
    NavEntry("Case studies", "stories:index"),
    NavEntry("Events", "engagement:events"),
    NavEntry("Resources", "site:resources"),
    NavEntry("Tenders", "procurement:tender_list", COUNCIL_STAFF),
    NavEntry("Contracts", "contracts:contract_list", COUNCIL_STAFF),
    NavEntry("Returns", "contracts:return_list", COUNCIL_STAFF),
    NavEntry("Insight", "insights:dashboard", FIGURE_READERS),
    NavEntry("Opportunities", "procurement:opportunity_list", SUPPLIERS),
    NavEntry("Your offers", "procurement:offer_list", SUPPLIERS),
    NavEntry("Contracts", "contracts:contract_list", SUPPLIERS),
    NavEntry("Returns", "contracts:return_list", SUPPLIERS),
]

# Shown after NAVIGATION: the account area, or the way in.
ACCOUNT_NAVIGATION: list[NavEntry] = [
    NavEntry("Your account", "accounts:dashboard", SIGNED_IN),
    NavEntry("Sign in", "accounts:login", ANONYMOUS),
]


def navigation_links(entries: list[NavEntry], *, path: str, user: Any = None) -> list[NavLink]:
    """Resolve navigation entries for a visitor at ``path``; needs no database access."""
    user = user if user is not None else AnonymousUser()
    links = []
    for entry in entries:
        if not AUDIENCES[entry.audience](user):
            continue
        try:
            href = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        current = path == href
        active = current or (href != "/" and path.startswith(href))
        links.append(NavLink(entry.label, href, current=current, active=active))
    return links


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The service navigation and account links for the page being rendered."""
    user = getattr(request, "user", None)
    return {
        "navigation": navigation_links(NAVIGATION, path=request.path, user=user),
        "account_navigation": navigation_links(ACCOUNT_NAVIGATION, path=request.path, user=user),
        "show_admin_link": user is not None and is_platform_admin_request(request),
    }
