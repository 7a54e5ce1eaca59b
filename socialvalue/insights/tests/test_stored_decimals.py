"""Every stored decimal comes back from the database with every digit it went in with.

SQLite keeps a decimal that is not a whole number as an 8-byte float (15 significant
digits); PostgreSQL keeps it exactly. So every ``DecimalField`` of every model (history
tables included) has at most 15 digits, unless listed in ``NOT_LIMITED`` with the reason,
and the largest value it declares, with all its decimal places, is saved and read back
equal (and the most negative one where negatives are allowed). A new decimal field fails
here until it has a limit and the world below holds one of its records.

Runs on SQLite by default and on PostgreSQL with ``DATABASE_URL``.
"""

import json
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import ReportingSettings
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.money import SQLITE_EXACT_DIGITS
from socialvalue.framework.services import framework_version_load
from socialvalue.framework.tests.conftest import framework_doc, measure_doc
from socialvalue.insights.models import KpiTarget
from socialvalue.stories.models import CaseStudy, CaseStudyFigure

# Fields allowed more than 15 digits, and why that is safe.
NOT_LIMITED = {
    (
        "insights.DeliveredRollup",
        "micro_units",
    ): "whole numbers (quantities in millionths), summed by database triggers: SQLite keeps "
    "whole numbers as 64-bit integers, exact up to 9,223,372,036,854,775,807 millionths "
    "(over 9,000 lines of the largest quantity in one cell); PostgreSQL's numeric(38, 0) "
    "has room for far more",
}


def decimal_fields() -> list[tuple[type[models.Model], models.DecimalField]]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DecimalField):
                found.append((model, field))
    return found


FIELDS = decimal_fields()
LIMITED = [(m, f) for m, f in FIELDS if (m._meta.label, f.name) not in NOT_LIMITED]


def params(fields: list[tuple[type[models.Model], models.DecimalField]]) -> list[Any]:
    return [pytest.param(m, f, id=f"{m._meta.label}.{f.name}") for m, f in fields]


def largest(field: models.DecimalField) -> Decimal:
    """All nines: the largest value the field declares, with every decimal place."""
    assert field.max_digits is not None
    assert field.decimal_places is not None
    return Decimal(10**field.max_digits - 1).scaleb(-field.decimal_places)


def allows_negative(field: models.Field) -> bool:
    return not any(
        isinstance(v, MinValueValidator) and v.limit_value >= 0 for v in field.validators
    )


def capped_below_its_digits(field: models.DecimalField) -> bool:
    """A percentage: a maximum (100) well inside what its digits hold."""
    return any(
        isinstance(v, MaxValueValidator) and v.limit_value < largest(field)
        for v in field.validators
    )


def test_it_finds_the_decimal_fields_of_every_app() -> None:
    apps_with_decimals = {model._meta.app_label for model, _ in FIELDS}
    assert {"framework", "procurement", "contracts", "insights", "stories"} <= apps_with_decimals
    assert len(FIELDS) > 20  # history tables included


def test_every_exception_still_exists() -> None:
    labels = {(m._meta.label, f.name) for m, f in FIELDS}
    assert set(NOT_LIMITED) <= labels


@pytest.mark.parametrize(("model", "field"), params(LIMITED))
def test_every_decimal_field_fits_what_both_databases_store_exactly(
    model: type[models.Model], field: models.DecimalField
) -> None:
    assert field.max_digits is not None
    assert field.max_digits <= SQLITE_EXACT_DIGITS, (
        f"{model._meta.label}.{field.name} has {field.max_digits} digits; SQLite keeps 15. "
        "Give it a limit from socialvalue/core/money.py (or list it in NOT_LIMITED with why)."
    )


@pytest.mark.parametrize(("model", "field"), params(LIMITED))
def test_every_decimal_field_refuses_more_with_a_message_naming_its_limit(
    model: type[models.Model], field: models.DecimalField
) -> None:
    top = largest(field)
    step = Decimal(1).scaleb(-(field.decimal_places or 0))
    with pytest.raises(ValidationError) as refused:
        field.clean(top + step, None)
    if not capped_below_its_digits(field):
        shown = f"{top:,.{field.decimal_places}f}"
        assert any(shown in message for message in refused.value.messages), refused.value.messages


# --- The round trip ------------------------------------------------------------------------


@pytest.fixture
def world(
    make_contract: ContractMaker,
    make_tender: Any,
    make_bid: Any,
    make_return: Any,
    add_line: Any,
    last_period: Any,
    council: Organisation,
    bobs_building: Organisation,
    lead_lucy: User,
) -> None:
    """One record (and its history) of every model with a decimal field."""
    contract = make_contract()  # a contract, targets, their quarters
    add_line(make_return(bobs_building, last_period), contract, "NT1", "1")
    tender = make_tender()  # a tender and the council's policy
    make_bid(tender, bobs_building, lines=[("NT1", "2", None)])
    ReportingSettings.objects.first() or ReportingSettings.objects.create()
    framework_version_load(text=json.dumps(framework_doc("draft-toms", [measure_doc("X1")])))
    KpiTarget.objects.create(organisation=council, kpi="committed_value", year=2026, target=1)
    story = CaseStudy.objects.create(
        title="Apprentices",
        slug="apprentices",
        organisation=council,
        district="E07000123",
        year=2025,
        summary="Six apprentices.",
        challenge="-",
        what_was_done="-",
        outcomes="-",
        author=lead_lucy,
    )
    CaseStudyFigure.objects.create(case_study=story, label="Apprentices", value=6)


def round_trip(model: type[models.Model], field: models.DecimalField, value: Decimal) -> Any:
    manager = model._base_manager
    record = manager.order_by("pk").first()
    assert record is not None, f"The world has no {model._meta.label}: add one to the fixture."
    if model._meta.label == "framework.Measure":
        record = manager.filter(version__status="draft").order_by("pk").first()
        assert record is not None
    setattr(record, field.attname, value)
    record.save(update_fields=[field.attname])
    return manager.filter(pk=record.pk).values_list(field.attname, flat=True).get()


# Percentages are capped (at 100 or 1,000) well inside their 5 or 6 digits, and checked
# against each other by constraints: there is nothing of theirs a database could round.
STORED = [(m, f) for m, f in LIMITED if not capped_below_its_digits(f)]


def test_capped_fields_are_short() -> None:
    capped = [(m, f) for m, f in LIMITED if capped_below_its_digits(f)]
    assert capped
    assert all(f.max_digits is not None and f.max_digits <= 6 for _, f in capped)


@pytest.mark.parametrize(("model", "field"), params(STORED))
def test_the_largest_value_comes_back_with_every_digit(
    world: None, model: type[models.Model], field: models.DecimalField
) -> None:
    top = largest(field)
    assert round_trip(model, field, top) == top
    # And the smallest step above zero, which a float would also keep.
    tiny = Decimal(1).scaleb(-(field.decimal_places or 0))
    assert round_trip(model, field, tiny) == tiny


@pytest.mark.parametrize(
    ("model", "field"), params([(m, f) for m, f in STORED if allows_negative(f)])
)
def test_the_most_negative_value_comes_back_with_every_digit(
    world: None, model: type[models.Model], field: models.DecimalField
) -> None:
    assert round_trip(model, field, -largest(field)) == -largest(field)


def test_no_stored_quantity_or_amount_may_be_negative() -> None:
    """Were one to allow negatives, the test above checks its most negative value."""
    assert [(m._meta.label, f.name) for m, f in STORED if allows_negative(f)] == []
