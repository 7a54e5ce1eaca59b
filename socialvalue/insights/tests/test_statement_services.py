"""The statement's life: create, write, publish (figures frozen), withdraw, publish again."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.contracts.models import Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.core.quarters import Quarter
from socialvalue.framework.models import Measure
from socialvalue.insights.models import Statement, StatementSection
from socialvalue.insights.statement import (
    ERR_ALREADY_PUBLISHED,
    ERR_LOCKED,
    ERR_NOT_BUYER,
    ERR_NOT_PUBLISHED,
    ERR_SECTION_EMPTY,
    ERR_YEAR_TAKEN,
    REASON_CREATED,
    REASON_EDITED,
    REASON_FROZEN,
    REASON_PUBLISHED,
    REASON_WITHDRAWN,
    current_year,
    section_update,
    sections_of,
    statement_achievements,
    statement_create,
    statement_history,
    statement_publish,
    statement_retitle,
    statement_withdraw,
)
from socialvalue.insights.statement_figures import split_achievements
from socialvalue.insights.tests.statement_support import (
    NARRATIVE,
    YEAR,
    StatementWorld,
    statement_world,
    write_all,
)

__all__ = ["statement_world"]

Key = StatementSection.Key
PUBLISHED_AT = timezone.make_aware(datetime(2023, 6, 1, 10, 0))


@pytest.fixture
def draft(lead_lucy: User, council: Organisation) -> Statement:
    return statement_create(organisation=council, year=YEAR, by=lead_lucy)


@pytest.fixture
def lead_bill(blackpool: Organisation) -> User:
    return UserFactory.create(
        email="bill@blackpool.example",
        full_name="Bill Lead",
        role=User.Role.LEAD,
        organisation=blackpool,
    )


def section(statement: Statement, key: str) -> StatementSection:
    return statement.sections.get(key=key)


def test_it_creates_the_seven_sections_of_the_template(draft: Statement) -> None:
    assert draft.status == Statement.Status.DRAFT
    assert draft.title == "Social value statement 2022-23"
    assert [s.key for s in sections_of(draft)] == [
        "introduction",
        "focus",
        "management",
        "staff",
        "suppliers",
        "achievements",
        "action_plan",
    ]
    assert draft.history.get().history_change_reason == REASON_CREATED


def test_it_allows_one_statement_per_organisation_and_year(
    draft: Statement,
    lead_lucy: User,
    lead_bill: User,
    council: Organisation,
    blackpool: Organisation,
) -> None:
    with pytest.raises(ValidationError) as error:
        statement_create(organisation=council, year=YEAR, by=lead_lucy)
    assert error.value.message_dict["year"] == [
        ERR_YEAR_TAKEN.format(organisation="Lancashire County Council", year="2022-23")
    ]
    other = statement_create(organisation=blackpool, year=YEAR, by=lead_bill)
    assert Statement.objects.filter(year=YEAR).count() == 2
    assert other.organisation == blackpool


def test_it_refuses_a_year_not_yet_started(lead_lucy: User, council: Organisation) -> None:
    with pytest.raises(ValidationError) as error:
        statement_create(organisation=council, year=current_year() + 1, by=lead_lucy)
    assert "year" in error.value.message_dict
    assert not Statement.objects.exists()


def test_it_refuses_a_statement_for_a_supplier(
    lead_lucy: User, bobs_building: Organisation
) -> None:
    with pytest.raises(ValidationError) as error:
        statement_create(organisation=bobs_building, year=YEAR, by=lead_lucy)
    assert error.value.messages == [ERR_NOT_BUYER]


def test_it_lets_only_the_lead_of_the_organisation_write(
    draft: Statement, officer_alice: User, lead_bill: User
) -> None:
    for user in (officer_alice, lead_bill):
        with pytest.raises(PermissionDenied):
            section_update(section(draft, Key.FOCUS), body="Mine now", by=user)
        with pytest.raises(PermissionDenied):
            statement_publish(draft, by=user)
    assert section(draft, Key.FOCUS).body == ""


def test_it_saves_a_section_with_history(draft: Statement, lead_lucy: User) -> None:
    section_update(section(draft, Key.FOCUS), body="  Jobs.\r\n\r\nSkills.  ", by=lead_lucy)
    saved = section(draft, Key.FOCUS)
    assert saved.body == "Jobs.\n\nSkills."
    latest = saved.history.first()
    assert latest is not None
    assert latest.history_user == lead_lucy
    assert latest.history_change_reason == REASON_EDITED


def test_it_wants_every_narrative_section_written_before_publishing(
    draft: Statement, lead_lucy: User
) -> None:
    section_update(section(draft, Key.INTRODUCTION), body="Hello.", by=lead_lucy)
    with pytest.raises(ValidationError) as error:
        statement_publish(draft, by=lead_lucy)
    # The achievements section may stay empty: its figures come from the records.
    assert error.value.messages == [
        ERR_SECTION_EMPTY.format(section=label)
        for label in (
            "Key areas of focus",
            "Communication, co-ordination and internal management",
            "Supporting staff",
            "Supporting suppliers and partners",
            "Action plan",
        )
    ]
    draft.refresh_from_db()
    assert draft.status == Statement.Status.DRAFT


def _verify_more(world: StatementWorld) -> None:
    """Another £10,000 of local spend on contract A, verified in Q4 2022-23."""
    return_record = Return.objects.create(
        supplier=world.a.supplier, period=period_for(Quarter(YEAR, 4))
    )
    ReturnLine.objects.create(
        return_record=return_record,
        contract=world.a,
        measure=Measure.objects.get(version=world.a.framework_version, code="NT18"),
        quantity=Decimal("10000"),
        district="E07000123",
        status=ReturnLine.Status.VERIFIED,
    )


def test_it_freezes_the_figures_on_publication(
    statement_world: StatementWorld, draft: Statement, lead_lucy: User
) -> None:
    write_all(draft)
    statement_publish(draft, by=lead_lucy, now=PUBLISHED_AT)
    draft.refresh_from_db()
    assert draft.status == Statement.Status.PUBLISHED
    assert draft.published_at == PUBLISHED_AT
    assert draft.published_by == lead_lucy
    body = section(draft, Key.ACHIEVEMENTS).body
    narrative, frozen, generated = split_achievements(body)
    assert narrative == NARRATIVE[Key.ACHIEVEMENTS]
    assert frozen is not None
    assert frozen.delivered_value == Decimal("106070.50")
    assert frozen.frozen_at == PUBLISHED_AT
    assert "| Social value delivered and verified | £106,070.50 |" in generated

    _verify_more(statement_world)
    shown = statement_achievements(draft)
    assert shown.delivered_value == Decimal("106070.50")  # still as published
    assert shown.local_spend == Decimal("40000")
    # The narrative shown on the page leaves the snapshot out.
    achievements = next(s for s in sections_of(draft) if s.key == Key.ACHIEVEMENTS)
    assert achievements.body == NARRATIVE[Key.ACHIEVEMENTS]


def test_it_refuses_changes_to_a_published_statement(
    statement_world: StatementWorld, draft: Statement, lead_lucy: User
) -> None:
    write_all(draft)
    statement_publish(draft, by=lead_lucy)
    for attempt in (
        lambda: section_update(section(draft, Key.FOCUS), body="Changed", by=lead_lucy),
        lambda: statement_retitle(draft, title="Changed", by=lead_lucy),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.messages == [ERR_LOCKED]
    with pytest.raises(ValidationError) as error:
        statement_publish(draft, by=lead_lucy)
    assert error.value.messages == [ERR_ALREADY_PUBLISHED]
    assert section(draft, Key.FOCUS).body == NARRATIVE[Key.FOCUS]


def test_it_withdraws_and_publishes_again_with_fresh_figures(
    statement_world: StatementWorld, draft: Statement, lead_lucy: User
) -> None:
    write_all(draft)
    statement_publish(draft, by=lead_lucy, now=PUBLISHED_AT)
    statement_withdraw(draft, by=lead_lucy)
    draft.refresh_from_db()
    assert draft.status == Statement.Status.DRAFT
    assert draft.published_at is None
    assert section(draft, Key.ACHIEVEMENTS).body == NARRATIVE[Key.ACHIEVEMENTS]

    _verify_more(statement_world)
    # A draft's figures are live: the new line counts (106,070.50 + 10,000).
    assert statement_achievements(draft).delivered_value == Decimal("116070.50")
    section_update(section(draft, Key.FOCUS), body="Revised focus.", by=lead_lucy)
    statement_publish(draft, by=lead_lucy)
    draft.refresh_from_db()
    frozen = split_achievements(section(draft, Key.ACHIEVEMENTS).body)[1]
    assert frozen is not None
    assert frozen.delivered_value == Decimal("116070.50")
    assert frozen.local_spend == Decimal("50000")


def test_it_withdraws_only_a_published_statement(draft: Statement, lead_lucy: User) -> None:
    with pytest.raises(ValidationError) as error:
        statement_withdraw(draft, by=lead_lucy)
    assert error.value.messages == [ERR_NOT_PUBLISHED]


def test_it_keeps_only_the_narrative_when_a_snapshot_is_pasted_in(
    statement_world: StatementWorld, draft: Statement, lead_lucy: User
) -> None:
    write_all(draft)
    statement_publish(draft, by=lead_lucy)
    pasted = section(draft, Key.ACHIEVEMENTS).body
    statement_withdraw(draft, by=lead_lucy)
    section_update(section(draft, Key.ACHIEVEMENTS), body=pasted, by=lead_lucy)
    assert section(draft, Key.ACHIEVEMENTS).body == NARRATIVE[Key.ACHIEVEMENTS]


def test_it_records_who_did_what(
    statement_world: StatementWorld, draft: Statement, lead_lucy: User
) -> None:
    section_update(section(draft, Key.FOCUS), body="Jobs.", by=lead_lucy)
    write_all(draft)
    statement_publish(draft, by=lead_lucy)
    statement_withdraw(draft, by=lead_lucy)
    history = statement_history(draft)
    assert [entry.what for entry in history][:3] == [
        REASON_WITHDRAWN,
        "Figures unfrozen on withdrawal",
        REASON_PUBLISHED,
    ]
    whats = {entry.what for entry in history}
    assert {REASON_CREATED, REASON_FROZEN, "Section edited: Key areas of focus"} <= whats
    assert {entry.who for entry in history} == {"Lucy Lead"}


def test_it_copes_with_a_statement_missing_its_sections(
    statement_world: StatementWorld, lead_lucy: User, council: Organisation
) -> None:
    bare = Statement.objects.create(organisation=council, year=YEAR, title="Made elsewhere")
    with pytest.raises(ValidationError) as error:
        statement_publish(bare, by=lead_lucy)
    assert len(error.value.messages) == 6
    for key, body in NARRATIVE.items():
        if key != Key.ACHIEVEMENTS:
            StatementSection.objects.create(statement=bare, key=key, body=body)
    statement_publish(bare, by=lead_lucy)
    assert statement_achievements(bare).delivered_value == Decimal("106070.50")
    statement_withdraw(bare, by=lead_lucy)
