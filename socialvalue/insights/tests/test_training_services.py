"""Courses, completions, and the per-officer list behind the "officers trained" KPI."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.insights.models import TrainingCompletion, TrainingCourse
from socialvalue.insights.training import (
    ERR_DATE_FUTURE,
    ERR_NOT_STAFF_MEMBER,
    ERR_TITLE_TAKEN,
    completion_record,
    course_create,
    course_set_active,
    course_update,
    officer_rows,
    trained_ratio,
)

TODAY = date(2024, 1, 15)


@pytest.fixture
def academy(council: Organisation, lead_lucy: User) -> TrainingCourse:
    return course_create(
        organisation=council, title="TOMs  Academy ", kind="toms_academy", by=lead_lucy
    )


def test_it_adds_a_course_with_history(academy: TrainingCourse, lead_lucy: User) -> None:
    assert academy.title == "TOMs Academy"
    assert academy.is_active
    assert academy.history.get().history_user == lead_lucy


def test_it_refuses_a_second_course_with_the_same_title(
    academy: TrainingCourse, council: Organisation, blackpool: Organisation, lead_lucy: User
) -> None:
    with pytest.raises(ValidationError) as error:
        course_create(organisation=council, title="toms academy", kind="other", by=lead_lucy)
    assert error.value.message_dict["title"] == [
        ERR_TITLE_TAKEN.format(organisation="Lancashire County Council", title="toms academy")
    ]
    # Another organisation may have its own.
    course_create(organisation=blackpool, title="TOMs Academy", kind="other", by=lead_lucy)


def test_it_changes_and_retires_a_course(academy: TrainingCourse, lead_lucy: User) -> None:
    course_update(academy, title="TOMs Academy 2", kind="workshop", description=" x ", by=lead_lucy)
    academy.refresh_from_db()
    assert (academy.title, academy.kind, academy.description) == ("TOMs Academy 2", "workshop", "x")
    course_set_active(academy, active=False, by=lead_lucy)
    academy.refresh_from_db()
    assert not academy.is_active
    with pytest.raises(ValidationError):
        course_update(academy, title="", kind="workshop", by=lead_lucy)


def test_it_records_a_completion_for_the_organisations_staff_only(
    academy: TrainingCourse,
    lead_lucy: User,
    officer_alice: User,
    officer_olga: User,
    supplier_bob: User,
) -> None:
    done = completion_record(
        course=academy, officer=officer_alice, completed_on=TODAY, by=lead_lucy, today=TODAY
    )
    assert done.recorded_by == lead_lucy
    for outsider in (officer_olga, supplier_bob):
        with pytest.raises(ValidationError) as error:
            completion_record(
                course=academy, officer=outsider, completed_on=TODAY, by=lead_lucy, today=TODAY
            )
        assert error.value.message_dict["officer"] == [
            ERR_NOT_STAFF_MEMBER.format(organisation="Lancashire County Council")
        ]


def test_it_refuses_a_future_date_and_a_second_record(
    academy: TrainingCourse, lead_lucy: User, officer_alice: User
) -> None:
    with pytest.raises(ValidationError) as error:
        completion_record(
            course=academy,
            officer=officer_alice,
            completed_on=date(2024, 1, 16),
            by=lead_lucy,
            today=TODAY,
        )
    assert error.value.message_dict["completed_on"] == [ERR_DATE_FUTURE]
    completion_record(
        course=academy, officer=officer_alice, completed_on=TODAY, by=lead_lucy, today=TODAY
    )
    with pytest.raises(ValidationError) as error:
        completion_record(
            course=academy, officer=officer_alice, completed_on=TODAY, by=lead_lucy, today=TODAY
        )
    assert error.value.messages == [
        "Alice Officer completed TOMs Academy on 15 January 2024: it is already recorded"
    ]
    assert TrainingCompletion.objects.count() == 1


@pytest.fixture
def trained(
    academy: TrainingCourse,
    council: Organisation,
    lead_lucy: User,
    officer_alice: User,
    evaluator_erin: User,
    officer_olga: User,
    supplier_bob: User,
) -> None:
    """Alice trained on 1 June 2022 (2022-23), Erin on 1 June 2023 (2023-24), Lucy never;
    an inactive officer and Olga (Blackpool) trained too, but do not count for the council."""
    gone = UserFactory.create(
        email="gone@lancashire.example", organisation=council, is_active=False
    )
    lunch = TrainingCourse.objects.create(
        organisation=council, title="Lunch and learn", kind="other"
    )
    for user, course, day in [
        (officer_alice, academy, date(2022, 6, 1)),
        (officer_alice, lunch, date(2023, 5, 1)),
        (evaluator_erin, academy, date(2023, 6, 1)),
        (gone, academy, date(2022, 6, 1)),
        (officer_olga, academy, date(2022, 6, 1)),
    ]:
        TrainingCompletion.objects.create(course=course, user=user, completed_on=day)


@pytest.mark.usefixtures("trained")
def test_it_lists_each_officer_with_the_courses_done_by_the_end_of_the_year(
    council: Organisation,
) -> None:
    rows = {row.officer.email: row for row in officer_rows(council, 2022, today=date(2025, 1, 1))}
    # Active council staff only: Alice, Erin and Lucy.
    assert sorted(rows) == [
        "alice@lancashire.example",
        "erin@lancashire.example",
        "lucy@lancashire.example",
    ]
    assert rows["alice@lancashire.example"].trained
    assert [c.course.title for c in rows["alice@lancashire.example"].completions] == [
        "TOMs Academy"
    ]
    assert not rows["erin@lancashire.example"].trained  # trained in the following year
    later = {r.officer.email: r for r in officer_rows(council, 2023, today=date(2025, 1, 1))}
    assert [c.course.title for c in later["alice@lancashire.example"].completions] == [
        "TOMs Academy",
        "Lunch and learn",
    ]
    assert later["erin@lancashire.example"].trained


@pytest.mark.usefixtures("trained")
def test_it_works_out_the_trained_officers_percentage(council: Organisation) -> None:
    # 2022-23: Alice of Alice, Erin and Lucy = 1 of 3 = 33.33%.
    ratio = trained_ratio(council, 2022, today=date(2025, 1, 1))
    assert (ratio.numerator, ratio.denominator) == (1, 3)
    # 2023-24: Alice and Erin = 2 of 3.
    ratio = trained_ratio(council, 2023, today=date(2025, 1, 1))
    assert (ratio.numerator, ratio.denominator) == (2, 3)
    # 2021-22: nobody yet.
    assert trained_ratio(council, 2021, today=date(2025, 1, 1)).numerator == 0
