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

from socialvalue.accounts.models import Directorate, Organisation, ServiceArea, User
from socialvalue.contracts.models import Contract, ReportingPeriod, Target, TargetQuarter
from socialvalue.contracts.periods import periods_between
from socialvalue.core.history import set_history_user
from socialvalue.core.money import QUANTITY
from socialvalue.framework.models import FrameworkVersion, Measure
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
ERR_SUPPLIER_KIND = "{organisation} is not a supplier organisation."
ERR_BUYER_KIND = "{organisation} is not a buying organisation."
ERR_DIRECTORATE = "The directorate must be one of {organisation}'s."
ERR_SERVICE_AREA = "The service area must be in the chosen directorate."
ERR_PROFILE_SUM = (
    "The quarters add up to {total}, but the target is {quantity}. Make them add up to the "
    "target exactly."
)
ERR_PROFILE_PERIOD = "{period} is outside the contract's dates."
ERR_PROFILE_NEGATIVE = "A quarter's quantity must be 0 or more."
ERR_PROFILE_DIGITS = "A quarter's quantity must have at most 6 decimal places."
ERR_TARGET_DUPLICATE = "{code} is listed more than once."
ERR_TARGET_TOO_LARGE = (
    "The offer's commitments to {code} add up to more than a target can hold ({largest})."
)
ERR_ALREADY_CLOSED = "This contract is already {status}."
ERR_TERMINATE_DATE = "The termination date must be between the start date and the end date."

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
        set_history_user(contract, by)
    contract.full_clean()
    contract.save()

    for measure, quantity in targets_from_commitments(commitments):
        if measure.version_id != tender.framework_version_id:
            raise ValidationError(ERR_MEASURE_VERSION.format(version=tender.framework_version))
        if quantity > QUANTITY.largest:
            raise ValidationError(
                ERR_TARGET_TOO_LARGE.format(
                    code=measure.code, largest=QUANTITY.show(QUANTITY.largest)
                )
            )
        target = Target(
            contract=contract,
            measure=measure,
            quantity=quantity,
        )
        if by is not None:
            set_history_user(target, by)
        target.full_clean()
        target.save()
        profile_even(target, by=by)
    return contract


SIX_DP = Decimal("0.000001")


def contract_periods(contract: Contract) -> list[ReportingPeriod]:
    """The quarters the contract runs in, made where missing."""
    return periods_between(contract.start_date, contract.end_date)


def even_split(quantity: Decimal, parts: int) -> list[Decimal]:
    """``quantity`` split into ``parts`` equal shares to 6 decimal places, the last share
    taking what rounding leaves, so the shares always add up to ``quantity`` exactly."""
    if parts <= 0:
        return []
    share = (quantity / parts).quantize(SIX_DP, rounding="ROUND_DOWN")
    shares = [share] * (parts - 1)
    with localcontext(_EXACT):
        shares.append(quantity - share * (parts - 1))
    return shares


def profile_even(target: Target, *, by: User | None = None) -> list[TargetQuarter]:
    """Profile ``target`` evenly across its contract's quarters (replacing any profile)."""
    periods = contract_periods(target.contract)
    shares = even_split(target.quantity, len(periods))
    return _profile_write(target, dict(zip(periods, shares, strict=True)), by=by)


def profile_set(
    target: Target, quantities: dict[ReportingPeriod, Decimal], *, by: User | None = None
) -> list[TargetQuarter]:
    """Set the quarterly profile of ``target``: every quarter of the contract gets the given
    quantity (0 if missing); the quarters must add up to the target exactly."""
    periods = contract_periods(target.contract)
    allowed = {p.pk for p in periods}
    errors: list[str] = []
    for period, quantity in quantities.items():
        if period.pk not in allowed:
            errors.append(ERR_PROFILE_PERIOD.format(period=period.short_label))
        if not quantity.is_finite() or quantity < 0:
            errors.append(ERR_PROFILE_NEGATIVE)
        elif quantity != quantity.quantize(SIX_DP, context=_EXACT):
            # Stored to six places, it would no longer add up to the target.
            errors.append(ERR_PROFILE_DIGITS)
    with localcontext(_EXACT):
        total = sum(quantities.values(), ZERO)
    if total != target.quantity:
        errors.append(ERR_PROFILE_SUM.format(total=_plain(total), quantity=_plain(target.quantity)))
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))  # each message once
    by_pk = {p.pk: q for p, q in quantities.items()}
    return _profile_write(target, {p: by_pk.get(p.pk, ZERO) for p in periods}, by=by)


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


@transaction.atomic
def _profile_write(
    target: Target, quantities: dict[ReportingPeriod, Decimal], *, by: User | None
) -> list[TargetQuarter]:
    existing = {tq.period_id: tq for tq in target.quarters.all()}
    keep: list[TargetQuarter] = []
    for period, quantity in quantities.items():
        row = existing.pop(period.pk, None)
        if row is None:
            row = TargetQuarter(target=target, period=period, quantity=quantity)
        elif row.quantity == quantity:
            keep.append(row)
            continue
        row.quantity = quantity
        if by is not None:
            set_history_user(row, by)
        row.save()
        keep.append(row)
    for row in existing.values():
        if by is not None:
            set_history_user(row, by)
        row.delete()
    return keep


def _check_structure(
    errors: dict[str, list[str]],
    *,
    organisation: Organisation,
    directorate: Directorate | None,
    service_area: ServiceArea | None,
    contract_manager: User | None,
) -> None:
    if directorate is not None and directorate.organisation_id != organisation.pk:
        errors.setdefault("directorate", []).append(
            ERR_DIRECTORATE.format(organisation=organisation.name)
        )
    if service_area is not None and (
        directorate is None or service_area.directorate_id != directorate.pk
    ):
        errors.setdefault("service_area", []).append(ERR_SERVICE_AREA)
    if contract_manager is not None and not (
        contract_manager.organisation_id == organisation.pk and contract_manager.is_officer
    ):
        errors.setdefault("contract_manager", []).append(
            ERR_MANAGER_ORGANISATION.format(organisation=organisation.name)
        )


@transaction.atomic
def contract_register(
    *,
    organisation: Organisation,
    supplier: Organisation,
    reference: str,
    title: str,
    lever: str,
    value: Decimal,
    start_date: date,
    end_date: date,
    framework_version: FrameworkVersion,
    targets: Iterable[tuple[Measure, Decimal]] = (),
    directorate: Directorate | None = None,
    service_area: ServiceArea | None = None,
    category: str = "",
    contract_manager: User | None = None,
    by: User | None = None,
) -> Contract:
    """Register a contract let outside the platform (an existing contract, a planning
    obligation or a grant), with its targets profiled evenly across its quarters."""
    errors: dict[str, list[str]] = {}
    if not organisation.is_buyer:
        errors["organisation"] = [ERR_BUYER_KIND.format(organisation=organisation.name)]
    if not supplier.is_supplier:
        errors["supplier"] = [ERR_SUPPLIER_KIND.format(organisation=supplier.name)]
    if end_date < start_date:
        errors["end_date"] = [ERR_END_BEFORE_START]
    _check_structure(
        errors,
        organisation=organisation,
        directorate=directorate,
        service_area=service_area,
        contract_manager=contract_manager,
    )
    reference = reference.strip()
    if Contract.objects.filter(organisation=organisation, reference=reference).exists():
        errors["reference"] = [
            ERR_REFERENCE_TAKEN.format(organisation=organisation.name, reference=reference)
        ]
    target_list = list(targets)
    seen: set[int] = set()
    for measure, _quantity in target_list:
        if measure.version_id != framework_version.pk:
            errors.setdefault("targets", []).append(
                ERR_MEASURE_VERSION.format(version=framework_version)
            )
        if measure.pk in seen:
            errors.setdefault("targets", []).append(ERR_TARGET_DUPLICATE.format(code=measure.code))
        seen.add(measure.pk)
    if errors:
        raise ValidationError(errors)
    contract = Contract(
        organisation=organisation,
        supplier=supplier,
        reference=reference,
        title=title.strip(),
        directorate=directorate,
        service_area=service_area,
        category=category,
        lever=lever,
        value=value,
        start_date=start_date,
        end_date=end_date,
        contract_manager=contract_manager,
        framework_version=framework_version,
        status=Contract.Status.LIVE,
    )
    if by is not None:
        set_history_user(contract, by)
    contract.full_clean()
    contract.save()
    for measure, quantity in target_list:
        target_save(contract, measure, quantity, by=by)
    return contract


@transaction.atomic
def target_save(
    contract: Contract, measure: Measure, quantity: Decimal, *, by: User | None = None
) -> Target:
    """Add a target, or change its quantity; the profile is spread evenly again when the
    quantity changes (edit it afterwards to profile it differently)."""
    if measure.version_id != contract.framework_version_id:
        raise ValidationError(
            {"measure": [ERR_MEASURE_VERSION.format(version=contract.framework_version)]}
        )
    target = Target.objects.filter(contract=contract, measure=measure).first()
    if target is not None and target.quantity == quantity:
        return target
    if target is None:
        target = Target(contract=contract, measure=measure)
    target.quantity = quantity
    if by is not None:
        set_history_user(target, by)
    target.full_clean()
    target.save()
    profile_even(target, by=by)
    return target


@transaction.atomic
def target_delete(target: Target, *, by: User | None = None) -> None:
    if by is not None:
        set_history_user(target, by)
    target.delete()


@transaction.atomic
def contract_update(contract: Contract, *, by: User | None = None, **fields: object) -> Contract:
    """Change a contract's details. Changing its dates re-profiles every target evenly
    across the new quarters. The organisation, supplier and framework version never change."""
    for forbidden in ("organisation", "supplier", "framework_version", "tender", "bid"):
        if forbidden in fields:
            raise ValueError(f"A contract's {forbidden} cannot be changed.")
    errors: dict[str, list[str]] = {}
    old_dates = (contract.start_date, contract.end_date)
    for name, value in fields.items():
        setattr(contract, name, value)
    if contract.end_date < contract.start_date:
        errors["end_date"] = [ERR_END_BEFORE_START]
    _check_structure(
        errors,
        organisation=contract.organisation,
        directorate=contract.directorate,
        service_area=contract.service_area,
        contract_manager=contract.contract_manager,
    )
    if (
        Contract.objects.filter(organisation=contract.organisation, reference=contract.reference)
        .exclude(pk=contract.pk)
        .exists()
    ):
        errors["reference"] = [
            ERR_REFERENCE_TAKEN.format(
                organisation=contract.organisation.name, reference=contract.reference
            )
        ]
    if errors:
        raise ValidationError(errors)
    if by is not None:
        set_history_user(contract, by)
    contract.full_clean()
    contract.save()
    if (contract.start_date, contract.end_date) != old_dates:
        for target in contract.targets.select_related("contract"):
            profile_even(target, by=by)
    return contract


@transaction.atomic
def contract_close(
    contract: Contract, *, status: str, end_date: date | None = None, by: User | None = None
) -> Contract:
    """End a live contract (at its end date) or terminate it early (``end_date`` is the last
    day it ran). Its quarters after the new end date drop out of its profile."""
    if contract.status != Contract.Status.LIVE:
        raise ValidationError(
            ERR_ALREADY_CLOSED.format(status=contract.get_status_display().lower())
        )
    if status not in {Contract.Status.ENDED, Contract.Status.TERMINATED}:
        raise ValueError(f"Unknown closing status {status!r}.")
    if status == Contract.Status.TERMINATED:
        if end_date is None or not contract.start_date <= end_date <= contract.end_date:
            raise ValidationError({"end_date": [ERR_TERMINATE_DATE]})
        contract.end_date = end_date
    contract.status = status
    if by is not None:
        set_history_user(contract, by)
    contract.save()
    if status == Contract.Status.TERMINATED:
        for target in contract.targets.select_related("contract"):
            profile_even(target, by=by)
    return contract
