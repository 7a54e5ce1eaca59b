"""Case studies in the admin: read-only for platform administrators, with history; deleting
takes the photo."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.stories.models import CaseStudy

pytestmark = pytest.mark.django_db

ClientAs = Callable[[User | None], Client]


def test_it_shows_case_studies_to_a_platform_administrator_without_letting_them_change(
    client_as: ClientAs, admin_ada: User, bob_published: CaseStudy
) -> None:
    ada = client_as(admin_ada)
    assert ada.get("/admin/stories/casestudy/").status_code == 200
    page = ada.get(f"/admin/stories/casestudy/{bob_published.pk}/change/")
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    assert ada.get(f"/admin/stories/casestudy/{bob_published.pk}/history/").status_code == 200
    assert ada.get("/admin/stories/casestudy/add/").status_code == 403


def test_it_deletes_the_photograph_with_the_case_study(
    client_as: ClientAs,
    admin_ada: User,
    bob_published: CaseStudy,
    django_capture_on_commit_callbacks: Any,
) -> None:
    storage = bob_published.image.storage
    name = bob_published.image.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(admin_ada).post(
            f"/admin/stories/casestudy/{bob_published.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert not CaseStudy.objects.exists()
    assert not storage.exists(name)


@pytest.mark.parametrize("who", ["lead_lucy", "officer_alice", "supplier_bob"])
def test_it_keeps_others_out_of_the_admin(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str
) -> None:
    response = client_as(request.getfixturevalue(who)).get("/admin/stories/casestudy/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
