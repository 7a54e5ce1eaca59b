"""The ITT pack of a tender as Word documents.

Implements "10. Social value templates" of the Social Value Strategy 2024-28: the ITT
wording that explains social value and the evaluation methodology (``itt_docx``), and the
Qualitative Delivery Plan template that helps tenderers show how they will deliver each
commitment ("17. Qualitative delivery plan", ``qdp_docx``). The wording helpers at the top
are shared with the offer spreadsheet (``offer_xlsx.py``), so the three documents of the
pack explain the scoring in the same words.
"""

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from socialvalue.core.geography import District
from socialvalue.core.money import format_gbp, round_2dp
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Bid, Commitment, Policy, QualityLevel, Tender
from socialvalue.procurement.services import policy_for_organisation

HUNDRED = Decimal(100)
FIVE = Decimal(5)
NO_PROXY = "No proxy value"
LINK_COLOUR = RGBColor(0x1D, 0x70, 0xB8)
HEADER_FILL = "DCE6F2"
FONT = "Arial"
TABLE_TEXT = Pt(10)
BLANK_COMMITMENT_SLOTS = 3

# The five questions of the Qualitative Delivery Plan, with what a good answer covers.
QDP_QUESTIONS: list[tuple[str, str, str]] = [
    (
        "activity",
        "Activity",
        "What you will do, specifically: the roles, courses, placements, projects or purchases, "
        "how many, and which local needs they address (for example a district where "
        "employment deprivation is high).",
    ),
    (
        "who_delivers",
        "Who delivers",
        "Who is responsible and who does the work: job titles in your organisation, "
        "subcontractors in your supply chain, and the person who reports to the council.",
    ),
    (
        "timing",
        "When",
        "When it starts, its milestones and how it is spread over the contract, so that "
        "progress shows in the quarterly returns.",
    ),
    (
        "partners",
        "Partners",
        "Optional. The schools, colleges, charities, community groups or employment services "
        "you will work with, and whether they have agreed.",
    ),
    (
        "evidence",
        "Evidence to be provided",
        "What records you will keep and send with each quarterly return to prove delivery "
        "(see the evidence listed for each measure).",
    ),
]


# --- Wording shared by the pack ---------------------------------------------------------


def number_text(value: Decimal) -> str:
    """A figure to at most 2 decimal places without trailing zeros: 5.00 → 5, 2.50 → 2.5."""
    text = f"{round_2dp(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def marks_text(value: Decimal) -> str:
    text = number_text(value)
    return f"{text} mark" if text == "1" else f"{text} marks"


def site_url(path: str) -> str:
    """An absolute link to a page of this site."""
    return settings.SITE_URL.rstrip("/") + path


def reverse_or(name: str, args: Sequence[object] = (), *, fallback: str = "/") -> str:
    try:
        return reverse(name, args=list(args))
    except NoReverseMatch:
        return fallback


def framework_url(tender: Tender) -> str:
    slug = tender.framework_version.slug
    return site_url(reverse_or("framework:version", [slug], fallback=f"/framework/{slug}/"))


def needs_url() -> str:
    return site_url("/needs/")


def partners_url() -> str:
    return site_url("/partners/")


def deadline_text(tender: Tender) -> str:
    """``12:00 on Friday 3 July 2026`` in UK time."""
    local = timezone.localtime(tender.deadline)
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B %Y}"


def weighting_sentence(tender: Tender) -> str:
    if tender.sv_weighting == 0:
        return (
            "Social value is not scored in this tender (0% of the total marks). You may still "
            "offer commitments: if you win, they become targets in your contract."
        )
    return (
        f"Social value is worth {number_text(tender.sv_weighting)}% of the total marks for "
        f"this tender: {marks_text(tender.quantitative_marks)} for the quantitative offer and "
        f"{marks_text(tender.qualitative_marks)} for the qualitative delivery plan."
    )


def basis_sentence(tender: Tender) -> str:
    if tender.quant_basis == Tender.Basis.SV_ADD:
        return (
            "The quantitative offer is compared on Social Value Add: your counted value "
            "divided by your bid price, so a smaller bid offering the same value per pound "
            "scores as well as a larger one."
        )
    return (
        "The quantitative offer is compared on counted value: the £ total of your counted "
        "commitments."
    )


def metric_name(tender: Tender) -> str:
    if tender.quant_basis == Tender.Basis.SV_ADD:
        return "Social Value Add (counted value ÷ bid price)"
    return "counted value"


def scoring_formulas(tender: Tender) -> list[str]:
    """The scoring method as formulas with this tender's marks."""
    q, lq = number_text(tender.quantitative_marks), number_text(tender.qualitative_marks)
    metric = metric_name(tender)
    return [
        "Value of a commitment = quantity × proxy value (£0 for a measure with no proxy value).",
        f"A commitment counts only if its quality score is at least "
        f"{tender.deliverability_threshold} out of 5.",
        f"Quantitative score = {q} × your {metric} ÷ the highest {metric} of all offers.",
        f"Qualitative score = {lq} × the average quality score of your commitments ÷ 5.",
        "Social value score = quantitative score + qualitative score.",
    ]


def deliverability_sentence(tender: Tender) -> str:
    d = tender.deliverability_threshold
    if d == 0:
        return (
            "Every commitment counts towards your value whatever its quality score, because "
            "the deliverability threshold for this tender is 0."
        )
    return (
        f"The deliverability threshold is {d}: a commitment whose delivery plan scores below "
        f"{d} out of 5 is not believed to be deliverable, so its value is left out of your "
        "counted value. It is listed as excluded, with the reason, and its quality score "
        "still counts towards your qualitative score."
    )


def menu_for(tender: Tender) -> list[Measure]:
    return list(
        tender.menu.select_related("theme", "outcome").order_by(
            "theme__order", "outcome__order", "order"
        )
    )


def pounds(value: Decimal) -> str:
    """£100,000 for whole pounds, else to pence: £1,234.57."""
    text = format_gbp(value)
    return text.removesuffix(".00")


def proxy_display(measure: Measure) -> str:
    return NO_PROXY if measure.proxy_value is None else format_gbp(measure.proxy_value)


def quality_levels(tender: Tender) -> list[QualityLevel]:
    policy: Policy = policy_for_organisation(organisation=tender.organisation)
    return list(policy.quality_levels.order_by("score"))


def quantity_text(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Word building blocks ---------------------------------------------------------------


def _new_document(title: str, tender: Tender) -> DocxDocument:
    document = Document()
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    rpr.append(lang)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        # The theme fonts would otherwise win over the named font.
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        fonts.set(qn("w:cs"), FONT)
        if name != "Normal":
            style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
    styles["Title"].font.size = Pt(24)
    styles["Heading 1"].font.size = Pt(16)
    styles["Heading 2"].font.size = Pt(13)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin = section.bottom_margin = Cm(2)
    properties = document.core_properties
    properties.title = f"{title}: {tender.reference} {tender.title}"
    properties.author = tender.organisation.name
    properties.subject = tender.title
    properties.language = "en-GB"
    _footer(document, f"{settings.SERVICE_NAME} · {tender.reference} · {title}")
    return document


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when shown."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, placeholder, end):
        run._r.append(element)


def _footer(document: DocxDocument, text: str) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(f"{text} · Page ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(9)


def _link(paragraph: Paragraph, url: str, text: str | None = None) -> None:
    """A clickable external link (python-docx has no API for one)."""
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), str(LINK_COLOUR))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.append(colour)
    rpr.append(underline)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = text or url
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def _para(document: DocxDocument, *parts: str, style: str | None = None) -> Paragraph:
    """A paragraph; parts starting with ``http`` become links, ``**text**`` is bold."""
    paragraph = document.add_paragraph(style=style)
    for part in parts:
        if part.startswith("http"):
            _link(paragraph, part)
        elif part.startswith("**") and part.endswith("**"):
            paragraph.add_run(part[2:-2]).bold = True
        else:
            paragraph.add_run(part)
    return paragraph


def _bullets(document: DocxDocument, items: Iterable[str]) -> None:
    for item in items:
        document.add_paragraph(item, style="List Bullet")


def _shade(cell: object, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _table(
    document: DocxDocument,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    widths: Sequence[float],
    *,
    header_column: bool = False,
    align_right: Sequence[int] = (),
    keep_together: bool = False,
) -> Table:
    """A grid table whose header row repeats on every page; widths in cm.

    Rows never break across pages; ``keep_together`` keeps a short table on one page.
    """
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text in zip(header.cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        _shade(cell, HEADER_FILL)
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            lines = str(text).split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
            if header_column and index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
                _shade(cell, HEADER_FILL)
    # LibreOffice reads the grid, Word the cells: set both, with a fixed layout.
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    last = len(table.rows) - 1
    for number, row in enumerate(table.rows):
        no_split = OxmlElement("w:cantSplit")
        no_split.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(no_split)
        for index, (cell, width) in enumerate(zip(row.cells, widths, strict=True)):
            cell.width = Cm(width)
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(2)
                paragraph.paragraph_format.keep_with_next = keep_together and number < last
                if index in align_right:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in paragraph.runs:
                    run.font.size = TABLE_TEXT
    document.add_paragraph()
    return table


def _save(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _cover(document: DocxDocument, title: str, tender: Tender) -> None:
    document.add_heading(title, level=0)
    _para(document, f"**{tender.reference}: {tender.title}**")
    _para(document, tender.organisation.name)
    _para(document, f"Offers must be submitted by {deadline_text(tender)} (UK time).")
    _para(document, f"Prepared with {settings.SERVICE_NAME}: ", site_url("/"))


def _quality_table(document: DocxDocument, tender: Tender) -> None:
    _table(
        document,
        ["Score", "Level", "What it means"],
        [(str(level.score), level.label, level.descriptor) for level in quality_levels(tender)],
        [1.6, 4.0, 11.4],
        keep_together=True,
    )


# --- The ITT wording --------------------------------------------------------------------


def _worked_example(tender: Tender) -> list[str]:
    """Two imaginary offers scored with this tender's marks, figures rounded half-up."""
    q, lq = tender.quantitative_marks, tender.qualitative_marks
    value_a, value_b = Decimal(200000), Decimal(150000)
    quality_a, quality_b = Decimal(4), Decimal("3.5")
    if tender.quant_basis == Tender.Basis.SV_ADD:
        price_a, price_b = Decimal(2000000), Decimal(1000000)
        metric_a, metric_b = value_a / price_a, value_b / price_b
        intro = (
            f"Offer A counts {pounds(value_a)} on a bid price of {pounds(price_a)} "
            f"(Social Value Add {number_text(metric_a * HUNDRED)}%) and its commitments "
            f"average {number_text(quality_a)} for quality. Offer B counts {pounds(value_b)} "
            f"on a bid price of {pounds(price_b)} (Social Value Add "
            f"{number_text(metric_b * HUNDRED)}%) and averages {number_text(quality_b)}."
        )
    else:
        metric_a, metric_b = value_a, value_b
        intro = (
            f"Offer A counts {pounds(value_a)} and its commitments average "
            f"{number_text(quality_a)} for quality. Offer B counts {pounds(value_b)} and "
            f"averages {number_text(quality_b)}."
        )
    best = max(metric_a, metric_b)
    lines = [intro]
    for name, metric, quality in (("A", metric_a, quality_a), ("B", metric_b, quality_b)):
        quant = q * metric / best
        qual = lq * quality / FIVE
        lines.append(
            f"Offer {name}: quantitative {number_text(q)} × {_ratio_text(metric, best, tender)} "
            f"= {number_text(quant)}; qualitative {number_text(lq)} × {number_text(quality)} ÷ 5 "
            f"= {number_text(qual)}; social value score {number_text(quant + qual)} out of "
            f"{number_text(tender.sv_weighting)}."
        )
    return lines


def _ratio_text(metric: Decimal, best: Decimal, tender: Tender) -> str:
    if tender.quant_basis == Tender.Basis.SV_ADD:
        return f"{number_text(metric * HUNDRED)}% ÷ {number_text(best * HUNDRED)}%"
    return f"{pounds(metric)} ÷ {pounds(best)}"


def itt_docx(*, tender: Tender) -> bytes:
    """ "Social value: instructions to tenderers" for ``tender``, as a Word document."""
    title = "Social value: instructions to tenderers"
    policy = policy_for_organisation(organisation=tender.organisation)
    menu = menu_for(tender)
    version = tender.framework_version
    measure_count = Measure.objects.filter(version=version).count()
    theme_count = version.themes.count()
    document = _new_document(title, tender)
    _cover(document, title, tender)

    document.add_heading("About this tender", level=1)
    _table(
        document,
        ["Detail", "This tender"],
        [
            ("Reference", tender.reference),
            ("Title", tender.title),
            ("Buying organisation", tender.organisation.name),
            ("Category", tender.get_category_display()),
            ("Estimated contract value", pounds(tender.estimated_value)),
            ("Duration", f"{tender.duration_months} months"),
            ("Deadline for offers", f"{deadline_text(tender)} (UK time)"),
            ("Social value weighting", f"{number_text(tender.sv_weighting)}% of the total marks"),
            ("Quantitative basis", tender.get_quant_basis_display()),
            ("Deliverability threshold", f"{tender.deliverability_threshold} out of 5"),
            ("Framework", version.name),
        ],
        [5.0, 12.0],
        header_column=True,
    )

    document.add_heading("Our approach to social value", level=1)
    _para(
        document,
        "Social value is the extra economic, social and environmental good that a contract "
        "brings to Lancashire: local jobs and training, spending with local firms and "
        "charities, support for communities and a cleaner environment. We ask every "
        "tenderer what they will deliver and how, and we hold the winner to it.",
    )
    _bullets(
        document,
        [
            f"Social value is required in every tender worth {pounds(policy.threshold)} or "
            f"more, with a weighting of at least {number_text(policy.minimum_weighting)}% of "
            "the total marks. Below that value it is optional.",
            f"We use the {version.name}: {theme_count} themes and {measure_count} measures, "
            "each with a unit and, for most, a proxy value in £ per unit.",
            "There is no prioritisation, no mandatory measure and no multiplier: you choose "
            "the measures that are relevant and proportionate to this contract and to your "
            "business, and every £ of counted value is worth the same.",
            "Your offer has two parts. The quantitative offer is the what: the quantity you "
            "commit to for each measure you choose. The qualitative delivery plan is the how: "
            "for each commitment, the activity, who delivers it, when, your partners and the "
            "evidence you will provide.",
        ],
    )
    if tender.estimated_value < policy.threshold:
        _para(
            document,
            f"This tender is worth less than {pounds(policy.threshold)}, so social value "
            "is optional; we have chosen the weighting below.",
        )

    document.add_heading("How your social value offer is scored", level=1)
    _para(document, f"**{weighting_sentence(tender)}**")
    _para(document, basis_sentence(tender))
    document.add_heading("Quantitative score: the what", level=2)
    _para(
        document,
        "Each commitment is valued as its quantity times the measure's proxy value. For "
        "example, 2 full-time local employees under NT1 at a proxy of £31,285.00 are worth "
        "£62,570.00. A measure with no proxy value is worth £0 but can still be offered, and "
        "its delivery plan is still scored.",
    )
    document.add_heading("Deliverability threshold", level=2)
    _para(document, deliverability_sentence(tender))
    document.add_heading("Qualitative score: the how", level=2)
    _para(
        document,
        "The evaluation panel scores the delivery plan of each commitment from 0 to 5 on the "
        "quality scoring profile below. Each evaluator scores on their own first; the panel "
        "then agrees one consensus score per commitment, and that is the score used. A "
        "commitment without a delivery plan scores 0.",
    )
    document.add_heading("The formulas", level=2)
    _bullets(document, scoring_formulas(tender))
    _para(
        document,
        "If no offer has any counted value, every offer scores 0 for the quantitative part. "
        "Offers are ranked by their social value score together with the other parts of the "
        "evaluation. Scores are worked out exactly and rounded to 2 decimal places only "
        "when shown.",
    )
    document.add_heading("Worked example", level=2)
    _bullets(document, _worked_example(tender))
    _para(
        document,
        "We also check that offers are realistic. An offer whose counted value is more than "
        "its bid price (Social Value Add over 100%), or which offers more full-time "
        "employees than the contract can pay for, is flagged for the panel to question.",
    )
    document.add_heading("Quality scoring profile", level=2)
    _quality_table(document, tender)

    document.add_heading("The menu of measures", level=1)
    _para(
        document,
        f"You may offer any of the {len(menu)} measures below, as many as are relevant, and "
        "the same measure more than once (for example in two districts). Quantities use the "
        "unit shown; proxy values are £ per unit.",
    )
    _table(
        document,
        ["Code", "Theme", "Measure", "Unit", "Proxy value"],
        [(m.code, m.theme.name, m.description, m.unit, proxy_display(m)) for m in menu],
        [1.4, 2.7, 7.2, 3.0, 2.7],
        align_right=[4],
    )

    document.add_heading("Evidence you will need to provide", level=1)
    _para(
        document,
        "If you win, you report delivery every quarter with evidence. Plan for it now: "
        "your delivery plan should say how you will keep these records.",
    )
    _table(
        document,
        ["Code", "Evidence to keep and provide"],
        [(m.code, m.evidence_required) for m in menu],
        [1.5, 15.5],
    )

    document.add_heading("Targeting local needs and finding partners", level=1)
    _para(
        document,
        "The most meaningful social value meets local needs. Our local needs map shows, for "
        "each of the 14 Lancashire districts and its neighbourhoods, where deprivation is "
        "high to severe in employment, income, education, health, housing and more: ",
        needs_url(),
    )
    _para(
        document,
        "Our partners directory lists schools, colleges, charities, community groups and "
        "employment services that can help you deliver each measure: ",
        partners_url(),
    )
    _para(
        document,
        "You can name a target district for each commitment. Targeting is not scored on "
        "its own, but a plan that is specific to local needs scores better on quality.",
    )

    document.add_heading("How to submit your social value offer", level=1)
    _bullets(
        document,
        [
            f"Sign in to {settings.SERVICE_NAME} at {site_url('/')} and open this tender "
            "from your opportunities.",
            "Enter each commitment (measure, quantity, target district) with its delivery "
            "plan online, or fill in the offer spreadsheet for this tender and upload it. If "
            "any row has a problem, nothing is saved and you are told which rows to fix.",
            "You may draft your answers in the Qualitative Delivery Plan template first.",
            "You can change or withdraw your offer until the deadline and get a receipt "
            "when you submit it.",
            "Offers are sealed: nobody at the council sees them before the deadline, and no "
            "other tenderer ever sees yours.",
        ],
    )
    _para(
        document,
        "Offer spreadsheet: ",
        site_url(
            reverse_or(
                "procurement:offer_template_xlsx",
                [tender.pk],
                fallback=f"/tenders/{tender.pk}/pack/offer-template.xlsx",
            )
        ),
    )

    document.add_heading("After the contract is awarded", level=1)
    _bullets(
        document,
        [
            "Your counted commitments become the social value targets in your contract, and "
            "your delivery plan becomes part of how the contract is managed.",
            "You report what you have delivered every quarter (April to June, July to "
            "September, October to December and January to March), in one return covering "
            "all your contracts with us, with the evidence listed above.",
            "The contract manager checks the evidence and may ask for more.",
            "We may ask you for a short case study of your social value delivery to share "
            "good practice.",
        ],
    )

    document.add_heading("About the framework", level=1)
    _para(document, f"This tender uses the {version.name}: ", framework_url(tender))
    if version.attribution:
        _para(document, version.attribution)
    return _save(document)


# --- The Qualitative Delivery Plan -------------------------------------------------------


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
    document = _new_document(title, tender)
    _cover(document, title, tender)
    if bid is not None:
        _para(document, f"**Tenderer: {bid.supplier.name}**")

    document.add_heading("About this plan", level=1)
    _para(
        document,
        "For each social value commitment in your offer, this plan explains how you will "
        "deliver it. The evaluation panel scores each commitment's plan from 0 to 5. "
        f"{weighting_sentence(tender)}",
    )
    _para(document, deliverability_sentence(tender))
    _para(
        document,
        "If you win, the plan becomes part of your contract: we check your quarterly "
        "returns against it.",
    )

    document.add_heading("How to answer", level=1)
    _para(
        document,
        "Answer the five questions for every commitment. Be specific: numbers, job titles, "
        "dates, named partners and the records you will keep. Partners is optional; the "
        "other four are required.",
    )
    _table(
        document,
        ["Question", "What a good answer covers"],
        [(label, guidance) for _key, label, guidance in QDP_QUESTIONS],
        [4.0, 13.0],
        header_column=True,
    )
    document.add_heading("Quality scoring profile", level=2)
    _quality_table(document, tender)

    document.add_heading("Your commitments", level=1)
    commitments: list[Commitment | None]
    if bid is not None:
        commitments = list(
            bid.commitments.select_related("measure", "response").order_by("order", "id")
        )
        if not commitments:
            _para(document, "This offer has no commitments yet.")
    else:
        commitments = [None] * BLANK_COMMITMENT_SLOTS
        _para(
            document,
            "Fill in one table for each commitment, copying a table for each further "
            "commitment. The measures on the menu for this tender are listed at the end.",
        )
    for number, commitment in enumerate(commitments, start=1):
        heading = f"Commitment {number}"
        if commitment is not None:
            heading += f": {commitment.measure.code}"
        document.add_heading(heading, level=2)
        table = _table(
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
    _table(
        document,
        ["Code", "Measure", "Unit", "Evidence to keep"],
        [(m.code, m.description, m.unit, m.evidence_required) for m in menu_for(tender)],
        [1.4, 5.2, 2.6, 7.8],
    )
    return _save(document)
