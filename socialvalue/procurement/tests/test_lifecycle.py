"""The tender lifecycle: every allowed transition, and every disallowed one refused."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.procurement.models import Policy, Tender
from socialvalue.procurement.services import (
    TRANSITIONS,
    policy_for_organisation,
    tender_cancel,
    tender_close,
    tender_create,
    tender_mark_evaluated,
    tender_open,
    tender_update,
    tenders_close_due,
)
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker

S = Tender.Status


def test_it_gives_a_new_policy_the_strategy_defaults(council: Organisation) -> None:
    policy = policy_for_organisation(organisation=council)
    assert policy.threshold == Decimal("100000.00")
    assert policy.minimum_weighting == Decimal("10.00")
    assert policy.default_quantitative_share == Decimal("50.00")
    assert policy.default_deliverability_threshold == 2
    assert [level.score for level in policy.quality_levels.all()] == [0, 1, 2, 3, 4, 5]
    assert policy.quality_levels.get(score=5).label == "Excellent"


def test_it_creates_a_draft_with_the_defaults_and_every_measure(
    make_tender: TenderMaker,
) -> None:
    tender = make_tender(status=S.DRAFT)
    assert tender.sv_weighting == Decimal("10.00")
    assert tender.quantitative_share == Decimal("50.00")
    assert tender.deliverability_threshold == 2
    assert tender.menu.count() == 43
    assert tender.quantitative_marks == Decimal("5")
    assert tender.qualitative_marks == Decimal("5")


@pytest.mark.parametrize(
    ("value", "weighting", "allowed"),
    [
        ("100000.00", "9.99", False),  # at the threshold: at least 10%
        ("100000.00", "10.00", True),
        ("2500000.00", "5.00", False),
        ("99999.99", "0.00", True),  # below the threshold social value is optional
        ("99999.99", "15.00", True),
    ],
)
def test_it_enforces_the_weighting_rule(
    officer_alice: User, toms: object, value: str, weighting: str, allowed: bool
) -> None:
    def create() -> Tender:
        return tender_create(
            organisation=officer_alice.organisation,  # type: ignore[arg-type]
            created_by=officer_alice,
            reference="LCC-RULE",
            title="Rule",
            description="Rule test",
            category=Tender.Category.ICT,
            estimated_value=Decimal(value),
            duration_months=12,
            deadline=timezone.now() + timedelta(days=10),
            sv_weighting=Decimal(weighting),
        )

    if allowed:
        assert create().sv_weighting == Decimal(weighting)
    else:
        with pytest.raises(ValidationError) as exc:
            create()
        assert exc.value.message_dict["sv_weighting"] == [
            f"This tender is worth £{Decimal(value):,.2f}, at or above the £100,000.00 "
            "threshold, so its social value weighting must be at least 10% of the total marks."
        ]
        assert not Tender.objects.exists()


def test_it_uses_the_organisations_own_policy(
    officer_alice: User, toms: object, council: Organisation
) -> None:
    policy = policy_for_organisation(organisation=council)
    Policy.objects.filter(pk=policy.pk).update(
        threshold=Decimal("50000.00"), minimum_weighting=Decimal("15.00")
    )
    with pytest.raises(ValidationError, match="at least 15%"):
        tender_create(
            organisation=council,
            created_by=officer_alice,
            reference="LCC-P",
            title="P",
            description="P",
            category=Tender.Category.ICT,
            estimated_value=Decimal("60000.00"),
            duration_months=12,
            deadline=timezone.now() + timedelta(days=10),
            sv_weighting=Decimal("10.00"),
        )


def test_it_refuses_tenders_from_a_supplier(bobs_building: Organisation, toms: object) -> None:
    with pytest.raises(ValidationError, match="Only a buying organisation"):
        tender_create(organisation=bobs_building, created_by=None, reference="X")


def test_it_opens_a_draft(make_tender: TenderMaker) -> None:
    tender = tender_open(tender=make_tender(status=S.DRAFT))
    assert tender.status == S.OPEN
    assert tender.opened_at is not None


def test_it_refuses_to_open_with_a_past_deadline(make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.DRAFT, deadline_in=timedelta(hours=-1))
    with pytest.raises(ValidationError) as exc:
        tender_open(tender=tender)
    assert exc.value.message_dict["deadline"] == [
        "The deadline must be in the future when the tender opens."
    ]
    tender.refresh_from_db()
    assert tender.status == S.DRAFT


def test_it_refuses_to_edit_an_open_tender(make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.OPEN)
    with pytest.raises(
        ValidationError, match="Only a draft tender can be edited; this one is open"
    ):
        tender_update(tender=tender, title="Changed")


def test_it_closes_only_after_the_deadline(make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.OPEN, deadline_in=timedelta(days=1))
    with pytest.raises(ValidationError, match="cannot close before its deadline"):
        tender_close(tender=tender)
    later = timezone.now() + timedelta(days=2)
    assert tender_close(tender=tender, now=later).status == S.CLOSED


def test_it_closes_every_due_tender_once(make_tender: TenderMaker) -> None:
    due = make_tender(status=S.OPEN, deadline_in=timedelta(minutes=-5))
    make_tender(status=S.OPEN, deadline_in=timedelta(days=5))
    assert [t.pk for t in tenders_close_due()] == [due.pk]
    assert tenders_close_due() == []


def test_it_marks_evaluated_only_when_every_response_has_a_consensus(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    lead_lucy: User,
) -> None:
    tender = make_tender(status=S.CLOSED, deadline_in=timedelta(days=-1))
    with pytest.raises(ValidationError, match="no submitted offers"):
        tender_mark_evaluated(tender=tender)
    make_bid(tender, bobs_building, lines=[("NT1", "2", None), ("NT4", "1", None)])
    with pytest.raises(ValidationError, match="2 qualitative responses have no consensus"):
        tender_mark_evaluated(tender=tender)


def test_it_marks_evaluated_when_scored(
    make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation, lead_lucy: User
) -> None:
    tender = make_tender(status=S.CLOSED, deadline_in=timedelta(days=-1))
    make_bid(tender, bobs_building, lines=[("NT1", "2", 3)], moderator=lead_lucy)
    assert tender_mark_evaluated(tender=tender).status == S.EVALUATED


def test_it_cancels_with_a_reason(make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.OPEN)
    with pytest.raises(ValidationError):
        tender_cancel(tender=tender, reason="   ")
    tender = tender_cancel(tender=tender, reason="Requirement withdrawn.")
    assert tender.status == S.CANCELLED
    assert tender.cancellation_reason == "Requirement withdrawn."


ACTIONS: dict[str, Callable[[Tender], Tender]] = {
    S.OPEN: lambda t: tender_open(tender=t),
    S.CLOSED: lambda t: tender_close(tender=t, now=timezone.now() + timedelta(days=400)),
    S.EVALUATED: lambda t: tender_mark_evaluated(tender=t),
    S.CANCELLED: lambda t: tender_cancel(tender=t, reason="Stopped."),
}


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (current, target)
        for current in S.values
        for target in ACTIONS
        if target not in TRANSITIONS[current]
    ],
)
def test_it_refuses_every_disallowed_transition(
    make_tender: TenderMaker, current: str, target: str
) -> None:
    tender = make_tender(status=current)
    with pytest.raises(ValidationError, match=f"A tender that is {S(current).label.lower()}"):
        ACTIONS[target](tender)
    tender.refresh_from_db()
    assert tender.status == current


def test_it_allows_exactly_the_designed_transitions() -> None:
    assert {
        S.DRAFT: {S.OPEN, S.CANCELLED},
        S.OPEN: {S.CLOSED, S.CANCELLED},
        S.CLOSED: {S.EVALUATED, S.CANCELLED},
        S.EVALUATED: {S.AWARDED, S.CANCELLED},
        S.AWARDED: set(),
        S.CANCELLED: set(),
    } == TRANSITIONS


def test_it_pins_the_current_version_when_a_draft_opens(make_tender: TenderMaker) -> None:
    import json

    from socialvalue.framework.services import (
        DEFAULT_DATA_FILE,
        framework_version_load,
        framework_version_publish,
    )

    tender = make_tender(status=S.DRAFT)
    old = tender.framework_version
    tender.menu.set(tender.menu.filter(code__in=["NT1", "NT4", "NT41"]))
    # A 2025 version without NT41 is published while the tender is still a draft.
    doc = json.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    doc["version"].update(slug="lancashire-toms-2025", name="Lancashire TOMs 2025", label="2025")
    for theme in doc["themes"]:
        for outcome in theme["outcomes"]:
            outcome["measures"] = [m for m in outcome["measures"] if m["code"] != "NT41"]
        theme["outcomes"] = [o for o in theme["outcomes"] if o["measures"]]
    new = framework_version_load(text=json.dumps(doc)).version
    framework_version_publish(version=new)

    opened = tender_open(tender=tender)

    assert opened.framework_version == new
    assert sorted(opened.menu.values_list("code", flat=True)) == ["NT1", "NT4"]
    assert set(opened.menu.values_list("version_id", flat=True)) == {new.pk}
    old.refresh_from_db()
    assert old.status == "retired"
