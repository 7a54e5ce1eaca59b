"""The dashboard's figures, filters and targets, on ``kpi_world`` (figures from test_kpis.py)."""

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import User
from socialvalue.insights import dashboard_forms as forms
from socialvalue.insights.dashboard import BELOW, MET, NOT_YET, target_status
from socialvalue.insights.models import Kpi, KpiTarget, Place
from socialvalue.insights.tests.conftest import KpiWorld, cards, main_of, table_rows

pytestmark = pytest.mark.django_db

URL = reverse("insights:dashboard")
ClientAs = Callable[[User | None], Client]


@pytest.fixture
def alice(client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User) -> Client:
    return client_as(officer_alice)


def test_it_shows_the_years_kpis_worked_out_by_hand(alice: Client) -> None:
    shown = cards(main_of(alice.get(URL, {"year": "2024"})))

    assert shown == {
        Kpi.COMMITTED_VALUE.label: "£324,570.00",
        Kpi.DELIVERED_VALUE.label: "£112,148.75",
        Kpi.DELIVERED_SV_ADD.label: "15.47%",  # 112,148.75 / 725,000
        Kpi.COMMITTED_SV_ADD.label: "23.73%",  # 324,570 / 1,368,000
        Kpi.LOCAL_SPEND.label: "£40,000.00",
        Kpi.MSME_SPEND.label: "£15,000.00",
        Kpi.VCSE_SPEND.label: "£20,000.00",
        Kpi.RETURNS_ON_TIME.label: "66.67%",  # 4 of 6
        Kpi.OFFICERS_TRAINED.label: "33.33%",  # 1 of 3
        Kpi.CASE_STUDIES.label: "2 case studies",
        Kpi.TENDERS_WITH_SV.label: "50.00%",  # 1 of 2
    }


def test_it_shows_every_breakdown_as_a_table(alice: Client) -> None:
    body = main_of(alice.get(URL, {"year": "2024"}))

    assert table_rows(body, "quarter") == [
        ["Q1 2024-25", "£262,570.00", "£63,463.75"],
        ["Q2 2024-25", "£0.00", "£31,285.00"],
        ["Q3 2024-25", "£62,000.00", "£12,400.00"],
        ["Q4 2024-25", "£0.00", "£5,000.00"],
    ]
    assert table_rows(body, "theme") == [
        ["Economic prosperity", "£262,000.00", "£57,400.00"],
        ["Employment and skills", "£62,570.00", "£54,748.75"],
    ]
    assert table_rows(body, "district") == [
        ["Preston", "£60,642.50"],
        ["Chorley", "£31,285.00"],
        ["Burnley", "£20,221.25"],
    ]
    assert table_rows(body, "organisation") == [
        ["Lancashire County Council", "£324,570.00", "£112,148.75"]
    ]
    assert table_rows(body, "directorate") == [
        ["Growth, Environment and Transport", "£262,570.00", "£86,927.50"],
        ["Adult Services", "£62,000.00", "£17,400.00"],
        ["Not set", "£0.00", "£7,821.25"],
    ]
    assert table_rows(body, "category")[0] == ["Highways", "£262,570.00", "£86,927.50"]
    assert table_rows(body, "supplier") == [
        ["Bob's Building Ltd", "£262,570.00", "£94,748.75"],
        ["Carol's Care CIC", "£62,000.00", "£17,400.00"],
    ]
    assert body.count('<th scope="col"') == 7 * 3 - 1  # the district table has no committed
    assert body.count("<caption") == 7
    assert "Social value committed and delivered by theme, 2024-25</caption>" in body


@pytest.mark.parametrize(
    ("filters", "delivered", "committed"),
    [
        ({"directorate": "adults"}, "£17,400.00", "£62,000.00"),
        ({"supplier": "carol"}, "£17,400.00", "£62,000.00"),
        ({"category": "construction"}, "£7,821.25", "£0.00"),
        ({"district": "E07000123"}, "£60,642.50", "£324,570.00"),  # Preston
        ({"theme": "economic-prosperity"}, "£57,400.00", "£262,000.00"),
        ({"first": "2024-q2", "last": "2024-q3"}, "£43,685.00", "£62,000.00"),
    ],
)
def test_it_narrows_the_figures_with_each_filter(
    alice: Client,
    kpi_world: KpiWorld,
    filters: dict[str, str],
    delivered: str,
    committed: str,
) -> None:
    ids = {"adults": kpi_world.adults.pk, "carol": kpi_world.carol.pk}
    query = {"year": "2024", **{k: str(ids.get(v, v)) for k, v in filters.items()}}

    shown = cards(main_of(alice.get(URL, query)))

    assert shown[Kpi.DELIVERED_VALUE.label] == delivered
    assert shown[Kpi.COMMITTED_VALUE.label] == committed


def test_it_says_which_filters_are_applied(alice: Client, kpi_world: KpiWorld) -> None:
    body = main_of(alice.get(URL, {"year": "2024", "directorate": str(kpi_world.adults.pk)}))

    assert "<li>Directorate: Adult Services</li>" in body
    assert "Clear filters" in body


def test_it_shows_a_quarter_range_instead_of_the_year(alice: Client) -> None:
    body = main_of(alice.get(URL, {"year": "2024", "first": "2024-q2", "last": "2024-q3"}))

    assert "Lancashire County Council, Q2 2024-25 to Q3 2024-25" in body
    assert [row[0] for row in table_rows(body, "quarter")] == ["Q2 2024-25", "Q3 2024-25"]


def test_it_shows_this_financial_year_by_default_and_says_when_there_is_nothing(
    alice: Client,
) -> None:
    body = main_of(alice.get(URL))

    # kpi_world's contracts had all ended by 1 April 2026.
    assert "No social value was committed or delivered in" in body
    assert "<canvas" not in body
    assert "<table" not in body


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"year": "1999"}, "year", forms.ERR_YEAR),
        ({"first": "2024-q2"}, "last", forms.ERR_BOTH_QUARTERS),
        ({"first": "2024-q3", "last": "2024-q1"}, "last", forms.ERR_QUARTER_ORDER),
        ({"first": "2024-q9", "last": "2024-q1"}, "first", forms.ERR_QUARTER),
        ({"directorate": "99999"}, "directorate", forms.ERR_DIRECTORATE),
        ({"supplier": "abc"}, "supplier", forms.ERR_SUPPLIER),
        ({"category": "nonsense"}, "category", forms.ERR_CATEGORY),
        ({"district": "E99"}, "district", forms.ERR_DISTRICT),
        ({"theme": "<script>"}, "theme", forms.ERR_THEME),
    ],
)
def test_it_explains_a_bad_filter_and_shows_the_rest(
    alice: Client, query: dict[str, str], field: str, message: str
) -> None:
    response = alice.get(URL, query)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: " in body
    assert f'href="#id_{field}">{message}</a>' in body.replace("&#x27;", "'")
    assert f'id="id_{field}-error"' in body


def test_it_shows_each_figure_against_its_target(alice: Client, kpi_world: KpiWorld) -> None:
    for kpi, target in [
        (Kpi.DELIVERED_VALUE, "100000"),  # 112,148.75: met
        (Kpi.COMMITTED_VALUE, "400000"),  # 324,570 and the year is over: below
        (Kpi.RETURNS_ON_TIME, "70"),  # 66.67%: below
        (Kpi.OFFICERS_TRAINED, "30"),  # 33.33%: met
    ]:
        KpiTarget.objects.create(
            organisation=kpi_world.council, kpi=kpi, year=2024, target=Decimal(target)
        )

    body = main_of(alice.get(URL, {"year": "2024"}))

    assert status_of(body, Kpi.DELIVERED_VALUE) == ("Target: £100,000.00", "Target met")
    assert status_of(body, Kpi.COMMITTED_VALUE) == ("Target: £400,000.00", "Below target")
    assert status_of(body, Kpi.RETURNS_ON_TIME) == ("Target: 70.00%", "Below target")
    assert status_of(body, Kpi.OFFICERS_TRAINED) == ("Target: 30.00%", "Target met")
    assert status_of(body, Kpi.LOCAL_SPEND) == ("No target set", "")
    # Q1 and Q2 had one each, Q3 and Q4 none, against the strategy's one a quarter.
    assert status_of(body, Kpi.CASE_STUDIES) == ("Target: 1 a quarter", "Below target")

    part = main_of(alice.get(URL, {"first": "2024-q1", "last": "2024-q2"}))
    assert status_of(part, Kpi.COMMITTED_VALUE) == ("Target: £400,000.00", "Not met yet")
    assert status_of(part, Kpi.CASE_STUDIES) == ("Target: 1 a quarter", "Target met")

    spanning = main_of(alice.get(URL, {"first": "2024-q4", "last": "2025-q1"}))
    assert status_of(spanning, Kpi.DELIVERED_VALUE) == ("No target set", "")
    assert "choose quarters of one year to compare" in spanning


def test_it_shows_the_place_figures_against_the_places_targets(
    alice: Client, kpi_world: KpiWorld, greater_lancashire: Place
) -> None:
    KpiTarget.objects.create(
        place=greater_lancashire, kpi=Kpi.DELIVERED_VALUE, year=2024, target=Decimal(250000)
    )
    KpiTarget.objects.create(
        organisation=kpi_world.council, kpi=Kpi.DELIVERED_VALUE, year=2024, target=Decimal(1)
    )

    body = main_of(alice.get(URL, {"year": "2024"}))

    # 266,003.75 for the place against its own target of 250,000.
    assert cards(body)[Kpi.DELIVERED_VALUE.label] == "£266,003.75"
    assert status_of(body, Kpi.DELIVERED_VALUE) == ("Target: £250,000.00", "Target met")


@pytest.mark.parametrize(
    ("kpi", "actual", "target", "year_over", "status"),
    [
        (Kpi.RETURNS_ON_TIME, Decimal(200) / 3, "66.67", True, MET),  # 66.666… shows 66.67%
        (Kpi.RETURNS_ON_TIME, Decimal(200) / 3, "66.68", False, BELOW),
        (Kpi.DELIVERED_VALUE, Decimal("99.994"), "99.99", False, MET),
        (Kpi.DELIVERED_VALUE, Decimal("99.98"), "99.99", False, NOT_YET),
        (Kpi.DELIVERED_VALUE, Decimal("99.98"), "99.99", True, BELOW),
        (Kpi.TENDERS_WITH_SV, None, "50", True, None),  # no tenders: nothing to compare
    ],
)
def test_it_compares_the_figure_as_shown_with_the_target(
    kpi: Kpi, actual: Decimal | None, target: str, year_over: bool, status: str | None
) -> None:
    assert target_status(kpi, actual, Decimal(target), year_over) == status


def status_of(body: str, kpi: Kpi) -> tuple[str, str]:
    card = body[body.index(f">{kpi.label}</h3>".replace("'", "&#x27;")) :]
    target = card[card.index('app-kpi__target">') + len('app-kpi__target">') :]
    target = target[: target.index("</p>")]
    tag = re.search(r'govuk-tag[^"]*">([^<]+)<', target)
    return re.sub(r"<strong.*", "", target).strip(), tag.group(1) if tag else ""


def test_it_draws_charts_over_their_tables_without_inline_script(alice: Client) -> None:
    response = alice.get(URL, {"year": "2024"})
    body = main_of(response)
    page = response.content.decode()

    for chart, table in [("quarter", "quarter"), ("theme", "theme"), ("district", "district")]:
        canvas = re.search(rf'<canvas id="chart-{chart}" role="img" aria-label="([^"]+)"', body)
        assert canvas is not None
        assert "The figures are in the table that follows." in canvas.group(1)
        assert f'data-chart="chart-{chart}-data" hidden' in body
        assert f'<script id="chart-{chart}-data" type="application/json">' in body
        assert body.index(f"chart-{chart}-data") < body.index(f'id="{table}-table"')
    assert '"data": ["63463.75", "31285.00", "12400.00", "5000.00"]' in body
    assert "/static/dist/chart.umd.min.js" in page
    assert "/static/insights/charts.js" in page
    assert "<script>" not in body
