"""``socialvalue send_return_reminders``: due soon, then overdue, each once per return.

Worked example used throughout: Bob's Building holds a council contract from 1 April 2025.
Q1 2025-26 ends on 30 June 2025, so its return is due 30 days later, on 30 July 2025. With
the default first reminder of 7 days, "due soon" runs from 23 July to 30 July inclusive and
"overdue" from 31 July.
"""

from collections.abc import Callable
from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.contracts.models import (
    Contract,
    ReminderSent,
    ReportingPeriod,
    ReportingSettings,
    Return,
)
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.reminders import reminder_stage
from socialvalue.contracts.returns import return_submit
from socialvalue.contracts.services import contract_close
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.quarters import Quarter

Q1 = Quarter(2025, 1)
DUE = date(2025, 7, 30)
NOTHING = "Reminders: 0 due soon, 0 overdue, 0 already sent, 0 without recipients, 0 failed."


def remind(*args: str) -> str:
    out = StringIO()
    call_command("send_return_reminders", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def highways(make_contract: ContractMaker) -> Contract:
    return make_contract(
        reference="LCC-2025-101",
        title="Highways maintenance",
        start=date(2025, 4, 1),
        end=date(2027, 3, 31),
    )


@pytest.fixture
def q1_return(highways: Contract) -> Return:
    """Opened by the first run, but made here so tests can look at it beforehand."""
    return Return.objects.create(supplier=highways.supplier, period=period_for(Q1))


def test_it_works_out_the_example_due_date(q1_return: Return) -> None:
    assert q1_return.period.end_date == date(2025, 6, 30)
    assert q1_return.period.due_date == DUE


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2025, 6, 30), None),  # the quarter has not ended
        (date(2025, 7, 22), None),  # 8 days before the due date: N + 1
        (date(2025, 7, 23), "due_soon"),  # exactly 7 days before
        (date(2025, 7, 30), "due_soon"),  # the due date itself
        (date(2025, 7, 31), "overdue"),  # the day after
        (date(2026, 3, 1), "overdue"),
    ],
)
def test_it_knows_the_stage_of_each_day(db: None, today: date, stage: str | None) -> None:
    assert reminder_stage(period_for(Q1), today, 7) == stage


def test_it_says_nothing_n_plus_one_days_before_the_due_date(
    q1_return: Return, mailoutbox: list[mail.EmailMessage]
) -> None:
    assert remind("--today", "2025-07-22") == NOTHING
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()


def test_it_reminds_exactly_n_days_before_the_due_date(
    q1_return: Return, supplier_bob: User, mailoutbox: list[mail.EmailMessage]
) -> None:
    assert remind("--today", "2025-07-23") == (
        "Reminders: 1 due soon, 0 overdue, 0 already sent, 0 without recipients, 0 failed."
    )
    [message] = mailoutbox
    assert message.to == ["bob@bobsbuilding.example"]
    assert message.subject == "Social value return for Q1 2025-26 due on 30 July 2025"
    assert "Q1 2025-26 (April to June 2025) is due in 7 days, on Wednesday 30 July 2025" in (
        message.body
    )
    assert "- LCC-2025-101 Highways maintenance (Lancashire County Council)" in message.body
    assert f"{settings.SITE_URL}/returns/{q1_return.pk}/" in message.body
    reminder = ReminderSent.objects.get()
    assert (reminder.return_record, reminder.stage) == (q1_return, "due_soon")
    assert reminder.recipients == "bob@bobsbuilding.example"


def test_it_reminds_on_the_due_date_itself(
    q1_return: Return, supplier_bob: User, mailoutbox: list[mail.EmailMessage]
) -> None:
    assert remind("--today", "2025-07-30").startswith("Reminders: 1 due soon, 0 overdue,")
    [message] = mailoutbox
    assert message.subject == "Social value return for Q1 2025-26 due today"
    assert "is due today, Wednesday 30 July 2025." in message.body


def test_it_says_overdue_the_day_after(
    q1_return: Return, supplier_bob: User, mailoutbox: list[mail.EmailMessage]
) -> None:
    assert remind("--today", "2025-07-31") == (
        "Reminders: 0 due soon, 1 overdue, 0 already sent, 0 without recipients, 0 failed."
    )
    [message] = mailoutbox
    assert message.subject == "Overdue: social value return for Q1 2025-26 was due on 30 July 2025"
    assert "was due on Wednesday 30 July 2025, 1 day ago, and has not been submitted" in (
        message.body
    )
    assert f"{settings.SITE_URL}/returns/{q1_return.pk}/" in message.body
    # Skipped straight to overdue: only the overdue reminder, now and later.
    assert list(ReminderSent.objects.values_list("stage", flat=True)) == ["overdue"]
    assert remind("--today", "2025-08-15").startswith("Reminders: 0 due soon, 0 overdue, 1 ")
    assert len(mailoutbox) == 1


def test_it_sends_each_stage_once_however_often_it_runs(
    q1_return: Return, supplier_bob: User, mailoutbox: list[mail.EmailMessage]
) -> None:
    assert remind("--today", "2025-07-25").startswith("Reminders: 1 due soon, 0 overdue")
    assert remind("--today", "2025-07-25") == (
        "Reminders: 0 due soon, 0 overdue, 1 already sent, 0 without recipients, 0 failed."
    )
    assert remind("--today", "2025-07-29").startswith("Reminders: 0 due soon, 0 overdue, 1 ")
    assert remind("--today", "2025-08-01").startswith("Reminders: 0 due soon, 1 overdue, 0 ")
    assert remind("--today", "2025-08-02").startswith("Reminders: 0 due soon, 0 overdue, 1 ")
    assert [m.subject for m in mailoutbox] == [
        "Social value return for Q1 2025-26 due on 30 July 2025",
        "Overdue: social value return for Q1 2025-26 was due on 30 July 2025",
    ]
    assert sorted(ReminderSent.objects.values_list("stage", flat=True)) == [
        "due_soon",
        "overdue",
    ]


def test_it_does_not_remind_a_submitted_return(
    q1_return: Return,
    supplier_bob: User,
    add_line: Callable[..., object],
    highways: Contract,
    mailoutbox: list[mail.EmailMessage],
) -> None:
    add_line(q1_return, highways, "NT1", "1")
    return_submit(q1_return, by=supplier_bob, today=date(2025, 7, 2))
    assert remind("--today", "2025-07-25") == NOTHING
    assert remind("--today", "2025-08-25") == NOTHING
    assert mailoutbox == []


def test_it_counts_a_supplier_without_users_and_sends_once_someone_joins(
    q1_return: Return, bobs_building: Organisation, mailoutbox: list[mail.EmailMessage]
) -> None:
    assert remind("--today", "2025-07-25") == (
        "Reminders: 0 due soon, 0 overdue, 0 already sent, 1 without recipients, 0 failed."
    )
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()
    UserFactory.create(
        email="bea@bobsbuilding.example", role=User.Role.SUPPLIER, organisation=bobs_building
    )
    assert remind("--today", "2025-07-26").startswith("Reminders: 1 due soon")
    assert mailoutbox[0].to == ["bea@bobsbuilding.example"]


def test_it_writes_only_to_the_suppliers_active_users(
    q1_return: Return,
    supplier_bob: User,
    officer_alice: User,
    bobs_building: Organisation,
    mailoutbox: list[mail.EmailMessage],
) -> None:
    UserFactory.create(
        email="gone@bobsbuilding.example",
        role=User.Role.SUPPLIER,
        organisation=bobs_building,
        is_active=False,
    )
    UserFactory.create(
        email="bill@bobsbuilding.example", role=User.Role.SUPPLIER, organisation=bobs_building
    )
    remind("--today", "2025-07-25")
    [message] = mailoutbox
    assert sorted(message.to) == ["bill@bobsbuilding.example", "bob@bobsbuilding.example"]


def test_it_opens_the_returns_first_and_covers_every_buyer(
    highways: Contract,
    make_contract: ContractMaker,
    blackpool: Organisation,
    supplier_bob: User,
    mailoutbox: list[mail.EmailMessage],
) -> None:
    make_contract(
        reference="BC-2025-007",
        title="Promenade lighting",
        organisation=blackpool,
        start=date(2025, 5, 1),
        end=date(2026, 4, 30),
    )
    assert not Return.objects.exists()
    assert remind("--today", "2025-07-24").startswith("Reminders: 1 due soon")
    # Q1 and Q2 2025-26 are open; only Q1 has ended.
    assert sorted(Return.objects.values_list("period__number", flat=True)) == [1, 2]
    [message] = mailoutbox
    assert "The return covers 2 contracts:" in message.body
    assert "- BC-2025-007 Promenade lighting (Blackpool Council)" in message.body
    assert "- LCC-2025-101 Highways maintenance (Lancashire County Council)" in message.body


def test_it_does_not_remind_about_a_quarter_left_without_a_contract(
    highways: Contract, supplier_bob: User, mailoutbox: list[mail.EmailMessage]
) -> None:
    # Opened for Q1 and Q2 2025-26, then the contract was terminated on 30 June 2025.
    call_command("open_returns", "--today", "2025-07-01", stdout=StringIO())
    contract_close(highways, status=Contract.Status.TERMINATED, end_date=date(2025, 6, 30))
    assert Return.objects.count() == 2
    # 31 October: Q2's return (due 30 October) would be overdue, and Q1's too.
    assert remind("--today", "2025-10-31") == (
        "Reminders: 0 due soon, 1 overdue, 0 already sent, 0 without recipients, 0 failed."
    )
    [message] = mailoutbox
    assert "Q1 2025-26" in message.subject


def test_it_follows_the_reporting_settings_and_the_days_option(
    q1_return: Return, supplier_bob: User, mailoutbox: list[mail.EmailMessage]
) -> None:
    reporting = ReportingSettings.current()
    reporting.reminder_days = 3
    reporting.save()
    assert remind("--today", "2025-07-26") == NOTHING
    assert remind("--today", "2025-07-26", "--days", "4").startswith("Reminders: 1 due soon")
    assert len(mailoutbox) == 1


def test_it_does_not_remind_before_the_quarter_ends(
    q1_return: Return, supplier_bob: User, mailoutbox: list[mail.EmailMessage]
) -> None:
    # The due date (30 July) is within 31 days of 30 June, but the quarter is still running.
    assert remind("--today", "2025-06-30", "--days", "31") == NOTHING
    assert remind("--today", "2025-07-01", "--days", "31").startswith("Reminders: 1 due soon")
    assert "is due in 29 days" in mailoutbox[0].body


def test_it_keeps_no_record_of_a_reminder_it_could_not_send_and_tries_again(
    q1_return: Return,
    supplier_bob: User,
    mailoutbox: list[mail.EmailMessage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise ConnectionRefusedError("The mail server is down.")

    monkeypatch.setattr("socialvalue.contracts.reminders.send_mail", refuse)
    out = StringIO()
    with pytest.raises(CommandError, match="1 reminder"):
        call_command("send_return_reminders", "--today", "2025-07-25", stdout=out)
    assert out.getvalue().strip() == (
        "Reminders: 0 due soon, 0 overdue, 0 already sent, 0 without recipients, 1 failed."
    )
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    assert remind("--today", "2025-07-25").startswith("Reminders: 1 due soon")
    assert len(mailoutbox) == 1


def test_it_sends_nothing_when_an_overlapping_run_recorded_the_reminder_first(
    q1_return: Return,
    supplier_bob: User,
    mailoutbox: list[mail.EmailMessage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The other run's row appears after this run has read what was sent."""
    from socialvalue.contracts import reminders

    real = reminders.supplier_recipients

    def recipients_then_race(supplier: Organisation) -> list[str]:
        ReminderSent.objects.create(return_record=q1_return, stage="due_soon")
        return real(supplier)

    monkeypatch.setattr(reminders, "supplier_recipients", recipients_then_race)
    assert remind("--today", "2025-07-25") == (
        "Reminders: 0 due soon, 0 overdue, 1 already sent, 0 without recipients, 0 failed."
    )
    assert mailoutbox == []
    assert ReminderSent.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--today", "2025-13-01"), "'2025-13-01' is not a date"),
        (("--today", "yesterday"), "'yesterday' is not a date"),
        (("--days", "-1"), "The number of days must be 0 or more."),
        (("--days", "soon"), "The number of days must be 0 or more."),
    ],
)
def test_it_refuses_bad_options(db: None, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        remind(*args)
    assert not ReportingPeriod.objects.exists()
