"""GET /api/v1/needs/summary and /api/v1/needs/areas.geojson: public, cacheable, exact."""

from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialvalue.needs.models import NeedsDataset

pytestmark = pytest.mark.django_db

DOMAIN_KEYS_TEXT = (
    "imd, income, employment, education, health, crime, barriers, living_env, cyp, "
    "adult_skills, geog_barriers, wider_barriers, indoors, outdoors, idaci, idaopi"
)


def summary(client: Client, **params: str) -> dict[str, dict[str, Any]]:
    response = client.get("/api/v1/needs/summary", params)
    assert response.status_code == 200, response.content
    return {row["name"]: row for row in response.json()}


@pytest.mark.parametrize(
    ("domain", "area", "count", "total", "percent"),
    [
        ("employment", "Burnley", 41, 60, "68.3"),
        ("employment", "Hyndburn", 34, 52, "65.4"),
        ("outdoors", "Preston", 43, 86, "50.0"),
        ("outdoors", "North West", 918, 4497, "20.4"),
    ],
)
def test_it_reproduces_the_strategys_figures(
    public_dave: Client,
    needs_data: NeedsDataset,
    domain: str,
    area: str,
    count: int,
    total: int,
    percent: str,
) -> None:
    row = summary(public_dave, domain=domain, level="district")[area]
    assert row["lsoa_count"] == total
    assert row["high_to_severe_count"] == count
    assert row["high_to_severe_percent"] == percent


def test_it_lists_the_districts_then_the_north_west_and_england(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    response = public_dave.get("/api/v1/needs/summary", {"domain": "employment"})
    rows = response.json()
    assert [row["name"] for row in rows] == [
        "Blackburn with Darwen",
        "Blackpool",
        "Burnley",
        "Chorley",
        "Fylde",
        "Hyndburn",
        "Lancaster",
        "Pendle",
        "Preston",
        "Ribble Valley",
        "Rossendale",
        "South Ribble",
        "West Lancashire",
        "Wyre",
        "North West",
        "England",
    ]
    assert rows[2] == {
        "code": "E07000117",
        "name": "Burnley",
        "lsoa_count": 60,
        "high_to_severe_count": 41,
        "high_to_severe_percent": "68.3",
    }
    assert rows[-1] == {
        "code": "E92000001",
        "name": "England",
        "lsoa_count": 32844,
        "high_to_severe_count": 9853,
        "high_to_severe_percent": "30.0",
    }
    assert sum(row["lsoa_count"] for row in rows[:14]) == 941


def test_it_uses_the_overall_index_by_default(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    rows = summary(public_dave)
    assert rows["Blackpool"]["lsoa_count"] == 94
    assert rows["Blackpool"] == summary(public_dave, domain="imd")["Blackpool"]


def test_it_refuses_an_unknown_domain_listing_the_valid_ones(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    for url in ("/api/v1/needs/summary", "/api/v1/needs/areas.geojson"):
        response = public_dave.get(url, {"domain": "happiness"})
        assert response.status_code == 422
        assert response.json() == {
            "detail": [
                {
                    "loc": ["query", "domain"],
                    "msg": f"Unknown domain 'happiness'. Choose one of: {DOMAIN_KEYS_TEXT}.",
                    "type": "value_error",
                }
            ]
        }


def test_it_refuses_a_summary_by_lsoa(public_dave: Client, needs_data: NeedsDataset) -> None:
    response = public_dave.get("/api/v1/needs/summary", {"domain": "crime", "level": "lsoa"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "level"]
    assert "level=district" in error["msg"]


def test_it_sends_cache_headers_and_honours_etags(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    for url in (
        "/api/v1/needs/summary?domain=health",
        "/api/v1/needs/areas.geojson?level=district",
    ):
        response = public_dave.get(url)
        assert response["Cache-Control"] == "public, max-age=3600"
        etag = response["ETag"]
        again = public_dave.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again["ETag"] == etag
    first = public_dave.get("/api/v1/needs/summary?domain=health")["ETag"]
    other = public_dave.get("/api/v1/needs/summary?domain=crime")["ETag"]
    assert first != other


def geojson(client: Client, **params: str) -> dict[str, Any]:
    response = client.get("/api/v1/needs/areas.geojson", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    document: dict[str, Any] = response.json()
    assert document["type"] == "FeatureCollection"
    return document


def test_it_maps_the_fourteen_districts(public_dave: Client, needs_data: NeedsDataset) -> None:
    document = geojson(public_dave, level="district", domain="employment")
    features = {f["properties"]["code"]: f for f in document["features"]}
    assert len(features) == 14
    burnley = features["E07000117"]
    assert burnley["type"] == "Feature"
    assert burnley["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert burnley["properties"] == {
        "code": "E07000117",
        "name": "Burnley",
        "level": "district",
        "district": "E07000117",
        "district_name": "Burnley",
        "domain": "employment",
        "decile": None,
        "rank": None,
        "lsoa_count": 60,
        "high_to_severe_count": 41,
        "high_to_severe_percent": "68.3",
    }


def test_it_maps_the_941_lsoas_with_all_their_deciles(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    document = geojson(public_dave, level="lsoa", domain="outdoors")
    assert len(document["features"]) == 941
    first = next(f for f in document["features"] if f["properties"]["code"] == "E01012571")
    properties = first["properties"]
    # From the first data row of iod2019_lsoa_lancashire14.csv.
    assert properties["name"] == "Blackburn with Darwen 007A"
    assert properties["district"] == "E06000008"
    assert properties["district_name"] == "Blackburn with Darwen"
    assert (properties["domain"], properties["rank"], properties["decile"]) == (
        "outdoors",
        7279,
        3,
    )
    assert properties["high_to_severe"] is True
    assert properties["deciles"] == {
        "imd": 1,
        "income": 1,
        "employment": 2,
        "education": 1,
        "health": 1,
        "crime": 3,
        "barriers": 7,
        "living_env": 2,
        "cyp": 4,
        "adult_skills": 1,
        "geog_barriers": 8,
        "wider_barriers": 4,
        "indoors": 2,
        "outdoors": 3,
        "idaci": 2,
        "idaopi": 1,
    }
    lon, lat = first["geometry"]["coordinates"][0][0]
    assert -3.2 < lon < -2.0
    assert 53.4 < lat < 54.3


def test_it_filters_the_map_by_district(public_dave: Client, needs_data: NeedsDataset) -> None:
    lsoas = geojson(public_dave, level="lsoa", domain="employment", district="E07000117")
    assert len(lsoas["features"]) == 60
    assert {f["properties"]["district"] for f in lsoas["features"]} == {"E07000117"}
    high = [f for f in lsoas["features"] if f["properties"]["high_to_severe"]]
    assert len(high) == 41
    districts = geojson(public_dave, level="district", district="e07000123")
    assert [f["properties"]["name"] for f in districts["features"]] == ["Preston"]


def test_it_refuses_an_unknown_level_or_district(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    response = public_dave.get("/api/v1/needs/areas.geojson", {"level": "county"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == (
        "Unknown level 'county'. Choose one of: district, lsoa."
    )
    response = public_dave.get("/api/v1/needs/areas.geojson", {"district": "E08000014"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "district"]
    assert error["msg"].startswith("Unknown district 'E08000014'. Choose one of: E06000008, ")


def test_it_documents_both_endpoints(public_dave: Client) -> None:
    paths = public_dave.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/needs/summary" in paths
    assert "/api/v1/needs/areas.geojson" in paths


fuzz = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
query_text = st.text(max_size=20) | st.sampled_from(
    ["imd", "outdoors", "district", "lsoa", "E07000117", "e07000117", "", " ", "%", "\x00"]
)


@fuzz
@given(domain=query_text, level=query_text, district=query_text)
def test_it_never_fails_on_any_query(
    public_dave: Client, needs_data: NeedsDataset, domain: str, level: str, district: str
) -> None:
    for url in ("/api/v1/needs/summary", "/api/v1/needs/areas.geojson"):
        response = public_dave.get(url, {"domain": domain, "level": level, "district": district})
        # A NUL anywhere is refused with a 400 before any lookup (see core.middleware).
        has_nul = "\x00" in domain + level + district
        assert response.status_code in ({400} if has_nul else {200, 422}), response.content[:300]
        if response.status_code in {400, 422}:
            assert response["Content-Type"].startswith("application/json")
            assert all(item["msg"] for item in response.json()["detail"])
