"""The offer spreadsheet: the template, and reading it back all-or-nothing."""

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from socialvalue.accounts.models import Organisation
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.procurement.models import Commitment, QualitativeResponse, Tender
from socialvalue.procurement.offers.xlsx_import import (
    ERR_NO_LINES,
    ERR_NOT_XLSX,
    OfferImportError,
    OfferLine,
    offer_xlsx_parse,
)
from socialvalue.procurement.offers.xlsx_template import offer_template_xlsx
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker

HEADER_ROW = 8
ANSWERS = {
    "Activity": "Hire two local people through the Preston depot.",
    "Who delivers": "Our site manager and HR adviser.",
    "When": "From month 1, reviewed each quarter.",
    "Partners": "Preston College",
    "Evidence to be provided": "Payroll extracts and postcodes each quarter.",
}


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = "https://socialvalue.example"


# --- Helpers: what a supplier does with the file in Excel --------------------------------


def _open(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def _save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _headers(sheet: Worksheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[HEADER_ROW] if isinstance(cell.value, str)}


def _row_of(sheet: Worksheet, code: str) -> int:
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == code:
            return row
    raise AssertionError(f"{code} is not in the template")


def _fill(sheet: Worksheet, row: int, **values: Any) -> None:
    headers = _headers(sheet)
    for header, value in values.items():
        sheet.cell(row=row, column=headers[header.replace("_", " ")]).value = value


def _first_extra_row(sheet: Worksheet) -> int:
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        value = sheet.cell(row=row, column=1).value
        if isinstance(value, str) and value.startswith("Extra lines"):
            return row + 1
    raise AssertionError("no extra lines")


def _swap_columns(sheet: Worksheet, first: str, second: str) -> None:
    headers = _headers(sheet)
    a, b = headers[first], headers[second]
    for row in range(HEADER_ROW, sheet.max_row + 1):
        cell_a, cell_b = sheet.cell(row=row, column=a), sheet.cell(row=row, column=b)
        if isinstance(cell_a, MergedCell) or isinstance(cell_b, MergedCell):
            continue
        cell_a.value, cell_b.value = cell_b.value, cell_a.value


def _answers(**overrides: Any) -> dict[str, Any]:
    values = {key.replace(" ", "_"): value for key, value in ANSWERS.items()}
    values.update(overrides)
    return values


def _measure(version: FrameworkVersion, code: str) -> Measure:
    return Measure.objects.get(version=version, code=code)


# --- The template ------------------------------------------------------------------------


def test_it_lists_every_menu_measure_with_its_proxy(make_tender: TenderMaker) -> None:
    tender = make_tender()
    workbook = _open(offer_template_xlsx(tender=tender))
    assert workbook.sheetnames == ["Offer", "Instructions", "meta"]
    sheet = workbook["Offer"]
    assert [cell.value for cell in sheet[HEADER_ROW]] == [
        "Code",
        "Theme",
        "Measure",
        "Unit",
        "Proxy value (£)",
        "Quantity",
        "Target district",
        "Activity",
        "Who delivers",
        "When",
        "Partners",
        "Evidence to be provided",
        "Value (£)",
    ]
    codes = [sheet.cell(row=row, column=1).value for row in range(9, 52)]
    assert len(codes) == 43
    assert codes[:4] == ["NT1", "NT3", "NT3d", "NT4"]
    assert codes[-1] == "NT53"
    nt1 = [sheet.cell(row=9, column=col).value for col in range(1, 6)]
    assert nt1[0] == "NT1"
    assert nt1[1] == "Employment and skills"
    assert nt1[3] == "Number of people (FTE)"
    assert nt1[4] == 31285
    assert sheet.cell(row=9, column=5).number_format == '"£"#,##0.00##'
    assert sheet.cell(row=35, column=1).value == "NT41"
    assert sheet.cell(row=35, column=5).value == "No proxy value"
    assert sheet.cell(row=9, column=13).value == '=IF(ISNUMBER(F9),IF(ISNUMBER(E9),F9*E9,0),"")'
    assert sheet.cell(row=74, column=13).value == "=SUM(M9:M72)"


def test_it_names_the_tender_and_its_scoring_in_the_title_block(
    make_tender: TenderMaker,
) -> None:
    tender = make_tender(reference="LCC-T-777", title="School meals")
    sheet = _open(offer_template_xlsx(tender=tender))["Offer"]
    assert sheet["A1"].value == "Social value offer: LCC-T-777 School meals"
    assert sheet["A3"].value == (
        "Social value is worth 10% of the total marks for this tender: 5 marks for the "
        "quantitative offer and 5 marks for the qualitative delivery plan."
    )
    assert sheet["A4"].value.startswith(
        "The quantitative offer is compared on counted value: the £ total of your counted "
        "commitments. The deliverability threshold is 2:"
    )
    assert (
        sheet["A5"].hyperlink.target
        == "https://socialvalue.example/framework/lancashire-toms-2024/"
    )
    assert "https://socialvalue.example/needs/" in sheet["A6"].value


def test_it_protects_the_councils_columns_and_unlocks_the_suppliers(
    make_tender: TenderMaker,
) -> None:
    sheet = _open(offer_template_xlsx(tender=make_tender()))["Offer"]
    assert sheet.protection.sheet is True
    assert not sheet.protection.password
    assert sheet.freeze_panes == "B9"
    locked = [sheet.cell(row=9, column=col).protection.locked for col in range(1, 14)]
    assert locked == [True] * 5 + [False] * 7 + [True]
    extra = _first_extra_row(sheet)
    assert sheet.cell(row=extra, column=1).protection.locked is False  # type a code here
    assert sheet.cell(row=9, column=8).alignment.wrap_text is True


def test_it_offers_the_districts_as_a_dropdown(make_tender: TenderMaker) -> None:
    sheet = _open(offer_template_xlsx(tender=make_tender()))["Offer"]
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    district = rules["G9:G72"]
    assert district.type == "list"
    assert district.formula1 == (
        '"Blackburn with Darwen,Blackpool,Burnley,Chorley,Fylde,Hyndburn,Lancaster,Pendle,'
        'Preston,Ribble Valley,Rossendale,South Ribble,West Lancashire,Wyre,Outside Lancashire"'
    )


def test_it_hides_the_tender_it_was_made_for(make_tender: TenderMaker) -> None:
    tender = make_tender()
    meta = _open(offer_template_xlsx(tender=tender))["meta"]
    assert meta.sheet_state == "hidden"
    values = {row[0]: row[1] for row in meta.iter_rows(values_only=True)}
    assert values["tender_id"] == tender.pk
    assert values["tender_reference"] == tender.reference
    assert values["framework_version"] == "lancashire-toms-2024"


def test_it_explains_how_to_fill_it_in(make_tender: TenderMaker) -> None:
    tender = make_tender(deliverability_threshold=3)
    sheet = _open(offer_template_xlsx(tender=tender))["Instructions"]
    text = "\n".join(str(row[0]) for row in sheet.iter_rows(values_only=True) if row[0])
    assert "Rows with the quantity left blank are ignored." in text
    assert (
        "Every row with a quantity needs its delivery plan answers: Activity, Who delivers, "
        "When and Evidence to be provided. Partners is optional." in text
    )
    assert "The deliverability threshold is 3" in text
    assert (
        "Quantitative score = 5 × your counted value ÷ the highest counted value of all offers."
        in text
    )
    assert "5 Excellent: " in text


# --- Round trips -------------------------------------------------------------------------


def test_it_reads_back_what_a_supplier_typed_even_with_columns_moved(
    make_tender: TenderMaker, toms: FrameworkVersion
) -> None:
    tender = make_tender()
    workbook = _open(offer_template_xlsx(tender=tender))
    sheet = workbook["Offer"]
    _fill(sheet, 9, Quantity=2.5, Target_district="Preston", **_answers())  # NT1
    _fill(sheet, 35, Quantity="100", **_answers(Partners=None))  # NT41, no proxy, as text
    _fill(sheet, 50, Quantity=0.1, Target_district="e07000117", **_answers())  # NT88
    extra = _first_extra_row(sheet)
    _fill(sheet, extra, Code="NT1", Quantity=1, Target_district="Burnley", **_answers())
    _swap_columns(sheet, "Activity", "When")
    _swap_columns(sheet, "Quantity", "Evidence to be provided")

    lines = offer_xlsx_parse(tender=tender, data=_save(workbook))

    def line(row: int, code: str, quantity: str, district: str, partners: str) -> OfferLine:
        return OfferLine(
            row=row,
            measure=_measure(toms, code),
            quantity=Decimal(quantity),
            target_district=district,
            activity="Hire two local people through the Preston depot.",
            who_delivers="Our site manager and HR adviser.",
            timing="From month 1, reviewed each quarter.",
            partners=partners,
            evidence="Payroll extracts and postcodes each quarter.",
        )

    assert lines == [
        line(9, "NT1", "2.5", "E07000123", "Preston College"),
        line(35, "NT41", "100", "", ""),
        line(50, "NT88", "0.1", "E07000117", "Preston College"),
        line(53, "NT1", "1", "E07000117", "Preston College"),
    ]


def test_it_round_trips_an_offer_filled_in_from_a_bid(
    make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    tender = make_tender()
    bid = make_bid(
        tender,
        bobs_building,
        status="draft",
        lines=[("NT4", "3", None), ("NT1", "1234.567891", None), ("NT4", "0.5", None)],
    )
    Commitment.objects.filter(bid=bid, measure__code="NT1").update(target_district="E07000122")

    lines = offer_xlsx_parse(tender=tender, data=offer_template_xlsx(tender=tender, bid=bid))

    saved = list(bid.commitments.select_related("measure", "response").order_by("order"))
    assert [(line.row, line.measure.code, line.quantity) for line in lines] == [
        (9, "NT1", Decimal("1234.567891")),
        (12, "NT4", Decimal("3")),
        (53, "NT4", Decimal("0.5")),
    ]
    by_quantity = {c.quantity: c for c in saved}
    for line in lines:
        commitment = by_quantity[line.quantity]
        assert line.measure == commitment.measure
        assert line.target_district == commitment.target_district
        response = commitment.response
        assert (
            line.activity,
            line.who_delivers,
            line.timing,
            line.partners,
            line.evidence,
        ) == (
            response.activity,
            response.who_delivers,
            response.timing,
            response.partners,
            response.evidence,
        )


def test_it_reads_a_workbook_built_by_hand_with_the_same_headings(
    make_tender: TenderMaker, toms: FrameworkVersion
) -> None:
    tender = make_tender()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Our social value offer"])
    sheet.append(["Measure code", "Quantity", "Activity", "Who delivers", "Timing", "Evidence"])
    sheet.append(["nt3d", 1, "Hire one person", "HR", "Year 1", "Referral letter"])
    lines = offer_xlsx_parse(tender=tender, data=_save(workbook))
    assert lines == [
        OfferLine(
            row=3,
            measure=_measure(toms, "NT3d"),
            quantity=Decimal(1),
            target_district="",
            activity="Hire one person",
            who_delivers="HR",
            timing="Year 1",
            partners="",
            evidence="Referral letter",
        )
    ]


# --- All or nothing ----------------------------------------------------------------------


def test_it_names_the_three_bad_rows_and_changes_nothing(
    make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    tender = make_tender()
    bid = make_bid(tender, bobs_building, status="draft", lines=[("NT1", "1", None)])
    workbook = _open(offer_template_xlsx(tender=tender))
    sheet = workbook["Offer"]
    _fill(sheet, 9, Quantity=2, **_answers())  # NT1: fine
    _fill(sheet, 12, Quantity="lots", **_answers())  # NT4
    _fill(sheet, 16, Quantity=-3, Target_district="Prestn", **_answers())  # NT6
    _fill(sheet, 35, Quantity=10, **_answers(Activity="", When="  ", Evidence_to_be_provided=None))
    _fill(sheet, 40, Quantity=5, **_answers())  # NT28: fine
    before = (Commitment.objects.count(), QualitativeResponse.objects.count())

    with pytest.raises(OfferImportError) as caught:
        offer_xlsx_parse(tender=tender, data=_save(workbook))

    assert caught.value.row_errors == [
        (12, "Row 12: the quantity for NT4 must be a number of 0 or more, not 'lots'."),
        (16, "Row 16: the quantity for NT6 must be a number of 0 or more, not '-3'."),
        (
            16,
            "Row 16: 'Prestn' is not a Lancashire district. Choose one of the 14 districts or "
            "'Outside Lancashire' from the list, or leave it blank.",
        ),
        (35, "Row 35: NT41 has a quantity, so fill in Activity, When and Evidence to be provided."),
    ]
    assert caught.value.messages == [message for _row, message in caught.value.row_errors]
    assert (Commitment.objects.count(), QualitativeResponse.objects.count()) == before
    assert list(bid.commitments.values_list("measure__code", "quantity")) == [
        ("NT1", Decimal("1.000000"))
    ]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (
            "1.1234567",
            "Row 9: the quantity for NT1 can have at most 6 decimal places, not '1.1234567'.",
        ),
        (
            "1e16",
            "Row 9: the quantity for NT1 is too large ('1e16'); it must be 999,999,999.999999 "
            "or less.",
        ),
        (
            "1000000000",
            "Row 9: the quantity for NT1 is too large ('1000000000'); it must be "
            "999,999,999.999999 or less.",
        ),
        ("=2*3", "Row 9: the quantity for NT1 must be typed as a number, not a formula ('=2*3')."),
        ("nan", "Row 9: the quantity for NT1 must be a number of 0 or more, not 'nan'."),
        (True, "Row 9: the quantity for NT1 must be a number of 0 or more, not 'Yes'."),
    ],
)
def test_it_refuses_a_quantity_it_cannot_read(
    make_tender: TenderMaker, quantity: Any, message: str
) -> None:
    tender = make_tender()
    workbook = _open(offer_template_xlsx(tender=tender))
    _fill(workbook["Offer"], 9, Quantity=quantity, **_answers())
    with pytest.raises(OfferImportError) as caught:
        offer_xlsx_parse(tender=tender, data=_save(workbook))
    assert caught.value.row_errors == [(9, message)]


def test_it_accepts_a_quantity_of_zero(make_tender: TenderMaker) -> None:
    tender = make_tender()
    workbook = _open(offer_template_xlsx(tender=tender))
    _fill(workbook["Offer"], 9, Quantity=0, **_answers())
    [line] = offer_xlsx_parse(tender=tender, data=_save(workbook))
    assert line.quantity == Decimal(0)


def test_it_refuses_a_code_off_the_menu_or_unknown(
    make_tender: TenderMaker, toms: FrameworkVersion
) -> None:
    tender = make_tender(menu=[_measure(toms, "NT1"), _measure(toms, "NT3")])
    workbook = _open(offer_template_xlsx(tender=tender))
    sheet = workbook["Offer"]
    assert [sheet.cell(row=row, column=1).value for row in (9, 10)] == ["NT1", "NT3"]
    extra = _first_extra_row(sheet)
    assert extra == 12
    _fill(sheet, 9, Quantity=1, **_answers())
    _fill(sheet, 12, Code="NT4", Quantity=1, **_answers())
    _fill(sheet, 13, Code="XX9", Quantity=1, **_answers())
    _fill(sheet, 14, Quantity=1, **_answers())
    with pytest.raises(OfferImportError) as caught:
        offer_xlsx_parse(tender=tender, data=_save(workbook))
    assert caught.value.row_errors == [
        (12, "Row 12: NT4 is not on the menu for this tender, so it cannot be offered."),
        (13, "Row 13: 'XX9' is not a measure of Lancashire TOMs 2024."),
        (
            14,
            "Row 14: there is a quantity but no measure code. Type the code, for example NT1, "
            "in the Code column.",
        ),
    ]


def test_it_reads_a_long_quantity_typed_as_text_exactly(make_tender: TenderMaker) -> None:
    tender = make_tender()
    workbook = _open(offer_template_xlsx(tender=tender))
    _fill(workbook["Offer"], 9, Quantity=" 999999999.999999 ", **_answers())
    [line] = offer_xlsx_parse(tender=tender, data=_save(workbook))
    assert line.quantity == Decimal("999999999.999999")


def test_it_allows_the_same_measure_on_two_rows(make_tender: TenderMaker) -> None:
    tender = make_tender()
    workbook = _open(offer_template_xlsx(tender=tender))
    sheet = workbook["Offer"]
    _fill(sheet, 9, Quantity=1, Target_district="Burnley", **_answers())
    _fill(sheet, 53, Code="NT1", Quantity=2, Target_district="Hyndburn", **_answers())
    lines = offer_xlsx_parse(tender=tender, data=_save(workbook))
    assert [(line.measure.code, line.quantity, line.target_district) for line in lines] == [
        ("NT1", Decimal(1), "E07000117"),
        ("NT1", Decimal(2), "E07000120"),
    ]


def test_it_refuses_more_than_a_hundred_lines(make_tender: TenderMaker) -> None:
    tender = make_tender()
    workbook = _open(offer_template_xlsx(tender=tender))
    sheet = workbook["Offer"]
    for row in range(9, 52):  # all 43 menu rows
        _fill(sheet, row, Quantity=1, **_answers())
    for row in range(53, 111):  # 58 more lines
        _fill(sheet, row, Code="NT1", Quantity=1, **_answers())
    with pytest.raises(OfferImportError) as caught:
        offer_xlsx_parse(tender=tender, data=_save(workbook))
    assert caught.value.row_errors == [
        (0, "The file has 101 rows with a quantity; an offer can have at most 100 lines.")
    ]


def test_it_refuses_a_template_with_no_quantities(make_tender: TenderMaker) -> None:
    tender = make_tender()
    with pytest.raises(OfferImportError) as caught:
        offer_xlsx_parse(tender=tender, data=offer_template_xlsx(tender=tender))
    assert caught.value.messages == [ERR_NO_LINES]


def test_it_refuses_a_template_missing_a_column(make_tender: TenderMaker) -> None:
    tender = make_tender()
    workbook = _open(offer_template_xlsx(tender=tender))
    sheet = workbook["Offer"]
    headers = _headers(sheet)
    sheet.cell(row=HEADER_ROW, column=headers["Who delivers"], value="Notes")
    sheet.cell(row=HEADER_ROW, column=headers["When"]).value = None
    with pytest.raises(OfferImportError) as caught:
        offer_xlsx_parse(tender=tender, data=_save(workbook))
    assert caught.value.row_errors == [
        (
            8,
            "Row 8: the header row has no column headed 'Who delivers' and 'When'. Put the "
            "column back or download a fresh template.",
        )
    ]


def test_it_refuses_the_template_of_another_tender(make_tender: TenderMaker) -> None:
    first, second = make_tender(), make_tender()
    assert (first.reference, second.reference) == ("LCC-T-001", "LCC-T-002")
    workbook = _open(offer_template_xlsx(tender=second))
    _fill(workbook["Offer"], 9, Quantity=1, **_answers())
    with pytest.raises(OfferImportError) as caught:
        offer_xlsx_parse(tender=first, data=_save(workbook))
    assert caught.value.messages == [
        "This file is the offer template for tender LCC-T-002, not LCC-T-001."
    ]


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"Code,Quantity\nNT1,2\n",
        b"%PDF-1.7 not a spreadsheet",
        "zip",
        "truncated",
    ],
    ids=["empty", "csv", "pdf", "zip", "truncated"],
)
def test_it_refuses_a_file_that_is_not_an_xlsx(make_tender: TenderMaker, data: bytes | str) -> None:
    tender = make_tender()
    if data == "zip":
        data = _zip_without_workbook()
    elif data == "truncated":
        data = offer_template_xlsx(tender=tender)[:4000]
    assert isinstance(data, bytes)
    with pytest.raises(OfferImportError) as caught:
        offer_xlsx_parse(tender=tender, data=data)
    assert caught.value.row_errors == [(0, ERR_NOT_XLSX)]
    assert caught.value.messages == [
        "This file is not an Excel workbook (.xlsx), or it is damaged. Download the offer "
        "template for this tender, fill it in and upload it as an .xlsx file."
    ]


def test_it_refuses_a_sheet_with_far_too_many_rows(make_tender: TenderMaker) -> None:
    tender = make_tender()
    workbook = _open(offer_template_xlsx(tender=tender))
    workbook["Offer"].cell(row=5000, column=1, value="stray")
    with pytest.raises(OfferImportError) as caught:
        offer_xlsx_parse(tender=tender, data=_save(workbook))
    assert caught.value.messages == [
        "The 'Offer' sheet uses 5,000 rows; an offer needs far fewer. Delete the rows below "
        "your offer and upload the file again."
    ]


def test_it_is_a_validation_error(make_tender: TenderMaker) -> None:
    from django.core.exceptions import ValidationError

    tender: Tender = make_tender()
    with pytest.raises(ValidationError):
        offer_xlsx_parse(tender=tender, data=b"nope")
