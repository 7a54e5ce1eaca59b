"""The dashboard's downloads hold the figures the page shows."""

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from socialvalue.accounts.models import User
from socialvalue.core.money import format_gbp
from socialvalue.insights.dashboard import TABLE_NAMES
from socialvalue.insights.tests.conftest import KpiWorld, cards, main_of, table_rows

pytestmark = pytest.mark.django_db

URL = reverse("insights:dashboard")
FY2024 = {"year": "2024"}
ClientAs = Callable[[User | None], Client]


@pytest.fixture
def alice(client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User) -> Client:
    return client_as(officer_alice)


def csv_rows(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def as_page(cell: object) -> str:
    """A file's cell as the page shows it: pounds as £1,234.56."""
    if isinstance(cell, int | float | Decimal) or (isinstance(cell, str) and cell[:1].isdigit()):
        return format_gbp(Decimal(str(cell)))
    return str(cell)


def test_it_downloads_the_theme_table_as_csv(alice: Client) -> None:
    response = alice.get(URL, {**FY2024, "format": "csv", "table": "theme"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="insight-lancashire-county-council-2024-25-theme.csv"'
    )
    rows = csv_rows(response)
    assert rows[:4] == [
        ["Theme", "Committed (£)", "Delivered, verified (£)"],
        ["Economic prosperity", "262000.00", "57400.00"],
        ["Employment and skills", "62570.00", "54748.75"],
        ["Total", "324570.00", "112148.75"],
    ]
    assert ["Figures for", "Lancashire County Council"] in rows
    assert ["Period", "2024-25"] in rows


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_it_downloads_each_table_with_the_figures_on_the_page(alice: Client, table: str) -> None:
    page = table_rows(main_of(alice.get(URL, FY2024)), table)

    rows = csv_rows(alice.get(URL, {**FY2024, "format": "csv", "table": table}))

    data = rows[1 : 1 + len(page)]
    assert [[as_page(cell) for cell in row] for row in data] == page
    assert rows[1 + len(page)][0] == "Total"


def test_it_downloads_every_table_in_one_workbook(alice: Client) -> None:
    page = main_of(alice.get(URL, FY2024))

    response = alice.get(URL, {**FY2024, "format": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Headline",
        "Quarter",
        "Theme",
        "District",
        "Organisation",
        "Directorate",
        "Category",
        "Supplier",
        "About",
    ]
    headline = {row[0]: row[1] for row in book["Headline"].iter_rows(min_row=2, values_only=True)}
    assert headline == cards(page)
    for table, sheet in [("theme", "Theme"), ("district", "District"), ("supplier", "Supplier")]:
        values = list(book[sheet].iter_rows(min_row=2, values_only=True))
        shown = table_rows(page, table)
        assert [[as_page(v) for v in row] for row in values[: len(shown)]] == shown
    assert book["Theme"]["B2"].value == 262000
    assert book["Theme"]["B2"].number_format == '"£"#,##0.00'


def test_it_downloads_one_table_as_xlsx(alice: Client) -> None:
    response = alice.get(URL, {**FY2024, "format": "xlsx", "table": "district"})

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["District", "About"]
    assert list(book["District"].iter_rows(values_only=True)) == [
        ("District", "Delivered, verified (£)"),
        ("Preston", 60642.5),
        ("Chorley", 31285),
        ("Burnley", 20221.25),
        ("Total", 112148.75),
    ]


def test_it_downloads_the_indicators_as_csv(alice: Client) -> None:
    rows = csv_rows(alice.get(URL, {**FY2024, "format": "csv"}))

    assert rows[0] == ["Indicator", "Figure", "How it was worked out", "Target", "Against target"]
    assert rows[2][:3] == [
        "Social value delivered (£)",
        "£112,148.75",
        "Verified return lines of the period, valued at the contracts’ proxies",
    ]


def test_it_applies_the_filters_to_the_downloads(alice: Client, kpi_world: KpiWorld) -> None:
    query = {**FY2024, "directorate": str(kpi_world.adults.pk), "format": "csv"}

    rows = csv_rows(alice.get(URL, {**query, "table": "supplier"}))

    assert rows[1:3] == [
        ["Carol's Care CIC", "62000.00", "17400.00"],
        ["Total", "62000.00", "17400.00"],
    ]
    assert ["Filter", "Directorate: Adult Services"] in rows


def test_it_links_each_table_to_its_downloads_with_the_filters(
    alice: Client, kpi_world: KpiWorld
) -> None:
    body = main_of(alice.get(URL, {**FY2024, "district": "E07000123"}))

    assert 'href="?year=2024&amp;district=E07000123&amp;format=csv&amp;table=theme"' in body
    assert 'href="?year=2024&amp;district=E07000123&amp;format=xlsx&amp;table=theme"' in body
    assert 'href="?year=2024&amp;district=E07000123&amp;format=xlsx"' in body


@pytest.mark.parametrize(
    "query",
    [{"format": "pdf"}, {"format": "csv", "table": "nonsense"}, {"format": "xlsx", "table": "x"}],
)
def test_it_refuses_unknown_downloads(alice: Client, query: dict[str, str]) -> None:
    assert alice.get(URL, query).status_code == 404


def test_it_keeps_cells_from_running_as_formulas(alice: Client, kpi_world: KpiWorld) -> None:
    kpi_world.carol.name = "=HYPERLINK(1)"
    kpi_world.carol.save()

    rows = csv_rows(alice.get(URL, {**FY2024, "format": "csv", "table": "supplier"}))

    assert rows[2][0] == "'=HYPERLINK(1)"
