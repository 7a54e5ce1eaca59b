"""Importing training completions from CSV: all or nothing, with a message per bad row."""

from datetime import date

import pytest

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.contracts.imports import ImportFailed
from socialvalue.insights.models import TrainingCompletion, TrainingCourse
from socialvalue.insights.training import (
    ERR_FILE_BROKEN,
    ERR_FILE_COLUMNS,
    ERR_FILE_EMPTY,
    ERR_FILE_NOT_TEXT,
    completions_import,
    rows_from_csv,
)

TODAY = date(2025, 7, 1)


@pytest.fixture
def academy(council: Organisation) -> TrainingCourse:
    return TrainingCourse.objects.create(
        organisation=council, title="TOMs Academy", kind=TrainingCourse.Kind.TOMS_ACADEMY
    )


@pytest.fixture
def lunch(council: Organisation) -> TrainingCourse:
    return TrainingCourse.objects.create(
        organisation=council, title="Lunch and learn: evidence", kind="lunch_and_learn"
    )


def run(council: Organisation, by: User, text: str) -> tuple[int, int]:
    result = completions_import(organisation=council, data=text.encode(), by=by, today=TODAY)
    return result.recorded, result.already


def test_it_records_every_row_of_a_good_file(
    council: Organisation,
    lead_lucy: User,
    officer_alice: User,
    evaluator_erin: User,
    academy: TrainingCourse,
    lunch: TrainingCourse,
) -> None:
    text = (
        "\ufeffEmail,Course,Completed On\n"  # a BOM, headings in any case
        "alice@lancashire.example,TOMs Academy,2025-06-30\n"
        "\n"
        "ERIN@lancashire.example, toms academy ,30/06/2025\n"
        "alice@lancashire.example,Lunch and learn: evidence,01/07/2025\n"
    )
    assert run(council, lead_lucy, text) == (3, 0)
    alice = TrainingCompletion.objects.get(user=officer_alice, course=academy)
    assert alice.completed_on == date(2025, 6, 30)
    assert alice.recorded_by == lead_lucy
    assert alice.history.get().history_user == lead_lucy
    assert TrainingCompletion.objects.get(user=evaluator_erin).completed_on == date(2025, 6, 30)


def test_it_leaves_completions_already_recorded_as_they_are(
    council: Organisation, lead_lucy: User, officer_alice: User, academy: TrainingCourse
) -> None:
    TrainingCompletion.objects.create(
        course=academy, user=officer_alice, completed_on=date(2024, 1, 5)
    )
    text = (
        "email,course,completed_on\n"
        "alice@lancashire.example,TOMs Academy,2025-06-30\n"
        "lucy@lancashire.example,TOMs Academy,2025-06-30\n"
    )
    assert run(council, lead_lucy, text) == (1, 1)
    assert TrainingCompletion.objects.get(user=officer_alice).completed_on == date(2024, 1, 5)


def test_it_names_every_bad_row_and_records_nothing(
    council: Organisation,
    lead_lucy: User,
    officer_alice: User,
    evaluator_erin: User,
    officer_olga: User,
    supplier_bob: User,
    academy: TrainingCourse,
) -> None:
    UserFactory.create(email="gone@lancashire.example", organisation=council, is_active=False)
    UserFactory.create(
        email="sam@lancashire.example", organisation=council, role=User.Role.SUPPLIER
    )
    text = "\n".join(
        [
            "email,course,completed_on",
            "alice@lancashire.example,TOMs Academy,2025-06-30",  # row 2: fine
            "nobody@example.org,TOMs Academy,2025-06-30",  # 3
            "olga@blackpool.example,TOMs Academy,2025-06-30",  # 4
            "sam@lancashire.example,TOMs Academy,2025-06-30",  # 5
            "gone@lancashire.example,TOMs Academy,2025-06-30",  # 6
            "alice@lancashire.example,Knitting,2025-06-30",  # 7
            "lucy@lancashire.example,TOMs Academy,31/02/2025",  # 8
            "erin@lancashire.example,TOMs Academy,2025-07-02",  # 9: tomorrow
            "alice@lancashire.example,toms academy,2025-06-01",  # 10: duplicate of row 2
            ",,2025-06-01",  # 11
            "bob@bobsbuilding.example,TOMs Academy,",  # 12
        ]
    )
    with pytest.raises(ImportFailed) as error:
        run(council, lead_lucy, text)
    assert error.value.messages == [
        "Row 3: Nobody with the email address nobody@example.org uses the service.",
        "Row 4: olga@blackpool.example belongs to another organisation.",
        "Row 5: sam@lancashire.example is not council staff (an officer, an evaluator or "
        "the lead).",
        "Row 6: The account of gone@lancashire.example is closed.",
        "Row 7: There is no course called 'Knitting'.",
        "Row 8: '31/02/2025' is not a date: use a date such as 2025-06-30 or 30/06/2025.",
        "Row 9: The completion date 2 July 2025 is in the future.",
        "Row 10: alice@lancashire.example and 'toms academy' are on row 2 already.",
        "Row 11: Email is required. Course is required: the title of one of your courses.",
        "Row 12: bob@bobsbuilding.example belongs to another organisation. completed_on is "
        "required: a date such as 2025-06-30 or 30/06/2025.",
    ]
    assert not TrainingCompletion.objects.exists()


def test_it_does_not_find_another_organisations_course(
    council: Organisation, blackpool: Organisation, lead_lucy: User, officer_alice: User
) -> None:
    TrainingCourse.objects.create(organisation=blackpool, title="Blackpool basics", kind="other")
    with pytest.raises(ImportFailed) as error:
        run(
            council,
            lead_lucy,
            "email,course,completed_on\nalice@lancashire.example,Blackpool basics,2025-06-01\n",
        )
    assert error.value.messages == ["Row 2: There is no course called 'Blackpool basics'."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", ERR_FILE_EMPTY),
        (b"email,course,completed_on\n\n", ERR_FILE_EMPTY),
        (b"email,title,date\nx,y,z\n", ERR_FILE_COLUMNS.format(columns="course, completed_on")),
        (b"\xff\xfe\x00e\x00m", ERR_FILE_NOT_TEXT),
        (b"PK\x03\x04\x00\x00binary", ERR_FILE_NOT_TEXT),
        (b'email,course,completed_on\n"alice,x,2025-01-01\n', ERR_FILE_BROKEN.format(line=2)),
    ],
)
def test_it_refuses_a_file_it_cannot_read(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailed) as error:
        rows_from_csv(data)
    assert error.value.messages == [message]
