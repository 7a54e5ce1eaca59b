"""Downloads of a tender's ITT pack: the ITT wording and the delivery plan template (Word)
and the offer spreadsheet (Excel).

The buying organisation's staff may download the pack of any of its tenders; a supplier
may while the tender is open or once it has an offer in it, and with ``?prefill=1`` gets
its own offer filled in (never anyone else's). Everyone else gets 404.
"""

import re

from django.http import HttpResponse, HttpResponseBase
from django.urls import URLPattern, path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import STAFF_AND_SUPPLIERS, Reach, access
from socialvalue.procurement.documents.itt import itt_docx
from socialvalue.procurement.documents.qdp import qdp_docx
from socialvalue.procurement.models import Bid, Tender
from socialvalue.procurement.offers.xlsx_template import offer_template_xlsx
from socialvalue.procurement.selectors import bids_visible_to, get_tender_for_user

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(tender: Tender, suffix: str) -> str:
    """``LCC-T-001-social-value-itt.docx``: the reference made safe for a file name."""
    reference = re.sub(r"[^A-Za-z0-9._-]+", "-", tender.reference).strip("-.") or "tender"
    return f"{reference}-{suffix}"


def _own_bid(request: AuthenticatedRequest, tender: Tender) -> Bid | None:
    """The signed-in supplier's own offer in the tender, when asked to fill it in."""
    user = request.user
    if request.GET.get("prefill") != "1" or not user.is_supplier_user:
        return None
    return bids_visible_to(user).filter(tender=tender).first()


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A filled-in template holds a sealed offer: keep every copy out of shared caches.
    patch_cache_control(response, private=True, no_store=True)
    return response


@access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
@require_GET
def itt_docx_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    tender = get_tender_for_user(request.user, pk)
    return _download(itt_docx(tender=tender), DOCX, _filename(tender, "social-value-itt.docx"))


@access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
@require_GET
def qdp_docx_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    tender = get_tender_for_user(request.user, pk)
    body = qdp_docx(tender=tender, bid=_own_bid(request, tender))
    return _download(body, DOCX, _filename(tender, "delivery-plan.docx"))


@access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
@require_GET
def offer_template_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    tender = get_tender_for_user(request.user, pk)
    body = offer_template_xlsx(tender=tender, bid=_own_bid(request, tender))
    return _download(body, XLSX, _filename(tender, "offer-template.xlsx"))


urlpatterns: list[URLPattern] = [
    path("tenders/<int:pk>/pack/itt.docx", itt_docx_download, name="itt_docx"),
    path("tenders/<int:pk>/pack/delivery-plan.docx", qdp_docx_download, name="qdp_docx"),
    path(
        "tenders/<int:pk>/pack/offer-template.xlsx",
        offer_template_download,
        name="offer_template_xlsx",
    ),
]
