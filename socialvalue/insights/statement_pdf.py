"""The annual social value statement as a PDF (A4), rendered by WeasyPrint.

The same sections and figures as the page: a cover, the contents, the seven sections of the
LGA template with the achievements figures as tables, and page numbers. Only inline
``data:`` resources are ever loaded.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from socialvalue.insights.models import Statement
from socialvalue.insights.statement import (
    sections_of,
    statement_achievements,
    year_label,
)


def statement_filename(statement: Statement) -> str:
    organisation = slugify(statement.organisation.name)
    return f"social-value-statement-{organisation}-{year_label(statement.year)}.pdf"


def statement_context(statement: Statement, today: date | None = None) -> dict[str, Any]:
    """What the page and the PDF show of a statement."""
    return {
        "statement": statement,
        "organisation": statement.organisation,
        "year_label": year_label(statement.year),
        "sections": sections_of(statement),
        "achievements": statement_achievements(statement, today),
        "is_draft": statement.status != Statement.Status.PUBLISHED,
    }


def statement_html(statement: Statement) -> str:
    context = {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "SERVICE_OWNER": settings.SERVICE_OWNER,
        "generated_at": timezone.now(),
        **statement_context(statement),
    }
    return render_to_string("insights/statement/pdf.html", context)


def statement_pdf(statement: Statement) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=["data"])
    pdf: bytes = HTML(string=statement_html(statement), url_fetcher=fetcher).write_pdf()
    return pdf
