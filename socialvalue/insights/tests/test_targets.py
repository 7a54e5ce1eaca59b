"""KPI targets: the lead sets them per year, other council staff see them, history is kept."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.insights import services
from socialvalue.insights.dashboard import current_financial_year
from socialvalue.insights.models import Kpi, KpiTarget, Place
from socialvalue.insights.services import kpi_target_set
from socialvalue.insights.tests.conftest import main_of

pytestmark = pytest.mark.django_db

URL = reverse("insights:targets")
ClientAs = Callable[[User | None], Client]
EMPTY = {kpi.value: "" for kpi in Kpi}


def targets_of(owner: Organisation | Place, year: int = 2025) -> dict[str, Decimal]:
    field = "place" if isinstance(owner, Place) else "organisation"
    return dict(KpiTarget.objects.filter(year=year, **{field: owner}).values_list("kpi", "target"))


# --- Who may see and set them ----------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client) -> None:
    response = public_dave.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["supplier_bob", "partner_pat"])
def test_it_refuses_suppliers_and_partners(
    client_as: ClientAs, who: str, request: pytest.FixtureRequest
) -> None:
    c = client_as(request.getfixturevalue(who))

    assert c.get(URL).status_code == 403
    assert c.post(URL, {**EMPTY, "delivered_value": "1"}).status_code == 403
    assert not KpiTarget.objects.exists()


def test_it_lets_the_lead_edit_the_targets(client_as: ClientAs, lead_lucy: User) -> None:
    body = main_of(client_as(lead_lucy).get(URL))

    label = f"{current_financial_year()}-{(current_financial_year() + 1) % 100:02d}"
    assert f"Targets for {label}" in body
    assert 'name="delivered_value"' in body
    assert f"Save the targets for {label}" in body


@pytest.mark.parametrize("who", ["officer_alice", "evaluator_erin"])
def test_it_shows_other_council_staff_the_targets_to_read(
    client_as: ClientAs,
    lead_lucy: User,
    council: Organisation,
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    kpi_target_set(
        by=lead_lucy, organisation=council, kpi=Kpi.RETURNS_ON_TIME, year=2025, target=Decimal(90)
    )
    c = client_as(request.getfixturevalue(who))

    body = main_of(c.get(URL, {"year": "2025"}))

    assert "<input" not in body.split("Targets for 2025-26")[1]
    assert "90.00%" in body
    assert "Not set" in body
    assert c.post(URL + "?year=2025", {**EMPTY, "returns_on_time": "10"}).status_code == 403
    assert targets_of(council) == {Kpi.RETURNS_ON_TIME: Decimal("90.00")}


def test_it_shows_olga_blackpools_targets_only(
    client_as: ClientAs, lead_lucy: User, council: Organisation, officer_olga: User
) -> None:
    kpi_target_set(
        by=lead_lucy,
        organisation=council,
        kpi=Kpi.DELIVERED_VALUE,
        year=2025,
        target=Decimal(123456),
    )
    olga = client_as(officer_olga)

    body = main_of(olga.get(URL, {"year": "2025"}))

    assert "Blackpool Council" in body
    assert "£123,456.00" not in body
    assert "Lancashire County Council" not in body
    assert olga.get(URL, {"owner": "place-greater-lancashire"}).status_code == 404


# --- Setting them ----------------------------------------------------------------------------


def test_it_names_the_largest_target() -> None:
    assert services.ERR_TOO_BIG == "The target must be 999,999,999,999.99 or less."


def test_it_keeps_the_largest_target_to_the_last_digit(
    client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    response = client_as(lead_lucy).post(
        URL + "?year=2025", {**EMPTY, "delivered_value": "999,999,999,999.99"}
    )
    assert response.status_code == 302
    assert targets_of(council) == {Kpi.DELIVERED_VALUE: Decimal("999999999999.99")}


def test_it_saves_the_years_targets_and_records_who_did(
    client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    lucy = client_as(lead_lucy)

    response = lucy.post(
        URL + "?year=2025",
        {
            **EMPTY,
            "delivered_value": "1,500,000",
            "local_spend": "25%",
            "case_studies": "1",
            "returns_on_time": " 95.5 ",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == URL + "?year=2025"
    assert targets_of(council) == {
        Kpi.DELIVERED_VALUE: Decimal("1500000.00"),
        Kpi.LOCAL_SPEND: Decimal("25.00"),
        Kpi.CASE_STUDIES: Decimal("1.00"),
        Kpi.RETURNS_ON_TIME: Decimal("95.50"),
    }
    body = main_of(lucy.get(response["Location"]))
    assert "The targets for 2025-26 have been saved." in body
    assert 'value="1500000"' in body
    assert "Set to £1,500,000.00" in body
    assert "Lucy Lead" in body


def test_it_changes_and_removes_targets_keeping_the_history(
    client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    lucy = client_as(lead_lucy)
    lucy.post(URL + "?year=2025", {**EMPTY, "delivered_value": "100", "vcse_spend": "5"})

    lucy.post(URL + "?year=2025", {**EMPTY, "delivered_value": "200"})

    assert targets_of(council) == {Kpi.DELIVERED_VALUE: Decimal("200.00")}
    body = main_of(lucy.get(URL, {"year": "2025"}))
    assert "Changed from £100.00 to £200.00" in body
    assert "Removed (it was 5.00%)" in body
    assert body.index("Changed from") < body.index("Set to £100.00")  # newest first


def test_it_records_nothing_when_nothing_changes(lead_lucy: User, council: Organisation) -> None:
    for _ in range(2):
        kpi_target_set(
            by=lead_lucy, organisation=council, kpi=Kpi.CASE_STUDIES, year=2025, target=Decimal(1)
        )

    assert KpiTarget.history.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("delivered_value", "-1", services.ERR_NEGATIVE),
        ("local_spend", "100.01", services.ERR_PERCENT),
        ("returns_on_time", "250", services.ERR_PERCENT),
        ("case_studies", "1.5", services.ERR_WHOLE),
        ("committed_value", "lots", services.ERR_NUMBER),
        ("committed_value", "NaN", services.ERR_NUMBER),
        ("committed_value", "12.345", services.ERR_PLACES),
        ("committed_value", "1e20", services.ERR_TOO_BIG),
        ("committed_value", "1,000,000,000,000", services.ERR_TOO_BIG),
    ],
)
def test_it_explains_a_bad_target_and_saves_nothing(
    client_as: ClientAs, lead_lucy: User, field: str, value: str, message: str
) -> None:
    response = client_as(lead_lucy).post(
        URL + "?year=2025", {**EMPTY, "delivered_value": "100", field: value}
    )

    assert response.status_code == 200
    body = response.content.decode().replace("&#x27;", "'")
    assert "<title>Error: " in body
    assert f'<a href="#id_{field}">{message}</a>' in body
    assert not KpiTarget.objects.exists()


def test_it_allows_percentages_of_exactly_100_and_zero(
    client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    client_as(lead_lucy).post(
        URL + "?year=2025", {**EMPTY, "officers_trained": "100", "tenders_with_sv": "0"}
    )

    assert targets_of(council) == {
        Kpi.OFFICERS_TRAINED: Decimal("100.00"),
        Kpi.TENDERS_WITH_SV: Decimal("0.00"),
    }


def test_it_explains_a_year_it_does_not_offer(client_as: ClientAs, lead_lucy: User) -> None:
    body = client_as(lead_lucy).get(URL, {"year": "1850"}).content.decode()

    assert '<a href="#id_year">Choose a financial year from the list</a>' in body


# --- Places ----------------------------------------------------------------------------------


def test_it_lets_the_place_lead_set_the_places_targets(
    client_as: ClientAs,
    lead_lucy: User,
    officer_alice: User,
    council: Organisation,
    greater_lancashire: Place,
) -> None:
    lucy = client_as(lead_lucy)
    query = "?year=2025&owner=place-greater-lancashire"

    response = lucy.post(URL + query, {**EMPTY, "delivered_value": "5000000"})

    assert response["Location"] == URL + "?year=2025&owner=place-greater-lancashire"
    assert targets_of(greater_lancashire) == {Kpi.DELIVERED_VALUE: Decimal("5000000.00")}
    assert targets_of(council) == {}
    alice_sees = main_of(client_as(officer_alice).get(URL + query))
    assert "£5,000,000.00" in alice_sees
    assert "Greater Lancashire" in alice_sees


def test_it_refuses_a_member_the_place_targets(
    client_as: ClientAs, greater_lancashire: Place, blackpool: Organisation
) -> None:
    blackpool_lead = User.objects.create_user(
        "bea@blackpool.example", full_name="Bea Lead", role=User.Role.LEAD, organisation=blackpool
    )

    c = client_as(blackpool_lead)
    assert c.get(URL, {"owner": "place-greater-lancashire"}).status_code == 404
    with pytest.raises(PermissionDenied):
        kpi_target_set(
            by=blackpool_lead,
            place=greater_lancashire,
            kpi=Kpi.CASE_STUDIES,
            year=2025,
            target=Decimal(1),
        )


# --- The service's own checks ----------------------------------------------------------------


def test_it_lets_only_the_lead_set_targets(officer_alice: User, council: Organisation) -> None:
    with pytest.raises(PermissionDenied, match=services.ERR_NOT_LEAD):
        kpi_target_set(
            by=officer_alice,
            organisation=council,
            kpi=Kpi.CASE_STUDIES,
            year=2025,
            target=Decimal(1),
        )


def test_it_lets_the_lead_set_only_their_own_organisations_targets(
    lead_lucy: User, blackpool: Organisation
) -> None:
    with pytest.raises(PermissionDenied, match=services.ERR_NOT_YOURS):
        kpi_target_set(
            by=lead_lucy, organisation=blackpool, kpi=Kpi.CASE_STUDIES, year=2025, target=Decimal(1)
        )


def test_it_checks_the_kpi_and_the_year(lead_lucy: User, council: Organisation) -> None:
    with pytest.raises(ValidationError) as bad_kpi:
        kpi_target_set(by=lead_lucy, organisation=council, kpi="nonsense", year=2025, target=None)
    with pytest.raises(ValidationError) as bad_year:
        kpi_target_set(
            by=lead_lucy, organisation=council, kpi=Kpi.CASE_STUDIES, year=1999, target=None
        )

    assert bad_kpi.value.message_dict == {"kpi": [services.ERR_KPI]}
    assert bad_year.value.message_dict == {"year": [services.ERR_YEAR]}


def test_it_selects_the_year_shown_when_the_address_names_none(
    client_as: ClientAs, lead_lucy: User, greater_lancashire: Place
) -> None:
    body = main_of(client_as(lead_lucy).get(URL, {"owner": "place-greater-lancashire"}))

    year = current_financial_year()
    assert f'<option value="{year}" selected>' in body
    assert '<option value="place-greater-lancashire" selected>' in body
