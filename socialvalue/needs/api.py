"""Local-needs endpoints: public, read-only and cacheable (the data changes only on reload)."""

import json
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from ninja import Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError

from socialvalue.core.access import ANYONE, api_access
from socialvalue.core.api_body import ErrorOut
from socialvalue.needs.domains import DEFAULT_DOMAIN, DOMAIN_KEYS, DOMAINS
from socialvalue.needs.models import Area
from socialvalue.needs.selectors import (
    areas_feature_collection,
    dataset_version,
    district_summary,
    districts,
    etag_for,
)

router = Router(tags=["needs"])

GEOJSON_CONTENT_TYPE = "application/geo+json"
CACHE_CONTROL = "public, max-age=3600"
CACHE_SECONDS = 60 * 60 * 24
LEVELS = (Area.Level.DISTRICT.value, Area.Level.LSOA.value)

ERR_UNKNOWN_DOMAIN = "Unknown domain '{value}'. Choose one of: {choices}."
ERR_UNKNOWN_LEVEL = "Unknown level '{value}'. Choose one of: {choices}."
ERR_SUMMARY_LEVEL = (
    "The summary is by district (level=district). For each LSOA's decile, use "
    "/api/v1/needs/areas.geojson?level=lsoa."
)
ERR_UNKNOWN_DISTRICT = "Unknown district '{value}'. Choose one of: {choices}."


class SummaryRowOut(Schema):
    code: str
    name: str
    lsoa_count: int
    high_to_severe_count: int
    high_to_severe_percent: str | None


class SummaryQuery(Schema):
    domain: str = DEFAULT_DOMAIN
    level: str = Area.Level.DISTRICT.value


class AreasQuery(Schema):
    level: str = Area.Level.DISTRICT.value
    domain: str = DEFAULT_DOMAIN
    district: str = ""


def _invalid(field: str, msg: str) -> NinjaValidationError:
    return NinjaValidationError([{"loc": ["query", field], "msg": msg, "type": "value_error"}])


def _check_domain(value: str) -> str:
    if value not in DOMAINS:
        raise _invalid(
            "domain", ERR_UNKNOWN_DOMAIN.format(value=value, choices=", ".join(DOMAIN_KEYS))
        )
    return value


def _check_district(value: str) -> str:
    code = value.strip().upper()
    if not code:
        return ""
    codes = list(districts().values_list("code", flat=True))
    if code not in codes:
        raise _invalid(
            "district", ERR_UNKNOWN_DISTRICT.format(value=value, choices=", ".join(codes))
        )
    return code


def _not_modified(request: HttpRequest, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return etag in {tag.strip().removeprefix("W/") for tag in wanted.split(",")}


def _cache_headers(response: HttpResponse, etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL


@router.get(
    "/needs/summary",
    response={200: list[SummaryRowOut], 304: None, 422: ErrorOut},
    summary="High to severe deprivation by district",
    description=(
        "For one IoD2019 domain or sub-domain, each Lancashire-14 district's share of LSOAs in "
        "high to severe deprivation (national deciles 1-3, counted by LSOA), then the North "
        "West and England. `high_to_severe_percent` is a string with one decimal place, "
        "rounded half-up. Domains: " + ", ".join(DOMAIN_KEYS) + "."
    ),
)
@api_access(ANYONE)
def needs_summary(
    request: HttpRequest, response: HttpResponse, filters: Query[SummaryQuery]
) -> Any:
    domain = _check_domain(filters.domain)
    if filters.level != Area.Level.DISTRICT:
        raise _invalid("level", ERR_SUMMARY_LEVEL)
    etag = etag_for("summary", dataset_version(), domain)
    if _not_modified(request, etag):
        not_modified = HttpResponseNotModified()
        _cache_headers(not_modified, etag)
        return not_modified
    _cache_headers(response, etag)
    return [
        SummaryRowOut(
            code=row.code,
            name=row.name,
            lsoa_count=row.lsoa_count,
            high_to_severe_count=row.high_to_severe_count,
            high_to_severe_percent=row.percent_text or None,
        )
        for row in district_summary(domain)
    ]


@router.get(
    "/needs/areas.geojson",
    response={200: None, 304: None, 422: ErrorOut},
    summary="Districts or LSOAs as GeoJSON, for the map",
    description=(
        "A GeoJSON FeatureCollection (WGS84) of the Lancashire-14 districts (`level=district`) "
        "or their LSOAs (`level=lsoa`), optionally of one district (`district=E07000117`). "
        "Properties: `code`, `name`, `district`, `district_name`, `domain`, and the domain's "
        "`decile` and `rank` (LSOAs; 1 = most deprived) or `lsoa_count`, "
        "`high_to_severe_count` and `high_to_severe_percent` (districts). LSOAs also carry "
        "`deciles`, every domain's decile. Content type application/geo+json."
    ),
    openapi_extra={
        "responses": {200: {"content": {GEOJSON_CONTENT_TYPE: {"schema": {"type": "object"}}}}}
    },
)
@api_access(ANYONE)
def needs_areas_geojson(request: HttpRequest, filters: Query[AreasQuery]) -> HttpResponse:
    if filters.level not in LEVELS:
        raise _invalid(
            "level", ERR_UNKNOWN_LEVEL.format(value=filters.level, choices=", ".join(LEVELS))
        )
    domain = _check_domain(filters.domain)
    district = _check_district(filters.district)
    etag = etag_for("areas", dataset_version(), filters.level, domain, district)
    if _not_modified(request, etag):
        not_modified = HttpResponseNotModified()
        _cache_headers(not_modified, etag)
        return not_modified
    key = f"needs:geojson:{etag}"
    body = cache.get(key)
    if body is None:
        document = areas_feature_collection(
            level=filters.level, domain=domain, district_code=district
        )
        body = json.dumps(document, separators=(",", ":"))
        cache.set(key, body, CACHE_SECONDS)
    response = HttpResponse(body, content_type=GEOJSON_CONTENT_TYPE)
    _cache_headers(response, etag)
    return response
