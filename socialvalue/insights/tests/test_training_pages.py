"""The training records pages: who sees what, the lead's forms, the import and the CSV."""

from collections.abc import Callable
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.insights.models import TrainingCompletion, TrainingCourse
from socialvalue.insights.training_forms import ERR_FILE_NOT_CSV, ERR_OFFICER_REQUIRED

ClientAs = Callable[[User | None], Client]


@pytest.fixture
def academy(council: Organisation) -> TrainingCourse:
    return TrainingCourse.objects.create(
        organisation=council, title="TOMs Academy", kind=TrainingCourse.Kind.TOMS_ACADEMY
    )


@pytest.fixture
def blackpool_course(blackpool: Organisation) -> TrainingCourse:
    return TrainingCourse.objects.create(
        organisation=blackpool, title="Blackpool basics", kind=TrainingCourse.Kind.WEBINAR
    )


@pytest.fixture
def alice_done(academy: TrainingCourse, officer_alice: User) -> TrainingCompletion:
    return TrainingCompletion.objects.create(
        course=academy, user=officer_alice, completed_on=date(2022, 6, 1)
    )


@pytest.fixture
def lead_bill(blackpool: Organisation) -> User:
    return UserFactory.create(
        email="bill@blackpool.example", role=User.Role.LEAD, organisation=blackpool
    )


@pytest.fixture
def users(
    lead_lucy: User,
    officer_alice: User,
    evaluator_erin: User,
    officer_olga: User,
    lead_bill: User,
    supplier_bob: User,
) -> dict[str, User | None]:
    return {
        "lead_lucy": lead_lucy,
        "officer_alice": officer_alice,
        "evaluator_erin": evaluator_erin,
        "officer_olga": officer_olga,
        "lead_bill": lead_bill,
        "supplier_bob": supplier_bob,
        "public_dave": None,
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lead_lucy", 200),
        ("officer_alice", 200),
        ("evaluator_erin", 200),
        ("officer_olga", 200),
        ("supplier_bob", 403),
        ("public_dave", 302),
    ],
)
@pytest.mark.parametrize("url", ["/insights/training/", "/insights/training/officers.csv"])
def test_it_shows_the_records_to_council_staff(
    alice_done: TrainingCompletion,
    blackpool_course: TrainingCourse,
    users: dict[str, User | None],
    client_as: ClientAs,
    who: str,
    status: int,
    url: str,
) -> None:
    response = client_as(users[who]).get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/account/sign-in/")
    if status == 200:
        text = response.content.decode("utf-8-sig")
        # Each organisation sees only its own records.
        assert ("Alice Officer" in text) == (who != "officer_olga")
        assert ("Olga Officer" in text) == (who == "officer_olga")
        if url.endswith("/"):
            course_link = f'href="/insights/training/courses/{alice_done.course_id}/"'
            assert (course_link in text) == (who != "officer_olga")
            assert ("Blackpool basics" in text) == (who == "officer_olga")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lead_lucy", 200),
        ("officer_alice", 200),
        ("evaluator_erin", 200),
        ("officer_olga", 404),
        ("lead_bill", 404),
        ("supplier_bob", 403),
        ("public_dave", 302),
    ],
)
def test_it_hides_a_course_from_other_organisations(
    alice_done: TrainingCompletion,
    users: dict[str, User | None],
    client_as: ClientAs,
    who: str,
    status: int,
) -> None:
    response = client_as(users[who]).get(f"/insights/training/courses/{alice_done.course_id}/")
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lead_lucy", 200),
        ("officer_alice", 403),
        ("evaluator_erin", 403),
        ("officer_olga", 403),
        ("supplier_bob", 403),
        ("public_dave", 302),
    ],
)
@pytest.mark.parametrize(
    "page",
    [
        "courses/new/",
        "courses/{course}/edit/",
        "completions/new/",
        "completions/import/",
        "completions/{completion}/remove/",
    ],
)
def test_it_lets_only_the_lead_change_the_records(
    alice_done: TrainingCompletion,
    users: dict[str, User | None],
    client_as: ClientAs,
    who: str,
    status: int,
    page: str,
) -> None:
    url = "/insights/training/" + page.format(course=alice_done.course_id, completion=alice_done.pk)
    client = client_as(users[who])
    assert client.get(url).status_code == status
    if who != "lead_lucy":
        client.post(url, {"title": "Hacked", "kind": "other"})
        assert TrainingCompletion.objects.filter(pk=alice_done.pk).exists()
        assert not TrainingCourse.objects.filter(title="Hacked").exists()


def test_it_gives_another_organisations_lead_404_for_a_course(
    alice_done: TrainingCompletion, client_as: ClientAs, lead_bill: User
) -> None:
    bill = client_as(lead_bill)
    course = alice_done.course_id
    assert bill.get(f"/insights/training/courses/{course}/edit/").status_code == 404
    assert bill.post(f"/insights/training/courses/{course}/retire/").status_code == 404
    assert bill.post(f"/insights/training/completions/{alice_done.pk}/remove/").status_code == 404
    assert TrainingCompletion.objects.filter(pk=alice_done.pk).exists()


def test_it_shows_the_trained_percentage_for_the_year(
    alice_done: TrainingCompletion, client_as: ClientAs, lead_lucy: User, evaluator_erin: User
) -> None:
    # 2022-23: Alice trained; Erin and Lucy not: 1 of 3 = 33.33%.
    page = client_as(lead_lucy).get("/insights/training/?year=2022").content.decode()
    assert "33.33%" in page
    assert "1 of 3 active members of staff" in page
    assert '<option value="2022" selected>2022-23</option>' in page
    # A year that is not offered falls back to the current one; never an error.
    assert client_as(lead_lucy).get("/insights/training/?year=1066").status_code == 200
    assert client_as(lead_lucy).get("/insights/training/?year=x").status_code == 200


def test_it_downloads_the_list_as_csv(
    alice_done: TrainingCompletion, client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    UserFactory.create(
        email="eve@lancashire.example", full_name="=HYPERLINK(1)", organisation=council
    )
    response = client_as(lead_lucy).get("/insights/training/officers.csv?year=2022")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="training-lancashire-county-council-2022-23.csv"'
        in response["Content-Disposition"]
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "Name,Email,Role,Trained,Courses completed,Latest completion",
        "'=HYPERLINK(1),eve@lancashire.example,Officer,No,,",
        "Alice Officer,alice@lancashire.example,Officer,Yes,TOMs Academy,2022-06-01",
        "Lucy Lead,lucy@lancashire.example,Social value lead,No,,",
    ]


def test_it_adds_changes_and_retires_a_course(client_as: ClientAs, lead_lucy: User) -> None:
    lucy = client_as(lead_lucy)
    response = lucy.post(
        "/insights/training/courses/new/", {"title": "Lunch and learn", "kind": "lunch_and_learn"}
    )
    course = TrainingCourse.objects.get(title="Lunch and learn")
    assert response["Location"] == f"/insights/training/courses/{course.pk}/"
    bad = lucy.post("/insights/training/courses/new/", {"title": "lunch AND learn", "kind": "x"})
    assert bad.status_code == 400
    assert "Choose the kind of course" in bad.content.decode()
    dup = lucy.post(
        "/insights/training/courses/new/", {"title": "lunch AND learn", "kind": "other"}
    )
    assert "already has a course called lunch AND learn" in dup.content.decode()
    lucy.post(f"/insights/training/courses/{course.pk}/retire/")
    course.refresh_from_db()
    assert not course.is_active
    lucy.post(f"/insights/training/courses/{course.pk}/retire/", {"active": "1"})
    course.refresh_from_db()
    assert course.is_active


def test_it_records_a_completion_from_the_form(
    academy: TrainingCourse,
    client_as: ClientAs,
    lead_lucy: User,
    evaluator_erin: User,
    officer_olga: User,
) -> None:
    lucy = client_as(lead_lucy)
    form = {
        "course": academy.pk,
        "officer": evaluator_erin.pk,
        "completed_on_day": "1",
        "completed_on_month": "6",
        "completed_on_year": "2023",
    }
    response = lucy.post("/insights/training/completions/new/", form)
    assert response.status_code == 302
    assert TrainingCompletion.objects.get().completed_on == date(2023, 6, 1)
    again = lucy.post("/insights/training/completions/new/", form)
    assert "it is already recorded" in again.content.decode()
    outsider = lucy.post(
        "/insights/training/completions/new/", {**form, "officer": officer_olga.pk}
    )
    assert outsider.status_code == 400
    assert ERR_OFFICER_REQUIRED in outsider.content.decode()
    bad_day = lucy.post(
        "/insights/training/completions/new/",
        {**form, "completed_on_day": "31", "completed_on_month": "2"},
    )
    assert "The date completed must be a real date" in bad_day.content.decode()
    assert TrainingCompletion.objects.count() == 1


def test_it_removes_a_completion(
    alice_done: TrainingCompletion, client_as: ClientAs, lead_lucy: User
) -> None:
    response = client_as(lead_lucy).post(f"/insights/training/completions/{alice_done.pk}/remove/")
    assert response.status_code == 302
    assert not TrainingCompletion.objects.exists()


def _upload(text: str, name: str = "attendance.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), "text/csv")


def test_it_imports_a_file_and_reports_what_it_did(
    alice_done: TrainingCompletion, client_as: ClientAs, lead_lucy: User, evaluator_erin: User
) -> None:
    text = (
        "email,course,completed_on\n"
        "alice@lancashire.example,TOMs Academy,2022-06-01\n"
        "erin@lancashire.example,TOMs Academy,2022-06-02\n"
        "lucy@lancashire.example,TOMs Academy,2022-06-02\n"
    )
    response = client_as(lead_lucy).post(
        "/insights/training/completions/import/", {"file": _upload(text)}, follow=True
    )
    page = response.content.decode()
    assert "2 completions recorded from attendance.csv. 1 was already recorded" in page
    assert TrainingCompletion.objects.count() == 3


def test_it_lists_every_problem_and_records_nothing(
    academy: TrainingCourse, client_as: ClientAs, lead_lucy: User, officer_alice: User
) -> None:
    text = (
        "email,course,completed_on\n"
        "alice@lancashire.example,TOMs Academy,2022-06-01\n"
        "who@example.org,TOMs Academy,2022-06-01\n"
        "alice@lancashire.example,TOMs Academy,tomorrow\n"
    )
    response = client_as(lead_lucy).post(
        "/insights/training/completions/import/", {"file": _upload(text)}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your file was not imported: 2 problems to fix" in page
    assert "Row 3: Nobody with the email address who@example.org uses the service." in page
    assert "Row 4: " in page
    assert not TrainingCompletion.objects.exists()


def test_it_refuses_a_file_that_is_not_csv(client_as: ClientAs, lead_lucy: User) -> None:
    response = client_as(lead_lucy).post(
        "/insights/training/completions/import/", {"file": _upload("x", "list.xlsx")}
    )
    assert response.status_code == 400
    assert ERR_FILE_NOT_CSV in response.content.decode()


def test_it_records_the_download_in_the_security_log(
    alice_done: TrainingCompletion, client_as: ClientAs, officer_alice: User, council: Organisation
) -> None:
    from socialvalue.accounts.models import SecurityEvent

    client_as(officer_alice).get("/insights/training/?year=2022")
    client_as(officer_alice).get("/insights/training/officers.csv?year=2022")
    downloads = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERSONAL_DATA_EXPORTED)
    assert [(e.actor, e.organisation, e.detail) for e in downloads] == [
        (officer_alice, council, {"export": "training records", "rows": 1, "year": 2022})
    ]
