"""The links on "Your account", chosen by role.

Each feature adds its own links from its app's ``AppConfig.ready()``::

    from socialvalue.accounts.dashboard import DashboardLink, for_officers, register

    register(DashboardLink(
        key="procurement:tenders",
        title="Tenders",
        url_name="procurement:tender_list",
        description="Set up tenders, evaluate bids and award contracts.",
        shown_to=for_officers,
        order=10,
    ))

Links show in ``order`` (lowest first), then by title. Registering the same ``key`` again
replaces the earlier link, so reloading an app does not duplicate it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, resolve, reverse

from socialvalue.core.access import rule_for
from socialvalue.core.admin_site import is_platform_admin


def for_everyone(user: Any) -> bool:
    return True


def for_officers(user: Any) -> bool:
    return bool(getattr(user, "is_officer", False))


def for_evaluators(user: Any) -> bool:
    return bool(getattr(user, "is_evaluator", False))


def for_lead(user: Any) -> bool:
    return bool(getattr(user, "is_lead", False))


def for_suppliers(user: Any) -> bool:
    return bool(getattr(user, "is_supplier_user", False))


def for_admin_users(user: Any) -> bool:
    """Platform administrators: the only people the admin lets in."""
    return is_platform_admin(user)


@dataclass(frozen=True)
class DashboardLink:
    key: str
    title: str
    url_name: str
    description: str
    shown_to: Callable[[Any], bool] = for_everyone
    order: int = 100
    url_kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ShownLink:
    title: str
    url: str
    description: str


_links: dict[str, DashboardLink] = {}


def register(link: DashboardLink) -> None:
    _links[link.key] = link


def links_for(user: Any) -> list[ShownLink]:
    """The links ``user`` may follow, in display order."""
    chosen = sorted(
        (link for link in _links.values() if link.shown_to(user)),
        key=lambda link: (link.order, link.title),
    )
    shown = []
    for link in chosen:
        try:
            url = reverse(link.url_name, kwargs=link.url_kwargs or None)
        except NoReverseMatch:
            continue  # the feature's page is not routed (yet): no dead link
        rule = rule_for(resolve(url).func)
        if rule is not None and not rule.admits(user):
            continue  # the page's own access rule would refuse them: no link to a 403
        shown.append(ShownLink(title=link.title, url=url, description=link.description))
    return shown


register(
    DashboardLink(
        key="framework:index",
        title="Framework",
        url_name="framework:index",
        description="The themes, outcomes and measures, with their proxy values.",
        order=200,
    )
)
register(
    DashboardLink(
        key="framework:calculator",
        title="Calculator",
        url_name="framework:calculator",
        description="Work out the social value of a set of commitments.",
        order=210,
    )
)
register(
    DashboardLink(
        key="api:docs",
        title="API documentation",
        url_name="api:openapi-view",
        description="Use the platform from other systems with an API token from your profile.",
        order=300,
    )
)
register(
    DashboardLink(
        key="admin:index",
        title="Administration",
        url_name="admin:index",
        description="Manage organisations, users, API tokens and reference data.",
        shown_to=for_admin_users,
        order=900,
    )
)
