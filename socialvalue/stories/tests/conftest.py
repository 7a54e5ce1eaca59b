"""Case study fixtures.

- ``bobs_contract``: a contract the council let to Bob's Building Ltd.
- ``carols_contract``: a contract the council let to Carol's Care CIC.
- ``bob_draft``: a draft by ``supplier_bob`` titled "Gully crews mentor Preston school leavers",
  with a photograph.
- ``bob_submitted`` / ``bob_published``: the same case study sent for review / published by
  ``lead_lucy``.
- ``make_published(title, author, ...)``: a published case study.
- ``partner_priya``: a partner organisation user (not an author of case studies).
"""

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import OrganisationFactory, UserFactory
from socialvalue.contracts.models import Contract
from socialvalue.framework.models import FrameworkVersion
from socialvalue.stories.images import image_prepare
from socialvalue.stories.models import CaseStudy
from socialvalue.stories.services import (
    case_study_publish,
    case_study_save,
    case_study_submit,
)

PRESTON = "E07000123"
PENDLE = "E07000122"
HYNDBURN = "E07000120"
EMPLOYMENT = "employment-and-skills"
COMMUNITY = "community-building-health-and-wellbeing"
ENVIRONMENT = "environment-sustainability"
BOB_DRAFT_TITLE = "Gully crews mentor Preston school leavers"

Maker = Callable[..., CaseStudy]


def picture(fmt: str = "PNG", size: tuple[int, int] = (64, 36)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (21, 129, 135)).save(out, format=fmt)
    return out.getvalue()


def upload(data: bytes | None = None, name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, picture() if data is None else data, "image/png")


def content(**overrides: Any) -> dict[str, Any]:
    """A complete, valid case study for ``case_study_save``; override any part."""
    values: dict[str, Any] = {
        "title": "Apprentices on the A59",
        "contract": None,
        "district": PRESTON,
        "year": 2025,
        "theme_slugs": [EMPLOYMENT],
        "measure_codes": ["NT10"],
        "summary": "Six local apprentices joined the crews.",
        "challenge": "Few young people in Preston find highways jobs.",
        "what_was_done": "We recruited with the college.",
        "outcomes": "All six are still with us.",
        "quote": "I love the job.",
        "quote_attribution": "Sam, apprentice",
        "image_alt": "",
        "consent_to_publish": True,
        "figures": [{"label": "Apprentices recruited", "value": Decimal("6"), "unit": ""}],
    }
    values.update(overrides)
    return values


def form_data(**overrides: Any) -> dict[str, Any]:
    """The case study form as a browser posts it."""
    data: dict[str, Any] = {
        "title": "Apprentices on the A59",
        "contract": "",
        "district": PRESTON,
        "year": "2025",
        "theme_slugs": [EMPLOYMENT],
        "measure_codes": ["NT10"],
        "summary": "Six local apprentices joined the crews.",
        "challenge": "Few young people in Preston find highways jobs.",
        "what_was_done": "We recruited with the college.",
        "outcomes": "All six are still with us.",
        "quote": "I love the job.",
        "quote_attribution": "Sam, apprentice",
        "image_alt": "",
        "consent_to_publish": "on",
        "figure_1_label": "Apprentices recruited",
        "figure_1_value": "6",
        "figure_1_unit": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _contract(buyer: Organisation, supplier: Organisation, reference: str, title: str) -> Contract:
    return Contract.objects.create(
        organisation=buyer,
        supplier=supplier,
        reference=reference,
        title=title,
        value=Decimal("250000.00"),
        start_date=date(2025, 4, 1),
        end_date=date(2027, 3, 31),
        framework_version=FrameworkVersion.objects.get(slug="lancashire-toms-2024"),
    )


@pytest.fixture
def bobs_contract(toms: FrameworkVersion, council: Organisation, supplier_bob: User) -> Contract:
    assert supplier_bob.organisation is not None
    return _contract(council, supplier_bob.organisation, "LCC-2025-101", "Gully cleansing")


@pytest.fixture
def carols_contract(
    toms: FrameworkVersion, council: Organisation, supplier_carol: User
) -> Contract:
    assert supplier_carol.organisation is not None
    return _contract(council, supplier_carol.organisation, "LCC-2025-102", "Home care, Pendle")


@pytest.fixture
def bob_draft(toms: FrameworkVersion, supplier_bob: User) -> CaseStudy:
    return case_study_save(
        user=supplier_bob,
        content=content(
            title=BOB_DRAFT_TITLE,
            summary="Bob's unpublished summary.",
            image_alt="Two apprentices clearing a gully",
        ),
        image=image_prepare(picture()),
    )


@pytest.fixture
def bob_submitted(bob_draft: CaseStudy, supplier_bob: User) -> CaseStudy:
    return case_study_submit(case_study=bob_draft, user=supplier_bob)


@pytest.fixture
def bob_published(bob_submitted: CaseStudy, lead_lucy: User) -> CaseStudy:
    return case_study_publish(case_study=bob_submitted, reviewer=lead_lucy)


@pytest.fixture
def make_published(toms: FrameworkVersion, lead_lucy: User) -> Maker:
    """``make_published("Title", author, district=..., year=..., theme_slugs=[...])``."""

    def make(title: str, author: User, **overrides: Any) -> CaseStudy:
        case_study = case_study_save(user=author, content=content(title=title, **overrides))
        case_study = case_study_submit(case_study=case_study, user=author)
        return case_study_publish(case_study=case_study, reviewer=lead_lucy)

    return make


@pytest.fixture
def partner_priya(db: None) -> User:
    organisation = OrganisationFactory.create(
        name="Community Futures Lancashire", kind=Organisation.Kind.PARTNER
    )
    return UserFactory.create(
        email="priya@communityfutures.example",
        full_name="Priya Patel",
        role=User.Role.PARTNER,
        organisation=organisation,
    )


@pytest.fixture
def cast_member(request: pytest.FixtureRequest) -> Callable[[str | None], User | None]:
    """``cast_member("officer_alice")``: that cast fixture; ``None`` for nobody signed in."""

    def get(name: str | None) -> User | None:
        return None if name is None else request.getfixturevalue(name)

    return get
