"""Reading the body of ``POST /api/v1/score`` (``scoring_api.py``): its limits, its messages,
and the readers that turn the JSON into scoring parameters and bids, collecting one error
per offending field or line with its place as ["body", "bids", i, "commitments", j, field].
"""

import re
from decimal import Decimal
from typing import Any

from socialvalue.core.api_body import body_error
from socialvalue.core.money import PENCE
from socialvalue.framework.calculator import (
    CALCULATOR_MONEY,
    CALCULATOR_QUANTITY,
    NEGATIVE,
    NOT_A_NUMBER,
    NOT_FINITE,
    NOT_POSITIVE,
    TOO_LARGE,
    TOO_PRECISE,
    AmountError,
    MeasureInfo,
    parse_amount,
    parse_contract_value,
    parse_quantity,
)
from socialvalue.framework.calculator_api import (
    ERR_MEASURE_MISSING,
    ERR_MEASURE_TYPE,
    ERR_QUANTITY,
    ERR_QUANTITY_MISSING,
    ERR_UNKNOWN_MEASURE,
)
from socialvalue.procurement.scoring.model import (
    BASES,
    DEFAULT_DELIVERABILITY_THRESHOLD,
    DEFAULT_QUANT_BASIS,
    OUT_OF_RANGE,
    QUALITY_MAX,
    QUALITY_MIN,
    BidInput,
    CommitmentScoreInput,
    QuantBasis,
    ScoringProblem,
)

MAX_BIDS = 500
MAX_COMMITMENTS_PER_BID = 100
MAX_BIDDER_LENGTH = 200
# Weightings and shares are percentages with at most 2 decimal places (12.5, 33.33).
PERCENT_STEP = PENCE
WHOLE_NUMBER = "not_a_whole_number"
DUPLICATE = "duplicate"
_SMALL_WHOLE_NUMBER = re.compile(r"[0-9]{1,3}")

ERR_TOO_BIG = (
    "The request body is too large: the limit is {limit:,} bytes. Send fewer bids, or "
    "fewer commitments per bid, in each request."
)
ERR_BODY_NOT_OBJECT = "The request body must be a JSON object with a 'bids' list."
ERR_WEIGHTING = {
    NOT_A_NUMBER: 'Social value weighting must be a number from 0 to 100, such as 10 or "12.5".',
    NOT_FINITE: "Social value weighting must be a finite number from 0 to 100.",
    NEGATIVE: "Social value weighting must be from 0 to 100 (% of the tender's total marks).",
    OUT_OF_RANGE: "Social value weighting must be from 0 to 100 (% of the tender's total marks).",
    TOO_PRECISE: "Social value weighting must have at most 2 decimal places.",
}
ERR_SHARE = {
    NOT_A_NUMBER: 'Quantitative share must be a number from 0 to 100, such as 50 or "60".',
    NOT_FINITE: "Quantitative share must be a finite number from 0 to 100.",
    NEGATIVE: "Quantitative share must be from 0 to 100 (% of the social value marks).",
    OUT_OF_RANGE: "Quantitative share must be from 0 to 100 (% of the social value marks).",
    TOO_PRECISE: "Quantitative share must have at most 2 decimal places.",
}
ERR_BASIS = "Quantitative basis must be 'value' or 'sv_add'."
ERR_THRESHOLD = "Deliverability threshold must be a whole number from 0 to 5."
ERR_MENU_TYPE = "Menu must be a list of measure codes such as 'NT1', or left out."
ERR_MENU_EMPTY = "Menu must list at least one measure, or be left out for the whole framework."
ERR_BIDS_MISSING = (
    'Bids are required: a list of 1 to {limit:,} {{"bidder", "price", "commitments"}} objects.'
)
ERR_BIDS_TYPE = 'Bids must be a list of {"bidder", "price", "commitments"} objects.'
ERR_BIDS_EMPTY = "Send at least one bid."
ERR_TOO_MANY_BIDS = "Send at most {limit:,} bids per request; this request has {count:,}."
ERR_BID_TYPE = "Each bid must be an object with a bidder, a price and a list of commitments."
ERR_BIDDER_MISSING = "Bidder is required: the name of the bidding organisation."
ERR_BIDDER_TYPE = "Bidder must be the name of the bidding organisation, as a string."
ERR_BIDDER_EMPTY = "Bidder must not be empty."
ERR_BIDDER_LONG = "Bidder must be at most {limit} characters."
ERR_BIDDER_DUPLICATE = (
    "Bidder '{bidder}' appears more than once; give each bid a different bidder name."
)
ERR_PRICE_MISSING = 'Price is required: the bid price in pounds, such as "1250000.00".'
ERR_PRICE = {
    NOT_A_NUMBER: 'Price must be an amount in pounds, such as 1250000 or "1250000.00".',
    NOT_FINITE: "Price must be a finite amount; NaN and Infinity are not amounts.",
    NOT_POSITIVE: "Price must be more than 0.",
    TOO_LARGE: "Price must have at most 15 digits before the decimal point.",
    TOO_PRECISE: "Price must be in pounds and pence, with at most 2 decimal places.",
}
ERR_COMMITMENTS_MISSING = (
    'Commitments are required: a list of {"measure", "quantity", "quality_score"} objects '
    "(it may be empty)."
)
ERR_COMMITMENTS_TYPE = (
    'Commitments must be a list of {"measure", "quantity", "quality_score"} objects.'
)
ERR_TOO_MANY_COMMITMENTS = "Send at most {limit:,} commitments per bid; this bid has {count:,}."
ERR_COMMITMENT_TYPE = (
    "Each commitment must be an object with a measure code, a quantity and a quality score."
)
ERR_QUALITY_SCORE = (
    "Quality score must be a whole number from 0 to 5, or null for no qualitative response."
)


def read_percentage(
    body: dict[str, Any],
    name: str,
    default: Decimal,
    messages: dict[str, str],
    errors: list[dict[str, Any]],
) -> Decimal | None:
    raw = body.get(name)
    if raw is None:
        return default
    try:
        value = parse_amount(raw, below=Decimal("1e15"), step=PERCENT_STEP)
    except AmountError as exc:
        kind = OUT_OF_RANGE if exc.kind == TOO_LARGE else exc.kind
        errors.append(body_error([name], messages[kind], kind))
        return None
    if value > 100:
        errors.append(body_error([name], messages[OUT_OF_RANGE], OUT_OF_RANGE))
        return None
    return value


def read_basis(raw: object, errors: list[dict[str, Any]]) -> QuantBasis | None:
    if raw is None:
        return DEFAULT_QUANT_BASIS
    for basis in BASES:
        if raw == basis:
            return basis
    errors.append(body_error(["quant_basis"], ERR_BASIS, "unknown_basis"))
    return None


def _whole_number(raw: object, low: int, high: int) -> int | None:
    """An integer from ``low`` to ``high`` given as a JSON number or text ("2"), or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | Decimal):
        number = Decimal(raw)
    elif isinstance(raw, str) and _SMALL_WHOLE_NUMBER.fullmatch(raw.strip()):
        number = Decimal(raw.strip())
    else:
        return None
    if not (number.is_finite() and low <= number <= high):
        return None
    if number != number.to_integral_value():
        return None
    return int(number)


def read_threshold(raw: object, errors: list[dict[str, Any]]) -> int | None:
    if raw is None:
        return DEFAULT_DELIVERABILITY_THRESHOLD
    threshold = _whole_number(raw, QUALITY_MIN, QUALITY_MAX)
    if threshold is None:
        errors.append(body_error(["deliverability_threshold"], ERR_THRESHOLD, OUT_OF_RANGE))
    return threshold


def read_menu(
    raw: object,
    measures: dict[str, MeasureInfo] | None,
    framework: str,
    errors: list[dict[str, Any]],
) -> frozenset[str] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        errors.append(body_error(["menu"], ERR_MENU_TYPE))
        return None
    if not raw:
        errors.append(body_error(["menu"], ERR_MENU_EMPTY))
        return None
    codes: set[str] = set()
    for index, code in enumerate(raw):
        if not isinstance(code, str):
            errors.append(body_error(["menu", index], ERR_MEASURE_TYPE))
        elif measures is not None and code not in measures:
            errors.append(
                body_error(
                    ["menu", index],
                    ERR_UNKNOWN_MEASURE.format(code=code, framework=framework),
                    "unknown_measure",
                )
            )
        else:
            codes.add(code)
    return frozenset(codes)


def read_bids(
    body: dict[str, Any],
    measures: dict[str, MeasureInfo] | None,
    framework: str,
    errors: list[dict[str, Any]],
) -> list[BidInput]:
    """Check every bid and line (all problems, not just the first); return the bids."""
    if "bids" not in body or body["bids"] is None:
        errors.append(body_error(["bids"], ERR_BIDS_MISSING.format(limit=MAX_BIDS), "missing"))
        return []
    raw = body["bids"]
    if not isinstance(raw, list):
        errors.append(body_error(["bids"], ERR_BIDS_TYPE))
        return []
    if not raw:
        errors.append(body_error(["bids"], ERR_BIDS_EMPTY))
        return []
    if len(raw) > MAX_BIDS:
        errors.append(
            body_error(["bids"], ERR_TOO_MANY_BIDS.format(limit=MAX_BIDS, count=len(raw)))
        )
        return []
    bids: list[BidInput] = []
    seen: set[str] = set()
    for number, item in enumerate(raw):
        if not isinstance(item, dict):
            errors.append(body_error(["bids", number], ERR_BID_TYPE))
            continue
        bidder = _bidder(item.get("bidder"), number, seen, errors)
        price = _price(item, number, errors)
        commitments = _commitments(item, number, measures, framework, errors)
        if bidder is not None and price is not None and commitments is not None:
            bids.append(BidInput(bidder=bidder, price=price, commitments=commitments))
    return bids


def _bidder(raw: object, number: int, seen: set[str], errors: list[dict[str, Any]]) -> str | None:
    loc: list[str | int] = ["bids", number, "bidder"]
    if raw is None:
        errors.append(body_error(loc, ERR_BIDDER_MISSING, "missing"))
        return None
    if not isinstance(raw, str):
        errors.append(body_error(loc, ERR_BIDDER_TYPE))
        return None
    bidder = raw.strip()
    if not bidder:
        errors.append(body_error(loc, ERR_BIDDER_EMPTY))
        return None
    if len(bidder) > MAX_BIDDER_LENGTH:
        errors.append(body_error(loc, ERR_BIDDER_LONG.format(limit=MAX_BIDDER_LENGTH)))
        return None
    # "Acme Ltd" and "ACME LTD " are the same bidder to the people reading the ranking.
    key = " ".join(bidder.split()).casefold()
    if key in seen:
        errors.append(body_error(loc, ERR_BIDDER_DUPLICATE.format(bidder=bidder), DUPLICATE))
        return None
    seen.add(key)
    return bidder


def _price(item: dict[str, Any], number: int, errors: list[dict[str, Any]]) -> Decimal | None:
    loc: list[str | int] = ["bids", number, "price"]
    if item.get("price") is None:
        errors.append(body_error(loc, ERR_PRICE_MISSING, "missing"))
        return None
    try:
        return parse_contract_value(item["price"], CALCULATOR_MONEY)
    except AmountError as exc:
        errors.append(body_error(loc, ERR_PRICE[exc.kind], exc.kind))
        return None


def _commitments(
    item: dict[str, Any],
    number: int,
    measures: dict[str, MeasureInfo] | None,
    framework: str,
    errors: list[dict[str, Any]],
) -> list[CommitmentScoreInput] | None:
    loc: list[str | int] = ["bids", number, "commitments"]
    if item.get("commitments") is None:
        errors.append(body_error(loc, ERR_COMMITMENTS_MISSING, "missing"))
        return None
    raw = item["commitments"]
    if not isinstance(raw, list):
        errors.append(body_error(loc, ERR_COMMITMENTS_TYPE))
        return None
    if len(raw) > MAX_COMMITMENTS_PER_BID:
        errors.append(
            body_error(
                loc, ERR_TOO_MANY_COMMITMENTS.format(limit=MAX_COMMITMENTS_PER_BID, count=len(raw))
            )
        )
        return None
    commitments: list[CommitmentScoreInput] = []
    valid = True
    for index, line in enumerate(raw):
        at: list[str | int] = [*loc, index]
        if not isinstance(line, dict):
            errors.append(body_error(at, ERR_COMMITMENT_TYPE))
            valid = False
            continue
        code = line.get("measure")
        if code is None:
            errors.append(body_error([*at, "measure"], ERR_MEASURE_MISSING, "missing"))
            valid = False
        elif not isinstance(code, str):
            errors.append(body_error([*at, "measure"], ERR_MEASURE_TYPE))
            valid = False
        elif measures is not None and code not in measures:
            errors.append(
                body_error(
                    [*at, "measure"],
                    ERR_UNKNOWN_MEASURE.format(code=code, framework=framework),
                    "unknown_measure",
                )
            )
            valid = False
        quantity = None
        if line.get("quantity") is None:
            errors.append(body_error([*at, "quantity"], ERR_QUANTITY_MISSING, "missing"))
        else:
            try:
                quantity = parse_quantity(line["quantity"], CALCULATOR_QUANTITY)
            except AmountError as exc:
                errors.append(body_error([*at, "quantity"], ERR_QUANTITY[exc.kind], exc.kind))
        score = None
        if line.get("quality_score") is not None:
            score = _whole_number(line["quality_score"], QUALITY_MIN, QUALITY_MAX)
            if score is None:
                errors.append(body_error([*at, "quality_score"], ERR_QUALITY_SCORE, WHOLE_NUMBER))
                valid = False
        if quantity is None:
            valid = False
        elif valid:
            commitments.append(CommitmentScoreInput(str(code), quantity, score))
    return commitments if valid else None


def problem_error(problem: ScoringProblem) -> dict[str, Any]:
    loc: list[str | int]
    if problem.bid is None:
        loc = [problem.field]
    elif problem.index is None:
        loc = ["bids", problem.bid, problem.field]
    else:
        loc = ["bids", problem.bid, "commitments", problem.index, problem.field]
    return body_error(loc, problem.message, problem.kind)
