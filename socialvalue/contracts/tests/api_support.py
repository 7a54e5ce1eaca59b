"""Helpers for the contracts API tests: JSON calls, bearer tokens, evidence files and a
look into the private evidence storage."""

import json
from collections.abc import Callable
from typing import Any

from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.accounts.services import api_token_create
from socialvalue.contracts.models import Evidence, LineEvent, Return, ReturnLine

ClientAs = Callable[[User | None], Client]

# Just enough of each kind of file for its content to be recognised.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


LINE = {"contract": "LCC-TEST-001", "measure": "NT1", "quantity": "1.5", "district": "Preston"}


def token_client(user: User) -> Client:
    """A client that sends a new bearer token of ``user`` and has no session."""
    _token, raw = api_token_create(user=user, name="Reporting system")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    """A JSON request; ``body`` may be raw bytes to send as they are."""
    data = body if isinstance(body, bytes) else "" if body is None else json.dumps(body)
    call = getattr(client, method.lower())
    return call(url, data, content_type="application/json")


def upload(client: Client, url: str, name: str, content: bytes) -> Any:
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def stored_files() -> set[str]:
    """Every file name in the private evidence storage."""
    storage = storages["evidence"]
    found: set[str] = set()

    def walk(folder: str) -> None:
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        for name in files:
            found.add(f"{folder}/{name}" if folder else name)
        for sub in folders:
            walk(f"{folder}/{sub}" if folder else sub)

    walk("")
    return found


def detail(response: Any) -> list[tuple[list[Any], str]]:
    """The ``(loc, msg)`` of each error of a JSON error response."""
    return [(item["loc"], item["msg"]) for item in response.json()["detail"]]


def url(return_record: Return, rest: str = "") -> str:
    return f"/api/v1/returns/{return_record.pk}{rest}"


def add(client: Client, return_record: Return, **changes: Any) -> Any:
    """Add a line (``LINE`` with ``changes``) to the return through the API."""
    return send(client, "POST", url(return_record, "/lines"), {**LINE, **changes})


def state(return_record: Return) -> list[Any]:
    """Everything about a return that a refused request must leave as it was."""
    return_record.refresh_from_db()
    lines = list(
        ReturnLine.objects.filter(return_record=return_record)
        .order_by("pk")
        .values_list("pk", "status", "quantity", "district", "narrative")
    )
    return [
        return_record.status,
        return_record.is_nil,
        lines,
        LineEvent.objects.count(),
        Evidence.objects.count(),
    ]
