"""Documents printed to PDF (A4, laid out by their own CSS) with WeasyPrint.

Only inline ``data:`` resources are ever loaded, so a document can never reach the network
or the disk, whatever text its records hold.
"""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


def document_html(template: str, context: dict[str, Any]) -> str:
    """``template`` rendered with ``context`` and what every printed document shows: the
    service's name and owner, and when it was made."""
    return render_to_string(
        template,
        {
            "SERVICE_NAME": settings.SERVICE_NAME,
            "SERVICE_OWNER": settings.SERVICE_OWNER,
            "generated_at": timezone.now(),
            **context,
        },
    )


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=["data"])
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
