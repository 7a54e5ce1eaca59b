"""Procurement fixtures: tenders in each state and sealed bids, built straight from models
so that every part of the app can be tested on its own."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.procurement.models import (
    Bid,
    Commitment,
    PanelMember,
    QualitativeResponse,
    QualityScore,
    Tender,
)
from socialvalue.procurement.services import tender_create

TenderMaker = Callable[..., Tender]
BidMaker = Callable[..., Bid]


@pytest.fixture
def make_tender(toms: FrameworkVersion, officer_alice: User) -> TenderMaker:
    """``make_tender(status="open", deadline_in=timedelta(days=7), **fields)``.

    The tender belongs to the council, is worth £1,000,000 with the policy defaults (10%
    weighting, 50% quantitative, deliverability 2) and all 43 measures. Its status is set
    directly, so tests of one stage do not depend on the services of another.
    """
    counter = {"n": 0}

    def make(
        *,
        status: str = Tender.Status.OPEN,
        deadline_in: timedelta = timedelta(days=14),
        menu: list[Measure] | None = None,
        **fields: Any,
    ) -> Tender:
        counter["n"] += 1
        values: dict[str, Any] = {
            "reference": f"LCC-T-{counter['n']:03d}",
            "title": "Highways maintenance framework",
            "description": "Reactive and planned highways maintenance across Lancashire.",
            "category": Tender.Category.HIGHWAYS,
            "estimated_value": Decimal("1000000.00"),
            "duration_months": 36,
            "deadline": timezone.now() + timedelta(days=14),
        }
        values.update(fields)
        tender = tender_create(
            organisation=officer_alice.organisation,  # type: ignore[arg-type]
            created_by=officer_alice,
            menu=menu,
            **values,
        )
        tender.status = status
        tender.deadline = timezone.now() + deadline_in
        if status != Tender.Status.DRAFT:
            tender.opened_at = timezone.now() - timedelta(days=30)
        tender.save()
        return tender

    return make


@pytest.fixture
def make_bid(toms: FrameworkVersion) -> BidMaker:
    """``make_bid(tender, supplier, price="500000", lines=[("NT1", "2.5", 3), ...])``.

    Each line is (measure code, quantity, consensus score or None); a line gets a
    qualitative response unless its score is the string "no response". Consensus scores are
    recorded by ``moderator`` when given.
    """

    def make(
        tender: Tender,
        supplier: Organisation,
        *,
        price: str | Decimal = "500000.00",
        lines: list[tuple[str, str, Any]] | None = None,
        status: str = Bid.Status.SUBMITTED,
        moderator: User | None = None,
    ) -> Bid:
        bid = Bid.objects.create(
            tender=tender,
            supplier=supplier,
            price=Decimal(price),
            status=status,
            submitted_at=timezone.now() if status != Bid.Status.DRAFT else None,
            receipt_reference=f"R-{tender.pk}-{supplier.pk}" if status != "draft" else "",
        )
        for order, (code, quantity, score) in enumerate(lines or [], start=1):
            commitment = Commitment.objects.create(
                bid=bid,
                measure=Measure.objects.get(version=tender.framework_version, code=code),
                quantity=Decimal(quantity),
                order=order,
            )
            if score == "no response":
                continue
            response = QualitativeResponse.objects.create(
                commitment=commitment,
                activity=f"Deliver {quantity} of {code} across the contract.",
                who_delivers="Our social value manager with the site teams.",
                timing="Quarterly from contract start.",
                partners="Lancashire Skills and Employment Hub",
                evidence="Timesheets, payroll extracts and partner confirmations.",
            )
            if score is not None and moderator is not None:
                QualityScore.objects.create(
                    response=response,
                    evaluator=moderator,
                    kind=QualityScore.Kind.CONSENSUS,
                    score=int(score),
                    justification="Agreed at moderation.",
                )
        return bid

    return make


@pytest.fixture
def panel(evaluator_erin: User, lead_lucy: User) -> Callable[[Tender], list[PanelMember]]:
    """``panel(tender)``: Erin evaluates, Lucy (the lead) evaluates and moderates."""

    def make(tender: Tender) -> list[PanelMember]:
        return [
            PanelMember.objects.create(tender=tender, user=evaluator_erin),
            PanelMember.objects.create(tender=tender, user=lead_lucy, is_moderator=True),
        ]

    return make
