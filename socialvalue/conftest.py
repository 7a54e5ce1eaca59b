"""The cast every test shares, and the shipped framework.

- ``lead_lucy``: social value lead at Lancashire County Council.
- ``officer_alice``: procurement officer at the council (Growth, Environment and Transport).
- ``evaluator_erin``: evaluator at the council.
- ``officer_olga``: officer at another buying organisation, Blackpool Council.
- ``lead_bella``: social value lead at Blackpool Council (no say over Lancashire's people).
- ``supplier_bob``: supplier user at Bob's Building Ltd (a small Preston firm).
- ``supplier_carol``: supplier user at Carol's Care CIC (a VCSE).
- ``public_dave``: nobody signed in (an anonymous test client).
- ``admin_ada``: a platform administrator (holds ``accounts.administer_platform``, is not a
  superuser, belongs to no organisation): the only kind of person, with superusers, who
  uses the Django admin.

The cache (rate-limit counters) is emptied before every test, so that no test inherits
another's attempts. ``clock`` is the time as rate limits and session expiry see it, moved
forward by hand (``clock.advance(seconds)``) instead of sleeping.
"""

import time
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import (
    OrganisationFactory,
    ServiceAreaFactory,
    UserFactory,
)
from socialvalue.framework.models import FrameworkVersion

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fixed = Clock(float(int(time.time())))
    monkeypatch.setattr("socialvalue.core.ratelimit._now", lambda: fixed.now)
    monkeypatch.setattr("socialvalue.core.middleware._now", lambda: fixed.now)
    return fixed


@pytest.fixture
def council(db: None) -> Organisation:
    return OrganisationFactory.create(
        name="Lancashire County Council", kind=Organisation.Kind.BUYER, size="large"
    )


@pytest.fixture
def blackpool(db: None) -> Organisation:
    return OrganisationFactory.create(
        name="Blackpool Council", kind=Organisation.Kind.BUYER, size="large"
    )


@pytest.fixture
def bobs_building(db: None) -> Organisation:
    return OrganisationFactory.create(
        name="Bob's Building Ltd", kind=Organisation.Kind.SUPPLIER, size="small", postcode="PR1 2HE"
    )


@pytest.fixture
def carols_care(db: None) -> Organisation:
    return OrganisationFactory.create(
        name="Carol's Care CIC",
        kind=Organisation.Kind.SUPPLIER,
        size="micro",
        is_vcse=True,
        postcode="BB11 2DL",
    )


@pytest.fixture
def lead_lucy(council: Organisation) -> User:
    return UserFactory.create(
        email="lucy@lancashire.example",
        full_name="Lucy Lead",
        role=User.Role.LEAD,
        organisation=council,
    )


@pytest.fixture
def officer_alice(council: Organisation) -> User:
    area = ServiceAreaFactory.create(
        directorate__organisation=council,
        directorate__name="Growth, Environment and Transport",
        name="Highways",
    )
    return UserFactory.create(
        email="alice@lancashire.example",
        full_name="Alice Officer",
        role=User.Role.OFFICER,
        organisation=council,
        service_area=area,
    )


@pytest.fixture
def evaluator_erin(council: Organisation) -> User:
    return UserFactory.create(
        email="erin@lancashire.example",
        full_name="Erin Evaluator",
        role=User.Role.EVALUATOR,
        organisation=council,
    )


@pytest.fixture
def officer_olga(blackpool: Organisation) -> User:
    return UserFactory.create(
        email="olga@blackpool.example",
        full_name="Olga Officer",
        role=User.Role.OFFICER,
        organisation=blackpool,
    )


@pytest.fixture
def lead_bella(blackpool: Organisation) -> User:
    return UserFactory.create(
        email="bella@blackpool.example",
        full_name="Bella Lead",
        role=User.Role.LEAD,
        organisation=blackpool,
    )


@pytest.fixture
def admin_ada(db: None) -> User:
    from django.contrib.auth.models import Permission

    ada = User.objects.create_user("ada@platform.example", PASSWORD, full_name="Ada Administrator")
    ada.user_permissions.add(
        Permission.objects.get(codename="administer_platform", content_type__app_label="accounts")
    )
    ada.is_staff = True
    ada.save(update_fields=["is_staff"])
    return User.objects.get(pk=ada.pk)  # without a stale permission cache


@pytest.fixture
def supplier_bob(bobs_building: Organisation) -> User:
    return UserFactory.create(
        email="bob@bobsbuilding.example",
        full_name="Bob Builder",
        role=User.Role.SUPPLIER,
        organisation=bobs_building,
    )


@pytest.fixture
def supplier_carol(carols_care: Organisation) -> User:
    return UserFactory.create(
        email="carol@carolscare.example",
        full_name="Carol Carer",
        role=User.Role.SUPPLIER,
        organisation=carols_care,
    )


@pytest.fixture
def public_dave(client: Client) -> Client:
    """An anonymous visitor."""
    return client


@pytest.fixture
def client_as(db: None) -> Callable[[User | None], Client]:
    """``client_as(user)``: a test client signed in as ``user`` (or anonymous for None)."""

    def make(user: User | None) -> Client:
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def toms(db: None) -> FrameworkVersion:
    """The shipped Lancashire TOMs 2024, loaded and published."""
    from socialvalue.framework.services import framework_default_ensure

    framework_default_ensure()
    return FrameworkVersion.objects.get(slug="lancashire-toms-2024")
