"""Offer services: drafting, the submission rules, receipts, withdrawing and resubmitting,
and every refusal after the deadline."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.procurement.models import Bid, Commitment, QualitativeResponse, Tender
from socialvalue.procurement.offers import services as offers
from socialvalue.procurement.offers.rules import (
    ERR_DEADLINE_PASSED,
    ERR_LINE_ANSWER_MISSING,
    ERR_LINE_MEASURE_NOT_ON_MENU,
    ERR_MEASURE_NOT_ON_MENU,
    ERR_MUST_STAY_COMPLETE,
    ERR_NO_COMMITMENTS,
    ERR_NOT_SUBMITTED,
    ERR_NOT_SUPPLIER_ORG,
    ERR_PRICE_MISSING,
    ERR_QUANTITY_NOT_POSITIVE,
    ERR_TENDER_NOT_OPEN,
    ERR_WITHDRAWN,
    OfferIncomplete,
    OfferLocked,
    bid_submission_problems,
    london_time,
    offer_changed_since_submission,
    offer_totals,
)
from socialvalue.procurement.offers.services import (
    bid_reopen,
    bid_replace_commitments,
    bid_start,
    bid_submit,
    bid_update,
    bid_withdraw,
    commitment_add,
    commitment_remove,
    commitment_update,
)
from socialvalue.procurement.offers.xlsx_import import OfferLine
from socialvalue.procurement.tests.conftest import TenderMaker
from socialvalue.procurement.tests.offers_support import ANSWERS, add_line, measure

RECEIPT = re.compile(r"^SV-LCC-T-001-[2-9A-HJKMNP-Z]{5}$")


@pytest.fixture
def tender(make_tender: TenderMaker) -> Tender:
    return make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(days=14))


@pytest.fixture
def bid(tender: Tender, supplier_bob: User) -> Bid:
    return bid_start(tender=tender, supplier=supplier_bob.organisation, by=supplier_bob)  # type: ignore[arg-type]


@pytest.fixture
def ready_bid(bid: Bid, supplier_bob: User) -> Bid:
    """A draft with a price and one complete commitment: ready to submit."""
    bid_update(bid=bid, by=supplier_bob, price=Decimal("1000000.00"))
    add_line(bid, supplier_bob, "NT1", "2.5")
    bid.refresh_from_db()
    return bid


# --- Starting and drafting ------------------------------------------------------------------


def test_it_starts_one_draft_per_supplier_and_returns_it_again(
    tender: Tender, supplier_bob: User
) -> None:
    first = bid_start(tender=tender, supplier=supplier_bob.organisation, by=supplier_bob)  # type: ignore[arg-type]
    again = bid_start(tender=tender, supplier=supplier_bob.organisation, by=supplier_bob)  # type: ignore[arg-type]
    assert first.pk == again.pk
    assert first.status == Bid.Status.DRAFT
    assert first.price is None
    assert Bid.objects.filter(tender=tender).count() == 1
    assert first.history.first().history_user == supplier_bob


@pytest.mark.parametrize(
    "status", [Tender.Status.DRAFT, Tender.Status.CLOSED, Tender.Status.CANCELLED]
)
def test_it_refuses_to_start_an_offer_in_a_tender_that_is_not_open(
    make_tender: TenderMaker, supplier_bob: User, status: str
) -> None:
    tender = make_tender(status=status)
    with pytest.raises(OfferLocked) as caught:
        bid_start(tender=tender, supplier=supplier_bob.organisation, by=supplier_bob)  # type: ignore[arg-type]
    assert caught.value.messages == [
        ERR_TENDER_NOT_OPEN.format(status=tender.get_status_display().lower())
    ]
    assert not Bid.objects.exists()


def test_it_refuses_to_start_an_offer_after_the_deadline(
    make_tender: TenderMaker, supplier_bob: User
) -> None:
    tender = make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(minutes=-5))
    with pytest.raises(OfferLocked) as caught:
        bid_start(tender=tender, supplier=supplier_bob.organisation, by=supplier_bob)  # type: ignore[arg-type]
    assert "has passed" in caught.value.messages[0]
    assert not Bid.objects.exists()


def test_it_refuses_an_offer_from_a_buying_organisation(
    tender: Tender, officer_alice: User, council: Organisation
) -> None:
    with pytest.raises(ValidationError) as caught:
        bid_start(tender=tender, supplier=council, by=officer_alice)
    assert caught.value.messages == [ERR_NOT_SUPPLIER_ORG]


def test_it_refuses_a_user_of_another_supplier(
    tender: Tender, supplier_carol: User, bobs_building: Organisation, bid: Bid
) -> None:
    with pytest.raises(PermissionDenied):
        bid_start(tender=tender, supplier=bobs_building, by=supplier_carol)
    with pytest.raises(PermissionDenied):
        bid_update(bid=bid, by=supplier_carol, price=Decimal("1.00"))
    with pytest.raises(PermissionDenied):
        add_line(bid, supplier_carol, "NT1", "1")
    assert not bid.commitments.exists()


def test_it_adds_a_commitment_with_its_delivery_plan_and_keeps_history(
    bid: Bid, supplier_bob: User
) -> None:
    commitment = add_line(bid, supplier_bob, "NT1", "2.5", target_district="E07000117")
    assert commitment.measure.code == "NT1"
    assert commitment.quantity == Decimal("2.5")
    assert commitment.target_district == "E07000117"
    assert commitment.order == 1
    assert commitment.response.activity == ANSWERS["activity"]
    assert commitment.response.timing == ANSWERS["timing"]
    assert commitment.history.first().history_user == supplier_bob
    assert commitment.response.history.first().history_user == supplier_bob
    second = add_line(bid, supplier_bob, "NT4", "0.5")
    assert second.order == 2


def test_it_refuses_a_measure_that_is_not_on_the_menu(
    make_tender: TenderMaker, toms: object, supplier_bob: User
) -> None:
    from socialvalue.framework.models import Measure

    narrow = list(Measure.objects.filter(version__slug="lancashire-toms-2024", code="NT1"))
    tender = make_tender(menu=narrow)
    bid = bid_start(tender=tender, supplier=supplier_bob.organisation, by=supplier_bob)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        add_line(bid, supplier_bob, "NT4", "1")
    assert caught.value.message_dict == {"measure": [ERR_MEASURE_NOT_ON_MENU.format(code="NT4")]}
    assert not bid.commitments.exists()


def test_it_lists_every_problem_with_a_commitment_and_saves_nothing(
    bid: Bid, supplier_bob: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        commitment_add(
            bid=bid,
            by=supplier_bob,
            measure=measure(bid.tender, "NT1"),
            quantity=Decimal(0),
            activity="  ",
            who_delivers="",
            timing="Quarterly",
            evidence="",
        )
    errors = caught.value.message_dict
    assert errors["quantity"] == [ERR_QUANTITY_NOT_POSITIVE]
    assert set(errors) == {"quantity", "activity", "who_delivers", "evidence"}
    assert not Commitment.objects.exists()
    assert not QualitativeResponse.objects.exists()


def test_it_changes_and_removes_a_commitment(bid: Bid, supplier_bob: User) -> None:
    commitment = add_line(bid, supplier_bob, "NT1", "2.5")
    commitment_update(
        commitment=commitment,
        by=supplier_bob,
        quantity=Decimal("3"),
        target_district="E07000123",
        evidence="Timesheets.",
    )
    commitment.refresh_from_db()
    assert commitment.quantity == Decimal("3")
    assert commitment.target_district == "E07000123"
    assert commitment.response.evidence == "Timesheets."
    assert commitment.response.activity == ANSWERS["activity"]
    assert commitment.history.count() == 2
    commitment_remove(commitment=commitment, by=supplier_bob)
    assert not bid.commitments.exists()
    assert Commitment.history.filter(id=commitment.pk, history_type="-").count() == 1


def test_it_values_the_offer_with_the_pinned_proxies(bid: Bid, supplier_bob: User) -> None:
    bid_update(bid=bid, by=supplier_bob, price=Decimal("1000000.00"))
    add_line(bid, supplier_bob, "NT1", "2.5")  # 2.5 × £31,285.00 = £78,212.50
    add_line(bid, supplier_bob, "NT15", "40")  # 40 × £101.00 = £4,040.00
    bid.refresh_from_db()
    totals = offer_totals(bid)
    assert totals.total_value == Decimal("82252.50")
    assert [(t.theme, t.value) for t in totals.by_theme] == [
        ("Employment and skills", Decimal("78212.50")),
        ("Economic prosperity", Decimal("4040.00")),
    ]
    # 82,252.50 / 1,000,000 × 100 = 8.22525%
    assert totals.sv_add_percent == Decimal("8.22525")


# --- Submitting -----------------------------------------------------------------------------


def test_it_refuses_to_submit_an_empty_offer_naming_each_problem(
    bid: Bid, supplier_bob: User
) -> None:
    with pytest.raises(OfferIncomplete) as caught:
        bid_submit(bid=bid, by=supplier_bob)
    assert caught.value.messages == [ERR_PRICE_MISSING, ERR_NO_COMMITMENTS]
    assert [p.loc for p in caught.value.problems] == [("price",), ("commitments",)]
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT
    assert bid.receipt_reference == ""
    assert mail.outbox == []


def test_it_refuses_to_submit_incomplete_answers_and_measures_off_the_menu(
    make_tender: TenderMaker, supplier_bob: User
) -> None:
    from socialvalue.framework.models import Measure

    tender = make_tender(menu=list(Measure.objects.filter(code__in=["NT1"])))
    bid = bid_start(tender=tender, supplier=supplier_bob.organisation, by=supplier_bob)  # type: ignore[arg-type]
    bid_update(bid=bid, by=supplier_bob, price=Decimal("500000"))
    add_line(bid, supplier_bob, "NT1", "1")
    # Made outside the services, as an old import might have left them.
    no_answers = Commitment.objects.create(
        bid=bid, measure=measure(tender, "NT1"), quantity=Decimal(2), order=2
    )
    off_menu = Commitment.objects.create(
        bid=bid, measure=measure(tender, "NT4"), quantity=Decimal(1), order=3
    )
    QualitativeResponse.objects.create(commitment=off_menu, **ANSWERS)
    bid.refresh_from_db()
    problems = bid_submission_problems(bid)
    assert [p.message for p in problems] == [
        ERR_LINE_ANSWER_MISSING.format(position=2, code="NT1", missing="say what you will do"),
        ERR_LINE_ANSWER_MISSING.format(position=2, code="NT1", missing="say who will deliver it"),
        ERR_LINE_ANSWER_MISSING.format(position=2, code="NT1", missing="say when it will happen"),
        ERR_LINE_ANSWER_MISSING.format(
            position=2, code="NT1", missing="say what evidence you will provide"
        ),
        ERR_LINE_MEASURE_NOT_ON_MENU.format(position=3, code="NT4"),
    ]
    assert [p.loc for p in problems] == [
        ("commitments", 1, "activity"),
        ("commitments", 1, "who_delivers"),
        ("commitments", 1, "when"),
        ("commitments", 1, "evidence"),
        ("commitments", 2, "measure"),
    ]
    assert problems[0].commitment_id == no_answers.pk
    with pytest.raises(OfferIncomplete):
        bid_submit(bid=bid, by=supplier_bob)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT


def test_it_submits_records_a_receipt_and_emails_it(ready_bid: Bid, supplier_bob: User) -> None:
    bid = bid_submit(bid=ready_bid, by=supplier_bob)
    assert bid.status == Bid.Status.SUBMITTED
    assert bid.submitted_by == supplier_bob
    assert bid.submitted_at is not None
    assert RECEIPT.match(bid.receipt_reference), bid.receipt_reference
    assert not offer_changed_since_submission(bid)
    stored = Bid.objects.get(pk=bid.pk)
    assert stored.receipt_reference == bid.receipt_reference
    assert stored.history.first().status == Bid.Status.SUBMITTED
    assert stored.history.first().history_user == supplier_bob

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["bob@bobsbuilding.example"]
    assert bid.receipt_reference in email.subject
    assert "LCC-T-001" in email.subject
    assert f"Receipt reference: {bid.receipt_reference}" in email.body
    assert "Bob's Building Ltd's social value offer has been received." in email.body
    assert "Bid price: £1,000,000.00" in email.body
    assert "Total social value: £78,212.50" in email.body
    assert "SV Add: 7.82% of the bid price" in email.body  # 78,212.50 / 1,000,000 = 7.82125%


def test_it_never_issues_the_same_receipt_reference_twice(
    make_tender: TenderMaker, supplier_bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    tender = make_tender(reference="LCC/T 9")
    picks = iter("22222" + "22222" + "33333")
    monkeypatch.setattr(offers.secrets, "choice", lambda alphabet: next(picks))
    first = bid_start(tender=tender, supplier=supplier_bob.organisation, by=supplier_bob)  # type: ignore[arg-type]
    bid_update(bid=first, by=supplier_bob, price=Decimal("10"))
    add_line(first, supplier_bob, "NT1", "1")
    first = bid_submit(bid=first, by=supplier_bob)
    assert first.receipt_reference == "SV-LCC-T-9-22222"
    again = bid_submit(bid=first, by=supplier_bob)
    # "22222" was issued before, so it is drawn again.
    assert again.receipt_reference == "SV-LCC-T-9-33333"


def test_it_refuses_to_submit_after_the_deadline_with_a_clear_message(
    ready_bid: Bid, supplier_bob: User
) -> None:
    later = ready_bid.tender.deadline + timedelta(seconds=1)
    with pytest.raises(OfferLocked) as caught:
        bid_submit(bid=ready_bid, by=supplier_bob, now=later)
    assert caught.value.messages == [
        ERR_DEADLINE_PASSED.format(deadline=london_time(ready_bid.tender.deadline))
    ]
    ready_bid.refresh_from_db()
    assert ready_bid.status == Bid.Status.DRAFT
    assert mail.outbox == []


def test_it_refuses_to_submit_exactly_at_the_deadline(ready_bid: Bid, supplier_bob: User) -> None:
    with pytest.raises(OfferLocked):
        bid_submit(bid=ready_bid, by=supplier_bob, now=ready_bid.tender.deadline)


def test_it_refuses_every_change_after_the_deadline(ready_bid: Bid, supplier_bob: User) -> None:
    later = ready_bid.tender.deadline + timedelta(hours=1)
    commitment = ready_bid.commitments.get()
    attempts = [
        lambda: bid_update(bid=ready_bid, by=supplier_bob, price=Decimal("2"), now=later),
        lambda: commitment_add(
            bid=ready_bid,
            by=supplier_bob,
            measure=measure(ready_bid.tender, "NT4"),
            quantity=Decimal(1),
            now=later,
            **ANSWERS,
        ),
        lambda: commitment_update(
            commitment=commitment, by=supplier_bob, quantity=Decimal(9), now=later
        ),
        lambda: commitment_remove(commitment=commitment, by=supplier_bob, now=later),
        lambda: bid_replace_commitments(bid=ready_bid, lines=[], by=supplier_bob, now=later),
        lambda: bid_withdraw(bid=ready_bid, by=supplier_bob, now=later),
    ]
    for attempt in attempts:
        with pytest.raises(OfferLocked) as caught:
            attempt()
        assert "has passed, so this offer can no longer be changed" in caught.value.messages[0]
    ready_bid.refresh_from_db()
    assert ready_bid.price == Decimal("1000000.00")
    assert list(ready_bid.commitments.values_list("quantity", flat=True)) == [Decimal("2.5")]


def test_it_refuses_to_change_an_offer_in_a_closed_tender(
    ready_bid: Bid, supplier_bob: User
) -> None:
    Tender.objects.filter(pk=ready_bid.tender_id).update(status=Tender.Status.CLOSED)
    ready_bid.refresh_from_db()
    with pytest.raises(OfferLocked) as caught:
        bid_submit(bid=ready_bid, by=supplier_bob)
    assert caught.value.messages == [ERR_TENDER_NOT_OPEN.format(status="closed")]


# --- Changing a submitted offer -------------------------------------------------------------


def test_it_keeps_a_changed_offer_submitted_and_a_new_receipt_covers_the_change(
    ready_bid: Bid, supplier_bob: User
) -> None:
    submitted = bid_submit(bid=ready_bid, by=supplier_bob)
    first_receipt = submitted.receipt_reference
    add_line(submitted, supplier_bob, "NT4", "0.5")
    submitted.refresh_from_db()
    assert submitted.status == Bid.Status.SUBMITTED
    assert submitted.receipt_reference == first_receipt
    assert offer_changed_since_submission(submitted)

    resubmitted = bid_submit(bid=submitted, by=supplier_bob)
    assert resubmitted.status == Bid.Status.SUBMITTED
    assert resubmitted.receipt_reference != first_receipt
    assert RECEIPT.match(resubmitted.receipt_reference)
    assert not offer_changed_since_submission(Bid.objects.get(pk=resubmitted.pk))
    assert len(mail.outbox) == 2
    assert resubmitted.receipt_reference in mail.outbox[1].subject
    # 78,212.50 + 0.5 × 15,382.90 = 78,212.50 + 7,691.45 = 85,903.95
    assert "Total social value: £85,903.95" in mail.outbox[1].body
    references = set(
        Bid.history.filter(id=resubmitted.pk).values_list("receipt_reference", flat=True)
    )
    assert {first_receipt, resubmitted.receipt_reference} <= references


def test_it_keeps_a_submitted_offer_complete(ready_bid: Bid, supplier_bob: User) -> None:
    submitted = bid_submit(bid=ready_bid, by=supplier_bob)
    only = submitted.commitments.get()
    with pytest.raises(ValidationError) as caught:
        commitment_remove(commitment=only, by=supplier_bob)
    assert caught.value.messages == [ERR_MUST_STAY_COMPLETE.format(problem=ERR_NO_COMMITMENTS)]
    with pytest.raises(ValidationError):
        bid_update(bid=submitted, by=supplier_bob, price=None)
    submitted.refresh_from_db()
    assert submitted.commitments.count() == 1
    assert submitted.price == Decimal("1000000.00")
    assert not offer_changed_since_submission(submitted)


def test_it_lets_a_draft_clear_its_price(bid: Bid, supplier_bob: User) -> None:
    bid_update(bid=bid, by=supplier_bob, price=Decimal("5"))
    bid_update(bid=bid, by=supplier_bob, price=None)
    bid.refresh_from_db()
    assert bid.price is None


# --- Withdrawing and reopening --------------------------------------------------------------


def test_it_withdraws_reopens_and_resubmits_before_the_deadline(
    ready_bid: Bid, supplier_bob: User
) -> None:
    submitted = bid_submit(bid=ready_bid, by=supplier_bob)
    first_receipt = submitted.receipt_reference
    withdrawn = bid_withdraw(bid=submitted, by=supplier_bob)
    assert withdrawn.status == Bid.Status.WITHDRAWN
    assert withdrawn.withdrawn_at is not None
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("Offer withdrawn: LCC-T-001")
    assert "It will not be evaluated." in mail.outbox[1].body

    with pytest.raises(OfferLocked) as caught:
        add_line(withdrawn, supplier_bob, "NT4", "1")
    assert caught.value.messages == [ERR_WITHDRAWN]
    with pytest.raises(OfferLocked):
        bid_submit(bid=withdrawn, by=supplier_bob)

    draft = bid_reopen(bid=withdrawn, by=supplier_bob)
    assert draft.status == Bid.Status.DRAFT
    assert draft.receipt_reference == ""
    assert draft.withdrawn_at is None

    again = bid_submit(bid=draft, by=supplier_bob)
    assert again.status == Bid.Status.SUBMITTED
    assert again.receipt_reference not in ("", first_receipt)
    assert len(mail.outbox) == 3
    statuses = list(
        Bid.history.filter(id=again.pk).order_by("history_date").values_list("status", flat=True)
    )
    assert statuses[-4:] == ["submitted", "withdrawn", "draft", "submitted"]


def test_it_only_withdraws_a_submitted_offer(bid: Bid, supplier_bob: User) -> None:
    with pytest.raises(OfferLocked) as caught:
        bid_withdraw(bid=bid, by=supplier_bob)
    assert caught.value.messages == [ERR_NOT_SUBMITTED.format(status="draft")]


def test_it_cannot_reopen_a_withdrawn_offer_after_the_deadline(
    ready_bid: Bid, supplier_bob: User
) -> None:
    withdrawn = bid_withdraw(bid=bid_submit(bid=ready_bid, by=supplier_bob), by=supplier_bob)
    later = ready_bid.tender.deadline + timedelta(minutes=1)
    with pytest.raises(OfferLocked) as caught:
        bid_reopen(bid=withdrawn, by=supplier_bob, now=later)
    assert "has passed" in caught.value.messages[0]


# --- Replacing every commitment (template uploads and the API) ------------------------------


def _line(tender: Tender, row: int, code: str, quantity: str, **fields: str) -> OfferLine:
    values = {**ANSWERS, "target_district": "", **fields}
    return OfferLine(row=row, measure=measure(tender, code), quantity=Decimal(quantity), **values)


def test_it_replaces_every_commitment_at_once(bid: Bid, supplier_bob: User) -> None:
    add_line(bid, supplier_bob, "NT15", "10")
    saved = bid_replace_commitments(
        bid=bid,
        by=supplier_bob,
        lines=[
            _line(bid.tender, 9, "NT1", "2.5", target_district="E07000117"),
            _line(bid.tender, 12, "NT4", "0.5"),
        ],
    )
    assert [(c.measure.code, c.quantity, c.order) for c in saved] == [
        ("NT1", Decimal("2.5"), 1),
        ("NT4", Decimal("0.5"), 2),
    ]
    assert list(bid.commitments.order_by("order").values_list("measure__code", flat=True)) == [
        "NT1",
        "NT4",
    ]
    assert QualitativeResponse.objects.filter(commitment__bid=bid).count() == 2


def test_it_replaces_nothing_when_one_line_is_wrong(bid: Bid, supplier_bob: User) -> None:
    add_line(bid, supplier_bob, "NT15", "10")
    with pytest.raises(ValidationError) as caught:
        bid_replace_commitments(
            bid=bid,
            by=supplier_bob,
            lines=[_line(bid.tender, 9, "NT1", "2.5"), _line(bid.tender, 12, "NT4", "0")],
        )
    assert caught.value.messages == ["Row 12 (NT4): Enter a quantity of more than 0."]
    assert list(bid.commitments.values_list("measure__code", flat=True)) == ["NT15"]


# --- Dates in plain English -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 3, 13, 17, 0, tzinfo=UTC), "5pm on Friday 13 March 2026"),
        (datetime(2026, 6, 1, 11, 30, tzinfo=UTC), "12:30pm on Monday 1 June 2026"),  # BST
        (datetime(2026, 1, 5, 12, 0, tzinfo=UTC), "midday on Monday 5 January 2026"),
        (datetime(2026, 1, 5, 0, 0, tzinfo=UTC), "midnight on Monday 5 January 2026"),
        (datetime(2026, 1, 5, 9, 5, tzinfo=UTC), "9:05am on Monday 5 January 2026"),
    ],
)
def test_it_writes_times_as_people_read_them_in_london(moment: datetime, text: str) -> None:
    assert london_time(moment) == text


def test_it_counts_the_submission_time_given(ready_bid: Bid, supplier_bob: User) -> None:
    moment = timezone.now() - timedelta(minutes=10)
    bid = bid_submit(bid=ready_bid, by=supplier_bob, now=moment)
    assert bid.submitted_at == moment
