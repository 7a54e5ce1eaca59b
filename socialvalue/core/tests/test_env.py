"""Settings helpers read the environment and fail loudly on nonsense."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from socialvalue.core.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize("raw", ["1", "true", "YES", " on "])
def test_it_reads_true(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("SV_FLAG", raw)

    assert env_bool("SV_FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_it_reads_false(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("SV_FLAG", raw)

    assert env_bool("SV_FLAG", default=True) is False


def test_it_uses_the_default_when_a_boolean_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SV_FLAG", raising=False)

    assert env_bool("SV_FLAG", default=True) is True
    assert env_bool("SV_FLAG") is False


def test_it_refuses_a_bad_boolean_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SV_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="SV_FLAG") as excinfo:
        env_bool("SV_FLAG")

    assert "'maybe'" in str(excinfo.value)


def test_it_reads_whole_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SV_PORT", "2525")
    monkeypatch.setenv("SV_EMPTY", "  ")

    assert env_int("SV_PORT", 25) == 2525
    assert env_int("SV_EMPTY", 25) == 25


def test_it_refuses_a_bad_whole_number_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SV_PORT", "twenty-five")

    with pytest.raises(ImproperlyConfigured, match="SV_PORT must be a whole number"):
        env_int("SV_PORT", 25)


def test_it_reads_comma_separated_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SV_HOSTS", " a.example , b.example,,")
    monkeypatch.delenv("SV_UNSET", raising=False)

    assert env_list("SV_HOSTS") == ["a.example", "b.example"]
    assert env_list("SV_UNSET", ["localhost"]) == ["localhost"]
    assert env_list("SV_UNSET") == []


def test_it_reads_strings_with_a_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SV_NAME", "Blackpool Social Value")
    monkeypatch.delenv("SV_UNSET", raising=False)

    assert env_str("SV_NAME") == "Blackpool Social Value"
    assert env_str("SV_UNSET", "Lancashire Social Value") == "Lancashire Social Value"
