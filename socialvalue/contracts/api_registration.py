"""Reading the body of a contract registration (``POST /api/v1/contracts``).

Every problem is collected and answered at once as a 422 naming its field, such as
``["body", "targets", 2, "quantity"]``; the service (``contract_register``) then checks
what needs the database: a reference already taken, a contract manager who is not staff.
"""

import re
from datetime import date
from decimal import Decimal
from typing import Any

from socialvalue.accounts.models import Directorate, Organisation, ServiceArea, User
from socialvalue.contracts.api_common import (
    ERR_ID,
    ERR_MISSING,
    Errors,
    as_id,
    quantity_field,
    raise_if,
    text_field,
)
from socialvalue.contracts.models import Contract
from socialvalue.core.api_body import body_error
from socialvalue.core.money import MONEY
from socialvalue.framework.calculator import TOO_LARGE, AmountError, parse_contract_value
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.framework.selectors import framework_version_current, framework_version_public_get
from socialvalue.procurement.models import Tender

MAX_TARGETS = 200
FIRST_YEAR, LAST_YEAR = 2000, 2100
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

ERR_NOT_BUYER = "Only staff of a buying organisation can register contracts."
ERR_SUPPLIER = "No supplier organisation has the id {id}."
ERR_LEVER = "Lever must be one of: procurement, planning, grant."
ERR_VALUE = 'Value must be an amount in pounds of more than 0, such as "250000.00".'
ERR_VALUE_TOO_LARGE = f"{MONEY.too_large('Value')}."
ERR_DATE = '{label} must be a date written as YYYY-MM-DD, such as "2026-04-01".'
ERR_DATE_RANGE = "{label} must be between {first} and {last}."
ERR_FRAMEWORK = "No published framework version has the slug '{slug}'."
ERR_NO_FRAMEWORK = "There is no published framework version to register the contract under."
ERR_DIRECTORATE = "{organisation} has no directorate '{value}'."
ERR_SERVICE_AREA = "The directorate has no service area '{value}'."
ERR_SERVICE_AREA_ALONE = "Choose the directorate of the service area too."
ERR_CATEGORY = "Category must be one of: {choices}."
ERR_MANAGER = "{organisation} has no member of staff '{value}'."
ERR_TARGETS_TYPE = "Targets must be a list of objects with a measure and a quantity."
ERR_TOO_MANY_TARGETS = "Send at most {limit} targets; this contract has {count}."
ERR_TARGET_TYPE = "Each target must be an object with a measure and a quantity."
ERR_MEASURE = "Measure must be a measure code, such as 'NT1'."
ERR_UNKNOWN_MEASURE = "Unknown measure code '{code}' in {version}."


REGISTER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["supplier", "reference", "title", "lever", "value", "start_date", "end_date"],
    "properties": {
        "supplier": {"type": "integer", "description": "The supplier organisation's id."},
        "reference": {"type": "string", "maxLength": 50},
        "title": {"type": "string", "maxLength": 200},
        "lever": {"type": "string", "enum": [v for v, _ in Contract.Lever.choices]},
        "value": {"type": "string", "example": "900000.00"},
        "start_date": {"type": "string", "format": "date"},
        "end_date": {"type": "string", "format": "date"},
        "framework": {"type": "string", "description": "Slug; default: the current one."},
        "directorate": {"type": ["integer", "string"], "description": "Id or name."},
        "service_area": {"type": ["integer", "string"], "description": "Id or name."},
        "category": {"type": "string", "enum": [v for v, _ in Tender.Category.choices]},
        "contract_manager": {"type": ["integer", "string"], "description": "Email or id."},
        "targets": {
            "type": "array",
            "maxItems": MAX_TARGETS,
            "items": {
                "type": "object",
                "required": ["measure", "quantity"],
                "properties": {"measure": {"type": "string"}, "quantity": {"type": "string"}},
            },
        },
    },
    "example": {
        "supplier": 12,
        "reference": "LCC-2023-044",
        "title": "Highways maintenance",
        "lever": "procurement",
        "value": "900000.00",
        "start_date": "2025-04-01",
        "end_date": "2027-06-30",
        "contract_manager": "alice@lancashire.example",
        "targets": [{"measure": "NT1", "quantity": "9"}, {"measure": "NT18", "quantity": "90000"}],
    },
}


# --- Reading a registration ---------------------------------------------------------------


def registration_fields(body: dict[str, Any], organisation: Organisation) -> dict[str, Any]:
    """The keyword arguments of ``contract_register``, or a 422 listing every problem."""
    errors: Errors = []
    fields: dict[str, Any] = {}
    fields["supplier"] = _supplier(body.get("supplier"), errors)
    fields["reference"] = text_field(
        body, "reference", "Reference", errors, required=True, limit=50
    )
    fields["title"] = text_field(body, "title", "Title", errors, required=True, limit=200)
    fields["lever"] = _choice(body, "lever", "Lever", Contract.Lever.values, ERR_LEVER, errors)
    fields["value"] = _value(body.get("value"), errors)
    fields["start_date"] = _date(body, "start_date", "Start date", errors)
    fields["end_date"] = _date(body, "end_date", "End date", errors)
    version = _framework(body.get("framework"), errors)
    fields["framework_version"] = version
    directorate = _directorate(body.get("directorate"), organisation, errors)
    fields["directorate"] = directorate
    fields["service_area"] = _service_area(body.get("service_area"), directorate, errors)
    categories = ERR_CATEGORY.format(choices=", ".join(Tender.Category.values))
    fields["category"] = _choice(
        body, "category", "Category", Tender.Category.values, categories, errors, required=False
    )
    fields["contract_manager"] = _manager(body.get("contract_manager"), organisation, errors)
    fields["targets"] = _targets(body.get("targets"), version, errors)
    raise_if(errors)
    return fields


def _supplier(raw: object, errors: Errors) -> Organisation | None:
    if raw is None:
        errors.append(body_error(["supplier"], ERR_MISSING.format(label="Supplier"), "missing"))
        return None
    pk = as_id(raw)
    if pk is None:
        errors.append(body_error(["supplier"], ERR_ID.format(label="Supplier")))
        return None
    supplier = Organisation.objects.filter(pk=pk, kind=Organisation.Kind.SUPPLIER).first()
    if supplier is None:
        errors.append(body_error(["supplier"], ERR_SUPPLIER.format(id=pk)))
    return supplier


def _choice(
    body: dict[str, Any],
    name: str,
    label: str,
    choices: list[str],
    message: str,
    errors: Errors,
    *,
    required: bool = True,
) -> str:
    text = text_field(body, name, label, errors, required=required, limit=50)
    if text is None:
        return ""
    if text and text not in choices:
        errors.append(body_error([name], message))
        return ""
    return text


def _value(raw: object, errors: Errors) -> Decimal | None:
    if raw is None:
        errors.append(body_error(["value"], ERR_MISSING.format(label="Value"), "missing"))
        return None
    try:
        return parse_contract_value(raw)
    except AmountError as exc:
        message = ERR_VALUE_TOO_LARGE if exc.kind == TOO_LARGE else ERR_VALUE
        errors.append(body_error(["value"], message, exc.kind))
        return None


def _date(body: dict[str, Any], name: str, label: str, errors: Errors) -> date | None:
    raw = body.get(name)
    if raw is None:
        errors.append(body_error([name], ERR_MISSING.format(label=label), "missing"))
        return None
    try:
        if not isinstance(raw, str) or not ISO_DATE.fullmatch(raw.strip()):
            raise ValueError
        day = date.fromisoformat(raw.strip())
    except ValueError:
        errors.append(body_error([name], ERR_DATE.format(label=label), "date_type"))
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        message = ERR_DATE_RANGE.format(
            label=label, first=f"{FIRST_YEAR}-01-01", last=f"{LAST_YEAR}-12-31"
        )
        errors.append(body_error([name], message))
        return None
    return day


def _lookup_text(raw: object) -> str | None:
    """Text safe to look up: no NUL, not too long."""
    if not isinstance(raw, str) or "\x00" in raw or len(raw) > 254:
        return None
    return raw.strip()


def _directorate(raw: object, organisation: Organisation, errors: Errors) -> Directorate | None:
    if raw is None or raw == "":
        return None
    pk, text = as_id(raw), _lookup_text(raw)
    options = Directorate.objects.filter(organisation=organisation)
    found = options.filter(pk=pk).first() if pk else None
    if found is None and text:
        found = options.filter(name__iexact=text).first()
    if found is None:
        shown = str(raw)[:60].replace("\x00", "")
        errors.append(
            body_error(
                ["directorate"], ERR_DIRECTORATE.format(organisation=organisation.name, value=shown)
            )
        )
    return found


def _service_area(
    raw: object, directorate: Directorate | None, errors: Errors
) -> ServiceArea | None:
    if raw is None or raw == "":
        return None
    if directorate is None:
        errors.append(body_error(["service_area"], ERR_SERVICE_AREA_ALONE))
        return None
    pk, text = as_id(raw), _lookup_text(raw)
    options = ServiceArea.objects.filter(directorate=directorate)
    found = options.filter(pk=pk).first() if pk else None
    if found is None and text:
        found = options.filter(name__iexact=text).first()
    if found is None:
        shown = str(raw)[:60].replace("\x00", "")
        errors.append(body_error(["service_area"], ERR_SERVICE_AREA.format(value=shown)))
    return found


def _manager(raw: object, organisation: Organisation, errors: Errors) -> User | None:
    if raw is None or raw == "":
        return None
    pk, text = as_id(raw), _lookup_text(raw)
    staff = User.objects.filter(organisation=organisation)
    found = staff.filter(pk=pk).first() if pk else None
    if found is None and text:
        found = staff.filter(email__iexact=text).first()
    if found is None:
        shown = str(raw)[:60].replace("\x00", "")
        errors.append(
            body_error(
                ["contract_manager"],
                ERR_MANAGER.format(organisation=organisation.name, value=shown),
            )
        )
    return found


def _framework(raw: object, errors: Errors) -> FrameworkVersion | None:
    if raw is None or raw == "":
        version = framework_version_current()
        if version is None:
            errors.append(body_error(["framework"], ERR_NO_FRAMEWORK))
        return version
    slug = _lookup_text(raw)
    version = framework_version_public_get(slug) if slug else None
    if version is None:
        shown = str(raw)[:60].replace("\x00", "")
        errors.append(body_error(["framework"], ERR_FRAMEWORK.format(slug=shown)))
    return version


def _targets(
    raw: object, version: FrameworkVersion | None, errors: Errors
) -> list[tuple[Measure, Decimal]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append(body_error(["targets"], ERR_TARGETS_TYPE, "list_type"))
        return []
    if len(raw) > MAX_TARGETS:
        message = ERR_TOO_MANY_TARGETS.format(limit=MAX_TARGETS, count=len(raw))
        errors.append(body_error(["targets"], message, "too_long"))
        return []
    measures = {m.code.upper(): m for m in Measure.objects.filter(version=version)}
    targets = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            errors.append(body_error(["targets", index], ERR_TARGET_TYPE, "model_type"))
            continue
        measure = None
        code = item.get("measure")
        if not isinstance(code, str) or "\x00" in code or not code.strip():
            errors.append(body_error(["targets", index, "measure"], ERR_MEASURE))
        elif version is not None:
            measure = measures.get(code.strip().upper())
            if measure is None:
                message = ERR_UNKNOWN_MEASURE.format(code=code.strip()[:20], version=version.slug)
                errors.append(body_error(["targets", index, "measure"], message))
        item_errors: Errors = []
        quantity = quantity_field(item.get("quantity"), item_errors)
        for error in item_errors:
            errors.append({**error, "loc": ["body", "targets", index, "quantity"]})
        if measure is not None and quantity is not None:
            targets.append((measure, quantity))
    return targets
