"""The public home page and the layout every page shares."""

import re

import pytest
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.framework.models import FrameworkVersion

pytestmark = pytest.mark.django_db


def nav_labels(html: str) -> list[str]:
    """The labels of the service navigation, in order (links and the sign-out button)."""
    nav = html.split('<ul class="govuk-service-navigation__list"', 1)[1].split("</ul>", 1)[0]
    labels = re.findall(r'class="govuk-service-navigation__link"[^>]*>(.*?)</a>', nav, re.S)
    labels += re.findall(r'class="app-service-navigation__button">(.*?)</button>', nav, re.S)
    return [re.sub(r"<[^>]+>", "", label).strip() for label in labels]


def test_it_shows_the_public_navigation_and_sign_in_to_public_dave(public_dave: Client) -> None:
    response = public_dave.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert nav_labels(html) == [
        "Home",
        "Framework",
        "Calculator",
        "Partners",
        "Local needs",
        "Case studies",
        "Events",
        "Resources",
        "Sign in",
    ]
    assert "Sign out" not in html
    assert "Your account" not in html


PUBLIC_NAV = [
    "Home",
    "Framework",
    "Calculator",
    "Partners",
    "Local needs",
    "Case studies",
    "Events",
    "Resources",
]


@pytest.mark.parametrize(
    ("person", "role_items"),
    [
        ("supplier_bob", ["Opportunities", "Your offers", "Contracts", "Returns"]),
        ("officer_alice", ["Tenders", "Contracts", "Returns", "Insight"]),
        ("evaluator_erin", ["Tenders", "Contracts", "Returns", "Insight"]),
        ("lead_lucy", ["Tenders", "Contracts", "Returns", "Insight"]),
    ],
)
def test_it_shows_your_account_and_sign_out_when_signed_in(
    request: pytest.FixtureRequest, client_as, person: str, role_items: list[str]
) -> None:
    user: User = request.getfixturevalue(person)

    html = client_as(user).get("/").content.decode()

    assert nav_labels(html) == [*PUBLIC_NAV, *role_items, "Your account", "Sign out"]
    assert "/account/sign-in/" not in html


def test_it_signs_out_with_a_post_form_carrying_the_csrf_token(
    client_as, supplier_bob: User
) -> None:
    html = client_as(supplier_bob).get("/").content.decode()

    form = re.search(
        r'<form method="post" action="/account/sign-out/"[^>]*>(.*?)</form>', html, re.S
    )
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in form.group(1)


def test_it_marks_the_current_page_in_the_navigation(public_dave: Client) -> None:
    html = public_dave.get("/").content.decode()

    assert re.search(r'href="/" aria-current="page"', html)
    assert not re.search(r'href="/framework/" aria-current', html)


def test_it_sends_the_csrf_token_with_every_htmx_request(public_dave: Client) -> None:
    html = public_dave.get("/").content.decode()

    assert re.search(r"<body [^>]*hx-headers='\{\"X-CSRFToken\": \"[A-Za-z0-9]{32,}\"\}'", html)
    assert "dist/htmx.min.js" in html
    assert (
        '<script type="module" src="/static/core/govuk-init.js" '
        'data-govuk-frontend="/static/dist/govuk-frontend.min.js"></script>'
    ) in html


def test_it_has_the_page_landmarks_and_skip_link(public_dave: Client) -> None:
    html = public_dave.get("/").content.decode()

    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert '<main id="main-content"' in html
    assert "<header " in html
    assert "<footer " in html
    assert html.count("<h1") == 1
    assert "<title>Social value in public contracts – Lancashire Social Value</title>" in html


def test_it_shows_the_licences_in_the_footer(public_dave: Client) -> None:
    html = public_dave.get("/").content.decode()

    assert "Open Government Licence v3.0</a>, except where otherwise stated" in html
    assert "The Lancashire TOMs build on the National TOMs ©" in html
    assert "CC BY-NC-ND 4.0" in html
    assert 'href="/api/v1/docs">API</a>' in html


@pytest.mark.parametrize(
    ("person", "sees_admin"),
    [
        ("public_dave", False),
        ("supplier_bob", False),
        ("officer_alice", False),
        ("evaluator_erin", False),
        ("lead_lucy", False),
        ("admin_ada", True),
    ],
)
def test_it_links_to_the_admin_only_for_people_who_can_use_it(
    request: pytest.FixtureRequest, client_as, person: str, sees_admin: bool
) -> None:
    client = (
        request.getfixturevalue(person)
        if person == "public_dave"
        else client_as(request.getfixturevalue(person))
    )

    html = client.get("/").content.decode()

    assert ('href="/admin/">Administration</a>' in html) is sees_admin


def test_it_explains_the_councils_approach(public_dave: Client) -> None:
    html = public_dave.get("/").content.decode()

    assert "£100,000" in html
    assert "10%" in html
    assert "Quarterly" in html
    assert "68.3%" in html
    assert "65.4%" in html


def test_it_routes_suppliers_staff_and_residents(public_dave: Client) -> None:
    html = public_dave.get("/").content.decode()

    for heading in ("Suppliers and bidders", "Council staff", "Residents and community groups"):
        assert heading in html
    assert 'href="/framework/">See the measures you can offer</a>' in html
    assert 'href="/calculator/">Work out what your offer is worth</a>' in html
    assert 'href="/account/sign-in/">Sign in to send offers and quarterly returns</a>' in html


def test_it_counts_the_measures_of_the_published_framework(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    html = public_dave.get("/").content.decode()

    assert '<span class="app-key-figure__value">43</span>' in html
    assert "Measures in 4 themes for suppliers to choose from" in html
    assert "Browse all 43 measures" in html


def test_it_leaves_out_the_framework_figures_before_one_is_published(public_dave: Client) -> None:
    html = public_dave.get("/").content.decode()

    assert "The TOMs at a glance" not in html
    assert 'app-key-figure__value">43' not in html
