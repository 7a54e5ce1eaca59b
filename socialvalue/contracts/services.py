"""Writes for contracts and their targets.

A contract comes from an awarded tender (``contract_create_from_bid``, called by the award)
or, later, is registered directly. Its targets are the counted commitments of the winning
bid, one per measure, valued at the proxy of the framework version the tender pinned.
"""

from collections.abc import Iterable
from datetime import date
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext

from django.core.exceptions import ValidationError
from django.db import transaction

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Contract, Target
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Bid, Commitment

ERR_END_BEFORE_START = "The end date must be on or after the start date."
ERR_MANAGER_ORGANISATION = "The contract manager must be a member of staff of {organisation}."
ERR_REFERENCE_TAKEN = (
    "{organisation} already has a contract with the reference {reference}. "
    "Change the existing contract's reference first."
)
ERR_BID_HAS_CONTRACT = "This offer already has a contract ({reference})."
ERR_NO_PRICE = "The offer has no price, so it cannot become a contract."
ERR_MEASURE_VERSION = "Every target must use a measure of {version}."

# Target values are stored with ten decimal places: a quantity has at most six and a proxy
# at most four, so the product is always stored exactly.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
ZERO = Decimal(0)


def target_value(quantity: Decimal, measure: Measure) -> Decimal:
    """quantity × proxy value, exact (0 for a measure without a proxy value)."""
    if measure.proxy_value is None:
        return ZERO
    with localcontext(_EXACT):
        return quantity * measure.proxy_value


def targets_from_commitments(commitments: Iterable[Commitment]) -> list[tuple[Measure, Decimal]]:
    """One (measure, quantity) per measure: the quantities of its commitments summed, in the
    framework's order."""
    totals: dict[int, tuple[Measure, Decimal]] = {}
    with localcontext(_EXACT):
        for commitment in commitments:
            measure = commitment.measure
            _, quantity = totals.get(measure.pk, (measure, ZERO))
            totals[measure.pk] = (measure, quantity + commitment.quantity)
    return sorted(
        totals.values(), key=lambda item: (item[0].theme.order, item[0].order, item[0].code)
    )


@transaction.atomic
def contract_create_from_bid(
    *,
    bid: Bid,
    start_date: date,
    end_date: date,
    commitments: Iterable[Commitment],
    contract_manager: User | None = None,
    by: User | None = None,
) -> Contract:
    """The contract for an awarded bid, with one target per measure of ``commitments``.

    ``commitments`` are the bid's counted commitments (the award works them out with the
    scoring engine); quantities of the same measure are summed and each target is valued at
    quantity × the proxy of the tender's pinned framework version.
    """
    tender = bid.tender
    organisation = tender.organisation
    if Contract.objects.filter(bid=bid).exists():
        raise ValidationError(ERR_BID_HAS_CONTRACT.format(reference=bid.contract.reference))
    if bid.price is None:
        raise ValidationError(ERR_NO_PRICE)
    errors: dict[str, list[str]] = {}
    if end_date < start_date:
        errors["end_date"] = [ERR_END_BEFORE_START]
    if contract_manager is not None and not (
        contract_manager.organisation_id == organisation.pk and contract_manager.is_officer
    ):
        errors["contract_manager"] = [
            ERR_MANAGER_ORGANISATION.format(organisation=organisation.name)
        ]
    if Contract.objects.filter(organisation=organisation, reference=tender.reference).exists():
        errors["reference"] = [
            ERR_REFERENCE_TAKEN.format(organisation=organisation.name, reference=tender.reference)
        ]
    if errors:
        raise ValidationError(errors)

    contract = Contract(
        organisation=organisation,
        supplier=bid.supplier,
        reference=tender.reference,
        title=tender.title,
        directorate=tender.directorate,
        service_area=tender.service_area,
        category=tender.category,
        lever=Contract.Lever.PROCUREMENT,
        value=bid.price,
        start_date=start_date,
        end_date=end_date,
        contract_manager=contract_manager,
        framework_version=tender.framework_version,
        tender=tender,
        bid=bid,
        status=Contract.Status.LIVE,
    )
    if by is not None:
        contract._history_user = by  # type: ignore[attr-defined]
    contract.full_clean()
    contract.save()

    for measure, quantity in targets_from_commitments(commitments):
        if measure.version_id != tender.framework_version_id:
            raise ValidationError(ERR_MEASURE_VERSION.format(version=tender.framework_version))
        target = Target(
            contract=contract,
            measure=measure,
            quantity=quantity,
            value=target_value(quantity, measure),
        )
        if by is not None:
            target._history_user = by  # type: ignore[attr-defined]
        target.full_clean()
        target.save()
    return contract
