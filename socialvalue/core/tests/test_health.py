"""``/healthz`` for load balancers: 200 "ok" or 503, saying nothing about why."""

import subprocess
import sys
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from socialvalue.core import health

pytestmark = pytest.mark.django_db


def test_it_answers_ok_when_the_database_and_storages_answer(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_it_answers_a_head_request(client: Client) -> None:
    assert client.head("/healthz").status_code == 200


def test_it_refuses_a_post(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


def test_it_answers_503_without_details_when_the_database_fails(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("could not connect to server at /var/run/pg")

    with mock.patch.object(health, "connection", broken):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"unavailable"
    assert "no-store" in response["Cache-Control"]
    assert "Health check: the database did not answer." in caplog.text


@pytest.mark.parametrize("alias", ["default", "evidence"])
def test_it_answers_503_without_details_when_a_storage_fails(
    client: Client, caplog: pytest.LogCaptureFixture, alias: str
) -> None:
    from django.core.files.storage import storages

    storage = storages[alias]
    with mock.patch.object(
        storage, "exists", side_effect=PermissionError("/srv/private: permission denied")
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"unavailable"
    assert f"Health check: the {alias} storage did not answer." in caplog.text


def test_it_is_exempt_from_the_https_redirect_in_production() -> None:
    script = (
        "import re, socialvalue.settings as s; "
        "print(s.SECURE_SSL_REDIRECT, "
        "any(re.search(p, 'healthz') for p in s.SECURE_REDIRECT_EXEMPT), "
        "any(re.search(p, 'framework/') for p in s.SECURE_REDIRECT_EXEMPT))"
    )
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "sv.example.org",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "False"]
