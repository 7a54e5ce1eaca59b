"""The insight downloads (dashboard, category guidance, needs against delivery, training)
show names and labels that look like formulas as text, and figures as numbers."""

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from socialvalue.accounts.models import Directorate, Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.insights.exports import SheetSpec, sheet_csv_response, sheets_xlsx_response
from socialvalue.insights.models import TrainingCompletion, TrainingCourse
from socialvalue.insights.tests.conftest import KpiWorld

pytestmark = pytest.mark.django_db

ClientAs = Callable[[User | None], Client]
EVIL = '=HYPERLINK("http://evil","x")'
DASHBOARD = reverse("insights:dashboard")
FY2024 = {"year": "2024"}


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def renamed(kpi_world: KpiWorld, bobs_building: Organisation) -> KpiWorld:
    """The world with Bob's company and the Adult Services directorate renamed."""
    Organisation.objects.filter(pk=bobs_building.pk).update(name=EVIL)
    Directorate.objects.filter(pk=kpi_world.adults.pk).update(name="-2+3")
    return kpi_world


def test_it_writes_names_into_the_dashboard_csv_as_text(
    renamed: KpiWorld, client_as: ClientAs, officer_alice: User
) -> None:
    alice = client_as(officer_alice)
    rows = csv_rows(alice.get(DASHBOARD, {**FY2024, "format": "csv", "table": "supplier"}))
    assert ["'" + EVIL, "262570.00", "94748.75"] in rows
    rows = csv_rows(alice.get(DASHBOARD, {**FY2024, "format": "csv", "table": "directorate"}))
    assert "'-2+3" in [row[0] for row in rows if row]
    query = {**FY2024, "directorate": str(renamed.adults.pk), "format": "csv"}
    assert ["Filter", "Directorate: -2+3"] in csv_rows(alice.get(DASHBOARD, query))


def test_it_writes_names_into_the_dashboard_workbook_as_text(
    renamed: KpiWorld, client_as: ClientAs, officer_alice: User
) -> None:
    response = client_as(officer_alice).get(DASHBOARD, {**FY2024, "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    bob = next(row for row in book["Supplier"].iter_rows(min_row=2) if row[0].value == EVIL)
    assert [(c.value, c.data_type) for c in bob] == [(EVIL, "s"), (262570, "n"), (94748.75, "n")]
    assert bob[0].quotePrefix
    directorate = next(
        row[0] for row in book["Directorate"].iter_rows(min_row=2) if row[0].value == "-2+3"
    )
    assert (directorate.value, directorate.data_type, directorate.quotePrefix) == (
        "-2+3",
        "s",
        True,
    )


# The category guidance and needs-against-delivery downloads are SheetSpec tables.
SPEC = SheetSpec(
    title="Measures",
    header=["Measure", "Committed (£)", "Contracts", "Change"],
    rows=[[EVIL, Decimal("1250.50"), 3, Decimal("-2.50")], ["@SUM(A1)", Decimal("0"), 0, -3]],
    money_columns=frozenset({1}),
)
ABOUT = [["Figures for", "+1+1"]]


def test_it_writes_plain_tables_as_csv_with_text_escaped_and_numbers_kept() -> None:
    rows = csv_rows(sheet_csv_response(SPEC, ABOUT, "category-highways"))
    assert rows == [
        ["Measure", "Committed (£)", "Contracts", "Change"],
        ["'" + EVIL, "1250.50", "3", "-2.50"],
        ["'@SUM(A1)", "0", "0", "-3"],
        [],
        ["Figures for", "'+1+1"],
    ]


def test_it_writes_plain_tables_as_xlsx_with_text_as_text_and_numbers_kept() -> None:
    book = load_workbook(io.BytesIO(sheets_xlsx_response([SPEC], ABOUT, "needs").content))
    first, second = book["Measures"].iter_rows(min_row=2)
    assert [(c.value, c.data_type) for c in first] == [
        (EVIL, "s"),
        (1250.5, "n"),
        (3, "n"),
        (-2.5, "n"),
    ]
    assert [(c.value, c.data_type) for c in second] == [
        ("@SUM(A1)", "s"),
        (0, "n"),
        (0, "n"),
        (-3, "n"),
    ]
    assert first[0].quotePrefix
    assert second[0].quotePrefix
    about = book["About"]["B1"]
    assert (about.value, about.data_type, about.quotePrefix) == ("+1+1", "s", True)


def test_it_writes_names_and_courses_into_the_training_csv_as_text(
    council: Organisation, client_as: ClientAs, lead_lucy: User
) -> None:
    course = TrainingCourse.objects.create(
        organisation=council, title="-2+3", kind=TrainingCourse.Kind.WEBINAR
    )
    eve = UserFactory.create(email="eve@lancashire.example", full_name="+1+1", organisation=council)
    TrainingCompletion.objects.create(course=course, user=eve, completed_on=date(2022, 6, 1))
    rows = csv_rows(client_as(lead_lucy).get("/insights/training/officers.csv?year=2022"))
    assert ["'+1+1", "eve@lancashire.example", "Officer", "Yes", "'-2+3", "2022-06-01"] in rows
