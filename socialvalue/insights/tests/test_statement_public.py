"""The public statement pages and the PDF: published statements only, open to everyone."""

import shutil
import subprocess
from collections.abc import Callable

import pytest
from django.test import Client, override_settings

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.insights.models import Statement
from socialvalue.insights.statement import statement_create, statement_publish, statement_withdraw
from socialvalue.insights.tests.statement_support import (
    YEAR,
    StatementWorld,
    statement_world,
    write_all,
)

__all__ = ["statement_world"]

ClientAs = Callable[[User | None], Client]
NO_STATEMENT = "No annual social value statement has been published yet."


@pytest.fixture
def lead_bill(blackpool: Organisation) -> User:
    return UserFactory.create(
        email="bill@blackpool.example", role=User.Role.LEAD, organisation=blackpool
    )


def published(organisation: Organisation, year: int, by: User) -> Statement:
    statement = statement_create(organisation=organisation, year=year, by=by)
    write_all(statement)
    return statement_publish(statement, by=by)


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:  # pragma: no cover - poppler is on CI machines
        pytest.skip("pdftotext is not installed")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_it_says_when_nothing_is_published(
    client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    statement_create(organisation=council, year=YEAR, by=lead_lucy)  # a draft only
    response = client_as(None).get("/statement/")
    assert response.status_code == 200
    assert NO_STATEMENT in response.content.decode()
    assert client_as(None).get(f"/statement/{YEAR}/").status_code == 404


@pytest.mark.parametrize("suffix", ["", "statement.pdf"])
def test_it_never_shows_a_draft_in_public(
    statement_world: StatementWorld,
    client_as: ClientAs,
    lead_lucy: User,
    council: Organisation,
    suffix: str,
) -> None:
    published(council, YEAR - 1, lead_lucy)
    statement_create(organisation=council, year=YEAR, by=lead_lucy)
    for user in (None, lead_lucy):
        assert client_as(user).get(f"/statement/{YEAR}/{suffix}").status_code == 404
    assert client_as(None).get(f"/statement/{YEAR - 1}/{suffix}").status_code == 200
    slug = council.slug
    assert client_as(None).get(f"/statement/{slug}/{YEAR}/{suffix}").status_code == 404


@pytest.mark.parametrize("who", ["public_dave", "supplier_bob", "officer_olga", "lead_lucy"])
def test_it_shows_the_latest_published_statement_to_everyone(
    statement_world: StatementWorld,
    client_as: ClientAs,
    lead_lucy: User,
    supplier_bob: User,
    officer_olga: User,
    council: Organisation,
    who: str,
) -> None:
    users = {"public_dave": None, "supplier_bob": supplier_bob, "officer_olga": officer_olga}
    published(council, YEAR - 1, lead_lucy)
    published(council, YEAR, lead_lucy)
    response = client_as(users.get(who, lead_lucy)).get("/statement/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Social value statement 2022-23" in page
    assert "1. Introduction and approach" in page
    assert "7. Action plan" in page
    assert "£106,070.50" in page  # delivered, as frozen
    assert "22.81%" in page  # SV Add delivered
    assert "Story apprentices" in page
    assert f'href="/statement/{YEAR - 1}/">2021-22</a>' in page  # the other year
    assert f'href="/statement/{YEAR}/statement.pdf"' in page


def test_it_shows_a_year_and_lists_the_others(
    client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    published(council, YEAR - 1, lead_lucy)
    published(council, YEAR, lead_lucy)
    page = client_as(None).get(f"/statement/{YEAR - 1}/").content.decode()
    assert "Social value statement 2021-22" in page
    assert f'href="/statement/{YEAR}/">2022-23</a>' in page
    assert client_as(None).get(f"/statement/{YEAR - 3}/").status_code == 404


def test_it_prefers_the_organisation_running_the_service(
    client_as: ClientAs,
    lead_lucy: User,
    lead_bill: User,
    council: Organisation,
    blackpool: Organisation,
) -> None:
    newer = published(blackpool, YEAR, lead_bill)
    # Only Blackpool has published: /statement/ shows theirs.
    assert "Blackpool Council" in client_as(None).get("/statement/").content.decode()
    published(council, YEAR - 1, lead_lucy)
    page = client_as(None).get("/statement/").content.decode()
    assert "Lancashire County Council · annual social value statement 2021-22" in page
    # Blackpool's statement stays on its own address, linked from the page.
    assert 'href="/statement/blackpool-council/"' in page
    theirs = client_as(None).get(f"/statement/blackpool-council/{YEAR}/")
    assert theirs.status_code == 200
    assert newer.title in theirs.content.decode()
    assert client_as(None).get("/statement/blackpool-council/").status_code == 200
    assert client_as(None).get("/statement/nobody/").status_code == 404


def test_it_falls_back_when_the_owner_is_unknown(
    client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    published(council, YEAR, lead_lucy)
    with override_settings(SERVICE_OWNER="Somewhere Else Council"):
        assert client_as(None).get("/statement/").status_code == 200
        assert client_as(None).get(f"/statement/{YEAR}/").status_code == 200


def test_it_hides_a_withdrawn_statement(
    client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    statement = published(council, YEAR, lead_lucy)
    statement_withdraw(statement, by=lead_lucy)
    assert NO_STATEMENT in client_as(None).get("/statement/").content.decode()
    assert client_as(None).get(f"/statement/{YEAR}/statement.pdf").status_code == 404


def test_it_renders_the_statement_as_a_pdf(
    statement_world: StatementWorld, client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    published(council, YEAR, lead_lucy)
    response = client_as(None).get(f"/statement/{YEAR}/statement.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        "social-value-statement-lancashire-county-council-2022-23.pdf"
        in (response["Content-Disposition"])
    )
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for heading in (
        "Social value statement 2022-23",
        "1. Introduction and approach",
        "2. Key areas of focus",
        "3. Communication, co-ordination and internal management",
        "4. Supporting staff",
        "5. Supporting suppliers and partners",
        "6. Social value achievements to date",
        "7. Action plan",
        "Our approach",
    ):
        assert heading in text
    for figure in ("£188,570.00", "£106,070.50", "22.81%", "£40,000.00", "8.60%", "2 (target 4)"):
        assert figure in text
    assert "Story gully-crews" in text
    assert "Page 1 of" in text


def test_it_marks_a_draft_pdf_as_a_draft(
    statement_world: StatementWorld, client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    statement = statement_create(organisation=council, year=YEAR, by=lead_lucy)
    write_all(statement)
    response = client_as(lead_lucy).get(f"/insights/statement/{YEAR}/statement.pdf")
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert "Draft: not published." in pdf_text(response.content)
