"""The quarterly Cabinet report as a PDF (A4), rendered by WeasyPrint.

A cover with the headline figures, the KPIs against the year's targets, two charts drawn as
SVG on the server (each followed by its table), the top contracts, the exceptions and the
KPI definitions. Only inline ``data:`` resources are ever loaded.
"""

from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString

from socialvalue.core.pdf import document_html, html_to_pdf
from socialvalue.core.quarters import Quarter
from socialvalue.insights.cabinet import CabinetReport, quarter_slug
from socialvalue.insights.svg_charts import BLUE, GREY, Series, bar_chart, line_chart

ZERO = Decimal(0)

# What each KPI means, in the order of the KPI table.
DEFINITIONS = [
    (
        "Social value committed",
        "The targets of contracts that started in the period (awarded or registered), valued "
        "at the proxy values of the framework version each contract uses.",
    ),
    (
        "Social value delivered",
        "Return lines of the period that officers have verified, valued at the same proxy "
        "values. Lines awaiting verification, queried or rejected do not count.",
    ),
    (
        "Social Value Add, delivered",
        "Social value delivered ÷ contract spend × 100. Contract spend spreads each "
        "contract’s value evenly over its days and counts the days inside the period.",
    ),
    (
        "Social Value Add, committed",
        "Social value committed ÷ the value of the contracts that started in the period × 100.",
    ),
    (
        "Local, MSME and VCSE spend",
        "The verified “£ spent” of measures NT18 (local supply chain), NT19 (local micro, "
        "small and medium enterprises) and NT14 (voluntary, community and social "
        "enterprises), each as a percentage of contract spend.",
    ),
    (
        "Returns submitted on time",
        "Of the quarterly returns due in the period (due date passed) from suppliers holding a "
        "contract in it, those submitted by the due date.",
    ),
    (
        "Case studies",
        "Case studies published in the period about the organisation’s contracts or by the "
        "organisation, against the target of one a quarter unless another is set.",
    ),
    (
        "Officers trained",
        "Of the organisation’s active council staff (lead, officers, evaluators), those who "
        "had completed at least one training course by the end of the period.",
    ),
    (
        "Tenders applying social value",
        "Of the tenders opened in the period with an estimated value at or above the "
        "organisation’s threshold, those with a social value weighting above 0%.",
    ),
    (
        "RAG status",
        "A live contract’s verified social value delivered to date as a percentage of the "
        "value its targets profile for the quarters reported on: green at or above the green "
        "threshold (90% by default), amber at or above the amber one (70%), red below.",
    ),
]


def report_filename(report: CabinetReport) -> str:
    return f"cabinet-report-{report.choice.slug}-{quarter_slug(report.quarter)}.pdf"


def theme_chart(report: CabinetReport) -> SafeString | None:
    table = report.themes
    if table.is_empty:
        return None
    return bar_chart(
        chart_id="chart-theme",
        title=f"Social value committed and delivered by theme, {report.year_to_date}",
        description="Bar chart; the figures are in the table that follows.",
        labels=[row.label for row in table.rows],
        series=[
            Series("Committed", [row.committed or ZERO for row in table.rows], GREY),
            Series("Delivered", [row.delivered for row in table.rows], BLUE),
        ],
    )


def trend_chart(report: CabinetReport) -> SafeString | None:
    table = report.trend
    if not table.delivered_total:
        return None
    rows = table.rows
    quarters: list[Quarter] = [row.key for row in rows]
    return line_chart(
        chart_id="chart-trend",
        title=f"Social value delivered by quarter, {report.trend_period}",
        description="Line chart; the figures are in the table that follows.",
        labels=[q.short_label for q in quarters],
        series=[Series("Delivered (verified)", [row.delivered for row in rows], BLUE)],
        height=170,
    )


def report_context(report: CabinetReport) -> dict[str, Any]:
    return {
        "report": report,
        "theme_chart": theme_chart(report),
        "trend_chart": trend_chart(report),
        "definitions": DEFINITIONS,
    }


def report_html(report: CabinetReport) -> str:
    return document_html("insights/reports/pdf.html", report_context(report))


def report_pdf(report: CabinetReport) -> bytes:
    return html_to_pdf(report_html(report))
