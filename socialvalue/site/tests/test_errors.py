"""The error pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from socialvalue.site import views
from socialvalue.site.views import errors


def test_it_renders_the_404_page_for_an_unknown_url(public_dave: Client) -> None:
    response = public_dave.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found – Lancashire Social Value</title>" in html
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert "If you typed the web address, check it is correct." in html
    assert 'href="/account/sign-in/?next=/no-such-page/">Sign in</a>' in html


def test_it_returns_500_from_the_server_error_handler(rf: RequestFactory) -> None:
    response = views.server_error(rf.get("/broken/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "Lancashire Social Value" in html
    assert 'href="/framework/">' in html


def test_it_renders_the_500_page_without_the_database(rf: RequestFactory) -> None:
    # No database fixture: any query would fail, and the handler would fall back to plain HTML.
    response = views.server_error(rf.get("/broken/"))

    assert response.status_code == 500
    assert 'class="govuk-service-navigation"' in response.content.decode()


def test_it_falls_back_to_plain_html_when_the_500_page_cannot_render(
    rf: RequestFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise ValueError("Missing staticfiles manifest entry for 'dist/main.css'")

    monkeypatch.setattr(errors.loader, "render_to_string", broken)

    response = views.server_error(rf.get("/broken/"))

    assert response.status_code == 500
    assert "<h1>Sorry, there is a problem with the service</h1>" in response.content.decode()


def test_it_renders_the_403_page(rf: RequestFactory, db: None) -> None:
    request = rf.get("/private/")
    request.user = AnonymousUser()

    response = views.permission_denied(request)

    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot view this page" in html
    assert 'href="/account/sign-in/?next=/private/">Sign in</a>' in html


def test_it_renders_the_400_page(rf: RequestFactory, db: None) -> None:
    request = rf.get("/")
    request.user = AnonymousUser()

    response = views.bad_request(request)

    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()
