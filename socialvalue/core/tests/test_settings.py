"""Production refuses to start with an unsafe default."""

import os
import subprocess
import sys

import pytest

GOOD_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"


def import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import socialvalue.settings"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_production_without_a_secret_key() -> None:
    result = import_settings(DEBUG="0", ALLOWED_HOSTS="sv.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_the_development_key_in_production() -> None:
    result = import_settings(
        DEBUG="0",
        ALLOWED_HOSTS="sv.example.org",
        SECRET_KEY="dev-only-insecure-key-never-use-in-production-0123456789abcdef",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_a_short_secret_key() -> None:
    result = import_settings(DEBUG="0", ALLOWED_HOSTS="sv.example.org", SECRET_KEY="short-key")
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_it_refuses_production_without_allowed_hosts() -> None:
    result = import_settings(DEBUG="0", SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_it_starts_in_production_with_safe_settings() -> None:
    result = import_settings(DEBUG="0", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="sv.example.org")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_it_refuses_a_debug_value_it_cannot_read(value: str) -> None:
    result = import_settings(DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr
