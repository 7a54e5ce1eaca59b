"""The Word documents of the ITT pack: the ITT wording and the Qualitative Delivery Plan."""

import io
from decimal import Decimal
from typing import Any

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.table import Table

from socialvalue.accounts.models import Organisation
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.procurement.documents.itt import itt_docx
from socialvalue.procurement.documents.qdp import qdp_docx
from socialvalue.procurement.models import Commitment, Tender
from socialvalue.procurement.services import policy_for_organisation
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = "https://socialvalue.example"
    settings.SERVICE_NAME = "Lancashire Social Value"


def _open(data: bytes) -> Any:
    return Document(io.BytesIO(data))


def _text(document: Any) -> str:
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def _table(document: Any, *headers: str) -> Table:
    for table in document.tables:
        if tuple(cell.text for cell in table.rows[0].cells) == headers:
            return table
    raise AssertionError(f"no table headed {headers}")


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def _links(document: Any) -> set[str]:
    return {
        rel.target_ref
        for rel in document.part.rels.values()
        if rel.reltype == RELATIONSHIP_TYPE.HYPERLINK
    }


# --- The ITT wording ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weighting", "share", "sentence"),
    [
        (
            "10.00",
            "50.00",
            "Social value is worth 10% of the total marks for this tender: 5 marks for the "
            "quantitative offer and 5 marks for the qualitative delivery plan.",
        ),
        (
            "15.00",
            "60.00",
            "Social value is worth 15% of the total marks for this tender: 9 marks for the "
            "quantitative offer and 6 marks for the qualitative delivery plan.",
        ),
        (
            "12.50",
            "40.00",
            "Social value is worth 12.5% of the total marks for this tender: 5 marks for the "
            "quantitative offer and 7.5 marks for the qualitative delivery plan.",
        ),
        (
            "10.00",
            "90.00",
            "Social value is worth 10% of the total marks for this tender: 9 marks for the "
            "quantitative offer and 1 mark for the qualitative delivery plan.",
        ),
    ],
)
def test_it_states_the_weighting_in_marks(
    make_tender: TenderMaker, weighting: str, share: str, sentence: str
) -> None:
    tender = make_tender(sv_weighting=Decimal(weighting), quantitative_share=Decimal(share))
    assert sentence in _text(_open(itt_docx(tender=tender))).split("\n")


def test_it_explains_the_scoring_method_with_this_tenders_marks(
    make_tender: TenderMaker,
) -> None:
    tender = make_tender(deliverability_threshold=3)
    text = _text(_open(itt_docx(tender=tender)))
    for line in [
        "Value of a commitment = quantity × proxy value (£0 for a measure with no proxy value).",
        "A commitment counts only if its quality score is at least 3 out of 5.",
        "Quantitative score = 5 × your counted value ÷ the highest counted value of all offers.",
        "Qualitative score = 5 × the average quality score of your commitments ÷ 5.",
        "Social value score = quantitative score + qualitative score.",
        "The quantitative offer is compared on counted value: the £ total of your counted "
        "commitments.",
        "The deliverability threshold is 3: a commitment whose delivery plan scores below 3 "
        "out of 5 is not believed to be deliverable, so its value is left out of your counted "
        "value. It is listed as excluded, with the reason, and its quality score still counts "
        "towards your qualitative score.",
        "Offer A: quantitative 5 × £200,000 ÷ £200,000 = 5; qualitative 5 × 4 ÷ 5 = 4; social "
        "value score 9 out of 10.",
        "Offer B: quantitative 5 × £150,000 ÷ £200,000 = 3.75; qualitative 5 × 3.5 ÷ 5 = 3.5; "
        "social value score 7.25 out of 10.",
    ]:
        assert line in text.split("\n")


def test_it_explains_social_value_add_when_that_is_the_basis(make_tender: TenderMaker) -> None:
    tender = make_tender(quant_basis=Tender.Basis.SV_ADD)
    lines = _text(_open(itt_docx(tender=tender))).split("\n")
    assert (
        "Quantitative score = 5 × your Social Value Add (counted value ÷ bid price) ÷ the "
        "highest Social Value Add (counted value ÷ bid price) of all offers." in lines
    )
    assert (
        "Offer A: quantitative 5 × 10% ÷ 15% = 3.33; qualitative 5 × 4 ÷ 5 = 4; social value "
        "score 7.33 out of 10." in lines
    )
    assert (
        "Offer B: quantitative 5 × 15% ÷ 15% = 5; qualitative 5 × 3.5 ÷ 5 = 3.5; social value "
        "score 8.5 out of 10." in lines
    )


def test_it_states_the_councils_approach(make_tender: TenderMaker) -> None:
    text = _text(_open(itt_docx(tender=make_tender())))
    assert (
        "Social value is required in every tender worth £100,000 or more, with a weighting of "
        "at least 10% of the total marks. Below that value it is optional." in text
    )
    assert "We use the Lancashire TOMs 2024: 4 themes and 43 measures" in text
    assert "There is no prioritisation, no mandatory measure and no multiplier" in text
    assert "so social value is optional" not in text


def test_it_says_social_value_is_optional_below_the_threshold(make_tender: TenderMaker) -> None:
    tender = make_tender(estimated_value=Decimal("80000.00"), sv_weighting=Decimal("5.00"))
    text = _text(_open(itt_docx(tender=tender)))
    assert (
        "This tender is worth less than £100,000, so social value is optional; we have chosen "
        "the weighting below." in text
    )


def test_it_lists_the_menu_with_units_and_proxies(make_tender: TenderMaker) -> None:
    document = _open(itt_docx(tender=make_tender()))
    rows = _rows(_table(document, "Code", "Theme", "Measure", "Unit", "Proxy value"))
    assert len(rows) == 43
    by_code = {row[0]: row for row in rows}
    assert by_code["NT1"] == [
        "NT1",
        "Employment and skills",
        "No. of full time equivalent direct local employees (FTE) hired or retained for the "
        "duration of the contract",
        "Number of people (FTE)",
        "£31,285.00",
    ]
    assert by_code["NT41"][4] == "No proxy value"
    assert by_code["NT32"][4] == "£0.06"
    assert by_code["NT4"][4] == "£15,382.90"


def test_it_lists_the_evidence_for_each_menu_measure(
    make_tender: TenderMaker, toms: FrameworkVersion
) -> None:
    menu = list(Measure.objects.filter(version=toms, code__in=["NT1", "NT41"]))
    document = _open(itt_docx(tender=make_tender(menu=menu)))
    assert len(_rows(_table(document, "Code", "Theme", "Measure", "Unit", "Proxy value"))) == 2
    evidence = _rows(_table(document, "Code", "Evidence to keep and provide"))
    assert [row[0] for row in evidence] == ["NT1", "NT41"]
    assert evidence[0][1] == Measure.objects.get(version=toms, code="NT1").evidence_required
    assert evidence[0][1].startswith("Keep a list of everyone working on the contract")


def test_it_shows_the_organisations_quality_profile(
    make_tender: TenderMaker, council: Organisation
) -> None:
    policy = policy_for_organisation(organisation=council)
    policy.quality_levels.filter(score=4).update(label="Good", descriptor="Clear and specific.")
    document = _open(itt_docx(tender=make_tender()))
    rows = _rows(_table(document, "Score", "Level", "What it means"))
    assert [(row[0], row[1]) for row in rows] == [
        ("0", "Unacceptable or no response"),
        ("1", "Serious reservations"),
        ("2", "Minor reservations"),
        ("3", "Satisfactory"),
        ("4", "Good"),
        ("5", "Excellent"),
    ]
    assert rows[4][2] == "Clear and specific."


def test_it_links_to_local_needs_partners_and_the_framework(make_tender: TenderMaker) -> None:
    tender = make_tender()
    document = _open(itt_docx(tender=tender))
    assert _links(document) == {
        "https://socialvalue.example/",
        "https://socialvalue.example/needs/",
        "https://socialvalue.example/partners/",
        "https://socialvalue.example/framework/lancashire-toms-2024/",
        f"https://socialvalue.example/tenders/{tender.pk}/pack/offer-template.xlsx",
    }
    text = _text(document)
    assert "Our local needs map shows" in text
    assert "Our partners directory lists" in text


def test_it_says_what_happens_after_award_and_credits_the_framework(
    make_tender: TenderMaker,
) -> None:
    text = _text(_open(itt_docx(tender=make_tender())))
    assert "You report what you have delivered every quarter" in text
    assert (
        "Lancashire TOMs based on the National TOMs framework © Social Value Portal Ltd, used "
        "under CC BY-NC-ND 4.0. Proxy values are reproduced unmodified." in text
    )


def test_it_is_a_proper_word_document(make_tender: TenderMaker) -> None:
    tender = make_tender(reference="LCC-T-900", title="Grounds maintenance")
    document = _open(itt_docx(tender=tender))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "About this tender",
        "Our approach to social value",
        "How your social value offer is scored",
        "The menu of measures",
        "Evidence you will need to provide",
        "Targeting local needs and finding partners",
        "How to submit your social value offer",
        "After the contract is awarded",
        "About the framework",
    ]
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Social value: instructions to tenderers"
    assert document.core_properties.title == (
        "Social value: instructions to tenderers: LCC-T-900 Grounds maintenance"
    )
    assert all(table.style.name == "Table Grid" for table in document.tables)
    footer = document.sections[0].footer.paragraphs[0]
    assert footer.text.startswith(
        "Lancashire Social Value · LCC-T-900 · Social value: instructions to tenderers · Page "
    )
    assert "PAGE" in footer._p.xml
    assert "NUMPAGES" in footer._p.xml


# --- The Qualitative Delivery Plan -------------------------------------------------------


def test_it_gives_a_blank_plan_with_the_five_questions(make_tender: TenderMaker) -> None:
    document = _open(qdp_docx(tender=make_tender()))
    text = _text(document)
    assert document.paragraphs[0].text == "Qualitative Delivery Plan"
    questions = _rows(_table(document, "Question", "What a good answer covers"))
    assert [row[0] for row in questions] == [
        "Activity",
        "Who delivers",
        "When",
        "Partners",
        "Evidence to be provided",
    ]
    slots = [t for t in document.tables if t.rows[0].cells[1].text == "Your answer"]
    assert len(slots) == 3
    assert _rows(slots[0]) == [
        ["Measure", ""],
        ["Quantity", ""],
        ["Target district", ""],
        ["Activity", ""],
        ["Who delivers", ""],
        ["When", ""],
        ["Partners", ""],
        ["Evidence to be provided", ""],
    ]
    assert "Commitment 3" in text
    menu = _rows(_table(document, "Code", "Measure", "Unit", "Evidence to keep"))
    assert len(menu) == 43
    assert (
        "5 marks for the quantitative offer and 5 marks for the qualitative delivery plan" in text
    )


def test_it_fills_in_the_plan_from_a_bid(
    make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    tender = make_tender()
    bid = make_bid(
        tender, bobs_building, status="draft", lines=[("NT4", "3", None), ("NT41", "95", None)]
    )
    Commitment.objects.filter(bid=bid, measure__code="NT4").update(target_district="E07000117")
    document = _open(qdp_docx(tender=tender, bid=bid))
    text = _text(document)
    assert "Tenderer: Bob's Building Ltd" in text
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "Commitment 1: NT4" in headings
    assert "Commitment 2: NT41" in headings
    slots = [t for t in document.tables if t.rows[0].cells[1].text == "Your answer"]
    assert len(slots) == 2
    first = dict(_rows(slots[0]))
    assert first["Measure"].startswith("NT4: No. of full time equivalent local employees (FTE)")
    assert first["Quantity"] == "3 (Number of people (FTE))"
    assert first["Target district"] == "Burnley"
    assert first["Activity"] == "Deliver 3 of NT4 across the contract."
    assert first["Who delivers"] == "Our social value manager with the site teams."
    assert first["When"] == "Quarterly from contract start."
    assert first["Partners"] == "Lancashire Skills and Employment Hub"
    assert first["Evidence to be provided"] == (
        "Timesheets, payroll extracts and partner confirmations."
    )
    assert dict(_rows(slots[1]))["Quantity"] == "95 (%)"
