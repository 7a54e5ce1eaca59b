"""Helpers shared by the offer, sealed-bid and tender API tests."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Bid, Commitment, Tender
from socialvalue.procurement.offers.services import commitment_add

ANSWERS: dict[str, str] = {
    "activity": "Recruit local people for the depot through the jobcentre.",
    "who_delivers": "Our operations manager with the site supervisors.",
    "timing": "From month 1, reviewed every quarter.",
    "partners": "Burnley Jobcentre Plus",
    "evidence": "Payroll extracts with home postcodes each quarter.",
}


def measure(tender: Tender, code: str) -> Measure:
    return Measure.objects.get(version=tender.framework_version, code=code)


def add_line(bid: Bid, by: User, code: str, quantity: str, **fields: Any) -> Commitment:
    values: dict[str, Any] = {**ANSWERS, **fields}
    return commitment_add(
        bid=bid,
        by=by,
        measure=measure(bid.tender, code),
        quantity=Decimal(quantity),
        **values,
    )


def pass_deadline(tender: Tender, *, minutes: int = 1) -> None:
    """Move the deadline into the past (the tender stays open, as before the nightly close)."""
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - timedelta(minutes=minutes))
    tender.refresh_from_db()
