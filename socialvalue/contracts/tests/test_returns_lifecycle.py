"""The life of a quarterly return and its lines: opened automatically, filled in, submitted
once the quarter has ended, then verified, queried (and answered) or rejected line by line.
Every allowed step works and is recorded; every other step is refused and changes nothing."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.contracts.models import (
    Contract,
    LineEvent,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import (
    ERR_ANSWER_REQUIRED,
    ERR_DISTRICT,
    ERR_MESSAGE_REQUIRED,
    ERR_NOTHING,
    ERR_QUANTITY_LARGE,
    ERR_QUANTITY_NEGATIVE,
    ERR_QUANTITY_NUMBER,
    ERR_QUANTITY_PRECISE,
    ERR_REASON_REQUIRED,
    ERR_RETURN_SUBMITTED,
    LineInput,
    ReturnLocked,
    line_add,
    line_answer,
    line_delete,
    line_query,
    line_reject,
    line_update,
    line_verify,
    return_submit,
    returns_open,
)
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.geography import District
from socialvalue.core.quarters import Quarter
from socialvalue.framework.models import Measure
from socialvalue.framework.tests.conftest import framework_doc, load_doc, measure_doc

D = Decimal
S = ReturnLine.Status
A = LineEvent.Action
MakeReturn = Callable[[Organisation, ReportingPeriod], Return]
AddLine = Callable[..., ReturnLine]


# --- Opening returns ------------------------------------------------------------------------


def open_slugs(supplier: Organisation) -> list[str]:
    return [r.period.slug for r in Return.objects.filter(supplier=supplier).order_by("period")]


@pytest.fixture
def contracts_2025(
    make_contract: ContractMaker,
    blackpool: Organisation,
    carols_care: Organisation,
) -> None:
    """Bob's Building holds a council contract (April to December 2025) and a Blackpool one
    (October 2025 to September 2026). Carol's Care held a council contract in April to June
    2025 and another from mid-November 2025, and has a third starting in April 2026."""
    make_contract(reference="LCC-A", start=date(2025, 4, 1), end=date(2025, 12, 31))
    make_contract(
        reference="BPL-B", organisation=blackpool, start=date(2025, 10, 1), end=date(2026, 9, 30)
    )
    make_contract(
        reference="LCC-C1", supplier=carols_care, start=date(2025, 4, 1), end=date(2025, 6, 30)
    )
    make_contract(
        reference="LCC-C2", supplier=carols_care, start=date(2025, 11, 15), end=date(2026, 3, 31)
    )
    make_contract(
        reference="LCC-C3", supplier=carols_care, start=date(2026, 4, 1), end=date(2027, 3, 31)
    )


@pytest.mark.usefixtures("contracts_2025")
def test_it_opens_one_return_per_supplier_per_quarter_up_to_the_current_one(
    bobs_building: Organisation, carols_care: Organisation
) -> None:
    # 10 February 2026 is in Q4 2025-26. Bob: Q1–Q4 (one return for Q3, although two
    # buyers' contracts ran in it). Carol: Q1, Q3 and Q4 — no contract ran in Q2.
    assert returns_open(today=date(2026, 2, 10)) == 7
    assert open_slugs(bobs_building) == ["2025-q1", "2025-q2", "2025-q3", "2025-q4"]
    assert open_slugs(carols_care) == ["2025-q1", "2025-q3", "2025-q4"]
    assert set(Return.objects.values_list("status", flat=True)) == {Return.Status.DRAFT}


@pytest.mark.usefixtures("contracts_2025")
def test_it_opens_returns_idempotently(
    bobs_building: Organisation, carols_care: Organisation
) -> None:
    assert returns_open(today=date(2026, 2, 10)) == 7
    assert returns_open(today=date(2026, 2, 10)) == 0
    # In Q1 2026-27 Bob's Blackpool contract and Carol's third contract are running.
    assert returns_open(today=date(2026, 5, 1)) == 2
    assert open_slugs(bobs_building)[-1] == open_slugs(carols_care)[-1] == "2026-q1"
    assert Return.objects.count() == 9


@pytest.mark.usefixtures("contracts_2025")
def test_it_opens_the_returns_of_one_supplier(
    bobs_building: Organisation, carols_care: Organisation
) -> None:
    assert returns_open(today=date(2026, 2, 10), supplier=carols_care) == 3
    assert open_slugs(bobs_building) == []


@pytest.mark.usefixtures("toms")
def test_it_opens_nothing_without_contracts() -> None:
    assert returns_open(today=date(2026, 2, 10)) == 0


# --- The cast of a return -------------------------------------------------------------------


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    """The council's contract with Bob's Building, running from a year before last quarter
    to a year after it."""
    return make_contract()


@pytest.fixture
def bobs_return(
    contract: Contract,
    bobs_building: Organisation,
    last_period: ReportingPeriod,
    make_return: MakeReturn,
) -> Return:
    """Bob's return for last quarter (which has ended, so it can be submitted)."""
    return make_return(bobs_building, last_period)


@pytest.fixture
def line(
    bobs_return: Return, contract: Contract, add_line: AddLine, supplier_bob: User
) -> ReturnLine:
    return add_line(
        bobs_return, contract, "NT1", "1.5", narrative="Two apprentices", by=supplier_bob
    )


def submitted(line: ReturnLine, by: User) -> ReturnLine:
    return_submit(line.return_record, by=by)
    line.refresh_from_db()
    return line


def line_in(status: str, line: ReturnLine, supplier: User, officer: User) -> ReturnLine:
    """``line`` moved to ``status`` through the services."""
    if status == S.DRAFT:
        return line
    submitted(line, supplier)
    if status == S.VERIFIED:
        line_verify(line, by=officer)
    elif status == S.QUERIED:
        line_query(line, by=officer, message="Please send the payroll records.")
    elif status == S.REJECTED:
        line_reject(line, by=officer, message="These roles are not on this contract.")
    line.refresh_from_db()
    assert line.status == status
    return line


def snapshot(return_record: Return) -> tuple[Any, ...]:
    return_record = Return.objects.get(pk=return_record.pk)
    return (
        return_record.status,
        return_record.is_nil,
        return_record.submitted_at,
        list(
            ReturnLine.objects.filter(return_record=return_record).values_list(
                "pk", "contract", "measure", "quantity", "district", "narrative", "status"
            )
        ),
        LineEvent.objects.count(),
    )


def data(contract: Contract, code: str = "NT1", quantity: str = "1.5", **changes: Any) -> LineInput:
    measure = Measure.objects.get(version=contract.framework_version, code=code)
    fields: dict[str, Any] = {
        "contract": contract,
        "measure": measure,
        "quantity": D(quantity),
        "district": District.PRESTON.value,
        "narrative": "Two apprentices",
    }
    fields.update(changes)
    return LineInput(**fields)


# --- Allowed steps --------------------------------------------------------------------------


def test_it_submits_a_return_and_sends_every_line_for_verification(
    bobs_return: Return, contract: Contract, add_line: AddLine, supplier_bob: User
) -> None:
    add_line(bobs_return, contract, "NT1", "1.5", by=supplier_bob)
    add_line(bobs_return, contract, "NT18", "12000", by=supplier_bob)

    return_submit(bobs_return, by=supplier_bob)

    bobs_return.refresh_from_db()
    assert bobs_return.status == Return.Status.SUBMITTED
    assert bobs_return.submitted_by == supplier_bob
    assert bobs_return.submitted_at is not None
    assert bobs_return.submitted_on_time is (timezone.localdate() <= bobs_return.period.due_date)
    assert bobs_return.is_nil is False
    assert set(bobs_return.lines.values_list("status", flat=True)) == {S.SUBMITTED}
    assert LineEvent.objects.filter(action=A.SUBMITTED, by=supplier_bob).count() == 2


def test_it_submits_a_return_from_the_day_after_the_quarter_ends(
    bobs_return: Return, line: ReturnLine, last_period: ReportingPeriod
) -> None:
    with pytest.raises(ValidationError):
        return_submit(bobs_return, today=last_period.end_date)
    return_submit(bobs_return, today=last_period.end_date + timedelta(days=1))
    bobs_return.refresh_from_db()
    assert bobs_return.status == Return.Status.SUBMITTED


def test_it_submits_a_nil_return(bobs_return: Return, supplier_bob: User) -> None:
    return_submit(bobs_return, by=supplier_bob, nil=True)
    bobs_return.refresh_from_db()
    assert (bobs_return.status, bobs_return.is_nil) == (Return.Status.SUBMITTED, True)


@pytest.mark.parametrize(
    ("decide", "status"),
    [
        (lambda line, by: line_verify(line, by=by), S.VERIFIED),
        (lambda line, by: line_query(line, by=by, message="Which district?"), S.QUERIED),
        (lambda line, by: line_reject(line, by=by, message="Not this contract."), S.REJECTED),
    ],
    ids=["verify", "query", "reject"],
)
@pytest.mark.parametrize("officer", ["officer_alice", "evaluator_erin", "lead_lucy"])
def test_it_lets_the_buyers_staff_decide_a_submitted_line(
    line: ReturnLine,
    supplier_bob: User,
    request: pytest.FixtureRequest,
    officer: str,
    decide: Callable[[ReturnLine, User], ReturnLine],
    status: str,
) -> None:
    by = request.getfixturevalue(officer)
    submitted(line, supplier_bob)
    decide(line, by)
    line.refresh_from_db()
    assert line.status == status
    event = line.events.last()
    assert event is not None
    assert (event.from_status, event.to_status, event.by) == (S.SUBMITTED, status, by)


def test_it_lets_the_supplier_change_a_draft_line(
    line: ReturnLine, contract: Contract, supplier_bob: User
) -> None:
    line_update(
        line, data(contract, quantity="2", district=District.CHORLEY.value), by=supplier_bob
    )
    line.refresh_from_db()
    assert (line.quantity, line.district, line.status) == (D("2"), District.CHORLEY, S.DRAFT)
    event = line.events.last()
    assert event is not None
    assert (event.action, event.by) == (A.CHANGED, supplier_bob)
    assert event.message == "quantity 1.5 → 2; district Preston → Chorley"


def test_it_records_nothing_when_a_line_is_saved_unchanged(
    line: ReturnLine, contract: Contract
) -> None:
    line_update(line, data(contract))
    assert list(line.events.values_list("action", flat=True)) == [A.CREATED]


def test_it_deletes_a_draft_line(line: ReturnLine, supplier_bob: User) -> None:
    line_delete(line, by=supplier_bob)
    assert not ReturnLine.objects.exists()


def test_it_takes_a_query_answer_and_keeps_the_whole_history(
    line: ReturnLine, contract: Contract, supplier_bob: User, officer_alice: User
) -> None:
    submitted(line, supplier_bob)
    line_query(line, by=officer_alice, message="  Was the second apprentice full time?  ")
    line_update(line, data(contract, quantity="1.2"), by=supplier_bob)
    line_answer(line, by=supplier_bob, message="No: 0.7 FTE. Quantity corrected.")
    line_verify(line, by=officer_alice, message="Payroll seen.")

    line.refresh_from_db()
    assert (line.status, line.quantity) == (S.VERIFIED, D("1.2"))
    events = list(line.events.all())
    assert [(e.action, e.from_status, e.to_status, e.by, e.message) for e in events] == [
        (A.CREATED, "", S.DRAFT, supplier_bob, ""),
        (A.SUBMITTED, S.DRAFT, S.SUBMITTED, supplier_bob, ""),
        (A.QUERIED, S.SUBMITTED, S.QUERIED, officer_alice, "Was the second apprentice full time?"),
        (A.CHANGED, S.QUERIED, S.QUERIED, supplier_bob, "quantity 1.5 → 1.2"),
        (A.RESUBMITTED, S.QUERIED, S.SUBMITTED, supplier_bob, "No: 0.7 FTE. Quantity corrected."),
        (A.VERIFIED, S.SUBMITTED, S.VERIFIED, officer_alice, "Payroll seen."),
    ]
    times = [e.at for e in events]
    assert times == sorted(times)


def test_it_emails_the_suppliers_users_when_a_line_is_queried_or_rejected(
    bobs_return: Return,
    contract: Contract,
    add_line: AddLine,
    supplier_bob: User,
    supplier_carol: User,
    officer_alice: User,
    bobs_building: Organisation,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    UserFactory.create(
        email="bea@bobsbuilding.example", role=User.Role.SUPPLIER, organisation=bobs_building
    )
    UserFactory.create(
        email="gone@bobsbuilding.example",
        role=User.Role.SUPPLIER,
        organisation=bobs_building,
        is_active=False,
    )
    queried = add_line(bobs_return, contract, "NT1", "1.5")
    rejected = add_line(bobs_return, contract, "NT18", "12000")
    return_submit(bobs_return, by=supplier_bob)

    with django_capture_on_commit_callbacks(execute=True):
        line_query(queried, by=officer_alice, message="Please send the payroll records.")
    with django_capture_on_commit_callbacks(execute=True):
        line_reject(rejected, by=officer_alice, message="This spend was before the contract.")
    with django_capture_on_commit_callbacks(execute=True):
        line_answer(queried, by=supplier_bob, message="Attached.")

    period = bobs_return.period
    assert [(m.subject, sorted(m.to)) for m in mailoutbox] == [
        (
            f"Social value return {period.short_label}: LCC-TEST-001 NT1 queried",
            ["bea@bobsbuilding.example", "bob@bobsbuilding.example"],
        ),
        (
            f"Social value return {period.short_label}: LCC-TEST-001 NT18 rejected",
            ["bea@bobsbuilding.example", "bob@bobsbuilding.example"],
        ),
    ]
    assert "Please send the payroll records." in mailoutbox[0].body
    assert f"/returns/{bobs_return.pk}/" in mailoutbox[0].body
    assert "This spend was before the contract." in mailoutbox[1].body
    assert "Lancashire County Council has rejected a line" in mailoutbox[1].body


# --- Refused steps: each one changes nothing ------------------------------------------------


def refused(
    return_record: Return, step: Callable[[], object], exc: type[Exception] = ValidationError
) -> ValidationError:
    before = snapshot(return_record)
    with pytest.raises(exc) as caught:
        step()
    assert snapshot(return_record) == before, "a refused step must change nothing"
    assert isinstance(caught.value, ValidationError)
    return caught.value


def test_it_refuses_to_submit_before_the_quarter_has_ended(
    contract: Contract,
    bobs_building: Organisation,
    make_return: MakeReturn,
    add_line: AddLine,
    this_quarter: Quarter,
) -> None:
    this_return = make_return(bobs_building, period_for(this_quarter))
    add_line(this_return, contract, "NT1", "1")
    error = refused(this_return, lambda: return_submit(this_return))
    day = this_quarter.end + timedelta(days=1)
    assert error.messages == [
        f"You can submit the return for {this_quarter.short_label} from "
        f"{day.day} {day:%B %Y}, once the quarter has ended."
    ]
    refused(this_return, lambda: return_submit(this_return, nil=True, today=this_quarter.end))


def test_it_refuses_to_submit_twice(bobs_return: Return, line: ReturnLine) -> None:
    return_submit(bobs_return)
    again = refused(bobs_return, lambda: return_submit(bobs_return), ReturnLocked)
    as_nil = refused(bobs_return, lambda: return_submit(bobs_return, nil=True), ReturnLocked)
    assert again.messages == as_nil.messages == [ERR_RETURN_SUBMITTED]


def test_it_refuses_an_empty_return_unless_it_is_nil(bobs_return: Return) -> None:
    assert refused(bobs_return, lambda: return_submit(bobs_return)).messages == [ERR_NOTHING]


def test_it_refuses_a_nil_return_with_lines(bobs_return: Return, line: ReturnLine) -> None:
    assert refused(bobs_return, lambda: return_submit(bobs_return, nil=True)).messages == [
        "A nil return has nothing to report, but this return has 1 line(s). Delete them or "
        "submit the lines instead."
    ]


@pytest.mark.parametrize("nil", [False, True])
def test_it_refuses_new_lines_after_submission(
    bobs_return: Return, contract: Contract, add_line: AddLine, nil: bool
) -> None:
    if not nil:
        add_line(bobs_return, contract, "NT1", "1")
    return_submit(bobs_return, nil=nil)
    error = refused(bobs_return, lambda: line_add(bobs_return, data(contract)), ReturnLocked)
    assert error.messages == [ERR_RETURN_SUBMITTED]


@pytest.mark.parametrize(
    ("status", "shown"),
    [(S.SUBMITTED, "awaiting verification"), (S.VERIFIED, "verified"), (S.REJECTED, "rejected")],
)
def test_it_refuses_to_change_or_delete_a_line_that_has_left_the_supplier(
    line: ReturnLine,
    contract: Contract,
    supplier_bob: User,
    officer_alice: User,
    status: str,
    shown: str,
) -> None:
    line = line_in(status, line, supplier_bob, officer_alice)
    message = f"This line is {shown}, so it can no longer be changed."
    record = line.return_record
    update = refused(record, lambda: line_update(line, data(contract, quantity="9")), ReturnLocked)
    delete = refused(record, lambda: line_delete(line), ReturnLocked)
    assert update.messages == delete.messages == [message]


def test_it_refuses_to_delete_a_queried_line(
    line: ReturnLine, supplier_bob: User, officer_alice: User
) -> None:
    # A queried line can be changed and answered, but it stays on the return.
    line = line_in(S.QUERIED, line, supplier_bob, officer_alice)
    error = refused(line.return_record, lambda: line_delete(line), ReturnLocked)
    assert error.messages == ["This line is queried, so it can no longer be changed."]


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (S.DRAFT, "draft"),
        (S.QUERIED, "queried"),
        (S.VERIFIED, "verified"),
        (S.REJECTED, "rejected"),
    ],
)
def test_it_decides_only_lines_awaiting_verification(
    line: ReturnLine, supplier_bob: User, officer_alice: User, status: str, shown: str
) -> None:
    line = line_in(status, line, supplier_bob, officer_alice)
    steps = {
        "verified": lambda: line_verify(line, by=officer_alice),
        "queried": lambda: line_query(line, by=officer_alice, message="Why?"),
        "rejected": lambda: line_reject(line, by=officer_alice, message="No."),
    }
    for verb, step in steps.items():
        error = refused(line.return_record, step)
        assert error.messages == [
            f"Only a line awaiting verification can be {verb}; this one is {shown}."
        ]


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (S.DRAFT, "draft"),
        (S.SUBMITTED, "awaiting verification"),
        (S.VERIFIED, "verified"),
        (S.REJECTED, "rejected"),
    ],
)
def test_it_answers_only_queried_lines(
    line: ReturnLine, supplier_bob: User, officer_alice: User, status: str, shown: str
) -> None:
    line = line_in(status, line, supplier_bob, officer_alice)
    error = refused(line.return_record, lambda: line_answer(line, by=supplier_bob, message="Done."))
    assert error.messages == [f"Only a queried line can be answered; this one is {shown}."]


@pytest.mark.parametrize("message", ["", "   \n "])
def test_it_refuses_a_query_rejection_or_answer_without_a_message(
    line: ReturnLine, supplier_bob: User, officer_alice: User, message: str
) -> None:
    submitted(line, supplier_bob)
    record = line.return_record
    query = refused(record, lambda: line_query(line, by=officer_alice, message=message))
    reject = refused(record, lambda: line_reject(line, by=officer_alice, message=message))
    assert query.message_dict == {"message": [ERR_MESSAGE_REQUIRED]}
    assert reject.message_dict == {"message": [ERR_REASON_REQUIRED]}

    line_query(line, by=officer_alice, message="Which district?")
    answer = refused(record, lambda: line_answer(line, by=supplier_bob, message=message))
    assert answer.message_dict == {"message": [ERR_ANSWER_REQUIRED]}


@pytest.mark.parametrize("who", ["supplier_bob", "supplier_carol", "officer_olga"])
def test_it_lets_only_the_buyers_staff_decide(
    line: ReturnLine, supplier_bob: User, request: pytest.FixtureRequest, who: str
) -> None:
    by = request.getfixturevalue(who)
    submitted(line, supplier_bob)
    for step in (
        lambda: line_verify(line, by=by),
        lambda: line_query(line, by=by, message="Why?"),
        lambda: line_reject(line, by=by, message="No."),
    ):
        error = refused(line.return_record, step)
        assert error.messages == [
            "Only Lancashire County Council's staff can verify lines of its contracts."
        ]


def test_it_lets_each_buyer_decide_only_its_own_lines_of_a_shared_return(
    bobs_return: Return,
    contract: Contract,
    make_contract: ContractMaker,
    blackpool: Organisation,
    add_line: AddLine,
    officer_alice: User,
    officer_olga: User,
) -> None:
    blackpools = make_contract(reference="BPL-001", organisation=blackpool)
    councils_line = add_line(bobs_return, contract, "NT1", "1")
    blackpools_line = add_line(bobs_return, blackpools, "NT1", "2")
    return_submit(bobs_return)

    line_verify(blackpools_line, by=officer_olga)
    refused(bobs_return, lambda: line_verify(councils_line, by=officer_olga))
    with pytest.raises(ValidationError):
        line_verify(blackpools_line, by=officer_alice)
    line_verify(councils_line, by=officer_alice)
    assert set(bobs_return.lines.values_list("status", flat=True)) == {S.VERIFIED}


# --- Refused lines ----------------------------------------------------------------------------


@pytest.fixture
def bad_lines(
    contract: Contract,
    make_contract: ContractMaker,
    carols_care: Organisation,
    last_quarter: Quarter,
) -> dict[str, tuple[LineInput, dict[str, list[str]]]]:
    """Each bad line and the errors it gets, for Bob's return for last quarter."""
    short = last_quarter.short_label
    carols = make_contract(reference="LCC-CARE-1", supplier=carols_care)
    before = last_quarter.previous()
    ended = make_contract(reference="LCC-OLD-1", start=before.start, end=before.end)
    other = load_doc(framework_doc("test-toms-1", [measure_doc("NT1", "100.00")]))
    other_nt1 = Measure.objects.get(version=other, code="NT1")
    return {
        "another supplier's contract": (
            data(carols),
            {"contract": [f"LCC-CARE-1 is not one of Bob's Building Ltd's contracts in {short}."]},
        ),
        "a contract outside the quarter": (
            data(ended),
            {"contract": [f"LCC-OLD-1 is not one of Bob's Building Ltd's contracts in {short}."]},
        ),
        "a measure of another framework": (
            data(contract, measure=other_nt1),
            {
                "measure": [
                    "NT1 is not a measure of Lancashire TOMs 2024, the framework of contract "
                    "LCC-TEST-001."
                ]
            },
        ),
        "a negative quantity": (
            data(contract, quantity="-0.5"),
            {"quantity": [ERR_QUANTITY_NEGATIVE]},
        ),
        "7 decimal places": (
            data(contract, quantity="1.0000001"),
            {"quantity": [ERR_QUANTITY_PRECISE]},
        ),
        "one millionth over the limit": (
            data(contract, quantity="1000000000"),
            {"quantity": ["The quantity must be 999,999,999.999999 or less."]},
        ),
        "16 digits": (
            data(contract, quantity="1000000000000000"),
            {"quantity": [ERR_QUANTITY_LARGE]},
        ),
        "infinite": (data(contract, quantity="Infinity"), {"quantity": [ERR_QUANTITY_LARGE]}),
        "not a number": (data(contract, quantity="NaN"), {"quantity": [ERR_QUANTITY_NUMBER]}),
        "an unknown district": (data(contract, district="E07000999"), {"district": [ERR_DISTRICT]}),
        "no district": (data(contract, district=""), {"district": [ERR_DISTRICT]}),
    }


BAD_LINES = [
    "another supplier's contract",
    "a contract outside the quarter",
    "a measure of another framework",
    "a negative quantity",
    "7 decimal places",
    "one millionth over the limit",
    "16 digits",
    "infinite",
    "not a number",
    "an unknown district",
    "no district",
]


@pytest.mark.parametrize("case", BAD_LINES)
def test_it_refuses_a_bad_line(
    bobs_return: Return,
    bad_lines: dict[str, tuple[LineInput, dict[str, list[str]]]],
    case: str,
) -> None:
    bad, errors = bad_lines[case]
    assert refused(bobs_return, lambda: line_add(bobs_return, bad)).message_dict == errors


@pytest.mark.parametrize("status", [S.DRAFT, S.QUERIED])
@pytest.mark.parametrize("case", BAD_LINES)
def test_it_refuses_a_bad_change_to_a_line(
    line: ReturnLine,
    supplier_bob: User,
    officer_alice: User,
    bad_lines: dict[str, tuple[LineInput, dict[str, list[str]]]],
    case: str,
    status: str,
) -> None:
    line = line_in(status, line, supplier_bob, officer_alice)
    bad, errors = bad_lines[case]
    assert refused(line.return_record, lambda: line_update(line, bad)).message_dict == errors


def test_it_accepts_a_line_in_every_district_and_outside_lancashire(
    bobs_return: Return, contract: Contract
) -> None:
    for district in District:
        line_add(bobs_return, data(contract, quantity="0", district=district.value))
    assert bobs_return.lines.count() == 15


def test_it_accepts_six_decimal_places_and_fifteen_digits(
    bobs_return: Return, contract: Contract
) -> None:
    line_add(bobs_return, data(contract, quantity="0.000001"))
    line_add(bobs_return, data(contract, "NT18", quantity="999999999.999999"))
    assert sorted(bobs_return.lines.values_list("quantity", flat=True)) == [
        D("0.000001"),
        D("999999999.999999"),
    ]


def test_it_refuses_a_line_in_another_suppliers_return(
    contract: Contract,
    carols_care: Organisation,
    last_period: ReportingPeriod,
    make_return: MakeReturn,
) -> None:
    carols_return = make_return(carols_care, last_period)
    error = refused(carols_return, lambda: line_add(carols_return, data(contract)))
    assert list(error.message_dict) == ["contract"]
