"""The statement pages for staff: who may read, who may write, and the forms."""

from collections.abc import Callable

import pytest
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.insights.models import Statement, StatementSection
from socialvalue.insights.statement import ERR_SECTION_EMPTY, statement_create, statement_publish
from socialvalue.insights.statement_forms import ERR_YEAR_REQUIRED
from socialvalue.insights.tests.statement_support import (
    NARRATIVE,
    YEAR,
    StatementWorld,
    statement_world,
    write_all,
)

__all__ = ["statement_world"]

ClientAs = Callable[[User | None], Client]
Key = StatementSection.Key
VIEW = f"/insights/statement/{YEAR}/"
LEAD_PAGES = [
    f"/insights/statement/{YEAR}/edit/",
    f"/insights/statement/{YEAR}/edit/focus/",
    f"/insights/statement/{YEAR}/publish/",
    f"/insights/statement/{YEAR}/withdraw/",
]


@pytest.fixture
def draft(lead_lucy: User, council: Organisation) -> Statement:
    statement = statement_create(organisation=council, year=YEAR, by=lead_lucy)
    write_all(statement)
    return statement


@pytest.fixture
def lead_bill(blackpool: Organisation) -> User:
    return UserFactory.create(
        email="bill@blackpool.example",
        full_name="Bill Lead",
        role=User.Role.LEAD,
        organisation=blackpool,
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


# --- Who may see what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lead_lucy", 200),
        ("officer_alice", 200),  # the organisation's staff read drafts, read-only
        ("evaluator_erin", 200),
        ("officer_olga", 404),  # another organisation's statement
        ("lead_bill", 404),
        ("supplier_bob", 403),
        ("public_dave", 302),  # to the sign-in page
    ],
)
def test_it_shows_a_draft_to_its_organisations_staff_only(
    draft: Statement, users: dict[str, User | None], client_as: ClientAs, who: str, status: int
) -> None:
    response = client_as(users[who]).get(VIEW)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/account/sign-in/")
    pdf = client_as(users[who]).get(f"{VIEW}statement.pdf")
    assert pdf.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lead_lucy", 200),
        ("officer_alice", 403),
        ("evaluator_erin", 403),
        ("officer_olga", 403),
        ("lead_bill", 404),  # a lead, but Blackpool has no statement for the year
        ("supplier_bob", 403),
        ("public_dave", 302),
    ],
)
@pytest.mark.parametrize("url", LEAD_PAGES)
def test_it_lets_only_the_lead_edit_publish_and_withdraw(
    draft: Statement,
    users: dict[str, User | None],
    client_as: ClientAs,
    who: str,
    status: int,
    url: str,
) -> None:
    client = client_as(users[who])
    assert client.get(url).status_code == status
    posted = client.post(url, {"title": "Hacked", "body": "Hacked", "action": "save"})
    if who == "lead_lucy":
        # Saved, or published; a draft cannot be withdrawn.
        assert posted.status_code == (400 if url.endswith("withdraw/") else 302)
    else:
        assert posted.status_code == (302 if who == "public_dave" else status)
    if who != "lead_lucy":
        draft.refresh_from_db()
        assert draft.title != "Hacked"
        assert draft.status == Statement.Status.DRAFT
        assert not draft.sections.filter(body="Hacked").exists()


def test_it_shows_officers_a_read_only_draft(
    statement_world: StatementWorld, draft: Statement, client_as: ClientAs, officer_alice: User
) -> None:
    page = client_as(officer_alice).get(VIEW).content.decode()
    assert "Only your organisation's staff can see this draft." in page
    assert "Edit the statement" not in page
    assert "We buy <strong>locally</strong> where we can." in page
    assert "£106,070.50" in page  # the live figures


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lead_lucy", 200),
        ("officer_alice", 200),
        ("officer_olga", 200),
        ("supplier_bob", 403),
        ("public_dave", 302),
    ],
)
def test_it_lists_only_the_organisations_own_statements(
    draft: Statement, users: dict[str, User | None], client_as: ClientAs, who: str, status: int
) -> None:
    response = client_as(users[who]).get("/insights/statement/")
    assert response.status_code == status
    if status == 200:
        shown = "Social value statement 2022-23" in response.content.decode()
        assert shown == (who != "officer_olga")


def test_it_offers_the_start_form_to_the_lead_only(
    client_as: ClientAs, lead_lucy: User, officer_alice: User
) -> None:
    assert (
        "Start the statement" in client_as(lead_lucy).get("/insights/statement/").content.decode()
    )
    page = client_as(officer_alice).get("/insights/statement/").content.decode()
    assert "Start the statement" not in page
    assert (
        client_as(officer_alice).post("/insights/statement/new/", {"year": YEAR}).status_code == 403
    )
    assert not Statement.objects.exists()


# --- The lead at work ---------------------------------------------------------------------------


def test_it_starts_a_statement_for_a_year(
    client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    response = client_as(lead_lucy).post("/insights/statement/new/", {"year": YEAR})
    assert response.status_code == 302
    assert response["Location"] == f"/insights/statement/{YEAR}/edit/"
    statement = Statement.objects.get(organisation=council, year=YEAR)
    assert statement.sections.count() == 7


@pytest.mark.parametrize("year", ["", "1999", "banana", str(YEAR)])
def test_it_refuses_a_bad_or_taken_year(
    draft: Statement, client_as: ClientAs, lead_lucy: User, year: str
) -> None:
    response = client_as(lead_lucy).post("/insights/statement/new/", {"year": year})
    assert response.status_code == 400
    assert ERR_YEAR_REQUIRED in response.content.decode()
    assert Statement.objects.count() == 1


def test_it_previews_a_section_without_saving_it(
    draft: Statement, client_as: ClientAs, lead_lucy: User
) -> None:
    url = f"/insights/statement/{YEAR}/edit/focus/"
    response = client_as(lead_lucy).post(
        url, {"body": "## Priorities\n\n- **Jobs**\n<script>alert(1)</script>", "action": "preview"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview (not saved yet)" in page
    assert '<h3 class="govuk-heading-s">Priorities</h3>' in page
    assert "<strong>Jobs</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert draft.sections.get(key=Key.FOCUS).body == NARRATIVE[Key.FOCUS]


def test_it_saves_a_section(draft: Statement, client_as: ClientAs, lead_lucy: User) -> None:
    url = f"/insights/statement/{YEAR}/edit/action_plan/"
    response = client_as(lead_lucy).post(url, {"body": "Do more.", "action": "save"})
    assert response.status_code == 302
    assert draft.sections.get(key=Key.ACTION_PLAN).body == "Do more."


def test_it_refuses_an_unknown_section(
    draft: Statement, client_as: ClientAs, lead_lucy: User
) -> None:
    response = client_as(lead_lucy).get(f"/insights/statement/{YEAR}/edit/appendix/")
    assert response.status_code == 404


def test_it_refuses_a_section_too_long(
    draft: Statement, client_as: ClientAs, lead_lucy: User
) -> None:
    url = f"/insights/statement/{YEAR}/edit/focus/"
    response = client_as(lead_lucy).post(url, {"body": "x" * 50_001, "action": "save"})
    assert response.status_code == 400
    assert "The section must be 50,000 characters or fewer" in response.content.decode()
    assert draft.sections.get(key=Key.FOCUS).body == NARRATIVE[Key.FOCUS]


def test_it_renames_the_statement(draft: Statement, client_as: ClientAs, lead_lucy: User) -> None:
    url = f"/insights/statement/{YEAR}/edit/"
    assert client_as(lead_lucy).post(url, {"title": "  "}).status_code == 400
    assert client_as(lead_lucy).post(url, {"title": "Our year"}).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Our year"


def test_it_explains_why_a_statement_cannot_be_published(
    client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    statement_create(organisation=council, year=YEAR, by=lead_lucy)
    response = client_as(lead_lucy).post(f"/insights/statement/{YEAR}/publish/")
    assert response.status_code == 400
    assert ERR_SECTION_EMPTY.format(section="Action plan") in response.content.decode()
    assert Statement.objects.get().status == Statement.Status.DRAFT


def test_it_publishes_and_withdraws_from_the_pages(
    statement_world: StatementWorld, draft: Statement, client_as: ClientAs, lead_lucy: User
) -> None:
    lucy = client_as(lead_lucy)
    assert lucy.post(f"/insights/statement/{YEAR}/publish/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Statement.Status.PUBLISHED
    assert client_as(None).get(f"/statement/{YEAR}/").status_code == 200
    page = lucy.get(VIEW).content.decode()
    assert "Withdraw" in page
    assert "Figures frozen at publication" in page  # the history
    edit = lucy.get(f"/insights/statement/{YEAR}/edit/focus/").content.decode()
    assert "The statement is published, so it cannot be changed." in edit

    assert lucy.post(f"/insights/statement/{YEAR}/withdraw/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Statement.Status.DRAFT
    assert client_as(None).get(f"/statement/{YEAR}/").status_code == 404


def test_it_lets_another_organisations_lead_keep_their_own(
    client_as: ClientAs, lead_bill: User, blackpool: Organisation, draft: Statement
) -> None:
    bill = client_as(lead_bill)
    assert bill.post("/insights/statement/new/", {"year": YEAR}).status_code == 302
    theirs = Statement.objects.get(organisation=blackpool, year=YEAR)
    page = bill.get(VIEW).content.decode()
    assert "Blackpool Council" in page
    assert theirs.title in page
    write_all(theirs)
    statement_publish(theirs, by=lead_bill)
    draft.refresh_from_db()
    assert draft.status == Statement.Status.DRAFT
