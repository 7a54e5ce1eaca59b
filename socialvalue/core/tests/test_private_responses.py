"""``Cache-Control: no-store`` on whatever is sent to someone signed in or holding a token;
public answers to anonymous visitors keep their caching."""

from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import Client, RequestFactory

from socialvalue.accounts.models import User
from socialvalue.accounts.services import api_token_create
from socialvalue.core.middleware import PrivateResponseMiddleware

ClientAs = Callable[[User | None], Client]


def directives(response: HttpResponseBase) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.strip() for part in header.split(",") if part.strip()}


NEVER_CACHED = {"no-store", "no-cache", "private", "must-revalidate", "max-age=0"}


@pytest.mark.parametrize(
    "path",
    [
        "/account/",
        "/account/profile/",
        "/framework/",  # public, but shown with the user's name and navigation
        "/no-such-page/",
    ],
)
def test_it_never_caches_a_page_for_someone_signed_in(
    client_as: ClientAs, officer_alice: User, toms: object, path: str
) -> None:
    response = client_as(officer_alice).get(path)

    assert directives(response) == NEVER_CACHED
    assert "Expires" in response


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/contracts/?format=csv", "text/csv; charset=utf-8"),
        (
            "/insights/?format=xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("/framework/lancashire-toms-2024/download.xlsx", None),
    ],
)
def test_it_never_caches_a_download_for_someone_signed_in(
    client_as: ClientAs, officer_alice: User, toms: object, path: str, content_type: str | None
) -> None:
    response = client_as(officer_alice).get(path)

    assert response.status_code == 200
    if content_type:
        assert response["Content-Type"] == content_type
    assert directives(response) == NEVER_CACHED


def test_it_leaves_public_pages_for_anonymous_visitors_alone(
    public_dave: Client, toms: object
) -> None:
    for path in ("/", "/framework/", "/framework/lancashire-toms-2024/download.csv"):
        response = public_dave.get(path)
        assert response.status_code == 200
        assert "no-store" not in directives(response), path


@pytest.mark.django_db
def test_it_leaves_public_api_answers_alone(public_dave: Client) -> None:
    response = public_dave.get("/api/v1/frameworks")

    assert response.status_code == 200
    assert "Cache-Control" not in response


def test_it_never_caches_an_api_answer_to_a_token(officer_alice: User) -> None:
    _, raw = api_token_create(user=officer_alice, name="Reporting")
    caller = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    for path in ("/api/v1/me", "/api/v1/frameworks"):
        response = caller.get(path)
        assert response.status_code == 200
        assert directives(response) == NEVER_CACHED, path


def test_it_never_caches_an_api_answer_to_a_session(
    client_as: ClientAs, officer_alice: User
) -> None:
    response = client_as(officer_alice).get("/api/v1/me")

    assert response.status_code == 200
    assert directives(response) == NEVER_CACHED


@pytest.mark.django_db
@pytest.mark.parametrize("authorization", [None, "Bearer sv_not-a-real-token"])
def test_it_never_caches_a_refusal_to_an_unknown_caller(
    public_dave: Client, authorization: str | None
) -> None:
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": authorization} if authorization else {}

    response = public_dave.get("/api/v1/me", **extra)

    assert response.status_code == 401
    assert directives(response) == NEVER_CACHED


def test_it_keeps_a_view_s_public_marking(client_as: ClientAs, officer_alice: User) -> None:
    # The map's areas are the same for everyone, signed in or not.
    response = client_as(officer_alice).get("/api/v1/needs/areas.geojson?level=district")

    assert response.status_code == 200
    assert directives(response) == {"public", "max-age=3600"}


def test_it_leaves_a_view_s_own_no_store_as_it_is(rf: RequestFactory, officer_alice: User) -> None:
    def evidence_download(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(b"%PDF-1.4")
        response["Cache-Control"] = "private, no-store"
        return response

    request = rf.get("/evidence/1/")
    request.COOKIES["sessionid"] = "signed-in"
    request.user = officer_alice

    response = PrivateResponseMiddleware(evidence_download)(request)

    assert response["Cache-Control"] == "private, no-store"
