"""GET /api/v1/case-studies and /api/v1/case-studies/{slug}: published case studies only."""

import pytest
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Contract
from socialvalue.stories.models import CaseStudy
from socialvalue.stories.tests.conftest import (
    BOB_DRAFT_TITLE,
    COMMUNITY,
    EMPLOYMENT,
    PENDLE,
    Maker,
)

pytestmark = pytest.mark.django_db


def test_it_lists_published_case_studies_only(
    public_dave: Client, bob_draft: CaseStudy, make_published: Maker, supplier_carol: User
) -> None:
    make_published("Befriending in Pendle", supplier_carol, district=PENDLE)

    body = public_dave.get("/api/v1/case-studies").json()

    assert (body["count"], body["page"], body["pages"], body["page_size"]) == (1, 1, 1, 12)
    assert [item["title"] for item in body["items"]] == ["Befriending in Pendle"]
    assert BOB_DRAFT_TITLE not in str(body)


def test_it_gives_a_case_study_in_full(
    public_dave: Client, bob_published: CaseStudy, bobs_contract: Contract, supplier_bob: User
) -> None:
    CaseStudy.objects.filter(pk=bob_published.pk).update(contract=bobs_contract)

    response = public_dave.get(f"/api/v1/case-studies/{bob_published.slug}")

    assert response.status_code == 200
    item = response.json()
    assert item["title"] == BOB_DRAFT_TITLE
    assert item["url"] == f"http://testserver/case-studies/{bob_published.slug}/"
    assert item["organisation"] == "Bob's Building Ltd"
    assert item["contract"] == {
        "reference": "LCC-2025-101",
        "title": "Gully cleansing",
        "buyer": "Lancashire County Council",
    }
    assert item["district"] == {"code": "E07000123", "name": "Preston"}
    assert item["year"] == 2025
    assert item["themes"] == [{"slug": EMPLOYMENT, "name": "Employment and skills"}]
    assert [m["code"] for m in item["measures"]] == ["NT10"]
    assert item["figures"] == [{"label": "Apprentices recruited", "value": "6", "unit": ""}]
    assert item["quote"] == {"text": "I love the job.", "attribution": "Sam, apprentice"}
    assert item["image"]["alt"] == "Two apprentices clearing a gully"
    assert item["image"]["url"].startswith(
        f"http://testserver/case-studies/{bob_published.slug}/image/?v="
    )
    assert (item["image"]["width"], item["image"]["height"]) == (64, 36)
    assert item["published_at"] is not None


def test_it_filters_by_theme_district_and_year(
    public_dave: Client, make_published: Maker, supplier_bob: User, supplier_carol: User
) -> None:
    make_published("Apprentices", supplier_bob, year=2024)
    make_published(
        "Befriending",
        supplier_carol,
        district=PENDLE,
        theme_slugs=[COMMUNITY],
        measure_codes=["NT27"],
        year=2025,
    )

    def titles(query: str) -> list[str]:
        response = public_dave.get(f"/api/v1/case-studies{query}")
        assert response.status_code == 200
        return sorted(item["title"] for item in response.json()["items"])

    assert titles(f"?theme={COMMUNITY}") == ["Befriending"]
    assert titles("?theme=Employment%20and%20skills") == ["Apprentices"]
    assert titles("?district=Pendle") == ["Befriending"]
    assert titles(f"?district={PENDLE}&year=2024") == []
    assert titles("?year=2024") == ["Apprentices"]


@pytest.mark.parametrize(
    ("query", "loc", "message"),
    [
        (
            "?theme=space",
            ["query", "theme"],
            "No theme 'space' in lancashire-toms-2024. Choose one of: employment-and-skills, "
            "economic-prosperity, community-building-health-and-wellbeing, "
            "environment-sustainability.",
        ),
        (
            "?district=Narnia",
            ["query", "district"],
            "No Lancashire district 'Narnia'. Use an ONS code such as E07000117.",
        ),
        ("?page=2", ["query", "page"], "Page 2 does not exist; there is 1 page."),
    ],
)
def test_it_explains_bad_filters(
    public_dave: Client, bob_published: CaseStudy, query: str, loc: list[str], message: str
) -> None:
    response = public_dave.get(f"/api/v1/case-studies{query}")
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": loc, "msg": message}]}


def test_it_refuses_a_year_that_is_not_a_number(public_dave: Client) -> None:
    response = public_dave.get("/api/v1/case-studies?year=last")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "year"]


@pytest.mark.parametrize("slug", ["no-such-story", "bad%20slug"])
def test_it_does_not_find_what_is_not_published(
    public_dave: Client, bob_submitted: CaseStudy, slug: str
) -> None:
    for wanted in (bob_submitted.slug, slug):
        response = public_dave.get(f"/api/v1/case-studies/{wanted}")
        assert response.status_code == 404
        assert response.json()["detail"][0]["loc"] == ["path", "slug"]


def test_it_is_in_the_openapi_document(public_dave: Client) -> None:
    paths = public_dave.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/case-studies" in paths
    assert "/api/v1/case-studies/{slug}" in paths
