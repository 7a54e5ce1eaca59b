"""The Cabinet report page and its PDF: who may have which report, and what it says.

The figures are those of ``kpi_world`` (see conftest.py and test_cabinet_report.py); every
quarter used here ended long ago, so the report reads the same whatever day it runs.
"""

import shutil
import subprocess
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.core.quarters import quarter_of
from socialvalue.insights.cabinet import quarter_slug
from socialvalue.insights.models import Place
from socialvalue.insights.tests.conftest import KpiWorld, main_of
from socialvalue.insights.views.reports import ERR_QUARTER

pytestmark = pytest.mark.django_db

ClientAs = Callable[[User | None], Client]
PAGE = reverse("insights:reports")


def pdf_url(who: str, quarter: str) -> str:
    return reverse("insights:cabinet_report_pdf", args=[who, quarter])


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:  # pragma: no cover - poppler is on CI machines
        pytest.skip("pdftotext is not installed")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def latest_slug() -> str:
    return quarter_slug(quarter_of(timezone.localdate()).previous())


# --- Who may see what ------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client, kpi_world: KpiWorld) -> None:
    for url in (PAGE, pdf_url(kpi_world.council.slug, "2024-q4")):
        response = public_dave.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["supplier_bob", "partner_pat"])
def test_it_refuses_suppliers_and_partners(
    client_as: ClientAs, kpi_world: KpiWorld, who: str, request: pytest.FixtureRequest
) -> None:
    user = client_as(request.getfixturevalue(who))

    assert user.get(PAGE).status_code == 403
    assert user.get(pdf_url(kpi_world.council.slug, "2024-q4")).status_code == 403


def test_it_refuses_olga_the_councils_reports(
    client_as: ClientAs, kpi_world: KpiWorld, officer_olga: User, greater_lancashire: Place
) -> None:
    olga = client_as(officer_olga)

    assert olga.get(pdf_url(kpi_world.council.slug, "2024-q4")).status_code == 404
    assert olga.get(pdf_url("place-greater-lancashire", "2024-q4")).status_code == 404
    assert olga.get(pdf_url("all", "2024-q4")).status_code == 404
    assert olga.get(PAGE, {"organisation": kpi_world.council.slug}).status_code == 404
    body = main_of(olga.get(PAGE))
    assert "Blackpool Council" in body
    assert "Lancashire County Council" not in body
    assert kpi_world.council.slug not in body


def test_it_refuses_the_council_blackpools_report_without_a_place(
    client_as: ClientAs, kpi_world: KpiWorld, lead_lucy: User
) -> None:
    response = client_as(lead_lucy).get(pdf_url(kpi_world.blackpool.slug, "2024-q4"))

    assert response.status_code == 404


def test_it_says_so_when_an_officer_has_no_organisation(client_as: ClientAs) -> None:
    nobody = UserFactory.create(
        email="new@lancashire.example", role=User.Role.OFFICER, organisation=None
    )
    user = client_as(nobody)

    assert "not linked to a buying organisation" in user.get(PAGE).content.decode()
    assert user.get(pdf_url("anything", "2024-q4")).status_code == 404


@pytest.mark.parametrize("quarter", ["2024-q5", "2024", "not-a-quarter", "2999-q1"])
def test_it_finds_no_report_for_a_quarter_that_is_not_one(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User, quarter: str
) -> None:
    response = client_as(officer_alice).get(pdf_url(kpi_world.council.slug, quarter))

    assert response.status_code == 404


# --- The page --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead_lucy", "officer_alice", "evaluator_erin"])
def test_it_offers_council_staff_the_latest_completed_quarter(
    client_as: ClientAs, kpi_world: KpiWorld, who: str, request: pytest.FixtureRequest
) -> None:
    response = client_as(request.getfixturevalue(who)).get(PAGE)

    assert response.status_code == 200
    body = main_of(response)
    assert "Cabinet report" in body
    assert f'href="{pdf_url(kpi_world.council.slug, latest_slug())}"' in body
    assert 'name="organisation"' not in body  # one organisation: nothing to choose
    assert 'name="quarter"' in body
    # Every completed quarter since contract C began in April 2023 is listed.
    assert "Q1 2023-24 (April to June 2023)" in body
    assert "Q4 2022-23" not in body
    assert "£63,463.75" in body  # delivered in Q1 2024-25


def test_it_links_to_the_chosen_quarter(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    body = main_of(client_as(officer_alice).get(PAGE, {"quarter": "2024-q3"}))

    assert f'href="{pdf_url(kpi_world.council.slug, "2024-q3")}" id="download"' in body
    assert "Q3 2024-25 (October to December 2024) (PDF)" in body


def test_it_says_what_is_wrong_with_a_quarter_not_listed(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    response = client_as(officer_alice).get(PAGE, {"quarter": "2019-q1"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: Cabinet report" in body
    assert ERR_QUARTER in body
    assert 'id="download"' not in body


def test_it_offers_the_place_lead_the_place_and_each_member(
    client_as: ClientAs, kpi_world: KpiWorld, lead_lucy: User, greater_lancashire: Place
) -> None:
    lucy = client_as(lead_lucy)

    body = main_of(lucy.get(PAGE))
    assert '<option value="place-greater-lancashire" selected>All of Greater Lancashire' in body
    assert f'<option value="{kpi_world.blackpool.slug}">Blackpool Council</option>' in body
    assert f'href="{pdf_url("place-greater-lancashire", latest_slug())}"' in body
    blackpool = main_of(lucy.get(PAGE, {"organisation": kpi_world.blackpool.slug}))
    assert f'href="{pdf_url(kpi_world.blackpool.slug, latest_slug())}"' in blackpool
    # Blackpool's first contract began in April 2024.
    assert "Q1 2024-25 (April to June 2024)" in blackpool
    assert "Q4 2023-24" not in blackpool


def test_it_shows_an_empty_state_when_nothing_was_delivered(
    client_as: ClientAs, officer_olga: User
) -> None:
    body = main_of(client_as(officer_olga).get(PAGE))

    assert "No social value has been delivered (verified) in these quarters yet" in body
    assert officer_olga.organisation is not None
    assert f'href="{pdf_url(officer_olga.organisation.slug, latest_slug())}"' in body


# --- The PDF ---------------------------------------------------------------------------------


def test_it_renders_the_councils_report_as_a_pdf_with_the_figures(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    response = client_as(officer_alice).get(pdf_url(kpi_world.council.slug, "2024-q4"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="cabinet-report-{kpi_world.council.slug}-2024-q4.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Lancashire County Council" in text
    assert "Q4 2024-25 (January to March 2025)" in text
    assert "£5,000.00" in text  # delivered in Q4
    assert "£112,148.75" in text  # delivered in 2024-25
    assert "£324,570.00" in text  # committed in 2024-25
    assert "15.47%" in text  # Social Value Add, delivered
    assert "Economic prosperity" in text
    assert "£57,400.00" in text  # delivered in the theme
    assert "LCC-B" in text  # the top contract of Q4
    # Contract status as it stands now, when every quarter of A and B is due: B delivered
    # 17,400 of 62,000 (28.06%), A 86,927.50 of 262,570 (33.11%), both red; C 75%, amber.
    assert "28.06%" in text
    assert "33.11%" in text
    assert "75.00%" in text
    assert "Q3 2024-25" in text  # Bob's overdue return
    assert "Definitions" in text
    assert "Blackpool" not in text
    assert "BPC-D" not in text
    assert "£153,855.00" not in text


def test_it_renders_the_place_report_with_every_member(
    client_as: ClientAs, kpi_world: KpiWorld, lead_lucy: User, greater_lancashire: Place
) -> None:
    response = client_as(lead_lucy).get(pdf_url("place-greater-lancashire", "2024-q1"))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "All of Greater Lancashire" in text
    # Q1 2024-25: the council 63,463.75 + Blackpool's D 93,855.
    assert "£157,318.75" in text
    assert "BPC-D" in text
    assert "£93,855.00" in text
    assert "Blackpool Council" in text  # each contract names its buyer in a place report


def test_it_renders_a_quarter_with_no_data_with_empty_sections(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    response = client_as(officer_alice).get(pdf_url(kpi_world.council.slug, "2020-q2"))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content).split())
    assert "Q2 2020-21 (July to September 2020)" in text
    assert "No social value was committed or delivered in Q1 2020-21 to Q2 2020-21." in text
    assert "No contract delivered verified social value in Q2 2020-21." in text
    assert "No live contract was rated red or amber" in text
    assert "No return for Q2 2020-21 or earlier was overdue" in text
