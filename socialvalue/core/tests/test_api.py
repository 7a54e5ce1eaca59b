"""The API's shared contract: OpenAPI document, docs, JSON errors everywhere."""

import json

import pytest
from django.test import Client, RequestFactory


@pytest.mark.django_db
def test_it_publishes_the_openapi_document(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/frameworks",
        "/api/v1/frameworks/{slug}/measures",
        "/api/v1/calculate",
        "/api/v1/me",
    ):
        assert path in paths, path


@pytest.mark.django_db
def test_it_serves_the_docs_without_another_host(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "cdn." not in html
    assert "https://" not in html.split("<body")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v2/frameworks", "/api/"])
def test_it_answers_unknown_api_addresses_with_json_404(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"][0]["msg"].startswith("No API endpoint at ")


@pytest.mark.django_db
def test_it_refuses_an_anonymous_caller_with_json_401(client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {
        "detail": [{"loc": ["header", "Authorization"], "msg": "A valid bearer token is required."}]
    }


def test_it_reports_schema_errors_at_document_locations(rf: RequestFactory) -> None:
    from ninja.errors import ValidationError as NinjaValidationError

    from socialvalue.api import on_validation_error

    exc = NinjaValidationError(
        [
            {
                "loc": ("body", "payload", "bids", 0, "price"),
                "msg": "Value error, The price must be more than £0.",
                "type": "value_error",
            }
        ]
    )
    response = on_validation_error(rf.post("/api/v1/score"), exc)
    assert response.status_code == 422
    assert json.loads(response.content) == {
        "detail": [
            {
                "loc": ["body", "bids", 0, "price"],
                "msg": "The price must be more than £0.",
                "type": "value_error",
            }
        ]
    }


NOT_UNICODE = (
    "The request body is not valid JSON: its text must be Unicode characters, and a lone "
    "surrogate such as \\ud800 is not one."
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (b'{"framework": "\\ud800", "commitments": []}', ["body", "framework"]),
        (b'{"commitments": [{"measure": "NT1", "\\udc00": 1}]}', ["body", "commitments", 0]),
        (b'{"commitments": [], "x": ["ok", "a\\uDFFFb"]}', ["body", "x", 1]),
        # The same surrogate written as raw (CESU-8) bytes rather than as an escape.
        (b'{"framework": "\xed\xa0\x80", "commitments": []}', ["body", "framework"]),
    ],
)
def test_it_refuses_text_that_is_not_unicode_in_a_json_body(
    client: Client, body: bytes, loc: list[str | int]
) -> None:
    response = client.post("/api/v1/calculate", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": [{"loc": loc, "msg": NOT_UNICODE, "type": "json_invalid"}]}


@pytest.mark.django_db
def test_it_still_reads_characters_beyond_the_basic_plane(client: Client) -> None:
    body = '{"framework": "\\ud83d\\ude00 \U0001f600", "commitments": []}'.encode()
    response = client.post("/api/v1/calculate", data=body, content_type="application/json")
    assert response.status_code == 422  # a proper pair of surrogates is one character: 😀
    assert response.json()["detail"][0]["loc"] == ["body", "framework"]
