"""Partner directory fixtures.

- ``community_futures``: a partner organisation (a Preston VCSE), not yet published.
- ``partner_priya``: a partner user at Community Futures Lancashire.
- ``ribble_rivers``: another partner organisation, published.
- ``partner_raj``: a partner user at Ribble Rivers Nature Trust.
- ``make_partner(name, ...)``: a partner organisation with a published profile, approved by
  ``lead_lucy``.
"""

from collections.abc import Callable
from typing import Any

import pytest

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.selectors import organisation_of
from socialvalue.accounts.tests.factories import OrganisationFactory, UserFactory
from socialvalue.framework.models import FrameworkVersion
from socialvalue.partners.models import PartnerProfile, PartnerProfileRevision
from socialvalue.partners.services import (
    partner_profile_ensure,
    partner_revision_approve,
    partner_revision_save,
    partner_revision_submit,
)

PartnerMaker = Callable[..., PartnerProfile]

PRESTON = "E07000123"
BURNLEY = "E07000117"
PENDLE = "E07000122"
RIBBLE_VALLEY = "E07000124"


def content(**overrides: Any) -> dict[str, Any]:
    """A complete, valid profile content; override any field."""
    values: dict[str, Any] = {
        "partner_type": "vcse",
        "summary": "Helps local groups.",
        "description": "We support community groups across Preston.",
        "serves_all_lancashire": False,
        "districts": [PRESTON],
        "measure_codes": ["NT29"],
        "example_offers": "Team volunteering days\nDonations of equipment",
        "contact_name": "Volunteering team",
        "contact_email": "volunteering@example.org",
        "contact_phone": "01772 204400",
        "website": "https://example.org",
    }
    values.update(overrides)
    return values


def form_data(**overrides: Any) -> dict[str, Any]:
    """The profile form as a browser posts it (booleans as "on", lists as lists)."""
    values = content(**overrides)
    data = {key: value for key, value in values.items() if key != "serves_all_lancashire"}
    if values["serves_all_lancashire"]:
        data["serves_all_lancashire"] = "on"
    return data


def publish(
    profile: PartnerProfile, lead: User, **overrides: Any
) -> tuple[PartnerProfile, PartnerProfileRevision]:
    revision = partner_revision_save(profile=profile, user=lead, content=content(**overrides))
    revision = partner_revision_submit(revision=revision, user=lead)
    return partner_revision_approve(revision=revision, reviewer=lead), revision


@pytest.fixture
def community_futures(db: None) -> Organisation:
    return OrganisationFactory.create(
        name="Community Futures Lancashire", kind=Organisation.Kind.PARTNER, is_vcse=True
    )


@pytest.fixture
def partner_priya(community_futures: Organisation) -> User:
    return UserFactory.create(
        email="priya@communityfutures.example",
        full_name="Priya Patel",
        role=User.Role.PARTNER,
        organisation=community_futures,
    )


@pytest.fixture
def ribble_rivers(toms: FrameworkVersion, lead_lucy: User) -> Organisation:
    organisation = OrganisationFactory.create(
        name="Ribble Rivers Nature Trust", kind=Organisation.Kind.PARTNER
    )
    publish(
        partner_profile_ensure(organisation=organisation),
        lead_lucy,
        partner_type="environmental",
        summary="Restores river banks with volunteers.",
        districts=[RIBBLE_VALLEY],
        measure_codes=["NT85", "NT86"],
    )
    return organisation


@pytest.fixture
def partner_raj(ribble_rivers: Organisation) -> User:
    return UserFactory.create(
        email="raj@ribblerivers.example",
        full_name="Raj Rivers",
        role=User.Role.PARTNER,
        organisation=ribble_rivers,
    )


@pytest.fixture
def make_partner(toms: FrameworkVersion, lead_lucy: User) -> PartnerMaker:
    """``make_partner("Name", measure_codes=[...], districts=[...], ...)``: published."""

    def make(name: str, **overrides: Any) -> PartnerProfile:
        organisation = OrganisationFactory.create(name=name, kind=Organisation.Kind.PARTNER)
        profile, _ = publish(
            partner_profile_ensure(organisation=organisation), lead_lucy, **overrides
        )
        return profile

    return make


@pytest.fixture
def cast_member(request: pytest.FixtureRequest) -> Callable[[str | None], User | None]:
    """``cast_member("officer_alice")``: that cast fixture; ``None`` for nobody signed in."""

    def get(name: str | None) -> User | None:
        return None if name is None else request.getfixturevalue(name)

    return get


@pytest.fixture
def priya_draft(toms: FrameworkVersion, partner_priya: User) -> PartnerProfileRevision:
    """Priya's first draft of Community Futures' profile (nothing published yet)."""
    profile = partner_profile_ensure(organisation=organisation_of(partner_priya))
    return partner_revision_save(
        profile=profile,
        user=partner_priya,
        content=content(summary="Priya's draft summary.", measure_codes=["NT28", "NT29"]),
    )


@pytest.fixture
def priya_submitted(
    priya_draft: PartnerProfileRevision, partner_priya: User
) -> PartnerProfileRevision:
    return partner_revision_submit(revision=priya_draft, user=partner_priya)
