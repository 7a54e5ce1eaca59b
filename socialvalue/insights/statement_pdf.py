"""The annual social value statement as a PDF (A4), rendered by WeasyPrint.

The same sections and figures as the page: a cover, the contents, the seven sections of the
LGA template with the achievements figures as tables, and page numbers. Only inline
``data:`` resources are ever loaded.
"""

from datetime import date
from typing import Any

from django.utils.text import slugify

from socialvalue.core.pdf import document_html, html_to_pdf
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
    return document_html("insights/statement/pdf.html", statement_context(statement))


def statement_pdf(statement: Statement) -> bytes:
    return html_to_pdf(statement_html(statement))
