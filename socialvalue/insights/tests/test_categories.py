"""Category plan guidance: the figures by category and by measure, the suggested menu, the
pages, who may see them, and the downloads.

The figures are worked out by hand from ``kpi_world`` (see conftest.py). In 2024-25 the
council's contracts that started are A (highways), B (adult social care) and E (no
category); C started in 2023-24 and D is Blackpool's.

- Highways (A, £1,000,000): committed NT1 2 × £31,285 = £62,570, NT18 200,000 × £1 =
  £200,000, NT41 10 (no proxy): £262,570. Delivered to date (verified): NT1 0.5 + 1 = 1.5 →
  £46,927.50, NT18 40,000 → £40,000, NT41 4 → £0: £86,927.50 (the submitted, queried and
  rejected lines do not count). Rate 86,927.50 ÷ 262,570 = 33.11%; SV Add 26.257% → 26.26%.
  Measure rates: NT1 1.5 ÷ 2 = 75%, NT18 40,000 ÷ 200,000 = 20%, NT41 4 ÷ 10 = 40%.
- Adult social care (B, £365,000): NT14 100,000 × £0.12 = £12,000, NT19 50,000 → £50,000:
  £62,000. Delivered NT14 20,000 → £2,400, NT19 10,000 + 5,000 → £15,000: £17,400. Rate
  28.06%; SV Add 62,000 ÷ 365,000 = 16.99%.
- Not set (E, £3,000): no targets, so nothing committed, no rate, SV Add 0%.
- Total: 3 contracts, £324,570 committed, £104,327.50 delivered, 32.14%.
"""

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from socialvalue.accounts.models import User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.contracts.models import Contract, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.services import contract_register
from socialvalue.core.money import round_2dp
from socialvalue.core.quarters import Quarter
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.insights import kpis
from socialvalue.insights.categories import (
    NOT_SET_SLUG,
    CategoryGuidance,
    category_from_slug,
    category_guidance,
)
from socialvalue.insights.models import Place
from socialvalue.insights.tests.conftest import Q4, KpiWorld, main_of, table_rows
from socialvalue.procurement.models import Tender

pytestmark = pytest.mark.django_db


def two_dp(value: Decimal | None) -> Decimal:
    """A figure as the page shows it."""
    assert value is not None
    return round_2dp(value)


ClientAs = Callable[[User | None], Client]
URL = reverse("insights:categories")
HIGHWAYS_URL = reverse("insights:category", args=["highways"])
FY2024 = {"year": "2024"}
FY = (Quarter(2024, 1), Quarter(2024, 4))


def council_guidance(world: KpiWorld) -> CategoryGuidance:
    return category_guidance(kpis.Scope(frozenset({world.council.pk}), *FY))


# --- The figures -----------------------------------------------------------------------------


def test_it_works_out_each_category_by_hand(kpi_world: KpiWorld) -> None:
    guidance = council_guidance(kpi_world)

    assert [r.label for r in guidance.rows] == ["Highways", "Adult social care", "Not set"]
    highways, care, not_set = guidance.rows
    assert (highways.contracts, highways.committed, highways.delivered) == (
        1,
        Decimal("262570"),
        Decimal("86927.5"),
    )
    assert two_dp(highways.rate) == Decimal("33.11")
    assert highways.sv_add_mean == Decimal("26.257")
    assert (care.contracts, care.committed, care.delivered) == (
        1,
        Decimal("62000"),
        Decimal("17400"),
    )
    assert two_dp(care.rate) == Decimal("28.06")
    assert two_dp(care.sv_add_mean) == Decimal("16.99")
    assert (not_set.contracts, not_set.committed, not_set.delivered) == (1, 0, 0)
    assert not_set.rate is None
    assert not_set.sv_add_mean == 0
    assert (guidance.contracts, guidance.committed, guidance.delivered) == (
        3,
        Decimal("324570"),
        Decimal("104327.5"),
    )


def test_its_committed_figures_are_the_dashboards_by_category(kpi_world: KpiWorld) -> None:
    scope = kpis.Scope(frozenset({kpi_world.council.pk}), *FY)

    by_category = {r.key: r.committed for r in category_guidance(scope).rows if r.committed}

    assert by_category == kpis.committed_by(scope, "category")


def test_it_lists_a_categorys_measures_most_committed_first(kpi_world: KpiWorld) -> None:
    highways = council_guidance(kpi_world).row(Tender.Category.HIGHWAYS)

    rows = [
        (m.code, m.contracts, m.committed_value, m.delivered_quantity, m.rate)
        for m in highways.measures
    ]
    assert rows == [
        ("NT18", 1, Decimal("200000"), Decimal("40000"), Decimal("20")),
        ("NT1", 1, Decimal("62570"), Decimal("1.5"), Decimal("75")),
        ("NT41", 1, Decimal("0"), Decimal("4"), Decimal("40")),
    ]
    assert [m.code for m in highways.top_measures] == ["NT18", "NT1"]
    assert highways.menu == []


def test_it_leaves_out_contracts_that_started_before_the_period(kpi_world: KpiWorld) -> None:
    guidance = council_guidance(kpi_world)

    assert guidance.row(Tender.Category.CONSTRUCTION).contracts == 0  # C started in 2023-24
    older = category_guidance(
        kpis.Scope(frozenset({kpi_world.council.pk}), Quarter(2023, 1), Quarter(2023, 4))
    )
    construction = older.row(Tender.Category.CONSTRUCTION)
    # C: NT1 1 committed; 0.5 (2023-24) + 0.25 (2024-25) delivered to date.
    assert (construction.committed, construction.delivered) == (Decimal(31285), Decimal("23463.75"))


def test_it_has_no_rows_for_a_period_with_no_contracts(kpi_world: KpiWorld) -> None:
    guidance = category_guidance(
        kpis.Scope(frozenset({kpi_world.council.pk}), Quarter(2022, 1), Quarter(2022, 4))
    )

    assert guidance.rows == []
    assert guidance.rate is None


@pytest.mark.parametrize(
    ("slug", "key"),
    [("highways", "highways"), (NOT_SET_SLUG, ""), ("nonsense", None), ("", None)],
)
def test_it_reads_categories_from_addresses(slug: str, key: str | None) -> None:
    assert category_from_slug(slug) == key


# --- The suggested menu ----------------------------------------------------------------------


@pytest.fixture
def menu_world(kpi_world: KpiWorld, toms: FrameworkVersion) -> KpiWorld:
    """Two more highways contracts, F and G (Carol's, started in 2024-25), reported in Q4.

    F (£100,000): NT1 1, NT19 5,000, NT14 1,000; delivered NT1 1, NT19 4,000, NT14 1,000.
    G (£200,000): NT1 1, NT19 5,000; delivered NT1 1, NT19 4,000, and NT14 500, which G never
    committed to (so it does not count).

    Highways then: NT1 on 3 contracts, 3.5 of 4 = 87.5%; NT19 on 2, 8,000 of 10,000 = 80%
    (exactly the threshold); NT14 100% but on 1 contract; NT18 20%; NT41 40%.
    Committed £335,260 (A £262,570, F £36,405, G £36,285); delivered £157,617.50 (A £86,927.50,
    F £35,405, G £35,285): 47.01%. SV Add (26.257 + 36.405 + 18.1425) ÷ 3 = 26.93%.
    """
    measures = {m.code: m for m in Measure.objects.filter(version=toms)}
    carol_q4 = Return.objects.get(supplier=kpi_world.carol, period=period_for(Q4))

    def contract(ref: str, value: str, targets: list[tuple[str, str]]) -> Contract:
        return contract_register(
            organisation=kpi_world.council,
            supplier=kpi_world.carol,
            reference=ref,
            title=f"Contract {ref}",
            lever=Contract.Lever.PROCUREMENT,
            value=Decimal(value),
            start_date=date(2024, 5, 1),
            end_date=date(2025, 4, 30),
            framework_version=toms,
            targets=[(measures[code], Decimal(q)) for code, q in targets],
            category=Tender.Category.HIGHWAYS,
        )

    f = contract("LCC-F", "100000.00", [("NT1", "1"), ("NT19", "5000"), ("NT14", "1000")])
    g = contract("LCC-G", "200000.00", [("NT1", "1"), ("NT19", "5000")])
    for con, code, qty in [
        (f, "NT1", "1"),
        (f, "NT19", "4000"),
        (f, "NT14", "1000"),
        (g, "NT1", "1"),
        (g, "NT19", "4000"),
        (g, "NT14", "500"),
    ]:
        ReturnLine.objects.create(
            return_record=carol_q4,
            contract=con,
            measure=measures[code],
            quantity=Decimal(qty),
            district="E07000123",
            status=ReturnLine.Status.VERIFIED,
        )
    return kpi_world


def test_it_suggests_measures_delivered_well_on_enough_contracts(menu_world: KpiWorld) -> None:
    highways = council_guidance(menu_world).row(Tender.Category.HIGHWAYS)

    assert [(m.code, m.rate) for m in highways.menu] == [
        ("NT1", Decimal("87.5")),
        ("NT19", Decimal("80")),
    ]
    assert [(m.code, m.contracts) for m in highways.measures] == [
        ("NT18", 1),
        ("NT1", 3),
        ("NT19", 2),
        ("NT14", 1),
        ("NT41", 1),
    ]
    nt14 = next(m for m in highways.measures if m.code == "NT14")
    assert (nt14.delivered_quantity, nt14.rate, nt14.is_suggested) == (
        Decimal(1000),
        Decimal(100),
        False,
    )
    assert (highways.committed, highways.delivered) == (Decimal(335260), Decimal("157617.5"))
    assert two_dp(highways.rate) == Decimal("47.01")
    assert two_dp(highways.sv_add_mean) == Decimal("26.93")


# --- The pages -------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client) -> None:
    for url in (URL, HIGHWAYS_URL):
        response = public_dave.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["supplier_bob", "partner_pat"])
def test_it_refuses_suppliers_and_partners(
    client_as: ClientAs, kpi_world: KpiWorld, who: str, request: pytest.FixtureRequest
) -> None:
    c = client_as(request.getfixturevalue(who))

    assert c.get(URL).status_code == 403
    assert c.get(HIGHWAYS_URL).status_code == 403
    assert c.get(URL, {"format": "csv"}).status_code == 403


@pytest.mark.parametrize("who", ["lead_lucy", "officer_alice", "evaluator_erin"])
def test_it_shows_council_staff_the_table(
    client_as: ClientAs, kpi_world: KpiWorld, who: str, request: pytest.FixtureRequest
) -> None:
    response = client_as(request.getfixturevalue(who)).get(URL, FY2024)

    assert response.status_code == 200
    assert table_rows(main_of(response), "categories") == [
        ["Highways", "1", "£262,570.00", "£86,927.50", "33.11%", "26.26%", "NT18, NT1"],
        ["Adult social care", "1", "£62,000.00", "£17,400.00", "28.06%", "16.99%", "NT19, NT14"],
        ["Not set", "1", "£0.00", "£0.00", "—", "0.00%", "None"],
    ]
    body = main_of(response)
    assert "£324,570.00" in body
    assert "£104,327.50" in body
    assert "32.14%" in body
    assert 'href="/insights/categories/highways/?year=2024"' in body


def test_it_shows_a_category_with_its_menu(
    client_as: ClientAs, menu_world: KpiWorld, lead_lucy: User
) -> None:
    response = client_as(lead_lucy).get(HIGHWAYS_URL, FY2024)

    assert response.status_code == 200
    body = main_of(response)
    assert '<h1 class="govuk-heading-xl">Highways</h1>' in body
    menu = table_rows(body, "menu")
    assert [(r[0].split()[0], r[1], r[4]) for r in menu] == [
        ("NT1", "3", "87.50%"),
        ("NT19", "2", "80.00%"),
    ]
    measures = table_rows(body, "measures")
    assert [r[0].split()[0] for r in measures] == ["NT18", "NT1", "NT19", "NT14", "NT41"]
    assert "£335,260.00" in body
    assert "47.01%" in body
    assert "26.93%" in body


def test_it_says_when_no_measure_makes_the_menu(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    body = main_of(client_as(officer_alice).get(HIGHWAYS_URL, FY2024))

    assert "No measure meets this yet" in body
    assert 'id="menu-table"' not in body


def test_it_shows_an_empty_period(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    c = client_as(officer_alice)
    period = {"first": "2025-q1", "last": "2025-q2"}

    assert "No contract started in Q1 2025-26 to Q2 2025-26" in main_of(c.get(URL, period))
    detail = main_of(c.get(HIGHWAYS_URL, period))
    assert "No highways contract started in Q1 2025-26 to Q2 2025-26" in detail
    not_set = main_of(c.get(reverse("insights:category", args=[NOT_SET_SLUG]), period))
    assert "No contract without a category started" in not_set


def test_it_does_not_find_a_category_that_does_not_exist(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    url = reverse("insights:category", args=["spaceships"])

    assert client_as(officer_alice).get(url).status_code == 404


def test_it_shows_olga_blackpools_categories_and_never_the_councils(
    client_as: ClientAs, kpi_world: KpiWorld, officer_olga: User
) -> None:
    olga = client_as(officer_olga)
    body = main_of(olga.get(URL, FY2024))

    # D: NT1 5 → £156,425 + NT18 100,000 → £256,425; delivered NT1 3 + NT18 60,000 = £153,855.
    assert table_rows(body, "categories") == [
        ["Highways", "1", "£256,425.00", "£153,855.00", "60.00%", "51.29%", "NT1, NT18"],
    ]
    assert "Lancashire County Council" not in body
    assert "Adult social care" not in body
    council = str(kpi_world.council.pk)
    assert olga.get(URL, {"organisation": council}).status_code == 404
    assert olga.get(HIGHWAYS_URL, {"organisation": council}).status_code == 404
    csv_text = olga.get(URL, {**FY2024, "format": "csv"}).content.decode("utf-8-sig")
    assert "262570" not in csv_text
    assert "Blackpool Council" in csv_text


def test_it_lets_a_place_lead_see_every_member(
    client_as: ClientAs, kpi_world: KpiWorld, greater_lancashire: Place, lead_lucy: User
) -> None:
    c = client_as(lead_lucy)
    both = main_of(c.get(URL, FY2024))
    only_blackpool = main_of(c.get(URL, {**FY2024, "organisation": str(kpi_world.blackpool.pk)}))

    # Highways: A £262,570 + D £256,425; delivered £86,927.50 + £153,855.
    assert table_rows(both, "categories")[0][:4] == [
        "Highways",
        "2",
        "£518,995.00",
        "£240,782.50",
    ]
    assert "Adult social care" not in only_blackpool


# --- Downloads -------------------------------------------------------------------------------


def test_it_downloads_the_categories_as_csv(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    response = client_as(officer_alice).get(URL, {**FY2024, "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert (
        "insight-lancashire-county-council-2024-25-categories.csv"
        in (response["Content-Disposition"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[:5] == [
        [
            "Category",
            "Contracts started",
            "Committed (£)",
            "Delivered to date, verified (£)",
            "Delivery rate (%)",
            "Average SV Add (%)",
            "Most committed measures",
        ],
        ["Highways", "1", "262570.00", "86927.50", "33.11", "26.26", "NT18, NT1"],
        ["Adult social care", "1", "62000.00", "17400.00", "28.06", "16.99", "NT19, NT14"],
        ["Not set", "1", "0.00", "0.00", "", "0.00", ""],
        ["Total", "3", "324570.00", "104327.50", "32.14", "", ""],
    ]
    assert ["Figures for", "Lancashire County Council"] in rows
    assert ["Period", "2024-25"] in rows


def test_it_downloads_a_category_as_csv_and_xlsx(
    client_as: ClientAs, menu_world: KpiWorld, officer_alice: User
) -> None:
    c = client_as(officer_alice)
    rows = list(
        csv.reader(
            io.StringIO(
                c.get(HIGHWAYS_URL, {**FY2024, "format": "csv"}).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][0] == "Measure"
    assert [r[0] for r in rows[1:6]] == ["NT18", "NT1", "NT19", "NT14", "NT41"]
    nt1 = rows[2]
    assert nt1[3:] == ["3", "4", "125140.00", "3.5", "109497.50", "87.50", "Yes"]

    response = c.get(HIGHWAYS_URL, {**FY2024, "format": "xlsx"})
    assert "category-highways.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Measures", "Suggested menu", "About"]
    menu = [[cell.value for cell in row] for row in book["Suggested menu"].iter_rows(min_row=2)]
    assert [(r[0], r[8]) for r in menu] == [("NT1", 87.5), ("NT19", 80)]
    about = [[cell.value for cell in row] for row in book["About"].iter_rows()]
    assert ["Category", "Highways"] in about


def test_it_refuses_an_unknown_format(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    assert client_as(officer_alice).get(URL, {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize(
    "url", [URL, HIGHWAYS_URL, reverse("insights:needs")], ids=["list", "category", "needs"]
)
def test_it_explains_when_an_account_has_no_organisation(client_as: ClientAs, url: str) -> None:
    stray = UserFactory.create(
        email="stray@lancashire.example", role=User.Role.OFFICER, organisation=None
    )

    response = client_as(stray).get(url)

    assert response.status_code == 200
    assert "not linked to a buying organisation" in main_of(response)


def test_it_explains_a_period_it_cannot_use(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    response = client_as(officer_alice).get(URL, {"first": "2024-q3"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: Category plan guidance" in body
    assert "Choose both the first and the last quarter" in body
