"""Needs against delivery: delivered value by district beside high to severe deprivation.

Deprivation here is a small made-up set of neighbourhoods, so the shares can be worked out
by hand (the real data's figures are checked by the needs app's own tests):

- IMD deciles: Preston 1, 2, 5, 9 (2 of 4 high to severe: 50%); Burnley 1, 3 (2 of 2:
  100%); Chorley 4, 6, 7, 8, 10 (0 of 5: 0%); Blackpool 1, 1, 2 (3 of 3: 100%). Lancashire's
  7 high to severe LSOAs: Preston 2/7 = 28.57%, Burnley 28.57%, Chorley 0%, Blackpool 42.86%.
- Employment deciles: Preston 1, 1, 1, 1 (100%); no other district has any.

Delivered in 2024-25 (``kpi_world``), the council's £112,148.75:

- Preston: A NT1 0.5 → £15,642.50, A NT18 40,000, B NT19 5,000: £60,642.50 (54.07%).
- Burnley: C NT1 0.25 → £7,821.25, B NT14 20,000 × £0.12 = £2,400, B NT19 10,000:
  £20,221.25 (18.03%).
- Chorley: A NT1 1 → £31,285 (and NT41 4, no proxy): £31,285 (27.90%).

Blackpool's £153,855 is all in Blackpool. Map bands for the council: the largest, £60,642.50,
in 5 steps of a round amount → steps of £20,000: Preston band 4, Burnley and Chorley 2.
"""

import csv
import html
import io
import json
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import User
from socialvalue.core.geography import District
from socialvalue.core.money import round_2dp
from socialvalue.core.quarters import Quarter
from socialvalue.insights import kpis
from socialvalue.insights.models import Place
from socialvalue.insights.needs_delivery import (
    DistrictRow,
    NeedsDelivery,
    band_for,
    band_step,
    legend,
    needs_delivery,
)
from socialvalue.insights.tests.conftest import KpiWorld, main_of
from socialvalue.needs.data_files import ATTRIBUTION_LINES
from socialvalue.needs.models import Area, AreaDeprivation

pytestmark = pytest.mark.django_db


def two_dp(value: Decimal | None) -> Decimal:
    """A figure as the page shows it."""
    assert value is not None
    return round_2dp(value)


ClientAs = Callable[[User | None], Client]
URL = reverse("insights:needs")
FY2024 = {"year": "2024"}
FY = (Quarter(2024, 1), Quarter(2024, 4))

IMD = {
    District.PRESTON: [1, 2, 5, 9],
    District.BURNLEY: [1, 3],
    District.CHORLEY: [4, 6, 7, 8, 10],
    District.BLACKPOOL: [1, 1, 2],
}


@pytest.fixture
def needs_areas(db: None) -> None:
    region = Area.objects.create(code="E12000002", name="North West", level=Area.Level.REGION)
    n = 0
    for district, deciles in IMD.items():
        parent = Area.objects.create(
            code=district.value, name=district.label, level=Area.Level.DISTRICT, parent=region
        )
        for decile in deciles:
            n += 1
            lsoa = Area.objects.create(
                code=f"E0100{n:04d}",
                name=f"{district.label} {n}",
                level=Area.Level.LSOA,
                parent=parent,
            )
            AreaDeprivation.objects.create(area=lsoa, domain="imd", rank=n, decile=decile)
            if district == District.PRESTON:
                AreaDeprivation.objects.create(area=lsoa, domain="employment", rank=n, decile=1)


def council_scope(world: KpiWorld) -> kpis.Scope:
    return kpis.Scope(frozenset({world.council.pk}), *FY)


def rows_by_name(report: NeedsDelivery) -> dict[str, DistrictRow]:
    return {r.name: r for r in report.rows}


def text_rows(body: str) -> list[list[str]]:
    table = body[body.index('id="needs-delivery-table"') :]
    table = table[table.index("<tbody") : table.index("</tbody>")]
    return [
        [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]


# --- The figures -----------------------------------------------------------------------------


def test_it_puts_delivery_beside_need_by_hand(kpi_world: KpiWorld, needs_areas: None) -> None:
    report = needs_delivery(council_scope(kpi_world), "imd")
    rows = rows_by_name(report)

    preston, burnley, chorley = rows["Preston"], rows["Burnley"], rows["Chorley"]
    assert (preston.delivered, preston.high_count, preston.lsoa_count) == (
        Decimal("60642.5"),
        2,
        4,
    )
    assert two_dp(preston.delivered_share) == Decimal("54.07")
    assert preston.high_percent == Decimal(50)
    assert two_dp(preston.need_share) == Decimal("28.57")
    assert burnley.delivered == Decimal("20221.25")
    assert two_dp(burnley.delivered_share) == Decimal("18.03")
    assert burnley.high_percent == Decimal(100)
    assert chorley.delivered == Decimal(31285)
    assert chorley.high_percent == 0
    blackpool = rows["Blackpool"]
    assert blackpool.delivered == 0
    assert two_dp(blackpool.need_share) == Decimal("42.86")
    fylde = rows["Fylde"]
    assert (fylde.lsoa_count, fylde.high_percent, fylde.need_share) == (None, None, None)
    assert report.delivered_total == Decimal("112148.75")
    assert (report.high_total, report.lsoa_total) == (7, 14)
    assert report.delivered_total == kpis.delivered_value(council_scope(kpi_world))


def test_it_lists_the_fourteen_districts_then_outside_lancashire(
    kpi_world: KpiWorld, needs_areas: None
) -> None:
    report = needs_delivery(council_scope(kpi_world), "imd")

    assert len(report.districts) == 14
    assert report.rows[-1].name == "Outside Lancashire"
    assert report.outside.lsoa_count is None
    # Largest delivery first, then equal figures by name.
    assert [r.name for r in report.districts[:4]] == [
        "Preston",
        "Chorley",
        "Burnley",
        "Blackburn with Darwen",
    ]


@pytest.mark.parametrize(
    ("sort", "descending", "first"),
    [
        ("district", False, ["Blackburn with Darwen", "Blackpool", "Burnley"]),
        ("district", True, ["Wyre", "West Lancashire", "South Ribble"]),
        ("delivered", False, ["Blackburn with Darwen", "Blackpool", "Fylde"]),
        ("need", True, ["Blackpool", "Burnley", "Preston", "Chorley", "Blackburn with Darwen"]),
        ("need", False, ["Chorley", "Preston", "Blackpool", "Burnley", "Blackburn with Darwen"]),
        ("need_share", True, ["Blackpool", "Burnley", "Preston", "Chorley"]),
    ],
)
def test_it_sorts_the_districts(
    kpi_world: KpiWorld, needs_areas: None, sort: str, descending: bool, first: list[str]
) -> None:
    report = needs_delivery(council_scope(kpi_world), "imd", sort, descending)

    assert [r.name for r in report.districts[: len(first)]] == first


def test_it_uses_the_chosen_need(kpi_world: KpiWorld, needs_areas: None) -> None:
    rows = rows_by_name(needs_delivery(council_scope(kpi_world), "employment"))

    assert rows["Preston"].high_percent == Decimal(100)
    assert rows["Preston"].need_share == Decimal(100)
    assert rows["Burnley"].lsoa_count is None


def test_it_shades_districts_in_round_steps(kpi_world: KpiWorld, needs_areas: None) -> None:
    rows = rows_by_name(needs_delivery(council_scope(kpi_world), "imd"))

    assert {name: r.band for name, r in rows.items() if r.band} == {
        "Preston": 4,
        "Chorley": 2,
        "Burnley": 2,
    }


@pytest.mark.parametrize(
    ("largest", "step"),
    [("60642.5", "20000"), ("153855", "50000"), ("100", "20"), ("5", "1"), ("0", "1")],
)
def test_it_picks_a_round_step(largest: str, step: str) -> None:
    assert band_step(Decimal(largest)) == Decimal(step)


def test_it_bands_values_and_labels_the_legend() -> None:
    step = Decimal(20000)

    assert [band_for(Decimal(v), step) for v in ("0", "0.01", "20000", "20000.01", "99999")] == [
        0,
        1,
        1,
        2,
        5,
    ]
    assert [b.label for b in legend(step)] == [
        "Nothing delivered",
        "Up to £20,000",
        "Over £20,000 to £40,000",
        "Over £40,000 to £60,000",
        "Over £60,000 to £80,000",
        "Over £80,000 to £100,000",
    ]


def test_it_has_nothing_to_compare_without_needs_data(kpi_world: KpiWorld) -> None:
    report = needs_delivery(council_scope(kpi_world), "imd")

    assert not report.has_needs_data
    assert report.delivered_total == Decimal("112148.75")
    assert all(r.need_share is None for r in report.rows)


# --- The page --------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client) -> None:
    response = public_dave.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["supplier_bob", "partner_pat"])
def test_it_refuses_suppliers_and_partners(
    client_as: ClientAs, kpi_world: KpiWorld, who: str, request: pytest.FixtureRequest
) -> None:
    c = client_as(request.getfixturevalue(who))

    assert c.get(URL).status_code == 403
    assert c.get(URL, {"format": "csv"}).status_code == 403


@pytest.mark.parametrize("who", ["lead_lucy", "officer_alice", "evaluator_erin"])
def test_it_shows_council_staff_the_table(
    client_as: ClientAs,
    kpi_world: KpiWorld,
    needs_areas: None,
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    response = client_as(request.getfixturevalue(who)).get(URL, FY2024)

    assert response.status_code == 200
    body = main_of(response)
    rows = text_rows(body)
    assert rows[:3] == [
        ["Preston", "£60,642.50", "54.07%", "50.00% (2 of 4)", "28.57%"],
        ["Chorley", "£31,285.00", "27.90%", "0.00% (0 of 5)", "0.00%"],
        ["Burnley", "£20,221.25", "18.03%", "100.00% (2 of 2)", "28.57%"],
    ]
    assert ["Fylde", "£0.00", "0.00%", "No data", "—"] in rows
    assert rows[-1] == ["Outside Lancashire", "£0.00", "0.00%", "Not applicable", "—"]
    assert "£112,148.75" in body
    assert "Lancashire County Council, 2024-25" in body


def test_it_shows_the_data_attribution_and_the_definition(
    client_as: ClientAs, kpi_world: KpiWorld, needs_areas: None, officer_alice: User
) -> None:
    body = main_of(client_as(officer_alice).get(URL, FY2024))

    for line in ATTRIBUTION_LINES[:4]:
        assert line in body
    assert "national deciles 1 to 3" in body


def test_it_gives_the_map_its_figures_and_the_boundaries_address(
    client_as: ClientAs, kpi_world: KpiWorld, needs_areas: None, officer_alice: User
) -> None:
    response = client_as(officer_alice).get(URL, {**FY2024, "domain": "employment"})
    body = response.content.decode()

    found = re.search(
        r'<script id="needs-delivery-config" type="application/json">(.*?)</script>', body
    )
    assert found
    config = json.loads(found.group(1))
    assert config["districtUrl"] == "/api/v1/needs/areas.geojson?level=district&domain=employment"
    assert config["rows"][District.PRESTON.value] == {
        "name": "Preston",
        "band": 4,
        "delivered": "60642.50",
        "share": "54.07",
        "need": "100.00",
    }
    assert "Up to £20,000" in body
    assert "insights/needs_map.js" in body


def test_it_sorts_by_a_column_without_javascript(
    client_as: ClientAs, kpi_world: KpiWorld, needs_areas: None, officer_alice: User
) -> None:
    c = client_as(officer_alice)
    body = main_of(c.get(URL, {**FY2024, "sort": "need", "order": "desc"}))

    assert [r[0] for r in text_rows(body)[:3]] == ["Blackpool", "Burnley", "Preston"]
    assert 'aria-sort="descending"' in body
    assert "sort=need&amp;order=asc" in body  # the same column again turns it round
    ignored = main_of(c.get(URL, {**FY2024, "sort": "nonsense", "order": "sideways"}))
    assert text_rows(ignored)[0][0] == "Preston"


def test_it_says_when_nothing_was_delivered(
    client_as: ClientAs, kpi_world: KpiWorld, needs_areas: None, officer_alice: User
) -> None:
    body = main_of(client_as(officer_alice).get(URL, {"year": "2023"}))

    assert "No verified social value was delivered in 2023-24" not in body  # C's 0.5 NT1
    empty = main_of(client_as(officer_alice).get(URL, {"first": "2025-q1", "last": "2025-q1"}))
    assert "No verified social value was delivered in Q1 2025-26" in empty


def test_it_works_without_needs_data(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    body = main_of(client_as(officer_alice).get(URL, FY2024))

    assert "No local-needs data is loaded" in body
    assert "£112,148.75" in body
    assert 'id="needs-delivery-map"' not in body


def test_it_shows_olga_blackpools_delivery_and_never_the_councils(
    client_as: ClientAs, kpi_world: KpiWorld, needs_areas: None, officer_olga: User
) -> None:
    olga = client_as(officer_olga)
    body = main_of(olga.get(URL, FY2024))

    assert text_rows(body)[0] == [
        "Blackpool",
        "£153,855.00",
        "100.00%",
        "100.00% (3 of 3)",
        "42.86%",
    ]
    assert "£60,642.50" not in body
    assert "Lancashire County Council" not in body
    assert olga.get(URL, {"organisation": str(kpi_world.council.pk)}).status_code == 404
    csv_text = olga.get(URL, {**FY2024, "format": "csv"}).content.decode("utf-8-sig")
    assert "60642.50" not in csv_text


def test_it_lets_a_place_lead_see_every_member(
    client_as: ClientAs,
    kpi_world: KpiWorld,
    needs_areas: None,
    greater_lancashire: Place,
    lead_lucy: User,
) -> None:
    body = main_of(client_as(lead_lucy).get(URL, FY2024))

    assert text_rows(body)[0][:2] == ["Blackpool", "£153,855.00"]
    assert "£266,003.75" in body


# --- Download --------------------------------------------------------------------------------


def test_it_downloads_the_table_as_csv(
    client_as: ClientAs, kpi_world: KpiWorld, needs_areas: None, officer_alice: User
) -> None:
    response = client_as(officer_alice).get(URL, {**FY2024, "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert (
        "insight-lancashire-county-council-2024-25-needs-imd.csv"
        in (response["Content-Disposition"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "District",
        "ONS code",
        "Delivered, verified (£)",
        "Share of delivered (%)",
        "LSOAs",
        "LSOAs in high to severe deprivation (Index of Multiple Deprivation (IMD))",
        "High to severe (%)",
        "Share of Lancashire's high to severe LSOAs (%)",
    ]
    assert rows[1] == ["Preston", "E07000123", "60642.50", "54.07", "4", "2", "50.00", "28.57"]
    assert ["Fylde", "E07000119", "0.00", "0.00", "", "", "", ""] in rows
    assert ["Outside Lancashire", "", "0.00", "0.00", "", "", "", ""] in rows
    assert ["Total", "", "112148.75", "100.00", "14", "7", "50.00", "100.00"] in rows
    assert ["Need", "Index of Multiple Deprivation (IMD)"] in rows
    assert ["Source", ATTRIBUTION_LINES[1]] in rows


def test_it_offers_no_spreadsheet_of_the_needs_table(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    assert client_as(officer_alice).get(URL, {"format": "xlsx"}).status_code == 404
