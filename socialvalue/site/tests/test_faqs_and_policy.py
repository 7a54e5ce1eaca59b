"""The FAQs and the policy page: published content only, readable without JavaScript."""

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.procurement.services import policy_for_organisation, policy_update
from socialvalue.site.models import Faq, Page
from socialvalue.site.services import content_unpublish, page_update

pytestmark = pytest.mark.django_db

MakeFaq = Callable[..., Faq]


def test_it_groups_published_faqs_by_category_in_order(
    public_dave: Client, make_faq: MakeFaq
) -> None:
    make_faq("Who can I contact?", category="local", order=20)
    make_faq("How are offers scored?", category="bidding", order=20)
    make_faq("Which contracts need social value?", category="bidding", order=10)
    make_faq("What is social value?", category="basics")
    make_faq("Is this a draft?", category="basics", published=False)

    html = public_dave.get("/faqs/").content.decode()

    headings = re.findall(r'<h2 class="govuk-heading-l[^"]*" id="faqs-(\w+)">', html)
    questions = re.findall(r'<span class="govuk-details__summary-text">(.*?)</span>', html)
    assert headings == ["basics", "bidding", "local"]
    assert questions == [
        "What is social value?",
        "Which contracts need social value?",
        "How are offers scored?",
        "Who can I contact?",
    ]
    assert "Is this a draft?" not in html


def test_it_uses_details_that_work_without_javascript(
    public_dave: Client, make_faq: MakeFaq
) -> None:
    make_faq("What is a proxy value?", answer="An agreed amount in **pounds**.")

    html = public_dave.get("/faqs/").content.decode()

    assert '<details class="govuk-details" id="what-is-a-proxy-value">' in html
    assert '<summary class="govuk-details__summary">' in html
    assert "An agreed amount in <strong>pounds</strong>." in html


def test_it_removes_scripts_from_answers(public_dave: Client, make_faq: MakeFaq) -> None:
    make_faq("Unsafe?", answer="<script>alert('x')</script>Fine.")

    html = public_dave.get("/faqs/").content.decode()

    assert "<script>alert" not in html
    assert "Fine." in html


def test_it_hides_an_unpublished_faq(
    public_dave: Client, lead_lucy: User, make_faq: MakeFaq
) -> None:
    faq = make_faq("Soon out of date?")
    content_unpublish(item=faq, user=lead_lucy)

    html = public_dave.get("/faqs/").content.decode()

    assert "Soon out of date?" not in html
    assert "There are no questions and answers here yet." in html


def test_it_shows_the_published_policy(public_dave: Client, policy_page: Page) -> None:
    response = public_dave.get("/policy/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Social value policy</h1>' in html
    for heading in (
        "Policy vision and scope",
        "Introduction",
        "Policy objectives",
        "Achieving our social value ambitions",
        "Governance",
        "Useful links",
    ):
        assert f'<h2 class="govuk-heading-m">{heading}</h2>' in html
    assert "every contract worth £100,000 or more must include social value" in html
    for path in ("/framework/", "/calculator/", "/needs/", "/partners/"):
        assert f'href="{path}"' in html


def test_it_never_shows_a_draft_policy(
    public_dave: Client, lead_lucy: User, policy_page: Page
) -> None:
    page_update(page=policy_page, user=lead_lucy, body="Secret draft wording.")
    content_unpublish(item=policy_page, user=lead_lucy)

    response = public_dave.get("/policy/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Secret draft wording." not in html
    assert "The full policy is not available at the moment." in html
    assert "contracts worth £100,000 or more must include social value" in html


def test_it_gives_the_councils_own_figures_when_there_is_no_policy_page(
    public_dave: Client, lead_lucy: User
) -> None:
    council = Organisation.objects.get(name="Lancashire County Council")
    policy_update(
        policy=policy_for_organisation(organisation=council),
        threshold=Decimal("250000.00"),
        minimum_weighting=Decimal("15.00"),
    )

    html = public_dave.get("/policy/").content.decode()

    assert "contracts worth £250,000 or more must include social value" in html
    assert "social value is worth at least 15% of a tender’s marks" in html
