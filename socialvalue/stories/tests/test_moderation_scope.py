"""Who moderates which case study. Case studies are platform-wide content: the leads of the
organisation running the service (Lancashire County Council) moderate every one; the lead of
another buying organisation (Blackpool Council) moderates only its own organisation's and
those about contracts it let."""

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.contracts.models import Contract
from socialvalue.framework.models import FrameworkVersion
from socialvalue.stories.models import CaseStudy
from socialvalue.stories.services import (
    ERR_NOT_MODERATOR,
    case_study_publish,
    case_study_save,
    case_study_submit,
)
from socialvalue.stories.tests.conftest import BOB_DRAFT_TITLE, _contract, content

ClientAs = Callable[[User | None], Client]


@pytest.fixture
def lead_bella(blackpool: Organisation) -> User:
    return UserFactory.create(
        email="bella@blackpool.example",
        full_name="Bella Lead",
        role="lead",
        organisation=blackpool,
    )


@pytest.fixture
def blackpool_contract(
    toms: FrameworkVersion, blackpool: Organisation, supplier_carol: User
) -> Contract:
    assert supplier_carol.organisation is not None
    return _contract(blackpool, supplier_carol.organisation, "BC-2025-001", "Promenade works")


@pytest.fixture
def carol_submitted(blackpool_contract: Contract, supplier_carol: User) -> CaseStudy:
    story = case_study_save(
        user=supplier_carol,
        content=content(title="Care apprentices on the Fylde", contract=blackpool_contract),
    )
    return case_study_submit(case_study=story, user=supplier_carol)


def test_it_refuses_another_organisations_lead_a_lancashire_case_study(
    client_as: ClientAs, lead_bella: User, bob_submitted: CaseStudy
) -> None:
    bella = client_as(lead_bella)
    assert BOB_DRAFT_TITLE not in bella.get("/case-studies/review/").content.decode()
    assert bella.get(f"/case-studies/review/{bob_submitted.slug}/").status_code == 404
    answer = bella.post(
        f"/case-studies/review/{bob_submitted.slug}/", {"decision": "publish", "note": ""}
    )
    assert answer.status_code == 404
    with pytest.raises(PermissionDenied, match=ERR_NOT_MODERATOR):
        case_study_publish(case_study=bob_submitted, reviewer=lead_bella)
    bob_submitted.refresh_from_db()
    assert bob_submitted.status == CaseStudy.Status.SUBMITTED


def test_it_lets_a_lead_moderate_case_studies_about_its_own_contracts(
    client_as: ClientAs, lead_bella: User, carol_submitted: CaseStudy
) -> None:
    bella = client_as(lead_bella)
    assert "Care apprentices on the Fylde" in bella.get("/case-studies/review/").content.decode()
    assert bella.get(f"/case-studies/review/{carol_submitted.slug}/").status_code == 200
    published = case_study_publish(case_study=carol_submitted, reviewer=lead_bella)
    assert published.status == CaseStudy.Status.PUBLISHED


def test_the_service_owners_lead_moderates_every_case_study(
    client_as: ClientAs, lead_lucy: User, carol_submitted: CaseStudy, bob_submitted: CaseStudy
) -> None:
    page = client_as(lead_lucy).get("/case-studies/review/").content.decode()
    assert "Care apprentices on the Fylde" in page
    assert BOB_DRAFT_TITLE in page
    assert case_study_publish(case_study=carol_submitted, reviewer=lead_lucy).is_published


@pytest.mark.parametrize(
    "url",
    [
        "/content/",
        "/content/feedback/",
        "/events/manage/",
        "/partners/approvals/",
        "/needs/links/",
        "/contracts/reporting-settings/",
    ],
)
def test_only_the_service_owners_lead_runs_platform_wide_content(
    client_as: ClientAs, lead_bella: User, lead_lucy: User, url: str
) -> None:
    refused = client_as(lead_bella).get(url)
    assert refused.status_code == 403
    assert (
        "This page is for the social value leads of Lancashire County Council, which runs "
        "this service." in refused.content.decode()
    )
    assert client_as(lead_lucy).get(url).status_code == 200
