"""POST /api/v1/score: score the social value of a tender's bids, without storing anything."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import ValidationError
from pydantic import BaseModel

from socialvalue.core.access import ANYONE, api_access
from socialvalue.core.api_body import ErrorOut, read_json_object
from socialvalue.framework.calculator import (
    measure_infos_for_version,
)
from socialvalue.framework.calculator_api import (
    _published_version,
)
from socialvalue.procurement.scoring.engine import (
    score_bids,
)
from socialvalue.procurement.scoring.model import (
    BASES,
    DEFAULT_DELIVERABILITY_THRESHOLD,
    DEFAULT_QUANT_BASIS,
    DEFAULT_QUANTITATIVE_SHARE,
    DEFAULT_SV_WEIGHTING,
    FTE_ANNUAL_COST,
    QUALITY_MAX,
    QUALITY_MIN,
    ScoringError,
    ScoringParameters,
)
from socialvalue.procurement.scoring.present import (
    present,
)
from socialvalue.procurement.scoring.request import (
    ERR_BODY_NOT_OBJECT,
    ERR_SHARE,
    ERR_TOO_BIG,
    ERR_WEIGHTING,
    MAX_BIDDER_LENGTH,
    MAX_BIDS,
    MAX_COMMITMENTS_PER_BID,
    problem_error,
    read_basis,
    read_bids,
    read_menu,
    read_percentage,
    read_threshold,
)

router = Router(tags=["scoring"])

DESCRIPTION = f"""
Score the social value of a tender's bids by the evaluation methodology, without storing
anything. Anyone may call it; nothing is saved.

- `framework`: the slug of a published (or retired) framework version; the current
  version when left out.
- `sv_weighting` W: the social value weighting, % of the tender's total marks, 0 to 100
  (default {DEFAULT_SV_WEIGHTING}).
- `quantitative_share` s: % of the social value marks given to the quantitative value,
  0 to 100 (default {DEFAULT_QUANTITATIVE_SHARE}). The quantitative marks are Q = W × s / 100
  and the qualitative marks L = W − Q.
- `quant_basis`: `value` (default; the metric is the counted value V) or `sv_add` (the
  metric is V / price).
- `deliverability_threshold` d: a whole number 0 to 5 (default
  {DEFAULT_DELIVERABILITY_THRESHOLD}). A commitment counts towards V only if its quality
  score is at least d; otherwise it is listed in `excluded` with the reason.
- `menu` (optional): the measure codes the tender asks for. A commitment to another
  measure still scores, but is flagged.
- `bids`: 1 to {MAX_BIDS:,} `{{bidder, price, commitments}}` objects, each bidder named once;
  a price is in pounds, more than 0; up to {MAX_COMMITMENTS_PER_BID:,} commitments per bid,
  each `{{measure, quantity, quality_score}}`: a quantity of 0 or more (at most 15 digits
  before the point and 6 after it) and the consensus quality score 0 to 5, or null (or left
  out) when there is no qualitative response, which scores 0.

Each commitment is worth quantity × proxy value (0 for a measure without one). For each
bid: offered value = the sum over all its commitments; counted value V = the sum over
those that reach the threshold; quantitative score = Q × metric / the best metric of all
bids (0 for every bid when the best is 0); qualitative score = L × the mean quality score
over all its commitments / 5 (0 without commitments); total = quantitative + qualitative;
SV Add % = V / price × 100.

`rank` is 1 for the highest total. Bids whose totals are equal to 2 decimal places (as
shown) share a rank and the next rank is skipped: 1, 2, 2, 4. Bids are returned in the
order sent.

`flags` are warnings that never change a score: SV Add over 100%; a measure counted in FTEs
whose offered FTEs would cost more than the bid price in a single year at
£{FTE_ANNUAL_COST:,} per FTE (a conservative annual cost); a measure not on the menu.

Decimals travel as strings. Every figure is worked out exactly and rounded once, half-up:
money to pence, scores and percentages to 2 decimal places. Each is rounded from its exact
value, so the rounded quantitative and qualitative scores may not add up to the rounded
total to the hundredth.

Errors are 422 with one entry per offending field or line, e.g.
`{{"detail": [{{"loc": ["body", "bids", 1, "price"], "msg": "Price must be more than
0."}}]}}`; a body that is not JSON is a 400.
"""

_DECIMAL_SCHEMA = {
    "oneOf": [{"type": "string", "example": "10"}, {"type": "number", "minimum": 0}],
}
REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["bids"],
    "properties": {
        "framework": {
            "type": "string",
            "description": "Slug of a published framework version; the current one if left out.",
            "example": "lancashire-toms-2024",
        },
        "sv_weighting": {
            **_DECIMAL_SCHEMA,
            "description": "Social value weighting W, % of the tender's marks (0 to 100).",
        },
        "quantitative_share": {
            **_DECIMAL_SCHEMA,
            "description": "Share s of the social value marks for the quantitative value.",
        },
        "quant_basis": {"type": "string", "enum": list(BASES), "default": DEFAULT_QUANT_BASIS},
        "deliverability_threshold": {
            "type": "integer",
            "minimum": QUALITY_MIN,
            "maximum": QUALITY_MAX,
            "default": DEFAULT_DELIVERABILITY_THRESHOLD,
        },
        "menu": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "bids": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_BIDS,
            "items": {
                "type": "object",
                "required": ["bidder", "price", "commitments"],
                "properties": {
                    "bidder": {"type": "string", "maxLength": MAX_BIDDER_LENGTH},
                    "price": {
                        "oneOf": [
                            {"type": "string", "example": "1000000.00"},
                            {"type": "number", "exclusiveMinimum": 0},
                        ]
                    },
                    "commitments": {
                        "type": "array",
                        "maxItems": MAX_COMMITMENTS_PER_BID,
                        "items": {
                            "type": "object",
                            "required": ["measure", "quantity"],
                            "properties": {
                                "measure": {"type": "string", "example": "NT1"},
                                "quantity": _DECIMAL_SCHEMA,
                                "quality_score": {
                                    "type": ["integer", "null"],
                                    "minimum": QUALITY_MIN,
                                    "maximum": QUALITY_MAX,
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "example": {
        "framework": "lancashire-toms-2024",
        "sv_weighting": "10",
        "quantitative_share": "50",
        "quant_basis": "value",
        "deliverability_threshold": 2,
        "bids": [
            {
                "bidder": "Bob's Building Ltd",
                "price": "1000000.00",
                "commitments": [
                    {"measure": "NT1", "quantity": "2", "quality_score": 4},
                    {"measure": "NT18", "quantity": "50000", "quality_score": 1},
                ],
            },
            {
                "bidder": "Carol's Care CIC",
                "price": "900000.00",
                "commitments": [{"measure": "NT29", "quantity": "400", "quality_score": 5}],
            },
        ],
    },
}


class ExcludedOut(BaseModel):
    index: int
    measure: str
    quality_score: int | None
    value: str
    reason: str


class BidScoreOut(BaseModel):
    bidder: str
    offered_value: str
    counted_value: str
    sv_add_percent: str
    quantitative_score: str
    qualitative_score: str
    total_score: str
    rank: int
    excluded: list[ExcludedOut]
    flags: list[str]


class ScoreOut(BaseModel):
    bids: list[BidScoreOut]


@router.post(
    "/score",
    response={200: ScoreOut, 400: ErrorOut, 422: ErrorOut},
    summary="Score the social value of bids",
    description=DESCRIPTION,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": REQUEST_SCHEMA}},
        }
    },
)
@api_access(ANYONE)
def score_tender_bids(request: HttpRequest) -> Status[dict[str, Any]]:
    # As in POST /calculate, the body is read here rather than declared as a schema so that
    # JSON numbers keep their exact decimal text and every error names its place as
    # ["body", "bids", i, "commitments", j, field].
    body = read_json_object(
        request,
        too_big=ERR_TOO_BIG.format(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0),
        not_object=ERR_BODY_NOT_OBJECT,
    )

    errors: list[dict[str, Any]] = []
    version = _published_version(body.get("framework"), errors)
    measures = measure_infos_for_version(version) if version is not None else None
    framework = version.slug if version is not None else ""
    weighting = read_percentage(body, "sv_weighting", DEFAULT_SV_WEIGHTING, ERR_WEIGHTING, errors)
    share = read_percentage(
        body, "quantitative_share", DEFAULT_QUANTITATIVE_SHARE, ERR_SHARE, errors
    )
    basis = read_basis(body.get("quant_basis"), errors)
    threshold = read_threshold(body.get("deliverability_threshold"), errors)
    menu = read_menu(body.get("menu"), measures, framework, errors)
    bids = read_bids(body, measures, framework, errors)
    if (
        errors
        or measures is None
        or weighting is None
        or share is None
        or basis is None
        or threshold is None
    ):
        raise ValidationError(errors)

    parameters = ScoringParameters(
        sv_weighting=weighting,
        quantitative_share=share,
        quant_basis=basis,
        deliverability_threshold=threshold,
        menu=menu,
    )
    try:
        result = score_bids(
            measures=measures, bids=bids, parameters=parameters, framework=framework
        )
    except ScoringError as exc:
        # Everything was checked above; this keeps any disagreement a 422, never a 500.
        raise ValidationError([problem_error(problem) for problem in exc.problems]) from exc
    return Status(200, present(result))
