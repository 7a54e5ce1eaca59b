"""GET /api/v1/partners and /api/v1/partners/{slug}: published profiles only."""

from typing import Any

import pytest
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.selectors import organisation_of
from socialvalue.framework.models import FrameworkVersion
from socialvalue.partners.models import PartnerProfile
from socialvalue.partners.services import (
    partner_profile_ensure,
    partner_revision_save,
    partner_revision_submit,
)
from socialvalue.partners.tests.conftest import (
    BURNLEY,
    PENDLE,
    RIBBLE_VALLEY,
    PartnerMaker,
    content,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth(make_partner: PartnerMaker) -> PartnerProfile:
    return make_partner(
        "Burnley Youth Employment Project",
        summary="Work placements for young people.",
        districts=[BURNLEY, PENDLE],
        measure_codes=["NT4", "NT12"],
    )


@pytest.fixture
def hub(make_partner: PartnerMaker) -> PartnerProfile:
    return make_partner(
        "Red Rose Business Growth Hub",
        partner_type="business_support",
        summary="Connects contractors with small firms.",
        serves_all_lancashire=True,
        districts=[],
        measure_codes=["NT15", "NT19"],
    )


def names(body: dict[str, Any]) -> list[str]:
    return [item["name"] for item in body["items"]]


def test_it_lists_published_partners(
    public_dave: Client, youth: PartnerProfile, hub: PartnerProfile, community_futures: Organisation
) -> None:
    partner_profile_ensure(organisation=community_futures)
    body = public_dave.get("/api/v1/partners").json()
    assert body["count"] == 2
    assert body["page"] == 1
    assert body["pages"] == 1
    assert body["page_size"] == 20
    assert body["framework"] == "lancashire-toms-2024"
    assert names(body) == ["Burnley Youth Employment Project", "Red Rose Business Growth Hub"]
    youth_out = body["items"][0]
    assert youth_out["slug"] == "burnley-youth-employment-project"
    assert youth_out["type"] == "vcse"
    assert youth_out["districts"] == [
        {"code": "E07000117", "name": "Burnley"},
        {"code": "E07000122", "name": "Pendle"},
    ]
    assert [m["code"] for m in youth_out["measures"]] == ["NT4", "NT12"]
    assert youth_out["measures"][1]["theme"] == "Employment and skills"
    assert youth_out["example_offers"] == ["Team volunteering days", "Donations of equipment"]
    assert youth_out["contact"] == {
        "name": "Volunteering team",
        "email": "volunteering@example.org",
        "phone": "01772 204400",
    }
    assert body["items"][1]["serves_all_lancashire"] is True
    assert body["items"][1]["districts"] == []


def test_it_filters_by_measure_theme_and_district(
    public_dave: Client, youth: PartnerProfile, hub: PartnerProfile, partner_raj: User
) -> None:
    assert names(public_dave.get("/api/v1/partners?measure=nt12").json()) == [
        "Burnley Youth Employment Project"
    ]
    assert names(public_dave.get("/api/v1/partners?theme=economic-prosperity").json()) == [
        "Red Rose Business Growth Hub"
    ]
    assert names(public_dave.get("/api/v1/partners?theme=Environment sustainability").json()) == [
        "Ribble Rivers Nature Trust"
    ]
    assert names(public_dave.get(f"/api/v1/partners?district={BURNLEY}").json()) == [
        "Burnley Youth Employment Project",
        "Red Rose Business Growth Hub",
    ]
    assert names(public_dave.get("/api/v1/partners?district=Ribble Valley").json()) == [
        "Red Rose Business Growth Hub",
        "Ribble Rivers Nature Trust",
    ]
    body = public_dave.get(f"/api/v1/partners?measure=NT4&district={RIBBLE_VALLEY}").json()
    assert body["count"] == 0
    assert body["items"] == []


def test_it_reports_each_unknown_filter(public_dave: Client, toms: FrameworkVersion) -> None:
    response = public_dave.get("/api/v1/partners?measure=NT999&theme=space&district=outside")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["query", "measure"], "msg": "No measure 'NT999' in lancashire-toms-2024."},
        {
            "loc": ["query", "theme"],
            "msg": (
                "No theme 'space' in lancashire-toms-2024. Choose one of: employment-and-skills, "
                "economic-prosperity, community-building-health-and-wellbeing, "
                "environment-sustainability."
            ),
        },
        {
            "loc": ["query", "district"],
            "msg": "No Lancashire district 'outside'. Use an ONS code such as E07000117.",
        },
    ]


def test_it_pages_the_list(public_dave: Client, make_partner: PartnerMaker) -> None:
    for n in range(1, 4):
        make_partner(f"Partner {n}")
    body = public_dave.get("/api/v1/partners?page_size=2&page=2").json()
    assert body["count"] == 3
    assert body["pages"] == 2
    assert names(body) == ["Partner 3"]
    response = public_dave.get("/api/v1/partners?page_size=2&page=3")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["query", "page"], "msg": "Page 3 does not exist; there are 2 pages."}
    ]
    assert public_dave.get("/api/v1/partners?page=0").status_code == 422
    assert public_dave.get("/api/v1/partners?page_size=101").status_code == 422
    assert public_dave.get("/api/v1/partners?page=x").status_code == 422


def test_it_shows_one_published_partner(public_dave: Client, youth: PartnerProfile) -> None:
    response = public_dave.get("/api/v1/partners/burnley-youth-employment-project")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Burnley Youth Employment Project"
    assert body["description"] == "We support community groups across Preston."
    assert body["measures"][0] == {
        "code": "NT4",
        "description": body["measures"][0]["description"],
        "theme": "Employment and skills",
    }
    assert body["measures"][0]["description"].startswith("No. of full time equivalent")


def test_it_does_not_find_an_unpublished_partner(
    public_dave: Client, toms: FrameworkVersion, partner_priya: User
) -> None:
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    revision = partner_revision_save(
        profile=profile, user=partner_priya, content=content(summary="Secret draft.")
    )
    partner_revision_submit(revision=revision, user=partner_priya)
    response = public_dave.get("/api/v1/partners/community-futures-lancashire")
    assert response.status_code == 404
    assert response.json() == {
        "detail": [
            {
                "loc": ["path", "slug"],
                "msg": "There is no published partner organisation 'community-futures-lancashire'.",
            }
        ]
    }
    assert "Secret draft." not in public_dave.get("/api/v1/partners").content.decode()


def test_it_lists_the_endpoints_in_the_openapi_document(public_dave: Client) -> None:
    paths = public_dave.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/partners" in paths
    assert "/api/v1/partners/{slug}" in paths


def test_it_answers_odd_input_with_4xx(public_dave: Client, youth: PartnerProfile) -> None:
    response = public_dave.get("/api/v1/partners?measure=NT999&theme=nope&district=E99")
    assert response.status_code == 422
    assert [item["loc"] for item in response.json()["detail"]] == [
        ["query", "measure"],
        ["query", "theme"],
        ["query", "district"],
    ]
    # A NUL is refused before any lookup, for every address (see core.middleware).
    assert public_dave.get("/api/v1/partners?measure=%00").status_code == 400
    assert public_dave.get("/api/v1/partners/a%00b").status_code == 400
    assert public_dave.get("/api/v1/partners/%C3%A9t%C3%A9").status_code == 404
