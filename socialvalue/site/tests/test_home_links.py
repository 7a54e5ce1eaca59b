"""The home page's audience cards route each visitor to what exists for them."""

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.procurement.services import policy_for_organisation, policy_update
from socialvalue.site.views.homepage import HomeLink, links_for

pytestmark = pytest.mark.django_db

ClientAs = Callable[[User | None], Client]


def card_links(html: str, heading: str) -> list[tuple[str, str]]:
    """(href, text) of each link in the card with ``heading``, in order."""
    card = html.split(f'<h3 class="govuk-heading-m">{heading}</h3>', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a class="govuk-link" href="([^"]+)">(.*?)</a>', card)


def test_it_routes_anonymous_visitors(public_dave: Client) -> None:
    html = public_dave.get("/").content.decode()

    assert card_links(html, "Suppliers and bidders") == [
        ("/opportunities/", "Find tenders open for social value offers"),
        ("/framework/", "See the measures you can offer"),
        ("/calculator/", "Work out what your offer is worth"),
        ("/resources/?category=itt_wording", "Read the standard tender wording and templates"),
        ("/needs/", "Find out where help is needed most"),
        ("/partners/", "Find local partners to deliver with"),
        ("/account/sign-in/", "Sign in to send offers and quarterly returns"),
    ]
    assert card_links(html, "Council staff") == [
        ("/tenders/", "Set up and evaluate tenders"),
        ("/framework/", "Choose measures for a tender"),
        ("/resources/", "Find templates, guidance and training"),
        ("/faqs/", "Read answers to common questions"),
        ("/account/sign-in/", "Sign in with your work email address"),
        ("/api/v1/docs", "Connect your systems with the API"),
    ]
    residents = card_links(html, "Residents and community groups")
    assert residents[0] == ("/needs/", "See the needs of your area")
    assert ("/policy/", "Read the council’s social value policy") in residents
    assert ("/feedback/", "Tell us what worked and what could be better") in residents
    assert html.count('<span class="app-card__note">(sign in needed)</span>') == 2


def test_it_links_residents_to_case_studies_and_events_once_they_exist(
    public_dave: Client,
) -> None:
    html = public_dave.get("/").content.decode()

    residents = [href for href, _ in card_links(html, "Residents and community groups")]
    assert residents == [
        "/needs/",
        "/case-studies/",
        "/events/",
        "/policy/",
        "/framework/",
        "/feedback/",
        "/api/v1/docs",
    ]


def test_it_skips_a_link_whose_page_is_not_routed() -> None:
    links = [HomeLink("Nowhere", "nowhere:index"), HomeLink("Policy", "site:policy")]

    class Visitor:
        is_authenticated = False

    assert [link.href for link in links_for(links, Visitor())] == ["/policy/"]


@pytest.mark.parametrize(
    ("person", "sees_opportunities", "sees_tenders"),
    [
        ("supplier_bob", True, False),
        ("officer_alice", False, True),
        ("evaluator_erin", False, True),
        ("lead_lucy", False, True),
    ],
)
def test_it_shows_each_role_its_own_way_in(
    request: pytest.FixtureRequest,
    client_as: ClientAs,
    person: str,
    sees_opportunities: bool,
    sees_tenders: bool,
) -> None:
    html = client_as(request.getfixturevalue(person)).get("/").content.decode()

    assert ('href="/opportunities/"' in html) is sees_opportunities
    assert ('href="/tenders/">Set up and evaluate tenders' in html) is sees_tenders
    assert "(sign in needed)" not in html
    assert html.count('href="/account/">Go to your account</a>') == 2
    assert "/account/sign-in/" not in html
    assert 'href="/resources/?category=itt_wording"' in html


def test_it_reads_the_figures_from_the_councils_policy(
    public_dave: Client, lead_lucy: User
) -> None:
    council = Organisation.objects.get(name="Lancashire County Council")
    policy_update(
        policy=policy_for_organisation(organisation=council),
        threshold=Decimal("150000.00"),
        minimum_weighting=Decimal("12.50"),
    )

    html = public_dave.get("/").content.decode()

    assert '<span class="app-key-figure__value">£150,000</span>' in html
    assert '<span class="app-key-figure__value">12.5%</span>' in html
    assert "worth £150,000 or more? Your social value offer" in html


def test_it_uses_the_strategys_figures_without_a_council(public_dave: Client) -> None:
    html = public_dave.get("/").content.decode()

    assert '<span class="app-key-figure__value">£100,000</span>' in html
    assert '<span class="app-key-figure__value">10%</span>' in html


def test_it_links_the_policy_faqs_and_resources_from_every_footer(public_dave: Client) -> None:
    html = public_dave.get("/faqs/").content.decode()

    footer = html.split("<footer ", 1)[1]
    assert 'class="govuk-footer__link" href="/policy/">Policy</a>' in footer
    assert 'class="govuk-footer__link" href="/faqs/">FAQs</a>' in footer
    assert 'class="govuk-footer__link" href="/resources/">Resources</a>' in footer
    assert 'class="govuk-footer__link" href="/statement/">Annual statement</a>' in footer
    assert 'class="govuk-footer__link" href="/in-numbers/">In numbers</a>' in footer


def test_it_never_writes_when_showing_the_home_page(public_dave: Client, council: object) -> None:
    from socialvalue.procurement.models import Policy

    response = public_dave.get("/")
    assert response.status_code == 200
    assert "£100,000" in response.content.decode()
    assert not Policy.objects.exists()
