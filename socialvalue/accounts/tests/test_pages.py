from collections.abc import Callable

import pytest
from django.test import Client

from socialvalue.accounts.models import User

CAST = ["lead_lucy", "officer_alice", "evaluator_erin", "supplier_bob"]
ACCOUNT_PAGES = [
    "/account/",
    "/account/profile/",
    "/account/profile/tokens/new/",
    "/account/change-password/",
]
PUBLIC_PAGES = [
    "/account/sign-in/",
    "/account/password-reset/",
    "/account/password-reset/sent/",
    "/account/reset/done/",
]


@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client, page: str) -> None:
    response = public_dave.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"/account/sign-in/?next={page}"


@pytest.mark.parametrize("page", ACCOUNT_PAGES)
@pytest.mark.parametrize("who", CAST)
def test_it_shows_account_pages_to_everyone_signed_in(
    client_as: Callable[[User | None], Client],
    cast_member: Callable[[str | None], User | None],
    who: str,
    page: str,
) -> None:
    response = client_as(cast_member(who)).get(page)
    assert response.status_code == 200


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_it_shows_the_password_pages_to_anyone(public_dave: Client, page: str) -> None:
    assert public_dave.get(page).status_code == 200


def test_it_shows_the_officers_account(
    client_as: Callable[[User | None], Client], officer_alice: User
) -> None:
    response = client_as(officer_alice).get("/account/")
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Your account</h1>' in html
    assert "Alice Officer" in html
    assert "alice@lancashire.example" in html
    assert "Lancashire County Council" in html
    assert "Officer" in html
    assert "Highways" in html
    assert "Growth, Environment and Transport" in html


def test_it_shows_no_service_area_row_for_a_supplier(
    client_as: Callable[[User | None], Client], supplier_bob: User
) -> None:
    html = client_as(supplier_bob).get("/account/").content.decode()
    assert "Bob&#x27;s Building Ltd" in html
    assert "Supplier user" in html
    assert "Service area" not in html


COMMON_LINKS = ["Framework", "Calculator", "API documentation"]
OFFICER_LINKS = ["Tenders", "Contracts", "Quarterly returns", "Exceptions"]
INSIGHT_LINKS = [
    "Insight",
    "Cabinet report",
    "Category plan guidance",
    "Needs against delivery",
    "Training records",
]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "lead_lucy",
            [
                "Tenders",
                "Contracts",
                "Quarterly returns",
                "Exceptions",
                "Your case studies",
                *INSIGHT_LINKS,
                "Social value policy",
                "Reporting settings",
                "Annual statements",
                "KPI targets",
                "Partner approvals",
                "Case study reviews",
                "Events and news",
                "Website content",
                "Lessons-learned feedback",
                *COMMON_LINKS,
            ],
        ),
        ("officer_alice", [*OFFICER_LINKS, "Your case studies", *INSIGHT_LINKS, *COMMON_LINKS]),
        ("evaluator_erin", [*OFFICER_LINKS, "Your case studies", *INSIGHT_LINKS, *COMMON_LINKS]),
        (
            "supplier_bob",
            [
                "Opportunities",
                "Your offers",
                "Your contracts",
                "Your quarterly returns",
                "Your case studies",
                *COMMON_LINKS,
            ],
        ),
    ],
)
def test_it_lists_the_links_for_the_role(
    client_as: Callable[[User | None], Client],
    cast_member: Callable[[str | None], User | None],
    who: str,
    expected: list[str],
) -> None:
    response = client_as(cast_member(who)).get("/account/")
    titles = [link.title for link in response.context["links"]]
    assert titles == expected
    html = response.content.decode()
    assert 'href="/framework/"' in html
    assert 'href="/calculator/"' in html
    assert 'href="/api/v1/docs"' in html
    assert ('href="/admin/"' in html) is ("Administration" in expected)


def test_it_takes_links_that_later_features_register(
    client_as: Callable[[User | None], Client], supplier_bob: User, officer_alice: User
) -> None:
    from socialvalue.accounts import dashboard

    link = dashboard.DashboardLink(
        key="test:profile",
        title="Officer work",
        url_name="accounts:profile",
        description="Only for officers.",
        shown_to=dashboard.for_officers,
        order=1,
    )
    dashboard.register(link)
    try:
        officer_titles = [
            shown.title for shown in client_as(officer_alice).get("/account/").context["links"]
        ]
        supplier_titles = [
            shown.title for shown in client_as(supplier_bob).get("/account/").context["links"]
        ]
    finally:
        dashboard._links.pop("test:profile")
    assert officer_titles[0] == "Officer work"
    assert "Officer work" not in supplier_titles
