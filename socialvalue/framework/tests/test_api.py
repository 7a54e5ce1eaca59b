"""GET /api/v1/frameworks and GET /api/v1/frameworks/{slug}/measures."""

from collections.abc import Callable

from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.tests.test_data import SEED_PROXIES


def test_it_lists_the_public_versions_in_the_api(
    public_dave: Client, toms_2025_draft: FrameworkVersion
) -> None:
    response = public_dave.get("/api/v1/frameworks")
    assert response.status_code == 200
    body = response.json()
    assert [v["slug"] for v in body] == ["lancashire-toms-2024"]
    toms = body[0]
    assert {k: toms[k] for k in toms if k not in ("published_at", "attribution")} == {
        "slug": "lancashire-toms-2024",
        "name": "Lancashire TOMs 2024",
        "framework": "lancashire-toms",
        "label": "2024",
        "status": "published",
        "retired_at": None,
        "measure_count": 43,
    }
    assert toms["published_at"] is not None
    assert "Social Value Portal" in toms["attribution"]


def test_it_lists_retired_versions_too(public_dave: Client, toms_2025: FrameworkVersion) -> None:
    body = public_dave.get("/api/v1/frameworks").json()
    assert [(v["slug"], v["status"]) for v in body] == [
        ("lancashire-toms-2025", "published"),
        ("lancashire-toms-2024", "retired"),
    ]
    assert body[1]["retired_at"] is not None


def test_it_lists_every_measure_in_framework_order(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    response = public_dave.get("/api/v1/frameworks/lancashire-toms-2024/measures")
    assert response.status_code == 200
    body = response.json()
    assert body["framework"] == {
        "slug": "lancashire-toms-2024",
        "name": "Lancashire TOMs 2024",
        "status": "published",
        "attribution": toms.attribution,
    }
    assert len(body["measures"]) == 43
    assert [(m["code"], m["proxy_value"]) for m in body["measures"]] == SEED_PROXIES
    nt4 = body["measures"][3]
    assert {k: v for k, v in nt4.items() if k != "evidence_required"} == {
        "code": "NT4",
        "description": (
            "No. of full time equivalent local employees (FTE) hired on the contract who are "
            "NOT in Employment, Education, or Training (NEETs)"
        ),
        "unit": "Number of people (FTE)",
        "proxy_value": "15382.90",
        "value_type": "social",
        "theme": "Employment and skills",
        "outcome": "More opportunities for disadvantaged people",
    }
    assert nt4["evidence_required"]


def test_it_filters_measures_by_theme(public_dave: Client, toms: FrameworkVersion) -> None:
    by_slug = public_dave.get(
        "/api/v1/frameworks/lancashire-toms-2024/measures?theme=environment-sustainability"
    ).json()
    assert [m["code"] for m in by_slug["measures"]] == [
        "NT31", "NT82", "NT32", "NT86", "NT85", "NT87", "NT72", "NT88", "NT53",
    ]  # fmt: skip
    by_name = public_dave.get(
        "/api/v1/frameworks/lancashire-toms-2024/measures?theme=Environment%20sustainability"
    ).json()
    assert by_name == by_slug


def test_it_refuses_an_unknown_theme(public_dave: Client, toms: FrameworkVersion) -> None:
    response = public_dave.get("/api/v1/frameworks/lancashire-toms-2024/measures?theme=space")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["query", "theme"],
                "msg": (
                    "No theme 'space' in lancashire-toms-2024. Choose one of: "
                    "employment-and-skills, economic-prosperity, "
                    "community-building-health-and-wellbeing, environment-sustainability."
                ),
            }
        ]
    }


def test_it_returns_404_for_an_unknown_version(public_dave: Client, toms: FrameworkVersion) -> None:
    response = public_dave.get("/api/v1/frameworks/nope/measures")
    assert response.status_code == 404
    assert response.json() == {
        "detail": [{"loc": ["path", "slug"], "msg": "No published framework version 'nope'."}]
    }


def test_it_returns_404_for_a_draft_even_to_the_lead(
    client_as: Callable[[User | None], Client], lead_lucy: User, toms_2025_draft: FrameworkVersion
) -> None:
    client = client_as(lead_lucy)
    response = client.get("/api/v1/frameworks/lancashire-toms-2025/measures")
    assert response.status_code == 404
    assert response.json() == {
        "detail": [
            {
                "loc": ["path", "slug"],
                "msg": "No published framework version 'lancashire-toms-2025'.",
            }
        ]
    }


def test_it_serves_a_retired_version(public_dave: Client, toms_2025: FrameworkVersion) -> None:
    body = public_dave.get("/api/v1/frameworks/lancashire-toms-2024/measures").json()
    assert body["framework"]["status"] == "retired"
    assert len(body["measures"]) == 43


def test_it_describes_the_framework_endpoints_in_openapi(public_dave: Client, db: None) -> None:
    spec = public_dave.get("/api/v1/openapi.json").json()
    assert "/api/v1/frameworks" in spec["paths"]
    assert "/api/v1/frameworks/{slug}/measures" in spec["paths"]
