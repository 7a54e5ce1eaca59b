"""The evaluation report of a tender: as a page, an XLSX workbook and a PDF.

It records how the tender's social value was marked: the parameters, each bid's figures and
rank, the commitments that did not count and why, every evaluator's score and justification,
and the moderation record (consensus score, rationale, who, when). The PDF is rendered by
WeasyPrint from an HTML template with print styles and fetches nothing from outside.
"""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from socialvalue.core.money import round_2dp, round_money
from socialvalue.core.pdf import document_html, html_to_pdf
from socialvalue.core.spreadsheets import append_row, xlsx_bytes
from socialvalue.procurement.evaluation.results import (
    BidResult,
    CommitmentResult,
    TenderResults,
    tender_results,
)
from socialvalue.procurement.evaluation.selectors import (
    consensus_scores,
    moderation_scores,
    panel_all_submitted,
    panel_members,
)
from socialvalue.procurement.models import PanelMember, QualityScore, Tender

GBP_FORMAT = '"£"#,##0.00'
SCORE_FORMAT = "0.00"
QUANTITY_FORMAT = "#,##0.######"
INDIVIDUAL_SCORES_HIDDEN = (
    "Individual scores are shown once every panel member has submitted their scores."
)


@dataclass(frozen=True)
class ResponseRecord:
    """One commitment of a bid with its scores: every evaluator's and the consensus."""

    line: CommitmentResult
    scores: list[QualityScore]
    consensus: QualityScore | None


@dataclass(frozen=True)
class BidSection:
    result: BidResult
    records: list[ResponseRecord]


def report_filename(tender: Tender, extension: str) -> str:
    return f"evaluation-report-{slugify(tender.reference) or tender.pk}.{extension}"


def evaluation_report_context(tender: Tender) -> dict[str, Any]:
    """Everything the report shows, for the page, the PDF and the workbook alike.

    Individual scores are included only when the whole panel has submitted: until then a
    panel member reading the report must not see anybody else's scores.
    """
    results = tender_results(tender)
    complete = panel_all_submitted(tender)
    individual = moderation_scores(tender) if complete else {}
    consensus = consensus_scores(tender)
    sections = []
    for result in results.bids:
        records = []
        for line in result.commitments:
            response_id = line.response.pk if line.response is not None else None
            records.append(
                ResponseRecord(
                    line=line,
                    scores=individual.get(response_id, []) if response_id else [],
                    consensus=consensus.get(response_id) if response_id else None,
                )
            )
        sections.append(BidSection(result, records))
    return {
        "results": results,
        "sections": sections,
        "members": panel_members(tender),
        "panel_complete": complete,
        "individual_hidden_message": INDIVIDUAL_SCORES_HIDDEN,
        "generated_at": timezone.now(),
        "attribution": tender.framework_version.attribution,
    }


# --- PDF ---------------------------------------------------------------------------------------


def evaluation_report_html(tender: Tender) -> str:
    return document_html(
        "procurement/evaluation/report_pdf.html",
        {"tender": tender, **evaluation_report_context(tender)},
    )


def evaluation_report_pdf(tender: Tender) -> bytes:
    """The report as a PDF (A4). Only inline ``data:`` resources are ever loaded."""
    return html_to_pdf(evaluation_report_html(tender))


# --- XLSX --------------------------------------------------------------------------------------


def _sheet(workbook: Workbook, title: str, headers: list[str], widths: list[int]) -> Worksheet:
    sheet = workbook.create_sheet(title)
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _format(sheet: Worksheet, column: int, number_format: str) -> None:
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        cell.number_format = number_format


def _wrap(sheet: Worksheet, *columns: int) -> None:
    for column in columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _parameter_rows(tender: Tender, results: TenderResults) -> list[tuple[str, Any]]:
    return [
        ("Tender reference", tender.reference),
        ("Tender title", tender.title),
        ("Buying organisation", tender.organisation.name),
        ("Status", tender.get_status_display()),
        ("Results", "Provisional" if results.provisional else "Final"),
        ("Framework version", tender.framework_version.name),
        ("Social value weighting W (% of total marks)", tender.sv_weighting),
        ("Quantitative share s (% of W)", tender.quantitative_share),
        ("Quantitative marks Q", tender.quantitative_marks),
        ("Qualitative marks L", tender.qualitative_marks),
        ("Quantitative basis", tender.get_quant_basis_display()),
        ("Deliverability threshold d", tender.deliverability_threshold),
        ("Offers evaluated", len(results.bids)),
        ("Responses without a consensus score (count as 0)", results.unscored),
        ("Generated", _local(timezone.now())),
    ]


def evaluation_report_xlsx(tender: Tender) -> bytes:
    """The report as a workbook: Parameters, Results, Commitments, Scores, Moderation."""
    context = evaluation_report_context(tender)
    results: TenderResults = context["results"]
    sections: list[BidSection] = context["sections"]
    workbook = Workbook()
    parameters = workbook.active
    if parameters is None:
        raise TypeError("A new workbook starts with one worksheet")
    parameters.title = "Parameters"
    append_row(parameters, ["Parameter", "Value"])
    parameters["A1"].font = parameters["B1"].font = Font(bold=True)
    for label, value in _parameter_rows(tender, results):
        append_row(parameters, [label, value])
    parameters.column_dimensions["A"].width = 52
    parameters.column_dimensions["B"].width = 40

    summary = _sheet(
        workbook,
        "Results",
        [
            "Rank",
            "Supplier",
            "Bid price (£)",
            "Offered value (£)",
            "Counted value (£)",
            "SV Add (%)",
            "Quantitative score",
            "Qualitative score",
            "Total score",
            "Excluded commitments",
            "Plausibility flags",
        ],
        [8, 32, 16, 18, 18, 12, 18, 18, 12, 20, 60],
    )
    for result in results.bids:
        score = result.score
        append_row(
            summary,
            [
                score.rank,
                result.bid.supplier.name,
                result.bid.price,
                round_money(score.offered_value),
                round_money(score.counted_value),
                round_2dp(score.sv_add_percent),
                round_2dp(score.quantitative_score),
                round_2dp(score.qualitative_score),
                round_2dp(score.total_score),
                len(result.excluded),
                "; ".join(score.flags),
            ],
        )
    for column in (3, 4, 5):
        _format(summary, column, GBP_FORMAT)
    for column in (6, 7, 8, 9):
        _format(summary, column, SCORE_FORMAT)
    _wrap(summary, 11)

    lines = _sheet(
        workbook,
        "Commitments",
        [
            "Supplier",
            "Measure",
            "Description",
            "Quantity",
            "Unit",
            "Value (£)",
            "Consensus score",
            "Counted",
            "Reason excluded",
        ],
        [32, 10, 50, 12, 24, 16, 16, 10, 60],
    )
    for section in sections:
        for record in section.records:
            line = record.line
            append_row(
                lines,
                [
                    section.result.bid.supplier.name,
                    line.measure.code,
                    line.measure.description,
                    line.commitment.quantity,
                    line.measure.unit,
                    round_money(line.line.value),
                    record.consensus.score if record.consensus else None,
                    "Yes" if line.counted else "No",
                    line.reason,
                ],
            )
    _format(lines, 4, QUANTITY_FORMAT)
    _format(lines, 6, GBP_FORMAT)
    _wrap(lines, 3, 9)

    scores = _sheet(
        workbook,
        "Evaluator scores",
        ["Supplier", "Measure", "Evaluator", "Score", "Justification", "Recorded"],
        [32, 10, 24, 8, 70, 18],
    )
    if not context["panel_complete"]:
        append_row(scores, [INDIVIDUAL_SCORES_HIDDEN])
    for section in sections:
        for record in section.records:
            for individual in record.scores:
                append_row(
                    scores,
                    [
                        section.result.bid.supplier.name,
                        record.line.measure.code,
                        individual.evaluator.full_name or individual.evaluator.email,
                        individual.score,
                        individual.justification,
                        _local(individual.recorded_at),
                    ],
                )
    _wrap(scores, 5)

    moderation = _sheet(
        workbook,
        "Moderation",
        ["Supplier", "Measure", "Consensus score", "Rationale", "Recorded by", "Recorded"],
        [32, 10, 16, 70, 24, 18],
    )
    for section in sections:
        for record in section.records:
            agreed = record.consensus
            if agreed is None:
                continue
            append_row(
                moderation,
                [
                    section.result.bid.supplier.name,
                    record.line.measure.code,
                    agreed.score,
                    agreed.justification,
                    agreed.evaluator.full_name or agreed.evaluator.email,
                    _local(agreed.recorded_at),
                ],
            )
    _wrap(moderation, 4)

    panel = _sheet(workbook, "Panel", ["Member", "Role", "Scores submitted"], [32, 20, 20])
    member: PanelMember
    for member in context["members"]:
        append_row(
            panel,
            [
                member.user.full_name or member.user.email,
                "Moderator" if member.is_moderator else "Evaluator",
                _local(member.scores_submitted_at) or "Not yet",
            ],
        )

    return xlsx_bytes(workbook)
