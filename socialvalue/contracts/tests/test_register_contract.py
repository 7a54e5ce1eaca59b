"""Registering a contract let outside the platform: an existing contract, a planning
obligation or a grant, with its targets valued at the framework's proxies and profiled."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from socialvalue.accounts.models import Organisation, ServiceArea, User
from socialvalue.accounts.tests.factories import ServiceAreaFactory, UserFactory
from socialvalue.contracts.models import Contract, Target, TargetQuarter
from socialvalue.contracts.services import (
    ERR_END_BEFORE_START,
    ERR_SERVICE_AREA,
    contract_register,
)
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.framework.tests.conftest import framework_doc, load_doc, measure_doc

D = Decimal
Register = Callable[..., Contract]


@pytest.fixture
def highways(officer_alice: User) -> ServiceArea:
    """Alice's service area: Highways, in Growth, Environment and Transport."""
    assert officer_alice.service_area is not None
    return officer_alice.service_area


@pytest.fixture
def register(
    toms: FrameworkVersion,
    council: Organisation,
    bobs_building: Organisation,
    highways: ServiceArea,
    officer_alice: User,
) -> Register:
    """``register(**changes)``: the council registers a planning obligation with Bob's
    Building, April 2026 to March 2028, unless ``changes`` say otherwise."""
    nt1 = Measure.objects.get(version=toms, code="NT1")
    nt18 = Measure.objects.get(version=toms, code="NT18")

    def make(**changes: Any) -> Contract:
        fields: dict[str, Any] = {
            "organisation": council,
            "supplier": bobs_building,
            "reference": " S106-2026-014 ",
            "title": " Preston East housing: section 106 ",
            "lever": Contract.Lever.PLANNING,
            "value": D("2400000.00"),
            "start_date": date(2026, 4, 1),
            "end_date": date(2028, 3, 31),
            "framework_version": toms,
            "targets": [(nt1, D("4")), (nt18, D("80000"))],
            "directorate": highways.directorate,
            "service_area": highways,
            "category": "construction",
            "contract_manager": officer_alice,
            "by": officer_alice,
        }
        fields.update(changes)
        return contract_register(**fields)

    return make


def test_it_registers_a_contract_with_its_targets(
    register: Register, officer_alice: User, highways: ServiceArea
) -> None:
    contract = register()

    contract.refresh_from_db()
    assert contract.reference == "S106-2026-014"
    assert contract.title == "Preston East housing: section 106"
    assert contract.lever == Contract.Lever.PLANNING
    assert contract.status == Contract.Status.LIVE
    assert (contract.directorate, contract.service_area) == (highways.directorate, highways)
    assert contract.contract_manager == officer_alice
    assert contract.tender is None
    assert contract.bid is None
    # NT1: 4 FTE × £31,285.00 = £125,140; NT18: 80,000 × £1.00 = £80,000.
    assert [(t.measure.code, t.quantity, t.value) for t in contract.targets.all()] == [
        ("NT1", D("4"), D("125140")),
        ("NT18", D("80000"), D("80000")),
    ]
    # Two financial years: eight quarters of 0.5 FTE and £10,000.
    assert [tq.quantity for tq in TargetQuarter.objects.filter(target__measure__code="NT1")] == [
        D("0.5")
    ] * 8
    assert [tq.quantity for tq in TargetQuarter.objects.filter(target__measure__code="NT18")] == [
        D("10000")
    ] * 8
    assert contract.history.get().history_user == officer_alice


def test_it_registers_a_grant_with_no_targets_and_no_structure(register: Register) -> None:
    contract = register(
        lever=Contract.Lever.GRANT,
        targets=[],
        directorate=None,
        service_area=None,
        contract_manager=None,
    )
    assert contract.lever == Contract.Lever.GRANT
    assert not contract.targets.exists()


def test_it_lets_two_buyers_use_the_same_reference(
    register: Register, blackpool: Organisation
) -> None:
    register()
    register(organisation=blackpool, directorate=None, service_area=None, contract_manager=None)
    assert Contract.objects.filter(reference="S106-2026-014").count() == 2


def assert_nothing_saved() -> None:
    assert not Contract.objects.exists()
    assert not Target.objects.exists()
    assert not TargetQuarter.objects.exists()


def refusal(register: Register, **changes: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        register(**changes)
    assert_nothing_saved()
    return caught.value.message_dict


def test_it_refuses_a_buyer_that_is_not_a_buying_organisation(
    register: Register, carols_care: Organisation
) -> None:
    assert refusal(register, organisation=carols_care, directorate=None, service_area=None) == {
        "organisation": ["Carol's Care CIC is not a buying organisation."],
        "contract_manager": ["The contract manager must be a member of staff of Carol's Care CIC."],
    }


def test_it_refuses_a_supplier_that_is_not_a_supplier_organisation(
    register: Register, blackpool: Organisation
) -> None:
    assert refusal(register, supplier=blackpool) == {
        "supplier": ["Blackpool Council is not a supplier organisation."]
    }


def test_it_refuses_an_end_before_the_start(register: Register) -> None:
    assert refusal(register, end_date=date(2026, 3, 31)) == {"end_date": [ERR_END_BEFORE_START]}


def test_it_refuses_a_directorate_of_another_organisation(
    register: Register, blackpool: Organisation
) -> None:
    area = ServiceAreaFactory.create(
        directorate__organisation=blackpool, directorate__name="Place", name="Housing"
    )
    assert refusal(register, directorate=area.directorate, service_area=area) == {
        "directorate": ["The directorate must be one of Lancashire County Council's."],
    }


def test_it_refuses_a_service_area_outside_the_directorate(
    register: Register, council: Organisation
) -> None:
    other = ServiceAreaFactory.create(
        directorate__organisation=council,
        directorate__name="Adult Services",
        name="Residential care",
    )
    assert refusal(register, service_area=other) == {"service_area": [ERR_SERVICE_AREA]}
    assert refusal(register, directorate=None, service_area=other) == {
        "service_area": [ERR_SERVICE_AREA]
    }


@pytest.mark.parametrize("who", ["officer_olga", "supplier_bob", "council_user_without_a_role"])
def test_it_refuses_a_manager_who_is_not_the_buyers_staff(
    register: Register, request: pytest.FixtureRequest, council: Organisation, who: str
) -> None:
    if who == "council_user_without_a_role":
        manager = UserFactory.create(
            email="nobody@lancashire.example", role="", organisation=council
        )
    else:
        manager = request.getfixturevalue(who)
    assert refusal(register, contract_manager=manager) == {
        "contract_manager": [
            "The contract manager must be a member of staff of Lancashire County Council."
        ]
    }


def test_it_refuses_a_reference_the_buyer_already_uses(register: Register) -> None:
    first = register()
    with pytest.raises(ValidationError) as caught:
        register(reference="S106-2026-014", title="Another")
    assert caught.value.message_dict == {
        "reference": [
            "Lancashire County Council already has a contract with the reference "
            "S106-2026-014. Change the existing contract's reference first."
        ]
    }
    assert list(Contract.objects.all()) == [first]
    assert Target.objects.count() == 2


def test_it_refuses_a_measure_of_another_framework_version(
    register: Register, toms: FrameworkVersion
) -> None:
    # Another framework's NT1: the same code, but not a measure of the contract's version.
    other = load_doc(framework_doc("test-toms-1", [measure_doc("NT1", "100.00")]))
    other_nt1 = Measure.objects.get(version=other, code="NT1")
    assert refusal(register, targets=[(other_nt1, D("1"))]) == {
        "targets": ["Every target must use a measure of Lancashire TOMs 2024."]
    }


def test_it_refuses_a_measure_listed_twice(register: Register, toms: FrameworkVersion) -> None:
    nt1 = Measure.objects.get(version=toms, code="NT1")
    assert refusal(register, targets=[(nt1, D("1")), (nt1, D("2"))]) == {
        "targets": ["NT1 is listed more than once."]
    }


def test_it_refuses_a_negative_target(register: Register, toms: FrameworkVersion) -> None:
    nt18 = Measure.objects.get(version=toms, code="NT18")
    nt1 = Measure.objects.get(version=toms, code="NT1")
    # The first target is saved before the second is refused: all of it is undone.
    messages = refusal(register, targets=[(nt1, D("2")), (nt18, D("-5"))])
    assert list(messages) == ["quantity"]


def test_it_reports_every_problem_at_once(
    register: Register, blackpool: Organisation, officer_olga: User
) -> None:
    assert set(
        refusal(
            register,
            supplier=blackpool,
            end_date=date(2025, 1, 1),
            contract_manager=officer_olga,
        )
    ) == {"supplier", "end_date", "contract_manager"}
