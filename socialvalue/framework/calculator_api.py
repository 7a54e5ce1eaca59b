"""POST /api/v1/calculate: the social value calculator as a public JSON endpoint."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import ValidationError
from pydantic import BaseModel

from socialvalue.core.access import ANYONE, api_access
from socialvalue.core.api_body import ErrorOut, body_error, read_json_object
from socialvalue.core.money import exact_money_text, money_text, percent_text, plain
from socialvalue.framework.calculator import (
    CALCULATOR_MONEY,
    CALCULATOR_QUANTITY,
    MAX_COMMITMENTS,
    NEGATIVE,
    NOT_A_NUMBER,
    NOT_FINITE,
    NOT_POSITIVE,
    TOO_LARGE,
    TOO_PRECISE,
    AmountError,
    Calculation,
    CommitmentInput,
    MeasureInfo,
    calculate,
    measure_infos_for_version,
    parse_contract_value,
    parse_quantity,
)
from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.selectors import framework_version_current, framework_versions_public

router = Router(tags=["calculator"])

ERR_JSON = "The request body is not valid JSON: {error}."
ERR_TOO_BIG = "The request body is too large. Send at most {limit:,} commitments per request."
ERR_BODY_NOT_OBJECT = "The request body must be a JSON object with a 'commitments' list."
ERR_FRAMEWORK_TYPE = "Framework must be the slug of a published framework version, as a string."
ERR_FRAMEWORK_UNKNOWN = (
    "There is no published framework version '{slug}'. Versions you can use: {published}."
)
ERR_NO_FRAMEWORK = "No framework version has been published yet."
ERR_COMMITMENTS_MISSING = (
    'Commitments are required: a list of {"measure", "quantity"} objects (it may be empty).'
)
ERR_COMMITMENTS_TYPE = 'Commitments must be a list of {"measure", "quantity"} objects.'
ERR_TOO_MANY = "Send at most {limit:,} commitments per request; this request has {count:,}."
ERR_COMMITMENT_TYPE = "Each commitment must be an object with a measure code and a quantity."
ERR_MEASURE_MISSING = "Measure is required: a measure code such as 'NT1'."
ERR_MEASURE_TYPE = "Measure must be a measure code such as 'NT1', as a string."
ERR_UNKNOWN_MEASURE = "Unknown measure code '{code}' in {framework}."
ERR_QUANTITY_MISSING = 'Quantity is required: a number of 0 or more, such as 2.5 or "2.5".'
ERR_QUANTITY = {
    NOT_A_NUMBER: 'Quantity must be a number, such as 2.5 or "2.5".',
    NOT_FINITE: "Quantity must be a finite number; NaN and Infinity are not quantities.",
    NEGATIVE: "Quantity must be 0 or more.",
    TOO_LARGE: "Quantity must have at most 15 digits before the decimal point.",
    TOO_PRECISE: "Quantity must have at most 6 decimal places.",
}
ERR_CONTRACT_VALUE = {
    NOT_A_NUMBER: 'Contract value must be an amount in pounds, such as 1250000 or "1250000.00".',
    NOT_FINITE: "Contract value must be a finite amount; NaN and Infinity are not amounts.",
    NOT_POSITIVE: "Contract value must be more than 0.",
    TOO_LARGE: "Contract value must have at most 15 digits before the decimal point.",
    TOO_PRECISE: "Contract value must be in pounds and pence, with at most 2 decimal places.",
}

DESCRIPTION = f"""
Work out the social value of a set of commitments with the proxy values of a published
framework version: each commitment is worth quantity × proxy value.

- `framework`: the slug of a published (or retired) framework version; the current
  version when left out.
- `contract_value` (optional): the contract value in £, more than 0, used for SV Add %.
- `commitments`: up to {MAX_COMMITMENTS:,} `{{measure, quantity}}` objects. A quantity is a
  number of 0 or more with at most 15 digits before the point and 6 after it, sent as a
  string (`"2.5"`) or a JSON number (`2.5`, read from its text so 0.1 stays 0.1). The list
  may be empty.

Decimals travel as strings. Every value is worked out exactly; rounding happens once, at
the end: money is rounded half-up to pence and `sv_add_percent` half-up to 2 decimal
places (null without a contract value). Totals and theme values are rounded from the
exact sums, not added up from rounded lines, so the rounded lines may not add up to the
rounded total to the penny.

`lines` lists every commitment in the order sent; a measure without a proxy value is worth
0.00 there (`proxy_value` null) and is also listed in `unmonetised`. `by_theme` gives the
value of each theme with at least one commitment, in framework order.

Errors are 422 with one entry per offending field or line, e.g.
`{{"detail": [{{"loc": ["body", "commitments", 2, "measure"], "msg": "Unknown measure code
'NT999' in lancashire-toms-2024."}}]}}`; a body that is not JSON is a 400.
"""

_QUANTITY_SCHEMA = {
    "oneOf": [
        {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$", "example": "2.5"},
        {"type": "number", "minimum": 0},
    ],
    "description": "0 or more; at most 15 digits before the point and 6 after it.",
}
REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["commitments"],
    "properties": {
        "framework": {
            "type": "string",
            "description": "Slug of a published framework version; the current one if left out.",
            "example": "lancashire-toms-2024",
        },
        "contract_value": {
            "oneOf": [
                {"type": "string", "example": "1000000.00"},
                {"type": "number", "exclusiveMinimum": 0},
            ],
            "description": "Contract value in £, more than 0. Used for SV Add %.",
        },
        "commitments": {
            "type": "array",
            "maxItems": MAX_COMMITMENTS,
            "items": {
                "type": "object",
                "required": ["measure", "quantity"],
                "properties": {
                    "measure": {"type": "string", "example": "NT1"},
                    "quantity": _QUANTITY_SCHEMA,
                },
            },
        },
    },
    "example": {
        "framework": "lancashire-toms-2024",
        "contract_value": "1000000",
        "commitments": [
            {"measure": "NT1", "quantity": "2.5"},
            {"measure": "NT41", "quantity": "100"},
        ],
    },
}


class ThemeValueOut(BaseModel):
    theme: str
    value: str


class CalculatedLineOut(BaseModel):
    measure: str
    quantity: str
    proxy_value: str | None
    value: str


class UnmonetisedOut(BaseModel):
    measure: str
    quantity: str
    description: str
    unit: str


class CalculateOut(BaseModel):
    total_value: str
    sv_add_percent: str | None
    by_theme: list[ThemeValueOut]
    lines: list[CalculatedLineOut]
    unmonetised: list[UnmonetisedOut]


def _published_version(slug: object, errors: list[dict[str, Any]]) -> FrameworkVersion | None:
    if slug is None:
        version = framework_version_current()
        if version is None:
            errors.append(body_error(["framework"], ERR_NO_FRAMEWORK))
        return version
    if not isinstance(slug, str):
        errors.append(body_error(["framework"], ERR_FRAMEWORK_TYPE))
        return None
    public = list(framework_versions_public())
    version = next((v for v in public if v.slug == slug), None)
    if version is None:
        published = ", ".join(v.slug for v in public) or "none yet"
        errors.append(
            body_error(["framework"], ERR_FRAMEWORK_UNKNOWN.format(slug=slug, published=published))
        )
    return version


def _commitments(
    raw: object,
    measures: dict[str, MeasureInfo] | None,
    framework: str,
    errors: list[dict[str, Any]],
) -> list[CommitmentInput]:
    """Check every line (all problems, not just the first) and return the valid ones."""
    if not isinstance(raw, list):
        errors.append(body_error(["commitments"], ERR_COMMITMENTS_TYPE))
        return []
    if len(raw) > MAX_COMMITMENTS:
        errors.append(
            body_error(["commitments"], ERR_TOO_MANY.format(limit=MAX_COMMITMENTS, count=len(raw)))
        )
        return []
    commitments: list[CommitmentInput] = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            errors.append(body_error(["commitments", index], ERR_COMMITMENT_TYPE))
            continue
        code = item.get("measure")
        code_ok = False
        if code is None:
            errors.append(
                body_error(["commitments", index, "measure"], ERR_MEASURE_MISSING, "missing")
            )
        elif not isinstance(code, str):
            errors.append(body_error(["commitments", index, "measure"], ERR_MEASURE_TYPE))
        elif measures is not None and code not in measures:
            errors.append(
                body_error(
                    ["commitments", index, "measure"],
                    ERR_UNKNOWN_MEASURE.format(code=code, framework=framework),
                    "unknown_measure",
                )
            )
        else:
            code_ok = True
        if "quantity" not in item or item["quantity"] is None:
            errors.append(
                body_error(["commitments", index, "quantity"], ERR_QUANTITY_MISSING, "missing")
            )
            continue
        try:
            quantity = parse_quantity(item["quantity"], CALCULATOR_QUANTITY)
        except AmountError as exc:
            errors.append(
                body_error(["commitments", index, "quantity"], ERR_QUANTITY[exc.kind], exc.kind)
            )
            continue
        if code_ok:
            commitments.append(CommitmentInput(measure=str(code), quantity=quantity))
    return commitments


def _response(calculation: Calculation) -> dict[str, Any]:
    proxies: dict[str, str | None] = {}
    for code in {commitment.measure for commitment in calculation.commitments}:
        proxy = calculation.measures[code].proxy_value
        proxies[code] = None if proxy is None else exact_money_text(proxy)
    return {
        "total_value": money_text(calculation.total_value),
        "sv_add_percent": percent_text(calculation.sv_add_percent),
        "by_theme": [
            {"theme": t.theme, "value": money_text(t.value)} for t in calculation.by_theme
        ],
        "lines": [
            {
                "measure": commitment.measure,
                "quantity": plain(commitment.quantity),
                "proxy_value": proxies[commitment.measure],
                "value": money_text(value),
            }
            for commitment, value in zip(calculation.commitments, calculation.values, strict=True)
        ],
        "unmonetised": [
            {
                "measure": line.code,
                "quantity": plain(line.quantity),
                "description": line.measure.description,
                "unit": line.measure.unit,
            }
            for line in calculation.unmonetised
        ],
    }


@router.post(
    "/calculate",
    response={200: CalculateOut, 400: ErrorOut, 422: ErrorOut},
    summary="Calculate social value",
    description=DESCRIPTION,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": REQUEST_SCHEMA}},
        }
    },
)
@api_access(ANYONE)
def calculate_value(request: HttpRequest) -> Status[dict[str, Any]]:
    # The body is read here rather than declared as a schema so that JSON numbers keep
    # their exact decimal text (0.1 must never pass through a float) and so that every
    # error names its line as ["body", "commitments", i, field].
    body = read_json_object(
        request,
        too_big=ERR_TOO_BIG.format(limit=MAX_COMMITMENTS),
        not_object=ERR_BODY_NOT_OBJECT,
    )

    errors: list[dict[str, Any]] = []
    version = _published_version(body.get("framework"), errors)
    measures = measure_infos_for_version(version) if version is not None else None
    contract_value = None
    if body.get("contract_value") is not None:
        try:
            contract_value = parse_contract_value(body["contract_value"], CALCULATOR_MONEY)
        except AmountError as exc:
            errors.append(body_error(["contract_value"], ERR_CONTRACT_VALUE[exc.kind], exc.kind))
    if "commitments" not in body:
        errors.append(body_error(["commitments"], ERR_COMMITMENTS_MISSING, "missing"))
        commitments = []
    else:
        framework = version.slug if version is not None else ""
        commitments = _commitments(body["commitments"], measures, framework, errors)
    if errors or version is None or measures is None:
        raise ValidationError(errors)

    calculation = calculate(
        measures=measures,
        commitments=commitments,
        contract_value=contract_value,
        framework=version.slug,
    )
    return Status(200, _response(calculation))
