"""``/in-numbers/``: the public headline figures of Greater Lancashire, on ``kpi_world``.

Today is 30 June 2025, so the latest complete financial year is 2024-25 (every record of
``kpi_world``, figures worked out in test_kpis.py) and the year so far is Q1 2025-26.
Greater Lancashire is the council (lead) and Blackpool.

Proxies: NT1 £31,285; NT18 and NT19 £1; NT14 £0.12; NT41 none.
"""

import html
import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.money import round_2dp
from socialvalue.core.quarters import Quarter
from socialvalue.insights import public_figures
from socialvalue.insights.models import Place
from socialvalue.insights.public_figures import place_figures
from socialvalue.insights.tests.conftest import KpiWorld, cards, main_of, table_rows

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = date(2025, 6, 30)
URL = reverse("insights:in_numbers")
PLACE_URL = reverse("insights:in_numbers_place", args=["greater-lancashire"])
ClientAs = Callable[[User | None], Client]
NO_PLACE = "No place partnership has been set up yet, so there are no figures to show."

YEAR_CARDS = {
    # 324,570 (council: A 262,570 + B 62,000) + 256,425 (Blackpool: D)
    "Social value committed": "£580,995.00",
    # 112,148.75 (council) + 153,855 (Blackpool); submitted, queried and rejected lines and
    # the 2023-24 line do not count.
    "Social value delivered": "£266,003.75",
    "Social Value Add delivered": "21.71%",  # 266,003.75 / 1,225,000 = 21.7146…%
    "Social Value Add committed": "31.10%",  # 580,995 / 1,868,000 = 31.1025…%
    "Spend with local suppliers": "£100,000.00",  # NT18 verified: A 40,000 + D 60,000
    "Spend with local micro, small and medium enterprises": "£15,000.00",  # B NT19
    "Spend with voluntary, community and social enterprises": "£20,000.00",  # B NT14
    "Contracts reporting": "4",  # A, B, C and D have verified lines; E has none
    # Q1 the council's own, Q2 Bob's about A, Q3 Blackpool's; not Carol's (no contract of
    # the members) nor the council's draft.
    "Case studies published": "3",
}


@pytest.fixture(autouse=True)
def on_30_june_2025(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public_figures, "today", lambda: TODAY)


@pytest.fixture
def world(kpi_world: KpiWorld, greater_lancashire: Place) -> KpiWorld:
    return kpi_world


def section(body: str, key: str) -> str:
    """One period's part of the page: ``year`` or ``to-date``."""
    start = body.index(f'id="period-{key}"')
    return body[start : body.index("</section>", start)]


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def chart_data(body: str, key: str) -> dict[str, object]:
    found = re.search(
        rf'<script id="chart-members-{key}-data" type="application/json">(.*?)</script>', body
    )
    assert found is not None
    return json.loads(found.group(1))


# --- The figures, worked out by hand ---------------------------------------------------------


def test_it_works_out_the_places_latest_complete_year_exactly(world: KpiWorld) -> None:
    place = Place.objects.get(slug="greater-lancashire")
    year = place_figures(place).latest_year

    assert (year.label, year.first, year.last) == ("2024-25", Quarter(2024, 1), Quarter(2024, 4))
    assert year.committed_value == D("580995")
    assert year.awarded_value == D("1868000")  # A 1,000,000 + B 365,000 + E 3,000 + D 500,000
    assert year.delivered_value == D("266003.75")
    assert year.contract_spend == D("1225000")  # 725,000 council + 500,000 Blackpool
    assert (year.local_spend, year.msme_spend, year.vcse_spend) == (
        D("100000"),
        D("15000"),
        D("20000"),
    )
    assert round_2dp(year.local_spend_percent or D(0)) == D("8.16")  # 100,000 / 1,225,000
    assert round_2dp(year.msme_spend_percent or D(0)) == D("1.22")
    assert round_2dp(year.vcse_spend_percent or D(0)) == D("1.63")
    assert year.contracts_reporting == 4
    assert year.case_studies == 3
    # Each member's own figures, most delivered first; together they are the place's.
    assert [(m.organisation.name, m.committed, m.delivered) for m in year.members] == [
        ("Blackpool Council", D("256425"), D("153855")),
        ("Lancashire County Council", D("324570"), D("112148.75")),
    ]
    assert year.members_committed == year.committed_value
    assert year.members_delivered == year.delivered_value


def test_it_works_out_the_year_so_far(world: KpiWorld) -> None:
    so_far = place_figures(Place.objects.get()).year_to_date

    assert so_far.label == "2025-26 so far (Q1)"
    assert (so_far.first, so_far.last) == (Quarter(2025, 1), Quarter(2025, 1))
    # No contract started and nothing was delivered in April to June 2025, but A and B ran:
    # A 1,000,000 × 91/730 + B 365,000 × 91/365 = 124,657.53… + 91,000.
    assert so_far.committed_value == so_far.awarded_value == so_far.delivered_value == D(0)
    assert round_2dp(so_far.contract_spend) == D("215657.53")
    assert so_far.delivered_sv_add == D(0)
    assert so_far.committed_sv_add is None
    assert so_far.contracts_reporting == 0
    assert so_far.case_studies == 0
    assert so_far.has_data
    assert [(m.organisation.name, m.committed, m.delivered) for m in so_far.members] == [
        ("Blackpool Council", D(0), D(0)),
        ("Lancashire County Council", D(0), D(0)),
    ]


def test_it_counts_the_quarters_of_the_year_so_far(world: KpiWorld) -> None:
    place = Place.objects.get()

    assert place_figures(place, date(2025, 12, 1)).year_to_date.label == "2025-26 so far (Q1 to Q3)"
    assert place_figures(place, date(2026, 3, 31)).latest_year.label == "2024-25"
    assert place_figures(place, date(2026, 4, 1)).latest_year.label == "2025-26"


# --- The page ----------------------------------------------------------------------------------


def test_it_shows_the_headline_figures_of_the_latest_year(
    world: KpiWorld, public_dave: Client
) -> None:
    response = public_dave.get(URL)

    assert response.status_code == 200
    body = main_of(response)
    assert '<h1 class="govuk-heading-xl">Greater Lancashire in numbers</h1>' in body
    assert cards(section(body, "year")) == YEAR_CARDS
    assert "The latest complete financial year: 1 April 2024 to 31 March 2025." in body
    assert table_rows(body, "members-year") == [
        ["Blackpool Council", "£256,425.00", "£153,855.00"],
        ["Lancashire County Council", "£324,570.00", "£112,148.75"],
    ]
    year = text_of(section(body, "year"))
    assert "Total £580,995.00 £266,003.75" in year
    assert "8.16% of £1,225,000.00 contract spend" in year
    assert "£266,003.75 delivered of £1,225,000.00 contract spend" in year
    assert "£580,995.00 committed of £1,868,000.00 awarded" in year


def test_it_shows_the_year_so_far(world: KpiWorld, public_dave: Client) -> None:
    body = main_of(public_dave.get(URL))

    shown = cards(section(body, "to-date"))
    assert shown["Social value committed"] == "£0.00"
    assert shown["Social value delivered"] == "£0.00"
    assert shown["Social Value Add delivered"] == "0.00%"
    assert shown["Social Value Add committed"] == "No data"  # nothing awarded yet
    assert shown["Contracts reporting"] == "0"
    assert "2025-26 so far (Q1)" in body
    assert "This financial year so far: 1 April 2025 to 30 June 2025." in body
    assert table_rows(body, "members-to-date") == [
        ["Blackpool Council", "£0.00", "£0.00"],
        ["Lancashire County Council", "£0.00", "£0.00"],
    ]


def test_it_lists_the_published_case_studies_with_links(
    world: KpiWorld, public_dave: Client
) -> None:
    body = main_of(public_dave.get(URL))
    stories = body[body.index('id="case-studies-heading"') :]

    links = re.findall(r'<a class="govuk-link" href="/case-studies/([^/]+)/">([^<]+)</a>', stories)
    assert links == [("story-4", "Story 4"), ("story-2", "Story 2"), ("story-1", "Story 1")]
    assert "3 case studies published since 1 April 2024" in text_of(stories)
    assert "Story 3" not in body  # Carol's, about no contract of the members
    assert "Story 5" not in body  # a draft
    assert f'href="{reverse("stories:index")}"' in stories


def test_it_names_the_members_and_the_lead(world: KpiWorld, public_dave: Client) -> None:
    body = text_of(main_of(public_dave.get(URL)))

    assert "2 buying organisations report together as Greater Lancashire" in body
    assert "Lancashire County Council (lead)" in body
    assert "led by Lancashire County Council" in body


def test_it_draws_each_member_table_as_a_chart_too(world: KpiWorld, public_dave: Client) -> None:
    body = public_dave.get(URL).content.decode()

    assert chart_data(body, "year") == {
        "type": "bar",
        "horizontal": True,
        "labels": ["Blackpool Council", "Lancashire County Council"],
        "datasets": [
            {"label": "Committed", "data": ["256425.00", "324570.00"]},
            {"label": "Delivered (verified)", "data": ["153855.00", "112148.75"]},
        ],
    }
    # Hidden until drawn, so the page works without JavaScript: the table is the figures.
    assert 'data-chart="chart-members-year-data" hidden' in body
    assert "The figures are in the table above." in body
    assert "chart-members-to-date-data" not in body  # nothing to draw in the year so far
    assert "insights/charts.js" in body


def test_it_shows_only_public_figures(world: KpiWorld, public_dave: Client) -> None:
    body = main_of(public_dave.get(URL))

    for private in ("Returns submitted on time", "Officers trained", "Tenders", "Bob's Building"):
        assert private not in body
    assert "Download" not in body


@pytest.mark.parametrize(
    "who", [None, "supplier_bob", "supplier_carol", "officer_alice", "officer_olga", "lead_lucy"]
)
def test_it_is_the_same_page_for_everyone(
    world: KpiWorld, client_as: ClientAs, request: pytest.FixtureRequest, who: str | None
) -> None:
    user = request.getfixturevalue(who) if who else None
    response = client_as(user).get(URL)

    assert response.status_code == 200
    assert cards(section(main_of(response), "year")) == YEAR_CARDS


def test_it_answers_only_reading(world: KpiWorld, public_dave: Client) -> None:
    assert public_dave.post(URL).status_code == 405
    assert public_dave.post(PLACE_URL).status_code == 405
    assert public_dave.head(URL).status_code == 200


def test_it_has_a_page_per_place(world: KpiWorld, public_dave: Client) -> None:
    response = public_dave.get(PLACE_URL)

    assert response.status_code == 200
    assert cards(section(main_of(response), "year")) == YEAR_CARDS
    assert public_dave.get("/in-numbers/nowhere/").status_code == 404


# --- Empty states and several places -----------------------------------------------------------


def test_it_explains_when_no_place_partnership_is_set_up(
    kpi_world: KpiWorld, public_dave: Client
) -> None:
    response = public_dave.get(URL)

    assert response.status_code == 200
    body = main_of(response)
    assert NO_PLACE in body
    assert "£" not in body  # no figures for the buying organisations on their own
    assert f'href="{reverse("insights:statement_public")}"' in body


def test_it_hides_a_place_that_is_not_public(world: KpiWorld, public_dave: Client) -> None:
    Place.objects.update(is_public=False)

    assert NO_PLACE in main_of(public_dave.get(URL))
    assert public_dave.get(PLACE_URL).status_code == 404


def test_it_offers_a_choice_when_there_are_several_places(
    world: KpiWorld, public_dave: Client
) -> None:
    fylde = Place.objects.create(
        name="Fylde Coast",
        slug="fylde-coast",
        lead_organisation=world.blackpool,
        description="Blackpool and its neighbours.",
    )
    fylde.members.add(world.blackpool)

    body = main_of(public_dave.get(URL))
    assert re.findall(r'href="(/in-numbers/[^"]+)">([^<]+)</a>', body) == [
        ("/in-numbers/fylde-coast/", "Fylde Coast in numbers"),
        ("/in-numbers/greater-lancashire/", "Greater Lancashire in numbers"),
    ]
    assert "Blackpool and its neighbours." in body

    response = public_dave.get("/in-numbers/fylde-coast/")
    page = main_of(response)
    assert cards(section(page, "year"))["Social value delivered"] == "£153,855.00"  # D only
    assert table_rows(page, "members-year") == [["Blackpool Council", "£256,425.00", "£153,855.00"]]
    # The way back to the choice.
    assert f'<a class="govuk-breadcrumbs__link" href="{URL}">In numbers</a>' in (
        response.content.decode()
    )


def test_it_says_when_a_period_has_nothing_yet(world: KpiWorld, public_dave: Client) -> None:
    # Blackpool's only contract ended on 31 March 2025: its year so far is empty.
    Place.objects.get().members.remove(world.council)

    body = main_of(public_dave.get(URL))
    so_far = section(body, "to-date")
    assert "No social value was committed or delivered in 2025-26 so far (Q1) yet" in so_far
    assert "app-kpi" not in so_far
    assert cards(section(body, "year"))["Social value delivered"] == "£153,855.00"


def test_it_shows_a_place_with_no_members_yet(
    council: Organisation, public_dave: Client, toms: object
) -> None:
    Place.objects.create(
        name="Greater Lancashire", slug="greater-lancashire", lead_organisation=council
    )

    response = public_dave.get(URL)
    assert response.status_code == 200
    body = main_of(response)
    assert "No buying organisation has joined Greater Lancashire yet." in body
    assert "No social value was committed or delivered in 2024-25" in body
    assert "No case study has been published since 1 April 2024" in body
    assert "charts.js" not in response.content.decode()


def test_it_links_the_latest_six_case_studies_only(world: KpiWorld, public_dave: Client) -> None:
    from socialvalue.stories.models import CaseStudy

    template = CaseStudy.objects.get(slug="story-1")
    for n in range(10, 14):  # four more of the council's, in Q4 2024-25
        template.pk = None
        template.slug, template.title = f"story-{n}", f"Story {n}"
        assert template.published_at is not None
        template.published_at = template.published_at.replace(year=2025, month=2, day=n)
        template.save()

    stories = main_of(public_dave.get(URL))
    stories = stories[stories.index('id="case-studies-heading"') :]
    assert "7 case studies published since 1 April 2024 by the members or about their " in stories
    assert "contracts; the latest 6:" in stories
    titles = re.findall(r'href="/case-studies/story-\d+/">([^<]+)</a>', stories)
    assert titles == ["Story 13", "Story 12", "Story 11", "Story 10", "Story 4", "Story 2"]
