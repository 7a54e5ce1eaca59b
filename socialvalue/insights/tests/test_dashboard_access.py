"""Who may see the dashboard, and whose figures they see."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import User
from socialvalue.insights.models import Place
from socialvalue.insights.tests.conftest import KpiWorld, main_of

pytestmark = pytest.mark.django_db

URL = reverse("insights:dashboard")
FY2024 = {"year": "2024"}
# Delivered in 2024-25 (see test_kpis.py): the council £112,148.75, Blackpool £153,855.
COUNCIL_DELIVERED = "£112,148.75"
BLACKPOOL_DELIVERED = "£153,855.00"
BOTH_DELIVERED = "£266,003.75"

ClientAs = Callable[[User | None], Client]


def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client) -> None:
    response = public_dave.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["supplier_bob", "partner_pat"])
def test_it_refuses_suppliers_and_partners(
    client_as: ClientAs, who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)

    assert client_as(user).get(URL).status_code == 403
    assert client_as(user).get(URL, {"format": "csv", "table": "theme"}).status_code == 403


@pytest.mark.parametrize("who", ["lead_lucy", "officer_alice", "evaluator_erin"])
def test_it_shows_council_staff_their_organisations_figures(
    client_as: ClientAs, kpi_world: KpiWorld, who: str, request: pytest.FixtureRequest
) -> None:
    response = client_as(request.getfixturevalue(who)).get(URL, FY2024)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Lancashire County Council, 2024-25" in body
    assert COUNCIL_DELIVERED in body
    assert "Blackpool Council" not in body
    assert BLACKPOOL_DELIVERED not in body


def test_it_offers_no_choice_of_organisation_to_a_single_organisation(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User
) -> None:
    response = client_as(officer_alice).get(URL, FY2024)

    assert 'name="organisation"' not in response.content.decode()


def test_it_shows_olga_blackpools_figures_and_never_the_councils(
    client_as: ClientAs, kpi_world: KpiWorld, officer_olga: User
) -> None:
    olga = client_as(officer_olga)
    body = main_of(olga.get(URL, FY2024))

    assert "Blackpool Council, 2024-25" in body
    assert BLACKPOOL_DELIVERED in body
    assert COUNCIL_DELIVERED not in body
    assert "Lancashire County Council" not in body
    assert "Carol" not in body  # the council's supplier, not Blackpool's
    csv_body = olga.get(URL, {**FY2024, "format": "csv", "table": "organisation"})
    assert "Lancashire County Council" not in csv_body.content.decode("utf-8-sig")


def test_it_refuses_olga_the_councils_figures_by_address(
    client_as: ClientAs, kpi_world: KpiWorld, officer_olga: User
) -> None:
    olga = client_as(officer_olga)
    council = str(kpi_world.council.pk)

    assert olga.get(URL, {**FY2024, "organisation": council}).status_code == 404
    assert olga.get(URL, {"organisation": council, "format": "xlsx"}).status_code == 404
    assert olga.get(URL, {"organisation": "place-greater-lancashire"}).status_code == 404
    assert olga.get(URL, {"organisation": "not-a-number"}).status_code == 404


def test_it_offers_everything_visible_when_no_place_covers_it(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User, greater_lancashire: Place
) -> None:
    greater_lancashire.members.remove(kpi_world.blackpool)
    Place.objects.create(
        name="Fylde Coast", slug="fylde-coast", lead_organisation=kpi_world.council
    )
    Place.objects.get(slug="fylde-coast").members.add(kpi_world.blackpool)
    alice = client_as(officer_alice)

    body = main_of(alice.get(URL, FY2024))

    assert "All your organisations, 2024-25" in body
    assert BOTH_DELIVERED in body
    assert '<option value="place-fylde-coast">All of Fylde Coast</option>' in body
    fylde = main_of(alice.get(URL, {**FY2024, "organisation": "place-fylde-coast"}))
    assert "All of Fylde Coast, 2024-25" in fylde
    assert BLACKPOOL_DELIVERED in fylde  # its only member; the council leads it but is not in it


def test_it_refuses_the_council_blackpools_figures_without_a_place(
    client_as: ClientAs, kpi_world: KpiWorld, lead_lucy: User
) -> None:
    response = client_as(lead_lucy).get(URL, {"organisation": str(kpi_world.blackpool.pk)})

    assert response.status_code == 404


def test_it_shows_the_place_lead_every_member_together_and_one_by_one(
    client_as: ClientAs, kpi_world: KpiWorld, officer_alice: User, greater_lancashire: Place
) -> None:
    alice = client_as(officer_alice)

    everyone = alice.get(URL, FY2024).content.decode()
    assert "All of Greater Lancashire, 2024-25" in everyone
    assert BOTH_DELIVERED in everyone
    assert 'name="organisation"' in everyone
    assert ">Adult Services (Lancashire County Council)</option>" in everyone
    place = alice.get(URL, {**FY2024, "organisation": "place-greater-lancashire"})
    assert BOTH_DELIVERED in main_of(place)
    blackpool = alice.get(URL, {**FY2024, "organisation": str(kpi_world.blackpool.pk)})
    assert "Blackpool Council, 2024-25" in blackpool.content.decode()
    assert BLACKPOOL_DELIVERED in blackpool.content.decode()
    council = alice.get(URL, {**FY2024, "organisation": str(kpi_world.council.pk)})
    assert COUNCIL_DELIVERED in council.content.decode()
    assert BOTH_DELIVERED not in council.content.decode()


def test_it_keeps_a_place_member_to_its_own_figures(
    client_as: ClientAs, kpi_world: KpiWorld, officer_olga: User, greater_lancashire: Place
) -> None:
    olga = client_as(officer_olga)

    body = olga.get(URL, FY2024).content.decode()
    assert BLACKPOOL_DELIVERED in body
    assert BOTH_DELIVERED not in body
    assert olga.get(URL, {"organisation": "place-greater-lancashire"}).status_code == 404
    assert olga.get(URL, {"organisation": str(kpi_world.council.pk)}).status_code == 404


def test_it_tells_staff_without_an_organisation_there_is_nothing_to_show(
    client_as: ClientAs, db: None
) -> None:
    nobody = User.objects.create_user("nobody@example.org", full_name="No Body", role="officer")

    response = client_as(nobody).get(URL)

    assert response.status_code == 200
    assert "not linked to a buying organisation" in response.content.decode()


def test_it_only_answers_get(client_as: ClientAs, lead_lucy: User) -> None:
    assert client_as(lead_lucy).post(URL).status_code == 405
