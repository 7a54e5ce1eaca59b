"""Downloads of a framework version as CSV, XLSX and JSON."""

import csv
import io
import json
from decimal import Decimal

from django.test import Client
from openpyxl import load_workbook

from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.services import framework_file_parse, framework_version_load
from socialvalue.framework.tests.conftest import shipped_doc

HEADER = [
    "Theme",
    "Outcome",
    "Code",
    "Description",
    "Unit",
    "Proxy value (£)",
    "Value type",
    "Evidence required",
    "Examples",
]


def test_it_downloads_a_version_as_csv(public_dave: Client, toms: FrameworkVersion) -> None:
    response = public_dave.get("/framework/lancashire-toms-2024/download.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lancashire-toms-2024.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 44
    assert rows[0] == HEADER
    assert rows[1][:7] == [
        "Employment and skills",
        "More local people in employment",
        "NT1",
        "No. of full time equivalent direct local employees (FTE) hired or retained for the "
        "duration of the contract",
        "Number of people (FTE)",
        "31285.00",
        "Economic",
    ]
    by_code = {row[2]: row for row in rows[1:]}
    assert by_code["NT4"][5] == "15382.90"
    assert by_code["NT32"][5] == "0.06"
    assert by_code["NT41"][5] == ""


def test_it_downloads_a_version_as_xlsx(public_dave: Client, toms: FrameworkVersion) -> None:
    response = public_dave.get("/framework/lancashire-toms-2024/download.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="lancashire-toms-2024.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Measures", "About"]
    sheet = workbook["Measures"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) - 1 == 43
    nt4 = next(row for row in rows[1:] if row[2] == "NT4")
    assert Decimal(str(nt4[5])) == Decimal("15382.90")
    assert sheet["F2"].number_format == '"£"#,##0.00'
    nt41 = next(row for row in rows[1:] if row[2] == "NT41")
    assert nt41[5] is None
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["Version"] == "Lancashire TOMs 2024"
    assert about["Status"] == "Published"
    assert about["Attribution"] == toms.attribution
    assert "CC BY-NC-ND 4.0" in about["Licence"]
    assert about["Source"].startswith("Lancashire County Council, Social Value Strategy 2024-28")


def test_it_downloads_a_version_as_a_reloadable_data_file(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    response = public_dave.get("/framework/lancashire-toms-2024/download.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="lancashire-toms-2024.json"'
    doc = framework_file_parse(text=response.content.decode())
    assert doc == shipped_doc()


def test_it_reloads_a_download_as_a_new_draft(public_dave: Client, toms: FrameworkVersion) -> None:
    doc = json.loads(public_dave.get("/framework/lancashire-toms-2024/download.json").content)
    doc["version"]["slug"] = "lancashire-toms-copy"
    result = framework_version_load(text=json.dumps(doc))
    assert (result.themes, result.outcomes, result.measures) == (4, 20, 43)
    assert result.version.status == FrameworkVersion.Status.DRAFT


def test_it_offers_no_other_download_formats(public_dave: Client, toms: FrameworkVersion) -> None:
    assert public_dave.get("/framework/lancashire-toms-2024/download.pdf").status_code == 404
    assert public_dave.get("/framework/lancashire-toms-1999/download.csv").status_code == 404
