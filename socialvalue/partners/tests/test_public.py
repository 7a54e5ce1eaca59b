"""The public directory: only published profiles, filters, pages, and the measure page."""

import pytest
from django.test import Client

from socialvalue.accounts.models import Organisation, User
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
    PRESTON,
    PartnerMaker,
    content,
)

pytestmark = pytest.mark.django_db

DRAFT_SUMMARY = "Unapproved summary that must stay private"
DRAFT_DESCRIPTION = "Unapproved description that must stay private"


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def skills_hub(make_partner: PartnerMaker) -> PartnerProfile:
    return make_partner(
        "Lancashire Skills and Employment Hub",
        partner_type="employment_skills",
        summary="Matches employers with local jobseekers.",
        serves_all_lancashire=True,
        districts=[],
        measure_codes=["NT1", "NT3", "NT4", "NT10", "NT11"],
    )


@pytest.fixture
def burnley_youth(make_partner: PartnerMaker) -> PartnerProfile:
    return make_partner(
        "Burnley Youth Employment Project",
        summary="Work placements for young people.",
        districts=[BURNLEY, PENDLE],
        measure_codes=["NT4", "NT12"],
    )


@pytest.fixture
def carers(make_partner: PartnerMaker) -> PartnerProfile:
    return make_partner(
        "Pendle Carers Network",
        partner_type="health",
        summary="Supports unpaid carers.",
        districts=[PENDLE],
        measure_codes=["NT27", "NT26"],
    )


@pytest.fixture
def pending_change(skills_hub: PartnerProfile, lead_lucy: User) -> None:
    """Changes to the Skills Hub sent for approval but not approved."""
    revision = partner_revision_save(
        profile=skills_hub,
        user=lead_lucy,
        content=content(
            summary=DRAFT_SUMMARY,
            description=DRAFT_DESCRIPTION,
            measure_codes=["NT1", "NT50"],
            districts=[PRESTON],
        ),
    )
    partner_revision_submit(revision=revision, user=lead_lucy)


def test_it_lists_published_partners_with_their_measures_and_districts(
    public_dave: Client, skills_hub: PartnerProfile, burnley_youth: PartnerProfile
) -> None:
    html = page(public_dave, "/partners/")
    assert "2 partner organisations" in html
    assert 'href="/partners/lancashire-skills-and-employment-hub/"' in html
    assert "Matches employers with local jobseekers." in html
    assert "Employment and skills service" in html
    assert "All of Lancashire" in html
    assert "Burnley, Pendle" in html
    assert (
        'href="/framework/lancashire-toms-2024/measures/NT12/">'
        '<span class="govuk-visually-hidden">Measure </span>NT12</a>'
    ) in html


def test_it_never_lists_an_unpublished_profile(
    public_dave: Client, skills_hub: PartnerProfile, community_futures: Organisation
) -> None:
    partner_profile_ensure(organisation=community_futures)
    html = page(public_dave, "/partners/")
    assert "1 partner organisation" in html
    assert "Community Futures Lancashire" not in html
    response = public_dave.get("/partners/community-futures-lancashire/")
    assert response.status_code == 404


def test_it_keeps_unapproved_changes_off_every_public_page(
    public_dave: Client, pending_change: None
) -> None:
    for url in (
        "/partners/",
        "/partners/lancashire-skills-and-employment-hub/",
        "/partners/?measure=NT50",
        "/framework/lancashire-toms-2024/measures/NT1/",
        "/framework/lancashire-toms-2024/measures/NT50/",
        "/api/v1/partners",
        "/api/v1/partners/lancashire-skills-and-employment-hub",
        "/api/v1/partners?measure=NT50",
    ):
        html = page(public_dave, url)
        assert DRAFT_SUMMARY not in html, url
        assert DRAFT_DESCRIPTION not in html, url
    nt50 = page(public_dave, "/framework/lancashire-toms-2024/measures/NT50/")
    assert "Lancashire Skills and Employment Hub" not in nt50
    assert "0 partner organisations found" in page(public_dave, "/partners/?measure=NT50")
    detail = page(public_dave, "/partners/lancashire-skills-and-employment-hub/")
    assert "Matches employers with local jobseekers." in detail


def test_it_shows_a_published_profile_in_full(
    public_dave: Client, burnley_youth: PartnerProfile
) -> None:
    html = page(public_dave, "/partners/burnley-youth-employment-project/")
    assert "<title>Burnley Youth Employment Project – Partner organisations" in html
    assert "Work placements for young people." in html
    assert "We support community groups across Preston." in html
    assert "<li>Team volunteering days</li>" in html
    assert "<li>Donations of equipment</li>" in html
    assert 'href="mailto:volunteering@example.org"' in html
    assert "01772 204400" in html
    assert 'href="https://example.org"' in html
    assert '<h3 class="govuk-heading-s">Employment and skills</h3>' in html
    assert 'href="/framework/lancashire-toms-2024/measures/NT4/"' in html
    assert "<li>Burnley</li>" in html
    assert "<li>Pendle</li>" in html


def test_it_filters_by_measure(
    public_dave: Client,
    skills_hub: PartnerProfile,
    burnley_youth: PartnerProfile,
    carers: PartnerProfile,
) -> None:
    html = page(public_dave, "/partners/?measure=NT4")
    assert "2 partner organisations found" in html
    assert "Lancashire Skills and Employment Hub" in html
    assert "Burnley Youth Employment Project" in html
    assert "Pendle Carers Network</a>" not in html
    html = page(public_dave, "/partners/?measure=nt27")
    assert "1 partner organisation found" in html
    assert "Pendle Carers Network</a>" in html


def test_it_filters_by_theme(
    public_dave: Client,
    skills_hub: PartnerProfile,
    burnley_youth: PartnerProfile,
    carers: PartnerProfile,
) -> None:
    html = page(public_dave, "/partners/?theme=community-building-health-and-wellbeing")
    assert "1 partner organisation found" in html
    assert "Pendle Carers Network</a>" in html
    html = page(public_dave, "/partners/?theme=employment-and-skills")
    assert "2 partner organisations found" in html
    assert "Pendle Carers Network</a>" not in html


def test_it_filters_by_district_counting_partners_across_lancashire(
    public_dave: Client,
    skills_hub: PartnerProfile,
    burnley_youth: PartnerProfile,
    carers: PartnerProfile,
) -> None:
    html = page(public_dave, f"/partners/?district={BURNLEY}")
    assert "2 partner organisations found" in html
    assert "Lancashire Skills and Employment Hub</a>" in html
    assert "Burnley Youth Employment Project</a>" in html
    html = page(public_dave, f"/partners/?district={PRESTON}")
    assert "1 partner organisation found" in html
    html = page(public_dave, f"/partners/?district={PENDLE}&measure=NT27")
    assert "1 partner organisation found" in html
    assert "Pendle Carers Network</a>" in html


def test_it_says_when_nothing_matches(public_dave: Client, carers: PartnerProfile) -> None:
    html = page(public_dave, "/partners/?measure=NT85")
    assert "0 partner organisations found" in html
    assert "No partner organisations match your filters." in html
    assert '<a class="govuk-link" href="/partners/">see all partner organisations</a>' in html


def test_it_says_when_there_are_no_partners_yet(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/partners/")
    assert "0 partner organisations" in html
    assert "No partner organisations are listed yet." in html


def test_it_reports_a_filter_it_does_not_know(public_dave: Client, carers: PartnerProfile) -> None:
    html = page(public_dave, "/partners/?measure=NT999&district=outside")
    assert "<title>Error: Partner organisations" in html
    assert 'href="#id_measure">Choose a measure from the list.</a>' in html
    assert 'href="#id_district">Choose a district from the list.</a>' in html
    assert "1 partner organisation" in html


def test_it_offers_measures_grouped_by_theme_in_the_filter(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/partners/")
    assert '<optgroup label="Employment and skills">' in html
    assert '<optgroup label="Environment sustainability">' in html
    assert '<option value="NT86">' in html
    assert '<option value="E07000117">Burnley</option>' in html
    assert 'value="outside"' not in html


def test_it_shows_twenty_partners_a_page(public_dave: Client, make_partner: PartnerMaker) -> None:
    for n in range(1, 22):
        make_partner(f"Partner {n:02d}")
    first = page(public_dave, "/partners/")
    assert "21 partner organisations" in first
    assert first.count('class="app-partner-list__item"') == 20
    assert "Partner 20</a>" in first
    assert "Partner 21</a>" not in first
    second = page(public_dave, "/partners/?page=2")
    assert second.count('class="app-partner-list__item"') == 1
    assert "Partner 21</a>" in second


def test_it_lists_the_partners_of_a_measure_on_its_page(
    public_dave: Client, skills_hub: PartnerProfile, carers: PartnerProfile
) -> None:
    html = page(public_dave, "/framework/lancashire-toms-2024/measures/NT1/")
    assert "Partner organisations that can help" in html
    assert 'href="/partners/lancashire-skills-and-employment-hub/"' in html
    assert "Pendle Carers Network" not in html
    assert 'href="/partners/?measure=NT1"' in html


def test_it_says_when_a_measure_has_no_partners(
    public_dave: Client, skills_hub: PartnerProfile
) -> None:
    html = page(public_dave, "/framework/lancashire-toms-2024/measures/NT41/")
    assert "No partner organisations are listed for this measure yet." in html


def test_it_shows_partners_in_the_navigation(public_dave: Client, toms: FrameworkVersion) -> None:
    html = page(public_dave, "/partners/")
    assert 'href="/partners/" aria-current="page"' in html


def test_it_shows_a_code_no_longer_in_the_framework_without_a_link(
    public_dave: Client, make_partner: PartnerMaker
) -> None:
    profile = make_partner("Old Measures Trust", measure_codes=["NT29"])
    profile.measure_links.create(code="NT99", order=5)
    html = page(public_dave, "/partners/old-measures-trust/")
    assert "<strong>NT99</strong>" in html
    assert "No longer in the current framework" in html
    assert "/measures/NT99/" not in html


def test_it_answers_odd_filters_without_failing(
    public_dave: Client, carers: PartnerProfile
) -> None:
    assert public_dave.get("/partners/?measure=%00").status_code == 400
    html = page(public_dave, "/partners/?measure=NT999&theme=a-b&district=E99&page=x")
    assert "Choose a theme from the list." in html
    assert "1 partner organisation" in html
