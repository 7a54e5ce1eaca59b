"""The partner directory in the admin: profiles editable by platform administrators,
revisions read-only."""

from collections.abc import Callable

import pytest
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.partners.models import PartnerProfile, PartnerProfileRevision

pytestmark = pytest.mark.django_db

ClientAs = Callable[[User | None], Client]


def test_it_lets_a_platform_administrator_correct_a_published_profile(
    client_as: ClientAs, admin_ada: User, ribble_rivers: Organisation
) -> None:
    ada = client_as(admin_ada)
    profile = PartnerProfile.objects.get(organisation=ribble_rivers)
    assert ada.get("/admin/partners/partnerprofile/").status_code == 200
    assert ada.get(f"/admin/partners/partnerprofile/{profile.pk}/change/").status_code == 200
    assert ada.get(f"/admin/partners/partnerprofile/{profile.pk}/history/").status_code == 200
    assert ada.get("/admin/partners/partnerprofile/add/").status_code == 200


def test_it_shows_revisions_to_a_platform_administrator_without_letting_them_change(
    client_as: ClientAs, admin_ada: User, ribble_rivers: Organisation
) -> None:
    ada = client_as(admin_ada)
    revision = PartnerProfileRevision.objects.get()
    assert ada.get("/admin/partners/partnerprofilerevision/").status_code == 200
    page = ada.get(f"/admin/partners/partnerprofilerevision/{revision.pk}/change/")
    assert page.status_code == 200
    assert 'name="summary"' not in page.content.decode()
    assert ada.get("/admin/partners/partnerprofilerevision/add/").status_code == 403


@pytest.mark.parametrize("who", ["lead_lucy", "officer_alice", "supplier_bob"])
def test_it_keeps_others_out_of_the_partner_admin(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str
) -> None:
    response = client_as(request.getfixturevalue(who)).get("/admin/partners/partnerprofile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
