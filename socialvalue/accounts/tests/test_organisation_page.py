"""The organisation page: details edited from inside the organisation, and a council's
directorates and service areas kept by its lead."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from socialvalue.accounts import services
from socialvalue.accounts.models import Directorate, Organisation, ServiceArea, User
from socialvalue.accounts.services import (
    directorate_create,
    directorate_remove,
    organisation_update,
    service_area_remove,
)

ClientAs = Callable[[User | None], Client]
PAGE = "/account/organisation/"
EDIT = "/account/organisation/edit/"


def details(**changes: Any) -> dict[str, Any]:
    data = {
        "size": "medium",
        "is_vcse": "on",
        "postcode": " pr1 8xj ",
        "website": "bobsbuilding.example",
        "companies_house_number": "01234567",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("who", ["lead_lucy", "officer_alice", "supplier_bob"])
def test_it_shows_each_user_their_own_organisation(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str
) -> None:
    person: User = request.getfixturevalue(who)
    response = client_as(person).get(PAGE)
    assert response.status_code == 200
    assert person.organisation is not None
    assert person.organisation.name.replace("'", "&#x27;") in response.content.decode()


def test_it_lets_a_supplier_user_edit_the_details_but_not_the_name_or_kind(
    client_as: ClientAs, supplier_bob: User, bobs_building: Organisation
) -> None:
    response = client_as(supplier_bob).post(
        EDIT, details(name="Renamed Ltd", kind="buyer"), follow=True
    )
    assert "The organisation&#x27;s details have been saved." in response.content.decode()
    bobs_building.refresh_from_db()
    assert (bobs_building.name, bobs_building.kind) == ("Bob's Building Ltd", "supplier")
    assert (bobs_building.size, bobs_building.is_vcse, bobs_building.postcode) == (
        "medium",
        True,
        "PR1 8XJ",
    )
    assert bobs_building.website == "https://bobsbuilding.example"
    assert bobs_building.companies_house_number == "01234567"
    assert bobs_building.history.first().history_user == supplier_bob


@pytest.mark.parametrize(
    ("field", "value"),
    [("companies_house_number", "123"), ("size", "huge"), ("website", "not a website")],
)
def test_it_refuses_bad_details(
    client_as: ClientAs, supplier_bob: User, bobs_building: Organisation, field: str, value: str
) -> None:
    response = client_as(supplier_bob).post(EDIT, details(**{field: value}))
    assert response.status_code == 400
    bobs_building.refresh_from_db()
    assert bobs_building.size == "small"


@pytest.mark.parametrize("who", ["officer_alice", "evaluator_erin"])
def test_it_lets_only_the_lead_edit_a_councils_details(
    client_as: ClientAs, request: pytest.FixtureRequest, council: Organisation, who: str
) -> None:
    client = client_as(request.getfixturevalue(who))
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, details()).status_code == 403
    council.refresh_from_db()
    assert council.size == "large"


def test_it_refuses_the_service_to_another_organisation(
    lead_bella: User, council: Organisation
) -> None:
    with pytest.raises(PermissionDenied):
        organisation_update(
            organisation=council,
            by=lead_bella,
            size="micro",
            is_vcse=False,
            postcode="",
            website="",
            companies_house_number="",
        )


def test_it_lets_the_lead_add_rename_and_remove_structure(
    client_as: ClientAs, lead_lucy: User, council: Organisation
) -> None:
    client = client_as(lead_lucy)
    client.post("/account/organisation/directorates/new/", {"name": "  Resources  "})
    directorate = Directorate.objects.get(organisation=council, name="Resources")
    client.post(
        f"/account/organisation/directorates/{directorate.pk}/service-areas/new/",
        {"name": "ICT"},
    )
    area = ServiceArea.objects.get(directorate=directorate)
    client.post(f"/account/organisation/service-areas/{area.pk}/", {"name": "Digital"})
    client.post(f"/account/organisation/directorates/{directorate.pk}/", {"name": "Corporate"})
    area.refresh_from_db()
    assert (area.directorate.name, area.name) == ("Corporate", "Digital")
    html = client.get(PAGE).content.decode()
    assert "Corporate" in html
    assert "Digital" in html
    # A directorate with service areas is in use; once they are gone it can be removed.
    refused = client.post(
        f"/account/organisation/directorates/{directorate.pk}/remove/", follow=True
    )
    assert "“Corporate” cannot be removed because it is still in use (1 service area)" in (
        refused.content.decode()
    )
    client.post(f"/account/organisation/service-areas/{area.pk}/remove/")
    client.post(f"/account/organisation/directorates/{directorate.pk}/remove/")
    assert not Directorate.objects.filter(pk=directorate.pk).exists()


def test_it_refuses_to_remove_a_service_area_someone_works_in(
    client_as: ClientAs, lead_lucy: User, officer_alice: User, highways: ServiceArea
) -> None:
    response = client_as(lead_lucy).post(
        f"/account/organisation/service-areas/{highways.pk}/remove/", follow=True
    )
    assert "“Highways” cannot be removed because it is still in use (1 user)" in (
        response.content.decode()
    )
    assert ServiceArea.objects.filter(pk=highways.pk).exists()
    with pytest.raises(ValidationError):
        service_area_remove(service_area=highways, by=lead_lucy)


def test_it_refuses_a_duplicate_name(lead_lucy: User, council: Organisation) -> None:
    directorate_create(organisation=council, name="Resources", by=lead_lucy)
    with pytest.raises(ValidationError) as exc:
        directorate_create(organisation=council, name="resources", by=lead_lucy)
    assert exc.value.message_dict == {"name": [services.DIRECTORATE_NAME_TAKEN]}


def test_it_keeps_other_councils_structure_out_of_reach(
    client_as: ClientAs, lead_bella: User, highways: ServiceArea
) -> None:
    bella = client_as(lead_bella)
    directorate = highways.directorate
    for url in (
        f"/account/organisation/directorates/{directorate.pk}/",
        f"/account/organisation/directorates/{directorate.pk}/remove/",
        f"/account/organisation/directorates/{directorate.pk}/service-areas/new/",
        f"/account/organisation/service-areas/{highways.pk}/",
        f"/account/organisation/service-areas/{highways.pk}/remove/",
    ):
        assert bella.post(url, {"name": "Taken"}).status_code == 404, url
    highways.refresh_from_db()
    assert highways.name == "Highways"
    assert "Highways" not in bella.get(PAGE).content.decode()
    with pytest.raises(PermissionDenied):
        directorate_remove(directorate=directorate, by=lead_bella)


def test_it_keeps_officers_and_suppliers_from_the_structure(
    client_as: ClientAs, officer_alice: User, supplier_bob: User, highways: ServiceArea
) -> None:
    for person in (officer_alice, supplier_bob):
        client = client_as(person)
        assert (
            client.post("/account/organisation/directorates/new/", {"name": "X"}).status_code == 403
        )
    assert not Directorate.objects.filter(name="X").exists()
