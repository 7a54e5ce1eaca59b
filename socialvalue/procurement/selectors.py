"""Reads of tenders and bids, with the access rules in one place.

- Officers, evaluators and the lead see the tenders of their own organisation.
- Suppliers see open tenders of any organisation, and tenders they have bid in.
- A bid is sealed: its supplier's users see it always; the buying organisation's staff see
  it only once the deadline has passed and only if it was submitted; nobody else ever sees
  it. Anyone not allowed gets 404, so nobody learns that a bid exists.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.procurement.models import Bid, PanelMember, Policy, Tender

SEALED_STATUSES = (Bid.Status.SUBMITTED, Bid.Status.SUCCESSFUL, Bid.Status.UNSUCCESSFUL)


def policy_for(organisation_id: int) -> Policy | None:
    return Policy.objects.filter(organisation_id=organisation_id).first()


def tenders_visible_to(user: User) -> QuerySet[Tender]:
    qs = Tender.objects.select_related(
        "organisation", "directorate", "service_area", "framework_version"
    )
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_officer and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    if user.is_supplier_user and user.organisation_id:
        return qs.filter(
            Q(status=Tender.Status.OPEN) | Q(bids__supplier_id=user.organisation_id)
        ).distinct()
    return qs.none()


def get_tender_for_user(user: User, pk: int) -> Tender:
    tender = tenders_visible_to(user).filter(pk=pk).first()
    if tender is None:
        raise Http404("No such tender.")
    return tender


def is_sealed(tender: Tender) -> bool:
    """Bids stay sealed until the deadline has passed."""
    return timezone.now() < tender.deadline


def bids_visible_to(user: User) -> QuerySet[Bid]:
    qs = Bid.objects.select_related("tender", "supplier", "tender__organisation")
    if not user.is_authenticated or not user.is_active or not user.organisation_id:
        return qs.none()
    if user.is_supplier_user:
        return qs.filter(supplier_id=user.organisation_id)
    if user.is_officer:
        return qs.filter(
            tender__organisation_id=user.organisation_id,
            tender__deadline__lte=timezone.now(),
            status__in=SEALED_STATUSES,
        )
    return qs.none()


def get_bid_for_user(user: User, pk: int) -> Bid:
    bid = bids_visible_to(user).filter(pk=pk).first()
    if bid is None:
        raise Http404("No such bid.")
    return bid


def submitted_bids(tender: Tender) -> QuerySet[Bid]:
    """The bids that are evaluated: submitted and not withdrawn (never before the deadline)."""
    if is_sealed(tender):
        return Bid.objects.none()
    return (
        Bid.objects.filter(tender=tender, status__in=SEALED_STATUSES)
        .select_related("supplier")
        .order_by("supplier__name")
    )


def panel_membership(user: User, tender: Tender) -> PanelMember | None:
    if not user.is_authenticated:
        return None
    return PanelMember.objects.filter(tender=tender, user=user).first()


def can_moderate(user: User, tender: Tender) -> bool:
    """The panel's moderator, or the social value lead of the buying organisation."""
    if not user.is_authenticated or user.organisation_id != tender.organisation_id:
        return False
    if user.is_lead:
        return True
    member = panel_membership(user, tender)
    return bool(member and member.is_moderator)
