"""The service navigation: one list of entries, filtered by who is looking."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from socialvalue.accounts.models import User
from socialvalue.core import context_processors
from socialvalue.core.context_processors import (
    COUNCIL_STAFF,
    LEAD,
    SUPPLIERS,
    NavEntry,
    navigation,
    navigation_links,
)

pytestmark = pytest.mark.django_db

ENTRIES = [
    NavEntry("Home", "site:home"),
    NavEntry("Framework", "framework:index"),
    NavEntry("Staff only", "framework:calculator", COUNCIL_STAFF),
    NavEntry("Lead only", "accounts:dashboard", LEAD),
    NavEntry("Suppliers only", "accounts:login", SUPPLIERS),
    NavEntry("Not routed yet", "nowhere:index"),
]


def labels(user: User | None) -> list[str]:
    return [link.label for link in navigation_links(ENTRIES, path="/", user=user)]


def test_it_shows_the_public_entries_to_anonymous_visitors() -> None:
    assert labels(None) == ["Home", "Framework"]


def test_it_shows_role_entries_to_the_right_people(
    supplier_bob: User, officer_alice: User, evaluator_erin: User, lead_lucy: User
) -> None:
    assert labels(supplier_bob) == ["Home", "Framework", "Suppliers only"]
    assert labels(officer_alice) == ["Home", "Framework", "Staff only"]
    assert labels(evaluator_erin) == ["Home", "Framework", "Staff only"]
    assert labels(lead_lucy) == ["Home", "Framework", "Staff only", "Lead only"]


def test_it_marks_the_current_page_and_the_active_section() -> None:
    on_home = navigation_links(ENTRIES, path="/")
    inside_framework = navigation_links(ENTRIES, path="/framework/lancashire-toms-2024/")

    assert [(link.label, link.current, link.active) for link in on_home] == [
        ("Home", True, True),
        ("Framework", False, False),
    ]
    assert [(link.label, link.current, link.active) for link in inside_framework] == [
        ("Home", False, False),
        ("Framework", False, True),
    ]


def test_it_refuses_an_unknown_audience() -> None:
    with pytest.raises(ValueError, match="Unknown navigation audience 'martians'"):
        NavEntry("Mars", "site:home", "martians")


def test_it_gives_templates_the_navigation_account_links_and_admin_flag(
    rf: RequestFactory, lead_lucy: User, supplier_bob: User, admin_ada: User
) -> None:
    request = rf.get("/framework/")
    request.user = lead_lucy

    context = navigation(request)

    assert [link.label for link in context["navigation"]] == [
        "Home",
        "Framework",
        "Calculator",
        "Partners",
        "Local needs",
        "Case studies",
        "Events",
        "Resources",
        "Tenders",
        "Contracts",
        "Returns",
        "Insight",
    ]
    assert [link.href for link in context["account_navigation"]] == ["/account/"]
    assert context["show_admin_link"] is False  # the admin is not the lead's

    request.user = admin_ada
    assert navigation(request)["show_admin_link"] is True
    request.user = supplier_bob
    assert navigation(request)["show_admin_link"] is False


def test_it_lets_a_feature_add_an_entry_in_one_place(
    rf: RequestFactory, monkeypatch: pytest.MonkeyPatch, officer_alice: User
) -> None:
    monkeypatch.setattr(
        context_processors,
        "NAVIGATION",
        [
            *context_processors.NAVIGATION,
            NavEntry("Your tenders", "accounts:dashboard", COUNCIL_STAFF),
        ],
    )
    request = rf.get("/")
    request.user = officer_alice

    assert [link.label for link in navigation(request)["navigation"]] == [
        "Home",
        "Framework",
        "Calculator",
        "Partners",
        "Local needs",
        "Case studies",
        "Events",
        "Resources",
        "Tenders",
        "Contracts",
        "Returns",
        "Insight",
        "Your tenders",
    ]


def test_it_shows_contracts_and_returns_to_council_staff_and_suppliers(
    rf: RequestFactory, officer_alice: User, supplier_bob: User
) -> None:
    request = rf.get("/contracts/12/")
    for user in (officer_alice, supplier_bob):
        request.user = user
        links = {link.label: link for link in navigation(request)["navigation"]}
        assert (links["Contracts"].href, links["Contracts"].active) == ("/contracts/", True)
        assert (links["Returns"].href, links["Returns"].active) == ("/returns/", False)

    request.user = AnonymousUser()
    labels = [link.label for link in navigation(request)["navigation"]]
    assert "Contracts" not in labels
    assert "Returns" not in labels
