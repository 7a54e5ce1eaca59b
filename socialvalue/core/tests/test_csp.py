"""The Content Security Policy: on every kind of response, and no template breaks it."""

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponseBase
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.core.security import csp_source_for

# The header lists the directives in no particular order.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
SOCIALVALUE = Path(__file__).resolve().parents[2] / "socialvalue"
# Rendered by WeasyPrint into PDF files, never sent to a browser: their own CSS is inline.
PDF_TEMPLATES = {"pdf.html", "report_pdf.html"}

ClientAs = Callable[[User | None], Client]


def directives(response: HttpResponseBase) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.django_db
def test_it_sends_the_policy_on_a_public_page(public_dave: Client) -> None:
    response = public_dave.get("/")

    assert response.status_code == 200
    assert directives(response) == POLICY


def test_it_sends_the_policy_on_a_signed_in_page(client_as: ClientAs, officer_alice: User) -> None:
    response = client_as(officer_alice).get("/account/profile/")

    assert response.status_code == 200
    assert directives(response) == POLICY


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "status"), [("/no-such-page/", 404), ("/framework/%00/", 400)])
def test_it_sends_the_policy_on_an_error_page(public_dave: Client, path: str, status: int) -> None:
    response = public_dave.get(path)

    assert response.status_code == status
    assert directives(response) == POLICY


@pytest.mark.django_db
def test_it_sends_the_policy_on_an_api_answer(public_dave: Client) -> None:
    response = public_dave.get("/api/v1/frameworks")

    assert response.status_code == 200
    assert directives(response) == POLICY


@pytest.mark.django_db
def test_it_sends_the_policy_on_the_api_docs_whose_assets_are_served_here(
    public_dave: Client,
) -> None:
    response = public_dave.get("/api/v1/docs")
    html = response.content.decode()

    assert response.status_code == 200
    assert directives(response) == POLICY
    # Swagger UI comes from our static files, with its settings as JSON data, not a script.
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html
    assert 'src="/static/ninja/swagger-ui-init.js"' in html
    assert "cdn" not in html.lower()


def _policy_with(**env: str) -> str:
    """The policy the settings build in a fresh process with ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEEDS_TILE")}
    clean.update({"DEBUG": "1", **env})
    script = (
        "import socialvalue.settings as s; "
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=clean, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_it_allows_images_from_the_map_tile_server_when_one_is_set() -> None:
    assert _policy_with() == "[\"'self'\", 'data:']"
    assert _policy_with(NEEDS_TILE_URL="https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "[\"'self'\", 'data:', 'https://tile.openstreetmap.org']"
    )


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("", None),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://tiles.example.org:8080/{z}/{x}/{y}.png", "http://tiles.example.org:8080"),
    ],
)
def test_it_turns_a_tile_address_into_a_policy_source(url: str, source: str | None) -> None:
    assert csp_source_for(url) == source


@pytest.mark.parametrize(
    "url", ["tile.example.org/{z}/{x}/{y}.png", "ftp://tiles.example.org/", "https://{z}.x.org/"]
)
def test_it_refuses_a_tile_address_it_cannot_allow(url: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        csp_source_for(url)


def _browser_templates() -> list[Path]:
    return [
        path
        for path in sorted(SOCIALVALUE.glob("*/templates/**/*.html"))
        if path.name not in PDF_TEMPLATES
    ]


def test_no_template_has_an_inline_script() -> None:
    offenders = []
    for path in _browser_templates():
        for tag in re.findall(r"<script\b[^>]*>", path.read_text()):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path.relative_to(SOCIALVALUE)}: {tag}")
    assert offenders == []


def test_no_template_has_an_inline_style_or_event_handler() -> None:
    offenders = []
    for path in _browser_templates():
        text = path.read_text()
        for pattern in (r"<style\b", r"\sstyle=", r"\son[a-z]+=\"", r"javascript:"):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(SOCIALVALUE)}: {pattern}")
    assert offenders == []
