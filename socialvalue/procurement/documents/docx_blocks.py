"""Building blocks of the pack's Word documents: a GOV.UK-styled document with a cover and
footer, paragraphs with links, bulleted lists, shaded tables and the quality profile table.
"""

import io
from collections.abc import Iterable, Sequence

from django.conf import settings
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from socialvalue.procurement.documents.wording import (
    deadline_text,
    site_url,
)
from socialvalue.procurement.models import Tender
from socialvalue.procurement.services import quality_levels

LINK_COLOUR = RGBColor(0x1D, 0x70, 0xB8)
HEADER_FILL = "DCE6F2"
FONT = "Arial"
TABLE_TEXT = Pt(10)


def new_document(title: str, tender: Tender) -> DocxDocument:
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
    add_footer(document, f"{settings.SERVICE_NAME} · {tender.reference} · {title}")
    return document


def add_field(paragraph: Paragraph, instruction: str) -> None:
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


def add_footer(document: DocxDocument, text: str) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(f"{text} · Page ")
    add_field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    add_field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(9)


def add_link(paragraph: Paragraph, url: str, text: str | None = None) -> None:
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


def add_para(document: DocxDocument, *parts: str, style: str | None = None) -> Paragraph:
    """A paragraph; parts starting with ``http`` become links, ``**text**`` is bold."""
    paragraph = document.add_paragraph(style=style)
    for part in parts:
        if part.startswith("http"):
            add_link(paragraph, part)
        elif part.startswith("**") and part.endswith("**"):
            paragraph.add_run(part[2:-2]).bold = True
        else:
            paragraph.add_run(part)
    return paragraph


def add_bullets(document: DocxDocument, items: Iterable[str]) -> None:
    for item in items:
        document.add_paragraph(item, style="List Bullet")


def shade_cell(cell: object, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def add_table(
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
        shade_cell(cell, HEADER_FILL)
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
                shade_cell(cell, HEADER_FILL)
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


def docx_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_cover(document: DocxDocument, title: str, tender: Tender) -> None:
    document.add_heading(title, level=0)
    add_para(document, f"**{tender.reference}: {tender.title}**")
    add_para(document, tender.organisation.name)
    add_para(document, f"Offers must be submitted by {deadline_text(tender)} (UK time).")
    add_para(document, f"Prepared with {settings.SERVICE_NAME}: ", site_url("/"))


def add_quality_table(document: DocxDocument, tender: Tender) -> None:
    add_table(
        document,
        ["Score", "Level", "What it means"],
        [(str(level.score), level.label, level.descriptor) for level in quality_levels(tender)],
        [1.6, 4.0, 11.4],
        keep_together=True,
    )
