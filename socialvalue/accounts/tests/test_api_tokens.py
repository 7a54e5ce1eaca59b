import re
from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from socialvalue.accounts.models import ApiToken, User
from socialvalue.accounts.services import TOKEN_NAME_REQUIRED, api_token_create

PROFILE = "/account/profile/"
NEW = "/account/profile/tokens/new/"


def raw_token_in(html: str) -> str:
    match = re.search(r'value="(sv_[A-Za-z0-9_-]{43})"', html)
    assert match, "the new token is not on the page"
    return match.group(1)


def database_holds(text: str) -> bool:
    """Whether ``text`` appears in any text column of any table."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [
                col.name
                for col in connection.introspection.get_table_description(cursor, table)
                if col.type_code in _text_type_codes()
            ]
            for column in columns:
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE %s',
                    [f"%{text}%"],
                )
                if cursor.fetchone()[0]:
                    return True
    return False


def _text_type_codes() -> set[object]:
    if connection.vendor == "postgresql":
        return {25, 1043}  # text, varchar
    return {"text", "varchar", "TEXT", "VARCHAR"} | {f"varchar({n})" for n in range(1, 1000)}


def test_it_lists_the_users_own_tokens(
    client_as: Callable[[User | None], Client], officer_alice: User, supplier_bob: User
) -> None:
    token, _ = api_token_create(user=officer_alice, name="Contracts system")
    api_token_create(user=supplier_bob, name="Bob's bid tool")
    html = client_as(officer_alice).get(PROFILE).content.decode()
    assert "Contracts system" in html
    assert f"<code>{token.key_prefix}…</code>" in html
    assert "Never" in html
    assert "Active" in html
    assert "Bob&#x27;s bid tool" not in html


def test_it_says_when_there_are_no_tokens(
    client_as: Callable[[User | None], Client], officer_alice: User
) -> None:
    html = client_as(officer_alice).get(PROFILE).content.decode()
    assert "You have no API tokens." in html
    assert "<table" not in html


def test_it_pages_a_long_list_of_tokens(
    client_as: Callable[[User | None], Client], officer_alice: User
) -> None:
    for n in range(21):
        api_token_create(user=officer_alice, name=f"Token {n:02d}")
    client = client_as(officer_alice)
    first = client.get(PROFILE)
    assert len(first.context["page"].object_list) == 20
    assert 'class="govuk-pagination"' in first.content.decode()
    second = client.get(PROFILE, {"page": 2})
    assert [t.name for t in second.context["page"].object_list] == ["Token 00"]


def test_it_creates_a_token_and_shows_it_once(
    client_as: Callable[[User | None], Client], officer_alice: User
) -> None:
    client = client_as(officer_alice)
    response = client.post(NEW, {"name": "Contracts system"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Copy this token now" in html
    raw = raw_token_in(html)
    token = ApiToken.objects.get(user=officer_alice)
    assert token.name == "Contracts system"
    assert token.key_hash == ApiToken.hash(raw)
    assert raw not in client.get(PROFILE).content.decode()
    assert database_holds(token.key_hash)  # the search does look where tokens are kept
    assert not database_holds(raw)
    assert not any(raw in str(s.get_decoded()) for s in Session.objects.all())


def test_it_asks_for_a_token_name(
    client_as: Callable[[User | None], Client], officer_alice: User
) -> None:
    response = client_as(officer_alice).post(NEW, {"name": ""})
    assert response.status_code == 200
    assert f'<a href="#id_name">{TOKEN_NAME_REQUIRED}</a>' in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_it_asks_before_revoking(
    client_as: Callable[[User | None], Client], officer_alice: User
) -> None:
    token, _ = api_token_create(user=officer_alice, name="Contracts system")
    response = client_as(officer_alice).get(f"/account/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Revoke the token “Contracts system”?" in html
    assert 'method="post"' in html
    token.refresh_from_db()
    assert token.is_active


def test_it_revokes_a_token_with_a_post(
    client_as: Callable[[User | None], Client], officer_alice: User
) -> None:
    token, raw = api_token_create(user=officer_alice, name="Contracts system")
    client = client_as(officer_alice)
    response = client.post(f"/account/profile/tokens/{token.pk}/revoke/", follow=True)
    assert response.redirect_chain == [(PROFILE, 302)]
    html = response.content.decode()
    assert "Token “Contracts system” has been revoked." in html
    assert "Revoked" in html
    token.refresh_from_db()
    assert token.revoked_at is not None
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 401


def test_it_says_a_revoked_token_is_already_revoked(
    client_as: Callable[[User | None], Client], officer_alice: User
) -> None:
    token, _ = api_token_create(user=officer_alice, name="Contracts system")
    client = client_as(officer_alice)
    client.post(f"/account/profile/tokens/{token.pk}/revoke/")
    html = client.get(f"/account/profile/tokens/{token.pk}/revoke/").content.decode()
    assert "Token already revoked" in html
    assert client.post(f"/account/profile/tokens/{token.pk}/revoke/").status_code == 302


@pytest.mark.parametrize("who", ["lead_lucy", "evaluator_erin", "supplier_bob", "officer_olga"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_hides_other_peoples_tokens(
    client_as: Callable[[User | None], Client],
    cast_member: Callable[[str | None], User | None],
    officer_alice: User,
    who: str,
    method: str,
) -> None:
    token, _ = api_token_create(user=officer_alice, name="Contracts system")
    client = client_as(cast_member(who))
    response = getattr(client, method)(f"/account/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_revokers_to_sign_in(
    public_dave: Client, officer_alice: User, method: str
) -> None:
    token, _ = api_token_create(user=officer_alice, name="Contracts system")
    response = getattr(public_dave, method)(f"/account/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/?next=")
    token.refresh_from_db()
    assert token.is_active


def test_it_creates_a_token_from_the_command_line(officer_alice: User) -> None:
    out = StringIO()
    call_command(
        "create_api_token", "Alice@Lancashire.example", "--name", "Nightly export", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    raw = lines[0]
    token = ApiToken.objects.get(user=officer_alice)
    assert token.name == "Nightly export"
    assert token.key_hash == ApiToken.hash(raw)
    assert lines[1] == (
        f"Created API token “Nightly export” ({raw[:11]}…) for alice@lancashire.example. "
        "Copy it now: it cannot be shown again."
    )
    assert not database_holds(raw)
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.json()["email"] == "alice@lancashire.example"


def test_it_names_a_command_line_token_by_default(officer_alice: User) -> None:
    call_command("create_api_token", "alice@lancashire.example", stdout=StringIO())
    assert ApiToken.objects.get(user=officer_alice).name == "Command line"


def test_it_names_the_unknown_email_on_the_command_line(db: None) -> None:
    with pytest.raises(CommandError, match=r"No user has the email address ghost@example\.org\."):
        call_command("create_api_token", "ghost@example.org", stdout=StringIO())
    assert ApiToken.objects.count() == 0


def test_it_refuses_an_empty_name_on_the_command_line(officer_alice: User) -> None:
    with pytest.raises(CommandError, match=TOKEN_NAME_REQUIRED):
        call_command(
            "create_api_token", "alice@lancashire.example", "--name", " ", stdout=StringIO()
        )
