"""Writes of the insights app: KPI targets.

The social value lead sets, per financial year, one target per KPI for their organisation,
and, when their organisation leads a place partnership, for the place. History is kept on
every change (``KpiTarget.history``), with who made it.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.history import set_history_user
from socialvalue.core.money import KPI_TARGET
from socialvalue.insights.access import places_led_by
from socialvalue.insights.models import Kpi, KpiTarget, Place

ERR_NOT_LEAD = "Only the social value lead can set KPI targets."
ERR_NOT_YOURS = "You can set targets only for your own organisation and the places it leads."
ERR_ONE_OWNER = "A target is for one organisation or one place."
ERR_KPI = "Choose one of the indicators listed."
ERR_YEAR = "The financial year must start between 2000 and 2099."
ERR_NUMBER = "Enter the target as a number, like 25 or 1500000."
ERR_NEGATIVE = "The target must be 0 or more."
ERR_PERCENT = "This target is a percentage, so it must be 100 or less."
ERR_WHOLE = "The target must be a whole number of case studies."
ERR_PLACES = "The target must have at most 2 decimal places."
ERR_TOO_BIG = f"{KPI_TARGET.too_large('The target')}."

FIRST_YEAR, LAST_YEAR = 2000, 2099
PERCENT_KPIS = frozenset(
    {
        Kpi.DELIVERED_SV_ADD,
        Kpi.COMMITTED_SV_ADD,
        Kpi.LOCAL_SPEND,
        Kpi.MSME_SPEND,
        Kpi.VCSE_SPEND,
        Kpi.RETURNS_ON_TIME,
        Kpi.OFFICERS_TRAINED,
        Kpi.TENDERS_WITH_SV,
    }
)


def kpi_target_problems(kpi: str, target: Decimal) -> list[str]:
    """What is wrong with ``target`` as the target of ``kpi`` (nothing when it is fine)."""
    if not target.is_finite():
        return [ERR_NUMBER]
    if target < 0:
        return [ERR_NEGATIVE]
    if target > KPI_TARGET.largest:
        return [ERR_TOO_BIG]
    if kpi in PERCENT_KPIS and target > 100:
        return [ERR_PERCENT]
    if kpi == Kpi.CASE_STUDIES and target != target.to_integral_value():
        return [ERR_WHOLE]
    exponent = target.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and target != target.quantize(Decimal("0.01")):
        return [ERR_PLACES]
    return []


def _check_owner(by: User, organisation: Organisation | None, place: Place | None) -> None:
    if not (by.is_authenticated and by.is_active and by.is_lead):
        raise PermissionDenied(ERR_NOT_LEAD)
    if (organisation is None) == (place is None):
        raise ValidationError(ERR_ONE_OWNER)
    if organisation is not None and organisation.pk != by.organisation_id:
        raise PermissionDenied(ERR_NOT_YOURS)
    if place is not None and place.pk not in {p.pk for p in places_led_by(by)}:
        raise PermissionDenied(ERR_NOT_YOURS)


def _check(kpi: str, year: int, target: Decimal | None) -> None:
    if kpi not in Kpi.values:
        raise ValidationError({"kpi": [ERR_KPI]})
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": [ERR_YEAR]})
    if target is not None:
        problems = kpi_target_problems(kpi, target)
        if problems:
            raise ValidationError({"target": problems})


def _owner(organisation: Organisation | None, place: Place | None) -> dict[str, Any]:
    return {"organisation": organisation} if organisation is not None else {"place": place}


def _set(
    *, by: User, owner: dict[str, Any], kpi: str, year: int, target: Decimal | None
) -> KpiTarget | None:
    existing = KpiTarget.objects.select_for_update().filter(kpi=kpi, year=year, **owner).first()
    if target is None:
        if existing is not None:
            set_history_user(existing, by)
            existing.delete()
        return None
    target = target.quantize(Decimal("0.01"))
    if existing is not None and existing.target == target:
        return existing
    record = existing or KpiTarget(kpi=kpi, year=year, **owner)
    record.target = target
    set_history_user(record, by)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def kpi_target_set(
    *,
    by: User,
    kpi: str,
    year: int,
    target: Decimal | None,
    organisation: Organisation | None = None,
    place: Place | None = None,
) -> KpiTarget | None:
    """Set (or, with ``target=None``, remove) one KPI's target for one year.

    For ``organisation`` (the lead's own) or ``place`` (one the lead's organisation leads).
    Setting the same figure again changes nothing and records no history.
    """
    _check_owner(by, organisation, place)
    _check(kpi, year, target)
    return _set(by=by, owner=_owner(organisation, place), kpi=kpi, year=year, target=target)


@transaction.atomic
def kpi_targets_save(
    *,
    by: User,
    year: int,
    targets: Mapping[str, Decimal | None],
    organisation: Organisation | None = None,
    place: Place | None = None,
) -> None:
    """Set a year's targets together: every one is checked first, then all or none saved.

    Errors are keyed by KPI, so a form can show each beside its field.
    """
    _check_owner(by, organisation, place)
    errors: dict[str, list[str]] = {}
    for kpi, target in targets.items():
        try:
            _check(kpi, year, target)
        except ValidationError as error:
            errors[kpi] = [m for messages in error.message_dict.values() for m in messages]
    if errors:
        raise ValidationError(errors)
    owner = _owner(organisation, place)
    for kpi, target in targets.items():
        _set(by=by, owner=owner, kpi=kpi, year=year, target=target)
