"""The Qualitative Delivery Plan template of a tender as a Word document (``qdp_docx``).

"17. Qualitative delivery plan" of the Social Value Strategy 2024-28: it helps tenderers
show how they will deliver each commitment; with a bid, its commitments are filled in.
"""

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.shared import Cm

from socialvalue.core.geography import District
from socialvalue.procurement.documents.docx_blocks import (
    add_cover,
    add_para,
    add_quality_table,
    add_table,
    docx_bytes,
    new_document,
)
from socialvalue.procurement.documents.wording import (
    QDP_QUESTIONS,
    deliverability_sentence,
    menu_for,
    quantity_text,
    weighting_sentence,
)
from socialvalue.procurement.models import Bid, Commitment, Tender

BLANK_COMMITMENT_SLOTS = 3


def _commitment_rows(commitment: Commitment | None) -> list[tuple[str, str]]:
    response = getattr(commitment, "response", None) if commitment else None
    if commitment is None:
        measure_text = quantity_line = district = ""
    else:
        measure = commitment.measure
        measure_text = f"{measure.code}: {measure.description}"
        quantity_line = f"{quantity_text(commitment.quantity)} ({measure.unit})"
        district = District(commitment.target_district).label if commitment.target_district else ""
    rows = [
        ("Measure", measure_text),
        ("Quantity", quantity_line),
        ("Target district", district),
    ]
    for key, label, _guidance in QDP_QUESTIONS:
        rows.append((label, getattr(response, key, "") if response else ""))
    return rows


def qdp_docx(*, tender: Tender, bid: Bid | None = None) -> bytes:
    """The Qualitative Delivery Plan template, pre-filled with ``bid``'s commitments if given."""
    title = "Qualitative Delivery Plan"
    document = new_document(title, tender)
    add_cover(document, title, tender)
    if bid is not None:
        add_para(document, f"**Tenderer: {bid.supplier.name}**")

    document.add_heading("About this plan", level=1)
    add_para(
        document,
        "For each social value commitment in your offer, this plan explains how you will "
        "deliver it. The evaluation panel scores each commitment's plan from 0 to 5. "
        f"{weighting_sentence(tender)}",
    )
    add_para(document, deliverability_sentence(tender))
    add_para(
        document,
        "If you win, the plan becomes part of your contract: we check your quarterly "
        "returns against it.",
    )

    document.add_heading("How to answer", level=1)
    add_para(
        document,
        "Answer the five questions for every commitment. Be specific: numbers, job titles, "
        "dates, named partners and the records you will keep. Partners is optional; the "
        "other four are required.",
    )
    add_table(
        document,
        ["Question", "What a good answer covers"],
        [(label, guidance) for _key, label, guidance in QDP_QUESTIONS],
        [4.0, 13.0],
        header_column=True,
    )
    document.add_heading("Quality scoring profile", level=2)
    add_quality_table(document, tender)

    document.add_heading("Your commitments", level=1)
    commitments: list[Commitment | None]
    if bid is not None:
        commitments = list(
            bid.commitments.select_related("measure", "response").order_by("order", "id")
        )
        if not commitments:
            add_para(document, "This offer has no commitments yet.")
    else:
        commitments = [None] * BLANK_COMMITMENT_SLOTS
        add_para(
            document,
            "Fill in one table for each commitment, copying a table for each further "
            "commitment. The measures on the menu for this tender are listed at the end.",
        )
    for number, commitment in enumerate(commitments, start=1):
        heading = f"Commitment {number}"
        if commitment is not None:
            heading += f": {commitment.measure.code}"
        document.add_heading(heading, level=2)
        table = add_table(
            document,
            ["Question", "Your answer"],
            _commitment_rows(commitment),
            [4.0, 13.0],
            header_column=True,
            keep_together=True,
        )
        if commitment is None:
            # Room to write in the five answers of a blank plan.
            for row in table.rows[4:]:
                row.height = Cm(1.6)
                row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST

    document.add_heading("Measures on the menu", level=1)
    add_table(
        document,
        ["Code", "Measure", "Unit", "Evidence to keep"],
        [(m.code, m.description, m.unit, m.evidence_required) for m in menu_for(tender)],
        [1.4, 5.2, 2.6, 7.8],
    )
    return docx_bytes(document)
