"""Reads for suppliers: open opportunities and their own offers.

Access rules stay in ``procurement/selectors.py`` (``tenders_visible_to``,
``bids_visible_to``); these narrow them down for the supplier pages and the API.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.framework.calculator import (
    Calculation,
    CommitmentInput,
    calculate,
    measure_infos_for_version,
)
from socialvalue.procurement.models import Bid, Commitment, Tender
from socialvalue.procurement.selectors import bids_visible_to, tenders_visible_to

MAX_SEARCH_LENGTH = 100


def opportunities_for(
    user: User, *, category: str = "", query: str = "", now: datetime | None = None
) -> QuerySet[Tender]:
    """Open tenders of every buying organisation that still take offers, closing soonest
    first, optionally of one category and matching a search of reference, title,
    description and buyer."""
    now = now or timezone.now()
    tenders = tenders_visible_to(user).filter(status=Tender.Status.OPEN, deadline__gt=now)
    if category:
        tenders = tenders.filter(category=category)
    words = query.split()[:10] if query else []
    for word in words:
        word = word[:MAX_SEARCH_LENGTH]
        tenders = tenders.filter(
            Q(reference__icontains=word)
            | Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return tenders.order_by("deadline", "reference")


def offers_of(user: User) -> QuerySet[Bid]:
    """The supplier's own offers, the most recent deadline first."""
    return bids_visible_to(user).order_by("-tender__deadline", "tender__reference")


def bid_of(tender: Tender, user: User) -> Bid | None:
    """The offer of the user's organisation in ``tender``, if it has one."""
    if not user.is_authenticated or not user.organisation_id:
        return None
    return Bid.objects.filter(tender=tender, supplier_id=user.organisation_id).first()


def commitments_of(bid: Bid) -> list[Commitment]:
    return list(
        bid.commitments.select_related("measure", "measure__theme", "response").order_by(
            "order", "id"
        )
    )


def running_total(
    *,
    tender: Tender,
    lines: Sequence[tuple[str, Decimal]],
    price: Decimal | None,
) -> Calculation:
    """The £ value of ``lines`` (measure code, quantity) with the tender's pinned proxies,
    by theme, and SV Add % against ``price``."""
    return calculate(
        measures=measure_infos_for_version(tender.framework_version),
        commitments=[CommitmentInput(code, quantity) for code, quantity in lines],
        contract_value=price if price and price > 0 else None,
        framework=tender.framework_version.name,
    )


def days_to_close(deadline: datetime, *, now: datetime | None = None) -> str:
    """ "closes today", "closes tomorrow", "closes in 9 days" or "closed" (Europe/London days)."""
    now = now or timezone.now()
    if deadline <= now:
        return "closed"
    days = (timezone.localtime(deadline).date() - timezone.localtime(now).date()).days
    if days <= 0:
        return "closes today"
    if days == 1:
        return "closes tomorrow"
    return f"closes in {days} days"


def optional_url(name: str, *args: object) -> str | None:
    """The address of a page another part of the service may provide, or None."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
