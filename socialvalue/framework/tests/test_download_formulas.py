"""The framework downloads show a measure's wording as text, even when it looks like a
formula, and its proxy value as a number."""

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.tests.conftest import framework_doc, load_doc, measure_doc

EVIL = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def wording(db: None) -> FrameworkVersion:
    """A published version whose NT1 is worded as someone loading a data file might have."""
    nt1 = measure_doc(
        "NT1", "12.50", description=EVIL, unit="+1+1", evidence_required="-2+3", examples="@SUM(A1)"
    )
    return load_doc(framework_doc("test-toms-1", [nt1]), publish=True)


def test_it_writes_wording_into_the_csv_as_text(
    public_dave: Client, wording: FrameworkVersion
) -> None:
    response = public_dave.get("/framework/test-toms-1/download.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    nt1 = next(row for row in rows if row[2] == "NT1")
    assert [nt1[3], nt1[4], nt1[5], nt1[7], nt1[8]] == [
        "'" + EVIL,
        "'+1+1",
        "12.50",
        "'-2+3",
        "'@SUM(A1)",
    ]


def test_it_writes_wording_into_the_workbook_as_text(
    public_dave: Client, wording: FrameworkVersion
) -> None:
    response = public_dave.get("/framework/test-toms-1/download.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["Measures"]
    nt1 = next(row for row in sheet.iter_rows(min_row=2) if row[2].value == "NT1")
    assert [(c.value, c.data_type, c.quotePrefix) for c in (nt1[3], nt1[4], nt1[7], nt1[8])] == [
        (EVIL, "s", True),
        ("+1+1", "s", True),
        ("-2+3", "s", True),
        ("@SUM(A1)", "s", True),
    ]
    assert (float(nt1[5].value), nt1[5].data_type) == (12.5, "n")
