"""Fixtures for the account tests, on top of the shared cast."""

from collections.abc import Callable

import pytest

from socialvalue.accounts.models import ServiceArea, User

CAST = ["lead_lucy", "officer_alice", "evaluator_erin", "supplier_bob"]


@pytest.fixture
def cast_member(request: pytest.FixtureRequest) -> Callable[[str | None], User | None]:
    """``cast_member("officer_alice")``: that cast fixture; ``None`` for nobody signed in."""

    def get(name: str | None) -> User | None:
        return None if name is None else request.getfixturevalue(name)

    return get


@pytest.fixture
def highways(officer_alice: User) -> ServiceArea:
    """The council's Highways service area (Alice works there)."""
    assert officer_alice.service_area is not None
    return officer_alice.service_area
